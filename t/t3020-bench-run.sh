#!/bin/sh
# t3020-bench-run: the benchmark runner (bench/run, "make bench") on tiny
# tables, to prove it works end to end: tables generated, floors
# measured, deltashare and the hello-world responder measured behind the
# shipped lighttpd config, one line per target P1-P7, and the same in
# JSON with the machine described.  No figure is judged here: timing
# belongs to the benchmark, not to the tests.

. "$(dirname "$0")/test-lib.sh"
. "$DS_SRC_DIR/t/lib-pg.sh"

RUN=$DS_SRC_DIR/bench/run
for p in probe hello-fcgi gentable; do
	[ -x "$DS_BUILD_DIR/bench/$p" ] || test_skip_all "bench/$p not built"
done
test_have_prereq PG || test_skip_all "PostgreSQL server not installed"
for c in wrk curl jq; do
	command -v $c >/dev/null 2>&1 || test_skip_all "$c not installed"
done
command -v lighttpd >/dev/null 2>&1 || [ -x /usr/sbin/lighttpd ] ||
	test_skip_all "lighttpd not installed"

TINY="--files 2000 --huge 3000 --medium 200 --runs 1 --duration 1"

test_expect_success 'usage errors exit 2' '
	test_must_fail sh "$RUN" --bogus 1 2>err &&
	grep "^usage: bench/run" err
'

test_expect_success 'a tiny run measures every target' '
	sh "$RUN" $TINY --tables "$TRASH/tables" --out res.json >out 2>err ||
	    { cat out err; false; } &&
	cat out &&
	for p in P1 P2 P3 P4 P5 P6 P7; do
		grep -E "^$p  (pass|FAIL)  .*: [0-9.]+ .*; floor [0-9.]+ .*; ratio [0-9.]+, target [<>]= [0-9.]+$" out ||
		    { echo "no line for $p"; false; }
	done &&
	grep "^results: $TRASH/res.json$" out
'

test_expect_success 'the JSON holds the same targets, figures and machine' '
	jq -e ".targets | length == 7" res.json &&
	jq -e "[.targets[] | select(.measured and (.value | type) == \"number\"
	    and (.floor | type) == \"number\" and (.ratio | type) == \"number\"
	    and (.pass | type) == \"boolean\")] | length == 7" res.json &&
	jq -e ".machine.cpus >= 1 and (.machine.cpu | length) > 0 and
	    (.build.version | startswith(\"deltashare \"))" res.json &&
	jq -e ".figures[\"huge.peak_kib\"] > .figures[\"huge.idle_kib\"] and
	    .figures[\"floor.hello_rps\"] > 0 and .figures[\"disco.version.rps\"] > 0
	    and .figures[\"large.bytes\"] > 2000 * 100" res.json &&
	for p in P1 P2 P3 P4 P5 P6 P7; do
		r=$(jq -r ".targets[] | select(.id == \"$p\") | .ratio" res.json) &&
		l=$(sed -n "s/^$p .* ratio \([0-9.]*\),.*/\1/p" out) &&
		awk "BEGIN { exit !($r == $l) }" || return 1
	done
'

test_expect_success 'the tables are kept and reused; --only measures a subset' '
	test -f tables/large-2000/_delta_log/_last_checkpoint &&
	test -d tables/large-2000-json/_delta_log &&
	sh "$RUN" $TINY --tables "$TRASH/tables" --only P4 --out p4.json \
	    >out 2>err || { cat out err; false; } &&
	! grep "generating" err &&
	grep "^P4  \(pass\|FAIL\)" out &&
	grep "^P1  n/a" out &&
	jq -e "[.targets[] | select(.measured)] | length == 1" p4.json
'

test_done
