#!/bin/sh
# t3000-mktable: src/mktable and the Parquet and Delta writers under it,
# checked with an independent reader (hyparquet, t/helper/parquet-dump.mjs):
# the demo table's log replays, every live file decodes and matches its
# add action (rows, min/max, null counts, partition paths); a file with
# every supported type, nulls and nested data round-trips through each
# codec, with and without dictionaries, many pages and row groups, and
# its footer statistics match its data; runs are deterministic.

. "$(dirname "$0")/test-lib.sh"

MKTABLE=$DS_BUILD_DIR/src/mktable
DUMP=$DS_SRC_DIR/t/helper/parquet-dump.mjs

[ -x "$MKTABLE" ] || test_skip_all "src/mktable not built"
command -v node >/dev/null 2>&1 || test_skip_all "node not installed"
[ -d "$DS_NODE_MODULES/hyparquet" ] &&
[ -d "$DS_NODE_MODULES/fzstd" ] ||
	test_skip_all "no t/node/node_modules (run: npm ci --prefix t/node)"

dump() {
	node "$DUMP" "$@"
}

# expect_code N command...: the command exits with status N.
expect_code() {
	_want=$1
	shift
	"$@" && _rc=0 || _rc=$?
	[ "$_rc" = "$_want" ] && return 0
	echo "expect_code: '$*' exited $_rc, not $_want" >&2
	return 1
}

# File names and contents of a table, without the commit files (whose
# timestamps differ from run to run).
table_sums() {
	(cd "$1" && find . -name "*.parquet" -exec md5sum {} + | sort)
}

test_expect_success 'usage errors exit 2' '
	expect_code 2 "$MKTABLE" &&
	expect_code 2 "$MKTABLE" --no-such-option t &&
	expect_code 2 "$MKTABLE" a b &&
	expect_code 2 "$MKTABLE" --rows 2>err
'

test_expect_success 'bad values are one-line errors, exit 1' '
	expect_code 1 "$MKTABLE" --rows 0 t 2>err &&
	grep "^mktable: --rows: bad number" err &&
	expect_code 1 "$MKTABLE" --types-test --codec lz4 f 2>err &&
	grep "^mktable: unknown codec" err &&
	test $(wc -l <err) = 1 &&
	: >plainfile &&
	expect_code 1 "$MKTABLE" plainfile/t 2>err &&
	grep "^mktable: cannot create" err
'

test_expect_success 'the demo table: four commits, a summary line' '
	"$MKTABLE" demo >out &&
	echo "demo: version 3, 8 live files, 153 live rows" >expect &&
	test_cmp expect out &&
	ls demo/_delta_log >log &&
	printf "%020d.json\n" 0 1 2 3 >expect &&
	test_cmp expect log
'

test_expect_success 'its log replays and every live file matches its add' '
	dump --delta demo >out &&
	echo "demo: version 3, 8 live files, 153 live rows" >expect &&
	test_cmp expect out
'

LOG=demo/_delta_log
V0=$LOG/00000000000000000000.json
V1=$LOG/00000000000000000001.json
V2=$LOG/00000000000000000002.json
V3=$LOG/00000000000000000003.json

test_expect_success 'partition paths: escaped on disk, URI-encoded in the log' '
	test -d "demo/region=north east" &&
	test -d "demo/region=z$(printf "\303\274")rich" &&
	name="part-0000[0-9]-[0-9a-f-]*\.c000\.snappy\.parquet" &&
	grep -q "\"path\":\"region=north%20east/$name\"" $V0 &&
	grep -q "\"path\":\"region=z%C3%BCrich/$name\"" $V1 &&
	grep -q "\"partitionValues\":{\"region\":\"north east\"}" $V0
'

test_expect_success 'the commits hold the expected actions' '
	head -n 1 $V0 | grep -q "^{\"commitInfo\":" &&
	p="{\"minReaderVersion\":1,\"minWriterVersion\":4}" &&
	grep -q "^{\"protocol\":$p}$" $V0 &&
	grep -q "\"configuration\":{\"delta.enableChangeDataFeed\":\"true\"}" $V0 &&
	grep -q "\"partitionColumns\":\[\"region\"\]" $V0 &&
	test $(grep -c "^{\"add\":" $V0) = 4 &&
	test $(grep -c "^{\"add\":" $V1) = 2 &&
	r="\"extendedFileMetadata\":true,\"partitionValues\":" &&
	r="$r{\"region\":\"south\"},\"size\":[0-9]*}}$" &&
	grep -q "^{\"remove\":{.*$r" $V2 &&
	test $(grep -c "^{\"add\":" $V2) = 1 &&
	grep -q "\"operation\":\"DELETE\"" $V2 &&
	c="^{\"cdc\":{\"path\":\"_change_data/cdc-00000-[0-9a-f-]*.c000.snappy.parquet\"" &&
	grep -q "$c,\"partitionValues\":{\"region\":\"south\"},\"size\":[0-9]*,\"dataChange\":false}}$" $V2 &&
	test $(grep -c "^{\"add\":" $V3) = 2
'

test_expect_success 'data files carry their schema and a footer we wrote' '
	f=$(find demo -name "*.parquet" | head -n 1) &&
	dump --schema "$f" >schema &&
	ts="\"type\":\"TIMESTAMP\",\"isAdjustedToUTC\":true" &&
	ts="$ts,\"unit\":\"MICROS\"" &&
	grep -q "\"converted_type\":\"TIMESTAMP_MICROS\"" schema &&
	grep -q "\"name\":\"ts\",[^}]*\"logical_type\":{$ts}" schema &&
	grep -q "\"name\":\"day\",\"converted_type\":\"DATE\"" schema &&
	dump --meta "$f" >meta &&
	grep -q "\"created_by\":\"deltashare version [0-9]" meta &&
	grep -q "\"codec\":\"SNAPPY\"" meta &&
	dump --check-stats "$f"
'

test_expect_success 'a second run leaves the table alone' '
	table_sums demo >before &&
	cp -p demo/_delta_log/00000000000000000000.json v0 &&
	"$MKTABLE" demo >out &&
	grep -q "already a Delta table, left alone" out &&
	table_sums demo >after &&
	test_cmp before after &&
	cmp v0 demo/_delta_log/00000000000000000000.json
'

test_expect_success 'the same seed gives the same files; --force rewrites' '
	"$MKTABLE" demo2 >/dev/null &&
	table_sums demo >a &&
	table_sums demo2 >b &&
	test_cmp a b &&
	"$MKTABLE" --force --seed 7 demo2 >out &&
	dump --delta demo2 >check &&
	test_cmp out check &&
	table_sums demo2 >c &&
	! cmp -s a c &&
	test $(ls demo2/_delta_log | wc -l) = 4
'

test_expect_success '--rows and --files shape the table' '
	"$MKTABLE" --rows 7 --files 6 small >out &&
	echo "small: version 3, 10 live files, 68 live rows" >expect &&
	test_cmp expect out &&
	dump --delta small >check &&
	test_cmp expect check
'

for codec in uncompressed snappy gzip zstd; do
	test_expect_success "every type round-trips with $codec" "
		\"\$MKTABLE\" --types-test --codec $codec types-$codec.parquet \
		    >expect &&
		test \$(wc -l <expect) = 300 &&
		dump --rows types-$codec.parquet >actual &&
		test_cmp expect actual &&
		dump --check-stats types-$codec.parquet
	"
done

test_expect_success 'dictionary pages, many pages and row groups' '
	"$MKTABLE" --types-test --codec zstd --dictionary --page-bytes 300 \
	    --row-group-rows 70 dict.parquet >expect &&
	dump --rows dict.parquet >actual &&
	test_cmp expect actual &&
	dump --check-stats dict.parquet &&
	dump --meta dict.parquet >meta &&
	grep -q "\"encodings\":\[\"PLAIN\",\"RLE\",\"RLE_DICTIONARY\"\]" meta &&
	grep -q "\"dictionary_page_offset\":[0-9]" meta &&
	test $(grep -o "\"num_rows\":70," meta | wc -l) = 4
'

test_expect_success 'one row per row group and a page per value' '
	"$MKTABLE" --types-test --codec snappy --rows 40 --page-bytes 1 \
	    --row-group-rows 1 tiny.parquet >expect &&
	dump --rows tiny.parquet >actual &&
	test_cmp expect actual &&
	dump --check-stats tiny.parquet
'

test_expect_success 'the file is renamed into place, no temporary left' '
	ls >files &&
	! grep "\.tmp$" files
'

test_done
