#!/bin/sh
# t9100-nginx: deltashare behind nginx with the shipped nginx/ snippet
# and standalone config, two workers started by spawn-fcgi (nginx never
# starts FastCGI programs): the admin API and discovery, Authorization
# and REQUEST_URI reaching the worker, errors as JSON, limits (nginx's
# and the worker's), HEAD, and what happens when workers die.

. "$(dirname "$0")/lib-frontends.sh"
fe_require NGINX SPAWN_FCGI
fe_setup "[server]
max_body = 4096"
fe_workers_start || bail "cannot start the workers"
nginx_start || bail "cannot start nginx"
fe_login

FE_NAME=nginx
FE_BODY_CL="413 frontend"		# client_max_body_size 1m
FE_BODY_CHUNKED="413 frontend"
FE_AUTH_BIG="400 frontend"		# large_client_header_buffers 4 8k
FE_BAD_ESCAPE="400 frontend"
fe_common_tests

test_expect_success 'nginx refuses two Authorization headers (400)' '
	curl -s -o resp.body -w "%{http_code}" -H "Authorization: Bearer $R1" \
	    -H "Authorization: Bearer x" "$DS_URL/shares" >resp.status &&
	expect_answer "400 frontend"
'

# Debian's fastcgi_params sends HTTP_HOST as $host, without the port the
# client used; nginx/README says to set server.public_url.
test_expect_success 'the profile endpoint: the Host nginx passes' '
	api -t "" POST /admin/login "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" &&
	expect_status 200 &&
	expect_json ".profile.endpoint | test(\"^http://127.0.0.1(:$HTTPD_PORT)?/delta-sharing$\")"
'

test_expect_success 'a path that only starts like the prefix: 404 from deltashare' '
	curl -s -o resp.body -w "%{http_code}" \
	    "http://127.0.0.1:$HTTPD_PORT/delta-sharingX/shares" >resp.status &&
	expect_error 404 ENDPOINT_NOT_FOUND
'

fe_kill_tests "502 frontend"

# What a supervisor does: start them again (on the same socket path).
fe_workers_start || bail "cannot restart the workers"
fe_restart_tests

test_done
