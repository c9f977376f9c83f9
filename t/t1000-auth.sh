#!/bin/sh
# t1000-auth: bearer tokens on every route: missing, malformed, forged,
# expired, revoked, wrong audience, other recipient, alg:none and friends,
# claim checks, and the Authorization size cap (security-notes §1.4 A).

. "$(dirname "$0")/lib-ds.sh"
ds_start "[server]
max_auth_header = 2048"

FORGE="python3 $DS_SRC_DIR/t/helper/jwt-forge.py"
command -v python3 >/dev/null && test_set_prereq PYTHON

# Every route, with arguments that exist.
cat >routes <<'EOF2'
R GET /shares
R GET /shares/s1
R GET /shares/s1/schemas
R GET /shares/s1/schemas/a/tables
R GET /shares/s1/all-tables
A POST /admin/logout
A GET /admin/accounts
A POST /admin/accounts
A GET /admin/accounts/admin
A PATCH /admin/accounts/admin
A DELETE /admin/accounts/admin
A GET /admin/shares
A POST /admin/shares
A GET /admin/shares/s1
A PATCH /admin/shares/s1
A DELETE /admin/shares/s1
A GET /admin/shares/s1/schemas
A POST /admin/shares/s1/schemas
A GET /admin/shares/s1/schemas/a
A DELETE /admin/shares/s1/schemas/a
A GET /admin/shares/s1/schemas/a/tables
A POST /admin/shares/s1/schemas/a/tables
A DELETE /admin/shares/s1/schemas/a/tables/t1
A GET /admin/shares/s1/recipients
A POST /admin/shares/s1/recipients
A DELETE /admin/shares/s1/recipients/r1
A GET /admin/tables
A POST /admin/tables
A GET /admin/tables/t1
A PATCH /admin/tables/t1
A DELETE /admin/tables/t1
A GET /admin/recipients
A POST /admin/recipients
A GET /admin/recipients/r1
A PATCH /admin/recipients/r1
A DELETE /admin/recipients/r1
A GET /admin/recipients/r1/tokens
A POST /admin/recipients/r1/tokens
A DELETE /admin/recipients/r1/tokens/00000000-0000-4000-8000-000000000000
A GET /admin/audit
EOF2

# expect_all KIND TOKEN STATUS [MESSAGE]: every route of KIND (R, A or
# RA) answers STATUS (and the 401 carries WWW-Authenticate).
expect_all() {
	while read -r kind method path; do
		case $1 in *$kind*) ;; *) continue ;; esac
		case $method in
		POST|PATCH) api -t "$2" "$method" "$path" "{}" ;;
		*) api -t "$2" "$method" "$path" ;;
		esac || return 1
		if [ "$3" = 401 ]; then
			expect_error 401 UNAUTHENTICATED "$4" &&
			header WWW-Authenticate | grep -q "^Bearer " || {
				echo "for $method $path" >&2; return 1; }
		else
			expect_status "$3" || { echo "for $method $path" >&2; return 1; }
		fi
	done <routes
}

test_expect_success 'set up a share, a table and two recipients' '
	DS_TOKEN=$ADMIN_TOKEN &&
	make_table_dir t1 &&
	api POST /admin/tables "{\"name\":\"t1\",\"location\":\"$TRASH/tables/t1\"}" &&
	api POST /admin/shares "{\"name\":\"s1\"}" &&
	api POST /admin/shares/s1/schemas/a/tables "{\"table\":\"t1\"}" &&
	expect_status 201 &&
	make_recipient r1 && echo "$RCP_TOKEN" >r1.token &&
	api POST /admin/shares/s1/recipients "{\"recipient\":\"r1\"}" &&
	make_recipient r2 && echo "$RCP_TOKEN" >r2.token
'
R1=$(cat r1.token)
R2=$(cat r2.token)

test_expect_success 'the right tokens open their routes' '
	expect_all R "$R1" 200 &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_status 200
'

test_expect_success 'no token: 401 everywhere' '
	expect_all RA "" 401 "missing bearer token"
'

test_expect_success 'credentials come before names: no token and a bad name is 401' '
	api -t "" GET "/shares/a%20b" && expect_error 401 UNAUTHENTICATED &&
	api -t "" GET "/admin/shares/a%2Fb" && expect_error 401 UNAUTHENTICATED &&
	api -t "$R1" GET "/shares/a%20b" && expect_error 400 INVALID_PARAMETER_VALUE
'

test_expect_success 'malformed Authorization values: 401 everywhere' '
	for t in "abc" "a.b" "a.b.c.d" "a..c" ".b.c" "a.b." "a.b.c=" "a.b.c!!" \
	    "$R1." "$R1=" "$R1 x"; do
		expect_all RA "$t" 401 || { echo "token $t" >&2; return 1; }
	done
'

test_expect_success 'other schemes and a token in the query are refused' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Basic $R1" \
	    "$DS_URL/shares" >resp.status &&
	expect_error 401 UNAUTHENTICATED "Bearer scheme" &&
	q=$(echo "$R1" | cut -d. -f1-2).c2lnbmF0dXJl &&
	curl -s -o resp.body -w "%{http_code}" "$DS_URL/shares?access_token=$q" \
	    >resp.status && expect_error 401 UNAUTHENTICATED "missing"
'

test_expect_success 'the scheme name is case-insensitive' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: bearer $R1" \
	    "$DS_URL/shares" >resp.status && expect_status 200 &&
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: BEARER  $R1" \
	    "$DS_URL/shares" >resp.status && expect_status 200
'

test_expect_success 'two Authorization headers are refused' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Bearer $R1" \
	    -H "Authorization: Bearer $R2" "$DS_URL/shares" >resp.status &&
	expect_error 401 UNAUTHENTICATED
'

test_expect_success 'wrong audience: admin token on sharing routes and back' '
	expect_all R "$ADMIN_TOKEN" 401 "not valid for this API" &&
	expect_all A "$R1" 401 "not valid for this API"
'

test_expect_success 'another recipient gets 404 for shares it lacks' '
	api -t "$R2" GET /shares && expect_status 200 && test "$(body)" = "{}" &&
	for p in /shares/s1 /shares/s1/schemas /shares/s1/schemas/a/tables \
	    /shares/s1/all-tables; do
		api -t "$R2" GET $p &&
		expect_error 404 RESOURCE_DOES_NOT_EXIST "share '\''s1'\'' not found" ||
		return 1
	done
'

# A valid jti to put in forged tokens.
JTI=$(echo "$R1" | cut -d. -f2 | tr "_-" "/+" | base64 -d 2>/dev/null | jq -r .jti)
NOW=$(date +%s)
claims() {
	printf '{"iss":"deltashare","aud":"deltashare-recipient","sub":"r1","jti":"%s","iat":%s,"exp":%s%s}' \
	    "$JTI" "$NOW" "$((NOW + 3600))" "$1"
}

test_expect_success PYTHON 'a token forged with the real secret is accepted (control)' '
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" "$(claims)") &&
	api -t "$T" GET /shares && expect_status 200
'

test_expect_success PYTHON 'alg none in every spelling is refused' '
	for alg in none None NONE nOnE; do
		for mac in none junk HS256; do
			T=$($FORGE $mac "$TRASH/jwt.secret" "{\"alg\":\"$alg\"}" "$(claims)") &&
			expect_all R "$T" 401 || { echo "alg $alg mac $mac" >&2; return 1; }
		done
	done
'

test_expect_success PYTHON 'other algorithms and wrong keys are refused' '
	for mac in HS384 HS512; do
		T=$($FORGE $mac "$TRASH/jwt.secret" "{\"alg\":\"$mac\"}" "$(claims)") &&
		api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED || return 1
	done &&
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"hs256\"}" "$(claims)") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED &&
	T=$($FORGE HS256 "$TRASH/server.secret" "{\"alg\":\"HS256\"}" "$(claims)") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED "invalid token" &&
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\",\"crit\":[\"x\"]}" "$(claims)") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED &&
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\",\"typ\":\"XYZ\"}" "$(claims)") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED
'

forged() {
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\"}" "$1") &&
	api -t "$T" GET /shares
}

test_expect_success PYTHON 'claims are checked: exp, nbf, iat, iss, aud, jti' '
	forged "$(claims | sed "s/\"exp\":[0-9]*/\"exp\":$((NOW - 3600))/")" &&
	expect_error 401 UNAUTHENTICATED "expired" &&
	forged "$(claims | sed "s/,\"exp\":[0-9]*//")" &&
	expect_error 401 UNAUTHENTICATED "exp" &&
	forged "$(claims | sed "s/\"exp\":\([0-9]*\)/\"exp\":\"\1\"/")" &&
	expect_error 401 UNAUTHENTICATED "integer" &&
	forged "$(claims | sed "s/\"exp\":\([0-9]*\)/\"exp\":\1.5/")" &&
	expect_error 401 UNAUTHENTICATED "integer" &&
	forged "$(claims | sed "s/\"exp\":[0-9]*/\"exp\":99999999999999999999999/")" &&
	expect_error 401 UNAUTHENTICATED &&
	forged "$(claims ",\"nbf\":$((NOW + 3600))")" &&
	expect_error 401 UNAUTHENTICATED "not yet valid" &&
	forged "$(claims | sed "s/\"iat\":[0-9]*/\"iat\":$((NOW + 3600))/")" &&
	expect_error 401 UNAUTHENTICATED "future" &&
	forged "$(claims | sed "s/\"iss\":\"deltashare\"/\"iss\":\"evil\"/")" &&
	expect_error 401 UNAUTHENTICATED "issuer" &&
	forged "$(claims | sed "s/,\"aud\":\"deltashare-recipient\"//")" &&
	expect_error 401 UNAUTHENTICATED "not valid for this API" &&
	forged "$(claims | sed "s/\"aud\":\"deltashare-recipient\"/\"aud\":[\"x\",\"deltashare-recipient\"]/")" &&
	expect_status 200 &&
	forged "$(claims | sed "s/\"jti\":\"[^\"]*\"/\"jti\":\"x'\'' OR 1=1 --\"/")" &&
	expect_error 401 UNAUTHENTICATED "jti" &&
	forged "$(claims | sed "s/\"jti\":\"[^\"]*\"/\"jti\":\"00000000-0000-4000-8000-000000000000\"/")" &&
	expect_error 401 UNAUTHENTICATED "unknown token"
'

test_expect_success PYTHON 'expired tokens: 401 on every route' '
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\"}" \
	    "$(claims | sed "s/\"exp\":[0-9]*/\"exp\":$((NOW - 3600))/")") &&
	expect_all R "$T" 401 "expired" &&
	AJ=$(echo "$ADMIN_TOKEN" | cut -d. -f2 | tr "_-" "/+" | base64 -d 2>/dev/null | jq -r .jti) &&
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\"}" \
	    "{\"iss\":\"deltashare\",\"aud\":\"deltashare-admin\",\"jti\":\"$AJ\",\"exp\":$((NOW - 3600))}") &&
	expect_all A "$T" 401 "expired"
'

test_expect_success PYTHON 'a recipient jti in an admin-audience token is refused' '
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\"}" \
	    "$(claims | sed "s/deltashare-recipient/deltashare-admin/")") &&
	api -t "$T" GET /admin/shares && expect_error 401 UNAUTHENTICATED
'

test_expect_success 'a revoked token fails on its next request, everywhere' '
	api -t "$ADMIN_TOKEN" GET /admin/recipients/r1/tokens &&
	id=$(jget ".items[0].id") &&
	api -t "$ADMIN_TOKEN" DELETE "/admin/recipients/r1/tokens/$id" &&
	expect_status 204 &&
	expect_all R "$R1" 401 "revoked"
'

test_expect_success 'a revoked token: 401 before a bad name, parameter or object' '
	T=/shares/s1/schemas/a/tables &&
	for p in "/shares/a%20b" "/shares?maxResults=abc" \
	    "/shares/nope/schemas?pageToken=garbage" \
	    "/shares/s1/schemas/nope/tables" "/shares/s1/all-tables?maxResults=-1" \
	    "$T/nope/version" "$T/t1/version?startingTimestamp=x&startingTimestamp=y" \
	    "$T/t1/metadata?version=x" "$T/t1"; do
		api -t "$R1" GET "$p" &&
		expect_error 401 UNAUTHENTICATED "revoked" || { echo "for $p" >&2; return 1; }
	done &&
	api -t "$R1" HEAD "$T/t1" && expect_status 401
'

test_expect_success 'a revoked admin token: 401 on every route' '
	ds_login admin "$ADMIN_PASSWORD" && T=$DS_TOKEN &&
	api -t "$T" POST /admin/logout "" && expect_status 204 &&
	expect_all A "$T" 401 "revoked"
'

test_expect_success 'Authorization values over server.max_auth_header are refused unread' '
	big=$(head -c 800 /dev/zero | tr "\\0" a) &&
	api -t "$big.$big.$big" GET /shares &&
	expect_error 401 UNAUTHENTICATED "too large"
'

test_expect_success 'the front end caps header size before the worker' '
	big=$(head -c 9000 /dev/zero | tr "\\0" a) &&
	api -t "$big" GET /shares && test "$(status)" = 431
'

test_expect_success 'no token reached any log' '
	! grep -r -q -e "$R1" -e "$R2" -e "$ADMIN_TOKEN" "$HTTPD_DIR"/*.log "$PGSOCK/pg.log"
'

# Rotating the HS256 key: the new one signs, the old one, named as
# auth.previous_secret_file, still verifies until it is removed.
# (lighttpd restarts at the top level: the workers read the new file.)
restart_with() {
	lighttpd_stop &&
	sed -i "/^previous_secret_file = /d" "$DS_CONF" &&
	if [ -n "$1" ]; then
		sed -i "/^secret_file = .*jwt.secret$/a previous_secret_file = $1" \
		    "$DS_CONF"
	fi &&
	lighttpd_start
}

api -t "$R2" GET /shares && expect_status 200 || bail "R2 does not work"
mv jwt.secret jwt.secret.old &&
head -c 48 /dev/urandom | base64 -w0 >jwt.secret && chmod 600 jwt.secret &&
restart_with "$TRASH/jwt.secret.old" || bail "cannot restart with a new secret"

test_expect_success 'a new JWT secret, the old one as previous: tokens issued before still work' '
	api -t "$R2" GET /shares && expect_status 200 &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_status 200 &&
	api -t "$ADMIN_TOKEN" POST /admin/recipients/r2/tokens "{}" &&
	expect_status 201 && jget .profile.bearerToken >r2-new.token &&
	api -t "$(cat r2-new.token)" GET /shares && expect_status 200 &&
	"$DS_BIN" -f "$DS_CONF" -n >out &&
	grep -q "^auth.previous_secret_file = (64 bytes, not shown)$" out
'

restart_with "" || bail "cannot restart without the previous secret"

test_expect_success 'once the previous secret is removed, only new tokens work' '
	api -t "$R2" GET /shares && expect_error 401 UNAUTHENTICATED "invalid token" &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_error 401 UNAUTHENTICATED &&
	api -t "$(cat r2-new.token)" GET /shares && expect_status 200
'

test_expect_success 'a previous secret that is too short stops start-up' '
	head -c 16 /dev/urandom | base64 -w0 >short.secret && chmod 600 short.secret &&
	sed "/^secret_file = .*jwt.secret$/a previous_secret_file = $TRASH/short.secret" \
	    "$DS_CONF" >short.ini &&
	test_must_fail "$DS_BIN" -f short.ini -n 2>err &&
	grep -q "auth.previous_secret_file" err
'

test_done
