#!/bin/sh
# t7002-admin-tables: registering Delta tables: location checks (only
# existing Delta tables under admin.allowed_roots, symlinks and dot-dot
# resolved first), history settings, update and delete.

. "$(dirname "$0")/lib-ds.sh"
ds_start

DS_TOKEN=$ADMIN_TOKEN
mkdir -p "$TRASH/outside/evil/_delta_log" "$TRASH/tables-evil/t/_delta_log" \
    "$TRASH/tables/nolog" "$TRASH/tables/with space/_delta_log" \
    "$TRASH/tables/good/_delta_log"
ln -s "$TRASH/outside/evil" "$TRASH/tables/link"

reg() {
	api POST /admin/tables "{\"name\":\"$1\",\"location\":\"$2\"}"
}

test_expect_success 'a table under the allowed root registers' '
	reg good "$TRASH/tables/good" && expect_status 201 &&
	expect_json ".location == \"file://$TRASH/tables/good\"" &&
	expect_json ".historyShared == false and .startVersion == 0" &&
	expect_json ".sharedAs == [] and (.id | length) == 36"
'

test_expect_success 'file:// URLs are decoded; the stored form is encoded' '
	reg spaced "file://$TRASH/tables/with%20space" && expect_status 201 &&
	expect_json ".location == \"file://$TRASH/tables/with%20space\""
'

test_expect_success 'locations outside the roots are refused' '
	for loc in "$TRASH/outside/evil" "$TRASH/tables/../outside/evil" \
	    "$TRASH/tables/link" "$TRASH/tables-evil/t" "/" "/etc" \
	    "file://$TRASH/tables/%2e%2e/outside/evil"; do
		reg bad "$loc" &&
		expect_error 400 INVALID_PARAMETER_VALUE "outside" || return 1
	done
'

test_expect_success 'other malformed locations are 400' '
	reg bad "relative/path" &&
	expect_error 400 INVALID_PARAMETER_VALUE "absolute path" &&
	reg bad "$TRASH/tables/nolog" &&
	expect_error 400 INVALID_PARAMETER_VALUE "_delta_log" &&
	reg bad "$TRASH/tables/missing" &&
	expect_error 400 INVALID_PARAMETER_VALUE "not an existing directory" &&
	reg bad "file://host/x" && expect_error 400 INVALID_PARAMETER_VALUE &&
	reg bad "file://$TRASH/tables/%zz" && expect_error 400 INVALID_PARAMETER_VALUE &&
	for loc in "http://169.254.169.254/latest" "ftp://b/t"; do
		reg bad "$loc" &&
		expect_error 400 INVALID_PARAMETER_VALUE "not supported" || return 1
	done &&
	for loc in "s3://bucket/t" "s3a://bucket/t" "s3://169.254.169.254/x"; do
		reg bad "$loc" &&
		expect_error 400 INVALID_PARAMETER_VALUE "admin.allowed_buckets" ||
		return 1
	done &&
	for loc in "s3://b/t" "s3://Bucket/t" "s3://bucket/../other" \
	    "s3://bucket//t" "s3://user:pw@bucket/t" "s3://bucket/t?x=1" \
	    "s3://bucket/./t"; do
		reg bad "$loc" &&
		expect_error 400 INVALID_PARAMETER_VALUE || return 1
	done
'

test_expect_success 'name rules and duplicates' '
	reg "a.b" "$TRASH/tables/good" &&
	expect_error 400 INVALID_PARAMETER_VALUE "table name must not contain" &&
	reg GOOD "$TRASH/tables/good" && expect_error 409 RESOURCE_ALREADY_EXISTS
'

test_expect_success 'history settings: types and bounds' '
	api POST /admin/tables "{\"name\":\"h\",\"location\":\"$TRASH/tables/good\",\"historyShared\":\"yes\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "boolean" &&
	api POST /admin/tables "{\"name\":\"h\",\"location\":\"$TRASH/tables/good\",\"startVersion\":-1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "startVersion" &&
	api POST /admin/tables "{\"name\":\"h\",\"location\":\"$TRASH/tables/good\",\"startVersion\":1.5}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "integer" &&
	api POST /admin/tables "{\"name\":\"h\",\"location\":\"$TRASH/tables/good\",\"historyShared\":true,\"startVersion\":3}" &&
	expect_status 201 && expect_json ".historyShared == true and .startVersion == 3"
'

test_expect_success 'update history settings' '
	api PATCH /admin/tables/h "{\"startVersion\":5}" &&
	expect_status 200 && expect_json ".startVersion == 5 and .historyShared == true" &&
	api PATCH /admin/tables/h "{\"historyShared\":false}" &&
	expect_status 200 && expect_json ".historyShared == false" &&
	api PATCH /admin/tables/h "{\"location\":\"/\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "unknown field" &&
	api PATCH /admin/tables/nosuch "{\"startVersion\":1}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'get shows where the table is shared' '
	api POST /admin/shares "{\"name\":\"s\"}" &&
	api POST /admin/shares/s/schemas/x/tables "{\"table\":\"h\",\"alias\":\"hist\"}" &&
	expect_status 201 &&
	api GET /admin/tables/H && expect_status 200 &&
	expect_json ".sharedAs == [{\"share\":\"s\",\"schema\":\"x\",\"name\":\"hist\"}]"
'

test_expect_success 'list and delete' '
	api GET /admin/tables && expect_json "[.items[].name] == [\"good\",\"spaced\",\"h\"]" &&
	api DELETE /admin/tables/spaced && expect_status 204 &&
	api GET /admin/tables/spaced && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'without allowed roots nothing local registers' '
	DELTASHARE_ADMIN_ALLOWED_ROOTS= ds -n | grep -q "^admin.allowed_roots = $"
'

# A new server.secret_file leaves the sealed secrets of credentials
# unreadable: they count as unset, and a PATCH that gives them again
# repairs the credential (the README's rotation procedure).
test_expect_success 'a credential before the server secret changes' '
	api POST /admin/credentials "{\"name\":\"lake\",\"type\":\"s3\",\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"old-secret\",\"sessionToken\":\"tok\",\"region\":\"eu-west-1\"}" &&
	expect_status 201 &&
	expect_json ".secretFields == [\"secretAccessKey\",\"sessionToken\"]"
'

lighttpd_stop
mv server.secret server.secret.old &&
head -c 48 /dev/urandom | base64 -w0 >server.secret && chmod 600 server.secret
lighttpd_start || bail "cannot restart with a new server secret"

test_expect_success 'after the change, a PATCH must give the required secrets again' '
	api PATCH /admin/credentials/lake "{\"region\":\"us-east-1\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "needs '\''secretAccessKey'\''" &&
	api PATCH /admin/credentials/lake "{\"secretAccessKey\":\"new-secret\"}" &&
	expect_status 200 &&
	expect_json ".secretFields == [\"secretAccessKey\"] and .region == \"eu-west-1\"" &&
	grep -q "credential .lake.: a stored credential cannot be opened" \
	    "$HTTPD_DIR"/*.log &&
	api PATCH /admin/credentials/lake "{\"region\":\"us-east-1\"}" &&
	expect_status 200 && expect_json ".secretFields == [\"secretAccessKey\"]"
'

test_done
