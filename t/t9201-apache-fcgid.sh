#!/bin/sh
# t9201-apache-fcgid: deltashare behind Apache 2.4 and mod_fcgid with the
# shipped apache/deltashare-fcgid.conf and standalone config; mod_fcgid
# starts the workers itself, on demand, and starts new ones when they
# die: the admin API and discovery, Authorization (CGIPassAuth) and
# REQUEST_URI reaching the worker, errors as JSON, mod_fcgid's body
# limit (a 500, not a 413), HEAD, kill -9 and the stop.

. "$(dirname "$0")/lib-frontends.sh"
fe_require APACHE FCGID
fe_setup "[server]
max_body = 4096"
apache_fcgid_start || bail "cannot start Apache"
fe_login

FE_NAME=apache-fcgid
# FcgidMaxRequestLen 1048576: mod_fcgid reads the whole body first and
# answers 500 past it (LimitRequestBody would hand the worker an empty
# body instead, so it is not set).
FE_BODY_CL="500 frontend"
FE_BODY_CHUNKED="500 frontend"
FE_AUTH_BIG="400 frontend"		# LimitRequestFieldSize 8190
FE_BAD_ESCAPE="400 frontend"
fe_common_tests

test_expect_success 'the workers are Apache'\''s, their messages in its error log' '
	fcgid_workers >pids && test -s pids &&
	for pid in $(cat pids); do
		grep -q "deltashare\[$pid\]: info: worker ready" "$FE_LOG" || return 1
		if [ -n "$FE_USER" ]; then
			test "$(ps -o user= -p $pid)" = "$FE_USER" || return 1
		fi
	done
'

test_expect_success 'kill -9 of every worker: mod_fcgid starts a new one' '
	fcgid_workers >pids && test -s pids &&
	kill -KILL $(cat pids) &&
	for pid in $(cat pids); do test_poll "! test_alive $pid" || return 1; done &&
	for i in 1 2 3 4; do
		api -t "$R1" GET /shares && expect_status 200 || return 1
	done &&
	fcgid_workers >pids.after && test -s pids.after &&
	! grep -x -F -f pids pids.after
'

apache_stop

test_expect_success 'Apache stopped: its workers are gone' '
	for pid in $(cat pids.after); do
		test_poll "! test_alive $pid" 10 || return 1
	done
'

test_done
