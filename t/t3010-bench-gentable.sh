#!/bin/sh
# t3010-bench-gentable: the benchmark's table generator (bench/gentable)
# on a small table, read back with the log engine (deltashare-inspect)
# and t/helper/parquet-cat: the live files are the ones it reports, the
# checkpoint plus tail and the JSON-only copy hold the same files with the
# same sizes, partitions and stats, _last_checkpoint names the newest
# checkpoint, tiny data files are at every live path, and a run is a
# function of its seed.

. "$(dirname "$0")/test-lib.sh"

GEN=$DS_BUILD_DIR/bench/gentable
INSPECT=$DS_BUILD_DIR/src/deltashare-inspect
CAT=$DS_BUILD_DIR/t/helper/parquet-cat

[ -x "$GEN" ] || test_skip_all "bench/gentable not built"

# The file lines of a snapshot without the fields that are the same in
# both forms anyway, sorted: path, size, partitionValues, stats.
live_files() {
	"$INSPECT" "$@" >snap &&
	grep '^{"file":' snap |
	sed 's/,"modificationTime":[0-9]*//; s/,"dataChange":[a-z]*//' |
	sort
}

test_expect_success 'usage errors exit 2, bad values 1' '
	test_must_fail "$GEN" t 2>err &&
	grep "^usage: gentable" err &&
	test_must_fail "$GEN" --files 10 2>err &&
	grep "^usage: gentable" err &&
	test_must_fail "$GEN" --files 0x t 2>err &&
	grep "^gentable: bad number" err &&
	test_must_fail "$GEN" --files 10 --data some t 2>err &&
	grep "^gentable: bad --data" err &&
	test_must_fail "$GEN" --files 10 --commits 500 t 2>err &&
	grep "too many commits" err
'

test_expect_success 'a 2000-file table with its JSON-only copy' '
	"$GEN" --files 2000 --checkpoint-every 10 --keep-checkpoints 0 \
	    --data tiny --json-only "$TRASH/j" "$TRASH/t" >out &&
	cat >expect <<-EOF &&
	$TRASH/t: version 27, 2000 live files, 2 checkpoints, BYTES
	$TRASH/j: version 27, 2000 live files, 0 checkpoints, BYTES
	EOF
	sed "s/, [0-9]* bytes of JSON log, [0-9]* bytes of checkpoints/, BYTES/" \
	    out >got &&
	test_cmp expect got &&
	say_diag "$(cat out)"
'

test_expect_success 'the engine reads 2000 live files at version 27' '
	live_files "$TRASH/t" >t.files &&
	head -n 1 snap >got &&
	echo "{\"snapshot\":{\"version\":27}}" >expect &&
	test_cmp expect got &&
	test $(wc -l <t.files) = 2000 &&
	live_files "$TRASH/j" >j.files &&
	test $(wc -l <j.files) = 2000
'

test_expect_success 'checkpoint + tail and JSON-only hold the same files' '
	test_cmp t.files j.files &&
	grep -c "\"stats\":{\"numRecords\":[0-9]*,\"minValues\":{\"id\":" \
	    t.files >n &&
	echo 2000 >expect &&
	test_cmp expect n &&
	grep -c "\"partitionValues\":{\"date\":\"20[0-9-]*\",\"region\":" \
	    t.files >n &&
	test_cmp expect n
'

test_expect_success 'and so does the checkpoint itself (version 20)' '
	live_files --version 20 "$TRASH/t" >t20 &&
	live_files --version 20 "$TRASH/j" >j20 &&
	test_cmp t20 j20
'

test_expect_success 'the log has removes, OPTIMIZEs and DELETEs' '
	cat t/_delta_log/*.json >log &&
	grep -q "^{\"remove\":" log &&
	grep -q "\"operation\":\"OPTIMIZE\"" log &&
	grep -q "\"operation\":\"DELETE\"" log &&
	test -z "$(find j/_delta_log -name "*.parquet")"
'

test_expect_success '_last_checkpoint names the newest checkpoint' '
	ls t/_delta_log/*.checkpoint.parquet >ckpts &&
	printf "t/_delta_log/%020d.checkpoint.parquet\n" 10 20 >expect &&
	test_cmp expect ckpts &&
	sed -n "s/^{\"version\":\([0-9]*\),\"size\":\([0-9]*\),.*/\1 \2/p" \
	    t/_delta_log/_last_checkpoint >got &&
	read v size <got &&
	test "$v" = 20 &&
	"$CAT" --num-rows t/_delta_log/00000000000000000020.checkpoint.parquet \
	    >rows &&
	echo "$size" >expect &&
	test_cmp expect rows
'

test_expect_success 'a tiny Parquet file at every live path of both tables' '
	sed "s/^{\"file\":{\"path\":\"\([^\"]*\)\".*/\1/" t.files >paths &&
	while read p; do
		test -f "t/$p" && test -f "j/$p" || return 1
	done <paths &&
	"$CAT" --num-rows "t/$(head -n 1 paths)" >rows &&
	echo 1 >expect &&
	test_cmp expect rows
'

test_expect_success 'the same seed writes the same log, another seed not' '
	"$GEN" --files 2000 --checkpoint-every 10 --data tiny again \
	    >/dev/null &&
	for f in t/_delta_log/*.json; do
		cmp "$f" "again/_delta_log/${f##*/}" || return 1
	done &&
	cmp t/_delta_log/_last_checkpoint again/_delta_log/_last_checkpoint &&
	"$GEN" --files 2000 --checkpoint-every 10 --seed 2 other >/dev/null &&
	! cmp -s t/_delta_log/00000000000000000000.json \
	    other/_delta_log/00000000000000000000.json
'

test_done
