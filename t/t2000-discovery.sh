#!/bin/sh
# t2000-discovery: list shares, get share, list schemas, list tables and
# list all tables (protocol-notes §1.1-§1.5), as recipients see them
# through lighttpd: exact shapes, grants, case-insensitive names, paging.

. "$(dirname "$0")/lib-ds.sh"
ds_start

# Catalog: shares s1 (schemas a: t1,t2; b: t3) and s2 (empty schema c),
# s3 (no schemas), s4 not granted.  Recipient r1 has s1, s2, s3.
test_expect_success 'set up shares, tables and a recipient' '
	DS_TOKEN=$ADMIN_TOKEN &&
	for t in t1 t2 t3; do
		make_table_dir $t &&
		api POST /admin/tables "{\"name\":\"$t\",\"location\":\"$TRASH/tables/$t\"}" &&
		expect_status 201 || return 1
	done &&
	for s in s1 s2 s3 s4; do
		api POST /admin/shares "{\"name\":\"$s\",\"comment\":\"share $s\"}" &&
		expect_status 201 || return 1
	done &&
	api POST /admin/shares/s1/schemas/a/tables "{\"table\":\"t1\"}" &&
	expect_status 201 &&
	api POST /admin/shares/s1/schemas/a/tables "{\"table\":\"t2\",\"alias\":\"Second\"}" &&
	expect_status 201 &&
	api POST /admin/shares/s1/schemas/b/tables "{\"table\":\"t3\"}" &&
	expect_status 201 &&
	api POST /admin/shares/s2/schemas "{\"name\":\"c\"}" &&
	expect_status 201 &&
	make_recipient r1 && echo "$RCP_TOKEN" >r1.token &&
	for s in s1 s2 s3; do
		api POST /admin/shares/$s/recipients "{\"recipient\":\"r1\"}" &&
		expect_status 201 || return 1
	done &&
	make_recipient r2 && echo "$RCP_TOKEN" >r2.token
'

R1=$(cat r1.token 2>/dev/null)
R2=$(cat r2.token 2>/dev/null)

test_expect_success 'list shares: granted ones, in creation order' '
	api -t "$R1" GET /shares && expect_status 200 &&
	test "$(header Content-Type)" = "application/json; charset=utf-8" &&
	expect_json "[.items[].name] == [\"s1\",\"s2\",\"s3\"]" &&
	expect_json "has(\"nextPageToken\") | not" &&
	expect_json "all(.items[]; (.id | test(\"^[0-9a-f-]{36}$\")))"
'

test_expect_success 'a recipient without grants sees no shares: {}' '
	api -t "$R2" GET /shares && expect_status 200 &&
	test "$(body)" = "{}"
'

test_expect_success 'get share: configured spelling, id, comment' '
	api -t "$R1" GET /shares/S1 && expect_status 200 &&
	expect_json ".share.name == \"s1\" and .share.comment == \"share s1\"" &&
	expect_json ".share.id | test(\"^[0-9a-f-]{36}$\")"
'

test_expect_success 'a share not granted is a 404 like a missing one' '
	api -t "$R1" GET /shares/s4 &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "share '\''s4'\'' not found" &&
	cp resp.body s4.json &&
	api -t "$R1" GET /shares/nosuch &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "share '\''nosuch'\'' not found" &&
	for p in schemas all-tables schemas/a/tables; do
		api -t "$R1" GET /shares/s4/$p &&
		expect_error 404 RESOURCE_DOES_NOT_EXIST "share" || return 1
	done
'

test_expect_success 'list schemas echoes the share as spelled' '
	api -t "$R1" GET /shares/S1/schemas && expect_status 200 &&
	expect_json ".items == [{\"name\":\"a\",\"share\":\"S1\"},{\"name\":\"b\",\"share\":\"S1\"}]"
'

test_expect_success 'empty containers: no items key' '
	api -t "$R1" GET /shares/s3/schemas && expect_status 200 &&
	test "$(body)" = "{}" &&
	api -t "$R1" GET /shares/s2/schemas/c/tables && expect_status 200 &&
	test "$(body)" = "{}" &&
	api -t "$R1" GET /shares/s3/all-tables && expect_status 200 &&
	test "$(body)" = "{}"
'

test_expect_success 'list tables: names, aliases, share and schema as spelled' '
	api -t "$R1" GET /shares/s1/schemas/A/tables && expect_status 200 &&
	expect_json "[.items[].name] == [\"t1\",\"Second\"]" &&
	expect_json "all(.items[]; .schema == \"A\" and .share == \"s1\")" &&
	expect_json "all(.items[]; (.id | length) == 36 and (.shareId | length) == 36)" &&
	api -t "$R1" GET /shares/s1 && sid=$(jget .share.id) &&
	api -t "$R1" GET /shares/s1/schemas/A/tables &&
	expect_json "all(.items[]; .shareId == \"$sid\")"
'

test_expect_success 'unknown schema is a 404' '
	api -t "$R1" GET /shares/s1/schemas/zz/tables &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "schema '\''zz'\'' not found"
'

test_expect_success 'all-tables flattens schemas in order' '
	api -t "$R1" GET /shares/s1/all-tables && expect_status 200 &&
	expect_json "[.items[] | .schema + \".\" + .name] == [\"a.t1\",\"a.Second\",\"b.t3\"]" &&
	expect_json "all(.items[]; .share == \"s1\")"
'

test_expect_success 'table ids are stable across calls and lists' '
	api -t "$R1" GET /shares/s1/schemas/a/tables && jget ".items[].id" >ids1 &&
	api -t "$R1" GET /shares/s1/all-tables && jget ".items[0:2][].id" >ids2 &&
	test_cmp ids1 ids2
'

# Paging: walk each list one item at a time and compare with the full list.
walk() {
	_path=$1
	api -t "$R1" GET "$_path" && jget "[.items[]?] | tojson" >full &&
	: >paged && tok= &&
	while :; do
		api -t "$R1" GET "$_path?maxResults=1${tok:+&pageToken=$tok}" &&
		expect_status 200 &&
		jget "(.items // [])[] | tojson" >>paged &&
		tok=$(jget ".nextPageToken // empty") &&
		[ -n "$tok" ] || break
	done &&
	jq -c ".[]" full >full.lines && test_cmp full.lines paged
}

test_expect_success 'paging with maxResults=1 walks every list' '
	walk /shares &&
	walk /shares/s1/schemas &&
	walk /shares/s1/schemas/a/tables &&
	walk /shares/s1/all-tables
'

test_expect_success 'maxResults=0 gives no items but a token' '
	api -t "$R1" GET "/shares?maxResults=0" && expect_status 200 &&
	expect_json "(has(\"items\") | not) and (.nextPageToken | length) > 0"
'

test_expect_success 'maxResults out of range or not a number' '
	for v in -1 501 2147483648; do
		api -t "$R1" GET "/shares?maxResults=$v" || return 1
		case $v in
		2147483648) expect_error 400 INVALID_PARAMETER_VALUE "expected a number" ;;
		*) expect_error 400 INVALID_PARAMETER_VALUE "Acceptable values of '\''maxResults'\'' are 0 to 500, inclusive. (Default: 500)" ;;
		esac || return 1
	done &&
	api -t "$R1" GET "/shares?maxResults=abc" &&
	expect_error 400 INVALID_PARAMETER_VALUE "expected a number but the string didn'\''t have the appropriate format" &&
	api -t "$R1" GET "/shares?maxResults=" &&
	expect_error 400 INVALID_PARAMETER_VALUE "expected a number" &&
	api -t "$R1" GET "/shares?maxResults=1&maxResults=2" &&
	expect_error 400 INVALID_PARAMETER_VALUE "more than once"
'

test_expect_success 'forged, altered and foreign page tokens are 400' '
	api -t "$R1" GET "/shares/s1/schemas?maxResults=1" &&
	tok=$(jget .nextPageToken) &&
	for bad in garbage "${tok}x" "$(echo "$tok" | tr "A-Za-z" "B-ZAb-za")" ":" "a1b"; do
		api -t "$R1" GET "/shares/s1/schemas?pageToken=$bad" &&
		expect_error 400 INVALID_PARAMETER_VALUE "invalid '\''nextPageToken'\''" || return 1
	done &&
	api -t "$R1" GET "/shares/s2/schemas?pageToken=$tok" &&
	expect_error 400 INVALID_PARAMETER_VALUE "nextPageToken" &&
	api -t "$R1" GET "/shares/s1/all-tables?pageToken=$tok" &&
	expect_error 400 INVALID_PARAMETER_VALUE "nextPageToken" &&
	api -t "$R1" GET "/shares?maxResults=1" && stok=$(jget .nextPageToken) &&
	api -t "$R2" GET "/shares?pageToken=$stok" &&
	expect_error 400 INVALID_PARAMETER_VALUE "nextPageToken"
'

test_expect_success 'a missing share or schema is 404 before a bad maxResults or pageToken' '
	api -t "$R1" GET "/shares/nope/schemas?maxResults=abc" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "share" &&
	api -t "$R1" GET "/shares/s1/schemas/nope/tables?pageToken=garbage" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "schema" &&
	api -t "$R1" GET "/shares/s4/all-tables?maxResults=-1" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "share" &&
	api -t "$R1" GET "/shares/s1/schemas/a/tables?maxResults=-1" &&
	expect_error 400 INVALID_PARAMETER_VALUE "maxResults"
'

test_expect_success 'a page token of one list is refused by another of the same share' '
	api -t "$R1" GET "/shares/s1/schemas/a/tables?maxResults=1" &&
	tok=$(jget .nextPageToken) &&
	api -t "$R1" GET "/shares/s1/schemas/b/tables?pageToken=$tok" &&
	expect_error 400 INVALID_PARAMETER_VALUE "nextPageToken" &&
	api -t "$R1" GET "/shares/s1/schemas/a/tables?pageToken=$tok" &&
	expect_status 200 && expect_json "[.items[].name] == [\"Second\"]"
'

test_expect_success 'an empty pageToken is the first page' '
	api -t "$R1" GET "/shares?pageToken=" && expect_status 200 &&
	expect_json "(.items | length) == 3"
'

test_expect_success 'revoking a grant hides the share at once' '
	api -t "$ADMIN_TOKEN" DELETE /admin/shares/s2/recipients/r1 &&
	expect_status 204 &&
	api -t "$R1" GET /shares && expect_json "[.items[].name] == [\"s1\",\"s3\"]" &&
	api -t "$R1" GET /shares/s2/schemas && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'discovery needs a recipient token: admin token is 401' '
	api -t "$ADMIN_TOKEN" GET /shares &&
	expect_error 401 UNAUTHENTICATED &&
	test -n "$(header WWW-Authenticate)"
'

test_done
