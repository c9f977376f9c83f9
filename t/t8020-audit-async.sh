#!/bin/sh
# t8020-audit-async: audit rows go to PostgreSQL without holding the
# sharing calls (src/audit.c), and the latest version comes from the
# worker's memory of the log while no commit follows (src/delta_tip.c).
# Through lighttpd with the shipped config (two workers): every record
# of a burst lands, also when the front end or the workers are stopped
# right after it; calls go on while sharing_log is locked or refuses
# rows; a version call sees a commit made just before it, whichever
# worker answers.

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
test -x "$MKTABLE" || test_skip_all "mktable not built"
AUDIT_FILE=$TRASH/audit.log
ds_start "[audit]
file = $AUDIT_FILE"

test_expect_success 'set up: a table shared with recipient r' '
	"$MKTABLE" --seed 1 "$TRASH/tables/demo" >demo.mk &&
	api -t "$ADMIN_TOKEN" POST /admin/tables \
	    "{\"name\":\"demo\",\"location\":\"$TRASH/tables/demo\"}" &&
	expect_status 201 &&
	share_to_recipient s d r demo
'
R=$(cat r.token 2>/dev/null)
T=/shares/s/schemas/d/tables/demo

# burst UA N: N calls, 16 at a time, half of them version calls; each
# must answer 200.
burst() {
	seq "$2" | sed "s|.*|$DS_URL/shares\n$DS_URL$T/version|" |
	    head -n "$2" |
	    xargs -P 16 -n 1 curl -s -o /dev/null -w "%{http_code}\n" \
	    --max-time 20 -A "$1" -H "Authorization: Bearer $R" >codes &&
	test "$(grep -c "^200$" codes)" = "$2"
}

rows() {
	pg_sql "SELECT count(*) FROM sharing_log WHERE line->>'userAgent' = '$1'"
}

# Wait until every worker of the stopped lighttpd has exited.
workers_gone() {
	for _w in $(cat workers); do
		test_poll "! test_alive $_w" || return 1
	done
}

test_expect_success 'a burst: every record stored once, read back' '
	burst burst-1 300 &&
	test_poll "test \$(rows burst-1) = 300" &&
	pg_sql "SELECT line->>'\''requestId'\'' FROM sharing_log" |
	    sort | uniq -d >dups && test ! -s dups
'

# Workers prune every 500 records: finding nothing past the retention
# must take a btree lookup, not a read of the table (a BRIN index on at
# made PostgreSQL's cost per call grow with the table).
test_expect_success 'the prunes find old rows through a btree index on at' '
	pg_sql "SELECT indexdef FROM pg_indexes WHERE tablename = '\''sharing_log'\''" >idx &&
	grep "USING btree (at)\$" idx
'

# Rows older than audit.retention_days (90) go as the workers prune:
# each one every 500 records it stores, with the batch that follows.
# Calls go on in bursts until the oldest row is gone.
old_rows() {
	pg_sql "INSERT INTO sharing_log (at, status, line)
	    SELECT now() - d * interval '1 day', 200,
	        json_build_object('userAgent', 'old-' || d)
	    FROM generate_series(89, 91) AS d"
}

test_expect_success 'rows past the retention are pruned, newer ones kept' '
	old_rows && test "$(rows old-91)" = 1 &&
	test_poll "burst prune-1 100 && test \$(rows old-91) = 0" 120 &&
	test "$(rows old-90)" = 0 && test "$(rows old-89)" = 1
'

test_expect_success 'a burst just before lighttpd stops: every record stored' '
	lighttpd_workers >workers && test -s workers &&
	burst burst-2 300 &&
	lighttpd_stop && workers_gone &&
	test "$(rows burst-2)" = 300 &&
	test "$(grep -c "\"burst-2\"" "$AUDIT_FILE")" = 300
'

lighttpd_start || bail "cannot start lighttpd again"

test_expect_success 'a burst just before the workers get SIGTERM: stored' '
	lighttpd_workers >workers && test -s workers &&
	burst burst-3 300 &&
	kill -TERM $(cat workers) && workers_gone &&
	test "$(rows burst-3)" = 300
'

# A session that holds sharing_log locked until it is killed.
lock_start() {
	psql -X -q -c "BEGIN" -c "LOCK TABLE sharing_log" \
	    -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	LOCK_PID=$!
	test_poll "test \"\$(pg_sql \"SELECT count(*) FROM pg_locks l
	    JOIN pg_class c ON c.oid = l.relation
	    WHERE c.relname = 'sharing_log' AND l.mode = 'AccessExclusiveLock'
	    AND l.granted\")\" = 1"
}

lock_stop() {
	[ -n "$LOCK_PID" ] || return 0
	kill "$LOCK_PID" 2>/dev/null
	wait "$LOCK_PID" 2>/dev/null
	pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()" \
	    >/dev/null
	LOCK_PID=
}
test_atexit lock_stop

lighttpd_stop
lighttpd_start || bail "cannot start lighttpd again"

test_expect_success 'calls go on while sharing_log is locked; rows land after' '
	lock_start &&
	burst burst-4 60 &&
	lock_stop &&
	test_poll "test \$(rows burst-4) = 60"
'

test_expect_success 'rows the database refuses: calls answered, rows logged' '
	pg_sql "ALTER TABLE sharing_log ADD CONSTRAINT t8020_refuse
	    CHECK (status < 0) NOT VALID" &&
	burst burst-5 40 &&
	test_poll "test \$(grep \"audit: record not stored\" \"$HTTPD_DIR/deltashare.log\" |
	    grep -c burst-5) = 40" &&
	pg_sql "ALTER TABLE sharing_log DROP CONSTRAINT t8020_refuse" &&
	burst burst-6 40 &&
	test_poll "test \$(rows burst-6) = 40" &&
	test "$(rows burst-5)" = 0
'

# commit V: a new commit V (one more file) in demo's log.
commit() {
	_l=$TRASH/tables/demo/_delta_log
	grep "\"add\"" "$_l/00000000000000000000.json" | head -n 1 |
	    sed "s/part-/v$1-part-/" >"$_l/.tmp" &&
	mv "$_l/.tmp" "$_l/$(printf %020d "$1").json"
}

# versions N: N version calls, 8 at a time (both workers answer).
versions() {
	seq "$1" | xargs -P 8 -I{} curl -s -D - -o /dev/null --max-time 20 \
	    -H "Authorization: Bearer $R" "$DS_URL$T/version" |
	    tr -d "\r" | sed -n "s/^[Dd]elta-[Tt]able-[Vv]ersion: //p" | sort | uniq -c
}

test_expect_success 'a version call sees a commit made just before it' '
	v=$(versions 1 | awk "{ print \$2 }") && test -n "$v" &&
	versions 40 >seen && test "$(cat seen)" = "     40 $v" &&
	for n in 1 2 3; do
		commit $((v + n)) &&
		versions 40 >seen &&
		test "$(cat seen)" = "     40 $((v + n))" || return 1
	done &&
	api -t "$R" POST "$T/query" "{}" && expect_status 200 &&
	test "$(header Delta-Table-Version)" = $((v + 3))
'

test_done
