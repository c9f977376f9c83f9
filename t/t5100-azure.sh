#!/bin/sh
# t5100-azure: tables in Azure Blob Storage, end to end: Azurite on
# 127.0.0.1 (which checks Shared Key and SAS signatures like Azure
# does), tables uploaded to it, a named credential and tables registered
# through the admin API in each location form (abfss://, wasbs://,
# https://), queries through lighttpd with the strict client following
# every SAS URL, byte comparison with the local copies, tampered,
# widened and expired URLs refused by the store, storage errors as clean
# JSON, credentials from the environment for deltashare-inspect, and
# the account key never shown nor logged.

. "$(dirname "$0")/lib-ds.sh"
. "$DS_SRC_DIR/t/lib-objstore.sh"

MKTABLE=$DS_BUILD_DIR/src/mktable
INSPECT=$DS_BUILD_DIR/src/deltashare-inspect
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
test -x "$MKTABLE" || test_skip_all "mktable not built"
objstore_have_azurite || test_skip_all "azurite not installed (t/node)"
objstore_have_azure_blob ||
	test_skip_all "python3-azure-storage not installed"

azurite_start || bail "cannot start Azurite"
ACCT=$AZURITE_ACCOUNT
HOST=$ACCT.dfs.core.windows.net
ds_start "allowed_buckets = abfss://delta@$HOST/tables
allowed_endpoints = http://127.0.0.1:$AZURITE_PORT"

# A prefix with a space and a plus: names are encoded, never mangled.
PFX="tables/run 1+a"
EPFX="tables/run%201%2Ba"

test_expect_success 'upload tables to the container' '
	objstore_make_tables &&
	azure_make_container delta &&
	azure_put_tree "$TRASH/tables/demo" delta "$PFX/demo" &&
	azure_put_tree "$TRASH/tables/hist" delta "$PFX/hist" &&
	azure_list delta "$PFX/demo/_delta_log/" >listed &&
	test $(wc -l <listed) -ge 4
'
DEMO_ROWS=$(objstore_rows demo)
HIST_ROWS=$(objstore_rows hist)

cred_body() {
	printf '{"name":"%s","type":"azure","accountName":"%s","accountKey":"%s","blobEndpoint":"%s"}' \
	    "$1" "$2" "$3" "$AZURITE_ENDPOINT"
}

test_expect_success 'a credential: created, shown without its key' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api POST /admin/credentials "$(cred_body az "$ACCT" "$AZURITE_KEY")" &&
	expect_status 201 &&
	expect_json ".name == \"az\" and .type == \"azure\" and
	    .accountName == \"$ACCT\" and
	    .blobEndpoint == \"$AZURITE_ENDPOINT\" and
	    .secretFields == [\"accountKey\"]" &&
	! body | grep -F -q "$AZURITE_KEY" &&
	api GET /admin/credentials/az && ! body | grep -F -q "$AZURITE_KEY" &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"azure\",\"accountName\":\"$ACCT\",\"accountKey\":\"$AZURITE_KEY\",\"blobEndpoint\":\"http://127.0.0.1:$AZURITE_PORT/a/b\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "account name" &&
	api POST /admin/credentials "{\"name\":\"x\",\"type\":\"azure\",\"accountName\":\"$ACCT\",\"accountKey\":\"$AZURITE_KEY\",\"blobEndpoint\":\"http://127.0.0.2:1/$ACCT\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "allowed_endpoints"
'

register() {
	api POST /admin/tables "{\"name\":\"$1\",\"location\":\"$2\",\"credential\":\"${3:-az}\",\"historyShared\":true}"
}

test_expect_success 'tables register in every location form' '
	register demo "abfss://delta@$HOST/$PFX/demo" && expect_status 201 &&
	expect_json ".location == \"abfss://delta@$HOST/$PFX/demo\" and
	    .credential == \"az\" and .fileAccess == \"presigned\"" &&
	register hist "wasbs://delta@$ACCT.blob.core.windows.net/$PFX/hist/" &&
	expect_status 201 &&
	expect_json ".location == \"abfss://delta@$HOST/$PFX/hist\"" &&
	register demo2 "https://$ACCT.blob.core.windows.net/delta/$PFX/demo" &&
	expect_status 201 &&
	expect_json ".location == \"abfss://delta@$HOST/$PFX/demo\""
'

test_expect_success 'bad Azure locations are refused with reasons' '
	register n1 "abfss://delta@$HOST/$PFX/nothing" &&
	expect_error 400 INVALID_PARAMETER_VALUE "_delta_log" &&
	register n2 "abfss://other@$HOST/tables/t" &&
	expect_error 400 INVALID_PARAMETER_VALUE "allowed_buckets" &&
	register n3 "abfss://delta@$ACCT.dfs.evil.example/tables/t" &&
	expect_error 400 INVALID_PARAMETER_VALUE "abfss://container@" &&
	register n4 "abfss://de--lta@$HOST/tables/t" &&
	expect_error 400 INVALID_PARAMETER_VALUE "container name" &&
	register n5 "abfss://delta@$HOST/tables/../x" &&
	expect_error 400 INVALID_PARAMETER_VALUE "segments" &&
	api POST /admin/credentials "$(cred_body other devstoreaccount1 "$AZURITE_DEV_KEY")" &&
	expect_status 201 &&
	register n6 "abfss://delta@$HOST/$PFX/demo" other &&
	expect_error 400 INVALID_PARAMETER_VALUE "account" &&
	share_to_recipient s d r1 demo hist
'
R1=$(cat r1.token 2>/dev/null)
dsc() { $CLIENT --endpoint "$DS_URL" --token "$R1" "$@"; }

test_expect_success 'query: SAS URLs for one blob each, read only, rows right' '
	dsc --rows query s d demo >out.json &&
	jq -e ".rows == $DEMO_ROWS and (.files | length) > 0" out.json &&
	jq -r ".files[].url" out.json >urls &&
	! grep -v "^$AZURITE_ENDPOINT/delta/$EPFX/demo/" urls &&
	! grep -v "[?&]sp=r&" urls && ! grep -v "[?&]sr=b&" urls &&
	jq -e "all(.files[]; .expirationTimestamp > now * 1000 + 3500000 and
	    .expirationTimestamp <= now * 1000 + 3600000)" out.json
'

test_expect_success 'the bytes behind each URL are the uploaded ones' '
	objstore_cmp_urls urls "$AZURITE_ENDPOINT/delta/$EPFX/demo/" "$TRASH/tables/demo"
'

code() { curl -s -o /dev/null -w "%{http_code}" "$1"; }

test_expect_success 'tampered, widened or moved URLs are refused by the store' '
	url=$(head -n 1 urls) &&
	test "$(code "$url")" = 200 &&
	bad=$(objstore_tamper "$url" sig) &&
	test "$bad" != "$url" && test "$(code "$bad")" = 403 &&
	wide=$(printf "%s" "$url" | sed "s/sp=r&/sp=rw\&/") &&
	test "$(code "$wide")" = 403 &&
	other=$(printf "%s" "$url" | sed "s|/demo/|/hist/|") &&
	test "$(code "$other")" = 403 &&
	test "$(code "${url%%\?*}")" -ge 400
'

test_expect_success 'an expired URL is refused by the store' '
	AZURE_STORAGE_CONNECTION_STRING=$AZURITE_CONNECTION_STRING \
	    faketime -f "-2h" "$INSPECT" --presign=60 \
	    "abfss://delta@$HOST/$PFX/demo" >old &&
	url=$(grep -m 1 "^{\"file\"" old | jq -r .file.url) &&
	case $url in *se=*) ;; *) false ;; esac &&
	test "$(code "$url")" = 403
'

test_expect_success 'deletion vectors, time travel and version ranges' '
	objstore_check_history "$AZURITE_ENDPOINT/"
'

test_expect_success 'proxy mode: the same files through deltashare' '
	objstore_check_proxy
'

test_expect_success 'a wrong key: 502 naming the store error' '
	api POST /admin/credentials "$(cred_body wrong "$ACCT" "$AZURITE_DEV_KEY")" &&
	expect_status 201 &&
	api PATCH /admin/tables/hist "{\"credential\":\"wrong\"}" &&
	expect_status 200 &&
	api -t "$R1" POST /shares/s/schemas/d/tables/hist/query "{}" &&
	expect_error 502 STORAGE_ERROR "AuthorizationFailure" &&
	api -t "$R1" GET /shares/s/schemas/d/tables/demo/version &&
	expect_status 200 &&
	api PATCH /admin/tables/hist "{\"credential\":\"az\"}" &&
	expect_status 200
'

test_expect_success 'a missing container: a clear error, not a crash' '
	! AZURE_STORAGE_CONNECTION_STRING=$AZURITE_CONNECTION_STRING \
	    "$INSPECT" "abfss://nocontainer@$HOST/t" >out 2>err &&
	grep "ContainerNotFound" err && grep -q "container .nocontainer." err
'

test_expect_success 'no account key and no SAS signature in any log' '
	! grep -r -F -q "$AZURITE_KEY" "$TRASH/httpd" &&
	! grep -r -q "sig=" "$TRASH/httpd"
'

test_expect_success 'deltashare-inspect reads and presigns with the environment' '
	AZURE_STORAGE_CONNECTION_STRING=$AZURITE_CONNECTION_STRING \
	    "$INSPECT" --presign=120 "abfss://delta@$HOST/$PFX/demo" >insp &&
	"$INSPECT" "$TRASH/tables/demo" >local &&
	grep "^{\"file\"" insp | jq -c "del(.file.url)" >a &&
	grep "^{\"file\"" local >b && test_cmp b a &&
	url=$(grep -m 1 "^{\"file\"" insp | jq -r .file.url) &&
	curl -s -f -o /dev/null "$url"
'

test_done
