# lib-ds.sh: a running deltashare for end-to-end tests.
#
#	. "$(dirname "$0")/lib-ds.sh"
#	ds_start			# PostgreSQL, config, migrations, admin, lighttpd
#	api POST /admin/shares '{"name":"s1"}'; expect_status 201
#
# Sources test-lib.sh, lib-pg.sh and lib-httpd.sh.  ds_start skips the
# whole script (visibly) when PostgreSQL, lighttpd, curl or jq is missing.
# api() leaves the response in $TRASH/resp.{status,headers,body}; DS_TOKEN
# is the bearer token it sends unless -t TOKEN (or -t "" for none).

. "${DS_SRC_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/t/test-lib.sh"
. "$DS_SRC_DIR/t/lib-pg.sh"
. "$DS_SRC_DIR/t/lib-httpd.sh"

ADMIN_PASSWORD=admin-password-for-tests

# Write secrets and deltashare.ini; extra INI text may follow in $1.
ds_config() {
	mkdir -p "$TRASH/tables"
	head -c 48 /dev/urandom | base64 -w0 >"$TRASH/server.secret"
	head -c 48 /dev/urandom | base64 -w0 >"$TRASH/jwt.secret"
	chmod 600 "$TRASH/server.secret" "$TRASH/jwt.secret"
	DS_CONF=$TRASH/deltashare.ini
	cat >"$DS_CONF" <<EOF2
[server]
secret_file = $TRASH/server.secret
[log]
level = info
[db]
conninfo = $DS_CONNINFO
[auth]
secret_file = $TRASH/jwt.secret
[admin]
allowed_roots = $TRASH/tables
EOF2
	[ -z "$1" ] || printf '%s\n' "$1" >>"$DS_CONF"
	export DS_CONF
}

ds() {
	"$DS_BIN" -f "$DS_CONF" "$@"
}

# ds_prepare [INI-TEXT]: PostgreSQL, deltashare.ini, migrations and the
# admin account; everything but a web server.
ds_prepare() {
	test_have_prereq PG || test_skip_all "PostgreSQL server not installed"
	test_have_prereq CURL || test_skip_all "curl not installed"
	test_have_prereq JQ || test_skip_all "jq not installed"
	pg_start || bail "cannot start PostgreSQL"
	ds_config "$1"
	ds migrate >"$TRASH/migrate.out" 2>&1 ||
		bail "migrate failed: $(cat "$TRASH/migrate.out")"
	printf '%s\n' "$ADMIN_PASSWORD" | ds passwd admin >/dev/null 2>&1 ||
		bail "cannot create the admin account"
}

ds_start() {
	test_have_prereq LIGHTTPD || test_skip_all "lighttpd not installed"
	ds_prepare "$1"
	test_atexit ds_metrics_unlink
	lighttpd_start || bail "cannot start lighttpd"
	ds_login admin "$ADMIN_PASSWORD" || bail "admin login failed"
	ADMIN_TOKEN=$DS_TOKEN
}

# Remove the workers' shared metrics segments (theirs and the test
# user's), which would otherwise outlive the test in /dev/shm.
ds_metrics_unlink() {
	ds metrics --unlink 2>/dev/null
	[ "$(id -u)" != 0 ] ||
		run_as_test_user "$DS_BIN" -f "$DS_CONF" metrics --unlink \
		    2>/dev/null
	return 0
}

bail() {
	say "Bail out! $*"
	test_run_atexit
	exit 1
}

# api [-t TOKEN] METHOD PATH [BODY [CURL-ARGS...]]
api() {
	_tok=$DS_TOKEN
	if [ "$1" = -t ]; then
		_tok=$2
		shift 2
	fi
	_m=$1 _p=$2
	shift 2
	_body= _hasbody=
	if [ $# -gt 0 ]; then
		_body=$1 _hasbody=t
		shift
	fi
	set -- -s -o "$TRASH/resp.body" -D "$TRASH/resp.headers" \
	    -w '%{http_code}' "$@"
	case $_m in
	HEAD) set -- -s -o /dev/null -D "$TRASH/resp.headers" -w '%{http_code}' \
	    --head; : >"$TRASH/resp.body" ;;
	*) set -- "$@" -X "$_m" ;;
	esac
	[ -z "$_tok" ] || set -- "$@" -H "Authorization: Bearer $_tok"
	[ -z "$_hasbody" ] || set -- "$@" -H 'Content-Type: application/json' \
	    --data-binary "$_body"
	curl "$@" "$DS_URL$_p" >"$TRASH/resp.status"
}

status() { cat "$TRASH/resp.status"; }
body() { cat "$TRASH/resp.body"; }

expect_status() {
	if [ "$(status)" != "$1" ]; then
		echo "expected HTTP $1, got $(status):" >&2
		cat "$TRASH/resp.body" >&2
		echo >&2
		return 1
	fi
}

# jq expression over the body that must be true.
expect_json() {
	jq -e "$1" "$TRASH/resp.body" >/dev/null || {
		echo "body does not satisfy: $1" >&2
		cat "$TRASH/resp.body" >&2
		echo >&2
		return 1
	}
}

# expect_error STATUS CODE [MESSAGE-SUBSTRING]
expect_error() {
	expect_status "$1" &&
	expect_json ".errorCode == \"$2\" and (.message | type == \"string\")" &&
	if [ -n "$3" ]; then
		jq -r .message "$TRASH/resp.body" | grep -F -q -- "$3" || {
			echo "message lacks '$3': $(body)" >&2
			return 1
		}
	fi
}

jget() { jq -r "$1" "$TRASH/resp.body"; }

# metric_value SERIES: the value of one series ('name{labels}') of the
# metrics answer in the last response, 0 when absent.
metric_value() {
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$TRASH/resp.body"
}

# Value of a response header (case-insensitive name), without CR.
header() {
	sed -n "s/^$1: *//Ip" "$TRASH/resp.headers" | tr -d '\r' | head -n 1
}

ds_login() {
	api -t "" POST /admin/login "{\"account\":\"$1\",\"password\":\"$2\"}" &&
	expect_status 200 && DS_TOKEN=$(jget .profile.bearerToken)
}

# Make a minimal Delta table directory (no data) under the allowed root.
make_table_dir() {
	mkdir -p "$TRASH/tables/$1/_delta_log"
}

# Create recipient $1, return a token for it in RCP_TOKEN.
# share_to_recipient SHARE SCHEMA RECIPIENT TABLE...: create SHARE, add
# the registered TABLEs to SHARE.SCHEMA, make RECIPIENT with a token
# (saved in RECIPIENT.token) and grant it the share.
share_to_recipient() {
	_s=$1 _sc=$2 _r=$3
	shift 3
	api -t "$ADMIN_TOKEN" POST /admin/shares "{\"name\":\"$_s\"}" &&
	expect_status 201 &&
	for _t in "$@"; do
		api -t "$ADMIN_TOKEN" POST "/admin/shares/$_s/schemas/$_sc/tables" \
		    "{\"table\":\"$_t\"}" &&
		expect_status 201 || return 1
	done &&
	make_recipient "$_r" && echo "$RCP_TOKEN" >"$_r.token" &&
	api -t "$ADMIN_TOKEN" POST "/admin/shares/$_s/recipients" \
	    "{\"recipient\":\"$_r\"}" &&
	expect_status 201
}

make_recipient() {
	api -t "$ADMIN_TOKEN" POST /admin/recipients "{\"name\":\"$1\"}" &&
	expect_status 201 &&
	api -t "$ADMIN_TOKEN" POST "/admin/recipients/$1/tokens" '{}' &&
	expect_status 201 &&
	RCP_TOKEN=$(jget .profile.bearerToken)
}
