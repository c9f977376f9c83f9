#!/bin/sh
# t8200-slow-clients: slow and oversized requests through each front end
# (lighttpd, nginx and Apache with mod_proxy_fcgi, both with workers
# under spawn-fcgi, and Apache with mod_fcgid), with the shipped configs.
# While twelve clients hold connections open (headers never finished, a
# body with a Content-Length or chunked trickled a byte a second), which
# is more than there are workers, requests through the same front end
# are still answered (curl's --max-time 20 is a hang detector, not a
# performance bound) and no worker dies.  A URL or a header block over
# the front end's limits is refused by the front end with a 4xx, one a
# little under them reaches deltashare, which answers a JSON 4xx.  (The
# body and Authorization limits are in fe_common_tests, t9xxx.)

. "$(dirname "$0")/lib-frontends.sh"
command -v python3 >/dev/null || test_skip_all "python3 not installed"
fe_require LIGHTTPD
fe_setup
lighttpd_start || bail "cannot start lighttpd"
fe_login

test_expect_success 'a share for a recipient' '
	share_to_recipient s a r1
'
R1=$(cat r1.token)
SLOW=$DS_SRC_DIR/t/helper/slow-client.py

# slow_start NAME: four slow clients of each kind on the front end
# running now, in the background; their pids in SLOW_PIDS.
slow_start() {
	test_toplevel slow_start || return 1
	SLOW_PIDS=
	for _m in headers body chunked; do
		mkdir -p "$TRASH/slow.$1.$_m"
		python3 "$SLOW" $_m 4 "$HTTPD_PORT" /delta-sharing/admin/login \
		    "$TRASH/slow.$1.$_m" >"$TRASH/slow.$1.$_m.out" 2>&1 &
		SLOW_PIDS="$SLOW_PIDS $!"
	done
	[ -n "$SLOW_STARTED" ] || test_atexit slow_stop
	SLOW_STARTED=t
}

slow_stop() {
	[ -n "$SLOW_PIDS" ] || return 0
	kill $SLOW_PIDS 2>/dev/null
	for _p in $SLOW_PIDS; do wait "$_p" 2>/dev/null; done
	SLOW_PIDS=
}

# probe: a discovery request and an admin write, each answered within
# curl's --max-time; the times in probe.times.
probe() {
	curl -s -o resp.body -w "%{http_code} %{time_total}\n" --max-time 20 \
	    -H "Authorization: Bearer $R1" "$DS_URL/shares" >probe.out &&
	read -r code t <probe.out && echo "$t" >>probe.times &&
	test "$code" = 200 &&
	api -t "$ADMIN_TOKEN" POST /admin/shares "{\"name\":\"p$1\"}" \
	    --max-time 20 &&
	expect_status 201
}

# long_path N: a path under the prefix of about N bytes (one long share name).
long_path() {
	printf '/shares/%s' "$(head -c "$1" /dev/zero | tr "\\0" n)"
}

# slow_tests NAME WORKERS NAME-LONG URL-BIG HEADERS-BIG: the tests on the
# front end running now, whose workers WORKERS lists; the others are the
# answers ("STATUS BY", see expect_answer; "200 served" when deltashare
# serves it) to a 7 KiB share name, a 20 KiB URL and 200 headers of 100
# bytes.
slow_tests() {
	SLOW_NAME=$1 SLOW_WORKERS=$2 SLOW_NAME_LONG=$3 SLOW_URL_BIG=$4
	SLOW_HEADERS_BIG=$5
	$SLOW_WORKERS | sort >"pids.$1"
	slow_start "$1"
	test_expect_success "$1: slow clients hold connections, requests are still served" '
		for m in headers body chunked; do
			test_poll "test -f slow.$SLOW_NAME.$m/ready" || return 1
		done &&
		: >probe.times &&
		for i in 1 2 3 4 5; do probe "$SLOW_NAME$i" || return 1; done
	'
	slow_stop
	say_diag "$1: while slow clients held on, 5 probes took at most" \
	    "$(sort -n probe.times | tail -n 1) s; the slow clients were" \
	    "answered: $(cat slow.$1.*/answers 2>/dev/null | cut -d" " -f2 |
		sort | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')"

	test_expect_success "$1: no worker died" '
		test -s "pids.$SLOW_NAME" &&
		for pid in $(cat "pids.$SLOW_NAME"); do
			test_alive "$pid" || return 1
		done
	'

	test_expect_success "$1: a 7 KiB query string reaches deltashare: JSON 400" '
		api -t "$R1" GET "/shares?pageToken=$(head -c 7000 /dev/zero | tr "\\0" n)" &&
		expect_error 400 INVALID_PARAMETER_VALUE "nextPageToken"
	'

	test_expect_success "$1: a 7 KiB share name: $SLOW_NAME_LONG" '
		api -t "$R1" GET "$(long_path 7000)" &&
		expect_answer "$SLOW_NAME_LONG"
	'

	test_expect_success "$1: a 20 KiB URL: $SLOW_URL_BIG" '
		api -t "$R1" GET "$(long_path 20000)" &&
		expect_answer "$SLOW_URL_BIG"
	'

	test_expect_success "$1: 200 headers of 100 bytes: $SLOW_HEADERS_BIG" '
		v=$(head -c 90 /dev/zero | tr "\\0" v) &&
		for i in $(seq 1 200); do
			echo "-H"; echo "X-Pad-$i: $v"
		done >headers &&
		tr "\\n" "\\0" <headers | xargs -0 curl -s -o resp.body \
		    -w "%{http_code}" -H "Authorization: Bearer $R1" \
		    "$DS_URL/shares" >resp.status &&
		case $SLOW_HEADERS_BIG in
		200*) expect_status 200 ;;
		*) expect_answer "$SLOW_HEADERS_BIG" ;;
		esac
	'

	test_expect_success "$1: served as before" '
		api -t "$R1" GET /shares && expect_status 200
	'
}

JSON400="400 INVALID_PARAMETER_VALUE"
slow_tests lighttpd lighttpd_workers "$JSON400" "431 frontend" "431 frontend"
lighttpd_stop


if test_have_prereq NGINX_SPAWN_FCGI; then
	fe_workers_start || bail "cannot start the workers"
	nginx_start || bail "cannot start nginx"
	slow_tests nginx fe_workers "$JSON400" "414 frontend" "200 served"

	# What a front end that streams bodies (mod_proxy_fcgi) does, straight
	# on the workers' socket: a body over server.max_body trickled on
	# after the worker's 413.  libfcgi alone would read it for as long
	# as it comes, holding the worker.
	test_expect_success 'a worker lets go of a body it answered without reading' '
		python3 "$DS_SRC_DIR/t/helper/fcgi-trickle.py" \
		    "$HTTPD_DIR/run/deltashare.sock" /delta-sharing/admin/login \
		    2000000 >trickle.out &&
		head -n 1 trickle.out | grep -q "^Status: 413" &&
		test "$(tail -n 1 trickle.out)" = closed
	'
	nginx_stop
	fe_workers_stop
else
	test_expect_success NGINX_SPAWN_FCGI 'nginx: slow clients' :
fi

if test_have_prereq APACHE_SPAWN_FCGI; then
	fe_workers_start || bail "cannot start the workers"
	apache_start || bail "cannot start Apache"
	slow_tests apache-proxy-fcgi fe_workers "$JSON400" "414 frontend" \
	    "400 frontend"
	apache_stop
	fe_workers_stop
else
	test_expect_success APACHE_SPAWN_FCGI 'apache-proxy-fcgi: slow clients' :
fi

if test_have_prereq FCGID; then
	apache_fcgid_start || bail "cannot start Apache with mod_fcgid"
	# mod_fcgid starts its workers on demand: have them started.
	api -t "$R1" GET /shares
	# A path segment over NAME_MAX (255) cannot be mapped to a file
	# name by Apache (AH00127): its HTML 403 (apache/README).
	slow_tests apache-fcgid fcgid_workers "403 frontend" "414 frontend" \
	    "400 frontend"
	apache_stop
else
	test_expect_success FCGID 'apache-fcgid: slow clients' :
fi

test_done
