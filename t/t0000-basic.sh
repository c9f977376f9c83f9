#!/bin/sh
# t0000-basic: the program starts, checks its configuration with -n, and
# refuses bad configurations with one clear line per problem.

. "$(dirname "$0")/test-lib.sh"

head -c 40 /dev/urandom | base64 -w0 >secret
head -c 40 /dev/urandom | base64 -w0 >jwt
printf 'short\n' >short
cat >good.ini <<EOF
[server]
secret_file = $TRASH/secret
[db]
conninfo = host=/nonexistent dbname=x
[auth]
secret_file = $TRASH/jwt
EOF

check() {
	test_must_fail "$DS_BIN" -f "$1" -n 2>err && cat err
}

test_expect_success '-V prints the version' '
	"$DS_BIN" -V | grep -q "^deltashare [0-9]"
'

test_expect_success 'unknown options and commands print usage, exit 2' '
	{ "$DS_BIN" -x 2>err; test $? = 2; } && grep -q usage: err &&
	{ "$DS_BIN" -f good.ini frobnicate 2>err; test $? = 2; } &&
	grep -q usage: err &&
	{ "$DS_BIN" -f good.ini -n migrate 2>err; test $? = 2; } &&
	grep -q usage: err
'

test_expect_success '-n checks a good configuration and masks secrets' '
	"$DS_BIN" -f good.ini -n >out &&
	grep -q "^configuration OK$" out &&
	grep -q "^server.prefix = /delta-sharing$" out &&
	grep -q "^auth.secret_file = (56 bytes, not shown)$" out &&
	! grep -q "$(cat jwt)" out
'

test_expect_success 'DELTASHARE_CONF names the file; environment overrides it' '
	DELTASHARE_CONF=$TRASH/good.ini DELTASHARE_SERVER_PREFIX=/ds \
	    DELTASHARE_LOG_LEVEL=debug "$DS_BIN" -n >out &&
	grep -q "^server.prefix = /ds$" out && grep -q "^log.level = debug$" out &&
	grep -q "^# file: $TRASH/good.ini$" out
'

test_expect_success 'a missing file named with -f is an error' '
	check nosuch.ini | grep -q "cannot read"
'

test_expect_success 'unknown sections, keys and variables stop start-up' '
	{ cat good.ini; printf "[nope]\nx = 1\n"; } >a.ini &&
	check a.ini | grep -q "unknown section \[nope\]" &&
	{ cat good.ini; printf "[server]\nmax_bodyy = 1\n"; } >b.ini &&
	check b.ini | grep -q "unknown key .max_bodyy. in \[server\]" &&
	DELTASHARE_SERVER_NOPE=1 test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "unknown environment variable DELTASHARE_SERVER_NOPE" err
'

test_expect_success 'missing required keys are named' '
	printf "[server]\nsecret_file = %s\n" "$TRASH/secret" >c.ini &&
	check c.ini >out &&
	grep -q "missing required key db.conninfo" out
'

test_expect_success 'HS256 needs a secret' '
	sed "/^\[auth\]/,\$d" good.ini >c2.ini &&
	check c2.ini | grep -q "auth.algorithm HS256 requires auth.secret_file"
'

test_expect_success 'secrets shorter than 32 bytes stop start-up' '
	sed "s|$TRASH/jwt|$TRASH/short|" good.ini >d.ini &&
	check d.ini | grep -q "auth.secret_file: secret in .* is 5 bytes; at least 32" &&
	: >empty && sed "s|$TRASH/secret|$TRASH/empty|" good.ini >e.ini &&
	check e.ini | grep -q "server.secret_file: secret in .* is 0 bytes"
'

test_expect_success 'values are type- and bounds-checked' '
	DELTASHARE_SERVER_MAX_BODY=12x test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "server.max_body: .12x. is not an integer" err &&
	DELTASHARE_SERVER_MAX_BODY=10 test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "from 1024 to" err &&
	DELTASHARE_AUTH_ALGORITHM=none test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "auth.algorithm: .none. is not one of" err &&
	DELTASHARE_SERVER_PREFIX=api test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "server.prefix" err &&
	DELTASHARE_SERVER_PUBLIC_URL=ftp://x test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "server.public_url" err &&
	DELTASHARE_ADMIN_ALLOWED_ROOTS=/nonexistent test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	grep -q "admin.allowed_roots: ./nonexistent. is not a directory" err
'

test_expect_success 'all problems are reported at once' '
	DELTASHARE_SERVER_MAX_BODY=x DELTASHARE_DB_CONNECT_TIMEOUT=0 \
	    test_must_fail "$DS_BIN" -f good.ini -n 2>err &&
	test $(grep -c "deltashare: config:" err) -ge 2
'

test_expect_success 'a syntax error in the file is reported' '
	{ cat good.ini; printf "[server\n"; } >f.ini &&
	check f.ini | grep -q "deltashare: config:"
'

test_expect_success 'every key is documented in the sample and the man page' '
	"$DS_BIN" config-keys | sort >keys &&
	test -s keys &&
	while read -r k; do
		sec=${k%%.*} key=${k#*.}
		awk -v s="[$sec]" -v k="$key" "
			/^\[/ { cur = \$1 }
			cur == s && \$0 ~ (\"^;? *\" k \" *=\") { found = 1 }
			END { exit !found }" "$DS_SRC_DIR/etc/deltashare.ini.sample" ||
			{ echo "$k missing from etc/deltashare.ini.sample" >&2; return 1; }
		grep -q "^\.It Ic $key\b" "$DS_SRC_DIR/etc/deltashare.ini.5" ||
			{ echo "$k missing from etc/deltashare.ini.5" >&2; return 1; }
	done <keys
'

test_expect_success 'the documentation names no key the program lacks' '
	awk "/^\[/ { sec = substr(\$1, 2, length(\$1) - 2) }
	    /^;? *[a-z_]+ *=/ { sub(/^; */, \"\"); split(\$0, kv, / *=/);
		print sec \".\" kv[1] }" "$DS_SRC_DIR/etc/deltashare.ini.sample" |
	    sort -u >sample-keys &&
	test_cmp keys sample-keys &&
	sed -n "s/^\.It Ic \([a-z_]*\) .*/\1/p" "$DS_SRC_DIR/etc/deltashare.ini.5" |
	    sort -u >man-keys &&
	sed "s/.*\.//" keys | sort -u >key-names &&
	test_cmp key-names man-keys
'

test_expect_success 'the sample configuration is valid as shipped' '
	sed -e "s|^secret_file = .*server.*|secret_file = $TRASH/secret|" \
	    -e "s|^secret_file = .*jwt.*|secret_file = $TRASH/jwt|" \
	    -e "s|^allowed_roots = .*|allowed_roots = $TRASH|" \
	    "$DS_SRC_DIR/etc/deltashare.ini.sample" >sample.ini &&
	"$DS_BIN" -f sample.ini -n >out 2>err || { cat err; false; }
'

test_done
