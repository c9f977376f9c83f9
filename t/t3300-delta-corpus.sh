#!/bin/sh
# t3300-delta-corpus: the Delta log engine against every table of the
# shared corpus ($SHARED_DIR/delta-tables), through t/helper/delta-conform:
# row counts per version with expected results (footer rows minus
# deletion-vector cardinalities), DAT version metadata, change data feed
# rows per commit and change type, the tables meant to fail or to be
# refused, time travel by timestamp; then every table with a checkpoint
# and a complete JSON log is replayed again without its checkpoints,
# version by version, and must give the same live files.  One TAP line
# per (table, check); the pass counts per feature group of MANIFEST.md
# come last as diagnostics.
#
# The corpus is copied into the trash directory and mended as
# t/lib-corpus.sh says.

. "$(dirname "$0")/test-lib.sh"
. "$DS_SRC_DIR/t/lib-corpus.sh"

HELPER=$DS_BUILD_DIR/t/helper/delta-conform

[ -x "$HELPER" ] || test_skip_all "t/helper/delta-conform not built"
corpus_skip_unless_ready

test_expect_success 'copy the corpus, set its commit times, mend two tables' '
	corpus_copy corpus
'

# The helper prints "ok|not ok|skip TABLE CHECK DETAIL" lines; each
# becomes one TAP line here.
"$HELPER" "$PWD/corpus" >results 2>helper.err
echo $? >helper.rc

test_expect_success 'the conformance helper ran over every table' '
	test "$(cat helper.rc)" -le 1 &&
	test ! -s helper.err &&
	test $(cut -f 2 results | grep -v "^group" | sort -u | wc -l) -ge 175
'

tab=$(printf '\t')
while IFS=$tab read -r status table check detail; do
	case $status in
	ok)
		test_ok "$table: $check"
		[ -z "$test_verbose" ] || say_diag "$detail"
		;;
	"not ok")
		test_not_ok "$table: $check"
		say_diag "$detail"
		;;
	skip)
		test_count=$((test_count + 1))
		say "ok $test_count # skip $table: $check ($detail)"
		;;
	esac
done <results

# Checkpoints against the JSON commits alone: the same live files (path,
# size, partition values, DV) at every version, and the same numRecords
# and rows where the checkpoint keeps stats (DAT's no_stats and
# stats_as_struct checkpoints have none: the helper prints -1).
compare_twin() {
	mkdir -p "twins/$1" &&
	cp -a "corpus/$1/delta/." "twins/$1" &&
	rm -rf "twins/$1/_delta_log/_sidecars" &&
	rm -f "twins/$1/_delta_log/"*.checkpoint.* \
	    "twins/$1/_delta_log/_last_checkpoint" &&
	! ls "twins/$1/_delta_log" | grep -q checkpoint &&
	"$HELPER" --files "$PWD/corpus/$1/delta" | sort >ck.out &&
	"$HELPER" --files "$PWD/twins/$1" | sort >json.out &&
	test -s json.out &&
	cut -f 1-5,7 json.out >json.files &&
	cut -f 1-5,7 ck.out >ck.files &&
	test_cmp json.files ck.files &&
	awk -F "$tab" '$6 != -1' ck.out >ck.stats &&
	comm -23 ck.stats json.out >ck.only &&
	test_cmp /dev/null ck.only
}

for t in $(sed -n "s/^twin$tab//p" results); do
	test_expect_success "checkpoints replay as the JSON log: $t" \
	    "compare_twin $t"
done

# The pass counts per feature group of MANIFEST.md.
say_diag "$(printf '%-46s %6s %7s %9s' 'feature group' tables passing \
    checks)"
while IFS=$tab read -r kind name tables passing ok all; do
	[ "$kind" = group ] || continue
	say_diag "$(printf '%-46s %6s %7s %9s' "$name" "$tables" "$passing" \
	    "$ok/$all")"
done <results

test_done
