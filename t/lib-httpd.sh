# lib-httpd.sh: a private lighttpd for one test script, configured from
# the shipped lighttpd/ templates (only ports and paths filled in).
#
# lighttpd_start [MKCONF] needs $DS_CONF (the deltashare.ini to use);
# MKCONF (default lighttpd/mkconf) writes the configuration.  It picks a
# free port on 127.0.0.1, checks the configuration with lighttpd -tt,
# starts lighttpd in the foreground (-D) in the background of the shell,
# polls until it answers, and registers lighttpd_stop.  Sets DS_URL to
# the sharing endpoint and HTTPD_DIR to its state directory (logs:
# lighttpd-error.log, lighttpd-access.log, and deltashare.log for the
# workers' own messages) and FE_ACCESS_LOG to its access log.

LIGHTTPD=$(command -v lighttpd 2>/dev/null || echo /usr/sbin/lighttpd)
[ -x "$LIGHTTPD" ] && test_set_prereq LIGHTTPD

lighttpd_start() {
	test_toplevel lighttpd_start || return 1
	# A port found free may be taken by a parallel script before lighttpd
	# binds it: then lighttpd exits, and we try another port.
	for _try in 1 2 3 4 5; do
		lighttpd_try "${1:-$DS_SRC_DIR/lighttpd/mkconf}" && return 0
	done
	cat "$HTTPD_DIR/lighttpd.out" "$HTTPD_DIR/lighttpd-error.log" >&2
	return 1
}

lighttpd_try() {
	HTTPD_PORT=$(test_free_port) || return 1
	HTTPD_DIR=$TRASH/httpd
	rm -f "$HTTPD_DIR/lighttpd.pid"
	"$1" "$HTTPD_DIR" "$HTTPD_PORT" "$DS_BIN" "$DS_CONF" || return 1
	"$LIGHTTPD" -tt -f "$HTTPD_DIR/standalone.conf" >"$HTTPD_DIR/check.out" \
	    2>&1 || { cat "$HTTPD_DIR/check.out" >&2; return 1; }
	"$LIGHTTPD" -D -f "$HTTPD_DIR/standalone.conf" \
	    >"$HTTPD_DIR/lighttpd.out" 2>&1 &
	HTTPD_PID=$!
	DS_URL=http://127.0.0.1:$HTTPD_PORT/delta-sharing
	FE_ACCESS_LOG=$HTTPD_DIR/lighttpd-access.log
	export DS_URL HTTPD_DIR HTTPD_PID
	# Ours once it wrote its pid file (after binding) and still runs.
	test_poll "test \"\$(cat $HTTPD_DIR/lighttpd.pid 2>/dev/null)\" = $HTTPD_PID ||
	    ! kill -0 $HTTPD_PID" || return 1
	if ! kill -0 "$HTTPD_PID" 2>/dev/null; then
		wait "$HTTPD_PID" 2>/dev/null
		HTTPD_PID=
		return 1
	fi
	test_atexit lighttpd_stop
	test_poll "curl -s -o /dev/null http://127.0.0.1:$HTTPD_PORT/"
}

lighttpd_stop() {
	[ -n "$HTTPD_PID" ] || return 0
	kill "$HTTPD_PID" 2>/dev/null
	wait "$HTTPD_PID" 2>/dev/null
	HTTPD_PID=
}

# Pids of the deltashare workers lighttpd spawned.
lighttpd_workers() {
	pgrep -P "$HTTPD_PID" -f "$DS_BIN" 2>/dev/null
}
