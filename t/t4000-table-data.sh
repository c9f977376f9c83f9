#!/bin/sh
# t4000-table-data: version, metadata, query and changes (protocol-notes
# §1.6-§1.9, §1.11, §1.13, §1.14) and the files route, on tables
# src/mktable writes, through lighttpd.  Every successful answer goes
# through the strict test client t/helper/ds-client.py, which applies the
# official clients' parsing rules (§5.2) and fetches every URL it gets;
# errors are checked for status, errorCode and the reference's messages.
#
# Tables: "demo" (partitioned, 4 commits, no history), "hist" (6
# commits with deletion vectors and a checkpoint, shared with history),
# "cdf" (demo with the change data feed on, a commit with a cdc file,
# commit times fixed), "late" (hist shared with startVersion 2).

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
DV=deletionvectors
test -x "$MKTABLE" || test_skip_all "mktable not built"
command -v python3 >/dev/null || test_skip_all "python3 not installed"

test_expect_success 'the strict client passes its own tests' '
	python3 "$DS_SRC_DIR/t/helper/ds-client-selftest.py" >selftest.out &&
	! grep "^not ok" selftest.out
'

ds_start

# commit_at TABLE VERSION EPOCH: set a commit file's time.
commit_at() {
	touch -d "@$3" "$TRASH/tables/$1/_delta_log/$(printf %020d "$2").json"
}

# The cdf table: demo's log (the change data feed on, a cdc file for its
# DELETE) and a fifth commit whose change data is one cdc file (a copy of
# a data file).
make_cdf_table() {
	d=$TRASH/tables/cdf &&
	cp -a "$TRASH/tables/demo" "$d" &&
	grep -q enableChangeDataFeed "$d/_delta_log/00000000000000000000.json" &&
	f=$(cd "$d" && ls region=north/*.parquet | head -n 1) &&
	cp "$d/$f" "$d/_change_data/cdc-00000.snappy.parquet" &&
	size=$(wc -c <"$d/$f") &&
	{
		echo "{\"commitInfo\":{\"timestamp\":1700000004000,\"operation\":\"UPDATE\"}}" &&
		echo "{\"cdc\":{\"path\":\"_change_data/cdc-00000.snappy.parquet\",\"partitionValues\":{\"region\":\"north\"},\"size\":$size,\"dataChange\":false}}" &&
		echo "{\"remove\":{\"path\":\"$f\",\"deletionTimestamp\":1700000004000,\"dataChange\":true,\"partitionValues\":{\"region\":\"north\"},\"size\":$size}}" &&
		echo "{\"add\":{\"path\":\"$f\",\"partitionValues\":{\"region\":\"north\"},\"size\":$size,\"modificationTime\":1700000004000,\"dataChange\":true}}"
	} >"$d/_delta_log/00000000000000000004.json" &&
	for v in 0 1 2 3 4; do
		commit_at cdf $v $((1700000000 + v * 60)) || return 1
	done
}

register() {
	api POST /admin/tables "$1" && expect_status 201
}

test_expect_success 'set up: tables, a share, recipients' '
	DS_TOKEN=$ADMIN_TOKEN &&
	"$MKTABLE" --seed 1 "$TRASH/tables/demo" >demo.mk &&
	"$MKTABLE" --commits 6 --deletes --checkpoint-every 3 \
	    --last-checkpoint --seed 2 "$TRASH/tables/hist" >hist.mk &&
	make_cdf_table &&
	register "{\"name\":\"demo\",\"location\":\"$TRASH/tables/demo\"}" &&
	register "{\"name\":\"hist\",\"location\":\"$TRASH/tables/hist\",\"historyShared\":true}" &&
	register "{\"name\":\"cdf\",\"location\":\"$TRASH/tables/cdf\",\"historyShared\":true}" &&
	register "{\"name\":\"late\",\"location\":\"$TRASH/tables/hist\",\"historyShared\":true,\"startVersion\":2}" &&
	api POST /admin/shares "{\"name\":\"s\"}" && expect_status 201 &&
	for t in demo hist cdf late; do
		api POST /admin/shares/s/schemas/d/tables "{\"table\":\"$t\"}" &&
		expect_status 201 || return 1
	done &&
	make_recipient r1 && echo "$RCP_TOKEN" >r1.token &&
	api POST /admin/shares/s/recipients "{\"recipient\":\"r1\"}" &&
	expect_status 201 &&
	make_recipient r2 && echo "$RCP_TOKEN" >r2.token
'
R1=$(cat r1.token 2>/dev/null)
R2=$(cat r2.token 2>/dev/null)
T=/shares/s/schemas/d/tables
DEMO_ROWS=$(sed -n "s/.*, \([0-9]*\) live rows.*/\1/p" demo.mk 2>/dev/null)
HIST_ROWS=$(sed -n "s/.*, \([0-9]*\) live rows.*/\1/p" hist.mk 2>/dev/null)

dsc() { $CLIENT --endpoint "$DS_URL" --token "$R1" "$@"; }
# dsc_err STATUS CODE MESSAGE ARGS...: the client sees this error.
dsc_err() {
	_st=$1 _code=$2 _msg=$3
	shift 3
	_rc=0
	dsc "$@" >err.json || _rc=$?
	test $_rc = 3 || { echo "expected an error, got:" >&2; cat err.json >&2;
	    return 1; }
	jq -e ".status == $_st and .errorCode == \"$_code\"" err.json \
	    >/dev/null &&
	jq -r .message err.json | grep -F -q -- "$_msg" ||
	{ cat err.json >&2; return 1; }
}
q() { api -t "$R1" POST "$T/$1/query" "$2"; }

# --- version -----------------------------------------------------------

test_expect_success 'version: the latest, HEAD on the table too' '
	test "$(dsc version s d demo)" = 3 &&
	test "$(dsc version S D DEMO)" = 3 &&
	api -t "$R1" HEAD "$T/demo" && expect_status 200 &&
	test "$(header Delta-Table-Version)" = 3
'

test_expect_success 'version by startingTimestamp needs history' '
	dsc_err 400 INVALID_PARAMETER_VALUE "history sharing is not enabled on table: s.d.demo" \
	    version s d demo --starting-timestamp 2020-01-01T00:00:00Z
'

test_expect_success 'version by startingTimestamp: at or after, clear errors' '
	test "$(dsc version s d cdf --starting-timestamp 2000-01-01T00:00:00Z)" = 0 &&
	test "$(dsc version s d cdf --starting-timestamp 2023-11-14T22:14:20Z)" = 1 &&
	test "$(dsc version s d cdf --starting-timestamp 2023-11-14T22:14:00Z)" = 1 &&
	test "$(dsc version s d cdf --starting-timestamp 2023-11-14T23:14:00+01:00)" = 1 &&
	dsc_err 400 INVALID_PARAMETER_VALUE "Invalid startingTimestamp: abc" \
	    version s d cdf --starting-timestamp abc &&
	dsc_err 400 INVALID_PARAMETER_VALUE "is after the latest available version" \
	    version s d cdf --starting-timestamp 9999-01-01T00:00:00Z
'

# --- metadata ----------------------------------------------------------

test_expect_success 'metadata, parquet format: two lines, schema, partitions' '
	dsc metadata s d demo >out.json &&
	jq -e ".version == 3 and .format == \"parquet\" and .lines == 2 and
	    .protocol.minReaderVersion == 1 and
	    .metadata.partitionColumns == [\"region\"] and
	    .metadata.configuration == {} and
	    (.metadata.schemaString | fromjson | .fields | length) == 6" out.json
'

test_expect_success 'metadata, delta format: the log protocol and metadata' '
	dsc --format delta metadata s d demo >out.json &&
	jq -e ".format == \"delta\" and
	    .protocol.deltaProtocol == {\"minReaderVersion\":1,\"minWriterVersion\":2} and
	    .metadata.deltaMetadata.format.options == {}" out.json &&
	dsc --format delta,parquet metadata s d demo >out.json &&
	jq -e ".format == \"parquet\"" out.json
'

test_expect_success 'metadata: parameters checked as the reference does' '
	dsc_err 400 INVALID_PARAMETER_VALUE "history sharing is not enabled" \
	    metadata s d demo --version 1 &&
	api -t "$R1" GET "$T/cdf/metadata?version=1&timestamp=x" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Please only provide one of: version,timestamp" &&
	api -t "$R1" GET "$T/cdf/metadata?version=-1" &&
	expect_error 400 INVALID_PARAMETER_VALUE "version cannot be negative." &&
	dsc_err 400 INVALID_PARAMETER_VALUE "Cannot load table version 9" \
	    metadata s d cdf --version 9 &&
	dsc_err 400 INVALID_PARAMETER_VALUE "Invalid startingTimestamp: 2021-01-01" \
	    metadata s d cdf --timestamp 2021-01-01 &&
	dsc_err 400 INVALID_PARAMETER_VALUE "before the earliest available version" \
	    metadata s d cdf --timestamp 2000-01-01T00:00:00Z
'

test_expect_success 'metadata at a version and a timestamp' '
	dsc metadata s d cdf --version 1 >out.json &&
	jq -e ".version == 1 and .metadata.configuration == {\"enableChangeDataFeed\":\"true\"}" out.json &&
	dsc metadata s d cdf --timestamp 2023-11-14T22:15:30Z >out.json &&
	jq -e ".version == 2" out.json
'

test_expect_success 'unknown or ungranted tables: the reference 404' '
	dsc_err 404 RESOURCE_DOES_NOT_EXIST "[Share/Schema/Table] '\''s/d/nosuch'\'' does not exist" \
	    metadata s d nosuch &&
	rc=0 &&
	$CLIENT --endpoint "$DS_URL" --token "$R2" metadata s d demo \
	    >err.json || rc=$? &&
	test $rc = 3 && jq -e ".status == 404" err.json >/dev/null
'

# --- query: snapshots --------------------------------------------------

test_expect_success 'query, parquet: every file fetched, rows as written' '
	dsc --rows query s d demo >out.json &&
	jq -e ".version == 3 and .format == \"parquet\" and .lines == 10 and
	    (.files | length) == 8 and .rows == $DEMO_ROWS and
	    all(.files[]; .version == null and .timestamp == null and
	        (.id | test(\"^[0-9a-f]{32}$\")) and .stats.numRecords > 0)" out.json
'

test_expect_success 'query, delta format: 64-hex ids, same files' '
	dsc --format delta --rows query s d demo >delta.json &&
	jq -e ".format == \"delta\" and (.files | length) == 8 and
	    .rows == $DEMO_ROWS and
	    all(.files[]; .id | test(\"^[0-9a-f]{64}$\"))" delta.json
'

test_expect_success 'fileidhash: echoed, chooses the id hash, bad values 400' '
	dsc --fileidhash " Delta " query s d demo >out.json &&
	jq -e ".fileidhash == \"delta\" and
	    all(.files[]; .id | test(\"^[0-9a-f]{64}$\"))" out.json &&
	dsc --format delta --fileidhash parquet query s d demo >out.json &&
	jq -e "all(.files[]; .id | test(\"^[0-9a-f]{32}$\"))" out.json &&
	for v in sha512 none md5 SHA3-256; do
		dsc_err 400 INVALID_PARAMETER_VALUE "Unsupported fileidhash" \
		    --fileidhash "$v" query s d demo || return 1
	done
'

test_expect_success 'deletion vectors: refused in parquet, served in delta' '
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    query s d hist &&
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    --format delta query s d hist &&
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    metadata s d hist &&
	dsc --format delta --reader-features $DV --rows query s d hist >out.json &&
	jq -e ".rows == $HIST_ROWS and .version == 5 and
	    .protocol.deltaProtocol.readerFeatures == [\"deletionVectors\"]" \
	    out.json &&
	dsc --format delta --reader-features $DV --rows query s d hist \
	    --body "{\"version\":4}" >out.json &&
	jq -e "any(.files[]; .deletionVector.storageType == \"p\" and
	    (.deletionVector.pathOrInlineDv | startswith(\"http\")))" out.json
'

test_expect_success 'time travel: version and timestamp, files carry the version' '
	dsc --format delta --reader-features $DV --rows query s d hist \
	    --body "{\"version\":\"1\"}" >out.json &&
	jq -e ".version == 1 and all(.files[]; .version == 1)" out.json &&
	dsc --rows query s d cdf --body "{\"timestamp\":\"2023-11-14T22:14:30Z\",\"endingVersion\":3}" >out.json &&
	jq -e ".version == 1 and all(.files[]; .version == 1)" out.json
'

test_expect_success 'query: body checked in the reference order' '
	q demo "" &&
	expect_error 400 MALFORMED_REQUEST "No content to map due to end-of-input" &&
	q demo "{\"predicateHints\":{}}" && expect_error 400 MALFORMED_REQUEST &&
	q demo "{\"version\":1,\"timestamp\":\"x\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Please only provide one of: version,timestamp,startingVersion" &&
	q nosuch "{\"version\":\"x3\"}" &&
	expect_error 400 MALFORMED_REQUEST "Not a numeric value: x3" &&
	q demo "{\"version\":-1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "table version cannot be negative." &&
	q demo "{\"startingVersion\":-1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "startingVersion cannot be negative." &&
	q demo "{\"maxFiles\":0}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "maxFiles must be positive." &&
	q demo "{\"maxFiles\":3000000000}" &&
	expect_error 400 MALFORMED_REQUEST "Not an int32 value" &&
	q demo "{\"includeRefreshToken\":true,\"version\":1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "includeRefreshToken cannot be used when querying a specific version." &&
	q demo "{\"refreshToken\":\"x\",\"pageToken\":\"y\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "refreshToken must be used in the first page request." &&
	q demo "{\"version\":1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "history sharing is not enabled on table: s.d.demo" &&
	q nosuch "{}" && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'asyncquery=true: key required, then answered at once' '
	ASYNC="delta-sharing-capabilities: asyncquery=true;responseformat=parquet" &&
	api -t "$R1" POST "$T/demo/query" "{}" -H "$ASYNC" &&
	expect_error 400 INVALID_PARAMETER_VALUE "idempotency_key is required for async query." &&
	api -t "$R1" POST "$T/demo/query" "{\"idempotency_key\":\"k1\"}" -H "$ASYNC" &&
	expect_status 200 &&
	test "$(header delta-sharing-capabilities)" = "responseformat=parquet" &&
	test "$(body | grep -c "^{\"file\"")" = 8 &&
	! body | grep -q queryStatus &&
	api -t "$R1" POST "$T/demo/queries/s_d_demo_1_x" "{\"maxFiles\":1}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "does not exist" &&
	api -t "$R1" POST "$T/nosuch/queries/q1" "{}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api -t "$R2" POST "$T/demo/queries/q1" "{}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'limitHint: files until numRecords reach the limit' '
	dsc --rows query s d demo --body "{\"limitHint\":1}" >out.json &&
	jq -e "(.files | length) == 1" out.json &&
	dsc --rows query s d demo --body "{\"limitHint\":\"30\"}" >out.json &&
	jq -e "(.files | length) == 2" out.json &&
	dsc query s d demo --body "{\"limitHint\":100000}" >out.json &&
	jq -e "(.files | length) == 8" out.json
'

test_expect_success 'predicate hints: partition pruning, bad hints keep all' '
	h="{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"region\",\"valueType\":\"string\"},{\"op\":\"literal\",\"value\":\"south\",\"valueType\":\"string\"}]}" &&
	jq -n --arg h "$h" "{jsonPredicateHints: \$h}" >body &&
	dsc query s d demo --body "$(cat body)" >out.json &&
	jq -e "(.files | length) > 0 and (.files | length) < 8 and
	    all(.files[]; .partitionValues.region == \"south\")" out.json &&
	dsc query s d demo --body "{\"jsonPredicateHints\":\"bad-predicates\"}" >out.json &&
	jq -e "(.files | length) == 8" out.json &&
	dsc query s d demo --body "{\"predicateHints\":[\"region = '\''south'\''\"]}" >out.json &&
	jq -e "all(.files[]; .partitionValues.region == \"south\")" out.json &&
	dsc query s d demo --body "{\"predicateHints\":[\"nonsense ((\"]}" >out.json &&
	jq -e "(.files | length) == 8" out.json
'

test_expect_success 'endStreamAction only when asked, echoed when asked' '
	dsc query s d demo >out.json &&
	jq -e ".endStreamAction == null and .capabilities == \"responseformat=parquet\"" out.json &&
	dsc --end-stream query s d demo >out.json &&
	jq -e ".endStreamAction.minUrlExpirationTimestamp > 0 and
	    .capabilities == \"responseformat=parquet;includeendstreamaction=true\"" out.json &&
	dsc --end-stream metadata s d demo >out.json &&
	jq -e ".lines == 2" out.json
'

test_expect_success 'pages of maxFiles: every file once, same protocol and metadata' '
	dsc query s d demo >all.json &&
	jq -r ".files[].id" all.json | sort >all.ids &&
	: >paged.ids && body="{\"maxFiles\":3}" && n=0 &&
	while :; do
		dsc query s d demo --body "$body" >page.json &&
		jq -e ".protocol == $(jq -c .protocol all.json) and
		    .metadata == $(jq -c .metadata all.json) and
		    (.files | length) <= 3" page.json >/dev/null &&
		jq -r ".files[].id" page.json >>paged.ids &&
		n=$((n + 1)) &&
		tok=$(jq -r ".endStreamAction.nextPageToken // empty" page.json) &&
		if [ -z "$tok" ]; then break; fi &&
		body="{\"maxFiles\":3,\"pageToken\":\"$tok\"}" || return 1
	done &&
	test $n = 3 &&
	sort paged.ids | test_cmp all.ids -
'

test_expect_success 'page tokens: tampered, foreign, changed query' '
	q demo "{\"maxFiles\":1}" && expect_status 200 &&
	tok=$(tail -n 1 resp.body | jq -r .endStreamAction.nextPageToken) &&
	q demo "{\"maxFiles\":1,\"pageToken\":\"${tok}x\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Error decoding the page token" &&
	q demo "{\"maxFiles\":1,\"limitHint\":5,\"pageToken\":\"$tok\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Query parameter mismatch" &&
	q cdf "{\"maxFiles\":1,\"pageToken\":\"$tok\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "The table specified in the page token does not match" &&
	api -t "$R2" POST "$T/demo/query" "{\"maxFiles\":1,\"pageToken\":\"$tok\"}" &&
	expect_status 404
'

test_expect_success 'refresh token: the same files at the same version' '
	dsc query s d cdf --body "{\"includeRefreshToken\":true}" >first.json &&
	tok=$(jq -r .endStreamAction.refreshToken first.json) &&
	test -n "$tok" &&
	jq -r ".files[].id" first.json >first.ids &&
	dsc query s d cdf --body "{\"includeRefreshToken\":true,\"refreshToken\":\"$tok\"}" >again.json &&
	jq -r ".files[].id" again.json | test_cmp first.ids - &&
	jq -e ".version == $(jq .version first.json)" again.json &&
	q demo "{\"refreshToken\":\"$tok\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "The table specified in the refresh token does not match"
'

# --- query: startingVersion --------------------------------------------

test_expect_success 'startingVersion: data changes with versions and timestamps' '
	dsc query s d cdf --body "{\"startingVersion\":1}" >out.json &&
	jq -e ".version == 1 and .metadata.version == 1 and
	    all(.files[]; .version >= 1 and .timestamp >= 1700000060000) and
	    ([.files[] | select(.kind == \"remove\")] | length) == 2 and
	    ([.files[] | .version] | . == sort)" out.json &&
	dsc query s d cdf --body "{\"startingVersion\":4,\"endingVersion\":4}" >out.json &&
	jq -e "[.files[].kind] == [\"remove\",\"add\"] and
	    all(.files[]; .timestamp == 1700000240000)" out.json
'

test_expect_success 'startingVersion: paged, and its errors' '
	dsc query s d cdf --body "{\"startingVersion\":1}" >all.json &&
	body="{\"startingVersion\":1,\"maxFiles\":1}" && : >paged &&
	while :; do
		dsc query s d cdf --body "$body" >page.json &&
		jq -c ".files[] | [.kind, .id, .version]" page.json >>paged &&
		tok=$(jq -r ".endStreamAction.nextPageToken // empty" page.json) &&
		if [ -z "$tok" ]; then break; fi &&
		body="{\"startingVersion\":1,\"maxFiles\":1,\"pageToken\":\"$tok\"}" || return 1
	done &&
	jq -c ".files[] | [.kind, .id, .version]" all.json | test_cmp - paged &&
	q cdf "{\"startingVersion\":3,\"endingVersion\":2}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "startingVersion(3) must be smaller than or equal to endingVersion(2)." &&
	q cdf "{\"startingVersion\":1,\"endingVersion\":10}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "End version cannot be greater than the latest version of the table(4)."
'

test_expect_success 'startVersion of a share: nothing older is served' '
	q late "{\"version\":1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "You can only query table data since version 2." &&
	q late "{\"startingVersion\":\"0\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "You can only query table data since version 2." &&
	api -t "$R1" GET "$T/late/changes?startingVersion=1" &&
	expect_error 400 INVALID_PARAMETER_VALUE
'

# --- changes -----------------------------------------------------------

test_expect_success 'changes: cdc files where a commit has them, else adds' '
	dsc --rows changes s d cdf --params "startingVersion=0&endingVersion=4" >out.json &&
	jq -e ".version == 0 and .metadata.version == 4 and
	    ([.files[] | select(.kind == \"cdf\")] | length) == 2 and
	    ([.files[] | select(.version == 2) | .kind] | unique) == [\"cdf\"] and
	    ([.files[] | select(.version == 4) | .kind] | unique) == [\"cdf\"] and
	    all(.files[]; .timestamp > 0)" out.json &&
	dsc --format delta changes s d cdf --params "startingVersion=1&includeHistoricalMetadata=True" >out.json &&
	jq -e ".metadata.version == 1" out.json
'

test_expect_success 'changes: the reference errors' '
	api -t "$R1" GET "$T/demo/changes?startingVersion=0" &&
	expect_error 400 INVALID_PARAMETER_VALUE "cdf is not enabled on table s.d.demo" &&
	api -t "$R1" GET "$T/cdf/changes" &&
	expect_error 400 INVALID_PARAMETER_VALUE "No startingVersion or startingTimestamp provided for CDF read" &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=0&startingTimestamp=x" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Multiple starting arguments provided for CDF read" &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=0&endingVersion=1&endingTimestamp=x" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Multiple ending arguments provided for CDF read" &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=6" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Provided Start version(6) for reading change data is invalid" &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=2&endingVersion=1" &&
	expect_error 400 INVALID_PARAMETER_VALUE "CDF range from start 2 to end 1 was invalid. End cannot be before start." &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=x" &&
	expect_error 400 INVALID_PARAMETER_VALUE "startingVersion is not a valid number." &&
	api -t "$R1" GET "$T/cdf/changes?startingVersion=0&maxFiles=-1" &&
	expect_error 400 INVALID_PARAMETER_VALUE "maxFiles must be positive." &&
	api -t "$R1" GET "$T/cdf/changes?startingTimestamp=2023-11-14T22:13:20Z&endingTimestamp=2000-01-01T00:00:00Z" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Please use a timestamp greater than or equal to" &&
	api -t "$R1" GET "$T/cdf/changes?startingTimestamp=2099-01-01T00:00:00Z" &&
	expect_error 400 INVALID_PARAMETER_VALUE "Please use a timestamp less than or equal to" &&
	dsc_err 400 INVALID_PARAMETER_VALUE "change data was not recorded for version [0]" \
	    --format delta --reader-features $DV changes s d hist \
	    --params startingVersion=0
'

test_expect_success 'changes by timestamps, paged' '
	dsc changes s d cdf --params "startingTimestamp=2023-11-14T22:14:00Z&endingTimestamp=2023-11-14T22:16:00Z" >out.json &&
	jq -e ".version == 1 and ([.files[].version] | unique) == [1,2]" out.json &&
	dsc changes s d cdf --params "startingVersion=0" >all.json &&
	p="startingVersion=0&maxFiles=2" && : >paged &&
	while :; do
		dsc changes s d cdf --params "$p" >page.json &&
		jq -c ".files[] | [.kind, .id, .version]" page.json >>paged &&
		tok=$(jq -r ".endStreamAction.nextPageToken // empty" page.json) &&
		if [ -z "$tok" ]; then break; fi &&
		p="startingVersion=0&maxFiles=2&pageToken=$tok" || return 1
	done &&
	jq -c ".files[] | [.kind, .id, .version]" all.json | test_cmp - paged
'

# --- the files route ---------------------------------------------------

test_expect_success 'files: no token needed, ranges, ETag, HEAD' '
	dsc query s d demo >out.json &&
	url=$(jq -r ".files[0].url" out.json) &&
	size=$(jq -r ".files[0].size" out.json) &&
	curl -s -o f.parquet -D h -w "%{http_code}" "$url" >code &&
	test "$(cat code)" = 200 && test $(wc -c <f.parquet) = $size &&
	etag=$(sed -n "s/^ETag: *//Ip" h | tr -d "\r") &&
	curl -s -o /dev/null -w "%{http_code}" -H "If-None-Match: $etag" "$url" >code &&
	test "$(cat code)" = 304 &&
	curl -s -o tail.bin -D h -w "%{http_code}" -H "Range: bytes=-4" "$url" >code &&
	test "$(cat code)" = 206 && test "$(cat tail.bin)" = PAR1 &&
	grep -qi "^Content-Range: bytes $((size - 4))-$((size - 1))/$size" h &&
	curl -s -o /dev/null -w "%{http_code}" -H "Range: bytes=$size-" "$url" >code &&
	test "$(cat code)" = 416 &&
	curl -s -I -o /dev/null -w "%{http_code}" "$url" >code &&
	test "$(cat code)" = 200
'

# A token with another expiry, signed with the server secret (as only
# the server can), to see expiry enforced without waiting.
reexpire() {
	python3 - "$1" "$TRASH/server.secret" "$2" <<'PY'
import base64, hashlib, hmac, struct, sys
tok, secret, exp = sys.argv[1], open(sys.argv[2], "rb").read().rstrip(b"\n"), int(sys.argv[3])
raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4))
body = raw[:-16]
body = body[:9] + struct.pack("<q", exp) + body[17:]
tag = hmac.new(secret, b"deltashare file url v1\0" + body, hashlib.sha256).digest()[:16]
print(base64.urlsafe_b64encode(body + tag).decode().rstrip("="))
PY
}

test_expect_success 'files: tampered, foreign, expired and missing' '
	dsc query s d demo >out.json &&
	url=$(jq -r ".files[0].url" out.json) &&
	base=${url%/*} && tok=${url##*/} &&
	api -t "" GET "/files/${tok}A" &&
	expect_error 403 PERMISSION_DENIED "invalid file URL" &&
	api -t "" GET "/files/x.y" &&
	expect_error 403 PERMISSION_DENIED &&
	api -t "" GET "/files/$(reexpire "$tok" 1000)" &&
	expect_error 403 PERMISSION_DENIED "expired" &&
	api -t "" GET "/files/$(reexpire "$tok" 4102444800000)" &&
	expect_status 200 &&
	path=$(jq -r ".files[0].url" out.json) &&
	f=$(cd "$TRASH/tables/demo" && ls region=south/*.parquet | head -n 1) &&
	dsc query s d demo >out.json &&
	mv "$TRASH/tables/demo/$f" "$TRASH/moved.parquet" &&
	for u in $(jq -r ".files[].url" out.json); do
		curl -s -o /dev/null -w "%{http_code}\n" "$u" || return 1
	done >codes &&
	mv "$TRASH/moved.parquet" "$TRASH/tables/demo/$f" &&
	grep -c 404 codes >n404 && test "$(cat n404)" = 1
'

test_done
