#!/bin/sh
# t9200-apache: deltashare behind Apache 2.4 and mod_proxy_fcgi with the
# shipped apache/ snippet and standalone config, two workers started by
# spawn-fcgi (mod_proxy_fcgi starts no programs): the admin API and
# discovery, Authorization (CGIPassAuth) and REQUEST_URI reaching the
# worker, errors as JSON, limits (Apache's and the worker's), HEAD, and
# what happens when workers die.

. "$(dirname "$0")/lib-frontends.sh"
fe_require APACHE SPAWN_FCGI
fe_setup "[server]
max_body = 4096"
fe_workers_start || bail "cannot start the workers"
apache_start || bail "cannot start Apache"
fe_login

FE_NAME=apache
# Apache applies no LimitRequestBody to proxied requests: deltashare
# refuses the body before reading it; chunked bodies over 16 KiB come
# without CONTENT_LENGTH (see apache/deltashare.conf).
FE_BODY_CL="413 REQUEST_TOO_LARGE"
FE_BODY_CHUNKED="400 MALFORMED_REQUEST"
FE_AUTH_BIG="400 frontend"		# LimitRequestFieldSize 8190
FE_BAD_ESCAPE="400 frontend"
fe_common_tests

test_expect_success 'Apache joins two Authorization headers: 401 from the worker' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Bearer $R1" \
	    -H "Authorization: Bearer $R1" "$DS_URL/shares" >resp.status &&
	expect_error 401 UNAUTHENTICATED
'

test_expect_success 'the profile endpoint: the Host the client sent' '
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_status 200 &&
	expect_json ".profile.endpoint == \"http://127.0.0.1:$HTTPD_PORT/delta-sharing\""
'

test_expect_success 'a path that only starts like the prefix is not proxied' '
	curl -s -o resp.body -w "%{http_code}" \
	    "http://127.0.0.1:$HTTPD_PORT/delta-sharingX/shares" >resp.status &&
	expect_answer "404 frontend"
'

# retry=0 in the ProxyPass: no 60 s penalty once the workers are back.
fe_kill_tests "503 frontend"
fe_workers_start || bail "cannot restart the workers"
fe_restart_tests

test_done
