#!/bin/sh
# t4100-corpus-served: every table of the shared corpus that has expected
# results, served through lighttpd to the strict test client: for the
# latest version and every expected version, the files the server hands
# out, fetched through their URLs, hold the expected number of rows
# after deletion vectors (Parquet footers minus DV cardinalities), and
# for every change data feed range with expected rows, the /changes
# lines make the expected rows per commit and change type (the cdc
# files' _change_type column read with t/helper/parquet-cat, adds and
# removes as inserts and deletes, DV updates resolved on the bitmaps).
# Tables the parquet response format cannot carry (deletion vectors,
# column mapping, timestampNtz...) must be refused in it with 400
# UNSUPPORTED_OPERATION and served in the delta format instead.
# Expected counts come from t/helper/delta-conform --expect, the same
# expectations t3300 checks on the engine alone.

. "$(dirname "$0")/lib-ds.sh"
. "$DS_SRC_DIR/t/lib-corpus.sh"

HELPER=$DS_BUILD_DIR/t/helper/delta-conform
CLIENT="python3 $DS_SRC_DIR/t/helper/ds-client.py"
FEATURES=deletionvectors,columnmapping,timestampntz,typewidening,varianttype

[ -x "$HELPER" ] || test_skip_all "t/helper/delta-conform not built"
corpus_skip_unless_ready
ds_start

test_expect_success 'copy the corpus into the allowed root' '
	corpus_copy "$TRASH/tables/corpus" &&
	"$HELPER" --expect "$TRASH/tables/corpus" >conform.out;
	grep "^expect" conform.out >expect &&
	test $(wc -l <expect) -ge 90 &&
	grep "^cdf" conform.out >cdfexpect &&
	test $(wc -l <cdfexpect) -ge 14
'

tab=$(printf '\t')
name_of() { printf '%s' "$1" | tr '/.-' '___'; }

test_expect_success 'register every table with expectations, share, grant' '
	DS_TOKEN=$ADMIN_TOKEN &&
	names= &&
	for p in $(cut -f 2 expect cdfexpect | sort -u); do
		n=$(name_of "$p") &&
		api POST /admin/tables "{\"name\":\"$n\",\"location\":\"$TRASH/tables/corpus/$p/delta\",\"historyShared\":true}" &&
		expect_status 201 && names="$names $n" || return 1
	done &&
	share_to_recipient c t r1 $names
'
R1=$(cat r1.token 2>/dev/null)

dsc() { $CLIENT --endpoint "$DS_URL" --token "$R1" "$@"; }

# served NAME VERSION ROWS: parquet format if the server serves it, else
# a 400 and the delta format with every reader feature declared.
served() {
	if [ "$2" = -1 ]; then body="{}"; else body="{\"version\":$2}"; fi
	if dsc query c t "$1" --body "$body" --rows >out.json 2>err; then
		fmt=parquet
	else
		test $? = 3 &&
		jq -e ".status == 400 and .errorCode == \"UNSUPPORTED_OPERATION\"
		    and (.message | contains(\"Unsupported Delta Table Properties\"))" \
		    out.json >/dev/null &&
		dsc --format delta --reader-features $FEATURES query c t "$1" \
		    --body "$body" --rows >out.json &&
		fmt=delta || { cat out.json err >&2; return 1; }
	fi &&
	rows=$(jq .rows out.json) &&
	if [ "$rows" != "$3" ]; then
		echo "$fmt: $rows rows served, expected $3" >&2
		return 1
	fi &&
	if [ $fmt = delta ]; then
		jq -e ".protocol.deltaProtocol.minReaderVersion >= 2" \
		    out.json >/dev/null
	fi
}

while IFS=$tab read -r kind path v rows; do
	n=$(name_of "$path")
	if [ "$v" = -1 ]; then at=latest; else at=v$v; fi
	test_expect_success "$path at $at: $rows rows served" \
	    "served $n $v $rows"
done <expect

# changes NAME QUERY MINTS TALLY: the same for GET .../changes?QUERY.
changes() {
	set -- "$1" "$2" "$3" "$4" --cdf --cdf-min-ts "$3" \
	    --parquet-cat "$DS_BUILD_DIR/t/helper/parquet-cat"
	if dsc "$5" "$6" "$7" "$8" "$9" changes c t "$1" --params "$2" \
	    >out.json 2>err; then
		fmt=parquet
	else
		test $? = 3 &&
		jq -e ".status == 400 and .errorCode == \"UNSUPPORTED_OPERATION\"" \
		    out.json >/dev/null &&
		dsc --format delta --reader-features $FEATURES "$5" "$6" "$7" \
		    "$8" "$9" changes c t "$1" --params "$2" >out.json &&
		fmt=delta || { cat out.json err >&2; return 1; }
	fi &&
	got=$(jq -r .cdf out.json) &&
	if [ "$got" != "$4" ]; then
		printf "%s: got      %s\n     expected %s\n" $fmt "$got" "$4" >&2
		return 1
	fi
}

while IFS=$tab read -r kind path query mints tally; do
	n=$(name_of "$path")
	test_expect_success "$path changes?$query: $tally" \
	    "changes $n \"$query\" $mints \"$tally\""
done <cdfexpect

test_done
