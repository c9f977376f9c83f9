#!/bin/sh
# t9102-nginx-systemd: deltashare behind nginx with the workers run the
# way the shipped systemd units run them: nginx/deltashare.socket's
# ListenStream= handed over by systemd-socket-activate (LISTEN_FDS, as
# systemd does) to nginx/deltashare.service's ExecStart=, "deltashare
# -w 4", which keeps four workers running.  The end-to-end suite, then
# what the supervisor does when workers die, crash at once, are told to
# reload or to stop.

. "$(dirname "$0")/lib-frontends.sh"
fe_require NGINX
command -v systemd-socket-activate >/dev/null ||
	test_skip_all "systemd-socket-activate not installed (package systemd)"
fe_setup "[server]
max_body = 4096"
nginx_start || bail "cannot start nginx"
fe_systemd_start || bail "cannot start the workers"
fe_login

test_expect_success 'the units pass systemd-analyze verify' '
	if command -v systemd-analyze >/dev/null; then
		systemd-analyze verify --man=no "$HTTPD_DIR/deltashare.socket" \
		    "$HTTPD_DIR/deltashare.service" >verify.out 2>&1 ||
		{ cat verify.out >&2; false; }
	fi
'

test_expect_success 'the supervisor runs the four workers of ExecStart' '
	grep -q "^ExecStart=.* -w 4$" "$HTTPD_DIR/deltashare.service" &&
	test_poll "test \$(fe_sup_workers | wc -l) = 4" &&
	grep -q "supervisor: starting 4 workers" "$FE_LOG"
'

FE_NAME=nginx-systemd
FE_BODY_CL="413 frontend"
FE_BODY_CHUNKED="413 frontend"
FE_AUTH_BIG="400 frontend"
FE_BAD_ESCAPE="400 frontend"
fe_common_tests

test_expect_success 'kill -9 of a worker: another takes its place' '
	fe_sup_workers | sort >pids &&
	victim=$(head -n 1 pids) && kill -KILL "$victim" &&
	test_poll "! test_alive $victim && test \$(fe_sup_workers | wc -l) = 4" &&
	fe_sup_workers | sort >pids.after &&
	! grep -qx "$victim" pids.after &&
	test "$(comm -13 pids pids.after | wc -l)" = 1 &&
	for i in 1 2 3 4 5 6; do
		api -t "$R1" GET /shares && expect_status 200 || return 1
	done
'

test_expect_success 'every worker killed: all replaced, served at once' '
	kill -KILL $(fe_sup_workers) &&
	test_poll "test \$(fe_sup_workers | wc -l) = 4" &&
	api -t "$R1" GET /shares && expect_status 200 &&
	grep -q "worker died young (signal 9); next start in" "$FE_LOG" ||
	grep -q "worker exited (signal 9)" "$FE_LOG"
'

test_expect_success 'a worker killed as it starts, again and again: the restarts slow down' '
	for i in 1 2 3 4; do
		kill -KILL $(pgrep -n -P "$FE_SUP") &&
		test_poll "test \$(fe_sup_workers | wc -l) = 4" || return 1
	done &&
	grep "next start in" "$FE_LOG" | sed "s/.*next start in //" >delays &&
	grep -q "^[48]00 ms$" delays &&
	api -t "$R1" GET /shares && expect_status 200
'

test_expect_success 'SIGHUP: the workers are replaced one by one, served throughout' '
	fe_sup_workers | sort >pids &&
	kill -HUP "$FE_SUP" &&
	test_poll "test -z \"\$(fe_sup_workers | sort | comm -12 - pids)\" && test \$(fe_sup_workers | wc -l) = 4" &&
	api -t "$R1" GET /shares && expect_status 200
'

test_expect_success 'SIGTERM: the workers stop cleanly, then the supervisor' '
	fe_sup_workers >pids &&
	kill -TERM "$FE_SUP" &&
	test_poll "! test_alive $FE_SUP" 30 &&
	for pid in $(cat pids); do
		grep -q "deltashare\[$pid\]: info: worker stopping on signal" "$FE_LOG" ||
		return 1
	done &&
	grep -q "supervisor: stopped" "$FE_LOG"
'

test_expect_success 'without a listening socket, -w refuses to start' '
	test_must_fail "$DS_BIN" -f "$DS_CONF" -w 2 </dev/null 2>err &&
	grep -q "needs a listening socket" err &&
	LISTEN_PID=x LISTEN_FDS=1 test_must_fail "$DS_BIN" -f "$DS_CONF" -w 2 \
	    </dev/null 2>err &&
	grep -q "expected exactly one socket" err
'

test_done
