#!/bin/sh
# t7001-admin-shares: the admin API for shares, schemas, shared tables and
# grants: shapes, statuses for bad input (400), missing objects (404) and
# duplicates (409), and an audit record for every change.

. "$(dirname "$0")/lib-ds.sh"
ds_start

DS_TOKEN=$ADMIN_TOKEN

test_expect_success 'create a share' '
	api POST /admin/shares "{\"name\":\"Sales\",\"comment\":\"Q3 figures\"}" &&
	expect_status 201 &&
	test "$(header Content-Type)" = "application/json; charset=utf-8" &&
	expect_json ".name == \"Sales\" and .comment == \"Q3 figures\"" &&
	expect_json ".id | test(\"^[0-9a-f]{8}-[0-9a-f]{4}-4\")" &&
	expect_json ".schemas == [] and .recipients == []" &&
	expect_json "(.createdAt | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z$\"))"
'

test_expect_success 'duplicate names are 409, in any case' '
	api POST /admin/shares "{\"name\":\"sales\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS "share '\''sales'\'' already exists"
'

test_expect_success 'bad bodies are 400 with a clear message' '
	api POST /admin/shares "" &&
	expect_error 400 MALFORMED_REQUEST "empty" &&
	api POST /admin/shares "{" &&
	expect_error 400 MALFORMED_REQUEST "malformed JSON" &&
	api POST /admin/shares "[1]" &&
	expect_error 400 MALFORMED_REQUEST "JSON object" &&
	api POST /admin/shares "{\"name\":\"x\"} trailing" &&
	expect_error 400 MALFORMED_REQUEST "trailing" &&
	api POST /admin/shares "{}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "missing required field '\''name'\''" &&
	api POST /admin/shares "{\"name\":5}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "must be a string" &&
	api POST /admin/shares "{\"name\":\"x\",\"cdfEnabled\":true}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "unknown field '\''cdfEnabled'\''" &&
	api POST /admin/shares "{\"name\":\"a b\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "share name must not contain '\'' '\''" &&
	api POST /admin/shares "{\"name\":\"a\\u0000b\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "NUL" &&
	api POST /admin/shares "{\"name\":\"$(printf %0256d 0)\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "longer than 255" &&
	api POST /admin/shares "{\"name\":\"$(printf %0255d 0)\"}" &&
	expect_status 201 &&
	printf "{\"name\":\"\\377\"}" >bad-utf8.json &&
	api POST /admin/shares "$(cat bad-utf8.json)" &&
	expect_error 400 MALFORMED_REQUEST "UTF-8"
'

test_expect_success 'get, list and patch a share' '
	api GET /admin/shares/SALES && expect_status 200 &&
	expect_json ".name == \"Sales\"" &&
	api GET /admin/shares && expect_status 200 &&
	expect_json "[.items[].name] | index(\"Sales\") == 0" &&
	api PATCH /admin/shares/sales "{\"comment\":\"Q4\"}" &&
	expect_status 200 && expect_json ".comment == \"Q4\" and .name == \"Sales\"" &&
	api PATCH /admin/shares/sales "{}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "nothing to change" &&
	api GET /admin/shares/nope && expect_error 404 RESOURCE_DOES_NOT_EXIST "share '\''nope'\'' not found"
'

test_expect_success 'schemas: create, duplicate, get, list' '
	api POST /admin/shares/sales/schemas "{\"name\":\"emea\"}" &&
	expect_status 201 && expect_json ".share == \"Sales\" and .name == \"emea\" and .tables == []" &&
	api POST /admin/shares/sales/schemas "{\"name\":\"EMEA\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS &&
	api POST /admin/shares/sales/schemas "{\"name\":\"a.b\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "schema name must not contain '\''.'\''" &&
	api POST /admin/shares/nope/schemas "{\"name\":\"x\"}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api GET /admin/shares/sales/schemas/emea && expect_status 200 &&
	api GET /admin/shares/sales/schemas && expect_json "[.items[].name] == [\"emea\"]"
'

test_expect_success 'add tables to a schema (creating the schema)' '
	make_table_dir orders && make_table_dir items &&
	api POST /admin/tables "{\"name\":\"orders\",\"location\":\"$TRASH/tables/orders\"}" &&
	expect_status 201 &&
	api POST /admin/tables "{\"name\":\"items\",\"location\":\"file://$TRASH/tables/items\"}" &&
	expect_status 201 &&
	api POST /admin/shares/sales/schemas/apac/tables "{\"table\":\"ORDERS\"}" &&
	expect_status 201 &&
	expect_json ". == {\"share\":\"Sales\",\"schema\":\"apac\",\"name\":\"orders\",\"table\":\"orders\",\"createdAt\":.createdAt}" &&
	api POST /admin/shares/sales/schemas/apac/tables "{\"table\":\"items\",\"alias\":\"lines\"}" &&
	expect_status 201 && expect_json ".name == \"lines\" and .table == \"items\"" &&
	api POST /admin/shares/sales/schemas/apac/tables "{\"table\":\"items\",\"alias\":\"Orders\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS "already shared" &&
	api POST /admin/shares/sales/schemas/apac/tables "{\"table\":\"nosuch\"}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "table '\''nosuch'\'' not found" &&
	api POST /admin/shares/sales/schemas/apac/tables "{\"table\":\"items\",\"alias\":\"x.y\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE &&
	api GET /admin/shares/sales/schemas/apac/tables &&
	expect_json "[.items[].name] == [\"orders\",\"lines\"]" &&
	api GET /admin/shares/sales &&
	expect_json ".schemas == [{\"name\":\"emea\",\"tables\":[]},{\"name\":\"apac\",\"tables\":[{\"name\":\"orders\",\"table\":\"orders\"},{\"name\":\"lines\",\"table\":\"items\"}]}]"
'

test_expect_success 'remove a table from a schema' '
	api DELETE /admin/shares/sales/schemas/apac/tables/LINES &&
	expect_status 204 && test ! -s resp.body &&
	api DELETE /admin/shares/sales/schemas/apac/tables/lines &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api DELETE /admin/shares/sales/schemas/nope/tables/lines &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "schema '\''nope'\'' not found"
'

test_expect_success 'a shared table cannot be deleted' '
	api DELETE /admin/tables/orders &&
	expect_error 409 RESOURCE_CONFLICT "still shared" &&
	api DELETE /admin/tables/items && expect_status 204
'

test_expect_success 'grants: add, duplicate, unknown recipient, list, remove' '
	api POST /admin/recipients "{\"name\":\"acme\"}" && expect_status 201 &&
	api POST /admin/shares/sales/recipients "{\"recipient\":\"ACME\"}" &&
	expect_status 201 && expect_json ".share == \"Sales\" and .recipient == \"acme\"" &&
	api POST /admin/shares/sales/recipients "{\"recipient\":\"acme\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS "already granted" &&
	api POST /admin/shares/sales/recipients "{\"recipient\":\"nobody\"}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "recipient '\''nobody'\'' not found" &&
	api GET /admin/shares/sales/recipients &&
	expect_json "[.items[].recipient] == [\"acme\"]" &&
	api GET /admin/shares/sales && expect_json ".recipients == [\"acme\"]" &&
	api DELETE /admin/shares/sales/recipients/acme && expect_status 204 &&
	api DELETE /admin/shares/sales/recipients/acme &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "not granted"
'

test_expect_success 'rename a share' '
	api PATCH /admin/shares/sales "{\"name\":\"Revenue\"}" &&
	expect_status 200 && expect_json ".name == \"Revenue\"" &&
	api GET /admin/shares/sales && expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api POST /admin/shares "{\"name\":\"other\"}" && expect_status 201 &&
	api PATCH /admin/shares/other "{\"name\":\"REVENUE\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS
'

test_expect_success 'delete a schema, then a share' '
	api DELETE /admin/shares/revenue/schemas/emea && expect_status 204 &&
	api GET /admin/shares/revenue/schemas && expect_json "[.items[].name] == [\"apac\"]" &&
	api DELETE /admin/shares/revenue && expect_status 204 &&
	api GET /admin/shares/revenue && expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api DELETE /admin/tables/orders && expect_status 204
'

test_expect_success 'every change left an audit record with before and after' '
	api GET "/admin/audit?maxResults=500" && expect_status 200 &&
	jget "[.items[].action] | reverse | join(\" \")" >actions &&
	grep -q "share.create share.create" actions &&
	grep -q "share.update" actions && grep -q "schema.create" actions &&
	grep -q "share.table.add" actions && grep -q "share.table.remove" actions &&
	grep -q "grant.add" actions && grep -q "grant.remove" actions &&
	grep -q "schema.delete" actions && grep -q "share.delete" actions &&
	grep -q "table.delete" actions &&
	expect_json "all(.items[]; .actor == \"admin\" or .actor == \"cli\")" &&
	api GET "/admin/audit?objectType=share&maxResults=500" &&
	expect_json "[.items[] | select(.action == \"share.update\")][-1] | .before.comment == \"Q3 figures\" and .after.comment == \"Q4\"" &&
	expect_json "[.items[] | select(.action == \"share.delete\")][0] | .before.name == \"Revenue\" and (has(\"after\") | not)"
'

test_expect_success 'failed changes leave no audit record and no change' '
	api GET "/admin/audit?maxResults=500" && jget ".items | length" >before &&
	api POST /admin/shares "{\"name\":\"other\"}" && expect_status 409 &&
	api POST /admin/shares/other/schemas/x/tables "{\"table\":\"nosuch\"}" &&
	expect_status 404 &&
	api GET /admin/shares/other && expect_json ".schemas == []" &&
	api GET "/admin/audit?maxResults=500" && jget ".items | length" >after &&
	test_cmp before after
'

test_expect_success 'wrong method is 405 with Allow; unknown route 404' '
	api PUT /admin/shares "{}" &&
	expect_error 405 METHOD_NOT_ALLOWED &&
	test "$(header Allow)" = "GET, HEAD, POST, OPTIONS" &&
	api DELETE /admin/shares && expect_status 405 &&
	api GET /admin/nothing && expect_error 404 ENDPOINT_NOT_FOUND &&
	api OPTIONS /admin/shares/x && expect_status 204 &&
	test "$(header Allow)" = "GET, HEAD, PATCH, DELETE, OPTIONS" &&
	test -z "$(header Access-Control-Allow-Origin)"
'

test_done
