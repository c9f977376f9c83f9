#!/bin/sh
# t4001-table-history: what a table's history does to version ranges,
# the reference inventory's protocol and data-loss cases (protocol-notes
# §1.8, §1.9, §1.14, §3.4, §4.2, §4.3), through lighttpd and the strict
# client t/helper/ds-client.py.
#
# Tables, hand-written logs over data files of a src/mktable table:
#  "vr"   v0 protocol (1,2) and metadata with the change data feed on,
#         v1 an add, v2 protocol (1,4) and the metadata renamed, v3 and v4
#         adds (DeltaSharedTableVersionRangeSuite's table);
#  "upg"  v2 upgrades to reader 3 with deletion vectors enabled;
#  "new"  v2 upgrades to a reader version no server knows (4);
#  "loss" and "lossnc": mktable tables of 3 commits whose commit 1 is
#         gone, with and without a checkpoint at v2
#         (table_data_loss_with_checkpoint / _no_checkpoint).

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
test -x "$MKTABLE" || test_skip_all "mktable not built"
command -v python3 >/dev/null || test_skip_all "python3 not installed"

ds_start

LOG0=_delta_log/00000000000000000000.json

# commit TABLE VERSION LINE...: write one commit, timed 1700000000 + v s.
commit() {
	_d=$TRASH/tables/$1 _f=$TRASH/tables/$1/_delta_log/$(printf %020d "$2")
	_t=$((1700000000 + $2))
	shift 2
	mkdir -p "$_d/_delta_log" &&
	printf '%s\n' "$@" >"$_f.json" &&
	touch -d "@$_t" "$_f.json"
}

# add TABLE N: an add line for the Nth data file of the src table,
# copied into TABLE.
add() {
	_p=$(sed -n "$2p" files) &&
	mkdir -p "$TRASH/tables/$1/$(dirname "$_p")" &&
	cp "$TRASH/tables/src/$_p" "$TRASH/tables/$1/$_p" &&
	jq -cn --arg p "$_p" --argjson n "$(wc -c <"$TRASH/tables/src/$_p")" \
	    --arg r "$(dirname "$_p" | sed "s/^region=//")" \
	    '{add:{path:$p,partitionValues:{region:$r},size:$n,
	    modificationTime:1700000000000,dataChange:true}}'
}

# md JQ: the src table's metaData line, changed by JQ.
md() {
	grep '"metaData"' "$TRASH/tables/src/$LOG0" | jq -c "$1"
}

CDF='.metaData.configuration["delta.enableChangeDataFeed"]="true"'
P12='{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}'

test_expect_success 'set up the tables' '
	"$MKTABLE" --seed 4 "$TRASH/tables/src" >/dev/null &&
	(cd "$TRASH/tables/src" && ls region=*/*.parquet) >files &&
	test $(wc -l <files) -ge 4 &&
	commit vr 0 "$P12" "$(md "$CDF")" &&
	commit vr 1 "$(add vr 1)" &&
	commit vr 2 "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}" \
	    "$(md "$CDF | .metaData.name=\"renamed\"")" &&
	commit vr 3 "$(add vr 2)" &&
	commit vr 4 "$(add vr 3)" &&
	commit upg 0 "$P12" "$(md "$CDF")" &&
	commit upg 1 "$(add upg 1)" &&
	commit upg 2 "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],\"writerFeatures\":[\"deletionVectors\",\"changeDataFeed\"]}}" \
	    "$(md "$CDF | .metaData.configuration[\"delta.enableDeletionVectors\"]=\"true\"")" &&
	commit upg 3 "$(add upg 2)" &&
	commit new 0 "$P12" "$(md "$CDF")" &&
	commit new 1 "$(add new 1)" &&
	commit new 2 "{\"protocol\":{\"minReaderVersion\":4,\"minWriterVersion\":8}}" &&
	commit new 3 "$(add new 2)" &&
	"$MKTABLE" --commits 3 --checkpoint-every 2 --last-checkpoint \
	    --seed 5 "$TRASH/tables/loss" >/dev/null &&
	test -f "$TRASH/tables/loss/_delta_log/00000000000000000002.checkpoint.parquet" &&
	"$MKTABLE" --commits 3 --seed 5 "$TRASH/tables/lossnc" >/dev/null &&
	for t in loss lossnc; do
		rm "$TRASH/tables/$t/_delta_log/00000000000000000001.json" ||
		return 1
	done
'

test_expect_success 'register, share, grant' '
	DS_TOKEN=$ADMIN_TOKEN &&
	for t in vr upg new loss lossnc; do
		api POST /admin/tables "{\"name\":\"$t\",\"location\":\"$TRASH/tables/$t\",\"historyShared\":true}" &&
		expect_status 201 || return 1
	done &&
	share_to_recipient s d r1 vr upg new loss lossnc
'
R1=$(cat r1.token 2>/dev/null)
T=/shares/s/schemas/d/tables

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

# --- includeHistoricalProtocol (DeltaSharedTableVersionRangeSuite) -----

test_expect_success 'changes without includeHistoricalProtocol: one protocol line' '
	dsc --format delta changes s d vr --params "startingVersion=0" >out.json &&
	jq -e "(.protocol | has(\"version\") | not) and .protocolLines == [] and
	    .version == 0 and .metadata.version == 4 and
	    ([.files[] | .version] == [1, 3, 4])" out.json
'

test_expect_success 'changes with includeHistoricalProtocol: the head and v2, with versions' '
	dsc --format delta changes s d vr \
	    --params "startingVersion=0&includeHistoricalProtocol=true" >out.json &&
	jq -e ".protocol.version == 4 and
	    (.protocolLines | length) == 1 and .protocolLines[0].version == 2" \
	    out.json &&
	dsc --format delta changes s d vr \
	    --params "startingVersion=2&includeHistoricalProtocol=true" >out.json &&
	jq -e ".protocolLines == [] and .protocol.version == 4" out.json
'

test_expect_success 'includeHistoricalProtocol is for the delta format only' '
	dsc changes s d vr \
	    --params "startingVersion=0&includeHistoricalProtocol=true" >out.json &&
	jq -e ".format == \"parquet\" and .protocolLines == [] and
	    (.protocol | has(\"version\") | not)" out.json
'

test_expect_success 'query from startingVersion with includeHistoricalProtocol' '
	dsc --format delta query s d vr \
	    --body "{\"startingVersion\":0,\"includeHistoricalProtocol\":true}" \
	    >out.json &&
	jq -e ".protocol.version == 0 and .protocolLines[0].version == 2 and
	    [.metadataLines[].version] == [2] and
	    .metadataLines[0].deltaMetadata.name == \"renamed\"" out.json &&
	dsc --format delta query s d vr --body "{\"startingVersion\":0}" \
	    >out.json &&
	jq -e ".protocolLines == [] and [.metadataLines[].version] == [2]" \
	    out.json
'

# --- protocol upgrades inside a range ----------------------------------

# The change data feed's line 2 is the latest metadata unless
# includeHistoricalMetadata asks for the start's: a parquet answer then
# cannot carry a latest version that has deletion vectors.
test_expect_success 'upgrade to deletion vectors: the range before it is served' '
	dsc --fetch query s d upg \
	    --body "{\"startingVersion\":0,\"endingVersion\":1}" >out.json &&
	jq -e "[.files[].version] == [1]" out.json &&
	dsc --fetch changes s d upg \
	    --params "startingVersion=0&endingVersion=1&includeHistoricalMetadata=true" \
	    >out.json &&
	jq -e "[.files[].version] == [1]" out.json
'

test_expect_success 'upgrade to deletion vectors: refused in parquet across it' '
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    query s d upg --body "{\"startingVersion\":0}" &&
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    changes s d upg --params "startingVersion=1" &&
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    changes s d upg --params "startingVersion=0&endingVersion=1" &&
	dsc_err 400 UNSUPPORTED_OPERATION "Unsupported Delta Table Properties" \
	    --format delta changes s d upg --params "startingVersion=0"
'

test_expect_success 'upgrade to deletion vectors: served in delta when declared' '
	dsc --format delta --reader-features deletionvectors --fetch \
	    changes s d upg \
	    --params "startingVersion=0&includeHistoricalProtocol=true" \
	    >out.json &&
	jq -e "[.files[].version] == [1, 3] and
	    .protocolLines[0].deltaProtocol.minReaderVersion == 3" out.json
'

test_expect_success 'upgrade to an unknown reader version: a clear 400' '
	dsc --fetch query s d new \
	    --body "{\"startingVersion\":0,\"endingVersion\":1}" >out.json &&
	dsc_err 400 UNSUPPORTED_OPERATION "reader version 4" \
	    query s d new --body "{\"startingVersion\":0}" &&
	dsc_err 400 UNSUPPORTED_OPERATION "reader version 4" \
	    --format delta --reader-features deletionvectors \
	    changes s d new --params "startingVersion=1" &&
	dsc_err 400 UNSUPPORTED_OPERATION "reader version 4" \
	    query s d new --body "{}" &&
	dsc_err 400 UNSUPPORTED_OPERATION "reader version 4" metadata s d new &&
	test "$(dsc version s d new)" = 3
'

# --- data loss (table_data_loss_with_checkpoint / _no_checkpoint) ------

test_expect_success 'lost commit behind a checkpoint: the snapshot still serves' '
	dsc --fetch query s d loss >out.json &&
	jq -e ".version == 2 and (.files | length) > 0" out.json &&
	dsc --fetch query s d loss --body "{\"version\":2}" >out.json &&
	dsc --fetch query s d loss --body "{\"startingVersion\":2}" >out.json &&
	jq -e "all(.files[]; .version == 2)" out.json &&
	dsc metadata s d loss >/dev/null
'

test_expect_success 'lost commit behind a checkpoint: reads that need it fail clearly' '
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    query s d loss --body "{\"startingVersion\":1}" &&
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    query s d loss --body "{\"version\":1}" &&
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    changes s d loss --params "startingVersion=0"
'

test_expect_success 'lost commit without a checkpoint: every read fails clearly' '
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    query s d lossnc &&
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    metadata s d lossnc &&
	dsc_err 500 INTERNAL_ERROR "00000000000000000001.json is missing" \
	    query s d lossnc --body "{\"version\":2}"
'

test_done
