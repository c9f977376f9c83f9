#!/bin/sh
# t5000-s3: tables in an S3-compatible store, end to end: a real Ceph
# RADOS Gateway on 127.0.0.1 (which checks SigV4 like S3 does), tables
# uploaded to it, a named credential and tables registered through the
# admin API, queries through lighttpd with the strict client following
# every presigned URL, byte comparison with the local copies, tampered
# and expired URLs refused by the store, proxy mode, storage errors as
# clean JSON, and secrets never shown nor logged.

. "$(dirname "$0")/lib-ds.sh"
. "$DS_SRC_DIR/t/lib-objstore.sh"
. "$DS_SRC_DIR/t/lib-corpus.sh"

MKTABLE=$DS_BUILD_DIR/src/mktable
INSPECT=$DS_BUILD_DIR/src/deltashare-inspect
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
test -x "$MKTABLE" || test_skip_all "mktable not built"
objstore_have_rgw ||
	test_skip_all "Ceph RGW not installed (radosgw ceph-mon ceph-osd)"
objstore_have_boto3 || test_skip_all "python3-boto3 not installed"

rgw_start || bail "cannot start Ceph RGW"
# A port nothing listens on, for an allowed but unreachable endpoint.
DEAD=http://127.0.0.1:$(test_free_port)
ds_start "allowed_buckets = s3://delta/tables
allowed_endpoints = $RGW_ENDPOINT $DEAD/"

# A prefix with a space and a plus: keys are encoded, never mangled.
PFX="tables/run 1+a"

test_expect_success 'upload tables to the store' '
	objstore_make_tables &&
	s3_make_bucket delta &&
	s3_put_tree "$TRASH/tables/demo" delta "$PFX/demo" &&
	s3_put_tree "$TRASH/tables/hist" delta "$PFX/hist" &&
	s3_list delta "$PFX/demo/_delta_log/" >listed &&
	test $(wc -l <listed) -ge 4
'
DEMO_ROWS=$(objstore_rows demo)
HIST_ROWS=$(objstore_rows hist)

cred_body() {
	printf '{"name":"%s","type":"s3","accessKeyId":"%s","secretAccessKey":"%s","region":"us-east-1","endpoint":"%s","pathStyle":true}' \
	    "$1" "$RGW_ACCESS_KEY" "$2" "$RGW_ENDPOINT"
}

test_expect_success 'a credential: created, shown without its secret' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api POST /admin/credentials "$(cred_body rgw "$RGW_SECRET_KEY")" &&
	expect_status 201 &&
	expect_json ".name == \"rgw\" and .type == \"s3\" and
	    .accessKeyId == \"$RGW_ACCESS_KEY\" and .pathStyle == true and
	    .secretFields == [\"secretAccessKey\"] and .tables == []" &&
	! body | grep -F -q "$RGW_SECRET_KEY" &&
	api GET /admin/credentials/RGW && expect_status 200 &&
	! body | grep -F -q "$RGW_SECRET_KEY" &&
	api GET /admin/credentials && expect_status 200 &&
	expect_json "[.items[].name] == [\"rgw\"]" &&
	! body | grep -F -q "$RGW_SECRET_KEY" &&
	api GET "/admin/audit" && ! body | grep -F -q "$RGW_SECRET_KEY"
'

test_expect_success 'credential fields are checked' '
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"s3\",\"accessKeyId\":\"a\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "needs '\''secretAccessKey'\''" &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"ftp\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "type" &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"s3\",\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\",\"endpoint\":\"http://169.254.169.254\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "admin.allowed_endpoints" &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"s3\",\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\",\"bogus\":1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "bogus" &&
	api POST /admin/credentials "$(cred_body rgw x)" &&
	expect_error 409 RESOURCE_ALREADY_EXISTS
'

register() {
	api POST /admin/tables "{\"name\":\"$1\",\"location\":\"$2\",\"credential\":\"rgw\",\"historyShared\":true}"
}

test_expect_success 'tables register with the credential; bad ones do not' '
	register demo "s3://delta/$PFX/demo" && expect_status 201 &&
	expect_json ".location == \"s3://delta/$PFX/demo\" and
	    .credential == \"rgw\" and .fileAccess == \"presigned\"" &&
	register hist "s3a://delta/$PFX/hist/" && expect_status 201 &&
	expect_json ".location == \"s3://delta/$PFX/hist\"" &&
	register nolog "s3://delta/$PFX/nothing" &&
	expect_error 400 INVALID_PARAMETER_VALUE "_delta_log" &&
	register other "s3://elsewhere/t" &&
	expect_error 400 INVALID_PARAMETER_VALUE "allowed_buckets" &&
	api POST /admin/tables "{\"name\":\"n\",\"location\":\"s3://delta/$PFX/demo\",\"credential\":\"nope\"}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "credential" &&
	share_to_recipient s d r1 demo hist
'
R1=$(cat r1.token 2>/dev/null)
dsc() { $CLIENT --endpoint "$DS_URL" --token "$R1" "$@"; }

test_expect_success 'query: presigned store URLs, every file fetched, rows right' '
	dsc --rows query s d demo >out.json &&
	jq -e ".rows == $DEMO_ROWS and (.files | length) > 0" out.json &&
	jq -r ".files[].url" out.json >urls &&
	! grep -v "^$RGW_ENDPOINT/delta/tables/run%201%2Ba/demo/" urls &&
	grep -q "X-Amz-Expires=3600&" urls &&
	jq -e "all(.files[]; .expirationTimestamp > now * 1000 + 3500000 and
	    .expirationTimestamp <= now * 1000 + 3600000)" out.json
'

test_expect_success 'the bytes behind each URL are the uploaded ones' '
	objstore_cmp_urls urls "$RGW_ENDPOINT/delta/tables/run%201%2Ba/demo/" "$TRASH/tables/demo"
'

test_expect_success 'a tampered URL is refused by the store' '
	url=$(head -n 1 urls) &&
	curl -s -o /dev/null -w "%{http_code}" "$url" >code && test "$(cat code)" = 200 &&
	bad=$(objstore_tamper "$url" X-Amz-Signature) &&
	test "$bad" != "$url" &&
	curl -s -o /dev/null -w "%{http_code}" "$bad" >code && test "$(cat code)" = 403 &&
	other=$(printf "%s" "$url" | sed "s|/demo/|/hist/|") &&
	curl -s -o /dev/null -w "%{http_code}" "$other" >code && test "$(cat code)" = 403 &&
	curl -s -o /dev/null -w "%{http_code}" "${url%%\?*}" >code && test "$(cat code)" = 403
'

# Signed ten minutes ago for one minute: RGW still takes the listing
# (it allows 15 minutes of clock skew) but not the expired URL.
test_expect_success 'an expired URL is refused by the store' '
	AWS_ACCESS_KEY_ID=$RGW_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_SECRET_KEY \
	    AWS_ENDPOINT_URL=$RGW_ENDPOINT \
	    faketime -f "-10m" "$INSPECT" --presign=60 "s3://delta/$PFX/demo" >old &&
	url=$(grep -m 1 "^{\"file\"" old | jq -r .file.url) &&
	case $url in *X-Amz-Expires=60\&*) ;; *) false ;; esac &&
	curl -s -o body -w "%{http_code}" "$url" >code &&
	test "$(cat code)" = 403 && grep -q "AccessDenied\|Expired" body
'

test_expect_success 'deletion vectors, time travel and version ranges from the store' '
	objstore_check_history "$RGW_ENDPOINT/"
'

test_expect_success 'proxy mode: the same files through deltashare' '
	objstore_check_proxy
'

test_expect_success 'a wrong secret: 502 naming the store error' '
	api POST /admin/credentials "$(cred_body wrong not-the-secret)" &&
	expect_status 201 &&
	api PATCH /admin/tables/hist "{\"credential\":\"wrong\"}" &&
	expect_status 200 && expect_json ".credential == \"wrong\"" &&
	api -t "$R1" POST /shares/s/schemas/d/tables/hist/query "{}" &&
	expect_error 502 STORAGE_ERROR "SignatureDoesNotMatch" &&
	api -t "$R1" GET /shares/s/schemas/d/tables/demo/version &&
	expect_status 200 &&
	api DELETE /admin/credentials/wrong &&
	expect_error 409 RESOURCE_CONFLICT "used by 1 table" &&
	api PATCH /admin/tables/hist "{\"credential\":\"rgw\"}" &&
	expect_status 200 &&
	api DELETE /admin/credentials/wrong && expect_status 204
'

test_expect_success 'a credential update keeps the secrets it does not name' '
	api PATCH /admin/credentials/rgw "{\"region\":\"eu-west-1\"}" &&
	expect_status 200 &&
	expect_json ".region == \"eu-west-1\" and
	    .secretFields == [\"secretAccessKey\"]" &&
	dsc --fetch query s d demo >/dev/null &&
	api PATCH /admin/credentials/rgw "{\"region\":\"us-east-1\"}" &&
	expect_status 200
'

test_expect_success 'an unreachable store: 503 for it, other tables work' '
	api POST /admin/credentials "{\"name\":\"down\",\"type\":\"s3\",\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\",\"endpoint\":\"$DEAD\",\"pathStyle\":true}" &&
	expect_status 201 &&
	api PATCH /admin/tables/hist "{\"credential\":\"down\"}" &&
	expect_status 200 &&
	api -t "$R1" GET /shares/s/schemas/d/tables/hist/version &&
	expect_error 503 TEMPORARILY_UNAVAILABLE "unreachable" &&
	api -t "$R1" GET /shares/s/schemas/d/tables/demo/version &&
	expect_status 200 &&
	api PATCH /admin/tables/hist "{\"credential\":\"rgw\"}" &&
	expect_status 200 &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"s3\",\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\",\"endpoint\":\"http://127.0.0.2:1\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "allowed_endpoints"
'

test_expect_success 'no secret and no signature in any log' '
	! grep -r -F -q "$RGW_SECRET_KEY" "$TRASH/httpd" &&
	! grep -r -q "X-Amz-Signature" "$TRASH/httpd"
'

test_expect_success 'deltashare-inspect reads and presigns the same table' '
	AWS_ACCESS_KEY_ID=$RGW_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_SECRET_KEY \
	    AWS_ENDPOINT_URL=$RGW_ENDPOINT \
	    "$INSPECT" --presign=120 "s3://delta/$PFX/demo" >insp &&
	"$INSPECT" "$TRASH/tables/demo" >local &&
	grep "^{\"file\"" insp | jq -c "del(.file.url)" >a &&
	grep "^{\"file\"" local >b && test_cmp b a &&
	url=$(grep -m 1 "^{\"file\"" insp | jq -r .file.url) &&
	case $url in *X-Amz-Expires=120\&*) ;; *) false ;; esac &&
	curl -s -f -o /dev/null "$url"
'

test_done
