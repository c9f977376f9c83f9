#!/bin/sh
# t2002-catalog-cache: the workers' catalog cache (db.c, db_cache.c)
# answers repeated discovery reads from memory, and is exact: after an
# admin change returns (a token revoked, a table unshared, a share
# renamed or dropped, a grant removed), the very next calls on every
# worker see it; a change made with psql is seen once PostgreSQL's
# notification arrives (polled for, catalog_seconds being an hour), or,
# without triggers, within catalog_seconds; a lost connection drops it;
# answers are the same with the cache on and off.  The admin API's
# changes are checked with the triggers disabled, so that only the
# host's generation can explain what the workers see.  The workers'
# token caches (tokcache.c) verify a token once per worker, and answer
# a revoked or expired token as such, from the cache.

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
test -x "$MKTABLE" || test_skip_all "mktable not built"
ds_start "[cache]
catalog_seconds = 3600"

# burst N PATH [TOKEN]: N parallel calls (so both workers answer); each
# status and body in burst.I.{status,body}.
burst() {
	_i=0
	while [ $_i -lt "$1" ]; do
		curl -s -o burst.$_i.body -w '%{http_code}' \
		    -H "Authorization: Bearer ${3:-$R1}" "$DS_URL$2" \
		    >burst.$_i.status &
		_i=$((_i + 1))
	done
	wait
}

# every STATUS [JQ]: each answer of the last burst has STATUS (and
# satisfies JQ).
every() {
	for _f in burst.*.status; do
		test "$(cat "$_f")" = "$1" &&
		if [ -n "$2" ]; then
			jq -e "$2" "${_f%.status}.body" >/dev/null
		fi || {
			echo "${_f%.status}: $(cat "$_f") $(cat "${_f%.status}.body")" >&2
			return 1
		}
	done
}

# metric NAME: a series of the admin metrics now.
metric() {
	api -t "$ADMIN_TOKEN" GET /admin/metrics >/dev/null &&
	metric_value "$1"
}
# cli_metric NAME: a series as "deltashare metrics" reads it, no request
# (so no token looked up).
cli_metric() {
	ds metrics | awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }'
}
HITS='deltashare_cache_lookups_total{cache="catalog",result="hit"}'
MISSES='deltashare_cache_lookups_total{cache="catalog",result="miss"}'
HOST='deltashare_catalog_cache_clears_total{reason="host"}'
NOTIFY='deltashare_catalog_cache_clears_total{reason="notify"}'
LOST='deltashare_catalog_cache_clears_total{reason="connection"}'
TOK_HITS='deltashare_cache_lookups_total{cache="token",result="hit"}'
TOK_MISSES='deltashare_cache_lookups_total{cache="token",result="miss"}'

# tok_burst N PATH TOKEN STATUS [JQ]: a burst, every answer as expected,
# each call a hit of the token cache.
tok_burst() {
	_h=$(cli_metric "$TOK_HITS") && _m=$(cli_metric "$TOK_MISSES") &&
	burst "$1" "$2" "$3" && every "$4" "$5" &&
	test "$(cli_metric "$TOK_MISSES")" = "$_m" &&
	test "$(cli_metric "$TOK_HITS")" = $((_h + $1))
}

# tok_everywhere PATH TOKEN: bursts (each answer 200) until both workers
# verified TOKEN, whose first call on each is the only miss; after that,
# both keep it.
tok_everywhere() {
	_m=$(cli_metric "$TOK_MISSES") && _k=0 &&
	while test "$(cli_metric "$TOK_MISSES")" -lt $((_m + 2)); do
		burst 8 "$1" "$2" && every 200 || return 1
		_k=$((_k + 1))
		test $_k -lt 10 || {
			echo "a worker never verified the token" >&2
			return 1
		}
	done &&
	test "$(cli_metric "$TOK_MISSES")" = $((_m + 2))
}

# after_change BEFORE PATH STATUS [JQ [TOKEN]]: bursts of 8 calls until
# both workers have dropped their cache since the host's clear count was
# BEFORE, every answer of every burst as expected.
after_change() {
	_k=0
	while :; do
		burst 8 "$2" "$5" && every "$3" "$4" || return 1
		test "$(metric "$HOST")" -lt $(($1 + 2)) || return 0
		_k=$((_k + 1))
		test $_k -lt 20 || {
			echo "a worker never answered after the change" >&2
			return 1
		}
	done
}

test_expect_success 'set up: shares s1 (a: t1, t2) and s2, recipient r1' '
	DS_TOKEN=$ADMIN_TOKEN &&
	for t in t1 t2; do
		"$MKTABLE" --seed 1 "$TRASH/tables/$t" >/dev/null &&
		api POST /admin/tables "{\"name\":\"$t\",\"location\":\"$TRASH/tables/$t\"}" &&
		expect_status 201 || return 1
	done &&
	share_to_recipient s1 a r1 t1 t2 &&
	api POST /admin/shares "{\"name\":\"s2\",\"comment\":\"two\"}" &&
	expect_status 201 &&
	api POST /admin/shares/s2/recipients "{\"recipient\":\"r1\"}" &&
	expect_status 201 &&
	api POST /admin/recipients/r1/tokens "{}" && expect_status 201 &&
	jget .profile.bearerToken >r1b.token && jget .id >r1b.id
'
R1=$(cat r1.token 2>/dev/null)
R1B=$(cat r1b.token 2>/dev/null)

test_expect_success 'repeated discovery calls are answered from memory' '
	m0=$(metric "$MISSES") && h0=$(metric "$HITS") &&
	for p in /shares /shares/s1/schemas /shares/s1/schemas/a/tables \
	    /shares/s1/all-tables /shares/s1/schemas/a/tables/t1/version; do
		burst 8 $p && every 200 && burst 8 $p && every 200 || return 1
	done &&
	m1=$(metric "$MISSES") && h1=$(metric "$HITS") &&
	say_diag "catalog cache: $((h1 - h0)) hits, $((m1 - m0)) misses" &&
	test $((h1 - h0)) -gt $((m1 - m0))
'

# triggers ENABLE|DISABLE: the catalog's notifications (sql/0004).
triggers() {
	for _t in token recipient share share_schema share_table share_grant \
	    delta_table credential account; do
		pg_sql "ALTER TABLE $_t $1 TRIGGER catalog_changed" || return 1
	done
}

# Changes through the admin API: the host's generation alone must tell
# every worker (no notifications meanwhile).
test_expect_success 'set up: no notifications' '
	triggers DISABLE
'

test_expect_success 'repeated calls with a token verify it once per worker' '
	h=$(cli_metric "$TOK_HITS") && m=$(cli_metric "$TOK_MISSES") &&
	tok_everywhere /shares "$R1B" &&
	tok_burst 8 /shares "$R1B" 200 &&
	say_diag "token cache: $(($(cli_metric "$TOK_HITS") - h)) hits," \
	    "$(($(cli_metric "$TOK_MISSES") - m)) misses"
'

test_expect_success 'a revoked token is refused by every worker at once' '
	burst 8 /shares "$R1B" && every 200 && burst 8 /shares "$R1B" &&
	c=$(metric "$HOST") &&
	api -t "$ADMIN_TOKEN" DELETE "/admin/recipients/r1/tokens/$(cat r1b.id)" &&
	expect_status 204 &&
	after_change $c /shares 401 ".errorCode == \"UNAUTHENTICATED\"" \
	    "$R1B" &&
	after_change $c /shares/s1/schemas/a/tables/t1/version 401 \
	    ".message == \"token revoked\"" "$R1B" &&
	tok_burst 8 /shares "$R1B" 401 ".message == \"token revoked\""
'

test_expect_success 'an unshared table is gone from every worker at once' '
	burst 8 /shares/s1/schemas/a/tables && every 200 \
	    "[.items[].name] == [\"t1\",\"t2\"]" &&
	burst 8 /shares/s1/schemas/a/tables/t2/version && every 200 &&
	c=$(metric "$HOST") &&
	api -t "$ADMIN_TOKEN" DELETE /admin/shares/s1/schemas/a/tables/t2 &&
	expect_status 204 &&
	after_change $c /shares/s1/schemas/a/tables 200 \
	    "[.items[].name] == [\"t1\"]" &&
	after_change $c /shares/s1/schemas/a/tables/t2/version 404 &&
	after_change $c /shares/s1/all-tables 200 "[.items[].name] == [\"t1\"]"
'

test_expect_success 'a renamed share, a removed grant, a dropped share' '
	burst 8 /shares/s1/schemas && every 200 &&
	c=$(metric "$HOST") &&
	api -t "$ADMIN_TOKEN" PATCH /admin/shares/s1 "{\"name\":\"s1x\"}" &&
	expect_status 200 &&
	after_change $c /shares/s1/schemas 404 &&
	after_change $c /shares 200 "[.items[].name] == [\"s1x\",\"s2\"]" &&
	c=$(metric "$HOST") &&
	api -t "$ADMIN_TOKEN" DELETE /admin/shares/s2/recipients/r1 &&
	expect_status 204 &&
	after_change $c /shares 200 "[.items[].name] == [\"s1x\"]" &&
	after_change $c /shares/s2/schemas 404 &&
	api -t "$ADMIN_TOKEN" POST /admin/shares/s2/recipients \
	    "{\"recipient\":\"r1\"}" && expect_status 201 &&
	burst 8 /shares/s2 && every 200 &&
	c=$(metric "$HOST") &&
	api -t "$ADMIN_TOKEN" DELETE /admin/shares/s2 && expect_status 204 &&
	after_change $c /shares/s2 404 &&
	after_change $c /shares 200 "[.items[].name] == [\"s1x\"]"
'

test_expect_success 'with notifications again' '
	n=$(metric "$NOTIFY") &&
	burst 8 /shares && every 200 && test "$(metric "$NOTIFY")" = "$n" &&
	triggers ENABLE
'

test_expect_success 'a change made with psql arrives by notification' '
	burst 8 /shares/s1x && every 200 ".share.comment == null" &&
	n=$(metric "$NOTIFY") && c=$(metric "$HOST") &&
	pg_sql "UPDATE share SET comment = '\''from psql'\'' WHERE name = '\''s1x'\''" &&
	test_poll "burst 8 /shares/s1x && every 200 \".share.comment == \\\"from psql\\\"\"" &&
	burst 8 /shares/s1x && every 200 ".share.comment == \"from psql\"" &&
	test "$(metric "$NOTIFY")" -gt "$n" &&
	test "$(metric "$HOST")" = "$c" &&
	pg_sql "UPDATE token SET expires_at = now() - interval '\''1 s'\''
	    WHERE kind = '\''recipient'\''" &&
	test_poll "burst 8 /shares && every 401 \".message == \\\"token expired\\\"\""
'

test_expect_success 'idle workers read the notifications as they come' '
	n=$(cli_metric "$NOTIFY") &&
	pg_sql "UPDATE share SET comment = '\''idle'\'' WHERE name = '\''s1x'\''" &&
	test_poll "test \$(cli_metric '\''$NOTIFY'\'') -ge $((n + 2))"
'

test_expect_success 'a lost connection drops the cache' '
	api -t "$ADMIN_TOKEN" POST /admin/recipients/r1/tokens "{}" &&
	expect_status 201 && jget .profile.bearerToken >r1c.token &&
	R1=$(cat r1c.token) &&
	burst 8 /shares && every 200 && burst 8 /shares && every 200 &&
	l=$(metric "$LOST") &&
	pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE application_name = '\''deltashare'\''
	    AND pid <> pg_backend_pid()" >/dev/null &&
	burst 8 /shares && every 200 "[.items[].name] == [\"s1x\"]" &&
	test "$(metric "$LOST")" -gt "$l"
'

R1=$(cat r1c.token 2>/dev/null)

FORGE="python3 $DS_SRC_DIR/t/helper/jwt-forge.py"
command -v python3 >/dev/null && test_set_prereq PYTHON

# A token whose exp has just passed is refused by the workers that keep
# it.  auth.clock_skew is 60 s: one made with exp 52 s ago is good for
# 8 s more.
test_expect_success PYTHON 'a token kept by every worker is refused once it expires' '
	jti=$(echo "$R1" | cut -d. -f2 | tr "_-" "/+" | base64 -d 2>/dev/null |
	    jq -r .jti) &&
	T=$($FORGE HS256 "$TRASH/jwt.secret" "{\"alg\":\"HS256\"}" \
	    "{\"iss\":\"deltashare\",\"aud\":\"deltashare-recipient\",\"jti\":\"$jti\",\"exp\":$(($(date +%s) - 52))}") &&
	tok_everywhere /shares "$T" &&
	test_poll "burst 8 /shares \"$T\" && every 401" 30 &&
	tok_burst 8 /shares "$T" 401 ".message == \"token expired\""
'

# Reads to compare with the cache on and off: answers and errors.
reads() {
	for p in /shares /shares/s1x /shares/S1X/schemas /shares/s1x/schemas/A/tables \
	    /shares/s1x/all-tables "/shares/s1x/all-tables?maxResults=1" \
	    /shares/s1x/schemas/a/tables/t1/version /shares/s1x/schemas/a/tables/t1/metadata \
	    /shares/nope/schemas /shares/s1x/schemas/zz/tables \
	    /shares/s1x/schemas/a/tables/zz/version; do
		api -t "$R1" GET "$p" || return 1
		printf "%s %s " "$p" "$(status)" && jq -S -c "del(.nextPageToken)" resp.body ||
		    return 1
	done
}

test_expect_success 'answers are the same when read again from memory' '
	reads >on1 && reads >on2 && test_cmp on1 on2
'

# The same workers' answers with the caches off, then with catalog_seconds
# of 1 and no notifications.
lighttpd_stop
printf "[cache]\ncatalog_seconds = 0\ntoken_slots = 0\n" >off.ini
sed "/^\[cache\]/,\$d" "$DS_CONF" >>off.ini
ON_CONF=$DS_CONF
DS_CONF=$TRASH/off.ini
test_atexit "DS_CONF=$DS_CONF; ds_metrics_unlink"
lighttpd_start || bail "cannot restart lighttpd"

test_expect_success 'answers are the same with the caches off' '
	h=$(metric "$HITS") && m=$(metric "$MISSES") &&
	reads >off && test_cmp on1 off &&
	test "$(metric "$HITS")" = "$h" && test "$(metric "$MISSES")" = "$m" &&
	test "$(cli_metric "$TOK_HITS")" = 0 &&
	test "$(cli_metric "$TOK_MISSES")" = 0
'

lighttpd_stop
sed "s/^catalog_seconds = .*/catalog_seconds = 1/" "$ON_CONF" >short.ini
DS_CONF=$TRASH/short.ini
test_atexit "DS_CONF=$DS_CONF; ds_metrics_unlink"
lighttpd_start || bail "cannot restart lighttpd"

test_expect_success 'without notifications, a change is seen within catalog_seconds' '
	pg_sql "DROP TRIGGER catalog_changed ON share" &&
	burst 8 /shares/s1x && every 200 ".share.comment == \"idle\"" &&
	h=$(metric "$HITS") && burst 8 /shares/s1x &&
	test "$(metric "$HITS")" -gt "$h" &&
	pg_sql "UPDATE share SET comment = '\''later'\'' WHERE name = '\''s1x'\''" &&
	test_poll "burst 8 /shares/s1x && every 200 \".share.comment == \\\"later\\\"\"" 10
'

test_done
