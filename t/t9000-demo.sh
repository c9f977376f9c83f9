#!/bin/sh
# t9000-demo: "./bootstrap demo" as the README tells a sysadmin to run it,
# in a copy of this tree on a free port: it starts PostgreSQL and
# lighttpd, writes the admin credentials and a recipient profile that
# lists the demo share; running it twice is harmless; "./bootstrap stop"
# stops what it started.

. "$(dirname "$0")/test-lib.sh"

[ "$DS_BUILD_DIR" = "$DS_SRC_DIR" ] ||
	test_skip_all "the demo runs from an in-tree build (not under distcheck)"
[ -x "$DS_BUILD_DIR/src/mktable" ] || test_skip_all "src/mktable not built"
for c in curl jq lighttpd; do
	command -v $c >/dev/null 2>&1 || [ -x /usr/sbin/$c ] ||
		test_skip_all "$c not installed"
done

mkdir demo
tar -C "$DS_SRC_DIR" --exclude=./var --exclude=./.git \
    --exclude='./t/node/node_modules' -cf - . | tar -C demo -xf - ||
	test_skip_all "cannot copy the tree"
PORT=$(test_free_port)
export DEMO_PORT=$PORT
test_atexit "(cd $TRASH/demo && ./bootstrap stop)"
URL=http://127.0.0.1:$PORT/delta-sharing

test_expect_success './bootstrap demo starts everything' '
	(cd demo && ./bootstrap demo) >demo.out 2>&1 || { cat demo.out; false; } &&
	grep -q "deltashare demo is running" demo.out &&
	grep -q "./bootstrap stop" demo.out &&
	grep -q "curl -H \"Authorization: Bearer" demo.out
'

test_expect_success 'it wrote the admin credentials and a profile' '
	jq -e ".account == \"admin\" and .endpoint == \"$URL\" and (.password | length) >= 16" \
	    demo/var/demo-admin.json &&
	jq -e ".shareCredentialsVersion == 1 and .endpoint == \"$URL\" and (.bearerToken | length) > 0 and (.expirationTime | length) > 0" \
	    demo/var/demo-profile.share &&
	test "$(stat -c %a demo/var/demo-admin.json)" = 600 &&
	test "$(stat -c %a demo/var/demo-profile.share)" = 600
'

TOKEN=$(jq -r .bearerToken demo/var/demo-profile.share 2>/dev/null)

test_expect_success 'the profile lists the demo share and its table' '
	curl -s -H "Authorization: Bearer $TOKEN" "$URL/shares" >shares &&
	jq -e "[.items[].name] == [\"demo\"]" shares &&
	curl -s -H "Authorization: Bearer $TOKEN" "$URL/shares/demo/all-tables" >tables &&
	jq -e "[.items[] | .schema + \".\" + .name] == [\"default.sales\"]" tables
'

test_expect_success 'the demo table is a real partitioned Delta table' '
	ls demo/var/tables/sales/_delta_log/00000000000000000000.json &&
	test $(ls demo/var/tables/sales/_delta_log/*.json | wc -l) -ge 3 &&
	grep -q "\"partitionColumns\":\[\"" demo/var/tables/sales/_delta_log/00000000000000000000.json &&
	test -n "$(find demo/var/tables/sales -name "*.parquet" | head -n 1)" &&
	find demo/var/tables/sales -name "*.parquet" | head -n 1 | xargs tail -c 4 | grep -q PAR1
'

admin_token() {
	curl -s -X POST -d "$(jq -c "{account, password}" demo/var/demo-admin.json)" \
	    "$URL/admin/login" | jq -r .profile.bearerToken
}

test_expect_success 'a recipient without grants sees no shares' '
	A=$(admin_token) &&
	curl -s -X POST -H "Authorization: Bearer $A" -d "{}" \
	    "$URL/admin/recipients/lonely/tokens" >lonely &&
	L=$(jq -r .profile.bearerToken lonely) &&
	test "$(curl -s -H "Authorization: Bearer $L" "$URL/shares")" = "{}"
'

test_expect_success 'a revoked token gets 401 on its next request' '
	A=$(admin_token) &&
	id=$(curl -s -H "Authorization: Bearer $A" \
	    "$URL/admin/recipients/demo-recipient/tokens" | jq -r ".items[-1].id") &&
	curl -s -o /dev/null -w "%{http_code}" -X DELETE -H "Authorization: Bearer $A" \
	    "$URL/admin/recipients/demo-recipient/tokens/$id" | grep -q 204 &&
	test "$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" "$URL/shares")" = 401
'

test_expect_success 'running the demo twice is harmless (and renews the profile)' '
	(cd demo && ./bootstrap demo) >demo2.out 2>&1 || { cat demo2.out; false; } &&
	T2=$(jq -r .bearerToken demo/var/demo-profile.share) &&
	test "$T2" != "$TOKEN" &&
	curl -s -H "Authorization: Bearer $T2" "$URL/shares" | jq -e "[.items[].name] == [\"demo\"]" &&
	test "$(jq -r .password demo/var/demo-admin.json)" != "" &&
	test -n "$(admin_token)"
'

test_expect_success './bootstrap stop stops lighttpd and PostgreSQL' '
	hpid=$(cat demo/var/httpd/lighttpd.pid) &&
	ppid=$(head -n 1 demo/var/pg/postmaster.pid) &&
	(cd demo && ./bootstrap stop) >stop.out &&
	grep -q "stopped lighttpd" stop.out && grep -q "stopped PostgreSQL" stop.out &&
	! test_alive "$hpid" && ! test_alive "$ppid" &&
	! curl -s -o /dev/null "$URL/shares"
'

test_done
