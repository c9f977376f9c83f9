#!/bin/sh
# t3100-parquet-read: the Parquet reader (src/parquet_*.c) through
# t/helper/parquet-cat.  Files of our writer (src/mktable --types-test,
# t/helper/mkcheckpoint) round-trip through every codec, with and
# without dictionaries, with tiny pages and many row groups; the files
# the unit test makes by hand (every encoding, data pages v2, legacy
# list and map layouts) read as expected and as an independent reader
# (hyparquet, t/helper/parquet-dump.mjs) reads them; hostile files fail
# with a one-line message.  Over the shared Delta corpus: every Parquet
# file reads whole, checkpoints agree with hyparquet row for row, and
# stats rendered from stats_parsed (and partition values from
# partitionValues_parsed) equal the JSON the tables' writers wrote.

. "$(dirname "$0")/test-lib.sh"

CAT=$DS_BUILD_DIR/t/helper/parquet-cat
MKCK=$DS_BUILD_DIR/t/helper/mkcheckpoint
MKTABLE=$DS_BUILD_DIR/src/mktable
UNIT=$DS_BUILD_DIR/t/unit/u-parquet-read
DUMP=$DS_SRC_DIR/t/helper/parquet-dump.mjs
TABLES=$SHARED_DIR/delta-tables

[ -x "$CAT" ] && [ -x "$MKCK" ] && [ -x "$UNIT" ] ||
	test_skip_all "t/helper/parquet-cat, mkcheckpoint or u-parquet-read not built"
[ -x "$MKTABLE" ] && test_set_prereq MKTABLE
command -v node >/dev/null 2>&1 &&
[ -d "$DS_NODE_MODULES/hyparquet" ] &&
[ -d "$DS_NODE_MODULES/fzstd" ] && test_set_prereq NODE
# test-lib.sh takes one prerequisite per test: these combine two.
test_have_prereq SHARED_TABLES && test_have_prereq NODE &&
	test_set_prereq TABLES_NODE
test_have_prereq SHARED_TABLES && test_have_prereq JQ &&
	test_set_prereq TABLES_JQ

# The Parquet files under $1, sorted, one per line, into the file $2.
find_parquet() {
	find "$1" -name '*.parquet' -type f | LC_ALL=C sort >"$2"
}

for codec in uncompressed snappy gzip zstd; do
	test_expect_success MKTABLE "our writer's types round-trip ($codec)" "
		\"\$MKTABLE\" --types-test --codec $codec t.parquet >expect &&
		\"\$CAT\" t.parquet >actual &&
		test_cmp expect actual &&
		\"\$CAT\" --mem t.parquet >actual &&
		test_cmp expect actual &&
		\"\$MKTABLE\" --types-test --codec $codec --dictionary \
		    --page-bytes 300 --row-group-rows 70 d.parquet >expect &&
		\"\$CAT\" d.parquet >actual &&
		test_cmp expect actual &&
		\"\$CAT\" --count d.parquet >count &&
		echo '300 300' >want &&
		test_cmp want count
	"
done

test_expect_success MKTABLE 'a page per value, a row group per row' '
	"$MKTABLE" --types-test --codec snappy --rows 40 --page-bytes 1 \
	    --row-group-rows 1 tiny.parquet >expect &&
	"$CAT" tiny.parquet >actual &&
	test_cmp expect actual &&
	"$CAT" --meta tiny.parquet >meta &&
	test $(grep -o "\"num_rows\":1," meta | wc -l) = 40
'

test_expect_success MKTABLE 'limits hold: a footer over the tiny cap' '
	"$MKTABLE" --types-test --rows 40 --page-bytes 1 --row-group-rows 1 \
	    big.parquet >/dev/null &&
	test_must_fail "$CAT" --tiny big.parquet >out 2>err &&
	grep "^parquet-cat: big.parquet: parquet: footer of [0-9]* bytes" err &&
	test $(wc -l <err) = 1
'

test_expect_success 'checkpoint-like files: projections' '
	"$MKCK" --rows 50 --stats-parsed --dictionary ck.parquet >n &&
	echo 62 >want &&
	test_cmp want n &&
	"$CAT" --count --select add.path ck.parquet >count &&
	echo "62 62" >want &&
	test_cmp want count &&
	"$CAT" --style delta --select add.path --select add.size \
	    --select remove.path ck.parquet >rows &&
	sed -n 3p rows >row &&
	printf "%s\n" "{\"add\":{\"path\":\"date=2024-01-01/part-00000-00000000-6c4f-4b0e-9a2d-000000000000.c000.snappy.parquet\",\"size\":100000}}" >want &&
	test_cmp want row &&
	grep -c "\"remove\":{\"path\":" rows >n &&
	echo 10 >want &&
	test_cmp want n &&
	"$CAT" --style delta --value add.stats_parsed ck.parquet >sp &&
	sed -n 1p sp >first &&
	printf "%s\n" "{\"numRecords\":1000,\"minValues\":{\"id\":0,\"name\":\"name-00000000-0\",\"ts\":\"2024-01-01T00:00:00.000Z\"},\"maxValues\":{\"id\":999,\"name\":\"name-00000000-1\",\"ts\":\"2024-01-01T00:01:00.000Z\"},\"nullCount\":{\"id\":0,\"name\":0,\"ts\":0}}" >want &&
	test_cmp want first
'

test_expect_success NODE 'checkpoint-like files read as hyparquet reads them' '
	"$MKCK" --rows 300 --stats-parsed --codec zstd --page-bytes 2000 \
	    --row-group-rows 100 ck.parquet >/dev/null &&
	node "$DUMP" --rows ck.parquet >expect &&
	"$CAT" ck.parquet >actual &&
	test_cmp expect actual
'

test_expect_success 'hand-made files: every encoding, v2 pages, legacy layouts' '
	mkdir hm &&
	"$UNIT" --write hm >unit.tap &&
	! grep "^not ok" unit.tap &&
	n=0 &&
	for f in hm/*.parquet; do
		"$CAT" "$f" >actual &&
		test_cmp "${f%.parquet}.expect" actual &&
		n=$((n + 1)) || return 1
	done &&
	test $n -ge 20
'

# hyparquet does not apply LogicalTypes.md's backward-compatibility rules
# for lists and maps, nor read BIT_PACKED levels: those files are ours
# alone.
OURS_ONLY="bare-repeated bit-packed-levels list-array list-of-lists-legacy
list-tuple list-two-level map-key-value-legacy map-keys-only"

test_expect_success NODE 'hand-made files read as hyparquet reads them' '
	n=0 &&
	for f in hm/*.parquet; do
		b=$(basename "$f" .parquet) &&
		case " $(echo $OURS_ONLY) " in *" $b "*) continue ;; esac &&
		node "$DUMP" --rows "$f" >expect &&
		"$CAT" "$f" >actual &&
		test_cmp expect actual &&
		n=$((n + 1)) || return 1
	done &&
	test $n -ge 12
'

test_expect_success 'hostile files fail with one line, exit 1' '
	printf "PAR1" >short.parquet &&
	test_must_fail "$CAT" short.parquet 2>err &&
	grep "^parquet-cat: short.parquet: parquet: a file of 4 bytes" err &&
	printf "PAR1\377\377\377\177PAR1" >foot.parquet &&
	test_must_fail "$CAT" foot.parquet 2>err &&
	grep "footer of 2147483647 bytes in a file of 12" err &&
	head -c 100 hm/writer-snappy.parquet >cut.parquet &&
	test_must_fail "$CAT" cut.parquet 2>err &&
	grep "no PAR1 magic at the end" err &&
	test_must_fail "$CAT" no-such-file 2>err &&
	grep "cannot open" err &&
	test $(wc -l <err) = 1
'

# --- the shared Delta corpus -------------------------------------------------

test_expect_success SHARED_TABLES 'every Parquet file of the corpus reads whole' '
	find_parquet "$TABLES" all &&
	test $(wc -l <all) -gt 1000 &&
	: >fail &&
	while IFS= read -r f; do
		"$CAT" --count "$f" >c 2>e &&
		read got want <c &&
		test "$got" = "$want" ||
		echo "$f: $(cat e c)" >>fail
	done <all &&
	test_cmp /dev/null fail
'

test_expect_success TABLES_NODE 'checkpoints and sidecars agree with hyparquet' '
	grep "/_delta_log/" all >logs &&
	test $(wc -l <logs) -ge 70 &&
	: >fail &&
	while IFS= read -r f; do
		node "$DUMP" --rows "$f" >expect &&
		"$CAT" "$f" >actual &&
		cmp -s expect actual ||
		echo "$f" >>fail
	done <logs &&
	test_cmp /dev/null fail
'

# node takes a quarter of a second a file: the expected results, and
# one data file in eight.
test_expect_success TABLES_NODE 'expected results and data files agree with hyparquet' '
	{ grep "/expected/" all &&
	  grep -v "/_delta_log/" all | grep -v "/expected/" | awk "NR % 8 == 1"
	} >data &&
	test $(wc -l <data) -gt 250 &&
	: >fail &&
	while IFS= read -r f; do
		node "$DUMP" --rows "$f" >expect &&
		"$CAT" "$f" >actual &&
		cmp -s expect actual ||
		echo "$f" >>fail
	done <data &&
	test_cmp /dev/null fail
'

# The tables' schemas say "timestamp" (UTC) for every timestamp in their
# stats, whatever the checkpoint writer annotated, hence --utc.
stats_vs_commits() {
	"$CAT" --style delta --utc --select add.path --select add.stats_parsed \
	    "$2" | jq -cS "select(.add.stats_parsed) |
		{path: .add.path, stats: .add.stats_parsed}" | sort -u >ours &&
	cat "$1"/_delta_log/*.json | jq -cS "select(.add.stats) |
		{path: .add.path, stats: (.add.stats | fromjson)}" |
	    sort -u >theirs &&
	test -s ours &&
	comm -23 ours theirs >missing &&
	test_cmp /dev/null missing
}

test_expect_success TABLES_JQ 'stats_parsed renders as the commits stats (v1)' '
	t=$TABLES/kernel-rs/v1-single-part-struct-stats-only/delta &&
	stats_vs_commits "$t" \
	    "$t/_delta_log/00000000000000000005.checkpoint.parquet"
'

test_expect_success TABLES_JQ 'stats_parsed renders as the commits stats (v2 sidecar)' '
	t=$TABLES/kernel-rs/v2-parquet-sidecars-struct-stats-only/delta &&
	stats_vs_commits "$t" "$(ls "$t"/_delta_log/_sidecars/*.parquet)"
'

test_expect_success TABLES_JQ 'stats_parsed renders as the commits stats (multi-part, decimals, timestamps)' '
	t=$TABLES/kernel-rs/v1-multi-part-struct-stats-only/delta &&
	stats_vs_commits "$t" \
	    "$t/_delta_log/00000000000000000005.checkpoint.0000000001.0000000003.parquet" &&
	t=$TABLES/delta-rs/delta-1.2.1-only-struct-stats/delta &&
	stats_vs_commits "$t" \
	    "$t/_delta_log/00000000000000000010.checkpoint.parquet" &&
	t=$TABLES/kernel-rs/parsed-stats/delta &&
	stats_vs_commits "$t" \
	    "$t/_delta_log/00000000000000000003.checkpoint.parquet"
'

test_expect_success TABLES_JQ 'stats_parsed equals stats in the same rows' '
	grep "/_delta_log/" all >logs &&
	: >fail && n=0 &&
	while IFS= read -r f; do
		"$CAT" --schema "$f" | grep -q "^add.stats_parsed " ||
			continue
		"$CAT" --style delta --utc --select add.stats \
		    --select add.stats_parsed "$f" >rows &&
		jq -c "select(.add.stats and .add.stats_parsed) |
		    ((.add.stats | fromjson) == .add.stats_parsed)" \
		    <rows >eq &&
		n=$((n + $(grep -c true eq || :))) &&
		! grep -q false eq || echo "$f" >>fail
	done <logs &&
	test_cmp /dev/null fail &&
	test $n -ge 150
'

test_expect_success TABLES_JQ 'partitionValues_parsed renders as partitionValues' '
	: >fail && n=0 &&
	while IFS= read -r f; do
		"$CAT" --schema "$f" |
		    grep -q "^add.partitionValues_parsed " || continue
		"$CAT" --style partition --select add.partitionValues \
		    --select add.partitionValues_parsed "$f" >rows &&
		jq -c "select(.add.partitionValues_parsed) |
		    (.add.partitionValues == .add.partitionValues_parsed)" \
		    <rows >eq &&
		n=$((n + $(grep -c true eq || :))) &&
		! grep -q false eq || echo "$f" >>fail
	done <logs &&
	test_cmp /dev/null fail &&
	test $n -ge 30
'

test_done
