#!/bin/sh
# t7000-admin-accounts: admin login (yescrypt, throttling shared by all
# workers), logout, accounts over the API and with "deltashare passwd".

. "$(dirname "$0")/lib-ds.sh"
ds_start "[auth]
login_max_failures = 3
login_lockout = 30"

test_expect_success 'login returns an admin profile' '
	api -t "" POST /admin/login "{\"account\":\"ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_status 200 &&
	expect_json ".profile.shareCredentialsVersion == 1" &&
	expect_json ".profile.endpoint == \"$DS_URL\"" &&
	expect_json ".profile.expirationTime | test(\"^[0-9-]{10}T[0-9:.]{12}Z$\")" &&
	expect_json ".profile.bearerToken | split(\".\") | length == 3" &&
	test "$(header Cache-Control)" = no-store
'

test_expect_success 'passwords are stored as yescrypt hashes only' '
	pg_sql "SELECT password_hash FROM account" >hashes &&
	grep -q "^\$y\\$" hashes && ! grep -q "$ADMIN_PASSWORD" hashes
'

test_expect_success 'wrong password and unknown account look alike: 401' '
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"wrong-password\"}" &&
	expect_error 401 UNAUTHENTICATED "invalid account or password" &&
	cp resp.body a.json &&
	api -t "" POST /admin/login "{\"account\":\"ghost\",\"password\":\"wrong-password\"}" &&
	expect_error 401 UNAUTHENTICATED &&
	test_cmp a.json resp.body
'

test_expect_success 'bad login bodies are 400, and huge passwords are not hashed' '
	api -t "" POST /admin/login "{\"account\":\"admin\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "password" &&
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$(printf %02000d 0)\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "too long"
'

test_expect_success 'lockout after login_max_failures, for everybody, with Retry-After' '
	for i in 1 2 3; do
		api -t "" POST /admin/login "{\"account\":\"victim\",\"password\":\"nope-nope-$i\"}" &&
		expect_status 401 || return 1
	done &&
	api -t "" POST /admin/login "{\"account\":\"victim\",\"password\":\"nope-nope\"}" &&
	expect_error 429 REQUEST_LIMIT_EXCEEDED &&
	ra=$(header Retry-After) && test "$ra" -ge 1 && test "$ra" -le 30
'

test_expect_success 'a locked account refuses even the right password' '
	printf "%s\n" "victim-password" | ds passwd victim &&
	api -t "" POST /admin/login "{\"account\":\"victim\",\"password\":\"victim-password\"}" &&
	expect_error 429 REQUEST_LIMIT_EXCEEDED &&
	pg_sql "UPDATE login_throttle SET locked_until = now() - interval '\''1 second'\''" &&
	api -t "" POST /admin/login "{\"account\":\"victim\",\"password\":\"victim-password\"}" &&
	expect_status 200 &&
	test "$(pg_sql "SELECT count(*) FROM login_throttle WHERE name_key = '\''victim'\''")" = 0
'

test_expect_success 'accounts: create, get, list, change password, delete' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api POST /admin/accounts "{\"name\":\"ops\",\"password\":\"short\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "at least 8" &&
	api POST /admin/accounts "{\"name\":\"ops\",\"password\":\"ops-password-1\"}" &&
	expect_status 201 && expect_json ".name == \"ops\" and (has(\"password\") | not)" &&
	! grep -q password_hash resp.body &&
	api POST /admin/accounts "{\"name\":\"OPS\",\"password\":\"ops-password-1\"}" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS &&
	api GET /admin/accounts && expect_json "[.items[].name] == [\"admin\",\"victim\",\"ops\"]" &&
	api GET /admin/accounts/ops && expect_json ".name == \"ops\"" &&
	ds_login ops ops-password-1 && OPS=$DS_TOKEN && DS_TOKEN=$ADMIN_TOKEN &&
	api PATCH /admin/accounts/ops "{\"password\":\"ops-password-2\"}" &&
	expect_status 200 &&
	api -t "" POST /admin/login "{\"account\":\"ops\",\"password\":\"ops-password-1\"}" &&
	expect_status 401 &&
	ds_login ops ops-password-2 && DS_TOKEN=$ADMIN_TOKEN &&
	api DELETE /admin/accounts/ops && expect_status 204 &&
	api -t "$OPS" GET /admin/shares && expect_error 401 UNAUTHENTICATED
'

test_expect_success 'the last account cannot be deleted' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api DELETE /admin/accounts/victim && expect_status 204 &&
	api DELETE /admin/accounts/admin &&
	expect_error 409 RESOURCE_CONFLICT "last admin account" &&
	api DELETE /admin/accounts/nobody && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'logout revokes the token it was called with' '
	ds_login admin "$ADMIN_PASSWORD" && T=$DS_TOKEN &&
	api -t "$T" POST /admin/logout "" && expect_status 204 &&
	api -t "$T" GET /admin/shares && expect_error 401 UNAUTHENTICATED "revoked" &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_status 200 &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit?objectType=account" &&
	expect_json "[.items[].action] | index(\"account.logout\") != null"
'

test_expect_success 'a new password ends the other sessions of that account' '
	ds_login admin "$ADMIN_PASSWORD" && S1=$DS_TOKEN &&
	ds_login admin "$ADMIN_PASSWORD" && S2=$DS_TOKEN &&
	api -t "$S1" PATCH /admin/accounts/admin "{\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_status 200 &&
	api -t "$S1" GET /admin/shares && expect_status 200 &&
	api -t "$S2" GET /admin/shares && expect_error 401 UNAUTHENTICATED "revoked" &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_error 401 UNAUTHENTICATED &&
	printf "%s\n" "$ADMIN_PASSWORD" | ds passwd admin >/dev/null &&
	api -t "$S1" GET /admin/shares && expect_error 401 UNAUTHENTICATED "revoked"
'

test_expect_success 'deltashare passwd: policy and audit' '
	printf "short\n" | test_must_fail ds passwd someone 2>err &&
	grep -q "at least 8" err &&
	printf "" | test_must_fail ds passwd someone &&
	printf "long-enough-pw\n" | ds passwd someone >out &&
	grep -q "created account" out &&
	printf "long-enough-pw2\n" | ds passwd someone >out &&
	grep -q "set password" out &&
	printf "long-enough-pw\n" | test_must_fail ds passwd "a b" 2>err &&
	grep -q "account name must not contain" err &&
	test "$(pg_sql "SELECT count(*) FROM audit WHERE actor = '\''cli'\'' AND object_name = '\''someone'\''")" = 2
'

test_expect_success 'logins are audited, with no secrets' '
	ds_login admin "$ADMIN_PASSWORD" && ADMIN_TOKEN=$DS_TOKEN &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit?actor=admin&objectType=account" &&
	expect_json "[.items[].action] | index(\"account.login\") != null" &&
	! grep -q "$ADMIN_PASSWORD" resp.body && ! grep -q "\\$y\\$" resp.body
'

test_expect_success 'no password or token reached the logs' '
	ds_login admin "$ADMIN_PASSWORD" && ADMIN_TOKEN=$DS_TOKEN &&
	! grep -r -q -e "$ADMIN_PASSWORD" -e "ops-password" -e "$ADMIN_TOKEN" \
	    "$HTTPD_DIR"/*.log "$PGSOCK/pg.log"
'

test_done
