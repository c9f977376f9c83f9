#!/bin/sh
# t1001-auth-keys: RS256 and ES256 instead of HS256: tokens issued and
# verified with configured keys; HS256 tokens keyed with the public key
# (algorithm confusion) refused; keys checked at start-up.

. "$(dirname "$0")/lib-ds.sh"

command -v openssl >/dev/null || test_skip_all "openssl command not installed"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null &&
openssl pkey -in rsa.key -pubout -out rsa.pub &&
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2.key 2>/dev/null &&
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key 2>/dev/null &&
openssl pkey -in rsa1024.key -pubout -out rsa1024.pub &&
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key &&
openssl pkey -in ec.key -pubout -out ec.pub &&
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec384.key &&
openssl pkey -in ec384.key -pubout -out ec384.pub ||
	test_skip_all "cannot generate keys"
chmod 600 ./*.key

ds_start "[auth]
algorithm = RS256
public_key_file = $TRASH/rsa.pub
private_key_file = $TRASH/rsa.key"

FORGE="python3 $DS_SRC_DIR/t/helper/jwt-forge.py"
command -v python3 >/dev/null && test_set_prereq PYTHON

alg_of() {
	echo "$1" | cut -d. -f1 | tr "_-" "/+" | base64 -d 2>/dev/null | jq -r .alg
}

test_expect_success 'RS256: login and recipient tokens are RS256 and work' '
	test "$(alg_of "$ADMIN_TOKEN")" = RS256 &&
	DS_TOKEN=$ADMIN_TOKEN && make_recipient r1 &&
	test "$(alg_of "$RCP_TOKEN")" = RS256 &&
	api -t "$RCP_TOKEN" GET /shares && expect_status 200 &&
	echo "$RCP_TOKEN" >r1.token
'
R1=$(cat r1.token)

# auth_keys: "HITS MISSES TOKEN-HITS" of the verification key cache and
# of the token cache, from the metrics (an RS256 admin token is verified
# for that too).
auth_keys() {
	api -t "$ADMIN_TOKEN" GET /admin/metrics && expect_status 200 &&
	echo "$(metric_value 'deltashare_cache_lookups_total{cache="auth_key",result="hit"}')" \
	    "$(metric_value 'deltashare_cache_lookups_total{cache="auth_key",result="miss"}')" \
	    "$(metric_value 'deltashare_cache_lookups_total{cache="token",result="hit"}')"
}

# The workers parse the public key once, when they read the
# configuration, never for a token (a parse counts as a miss); a token
# they verified already is a hit of their token cache instead.
test_expect_success 'RS256: tokens are verified with the key parsed at start' '
	before=$(auth_keys) &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		api -t "$R1" GET /shares && expect_status 200 || return 1
	done &&
	after=$(auth_keys) &&
	echo "auth_key hits and misses, token hits: $before, then $after" &&
	set -- $before $after &&
	test $(($4 + $6)) -ge $(($1 + $3 + 11)) && test "$5" = "$2"
'
JTI=$(echo "$R1" | cut -d. -f2 | tr "_-" "/+" | base64 -d 2>/dev/null | jq -r .jti)
NOW=$(date +%s)
CLAIMS="{\"iss\":\"deltashare\",\"aud\":\"deltashare-recipient\",\"jti\":\"$JTI\",\"exp\":$((NOW + 600))}"

test_expect_success PYTHON 'HS256 keyed with the RSA public key is refused' '
	for mac in HS256-raw HS256; do
		for alg in HS256 RS256; do
			T=$($FORGE $mac rsa.pub "{\"alg\":\"$alg\"}" "$CLAIMS") &&
			api -t "$T" GET /shares &&
			expect_error 401 UNAUTHENTICATED || return 1
		done
	done
'

test_expect_success 'RS256 signatures: malleated or from another key' '
	for suffix in "." "=" "!!" "A" "AA"; do
		api -t "$R1$suffix" GET /shares &&
		expect_error 401 UNAUTHENTICATED || { echo "suffix $suffix" >&2; return 1; }
	done &&
	h=$(echo "$R1" | cut -d. -f1) && p=$(echo "$R1" | cut -d. -f2) &&
	s=$(printf %s "$h.$p" | openssl dgst -sha256 -sign rsa2.key -binary |
	    base64 -w0 | tr "+/" "-_" | tr -d =) &&
	api -t "$h.$p.$s" GET /shares && expect_error 401 UNAUTHENTICATED "invalid token" &&
	s=$(printf %s "$h.$p" | openssl dgst -sha256 -sign rsa.key -binary |
	    base64 -w0 | tr "+/" "-_" | tr -d =) &&
	api -t "$h.$p.$s" GET /shares && expect_status 200
'

switch_keys() {
	lighttpd_stop &&
	sed -i -e "s|^algorithm = .*|algorithm = $1|" \
	    -e "s|^public_key_file = .*|public_key_file = $TRASH/$2|" \
	    -e "s|^private_key_file = .*|private_key_file = $TRASH/$3|" "$DS_CONF" &&
	lighttpd_start
}

# Rotation to a key of another size: the old public key, named as
# auth.previous_public_key_file, still verifies the tokens it signed.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rsa3.key \
    2>/dev/null && chmod 600 rsa3.key &&
openssl pkey -in rsa3.key -pubout -out rsa3.pub || bail "cannot make rsa3.key"
sed -i "/^public_key_file = /a previous_public_key_file = $TRASH/rsa.pub" \
    "$DS_CONF"
switch_keys RS256 rsa3.pub rsa3.key || bail "cannot restart with rsa3.key"

test_expect_success 'RS256 rotation: new tokens from the new key, old ones still verify' '
	api -t "$R1" GET /shares && expect_status 200 &&
	ds_login admin "$ADMIN_PASSWORD" && A=$DS_TOKEN &&
	test "$(alg_of "$A")" = RS256 &&
	sig=$(echo "$A" | cut -d. -f3) &&
	test $(printf %s "$sig" | wc -c) = 512 &&
	api -t "$A" POST /admin/recipients/r1/tokens "{}" && expect_status 201 &&
	jget .profile.bearerToken >r1-new.token &&
	api -t "$(cat r1-new.token)" GET /shares && expect_status 200
'

sed -i "/^previous_public_key_file = /d" "$DS_CONF"
switch_keys RS256 rsa3.pub rsa3.key || bail "cannot restart with rsa3.key"

test_expect_success 'RS256 rotation: without the previous key, old tokens are refused' '
	api -t "$R1" GET /shares && expect_error 401 UNAUTHENTICATED "invalid token" &&
	api -t "$(cat r1-new.token)" GET /shares && expect_status 200
'

switch_keys ES256 ec.pub ec.key || bail "cannot restart with ES256 keys"

test_expect_success 'ES256: tokens issued and verified' '
	api -t "$R1" GET /shares && expect_error 401 UNAUTHENTICATED &&
	ds_login admin "$ADMIN_PASSWORD" && A=$DS_TOKEN &&
	test "$(alg_of "$A")" = ES256 &&
	api -t "$A" POST /admin/recipients/r1/tokens "{}" && expect_status 201 &&
	T=$(jget .profile.bearerToken) &&
	api -t "$T" GET /shares && expect_status 200 &&
	sig=$(echo "$T" | cut -d. -f3) &&
	test $(printf %s "$sig" | wc -c) = 86
'

test_expect_success PYTHON 'ES256: HS256 keyed with the EC public key is refused' '
	T=$($FORGE HS256-raw ec.pub "{\"alg\":\"HS256\"}" "$CLAIMS") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED &&
	T=$($FORGE HS256-raw ec.pub "{\"alg\":\"ES256\"}" "$CLAIMS") &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED
'

sed -i "s|^private_key_file = .*||" "$DS_CONF"
lighttpd_stop
lighttpd_start || bail "cannot restart without a private key"

test_expect_success 'verification-only keys cannot issue tokens: clear 400' '
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_error 400 UNSUPPORTED_OPERATION "private_key_file"
'

check_conf() {
	sed -e "s|^algorithm = .*|algorithm = $1|" \
	    -e "s|^public_key_file = .*|public_key_file = ${2:+$TRASH/$2}|" \
	    "$DS_CONF" >bad.ini &&
	echo "private_key_file = $3" >>bad.ini &&
	test_must_fail "$DS_BIN" -f bad.ini -n 2>err
}

test_expect_success 'wrong keys stop start-up with a clear message' '
	check_conf RS256 ec.pub "" && grep -q "RS256 needs an RSA key" err &&
	check_conf RS256 rsa1024.pub "" && grep -q "2048" err &&
	check_conf ES256 rsa.pub "" && grep -q "P-256" err &&
	check_conf ES256 ec384.pub "" && grep -q "P-256" err &&
	check_conf RS256 nosuch.pub "" && grep -q "cannot open" err &&
	check_conf RS256 deltashare.ini "" && grep -q "not a PEM" err &&
	check_conf RS256 rsa.pub "$TRASH/ec.key" && grep -q "RSA" err &&
	check_conf RS256 "" "" && grep -q "requires auth.public_key_file" err &&
	sed "/^public_key_file = /a previous_public_key_file = $TRASH/ec.pub" \
	    "$DS_CONF" >prev.ini &&
	sed -i "s|^algorithm = .*|algorithm = RS256|; s|^public_key_file = .*|public_key_file = $TRASH/rsa.pub|" prev.ini &&
	test_must_fail "$DS_BIN" -f prev.ini -n 2>err &&
	grep -q "RS256 needs an RSA key" err &&
	sed -i "s|^previous_public_key_file = .*|previous_public_key_file = $TRASH/deltashare.ini|" prev.ini &&
	test_must_fail "$DS_BIN" -f prev.ini -n 2>err &&
	grep -q "auth.previous_public_key_file is not a PEM public key" err
'

test_done
