#!/bin/sh
# t5200-gcs: tables in Google Cloud Storage, end to end against a local
# stand-in (t/helper/gcs-stub.py: the JSON API over files, bearer tokens
# checked with the fake Google token server of ../shared, V4 signed URLs
# checked with the service account's public key or the HMAC secret).
# A named credential with a service-account key, tables registered
# through the admin API, queries through lighttpd with the strict client
# following every signed URL, byte comparison, tampered and expired URLs
# refused, HMAC-signed URLs, access tokens cached per worker, retries of
# transient store errors, and the key never shown nor logged.  The URLs
# are also checked by the independent verifier of ../shared
# (gcs_v4_check.py verify).

. "$(dirname "$0")/lib-ds.sh"
. "$DS_SRC_DIR/t/lib-objstore.sh"

MKTABLE=$DS_BUILD_DIR/src/mktable
INSPECT=$DS_BUILD_DIR/src/deltashare-inspect
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
V4CHECK=$SHARED_DIR/signing-vectors/scripts/gcs_v4_check.py
test -x "$MKTABLE" || test_skip_all "mktable not built"
objstore_have_gcs ||
	test_skip_all "no python3-cryptography, or no ../shared signing vectors"

gcs_start || bail "cannot start the GCS stub"
TOKEN_ORIGIN=${GCS_TOKEN_URI%/token}
ds_start "allowed_buckets = gs://delta_lake/tables
allowed_endpoints = $GCS_ENDPOINT $TOKEN_ORIGIN"

PFX="tables/run 1+a"
EPFX="tables/run%201%2Ba"

test_expect_success 'upload tables to the bucket' '
	objstore_make_tables &&
	gcs_put_tree "$TRASH/tables/demo" delta_lake "$PFX/demo" &&
	gcs_put_tree "$TRASH/tables/hist" delta_lake "$PFX/hist"
'
DEMO_ROWS=$(objstore_rows demo)
HIST_ROWS=$(objstore_rows hist)
SA_TEXT=$(jq -c . "$GCS_SA_JSON")

test_expect_success 'a credential with a service-account key, never shown' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api POST /admin/credentials "{\"name\":\"gcs\",\"type\":\"gcs\",\"serviceAccountKey\":$SA_TEXT,\"endpoint\":\"$GCS_ENDPOINT\"}" &&
	expect_status 201 &&
	expect_json ".type == \"gcs\" and .endpoint == \"$GCS_ENDPOINT\" and
	    .secretFields == [\"serviceAccountKey\"]" &&
	! body | grep -q "PRIVATE KEY" &&
	api GET /admin/credentials/gcs && ! body | grep -q "PRIVATE KEY"
'

test_expect_success 'bad keys and token endpoints are refused' '
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"gcs\",\"serviceAccountKey\":{\"client_email\":\"a@b\",\"private_key\":\"junk\"}}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "serviceAccountKey" &&
	evil=$(jq -c ".token_uri = \"http://169.254.169.254/token\"" "$GCS_SA_JSON") &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"gcs\",\"serviceAccountKey\":$evil}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "token_uri"
'

register() {
	api POST /admin/tables "{\"name\":\"$1\",\"location\":\"$2\",\"credential\":\"gcs\",\"historyShared\":true}"
}

test_expect_success 'tables register; bad locations do not' '
	register demo "gs://delta_lake/$PFX/demo" && expect_status 201 &&
	expect_json ".location == \"gs://delta_lake/$PFX/demo\"" &&
	register hist "gs://delta_lake/$PFX/hist/" && expect_status 201 &&
	expect_json ".location == \"gs://delta_lake/$PFX/hist\"" &&
	register n1 "gs://delta_lake/$PFX/nothing" &&
	expect_error 400 INVALID_PARAMETER_VALUE "_delta_log" &&
	register n2 "gs://other/tables/t" &&
	expect_error 400 INVALID_PARAMETER_VALUE "allowed_buckets" &&
	share_to_recipient s d r1 demo hist
'
R1=$(cat r1.token 2>/dev/null)
dsc() { $CLIENT --endpoint "$DS_URL" --token "$R1" "$@"; }

test_expect_success 'query: V4 RSA signed URLs, rows right' '
	dsc --rows query s d demo >out.json &&
	jq -e ".rows == $DEMO_ROWS and (.files | length) > 0" out.json &&
	jq -r ".files[].url" out.json >urls &&
	! grep -v "^$GCS_ENDPOINT/delta_lake/$EPFX/demo/" urls &&
	! grep -v "X-Goog-Algorithm=GOOG4-RSA-SHA256&" urls &&
	grep -q "X-Goog-Expires=3600&" urls &&
	grep -q "^GET /delta_lake/.* 200 signed$" "$GCS_LOG"
'

test_expect_success 'the bytes behind each URL are the uploaded ones' '
	objstore_cmp_urls urls "$GCS_ENDPOINT/delta_lake/$EPFX/demo/" "$TRASH/tables/demo"
'

test_expect_success 'the independent verifier accepts the URLs' '
	test -f "$V4CHECK" &&
	head -n 5 urls | xargs "$OBJSTORE_PYTHON" "$V4CHECK" verify \
	    --key "$GCS_SA_JSON" >verified &&
	test $(grep -c "^VALID " verified) = $(head -n 5 urls | wc -l) &&
	! grep -q INVALID verified
'

code() { curl -s -o /dev/null -w "%{http_code}" "$1"; }

test_expect_success 'tampered, moved, unsigned and expired URLs are refused' '
	url=$(head -n 1 urls) &&
	test "$(code "$url")" = 200 &&
	bad=$(objstore_tamper "$url" X-Goog-Signature) &&
	test "$bad" != "$url" && test "$(code "$bad")" = 403 &&
	other=$(printf "%s" "$url" | sed "s|/demo/|/hist/|") &&
	test "$(code "$other")" = 403 &&
	test "$(code "${url%%\?*}")" = 403 &&
	later=$(date -u -d "@$(($(date +%s) + 7200))" +%Y-%m-%dT%H:%M:%SZ) &&
	! "$OBJSTORE_PYTHON" "$DS_SRC_DIR/t/helper/gcs-stub.py" selfcheck \
	    --key "$GCS_SA_JSON" --now "$later" "$url" >exp &&
	grep -i "expired" exp
'

test_expect_success 'deletion vectors, time travel and version ranges' '
	objstore_check_history "$GCS_ENDPOINT/"
'

test_expect_success 'proxy mode: the same files through deltashare' '
	objstore_check_proxy
'

test_expect_success 'one access token per worker, not per request' '
	for i in 1 2 3 4 5 6 7 8; do
		api -t "$R1" GET /shares/s/schemas/d/tables/demo/version &&
		expect_status 200 || return 1
	done &&
	n=$(grep -c "\"path\": \"/token\"" "$GCS_DIR/token.log" || :) &&
	test "$n" -ge 1 && test "$n" -lt 8
'

# Each worker parses the service account's key on its first use of the
# credential (a gcs_key miss) and signs every later URL with it (hits).
test_expect_success 'the RSA key is parsed once per worker, not per URL' '
	for i in 1 2 3; do
		dsc query s d demo >q$i.json || return 1
	done &&
	files=$(jq "[.files[]] | length" q1.json) &&
	api -t "$ADMIN_TOKEN" GET /admin/metrics && expect_status 200 &&
	hits=$(metric_value "deltashare_cache_lookups_total{cache=\"gcs_key\",result=\"hit\"}") &&
	misses=$(metric_value "deltashare_cache_lookups_total{cache=\"gcs_key\",result=\"miss\"}") &&
	workers=$(metric_value deltashare_worker_starts_total) &&
	echo "gcs_key: $hits hits, $misses misses; $workers workers; $files URLs a query" &&
	test "$files" -gt 0 && test "$misses" -ge 1 &&
	test "$misses" -le "$workers" && test "$hits" -ge $((3 * files))
'

test_expect_success 'an HMAC key signs the URLs when the credential has one' '
	api PATCH /admin/credentials/gcs "{\"hmacAccessId\":\"$GCS_HMAC_ID\",\"hmacSecret\":\"$GCS_HMAC_SECRET\"}" &&
	expect_status 200 &&
	expect_json ".hmacAccessId == \"$GCS_HMAC_ID\" and
	    (.secretFields | sort) == [\"hmacSecret\", \"serviceAccountKey\"]" &&
	! body | grep -F -q "$GCS_HMAC_SECRET" &&
	dsc --rows query s d demo >out.json &&
	jq -e ".rows == $DEMO_ROWS" out.json &&
	jq -r ".files[].url" out.json >hurls &&
	! grep -v "X-Goog-Algorithm=GOOG4-HMAC-SHA256&" hurls &&
	grep -q "X-Goog-Credential=$GCS_HMAC_ID%2F" hurls
'

test_expect_success 'transient store errors are retried' '
	dsc --format delta --reader-features deletionvectors \
	    query s d hist >want.json &&
	gcs_fail 2 &&
	dsc --format delta --reader-features deletionvectors \
	    query s d hist >out.json &&
	gcs_fail 0 &&
	jq -e "[.files[].id] | length > 0" out.json &&
	test "$(jq -c "[.files[].id]" out.json)" = \
	    "$(jq -c "[.files[].id]" want.json)" &&
	grep -q " 503$" "$GCS_LOG"
'

test_expect_success 'a store that keeps failing: 503 JSON, then recovery' '
	gcs_fail 10 &&
	api -t "$R1" GET /shares/s/schemas/d/tables/hist/version &&
	expect_error 503 TEMPORARILY_UNAVAILABLE "backendError" &&
	gcs_fail 0 &&
	api -t "$R1" GET /shares/s/schemas/d/tables/hist/version &&
	expect_status 200
'

# Each worker fails once with the token it cached, then buys another.
test_expect_success 'a revoked token is replaced' '
	curl -s -f -X POST "$GCS_ENDPOINT/_stub/revoke" &&
	: >codes &&
	for i in 1 2 3 4 5 6 7 8; do
		api -t "$R1" GET /shares/s/schemas/d/tables/demo/version
		status >>codes; echo >>codes
	done &&
	grep -q " 401$" "$GCS_LOG" &&
	test "$(tail -n 4 codes | sort -u)" = 200
'

test_expect_success 'no key and no signature in any log' '
	! grep -r -q "PRIVATE KEY" "$TRASH/httpd" &&
	! grep -r -F -q "$GCS_HMAC_SECRET" "$TRASH/httpd" &&
	! grep -r -q "X-Goog-Signature" "$TRASH/httpd"
'

test_expect_success 'deltashare-inspect with GOOGLE_APPLICATION_CREDENTIALS' '
	GOOGLE_APPLICATION_CREDENTIALS=$GCS_SA_JSON \
	    STORAGE_EMULATOR_HOST=$GCS_ENDPOINT \
	    "$INSPECT" --presign=120 "gs://delta_lake/$PFX/demo" >insp &&
	"$INSPECT" "$TRASH/tables/demo" >local &&
	grep "^{\"file\"" insp | jq -c "del(.file.url)" >a &&
	grep "^{\"file\"" local >b && test_cmp b a &&
	url=$(grep -m 1 "^{\"file\"" insp | jq -r .file.url) &&
	case $url in *X-Goog-Expires=120\&*) ;; *) false ;; esac &&
	curl -s -f -o /dev/null "$url"
'

test_done
