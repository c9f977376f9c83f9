# lib-load.sh: wrk load on a running front end, for the fault-tolerance
# scripts: break something while wrk runs, then read what its clients
# saw.  Source it after lib-frontends.sh (or lib-ds.sh).
#
#	load_start NAME PATH TOKEN	# wrk on $DS_URL$PATH, in the background
#	test_expect_success '...' '
#		load_wait "2.." 200 &&	# 200 answers 2xx since the start
#		kill -KILL $victim &&
#		load_mark && load_wait "2.." 500 &&
#		load_settled		# every client served after a failure
#	'
#	load_stop			# stop wrk (SIGINT), wait for its report
#	load_figures			# the figures as TAP diagnostics
#
# wrk runs 4 clients (a thread and a connection each) until load_stop
# (60 s at most), with a 10 s timeout per request;
# t/helper/wrk-status.lua counts the answers by status and keeps the
# state of each client in $TRASH/NAME.conn.  Progress is read from the
# front end's access log ($FE_ACCESS_LOG), so nothing waits for a fixed
# time.  wrk's report is $TRASH/NAME.wrk; load_figures writes one line
# to $TRASH/figures/NAME.

WRK=$(command -v wrk 2>/dev/null || echo /usr/bin/wrk)
[ -x "$WRK" ] && test_set_prereq WRK
LOAD_LUA=$DS_SRC_DIR/t/helper/wrk-status.lua
LOAD_CLIENTS=4

# load_mark: answers logged from now on are the ones load_seen counts,
# and load_settled waits for each client to be served after now.
load_mark() {
	LOAD_MARK=$(wc -l <"$FE_ACCESS_LOG")
	{ echo mark; load_clients; } >"$LOAD_CONN.mark"
}

# load_clients: "ID STATE SERVED" for each client that answered yet.
load_clients() {
	for _f in "$LOAD_CONN"/*; do
		[ -f "$_f" ] && echo "${_f##*/} $(cat "$_f")"
	done
	return 0
}

# load_seen STATUS-RE: answers logged since the mark with such a status.
load_seen() {
	tail -n "+$((LOAD_MARK + 1))" "$FE_ACCESS_LOG" |
	    grep -c -E "\" $1 [0-9-]+"
}

# load_wait STATUS-RE N: poll until N such answers were logged since the
# mark; fails at once if wrk is gone.
load_wait() {
	test_poll "! test_alive $LOAD_PID || test \$(load_seen '$1') -ge $2" 30 &&
	test_alive "$LOAD_PID" || {
		echo "load_wait: wrk stopped before $2 answers '$1'" >&2
		return 1
	}
}

# load_settled: poll until every client was served since the mark (a
# file of wrk-status.lua's, written every 50 answers, says so) and its
# last answer is not a failure.
load_settled() {
	test_poll load_settled_now 30 || {
		echo "load_settled: clients at the mark, and now:" >&2
		cat "$LOAD_CONN.mark" >&2
		load_clients >&2
		return 1
	}
}

load_settled_now() {
	load_clients | awk -v want="$LOAD_CLIENTS" '
		NR == FNR { if ($1 != "mark") m[$1] = $3; next }
		$2 == "ok" && $3 > m[$1] + 0 { n++ }
		END { exit n != want }' "$LOAD_CONN.mark" -
}

load_start() {
	test_toplevel load_start || return 1
	test_have_prereq WRK || { echo "wrk is not installed" >&2; return 1; }
	LOAD_NAME=$1 LOAD_OUT=$TRASH/$1.wrk LOAD_CONN=$TRASH/$1.conn
	mkdir -p "$LOAD_CONN"
	load_mark
	"$WRK" -t$LOAD_CLIENTS -c$LOAD_CLIENTS -d60s --timeout 10s -s "$LOAD_LUA" \
	    -H "Authorization: Bearer $3" "$DS_URL$2" -- "$LOAD_CONN" \
	    >"$LOAD_OUT" 2>&1 &
	LOAD_PID=$!
	[ -n "$LOAD_STARTED" ] || test_atexit load_stop
	LOAD_STARTED=t
}

# load_stop: wrk prints its report on SIGINT and exits.
load_stop() {
	[ -n "$LOAD_PID" ] || return 0
	kill -INT "$LOAD_PID" 2>/dev/null
	wait "$LOAD_PID" 2>/dev/null
	LOAD_PID=
}

# load_statuses: the statuses wrk's clients saw, one per line.
load_statuses() {
	sed -n 's/^status \([0-9]*\) .*/\1/p' "$LOAD_OUT" | sort -n
}

# load_count STATUS: how many answers had that status.
load_count() {
	sed -n "s/^status $1 //p" "$LOAD_OUT" | grep . || echo 0
}

# load_socket_errors: connect, read, write errors and timeouts, summed.
load_socket_errors() {
	awk '/^errors / { print $3 + $5 + $7 + $9 }' "$LOAD_OUT"
}

# load_tails_ok: every client's last answers were 2xx, so the front end
# served it again after its last failure.
load_tails_ok() {
	grep -q '^thread ' "$LOAD_OUT" && ! grep -q '^thread [0-9]* tail 0$' \
	    "$LOAD_OUT" || { cat "$LOAD_OUT" >&2; return 1; }
}

# load_samples: the first non-2xx answer of each thread:
# "STATUS RETRY-AFTER BODY".
load_samples() {
	sed -n 's/^sample //p' "$LOAD_OUT"
}

# load_figures: "NAME: N requests, F failed (kinds)" as a
# TAP diagnostic, and in $TRASH/figures/NAME.  Requests are the answers
# plus the socket errors (a request without an answer); failed are the
# non-2xx answers plus the socket errors.
load_figures() {
	mkdir -p "$TRASH/figures"
	awk -v name="$LOAD_NAME" '
		/^status / {
			n += $3
			if ($2 !~ /^2/) {
				bad += $3
				kinds = kinds sprintf(", HTTP %s x%d", $2, $3)
			}
		}
		/^errors / {
			split("connect error,read error,write error,timeout",
			    what, ",")
			for (i = 1; i <= 4; i++) {
				e = $(2 * i + 1)
				if (e > 0)
					kinds = kinds sprintf(", %s x%d",
					    what[i], e)
				n += e
				bad += e
			}
		}
		END {
			sub(/^, /, "", kinds)
			printf "%s: %d requests, %d failed%s\n", name, n, bad,
			    bad ? " (" kinds ")" : ""
		}' "$LOAD_OUT" >"$TRASH/figures/$LOAD_NAME"
	say_diag "$(cat "$TRASH/figures/$LOAD_NAME")"
}
