#!/bin/sh
# t4200-snapshot-cache: the workers' cache of replayed snapshots
# (cache.snapshot_bytes, src/snapcache.c), through lighttpd.  A version
# asked for again comes from the cache (the hit counter says so) with the
# answer replay gives, byte for byte once URLs, expiries and tokens are
# masked, for every kind of query (formats, hints, limitHint, pages,
# refresh tokens, versions, timestamps, changes, metadata): the answers
# with the cache are compared with those of the same workers with the
# cache off, a second time (the entries' memos made) and a third (the
# lines from the memos), and the URLs from the memos work.  A new commit is served at once, and a table replaced under
# the same location is not served stale.  The budget holds: a snapshot
# larger than it is not kept, the least recently used entry goes to make
# room.  A worker's memory comes back near its idle size after a large
# answer (figures printed; the bound, twice the idle size, is not a
# timing).
#
# Tables: "hist" (src/mktable, 6 commits with deletion vectors and a
# checkpoint, commit times fixed, shared with history), "demo" (4
# commits, partitioned), and bench/gentable tables of 1000 and 3000
# files (about 600 bytes each in the cache) and 20000.

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
GENTABLE=$DS_BUILD_DIR/bench/gentable
test -x "$MKTABLE" || test_skip_all "mktable not built"
test -x "$GENTABLE" || test_skip_all "bench/gentable not built"

ds_start
T=/shares/s/schemas/d/tables
DELTA="responseformat=delta;readerfeatures=deletionvectors"

register() {
	api POST /admin/tables "$1" && expect_status 201
}

# commit_at TABLE VERSION EPOCH: set a commit file's time.
commit_at() {
	touch -d "@$3" "$TRASH/tables/$1/_delta_log/$(printf %020d "$2").json"
}

test_expect_success 'set up: tables, a share, a recipient' '
	DS_TOKEN=$ADMIN_TOKEN &&
	"$MKTABLE" --seed 1 "$TRASH/tables/demo" >/dev/null &&
	"$MKTABLE" --commits 6 --deletes --checkpoint-every 3 \
	    --last-checkpoint --seed 2 "$TRASH/tables/hist" >/dev/null &&
	for v in 0 1 2 3 4 5; do
		commit_at hist $v $((1700000000 + v * 60)) || return 1
	done &&
	"$GENTABLE" --files 1000 --checkpoint-every 10 --seed 1 \
	    "$TRASH/tables/g1a" >/dev/null &&
	"$GENTABLE" --files 1000 --checkpoint-every 10 --seed 2 \
	    "$TRASH/tables/g1b" >/dev/null &&
	"$GENTABLE" --files 1000 --checkpoint-every 10 --seed 5 \
	    "$TRASH/tables/g1c" >/dev/null &&
	"$GENTABLE" --files 3000 --checkpoint-every 10 --seed 3 \
	    "$TRASH/tables/g3" >/dev/null &&
	"$GENTABLE" --files 20000 --checkpoint-every 10 --seed 4 \
	    "$TRASH/tables/g20" >/dev/null &&
	register "{\"name\":\"demo\",\"location\":\"$TRASH/tables/demo\"}" &&
	for t in hist g1a g1b g1c g3 g20; do
		register "{\"name\":\"$t\",\"location\":\"$TRASH/tables/$t\",\"historyShared\":true}" ||
		return 1
	done &&
	share_to_recipient s d r1 demo hist g1a g1b g1c g3 g20
'
R1=$(cat r1.token 2>/dev/null)

# The URLs, expiries and tokens of an answer, masked (they move with the
# clock); one line per NDJSON line.
mask() {
	sed -E 's/"(url|path|pathOrInlineDv)":"http[^"]*"/"\1":"U"/g
	    s/"(expirationTimestamp|minUrlExpirationTimestamp)":[0-9]+/"\1":0/g
	    s/"(nextPageToken|refreshToken)":"[^"]*"/"\1":"T"/g' "$TRASH/resp.body"
}

# ask NAME CAPS METHOD PATH [BODY]: one call (with the capabilities
# header CAPS unless empty); its status, version header and masked body
# go to NAME in the answer directory $ADIR.
ask() {
	_n=$1 _caps=$2 _m=$3 _p=$4
	shift 4
	set -- -s -o "$TRASH/resp.body" -D "$TRASH/resp.headers" \
	    -w "%{http_code}" -X "$_m" -H "Authorization: Bearer $R1" \
	    ${1+-H "Content-Type: application/json" --data-binary "$1"}
	[ -z "$_caps" ] || set -- "$@" -H "delta-sharing-capabilities: $_caps"
	curl "$@" "$DS_URL$_p" >"$TRASH/resp.status" || return 1
	{ status; echo; header Delta-Table-Version; mask; } >"$TRASH/$ADIR/$_n"
}

# token FIELD: a token of the last answer's endStreamAction.
token() {
	grep endStreamAction "$TRASH/resp.body" | jq -r ".endStreamAction.$1"
}

# queries DIR: every kind of query, answers into DIR.
queries() {
	ADIR=$1
	mkdir -p "$ADIR" &&
	ask demo-all "" POST $T/demo/query "{}" &&
	ask demo-delta "$DELTA" POST $T/demo/query "{}" &&
	ask demo-json-hint "" POST $T/demo/query \
	    "{\"jsonPredicateHints\":\"{\\\"op\\\":\\\"equal\\\",\\\"children\\\":[{\\\"op\\\":\\\"column\\\",\\\"name\\\":\\\"region\\\",\\\"valueType\\\":\\\"string\\\"},{\\\"op\\\":\\\"literal\\\",\\\"value\\\":\\\"north\\\",\\\"valueType\\\":\\\"string\\\"}]}\"}" &&
	ask demo-sql-hint "$DELTA" POST $T/demo/query \
	    "{\"predicateHints\":[\"region = '"'"'south'"'"'\"]}" &&
	ask demo-limit "" POST $T/demo/query "{\"limitHint\":30}" &&
	ask demo-meta "" GET $T/demo/metadata &&
	ask hist-parquet "" POST $T/hist/query "{}" &&
	ask hist-delta "$DELTA" POST $T/hist/query "{}" &&
	ask hist-v2 "$DELTA" POST $T/hist/query "{\"version\":2}" &&
	ask hist-v4-limit "$DELTA" POST $T/hist/query \
	    "{\"version\":4,\"limitHint\":25}" &&
	ask hist-ts "$DELTA" POST $T/hist/query \
	    "{\"timestamp\":\"2023-11-14T22:16:30Z\"}" &&
	ask hist-changes "$DELTA" POST $T/hist/query "{\"startingVersion\":1}" &&
	ask hist-meta-v1 "$DELTA" GET "$T/hist/metadata?version=1" &&
	ask hist-refresh "$DELTA" POST $T/hist/query \
	    "{\"includeRefreshToken\":true}" &&
	ask hist-refreshed "$DELTA" POST $T/hist/query \
	    "{\"includeRefreshToken\":true,\"refreshToken\":\"$(token refreshToken)\"}" &&
	ask g1a-all "" POST $T/g1a/query "{}" &&
	ask g1a-page1 "" POST $T/g1a/query "{\"maxFiles\":400}" &&
	ask g1a-page2 "" POST $T/g1a/query \
	    "{\"maxFiles\":400,\"pageToken\":\"$(token nextPageToken)\"}" &&
	ask g1a-page3 "" POST $T/g1a/query \
	    "{\"maxFiles\":400,\"pageToken\":\"$(token nextPageToken)\"}" &&
	ask g1a-delta-v5 "$DELTA" POST $T/g1a/query "{\"version\":5}" &&
	ask g1a-sql "" POST $T/g1a/query \
	    "{\"predicateHints\":[\"region = '"'"'eu-west-1'"'"'\"]}"
}

# metric SERIES: its value now.
metric() {
	api -t "$ADMIN_TOKEN" GET /admin/metrics >/dev/null &&
	metric_value "$1"
}
HIT='deltashare_cache_lookups_total{cache="snapshot",result="hit"}'
MISS='deltashare_cache_lookups_total{cache="snapshot",result="miss"}'

# restart_with INI: lighttpd and new workers, with INI appended to the
# configuration (the old workers gone first: the metrics count the live
# workers' caches).
cp "$DS_CONF" "$TRASH/base.ini"
restart_with() {
	_old=$(lighttpd_workers)
	{ cat "$TRASH/base.ini" && printf '%s\n' "$1"; } >"$DS_CONF" &&
	lighttpd_stop &&
	for _w in $_old; do
		test_poll "! test_alive $_w" || return 1
	done &&
	lighttpd_start
}

restart_with "[cache]
snapshot_bytes = 0" || bail "cannot restart lighttpd"

test_expect_success 'the cache off: every kind of query, nothing cached' '
	queries off &&
	ADIR=off && ask g3 "" POST $T/g3/query "{}" &&
	test "$(metric "$HIT")" = 0 && test "$(metric "$MISS")" = 0 &&
	test "$(metric deltashare_snapshot_cache_entries)" = 0
'

restart_with "" || bail "cannot restart lighttpd"

test_expect_success 'every query twice: the second time from the cache' '
	h0=$(metric "$HIT") &&
	queries on1 && queries on2 &&
	h1=$(metric "$HIT") && m1=$(metric "$MISS") &&
	echo "# hits $h0 -> $h1, misses $m1" &&
	test "$h1" -gt "$((h0 + 10))" && test "$m1" -gt 0 &&
	test "$(metric deltashare_snapshot_cache_entries)" -gt 0 &&
	for f in off/*; do
		test -f "on1/${f#off/}" || continue
		test_cmp "$f" "on1/${f#off/}" &&
		test_cmp "$f" "on2/${f#off/}" || return 1
	done
'

# The third time the lines come from the entries' memos (made by the
# second): the parts of the lines no request changes, and URLs already
# signed for the same expiry.
test_expect_success 'a third time: the same answers, from the memos' '
	queries on3 &&
	for f in off/*; do
		test -f "on3/${f#off/}" || continue
		test_cmp "$f" "on3/${f#off/}" || return 1
	done
'

# urls NAME: the file URLs of a body, one per line.
urls() {
	grep "\"file\"" "$1" |
	    jq -r ".file.url // .file.deltaSingleAction.add.path"
}

REFRESH="{\"includeRefreshToken\":true}"
test_expect_success 'URLs from the memos work, and are signed for each expiry' '
	for fmt in "" "$DELTA"; do
		ADIR=on3 && ask demo "$fmt" POST $T/demo/query "$REFRESH" &&
		cp "$TRASH/resp.body" demo1.body &&
		ask demo "$fmt" POST $T/demo/query "$REFRESH" &&
		cp "$TRASH/resp.body" demo2.body &&
		urls demo2.body >urls &&
		test -s urls &&
		while read -r u; do
			curl -s -o /dev/null -w "%{http_code}\n" "$u" ||
			return 1
		done <urls >codes &&
		test "$(sort -u codes)" = 200 &&
		e1=$(grep -m1 "\"file\"" demo1.body |
		    jq .file.expirationTimestamp) &&
		e2=$(grep -m1 "\"file\"" demo2.body |
		    jq .file.expirationTimestamp) &&
		urls demo1.body >urls1 &&
		if test "$e1" = "$e2"
		then
			test_cmp urls1 urls
		else
			! cmp -s urls1 urls
		fi &&
		test "$(jq -r "select(.endStreamAction) |
		    .endStreamAction.minUrlExpirationTimestamp // empty" \
		    demo2.body)" = "$e2" || return 1
	done
'

test_expect_success 'the answers are whole: the files of each kind of query' '
	test "$(grep -c "\"file\"" on1/g1a-all)" = 1000 &&
	test "$(cat on1/g1a-page1 on1/g1a-page2 on1/g1a-page3 |
	    grep -c "\"file\"")" = 1000 &&
	grep -q nextPageToken on1/g1a-page2 &&
	! grep -q nextPageToken on1/g1a-page3 &&
	grep -q deletionVector on1/hist-delta &&
	grep -q "^400" on1/hist-parquet &&
	test "$(sed -n 2p on1/hist-v2)" = 2 &&
	test "$(sed -n 2p on1/hist-ts)" = 3 &&
	test "$(sed -n 2p on1/hist-delta)" = 5 &&
	n=$(grep -c "\"file\"" on1/demo-all) &&
	test "$(grep -c "\"file\"" on1/demo-limit)" -lt "$n" &&
	test "$(grep -c "\"file\"" on1/demo-json-hint)" -lt "$n" &&
	test "$(grep -c "\"file\"" on1/demo-sql-hint)" -lt "$n"
'

test_expect_success 'a new commit is served at once' '
	m0=$(metric "$MISS") &&
	l=$TRASH/tables/demo/_delta_log &&
	grep "\"add\"" "$l/00000000000000000000.json" | head -n 1 |
	    sed "s/part-/late-part-/" >"$l/00000000000000000004.json" &&
	ADIR=on2 && ask demo-new "" POST $T/demo/query "{}" &&
	test "$(sed -n 2p on2/demo-new)" = 4 &&
	test "$(grep -c "\"file\"" on2/demo-new)" = \
	    "$(($(grep -c "\"file\"" on1/demo-all) + 1))" &&
	test "$(metric "$MISS")" -gt "$m0"
'

test_expect_success 'a table replaced under its location is not served stale' '
	ADIR=on2 && ask g1b-before "" POST $T/g1b/query "{}" &&
	ask g1b-before "" POST $T/g1b/query "{}" &&
	rm -rf "$TRASH/tables/g1b" &&
	"$GENTABLE" --files 1000 --checkpoint-every 10 --seed 9 \
	    "$TRASH/tables/g1b" >/dev/null &&
	ask g1b-replaced "" POST $T/g1b/query "{}" &&
	! cmp -s on2/g1b-before on2/g1b-replaced &&
	ask g1b-again "" POST $T/g1b/query "{}" &&
	test_cmp on2/g1b-replaced on2/g1b-again
'

# rss FIELD PID: VmRSS or VmHWM of a process, in KiB.
rss() {
	sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$2/status"
}

# Two entries of about 600 KB fit, not three; 3000 files never fit.
restart_with "[cache]
snapshot_bytes = 1500K" || bail "cannot restart lighttpd"

test_expect_success 'a snapshot larger than the budget is not kept' '
	t0=$(metric deltashare_snapshot_cache_too_large_total) &&
	ADIR=small && mkdir -p small &&
	ask g3 "" POST $T/g3/query "{}" &&
	test_cmp small/g3 off/g3 &&
	test "$(metric deltashare_snapshot_cache_too_large_total)" -gt "$t0" &&
	test "$(metric deltashare_snapshot_cache_entries)" = 0 &&
	ask g3-again "" POST $T/g3/query "{}" &&
	test_cmp small/g3-again off/g3
'

# g1a, g1b, g1c: g1a goes; g1c used; g1a again: g1b goes, not g1c.
test_expect_success 'the least recently used entry goes to make room' '
	e0=$(metric deltashare_snapshot_cache_evictions_total) &&
	ADIR=small &&
	for t in g1a g1b g1c; do
		ask $t "" POST $T/$t/query "{}" &&
		test "$(metric deltashare_snapshot_cache_bytes)" -le 1536000 ||
		return 1
	done &&
	e1=$(metric deltashare_snapshot_cache_evictions_total) &&
	test "$e1" -gt "$e0" &&
	h0=$(metric "$HIT") && m0=$(metric "$MISS") &&
	ask g1c "" POST $T/g1c/query "{}" &&
	test "$(metric "$HIT")" -gt "$h0" &&
	ask g1a "" POST $T/g1a/query "{}" &&
	test "$(metric "$MISS")" -gt "$m0" &&
	h1=$(metric "$HIT") &&
	ask g1c "" POST $T/g1c/query "{}" &&
	test "$(metric "$HIT")" -gt "$h1" &&
	test "$(metric deltashare_snapshot_cache_bytes)" -le 1536000 &&
	test_cmp small/g1a on1/g1a-all &&
	test_cmp small/g1b on2/g1b-replaced
'

test_expect_success 'a worker is back near its idle size after a large answer' '
	ADIR=small && ask demo "" POST $T/demo/query "{}" &&
	for w in $(lighttpd_workers); do
		echo "$w $(rss VmRSS $w)" || return 1
	done >idle &&
	ask g20 "" POST $T/g20/query "{}" &&
	test "$(grep -c "\"file\"" small/g20)" = 20000 &&
	while read -r w idle; do
		now=$(rss VmRSS $w) peak=$(rss VmHWM $w) &&
		echo "worker $w: idle $idle KiB, peak $peak KiB, after a" \
		    "20000-file answer $now KiB" >>rss.txt &&
		test "$now" -le $((idle * 2)) || return 1
	done <idle
'
[ ! -f rss.txt ] || say_diag "$(cat rss.txt)"

test_done
