#!/bin/sh
# t0004-runtime: the worker under lighttpd: routing and its errors as
# JSON, HEAD, body limits (worker and front end), request ids,
# server.max_requests (the worker exits, lighttpd starts a new one) and a
# clean stop on SIGTERM.

. "$(dirname "$0")/lib-ds.sh"
ds_start "[server]
max_requests = 5
max_body = 4096"

DS_TOKEN=$ADMIN_TOKEN

test_expect_success 'unknown routes under the prefix: 404 JSON' '
	for p in / /nothing /shares/s/unknown /admin /admin/shares/a/b/c/d/e/f/g; do
		api GET "$p" && expect_error 404 ENDPOINT_NOT_FOUND || return 1
	done
'

test_expect_success 'a path that only starts like the prefix is not ours' '
	curl -s -o resp.body -w "%{http_code}" \
	    "http://127.0.0.1:$HTTPD_PORT/delta-sharingX/shares" >resp.status &&
	expect_error 404 ENDPOINT_NOT_FOUND
'

test_expect_success 'names in paths are decoded once and checked' '
	api GET /admin/shares/a%2Fb && expect_error 400 INVALID_PARAMETER_VALUE "share name must not contain" &&
	api GET /admin/shares/a%zz && expect_error 400 INVALID_PARAMETER_VALUE "percent" &&
	api GET /admin/shares/%2e%2e && expect_error 400 INVALID_PARAMETER_VALUE &&
	api GET /admin/shares/%252e%252e && expect_error 404 RESOURCE_DOES_NOT_EXIST "%2e%2e"
'

# lighttpd refuses these itself; the worker must too when it sees them.
cgi_get() {
	REQUEST_METHOD=GET REQUEST_URI="/delta-sharing$1" \
	    HTTP_AUTHORIZATION="Bearer $DS_TOKEN" DELTASHARE_CONF=$DS_CONF \
	    "$DS_BIN" 2>/dev/null
}

test_expect_success 'NUL and overlong UTF-8: 400 at the front end and in the worker' '
	api GET /admin/shares/a%00b && expect_status 400 &&
	api GET /admin/shares/%c0%ae && expect_status 400 &&
	cgi_get /admin/shares/a%00b >out && grep -q "^Status: 400" out &&
	grep -q "control characters" out &&
	cgi_get /admin/shares/%c0%ae >out && grep -q "^Status: 400" out &&
	grep -q "UTF-8" out &&
	cgi_get "/admin/shares?maxResults=1%00" >out && grep -q "^Status: 400" out &&
	grep -q "NUL" out
'

test_expect_success 'wrong method: 405 with Allow; OPTIONS: 204 with Allow' '
	api POST /shares "{}" && expect_error 405 METHOD_NOT_ALLOWED &&
	test "$(header Allow)" = "GET, HEAD, OPTIONS" &&
	api OPTIONS /shares && expect_status 204 && test "$(header Allow)" = "GET, HEAD, OPTIONS"
'

test_expect_success 'HEAD answers headers only' '
	api GET /admin/shares && expect_status 200 && len=$(header Content-Length) &&
	api HEAD /admin/shares && expect_status 200 &&
	test "$(header Content-Length)" = "$len" && test ! -s resp.body
'

test_expect_success 'every response has a request id and no caching' '
	api GET /admin/shares && a=$(header X-Request-Id) &&
	api GET /admin/nothing && b=$(header X-Request-Id) &&
	test ${#a} = 16 && test ${#b} = 16 && test "$a" != "$b" &&
	test "$(header Cache-Control)" = no-store &&
	test "$(header X-Content-Type-Options)" = nosniff
'

test_expect_success 'bodies over server.max_body: 413 JSON from the worker' '
	big=$(head -c 5000 /dev/zero | tr "\\0" x) &&
	api POST /admin/shares "{\"name\":\"$big\"}" &&
	expect_error 413 REQUEST_TOO_LARGE "4096"
'

test_expect_success 'bodies over the front-end limit: refused by lighttpd' '
	head -c 2000000 /dev/zero | tr "\\0" x >huge &&
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Bearer $DS_TOKEN" \
	    --data-binary @huge "$DS_URL/admin/shares" >resp.status &&
	test "$(status)" = 413
'

# lighttpd needs up to a second to replace a worker that exits (and
# answers 503 if every worker is gone meanwhile), so the requests here
# wait until both workers are up again.
test_expect_success 'server.max_requests: workers exit and lighttpd replaces them' '
	lighttpd_workers | sort >pids.before &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		api GET /admin/shares && expect_status 200 &&
		test_poll "test \$(lighttpd_workers | wc -l) = 2" || return 1
	done &&
	lighttpd_workers | sort >pids.after &&
	! test_cmp pids.before pids.after >/dev/null &&
	grep -q "served 5 requests, exiting" "$HTTPD_DIR/deltashare.log"
'

test_expect_success 'SIGTERM: the worker stops cleanly and is replaced' '
	pid=$(lighttpd_workers | head -n 1) && kill -TERM "$pid" &&
	test_poll "! kill -0 $pid" &&
	grep -q "deltashare\[$pid\]: info: worker stopping on signal" "$HTTPD_DIR/deltashare.log" &&
	for i in 1 2 3 4; do
		api GET /admin/shares && expect_status 200 || return 1
	done
'

test_expect_success 'CGI mode: one request from the environment, then exit' '
	body="{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	printf %s "$body" | REQUEST_METHOD=POST REQUEST_URI=/delta-sharing/admin/login \
	    CONTENT_LENGTH=${#body} HTTP_HOST=example.org DELTASHARE_CONF=$DS_CONF \
	    "$DS_BIN" >out 2>err &&
	head -n 1 out | grep -q "^Status: 200 OK" &&
	sed "1,/^\r$/d" out | jq -e ".profile.endpoint == \"http://example.org/delta-sharing\""
'

test_expect_success 'CGI mode without REQUEST_URI uses SCRIPT_NAME and PATH_INFO' '
	REQUEST_METHOD=GET SCRIPT_NAME=/delta-sharing PATH_INFO=/admin/shares \
	    QUERY_STRING=maxResults=x HTTP_AUTHORIZATION="Bearer $DS_TOKEN" \
	    DELTASHARE_CONF=$DS_CONF "$DS_BIN" >out 2>err &&
	grep -q "^Status: 400" out && grep -q "expected a number" out
'

test_expect_success 'CGI mode: a short body is a 400, not a hang' '
	printf "{}" | REQUEST_METHOD=POST REQUEST_URI=/delta-sharing/admin/login \
	    CONTENT_LENGTH=100 DELTASHARE_CONF=$DS_CONF "$DS_BIN" >out 2>err &&
	grep -q "^Status: 400" out && grep -q "shorter than Content-Length" out
'

test_expect_success 'server.prefix moves every route; "/" means none' '
	REQUEST_METHOD=GET REQUEST_URI=/api/v1/shares DELTASHARE_CONF=$DS_CONF \
	    DELTASHARE_SERVER_PREFIX=/api/v1 "$DS_BIN" >out 2>/dev/null &&
	grep -q "^Status: 401" out &&
	REQUEST_METHOD=GET REQUEST_URI=/delta-sharing/shares DELTASHARE_CONF=$DS_CONF \
	    DELTASHARE_SERVER_PREFIX=/api/v1 "$DS_BIN" >out 2>/dev/null &&
	grep -q "^Status: 404" out && grep -q ENDPOINT_NOT_FOUND out &&
	REQUEST_METHOD=GET REQUEST_URI=/shares DELTASHARE_CONF=$DS_CONF \
	    DELTASHARE_SERVER_PREFIX=/ "$DS_BIN" >out 2>/dev/null &&
	grep -q "^Status: 401" out
'

test_expect_success 'a bad configuration: the worker exits with a message' '
	DELTASHARE_SERVER_MAX_BODY=x REQUEST_METHOD=GET REQUEST_URI=/delta-sharing/shares \
	    DELTASHARE_CONF=$DS_CONF test_must_fail "$DS_BIN" >out 2>err &&
	grep -q "server.max_body" err && test ! -s out
'

test_done
