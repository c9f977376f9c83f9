#!/bin/sh
# t9102-nginx-systemd: deltashare behind nginx with the workers run the
# way the shipped systemd units run them: nginx/deltashare.socket's
# ListenStream= handed over by systemd-socket-activate (LISTEN_FDS, as
# systemd does) to nginx/deltashare.service's ExecStart=, "deltashare
# -w 4", which keeps four workers running.  The end-to-end suite, then
# what the supervisor does when workers die, crash as they start, on
# SIGHUP (a new configuration, or a broken one) and SIGTERM; the same
# supervisor under spawn-fcgi (descriptor 0); LISTEN_PID/LISTEN_FDS
# checks.

. "$(dirname "$0")/lib-frontends.sh"
fe_require NGINX
command -v systemd-socket-activate >/dev/null ||
	test_skip_all "systemd-socket-activate not installed (package systemd)"
fe_setup "[server]
max_body = 4096"
nginx_start || bail "cannot start nginx"
fe_systemd_start || bail "cannot start the workers"
fe_login

command -v systemd-analyze >/dev/null && test_set_prereq SYSTEMD_ANALYZE

test_expect_success SYSTEMD_ANALYZE 'the units pass systemd-analyze verify' '
	systemd-analyze verify --man=no "$HTTPD_DIR/deltashare.socket" \
	    "$HTTPD_DIR/deltashare.service" >verify.out 2>&1 ||
	{ cat verify.out >&2; false; }
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
	grep -Eq "supervisor: worker [0-9]+ died( young)? \(signal 9\)" "$FE_LOG"
'

# The workers' configuration, edited in place (owner and mode kept).
set_max_body() {
	sed "s/^max_body = .*/max_body = $1/" "$DS_CONF" >conf.new &&
	cat conf.new >"$DS_CONF"
}

test_expect_success 'SIGHUP: the configuration is read again, the workers replaced one by one' '
	fe_sup_workers | sort >pids &&
	set_max_body 3000 &&
	kill -HUP "$FE_SUP" &&
	test_poll "test -z \"\$(fe_sup_workers | sort | comm -12 - pids)\" && test \$(fe_sup_workers | wc -l) = 4" &&
	test "$(grep -c "supervisor: worker [0-9]* replaced (status 0)" "$FE_LOG")" = 4 &&
	big=$(head -c 3500 /dev/zero | tr "\\0" x) &&
	api POST /admin/shares "{\"name\":\"$big\"}" &&
	expect_error 413 REQUEST_TOO_LARGE "3000" &&
	api -t "$R1" GET /shares && expect_status 200
'

test_expect_success 'SIGHUP with errors in the configuration: the workers stay' '
	fe_sup_workers | sort >pids &&
	set_max_body lots &&
	kill -HUP "$FE_SUP" &&
	test_poll "grep -q \"the configuration has errors; the workers go on\" \"$FE_LOG\"" &&
	fe_sup_workers | sort >pids.after &&
	test_cmp pids pids.after &&
	set_max_body 4096 &&
	big=$(head -c 3500 /dev/zero | tr "\\0" x) &&
	api POST /admin/shares "{\"name\":\"$big\"}" &&
	expect_error 413 REQUEST_TOO_LARGE "3000"
'

# After a good SIGHUP the restart delay starts from nothing again.
fe_sup_workers | sort >pids
kill -HUP "$FE_SUP"
test_poll "test -z \"\$(fe_sup_workers | sort | comm -12 - pids)\" && test \$(fe_sup_workers | wc -l) = 4" ||
	bail "SIGHUP did not replace the workers"

test_expect_success 'a crash loop (each new worker killed as it starts): restarts wait 100 ms, 200 ms... and the others serve' '
	lines=$(wc -l <"$FE_LOG")
	fe_sup_crash_loop 5 >killer.out 2>&1 &
	killer=$!
	ok=0 failed=0
	while kill -0 "$killer" 2>/dev/null; do
		if api -t "$R1" GET /shares && test "$(status)" = 200; then
			ok=$((ok + 1))
		else
			failed=$((failed + 1))
		fi
	done
	wait "$killer" || { cat killer.out >&2; false; }
	echo "$(cat killer.out) s, $ok requests served, $failed failed" \
	    >"$TRASH/crashloop.txt"
	tail -n "+$((lines + 1))" "$FE_LOG" | grep "died young" |
	    sed "s/.*next start in \([0-9]*\) ms$/\1/" | tr "\n" " " >delays
	case "$(cat delays)" in
	"100 200 400 800 1600 " | "100 200 400 800 1600 3200 ") ;;
	*) echo "restart delays: $(cat delays)" >&2; false ;;
	esac
	test_poll "test \$(fe_sup_workers | wc -l) = 4" &&
	api -t "$R1" GET /shares && expect_status 200
'
[ -f "$TRASH/crashloop.txt" ] &&
	say "# crash loop: a worker killed, then 5 killed at start, in $(cat "$TRASH/crashloop.txt")"

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
test_alive "$FE_SUP" && kill -KILL "$FE_SUP"
wait "$FE_SUP"
sup_status=$?

test_expect_success 'SIGTERM: the supervisor exits 0' '
	test "$sup_status" = 0
'

# Without systemd: spawn-fcgi opens the socket, "deltashare -w 2" takes
# it as descriptor 0.
if test_have_prereq SPAWN_FCGI; then
	fe_spawn_sup_start 2 || bail "cannot start deltashare -w 2 under spawn-fcgi"
fi

test_expect_success SPAWN_FCGI 'under spawn-fcgi: -w 2 on descriptor 0, a killed worker replaced' '
	api -t "$R1" GET /shares && expect_status 200 &&
	fe_sup_workers | sort >pids &&
	victim=$(head -n 1 pids) && kill -KILL "$victim" &&
	test_poll "! test_alive $victim && test \$(fe_sup_workers | wc -l) = 2" &&
	grep -Eq "supervisor: worker $victim died( young)? \(signal 9\)" "$FE_LOG" &&
	api -t "$R1" GET /shares && expect_status 200 &&
	kill -TERM "$FE_SUP" &&
	test_poll "! test_alive $FE_SUP" 30
'

# LISTEN_PID (a number, or "self" for the program's own pid: exec keeps
# the shell's) and LISTEN_FDS, as systemd sets them, for a command.
listen_env() {
	sh -c '[ "$1" = self ] && LISTEN_PID=$$ || LISTEN_PID=$1
	    LISTEN_FDS=$2 && export LISTEN_PID LISTEN_FDS && shift 2 &&
	    exec "$@"' sh "$@"
}

test_expect_success 'LISTEN_PID of another process: ignored' '
	test_must_fail listen_env 1 1 "$DS_BIN" -f "$DS_CONF" -w 2 \
	    </dev/null 2>err &&
	grep -q "needs a listening socket" err
'

test_expect_success 'LISTEN_PID or LISTEN_FDS malformed, or not one socket: refused' '
	for v in "x 1" "0 1" "-5 1" "self 2" "self 0" "self +1" "self 1x" \
	    "self 99999999999999999999" "self \" 1\""; do
		eval "set -- $v" &&
		test_must_fail listen_env "$1" "$2" "$DS_BIN" -f "$DS_CONF" \
		    -w 2 </dev/null 2>err &&
		grep -q "LISTEN_PID/LISTEN_FDS: expected exactly one socket" err ||
		{ echo "not refused: LISTEN_PID=$1 LISTEN_FDS=$2" >&2; return 1; }
	done
'

test_expect_success 'without a listening socket, -w refuses to start; -w needs 1 to 256' '
	test_must_fail "$DS_BIN" -f "$DS_CONF" -w 2 </dev/null 2>err &&
	grep -q "needs a listening socket" err &&
	for n in 0 257 x ""; do
		{ "$DS_BIN" -f "$DS_CONF" -w "$n" </dev/null 2>err && rc=0 ||
		    rc=$?; } &&
		test "$rc" = 2 && grep -q "from 1 to 256" err || return 1
	done
'

test_done
