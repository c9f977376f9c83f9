#!/bin/sh
# t2001-names: names that look like SQL, need percent-encoding, or are
# not ASCII, end to end: created through the admin API, found through
# discovery with the spelling and encoding clients use, and never able to
# change the catalog they were not meant to.

. "$(dirname "$0")/lib-ds.sh"
ds_start

DS_TOKEN=$ADMIN_TOKEN
enc() { jq -rn --arg s "$1" '$s | @uri'; }

cat >names <<'EOF'
x';DROP--
o'brien
a%b
a+b
100%_done
données
日本語
a\b
E=mc²
EOF

test_expect_success 'odd but valid names can be created' '
	make_recipient r && echo "$RCP_TOKEN" >r.token &&
	while IFS= read -r n; do
		api POST /admin/shares "$(jq -cn --arg n "$n" "{name: \$n}")" &&
		expect_status 201 &&
		api POST "/admin/shares/$(enc "$n")/schemas" \
		    "$(jq -cn --arg n "$n" "{name: \$n}")" &&
		expect_status 201 &&
		api POST "/admin/shares/$(enc "$n")/recipients" "{\"recipient\":\"r\"}" &&
		expect_status 201 || { echo "name $n" >&2; return 1; }
	done <names &&
	test "$(pg_sql "SELECT count(*) FROM share")" = 9
'
R=$(cat r.token)

test_expect_success 'each is found by its percent-encoded name' '
	while IFS= read -r n; do
		api -t "$R" GET "/shares/$(enc "$n")" && expect_status 200 &&
		jq -e --arg n "$n" ".share.name == \$n" resp.body >/dev/null ||
		{ echo "name $n" >&2; return 1; }
	done <names
'

test_expect_success 'listing returns them byte for byte' '
	api -t "$R" GET /shares && jq -r ".items[].name" resp.body >listed &&
	test_cmp names listed &&
	api -t "$R" GET "/shares/$(enc "a%b")/schemas" &&
	jq -e ".items == [{\"name\":\"a%b\",\"share\":\"a%b\"}]" resp.body
'

test_expect_success 'SQL-looking names changed nothing else' '
	test "$(pg_sql "SELECT count(*) FROM share")" = 9 &&
	test "$(pg_sql "SELECT count(*) FROM recipient")" = 1 &&
	api -t "$R" GET "/shares/$(enc "x'"'"'OR'"'"'1'"'"'='"'"'1")" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api -t "$R" GET "/shares/$(enc "%")" && expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api -t "$R" GET "/shares/$(enc "_")" && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'LIKE wildcards are literal' '
	api -t "$R" GET "/shares/$(enc "100%_done")" && expect_status 200 &&
	api -t "$R" GET "/shares/$(enc "1000_done")" && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'ASCII case folds; other letters do not' '
	api -t "$R" GET "/shares/X%27%3BdRoP--" && expect_status 200 &&
	api -t "$R" GET "/shares/$(enc "DONNéES")" && expect_status 200 &&
	api -t "$R" GET "/shares/$(enc "DONNÉES")" && expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api POST /admin/shares "{\"name\":\"O'\''BRIEN\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS
'

test_expect_success 'Unicode look-alikes are different names' '
	api -t "$R" GET "/shares/$(enc "ｄonnées")" && expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api POST /admin/shares "{\"name\":\"a\\uff0eb\"}" && expect_status 201 &&
	api POST /admin/shares/x/schemas "{\"name\":\"a\\uff0eb\"}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success '255 characters (not bytes) is the limit' '
	n255=$(printf "é%.0s" $(seq 255)) &&
	api POST /admin/shares "$(jq -cn --arg n "$n255" "{name: \$n}")" &&
	expect_status 201 &&
	api GET "/admin/shares/$(enc "$n255")" && expect_status 200 &&
	api GET "/admin/shares/$(enc "${n255}é")" &&
	expect_error 400 INVALID_PARAMETER_VALUE "longer than 255"
'

test_expect_success 'a space arrives as %20 or + and is refused' '
	api -t "$R" GET "/shares/a%20b" && expect_error 400 INVALID_PARAMETER_VALUE "'\'' '\''" &&
	api -t "$R" GET "/shares/a+b" && expect_status 200
'

test_expect_success 'the database saw no syntax errors' '
	! grep -q "syntax error" "$PGSOCK/pg.log"
'

test_done
