# test-lib.sh: the TAP test library every t/tNNNN-*.sh script sources.
#
#	. "$(dirname "$0")/test-lib.sh"
#	test_expect_success 'what it checks' '
#		commands
#	'
#	test_done
#
# Each script runs in its own trash directory under $TMPDIR (kept when a
# test fails, or always with DS_TEST_NOCLEAN=1), prints TAP for prove,
# and stops what it started through test_atexit.  Tests poll for
# readiness and never sleep.  Run one alone with: sh t/t0000-basic.sh -v
# (DS_BUILD_DIR and DS_SRC_DIR default to the source tree; DS_SHARED_DIR
# to ../shared next to it).

DS_SRC_DIR=${DS_SRC_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
DS_BUILD_DIR=${DS_BUILD_DIR:-$DS_SRC_DIR}
export DS_SRC_DIR DS_BUILD_DIR
DS_BIN=$DS_BUILD_DIR/src/deltashare
SHARED_DIR=${DS_SHARED_DIR:-$DS_SRC_DIR/../shared}
# The test helpers' npm packages (npm ci --prefix t/node); a dist tree
# under "make distcheck" uses those of the tree it was made from.
DS_NODE_MODULES=${DS_NODE_MODULES:-$DS_SRC_DIR/t/node/node_modules}
export DS_NODE_MODULES
LC_ALL=C
export LC_ALL
unset DELTASHARE_CONF
# Environment overrides must not leak in from the caller.
for v in $(env | sed -n 's/^\(DELTASHARE_[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done

test_count=0
test_failed=0
test_verbose=
test_cleanup=
test_atexit_cmds=
case "$1" in -v|--verbose) test_verbose=t ;; esac

say() { printf '%s\n' "$*"; }
say_diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/ds-test.$(basename "$0" .sh).XXXXXX") ||
	{ say "Bail out! cannot create a trash directory"; exit 1; }
chmod 755 "$TRASH"
export TRASH
cd "$TRASH" || exit 1

# Unprivileged user for daemons that refuse root (PostgreSQL).
if [ "$(id -u)" = 0 ]; then
	DS_TEST_USER=${DS_TEST_USER:-postgres}
else
	DS_TEST_USER=$(id -un)
fi
export DS_TEST_USER

run_as_test_user() {
	if [ "$(id -u)" = 0 ] && [ "$DS_TEST_USER" != root ]; then
		runuser -u "$DS_TEST_USER" -- "$@"
	else
		"$@"
	fi
}

# Servers must be started by the script itself, not inside a test body
# (a subshell): their pids and test_atexit would be lost with it.
test_toplevel() {
	if [ "$(exec sh -c 'echo $PPID')" != "$$" ]; then
		echo "$1: call it outside test_expect_success" >&2
		return 1
	fi
}

test_when_finished() {
	test_cleanup="$1
$test_cleanup"
}

test_atexit() {
	test_atexit_cmds="$1
$test_atexit_cmds"
}

test_run_atexit() {
	if [ -n "$test_atexit_cmds" ]; then
		eval "$test_atexit_cmds" >/dev/null 2>&1
		test_atexit_cmds=
	fi
}
trap 'test_run_atexit' EXIT
trap 'test_run_atexit; exit 130' INT TERM HUP PIPE

test_ok() {
	test_count=$((test_count + 1))
	say "ok $test_count - $1"
}

test_not_ok() {
	test_count=$((test_count + 1))
	test_failed=$((test_failed + 1))
	say "not ok $test_count - $1"
}

# test_expect_success [PREREQ] 'title' 'script'
test_expect_success() {
	if [ $# = 3 ]; then
		if ! test_have_prereq "$1"; then
			test_count=$((test_count + 1))
			say "ok $test_count # skip $2 (missing $1)"
			return 0
		fi
		shift
	fi
	test_cleanup=
	# Not in an "if": set -e is ignored inside conditions.
	( eval "set -e
$2" ) >"$TRASH/.test-output" 2>&1
	if [ $? = 0 ]; then
		eval "$test_cleanup" >/dev/null 2>&1
		test_ok "$1"
		[ -z "$test_verbose" ] || say_diag "$(cat "$TRASH/.test-output")"
	else
		eval "$test_cleanup" >/dev/null 2>&1
		test_not_ok "$1"
		say_diag "$(sed -n '1,80p' "$TRASH/.test-output")"
	fi
}

test_skip_all() {
	say "1..0 # SKIP $1"
	test_run_atexit
	cd / && rm -rf "$TRASH"
	exit 0
}

test_done() {
	test_run_atexit
	say "1..$test_count"
	if [ "$test_failed" -gt 0 ]; then
		say_diag "$test_failed of $test_count failed; kept $TRASH"
		exit 1
	fi
	cd /
	[ -n "$DS_TEST_NOCLEAN" ] || rm -rf "$TRASH"
	exit 0
}

# Prerequisites: test_set_prereq NAME, test_have_prereq NAME.
test_prereqs=" "
test_set_prereq() { test_prereqs="$test_prereqs$1 "; }
test_have_prereq() {
	case "$test_prereqs" in *" $1 "*) return 0 ;; esac
	return 1
}

# Compare files, showing the difference on failure.
test_cmp() {
	diff -u "$1" "$2"
}

# The command must fail (exit non-zero, not by a signal).
test_must_fail() {
	"$@"
	rc=$?
	if [ $rc = 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	fi
	if [ $rc -gt 128 ]; then
		echo "test_must_fail: '$*' died of signal $((rc - 128))" >&2
		return 1
	fi
	return 0
}

# Poll until a command succeeds, up to $2 seconds (default 20).
test_poll() {
	_tp_deadline=$(( $(date +%s) + ${2:-20} ))
	while ! eval "$1" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$_tp_deadline" ]; then
			echo "test_poll: timed out waiting for: $1" >&2
			return 1
		fi
		# A short pause between probes, not a guess at readiness.
		perl -e 'select(undef, undef, undef, 0.02)'
	done
}

# Is process $1 running?  A zombie (exited, not yet reaped: PID 1 in a
# container may never reap) is not.
test_alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null &&
	    ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}

# A free TCP port on 127.0.0.1.
test_free_port() {
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
		    LocalPort => 0, Proto => "tcp", Listen => 1) or die;
		print $s->sockport, "\n";'
}

command -v jq >/dev/null 2>&1 && test_set_prereq JQ
command -v curl >/dev/null 2>&1 && test_set_prereq CURL
[ -d "$SHARED_DIR/delta-tables" ] && test_set_prereq SHARED_TABLES
