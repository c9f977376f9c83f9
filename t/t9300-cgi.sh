#!/bin/sh
# t9300-cgi: deltashare as plain CGI through the shipped wrapper
# cgi-bin/deltashare.cgi under lighttpd's mod_cgi, with the shipped
# cgi-bin/lighttpd-cgi.conf included by lighttpd/standalone.conf: one
# process per request; the admin API and
# discovery, Authorization and REQUEST_URI reaching the program, errors
# as JSON, limits, HEAD; and the wrapper itself (configuration path,
# arguments ignored).

. "$(dirname "$0")/lib-frontends.sh"
fe_require LIGHTTPD
fe_setup "[server]
max_body = 4096"
cgi_start || bail "cannot start lighttpd"
fe_login

FE_NAME=cgi
FE_BODY_CL="413 frontend"		# server.max-request-size = 1024 (KiB)
FE_BODY_CHUNKED="413 frontend"
FE_AUTH_BIG="431 frontend"		# server.max-request-field-size = 8192
FE_BAD_ESCAPE="400 INVALID_PARAMETER_VALUE"
fe_common_tests

WRAPPER=$HTTPD_DIR/cgi-bin/deltashare.cgi

test_expect_success 'lighttpd joins two Authorization headers: 401 from deltashare' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Bearer $R1" \
	    -H "Authorization: Bearer $R1" "$DS_URL/shares" >resp.status &&
	expect_error 401 UNAUTHENTICATED
'

test_expect_success 'the profile endpoint: the Host the client sent' '
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_status 200 &&
	expect_json ".profile.endpoint == \"http://127.0.0.1:$HTTPD_PORT/delta-sharing\""
'

test_expect_success 'one process per request: none outlives its request' '
	for i in 1 2 3; do
		api -t "$R1" GET /shares && expect_status 200 || return 1
	done &&
	test_poll "test -z \"\$(pgrep -P $CGI_HTTPD_PID -x deltashare)\""
'

test_expect_success 'the wrapper: the filled-in configuration by default' '
	grep -q "^DELTASHARE_CONF=\${DELTASHARE_CONF:-$DS_CONF}$" "$WRAPPER" &&
	env -u DELTASHARE_CONF REQUEST_METHOD=GET REQUEST_URI=/delta-sharing/shares \
	    HTTP_AUTHORIZATION="Bearer $R1" "$WRAPPER" >out 2>err &&
	head -n 1 out | grep -q "^Status: 200"
'

test_expect_success 'the wrapper keeps a DELTASHARE_CONF from the server' '
	DELTASHARE_CONF=$TRASH/nosuch.ini REQUEST_METHOD=GET \
	    REQUEST_URI=/delta-sharing/shares test_must_fail "$WRAPPER" >out 2>err &&
	grep -q "nosuch.ini" err && test ! -s out
'

# Apache mod_cgi turns "?migrate" (no "=") into an argument.
test_expect_success 'the wrapper passes no arguments to deltashare' '
	REQUEST_METHOD=GET REQUEST_URI="/delta-sharing/shares?migrate" \
	    HTTP_AUTHORIZATION="Bearer $R1" "$WRAPPER" migrate >out 2>err &&
	head -n 1 out | grep -q "^Status: 200" &&
	! grep -q -i migrat out
'

test_done
