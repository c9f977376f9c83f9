#!/bin/sh
# t8000-pg-restart: PostgreSQL going away and coming back.  Requests made
# during the outage get 503 JSON with Retry-After; the first request after
# it is back succeeds, from the same workers (no restart).

. "$(dirname "$0")/lib-ds.sh"
ds_start

test_expect_success 'set up a shared catalog' '
	DS_TOKEN=$ADMIN_TOKEN &&
	api POST /admin/shares "{\"name\":\"s\"}" && expect_status 201 &&
	make_recipient r && echo "$RCP_TOKEN" >r.token &&
	api POST /admin/shares/s/recipients "{\"recipient\":\"r\"}" &&
	expect_status 201
'
R=$(cat r.token)

# Warm both workers so each holds a database connection.
for i in 1 2 3 4 5 6; do api -t "$R" GET /shares; done
lighttpd_workers | sort >pids.before

pg_stop

test_expect_success 'during the outage: 503 JSON with Retry-After, on every kind of route' '
	for i in 1 2 3 4; do
		api -t "$R" GET /shares &&
		expect_error 503 TEMPORARILY_UNAVAILABLE "database" &&
		test "$(header Retry-After)" = 1 || return 1
	done &&
	api -t "$ADMIN_TOKEN" POST /admin/shares "{\"name\":\"t\"}" &&
	expect_error 503 TEMPORARILY_UNAVAILABLE &&
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_error 503 TEMPORARILY_UNAVAILABLE
'

pg_ctl_start || bail "cannot restart PostgreSQL"

test_expect_success 'the first requests after the restart succeed' '
	for i in 1 2 3 4; do
		api -t "$R" GET /shares && expect_status 200 &&
		expect_json "[.items[].name] == [\"s\"]" || return 1
	done &&
	api -t "$ADMIN_TOKEN" POST /admin/shares "{\"name\":\"t\"}" &&
	expect_status 201
'

test_expect_success 'no worker was restarted' '
	lighttpd_workers | sort >pids.after &&
	test -s pids.after && test_cmp pids.before pids.after
'

test_expect_success 'a restart between requests costs nothing' '
	pg_stop && pg_ctl_start &&
	api -t "$R" GET /shares && expect_status 200 &&
	api -t "$R" GET /shares && expect_status 200
'

test_expect_success 'terminated backends are replaced transparently' '
	pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\''deltashare'\''" >/dev/null &&
	api -t "$R" GET /shares && expect_status 200 &&
	api -t "$ADMIN_TOKEN" GET /admin/shares && expect_status 200
'

test_expect_success 'the outage was logged without secrets' '
	grep -q "database" "$HTTPD_DIR/deltashare.log" &&
	! grep -q -e "$R" -e "$ADMIN_TOKEN" "$HTTPD_DIR/deltashare.log"
'

test_done
