# lib-frontends.sh: deltashare behind nginx, Apache or plain CGI, for the
# t9xxx scripts, from the shipped nginx/, apache/ and cgi-bin/ templates
# (only ports and paths filled in, by each directory's mkconf).
#
#	. "$(dirname "$0")/lib-frontends.sh"
#	fe_setup "[server]
#	max_body = 4096"		# PostgreSQL, config, migrations, admin
#	fe_workers_start		# 2 workers under spawn-fcgi
#	nginx_start			# or apache_start, apache_fcgid_start...
#	fe_login
#	fe_common_tests			# the checks every front end passes
#
# Sources lib-ds.sh (and so test-lib.sh, lib-pg.sh, lib-httpd.sh).  All
# starters must run at the top level of the script; each registers its
# stop with test_atexit, and stops by pid.  The state of the front end
# lives in $HTTPD_DIR ($TRASH/httpd): the filled-in configs, the server's
# logs (FE_ACCESS_LOG names the access log of the one started last), the
# workers' socket (run/deltashare.sock) and their messages
# (deltashare.log).
#
# As root, the front end's children and the deltashare workers run as
# $DS_TEST_USER ($FE_USER), like www-data in a real deployment: the
# configuration and secrets are handed to that user, spawn-fcgi gets -u
# and -U, nginx -g "user ...;" and apache2 -c "User ...".  As a normal
# user everything runs as that user and $FE_USER is empty.

. "$(dirname "$0")/lib-ds.sh"

SPAWN_FCGI=$(command -v spawn-fcgi 2>/dev/null || echo /usr/bin/spawn-fcgi)
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
APACHE2=$(command -v apache2 2>/dev/null || echo /usr/sbin/apache2)
APACHE_MODULES=/usr/lib/apache2/modules
[ -x "$SPAWN_FCGI" ] && test_set_prereq SPAWN_FCGI
[ -x "$NGINX" ] && test_set_prereq NGINX
[ -x "$APACHE2" ] && [ -f "$APACHE_MODULES/mod_proxy_fcgi.so" ] &&
	test_set_prereq APACHE
[ -f "$APACHE_MODULES/mod_fcgid.so" ] && test_set_prereq FCGID
[ -f "$APACHE_MODULES/mod_cgid.so" ] && test_set_prereq APACHE_CGI
# Workers under spawn-fcgi behind nginx or Apache's mod_proxy_fcgi.
test_have_prereq SPAWN_FCGI && test_have_prereq NGINX &&
	test_set_prereq NGINX_SPAWN_FCGI
test_have_prereq SPAWN_FCGI && test_have_prereq APACHE &&
	test_set_prereq APACHE_SPAWN_FCGI

HTTPD_DIR=$TRASH/httpd
FE_LOG=$HTTPD_DIR/deltashare.log
FE_USER=
[ "$(id -u)" != 0 ] || FE_USER=$DS_TEST_USER
export HTTPD_DIR

# fe_require PREREQ... : skip the whole script when one is missing.
fe_require() {
	for _p in "$@"; do
		case $_p in
		PG) _what="PostgreSQL server" ;;
		SPAWN_FCGI) _what=spawn-fcgi ;;
		APACHE) _what="apache2 with mod_proxy_fcgi" ;;
		FCGID) _what="mod_fcgid (libapache2-mod-fcgid)" ;;
		APACHE_CGI) _what="apache2 with mod_cgid" ;;
		*) _what=$(echo "$_p" | tr A-Z a-z) ;;
		esac
		test_have_prereq "$_p" || test_skip_all "$_what not installed"
	done
}

# fe_setup [INI-TEXT]: PostgreSQL, deltashare.ini, migrations and the
# admin account: ds_start without lighttpd.
fe_setup() {
	test_toplevel fe_setup || return 1
	ds_prepare "$1"
	test_atexit ds_metrics_unlink
	mkdir -p "$HTTPD_DIR/run"
	: >>"$FE_LOG"
	if [ -n "$FE_USER" ]; then
		chown "$FE_USER" "$DS_CONF" "$TRASH/server.secret" \
		    "$TRASH/jwt.secret" "$FE_LOG"
	fi
}

fe_login() {
	ds_login admin "$ADMIN_PASSWORD" || bail "admin login failed"
	ADMIN_TOKEN=$DS_TOKEN
}

# fe_workers_start: two deltashare workers on $HTTPD_DIR/run/
# deltashare.sock under spawn-fcgi, the way nginx/README and
# apache/README tell a sysadmin to start them; spawn-fcgi sends their
# stderr to /dev/null, so a shell in front of the program (gone at its
# exec, the pid stays) appends it to $FE_LOG.  Returns once both workers
# said "worker ready".  Pids in $HTTPD_DIR/workers.pid (this start) and
# workers.all (every start, for the stop at exit).
fe_workers_start() {
	test_toplevel fe_workers_start || return 1
	fe_require SPAWN_FCGI
	set -- -s "$HTTPD_DIR/run/deltashare.sock" -F 2 \
	    -P "$HTTPD_DIR/workers.pid"
	[ -z "$FE_USER" ] || set -- "$@" -u "$FE_USER" -U "$FE_USER"
	DELTASHARE_CONF=$DS_CONF "$SPAWN_FCGI" "$@" -- \
	    /bin/sh -c 'exec "$0" 2>>"$1"' "$DS_BIN" "$FE_LOG" \
	    >"$HTTPD_DIR/spawn-fcgi.out" 2>&1 ||
		{ cat "$HTTPD_DIR/spawn-fcgi.out" >&2; return 1; }
	[ -f "$HTTPD_DIR/workers.all" ] || test_atexit fe_workers_stop
	# (spawn-fcgi ends the file without a newline)
	{ cat "$HTTPD_DIR/workers.pid"; echo; } >>"$HTTPD_DIR/workers.all"
	for _pid in $(cat "$HTTPD_DIR/workers.pid"); do
		test_poll "grep -q 'deltashare\[$_pid\]: info: worker ready' \
		    '$FE_LOG'" || { cat "$FE_LOG" >&2; return 1; }
	done
}

# fe_systemd_start: the workers as the shipped nginx/deltashare.service
# and deltashare.socket run them (filled in by nginx/mkconf, so after
# nginx_start): its ExecStart= and Environment= under
# systemd-socket-activate listening on the socket's ListenStream=, which
# hands the socket over the way systemd does (LISTEN_FDS) at the first
# connection.  As root it runs as $FE_USER (setpriv, which keeps the
# pid).  Messages go to $FE_LOG.  Sets FE_SUP, the supervisor's pid.
fe_systemd_start() {
	test_toplevel fe_systemd_start || return 1
	_svc=$HTTPD_DIR/deltashare.service
	_sock=$(sed -n "s/^ListenStream=//p" "$HTTPD_DIR/deltashare.socket")
	_env=$(sed -n "s/^Environment=//p" "$_svc")
	_exec=$(sed -n "s/^ExecStart=//p" "$_svc")
	[ -n "$_sock" ] && [ -n "$_exec" ] || return 1
	rm -f "$_sock"
	set --
	# systemd makes the socket as root and hands it to SocketUser;
	# here its user makes it, in a directory of its own.
	[ -z "$FE_USER" ] || chown "$FE_USER" "$(dirname "$_sock")"
	[ -z "$FE_USER" ] || set -- setpriv --reuid="$FE_USER" \
	    --regid="$FE_USER" --init-groups
	# $_exec is split into words, as systemd does with ExecStart=.
	"$@" systemd-socket-activate -l "$_sock" -E "$_env" -- $_exec \
	    >>"$FE_LOG" 2>&1 &
	FE_SUP=$!
	echo "$FE_SUP" >>"$HTTPD_DIR/workers.all"
	test_atexit fe_sup_stop
	test_poll "test -S '$_sock' || ! test_alive $FE_SUP" &&
	test_alive "$FE_SUP"
}

# fe_spawn_sup_start N: "deltashare -w N" under spawn-fcgi -F 1, the way
# nginx/README tells a sysadmin without systemd: spawn-fcgi opens
# $HTTPD_DIR/run/deltashare.sock and hands it over as descriptor 0, a
# shell in front keeps stderr in $FE_LOG (see fe_workers_start).  Sets
# FE_SUP, the supervisor's pid (not a child of this shell).  Returns once
# N workers run.
fe_spawn_sup_start() {
	test_toplevel fe_spawn_sup_start || return 1
	fe_require SPAWN_FCGI
	rm -f "$HTTPD_DIR/run/deltashare.sock"
	set -- "$1" -s "$HTTPD_DIR/run/deltashare.sock" -F 1 \
	    -P "$HTTPD_DIR/supervisor.pid"
	[ -z "$FE_USER" ] || set -- "$@" -u "$FE_USER" -U "$FE_USER"
	_n=$1
	shift
	DELTASHARE_CONF=$DS_CONF "$SPAWN_FCGI" "$@" -- \
	    /bin/sh -c 'exec "$0" -w "$2" 2>>"$1"' "$DS_BIN" "$FE_LOG" "$_n" \
	    >"$HTTPD_DIR/spawn-fcgi.out" 2>&1 ||
		{ cat "$HTTPD_DIR/spawn-fcgi.out" >&2; return 1; }
	FE_SUP=$(cat "$HTTPD_DIR/supervisor.pid")
	echo "$FE_SUP" >>"$HTTPD_DIR/workers.all"
	test_atexit fe_sup_stop
	test_poll "test \$(fe_sup_workers | wc -l) = $_n"
}

# Stop the supervisor started last (SIGTERM, then SIGKILL).
fe_sup_stop() {
	[ -n "$FE_SUP" ] && test_alive "$FE_SUP" || return 0
	kill -TERM "$FE_SUP"
	test_poll "! test_alive $FE_SUP" 30 || kill -KILL "$FE_SUP"
	wait "$FE_SUP" 2>/dev/null
	return 0
}

# Pids of the supervisor's workers (a dead one too, until reaped).
fe_sup_workers() {
	pgrep -P "$FE_SUP" 2>/dev/null
	return 0
}

# fe_sup_crash_loop N: a crash loop, made from outside: kill -9 one
# running worker, then each of the next N workers the supervisor starts
# as soon as it shows up.  Prints how long it took (s).  Fails after 60 s.
fe_sup_crash_loop() {
	perl -MTime::HiRes=time,sleep -e '
		my ($sup, $n) = @ARGV;
		sub kids {
			my @k;
			for my $f (glob "/proc/[0-9]*/stat") {
				open(my $fh, "<", $f) or next;
				my $l = <$fh>;
				push @k, $1 if defined $l &&
				    $l =~ /^(\d+) \(.*\) [^Z] (\d+) / && $2 == $sup;
			}
			return @k;
		}
		my %seen = map { $_ => 1 } kids();
		my $t0 = time;
		kill "KILL", (keys %seen)[0] or die "fe_sup_crash_loop: no worker\n";
		while ($n > 0) {
			die "fe_sup_kill_new: timed out\n" if time - $t0 > 60;
			for my $p (kids()) {
				next if $seen{$p}++ || $n == 0;
				kill "KILL", $p;
				$n--;
			}
			sleep 0.002;
		}
		printf "%.1f\n", time - $t0;' "$FE_SUP" "$1"
}

# Pids of the workers still alive.
fe_workers() {
	for _pid in $(cat "$HTTPD_DIR/workers.all" 2>/dev/null); do
		test_alive "$_pid" && echo "$_pid"
	done
	return 0
}

fe_workers_stop() {
	_pids=$(fe_workers)
	[ -n "$_pids" ] || return 0
	kill -TERM $_pids 2>/dev/null
	for _pid in $_pids; do
		test_poll "! test_alive $_pid" 10 || kill -KILL "$_pid" 2>/dev/null
	done
}

# Wait for a started server to answer on $HTTPD_PORT; $1 is its pid,
# the rest are logs to show if it does not.
fe_wait_http() {
	_pid=$1
	shift
	test_poll "! test_alive $_pid || curl -s -o /dev/null http://127.0.0.1:$HTTPD_PORT/" &&
	test_alive "$_pid" || { cat "$@" >&2 2>/dev/null; return 1; }
	DS_URL=http://127.0.0.1:$HTTPD_PORT/delta-sharing
	FE_PID=$_pid
	export DS_URL
}

# Stop a server by pid: SIGTERM, then wait until it is gone.
fe_stop_pid() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	test_poll "! test_alive $1" 20 || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# --- nginx -------------------------------------------------------------

# nginx_start: a private nginx on a free port from nginx/standalone.conf
# (which includes nginx/deltashare.conf), in the foreground ("daemon off"
# in the file) in the background of the shell.
nginx_start() {
	test_toplevel nginx_start || return 1
	fe_require NGINX
	HTTPD_PORT=$(test_free_port) || return 1
	"$DS_SRC_DIR/nginx/mkconf" "$HTTPD_DIR" "$HTTPD_PORT" "$DS_BIN" \
	    "$DS_CONF" || return 1
	set -- -p "$HTTPD_DIR" -e "$HTTPD_DIR/nginx-error.log" \
	    -c "$HTTPD_DIR/standalone.conf"
	[ -z "$FE_USER" ] || set -- "$@" -g "user $FE_USER;"
	"$NGINX" -t "$@" >"$HTTPD_DIR/check.out" 2>&1 ||
		{ cat "$HTTPD_DIR/check.out" >&2; return 1; }
	"$NGINX" "$@" >"$HTTPD_DIR/nginx.out" 2>&1 &
	NGINX_PID=$!
	FE_ACCESS_LOG=$HTTPD_DIR/nginx-access.log
	test_atexit nginx_stop
	fe_wait_http "$NGINX_PID" "$HTTPD_DIR/nginx.out" \
	    "$HTTPD_DIR/nginx-error.log"
}

nginx_stop() {
	fe_stop_pid "$NGINX_PID"
	NGINX_PID=
}

# --- Apache ------------------------------------------------------------

# apache_start [-s SNIPPET] [-D NAME]...: a private Apache on a free port
# from apache/standalone.conf, including apache/SNIPPET.conf (default
# deltashare: mod_proxy_fcgi), in the foreground (-DFOREGROUND) in the
# background of the shell.
apache_start() {
	test_toplevel apache_start || return 1
	fe_require APACHE
	_snip=deltashare
	if [ "$1" = -s ]; then
		_snip=$2
		shift 2
	fi
	HTTPD_PORT=$(test_free_port) || return 1
	"$DS_SRC_DIR/apache/mkconf" -s "$_snip" "$HTTPD_DIR" "$HTTPD_PORT" \
	    "$DS_BIN" "$DS_CONF" || return 1
	set -- -f "$HTTPD_DIR/standalone.conf" "$@"
	[ -z "$FE_USER" ] ||
		set -- "$@" -c "User $FE_USER" -c "Group $(id -gn "$FE_USER")"
	"$APACHE2" -t "$@" >"$HTTPD_DIR/check.out" 2>&1 ||
		{ cat "$HTTPD_DIR/check.out" >&2; return 1; }
	"$APACHE2" "$@" -DFOREGROUND >"$HTTPD_DIR/apache2.out" 2>&1 &
	APACHE_PID=$!
	FE_ACCESS_LOG=$HTTPD_DIR/apache2-access.log
	test_atexit apache_stop
	fe_wait_http "$APACHE_PID" "$HTTPD_DIR/apache2.out" \
	    "$HTTPD_DIR/apache2-error.log"
}

apache_stop() {
	fe_stop_pid "$APACHE_PID"
	APACHE_PID=
}

# apache_fcgid_start: the same with apache/deltashare-fcgid.conf and
# mod_fcgid loaded (-D Fcgid): Apache starts the workers itself; their
# messages go to its error log.
apache_fcgid_start() {
	test_toplevel apache_fcgid_start || return 1
	fe_require FCGID
	FE_LOG=$HTTPD_DIR/apache2-error.log
	apache_start -s deltashare-fcgid -D Fcgid
}

# apache_cgi_start: the same with apache/deltashare-cgi.conf and mod_cgid
# loaded (-D Cgi), running the wrapper cgi-bin/deltashare.cgi: one
# process per request, messages in Apache's error log.
apache_cgi_start() {
	test_toplevel apache_cgi_start || return 1
	fe_require APACHE_CGI
	FE_LOG=$HTTPD_DIR/apache2-error.log
	apache_start -s deltashare-cgi -D Cgi
}

# Pids of the workers mod_fcgid started (children of its process
# manager, a child of Apache).
fcgid_workers() {
	for _pm in $(pgrep -P "$APACHE_PID"); do
		for _w in $(pgrep -P "$_pm" -x deltashare); do
			test_alive "$_w" && echo "$_w"
		done
	done
	return 0
}

# --- plain CGI ---------------------------------------------------------

# cgi_start: a private lighttpd on a free port from
# lighttpd/standalone.conf including cgi-bin/lighttpd-cgi.conf, running
# the wrapper cgi-bin/deltashare.cgi (mod_cgi: one process per request).
# Like lighttpd_start, lighttpd runs as whoever runs the tests (as root
# too, like t0004 and friends).
cgi_start() {
	test_toplevel cgi_start || return 1
	fe_require LIGHTTPD
	lighttpd_start "$DS_SRC_DIR/cgi-bin/mkconf" || return 1
	FE_PID=$HTTPD_PID
	CGI_HTTPD_PID=$HTTPD_PID
}

# --- the checks every front end passes ---------------------------------

# What differs between front ends is set by the script, each as
# "STATUS BY": BY is "frontend" when the front end answers itself (not
# with deltashare's JSON), or the errorCode of deltashare's JSON answer.
#	FE_NAME		the front end, for the titles
#	FE_BODY_CL	a 2 MB body with a Content-Length
#	FE_BODY_CHUNKED	a 2 MB body sent chunked (no Content-Length)
#	FE_AUTH_BIG	a 9 KiB Authorization header
#	FE_BAD_ESCAPE	a malformed escape ("%zz") in the path

# expect_answer "STATUS BY": the last response is that status, from the
# front end or from deltashare with that errorCode.
expect_answer() {
	set -- $1
	expect_status "$1" || return 1
	if [ "$2" = frontend ]; then
		if jq -e .errorCode "$TRASH/resp.body" >/dev/null 2>&1; then
			echo "expected the front end's answer, got deltashare's: $(body)" >&2
			return 1
		fi
	else
		expect_error "$1" "$2"
	fi
}

# The count of GET /shares answered 200, from the metrics.
fe_shares_200() {
	api -t "$ADMIN_TOKEN" GET /admin/metrics && expect_status 200 &&
	metric_value 'deltashare_http_requests_total{method="GET",route="/shares",status="200"}'
}

fe_common_tests() {
	test_expect_success "$FE_NAME: admin API: table, share, recipient, grant" '
		DS_TOKEN=$ADMIN_TOKEN &&
		"$DS_BUILD_DIR/src/mktable" --seed 1 "$TRASH/tables/t1" >t1.mk &&
		api POST /admin/tables "{\"name\":\"t1\",\"location\":\"$TRASH/tables/t1\"}" &&
		expect_status 201 &&
		api POST /admin/shares "{\"name\":\"s1\",\"comment\":\"via $FE_NAME\"}" &&
		expect_status 201 &&
		api POST /admin/shares/s1/schemas/a/tables "{\"table\":\"t1\"}" &&
		expect_status 201 &&
		make_recipient r1 && echo "$RCP_TOKEN" >r1.token &&
		api POST /admin/shares/s1/recipients "{\"recipient\":\"r1\"}" &&
		expect_status 201 &&
		api GET /admin/shares && expect_status 200 &&
		expect_json "[.items[].name] == [\"s1\"]"
	'
	R1=$(cat r1.token 2>/dev/null)

	test_expect_success "$FE_NAME: discovery with the recipient token" '
		api -t "$R1" GET /shares && expect_status 200 &&
		test "$(header Content-Type)" = "application/json; charset=utf-8" &&
		expect_json "[.items[].name] == [\"s1\"]" &&
		api -t "$R1" GET /shares/s1 && expect_status 200 &&
		expect_json ".share.comment == \"via $FE_NAME\"" &&
		api -t "$R1" GET /shares/s1/schemas && expect_status 200 &&
		expect_json ".items == [{\"name\":\"a\",\"share\":\"s1\"}]" &&
		api -t "$R1" GET /shares/s1/schemas/a/tables && expect_status 200 &&
		expect_json "[.items[].name] == [\"t1\"]" &&
		api -t "$R1" GET /shares/s1/all-tables && expect_status 200 &&
		expect_json "[.items[].name] == [\"t1\"]"
	'

	test_expect_success "$FE_NAME: a query, and every file downloaded through $FE_NAME" '
		api -t "$R1" POST /shares/s1/schemas/a/tables/t1/query "{}" &&
		expect_status 200 && test "$(header Delta-Table-Version)" = 3 &&
		grep "^{\"file\"" resp.body >files && test -s files &&
		while read -r line; do
			url=$(printf %s "$line" | jq -r .file.url) &&
			size=$(printf %s "$line" | jq -r .file.size) &&
			path=/${url#*://*/} &&
			curl -s -o file.out -w "%{http_code}" \
			    "http://127.0.0.1:$HTTPD_PORT$path" >file.status &&
			test "$(cat file.status)" = 200 &&
			test "$(wc -c <file.out)" = "$size" || return 1
		done <files &&
		curl -s -o part.out -w "%{http_code}" -r 0-3 \
		    "http://127.0.0.1:$HTTPD_PORT$path" >part.status &&
		test "$(cat part.status)" = 206 && test "$(cat part.out)" = PAR1 &&
		api -t "" GET "/health?after-the-downloads" &&
		rid=$(header X-Request-Id) &&
		test_poll "grep -q -e after-the-downloads -e $rid $HTTPD_DIR/*access*.log" &&
		jq -r .file.url files | sed "s|.*/||" >tokens &&
		test -s tokens && ! grep -F -f tokens "$HTTPD_DIR"/*access*.log "$FE_LOG"
	'

	test_expect_success "$FE_NAME: health, and metrics summed over the workers" '
		api -t "" GET /health && expect_status 200 &&
		expect_json ".status == \"ok\"" &&
		fe_shares_200 >n0 &&
		for i in 1 2 3 4 5 6; do
			api -t "$R1" GET /shares && expect_status 200 || return 1
		done &&
		fe_shares_200 >n1 &&
		test $(($(cat n1) - $(cat n0))) = 6 &&
		grep -q "^deltashare_metrics_shared 1$" resp.body
	'

	test_expect_success "$FE_NAME: the audit log has the calls, with the client address" '
		api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?recipient=r1&table=t1" &&
		expect_status 200 &&
		expect_json "[.items[].route] | index(\"/shares/{share}/schemas/{schema}/tables/{table}/query\") != null" &&
		expect_json ".items[0].client == \"127.0.0.1\" and .items[0].files > 0"
	'

	test_expect_success "$FE_NAME: the query string reaches the worker" '
		api -t "$R1" GET "/shares?maxResults=0" && expect_status 200 &&
		expect_json "(.nextPageToken | length) > 0" &&
		api -t "$R1" GET "/shares?maxResults=x" &&
		expect_error 400 INVALID_PARAMETER_VALUE "expected a number"
	'

	test_expect_success "$FE_NAME: no token or a bad one: 401 JSON with WWW-Authenticate" '
		api -t "" GET /shares &&
		expect_error 401 UNAUTHENTICATED "missing bearer token" &&
		header WWW-Authenticate | grep -q "^Bearer " &&
		api -t "not.a.token" GET /shares && expect_error 401 UNAUTHENTICATED &&
		header WWW-Authenticate | grep -q "^Bearer " &&
		api -t "$ADMIN_TOKEN" GET /shares &&
		expect_error 401 UNAUTHENTICATED "not valid for this API"
	'

	test_expect_success "$FE_NAME: unknown route 404, wrong method 405, as JSON" '
		api GET /nothing && expect_error 404 ENDPOINT_NOT_FOUND &&
		api GET /admin/shares/s1/x/y/z/w && expect_error 404 ENDPOINT_NOT_FOUND &&
		api -t "$R1" POST /shares "{}" && expect_error 405 METHOD_NOT_ALLOWED &&
		test "$(header Allow)" = "GET, HEAD, OPTIONS"
	'

	# Apache drops the worker's Content-Length (the GET is chunked).
	test_expect_success "$FE_NAME: HEAD answers headers only" '
		api GET /admin/shares && expect_status 200 &&
		len=$(header Content-Length) &&
		api HEAD /admin/shares && expect_status 200 &&
		test "$(header Content-Length)" = "$len" && test ! -s resp.body &&
		test "$(header Content-Type)" = "application/json; charset=utf-8" &&
		api -t "" HEAD /admin/shares && expect_status 401 &&
		test ! -s resp.body && header WWW-Authenticate | grep -q "^Bearer "
	'

	test_expect_success "$FE_NAME: response headers of the worker come through" '
		api GET /admin/shares && rid=$(header X-Request-Id) &&
		test ${#rid} = 16 &&
		test "$(header Cache-Control)" = no-store &&
		test "$(header X-Content-Type-Options)" = nosniff
	'

	test_expect_success "$FE_NAME: %2F inside a name reaches the worker undecoded: 400" '
		api GET /admin/shares/a%2Fb &&
		expect_error 400 INVALID_PARAMETER_VALUE "share name must not contain" &&
		api GET /admin/shares/%252e%252e &&
		expect_error 404 RESOURCE_DOES_NOT_EXIST "%2e%2e"
	'

	test_expect_success "$FE_NAME: a malformed escape in the path: $FE_BAD_ESCAPE" '
		api GET /admin/shares/a%zz && expect_answer "$FE_BAD_ESCAPE"
	'

	test_expect_success "$FE_NAME: a body over server.max_body: 413 JSON from the worker" '
		big=$(head -c 5000 /dev/zero | tr "\\0" x) &&
		api POST /admin/shares "{\"name\":\"$big\"}" &&
		expect_error 413 REQUEST_TOO_LARGE "4096"
	'

	head -c 2000000 /dev/zero | tr "\\0" x >huge

	test_expect_success "$FE_NAME: a 2 MB body: $FE_BODY_CL" '
		curl -s -o resp.body -w "%{http_code}" \
		    -H "Authorization: Bearer $ADMIN_TOKEN" \
		    -H "Content-Type: application/json" \
		    --data-binary @huge "$DS_URL/admin/shares" >resp.status &&
		expect_answer "$FE_BODY_CL"
	'

	test_expect_success "$FE_NAME: a 2 MB chunked body: $FE_BODY_CHUNKED" '
		curl -s -o resp.body -w "%{http_code}" \
		    -H "Authorization: Bearer $ADMIN_TOKEN" \
		    -H "Content-Type: application/json" \
		    -H "Transfer-Encoding: chunked" \
		    --data-binary @huge "$DS_URL/admin/shares" >resp.status &&
		expect_answer "$FE_BODY_CHUNKED"
	'

	test_expect_success "$FE_NAME: a small chunked body gets its CONTENT_LENGTH" '
		curl -s -o resp.body -w "%{http_code}" \
		    -H "Authorization: Bearer $ADMIN_TOKEN" \
		    -H "Content-Type: application/json" \
		    -H "Transfer-Encoding: chunked" \
		    --data-binary "{\"name\":\"chunked\"}" \
		    "$DS_URL/admin/shares" >resp.status &&
		expect_status 201 &&
		api DELETE /admin/shares/chunked && expect_status 204
	'

	test_expect_success "$FE_NAME: an Authorization header under 8 KiB reaches the worker" '
		tok=$(head -c 7900 /dev/zero | tr "\\0" a) &&
		api -t "$tok" GET /shares && expect_error 401 UNAUTHENTICATED
	'

	test_expect_success "$FE_NAME: a 9 KiB Authorization header: $FE_AUTH_BIG" '
		tok=$(head -c 9216 /dev/zero | tr "\\0" a) &&
		api -t "$tok" GET /shares && expect_answer "$FE_AUTH_BIG"
	'
}

# --- workers under spawn-fcgi (nginx, Apache with mod_proxy_fcgi) ------

# fe_kill_tests "STATUS BY": spawn-fcgi starts the workers and leaves,
# so nobody restarts them: with one killed the other serves, and with
# both gone the front end answers STATUS.
fe_kill_tests() {
	FE_DEAD=$1
	test_expect_success "$FE_NAME: kill -9 of one worker: the other serves, none is respawned" '
		fe_workers >pids && test $(wc -l <pids) = 2 &&
		victim=$(head -n 1 pids) && kill -KILL "$victim" &&
		test_poll "! test_alive $victim" &&
		for i in 1 2 3 4 5 6; do
			api -t "$R1" GET /shares && expect_status 200 || return 1
		done &&
		fe_workers >pids.after && test "$(cat pids.after)" = "$(sed 1d pids)"
	'

	test_expect_success "$FE_NAME: every worker dead: $FE_DEAD" '
		kill -KILL $(fe_workers) &&
		test_poll "test -z \"\$(fe_workers)\"" &&
		api -t "$R1" GET /shares && expect_answer "$FE_DEAD" &&
		api -t "$R1" GET /shares && expect_answer "$FE_DEAD"
	'
}

# fe_restart_tests: after fe_workers_start again (at the top level, as a
# supervisor would), the same front end serves at once.
fe_restart_tests() {
	test_expect_success "$FE_NAME: workers started again: served at once" '
		test_alive "$FE_PID" &&
		api -t "$R1" GET /shares && expect_status 200 &&
		expect_json "[.items[].name] == [\"s1\"]"
	'

	test_expect_success "$FE_NAME: SIGTERM: a worker stops cleanly, the other serves" '
		pid=$(fe_workers | head -n 1) && kill -TERM "$pid" &&
		test_poll "! test_alive $pid" &&
		grep -q "deltashare\[$pid\]: info: worker stopping on signal" "$FE_LOG" &&
		for i in 1 2 3 4; do
			api -t "$R1" GET /shares && expect_status 200 || return 1
		done
	'
}
