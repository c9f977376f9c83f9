#!/bin/sh
# t9050-lighttpd: the end-to-end suite every front end passes (admin API,
# discovery, query, file downloads, health, metrics, audit, errors and
# limits), through lighttpd with the shipped lighttpd/ snippet and
# standalone config: lighttpd spawns the workers itself (bin-path,
# max-procs 2).  What lighttpd does when workers die or exit is in
# t0004-runtime and the fault tests.

. "$(dirname "$0")/lib-frontends.sh"
fe_require LIGHTTPD
fe_setup "[server]
max_body = 4096"
lighttpd_start || bail "cannot start lighttpd"
FE_PID=$HTTPD_PID
fe_login

FE_NAME=lighttpd
FE_BODY_CL="413 frontend"		# server.max-request-size = 1024 (KiB)
FE_BODY_CHUNKED="413 frontend"
FE_AUTH_BIG="431 frontend"		# server.max-request-field-size = 8192
FE_BAD_ESCAPE="400 INVALID_PARAMETER_VALUE"
fe_common_tests

test_expect_success 'lighttpd: both workers are alive and counted' '
	test "$(lighttpd_workers | wc -l)" = 2 &&
	api -t "$ADMIN_TOKEN" GET /admin/metrics &&
	busy=$(metric_value "deltashare_workers{state=\"busy\"}") &&
	idle=$(metric_value "deltashare_workers{state=\"idle\"}") &&
	test $((busy + idle)) = 2
'

test_done
