# lib-pg.sh: a throwaway PostgreSQL cluster for one test script.
#
# pg_start initialises a cluster in $TRASH/pg that listens only on a unix
# socket in $TRASH/pgsock (no TCP), starts it with pg_ctl -w (which waits
# for readiness) and registers pg_stop with test_atexit.  As root, the
# cluster runs as $DS_TEST_USER, since PostgreSQL refuses to run as root.
# Sets PGHOST, PGUSER, PGDATABASE and DS_CONNINFO.

pg_bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

PG_BIN=$(pg_bindir) && test_set_prereq PG

pg_start() {
	test_toplevel pg_start || return 1
	[ -n "$PG_BIN" ] || { echo "no PostgreSQL server binaries" >&2; return 1; }
	PGDATA=$TRASH/pg
	PGSOCK=$TRASH/pgsock
	mkdir -p "$PGDATA" "$PGSOCK"
	chmod 700 "$PGDATA"
	if [ "$(id -u)" = 0 ]; then
		chown "$DS_TEST_USER" "$PGDATA" "$PGSOCK"
	fi
	run_as_test_user "$PG_BIN/initdb" -D "$PGDATA" -A trust -U deltashare \
	    -E UTF8 --locale=C.UTF-8 -N >"$TRASH/initdb.log" 2>&1 ||
		{ cat "$TRASH/initdb.log" >&2; return 1; }
	pg_ctl_start || return 1
	test_atexit pg_stop
	PGHOST=$PGSOCK
	PGUSER=deltashare
	PGDATABASE=postgres
	export PGHOST PGUSER PGDATABASE PGDATA
	DS_CONNINFO="host=$PGSOCK user=deltashare dbname=postgres"
}

pg_ctl_start() {
	run_as_test_user "$PG_BIN/pg_ctl" -D "$PGDATA" -w -t 60 \
	    -l "$PGSOCK/pg.log" \
	    -o "-k $PGSOCK -c listen_addresses='' -c fsync=off" start \
	    >/dev/null || { cat "$PGSOCK/pg.log" >&2; return 1; }
}

pg_stop() {
	run_as_test_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop \
	    >/dev/null 2>&1
}

# Run SQL as the cluster owner; prints unaligned tuples only.
pg_sql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"
}
