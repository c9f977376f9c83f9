#!/bin/sh
# t8300-storage-faults: a table whose storage is broken gets a clear JSON
# error on every table route, the other tables of the same share serve
# as before, and the table serves again once its storage is repaired,
# without restarting anything.  Through nginx, with the workers under
# spawn-fcgi as $DS_TEST_USER when the tests run as root, so that a
# chmod 000 stops them.  Cases: the table directory removed, _delta_log
# unreadable, the last commit truncated, a data file the log names
# removed (a lost commit is in t4001, the engine's view in t3400).  The
# workers' snapshot cache is off: a version a worker answered before
# needs no commit file, and this script is about reading a broken store
# (t4200 is about the cache).

. "$(dirname "$0")/lib-frontends.sh"
fe_require NGINX SPAWN_FCGI
MKTABLE=$DS_BUILD_DIR/src/mktable
test -x "$MKTABLE" || test_skip_all "mktable not built"
fe_setup "[cache]
snapshot_bytes = 0"
fe_workers_start || bail "cannot start the workers"
nginx_start || bail "cannot start nginx"
fe_login

T=/shares/s/schemas/a/tables
TABLES="good gone locked torn nofile"

test_expect_success 'set up: five tables in one share' '
	DS_TOKEN=$ADMIN_TOKEN &&
	for t in $TABLES; do
		"$MKTABLE" --seed 1 "$TRASH/tables/$t" >/dev/null &&
		api POST /admin/tables \
		    "{\"name\":\"$t\",\"location\":\"$TRASH/tables/$t\"}" &&
		expect_status 201 || return 1
	done &&
	share_to_recipient s a r1 $TABLES
'
R1=$(cat r1.token)

# The workers must not be able to read what chmod 000 hides.
[ "$(ps -o user= -p "$(fe_workers | head -n 1)")" != root ] &&
	test_set_prereq NOT_ROOT_WORKERS

# table_ok TABLE: version, metadata and query answer 200.
table_ok() {
	api -t "$R1" GET "$T/$1/version" && expect_status 200 &&
	api -t "$R1" GET "$T/$1/metadata" && expect_status 200 &&
	api -t "$R1" POST "$T/$1/query" "{}" && expect_status 200
}

# table_fails TABLE STATUS CODE MESSAGE [ROUTE...]: each route (default
# metadata and query) answers that JSON error, with no absolute path.
table_fails() {
	_t=$1 _st=$2 _code=$3 _msg=$4
	shift 4
	[ $# -gt 0 ] || set -- metadata query
	for _r in "$@"; do
		if [ "$_r" = query ]; then
			api -t "$R1" POST "$T/$_t/query" "{}"
		else
			api -t "$R1" GET "$T/$_t/$_r"
		fi &&
		expect_error "$_st" "$_code" "$_msg" &&
		! grep -q -F "$TRASH" resp.body || return 1
	done
}

# The others are unaffected: discovery and the good table.
others_ok() {
	api -t "$R1" GET "$T" && expect_status 200 &&
	expect_json "[.items[].name] | length == 5" &&
	api -t "$R1" GET /shares/s/all-tables && expect_status 200 &&
	table_ok good
}

test_expect_success 'every table serves before the faults' '
	for t in $TABLES; do table_ok $t || return 1; done
'

test_expect_success 'table directory removed: 404 JSON, the others serve' '
	mv "$TRASH/tables/gone" "$TRASH/gone.saved" &&
	table_fails gone 404 RESOURCE_DOES_NOT_EXIST \
	    "table location is not an existing directory" version metadata query &&
	others_ok &&
	mv "$TRASH/gone.saved" "$TRASH/tables/gone" && table_ok gone
'

test_expect_success NOT_ROOT_WORKERS '_delta_log unreadable: 502 STORAGE_ERROR, the others serve' '
	chmod 000 "$TRASH/tables/locked/_delta_log" &&
	test_when_finished "chmod 755 \"$TRASH/tables/locked/_delta_log\"" &&
	table_fails locked 502 STORAGE_ERROR "cannot read '\''_delta_log'\''" \
	    version metadata query &&
	grep -q "locked/_delta_log: Permission denied" "$FE_LOG" &&
	others_ok &&
	chmod 755 "$TRASH/tables/locked/_delta_log" && table_ok locked
'

test_expect_success NOT_ROOT_WORKERS 'a commit file unreadable: 502 STORAGE_ERROR' '
	c=$TRASH/tables/locked/_delta_log/00000000000000000001.json &&
	chmod 000 "$c" && test_when_finished "chmod 644 \"$c\"" &&
	table_fails locked 502 STORAGE_ERROR "cannot read" &&
	others_ok &&
	chmod 644 "$c" && table_ok locked
'

test_expect_success 'the last commit truncated: 502 STORAGE_ERROR naming it' '
	c=$(ls "$TRASH/tables/torn/_delta_log/"*.json | tail -n 1) &&
	cp "$c" commit.saved &&
	head -c 100 commit.saved >"$c" &&
	table_fails torn 502 STORAGE_ERROR \
	    "$(basename "$c"): line 1: malformed JSON" &&
	others_ok &&
	cp commit.saved "$c" && table_ok torn
'

test_expect_success 'a commit of garbage bytes: 502 STORAGE_ERROR' '
	c=$(ls "$TRASH/tables/torn/_delta_log/"*.json | tail -n 1) &&
	head -c 300 /dev/urandom >"$c" &&
	table_fails torn 502 STORAGE_ERROR "$(basename "$c")" &&
	others_ok &&
	cp commit.saved "$c" && table_ok torn
'

# The log is right and the query lists the file; the download is what
# fails.  (nginx passes Host without the port: take the path only.)
test_expect_success 'a data file gone: still listed, its URL answers 404 JSON' '
	api -t "$R1" POST "$T/nofile/query" "{}" && expect_status 200 &&
	jq -r "select(.file) | .file.url" resp.body >urls &&
	cp resp.body resp.before &&
	test $(wc -l <urls) -ge 2 &&
	f=$(cd "$TRASH/tables/nofile" && ls region=south/*.parquet | head -n 1) &&
	mv "$TRASH/tables/nofile/$f" lost.parquet &&
	api -t "$R1" POST "$T/nofile/query" "{}" && expect_status 200 &&
	jq -r "select(.file) | .file.id" resp.body >ids.after &&
	jq -r "select(.file) | .file.id" resp.before >ids &&
	test_cmp ids ids.after &&
	n404=0 &&
	for u in $(cat urls); do
		api -t "" GET "/files/${u##*/files/}" &&
		case $(status) in
		200) ;;
		404) expect_error 404 RESOURCE_DOES_NOT_EXIST &&
		     ! grep -q -F "$TRASH" resp.body && n404=$((n404 + 1)) ;;
		*) echo "unexpected $(status): $(body)" >&2; return 1 ;;
		esac || return 1
	done &&
	test $n404 = 1 &&
	others_ok &&
	mv lost.parquet "$TRASH/tables/nofile/$f" && table_ok nofile
'

test_expect_success 'the workers that answered all this are the ones started' '
	fe_workers >pids && test "$(sort pids)" = "$(tr " " "\n" <"$HTTPD_DIR/workers.pid" | sort)"
'

test_done
