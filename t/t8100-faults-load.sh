#!/bin/sh
# t8100-faults-load: faults under wrk load on a discovery route.
#  - PostgreSQL stopped and started again (lighttpd): the clients get
#    200 or 503 JSON with Retry-After, never a 500 or a hang, and the
#    same workers serve again once it is back;
#  - kill -9 of one worker behind lighttpd, nginx (spawn-fcgi), Apache
#    with mod_proxy_fcgi (spawn-fcgi) and Apache with mod_fcgid: the
#    front end serves on; the requests that failed are printed as TAP
#    diagnostics (and kept in $TRASH/figures), not judged: the request
#    a worker was answering when killed is lost, and how the front end
#    reports that is its own business (security-notes.md §2.4).
# Front ends that are not installed are skipped visibly.

. "$(dirname "$0")/lib-frontends.sh"
. "$DS_SRC_DIR/t/lib-load.sh"
test_have_prereq WRK || test_skip_all "wrk not installed"
fe_require LIGHTTPD
fe_setup
lighttpd_start || bail "cannot start lighttpd"
fe_login

test_expect_success 'a share for a recipient' '
	share_to_recipient s a r1
'
R1=$(cat r1.token)

# --- PostgreSQL restart under load (lighttpd) --------------------------

# Warm both workers so that each holds a database connection.
for i in 1 2 3 4 5 6; do api -t "$R1" GET /shares; done
lighttpd_workers | sort >pids.before

load_start pg-restart /shares "$R1"

test_expect_success 'PostgreSQL stopped under load: 503s' '
	load_wait "2.." 200 &&
	pg_stop && load_mark && load_wait 503 100
'

test_expect_success 'PostgreSQL started again under load: 200s' '
	pg_ctl_start && load_mark && load_wait "2.." 300 && load_settled
'

load_stop
load_figures

test_expect_success 'PostgreSQL restart: only 200, or 503 JSON with Retry-After' '
	load_statuses >statuses && printf "200\n503\n" >expect &&
	test_cmp expect statuses &&
	test "$(load_socket_errors)" = 0 &&
	load_samples >samples && test -s samples &&
	while read -r st ra body; do
		test "$st $ra" = "503 1" &&
		echo "$body" | jq -e ".errorCode == \"TEMPORARILY_UNAVAILABLE\"" ||
		return 1
	done <samples &&
	load_tails_ok
'

test_expect_success 'PostgreSQL restart: the same workers serve, none restarted' '
	lighttpd_workers | sort >pids.after && test_cmp pids.before pids.after
'

# --- kill -9 of a worker under load ------------------------------------

# kill_under_load NAME WORKERS: wrk on /shares through the front end
# running now; once it is served, kill -9 the first worker WORKERS
# lists (in $TRASH/victim.NAME), and go on until 500 more 2xx answers
# came after the kill and every wrk client was served after its last
# failure.
kill_under_load() {
	KILL_NAME=$1 KILL_WORKERS=$2
	load_start "$1" /shares "$R1"
	test_expect_success "$1: kill -9 of a worker under load, served on" '
		load_wait "2.." 200 &&
		$KILL_WORKERS >pids.$KILL_NAME && test -s pids.$KILL_NAME &&
		victim=$(head -n 1 pids.$KILL_NAME) &&
		echo "$victim" >victim.$KILL_NAME && kill -KILL "$victim" &&
		load_mark && load_wait "2.." 500 && load_settled
	'
	load_stop
	load_figures
	test_expect_success "$1: every wrk client was served after its last failure" '
		load_tails_ok
	'
}

# The killed worker is gone (a zombie nobody reaped is not alive).
victim_gone() {
	test_poll "! test_alive $(cat "victim.$1")" &&
	! "$2" | grep -x -F -f "victim.$1"
}

kill_under_load lighttpd lighttpd_workers
test_expect_success 'lighttpd: a new worker replaced the killed one' '
	victim_gone lighttpd lighttpd_workers &&
	test_poll "test \$(lighttpd_workers | wc -l) = 2"
'
lighttpd_stop

# nginx and mod_proxy_fcgi: spawn-fcgi started the workers and left, so
# nobody replaces the killed one: the other serves alone.
if test_have_prereq NGINX_SPAWN_FCGI; then
	fe_workers_start || bail "cannot start the workers"
	nginx_start || bail "cannot start nginx"
	kill_under_load nginx fe_workers
	test_expect_success 'nginx: the other worker serves alone' '
		victim_gone nginx fe_workers &&
		test "$(fe_workers)" = "$(sed 1d pids.nginx)"
	'
	nginx_stop
	fe_workers_stop
else
	test_expect_success NGINX_SPAWN_FCGI 'nginx: kill -9 under load' :
fi

if test_have_prereq APACHE_SPAWN_FCGI; then
	fe_workers_start || bail "cannot start the workers"
	apache_start || bail "cannot start Apache"
	kill_under_load apache-proxy-fcgi fe_workers
	test_expect_success 'apache-proxy-fcgi: the other worker serves alone' '
		victim_gone apache-proxy-fcgi fe_workers &&
		test "$(fe_workers)" = "$(sed 1d pids.apache-proxy-fcgi)"
	'
	apache_stop
	fe_workers_stop
else
	test_expect_success APACHE_SPAWN_FCGI 'apache-proxy-fcgi: kill -9 under load' :
fi

# mod_fcgid starts workers on demand and replaces dead ones.
if test_have_prereq FCGID; then
	apache_fcgid_start || bail "cannot start Apache with mod_fcgid"
	kill_under_load apache-fcgid fcgid_workers
	test_expect_success 'apache-fcgid: workers serve, the killed one is gone' '
		victim_gone apache-fcgid fcgid_workers &&
		test -n "$(fcgid_workers)"
	'
	apache_stop
else
	test_expect_success FCGID 'apache-fcgid: kill -9 under load' :
fi

test_done
