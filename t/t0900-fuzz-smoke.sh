#!/bin/sh
#
# t0900-fuzz-smoke.sh: run each libFuzzer harness briefly on its seed
# corpus (plus a fresh directory for what it finds), under ASan and
# UBSan; any crash, leak, timeout or sanitizer report fails the test.
# FUZZ_SECONDS sets the time per harness (default 8).  Skipped when the
# harnesses were not built (configure found no suitable clang).
. "$(dirname "$0")/test-lib.sh"

# make check passes the list of every section's harnesses.
FUZZ_TARGETS=${FUZZ_TARGETS:-"request token json pagetoken name"}
FUZZ_SECONDS=${FUZZ_SECONDS:-8}

built=
for t in $FUZZ_TARGETS; do
	if [ -x "$DS_BUILD_DIR/t/fuzz/fuzz-$t" ]; then
		test_set_prereq "FUZZ_$t"
		built="$built $t"
	fi
done
why="no clang with -fsanitize=fuzzer,address,undefined"
[ -z "$FUZZ_CC" ] || why="FUZZ_CC=$FUZZ_CC, but no make fuzz-build yet"
[ -n "$built" ] || test_skip_all "libFuzzer harnesses not built: $why"

for t in $FUZZ_TARGETS; do
	test_expect_success "FUZZ_$t" \
	    "fuzz-$t runs ${FUZZ_SECONDS}s without a finding" '
		mkdir -p "found-$t" &&
		dict= &&
		if [ -f "$DS_SRC_DIR/t/fuzz/$t.dict" ]; then
			dict="-dict=$DS_SRC_DIR/t/fuzz/$t.dict"
		fi &&
		"$DS_BUILD_DIR/t/fuzz/fuzz-$t" -timeout=2 -rss_limit_mb=512 \
			-malloc_limit_mb=256 -max_total_time=$FUZZ_SECONDS \
			-print_final_stats=1 \
			-artifact_prefix="$TRASH/crash-$t-" \
			$dict "found-$t" "$DS_SRC_DIR/t/fuzz/corpus/$t" \
			>"fuzz-$t.log" 2>&1 ||
		{ tail -n 40 "fuzz-$t.log"; false; }
		grep "^stat::number_of_executed_units" "fuzz-$t.log"
	'
done

test_done
