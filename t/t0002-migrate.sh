#!/bin/sh
# t0002-migrate: "deltashare migrate" applies the embedded migrations in
# order, records them, changes nothing when run again, is safe to run
# concurrently, and workers refuse to serve an out-of-date schema until
# it is migrated, without a restart.

. "$(dirname "$0")/lib-ds.sh"
test_have_prereq PG || test_skip_all "PostgreSQL server not installed"
pg_start || bail "cannot start PostgreSQL"
ds_config

test_expect_success 'a worker on an empty database answers 503, not 500' '
	body="{\"account\":\"admin\",\"password\":\"whatever-pw\"}" &&
	printf %s "$body" | REQUEST_METHOD=POST \
	    REQUEST_URI=/delta-sharing/admin/login CONTENT_LENGTH=${#body} \
	    DELTASHARE_CONF=$DS_CONF "$DS_BIN" >out 2>err &&
	grep -q "^Status: 503" out && grep -q "TEMPORARILY_UNAVAILABLE" out &&
	grep -q "^Retry-After: 1" out &&
	grep -q "run .deltashare migrate." err
'

test_expect_success 'status lists pending migrations' '
	ds migrate --status >out &&
	grep -q "^0001-catalog  *pending$" out &&
	grep -q "^0002-storage  *pending$" out &&
	grep -q "^0003-sharing-log  *pending$" out &&
	grep -q "^0004-catalog-notify  *pending$" out &&
	grep -q "^0005-sharing-log-keys  *pending$" out
'

test_expect_success 'migrate applies and records every migration' '
	ds migrate >out &&
	grep -q "^applied 0001-catalog$" out &&
	grep -q "^applied 0002-storage$" out &&
	grep -q "^applied 0003-sharing-log$" out &&
	grep -q "^applied 0004-catalog-notify$" out &&
	grep -q "^applied 0005-sharing-log-keys$" out &&
	grep -q "^schema at version 5 (5 migrations applied)$" out &&
	test "$(pg_sql "SELECT version, name FROM schema_migrations ORDER BY 1" |
	    tr "\n" " ")" = "1|0001-catalog 2|0002-storage 3|0003-sharing-log 4|0004-catalog-notify 5|0005-sharing-log-keys "
'

test_expect_success 'running it again changes nothing' '
	pg_sql "SELECT count(*) FROM pg_class" >before &&
	ds migrate >out &&
	grep -q "(0 migrations applied)" out &&
	pg_sql "SELECT count(*) FROM pg_class" >after &&
	test_cmp before after &&
	ds migrate --status | grep -q "^0001-catalog  *[0-9]"
'

test_expect_success 'concurrent runs on a fresh database are safe' '
	pg_sql "CREATE DATABASE fresh" &&
	DELTASHARE_DB_CONNINFO="host=$PGSOCK user=deltashare dbname=fresh" &&
	export DELTASHARE_DB_CONNINFO &&
	{ ds migrate >m1 2>&1 & p1=$!; } &&
	{ ds migrate >m2 2>&1 & p2=$!; } &&
	{ ds migrate >m3 2>&1 & p3=$!; } &&
	wait $p1 && wait $p2 && wait $p3 &&
	cat m1 m2 m3 | grep -c "^applied 0001-catalog$" >n &&
	test "$(cat n)" = 1 &&
	test "$(psql -X -At -d fresh -c "SELECT count(*) FROM schema_migrations")" = 5
'

test_expect_success 'a failing migration rolls back completely' '
	pg_sql "CREATE DATABASE broken" &&
	psql -X -q -d broken -c "CREATE TABLE share (x int)" &&
	DELTASHARE_DB_CONNINFO="host=$PGSOCK user=deltashare dbname=broken" \
	    test_must_fail "$DS_BIN" -f "$DS_CONF" migrate >out 2>&1 &&
	grep -q "failed" out &&
	test "$(psql -X -At -d broken -c "SELECT count(*) FROM schema_migrations")" = 0 &&
	test "$(psql -X -At -d broken -c "SELECT count(*) FROM pg_tables WHERE tablename = '\''account'\''")" = 0
'

test_expect_success 'an unreachable database is a clear error' '
	DELTASHARE_DB_CONNINFO="host=$TRASH/nowhere user=x dbname=x" \
	    test_must_fail "$DS_BIN" -f "$DS_CONF" migrate 2>err &&
	grep -q "database unavailable" err
'

# An upgrade: the program is newer than the schema of a running
# deployment (here, a database migrated by a release that stopped at
# 0002).  Its workers answer 503 until "deltashare migrate" has run, then
# serve: the same workers, without a restart.
test_have_prereq LIGHTTPD && test_set_prereq UPGRADE
if test_have_prereq UPGRADE; then
	pg_sql "CREATE DATABASE upgrade" &&
	sed "s|^conninfo = .*|conninfo = host=$PGSOCK user=deltashare dbname=upgrade|" \
	    "$DS_CONF" >upgrade.ini &&
	DS_CONF=$TRASH/upgrade.ini &&
	ds migrate >/dev/null &&
	psql -X -q -d upgrade -c "DELETE FROM schema_migrations WHERE version >= 3" \
	    -c "DROP TABLE sharing_log" \
	    -c "DROP FUNCTION ds_catalog_changed() CASCADE" ||
	    bail "cannot set up the old schema"
	test_atexit ds_metrics_unlink
	lighttpd_start || bail "cannot start lighttpd"
fi

test_expect_success UPGRADE 'running workers answer 503 while the schema is behind' '
	api -t "" GET /health && expect_error 503 TEMPORARILY_UNAVAILABLE &&
	test -n "$(header Retry-After)" &&
	api -t "" POST /admin/login "{\"account\":\"a\",\"password\":\"b\"}" &&
	expect_error 503 TEMPORARILY_UNAVAILABLE &&
	grep -q "run .deltashare migrate." "$HTTPD_DIR"/*.log
'

test_expect_success UPGRADE 'after deltashare migrate the same workers serve' '
	lighttpd_workers | sort >pids.before &&
	test -s pids.before &&
	ds migrate >out && grep -q "^applied 0003-sharing-log$" out &&
	grep -q "^applied 0004-catalog-notify$" out &&
	api -t "" GET /health && expect_status 200 &&
	api -t "" POST /admin/login "{\"account\":\"a\",\"password\":\"b\"}" &&
	expect_error 401 UNAUTHENTICATED &&
	lighttpd_workers | sort >pids.after &&
	test_cmp pids.before pids.after
'

test_done
