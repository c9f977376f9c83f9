#!/bin/sh
# t3400-delta-engine: the Delta log engine on tables src/mktable writes
# (--commits: appends, deletion-vector deletes, file rewrites), through
# src/deltashare-inspect and t/helper/delta-conform --files.
#
#  - Every kind of checkpoint (classic, multi-part, v2 JSON and Parquet
#    with and without sidecars, stats as stats_parsed only, with and
#    without _last_checkpoint) gives the same live files, at every
#    version, as replaying a twin of the table whose checkpoints were
#    deleted; live rows (footer rows minus DV cardinality) match what
#    mktable wrote.
#  - Time travel by version and by timestamp: at-or-before semantics,
#    equal and decreasing commit mtimes made strictly increasing, errors
#    before the first and after the last commit, in-commit timestamps.
#  - --changes ranges and their errors; logs cut before a checkpoint;
#    --summary.
#  - A log too long to hold parsed (bench/gentable, 30000 files, no
#    checkpoint) is streamed: the same files as with checkpoints, its
#    newest metaData, a broken line named with its file and line.
#  - Hostile and broken logs made by hand: each fails with exit status 1
#    and one line on stderr naming the file (never a crash), or, for a
#    bad _last_checkpoint, is ignored.

. "$(dirname "$0")/test-lib.sh"

MKTABLE=$DS_BUILD_DIR/src/mktable
INSPECT=$DS_BUILD_DIR/src/deltashare-inspect
HELPER=$DS_BUILD_DIR/t/helper/delta-conform
CAT=$DS_BUILD_DIR/t/helper/parquet-cat
GEN=$DS_BUILD_DIR/bench/gentable
DUMP=$DS_SRC_DIR/t/helper/parquet-dump.mjs

[ -x "$MKTABLE" ] && [ -x "$INSPECT" ] && [ -x "$HELPER" ] ||
	test_skip_all "mktable, deltashare-inspect or delta-conform not built"
[ -x "$GEN" ] && test_set_prereq GENTABLE
[ -x "$CAT" ] && command -v node >/dev/null 2>&1 &&
[ -d "$DS_NODE_MODULES/hyparquet" ] &&
[ -d "$DS_NODE_MODULES/fzstd" ] && test_set_prereq NODE

tab=$(printf '\t')
LOG=_delta_log
V0=00000000000000000000
CK15=00000000000000000015.checkpoint.parquet

# The commit file of version $2 of table $1.
commit() {
	printf '%s/%s/%020d.json\n' "$1" "$LOG" "$2"
}

# The first line of inspect on table $1 with options $2 is the snapshot
# line of version $3 at commit time $4.
snapshot_is() {
	"$INSPECT" $2 "$1" >out &&
	echo "{\"snapshot\":{\"version\":$3,\"timestamp\":$4}}" >want &&
	head -n 1 out >got &&
	test_cmp want got
}

# A twin of table $1 without checkpoints, in $1.json.
twin() {
	rm -rf "$1.json" &&
	cp -a "$1" "$1.json" &&
	rm -rf "$1.json/$LOG/_sidecars" &&
	rm -f "$1.json/$LOG/"*.checkpoint.* "$1.json/$LOG/_last_checkpoint"
}

# Table $1 replays as its twin at every version (files, DVs, numRecords,
# rows), and inspect shows the same latest files (stats included).
same_as_twin() {
	twin "$1" &&
	"$HELPER" --files "$PWD/$1" | sort >"$1.ck" &&
	"$HELPER" --files "$PWD/$1.json" | sort >"$1.js" &&
	test -s "$1.js" &&
	test_cmp "$1.js" "$1.ck" &&
	"$INSPECT" "$1" | grep '^{"file"' | sort >"$1.ick" &&
	"$INSPECT" "$1.json" | grep '^{"file"' | sort >"$1.ijs" &&
	test_cmp "$1.ijs" "$1.ick"
}

# The live rows of table $1 at its latest version (helper column 7).
live_rows() {
	"$HELPER" --files "$PWD/$1" >"$1.rows" &&
	last=$(cut -f 1 "$1.rows" | sort -n | tail -n 1) &&
	awk -F "$tab" -v v="$last" '$1 == v { n += $7 } END { print n + 0 }' \
	    "$1.rows"
}

# mktable's "R live rows" for table $1 (its output in $1.mk).
mk_rows() {
	sed -n 's/.* \([0-9]*\) live rows.*/\1/p' "$1.mk"
}

# One error line on stderr, exit status 1, matching $2 (grep -E).
fails_with() {
	test_must_fail "$INSPECT" $3 "$1" >/dev/null 2>err &&
	test $(wc -l <err) = 1 &&
	grep -E "^deltashare-inspect: $2" err
}

# --- every kind of checkpoint ----------------------------------------------

# The checkpoint files of a kind.
ckpt_pattern() {
	case $1 in
	classic) echo '^[0-9]{20}\.checkpoint\.parquet$' ;;
	parts) echo '^[0-9]{20}\.checkpoint\.[0-9]{10}\.[0-9]{10}\.parquet$' ;;
	v2json) echo '^[0-9]{20}\.checkpoint\.[0-9a-f-]{36}\.json$' ;;
	v2parquet) echo '^[0-9]{20}\.checkpoint\.[0-9a-f-]{36}\.parquet$' ;;
	esac
}

CE=--checkpoint-every CL=--last-checkpoint CS=--stats-parsed CM=--multipart
while read -r name kind opts; do
	test_expect_success "checkpoints: $name" "
		\"\$MKTABLE\" --commits 16 --deletes --files 3 --rows 12 \
		    $opts $name >$name.mk &&
		grep 'version 15, .* [1-9] checkpoints' $name.mk &&
		test \$(ls $name/$LOG | grep -c -E \"\$(ckpt_pattern $kind)\") \
		    -gt 0 &&
		same_as_twin $name &&
		test \"\$(live_rows $name)\" = \"\$(mk_rows $name)\"
	"
done <<EOF
classic classic $CE 3 $CL
classic-nolast classic $CE 3
multipart parts $CE 4 $CM 3 $CL
v2json v2json --v2 json $CE 4 $CL
v2json-3sidecars v2json --v2 json $CM 3 $CE 5
v2parquet v2parquet --v2 parquet $CM 2 $CE 4 $CL
v2parquet-inline v2parquet --v2 parquet $CM 0 $CE 4
parsed classic $CS $CE 3 $CL
multipart-parsed parts $CM 2 $CS $CE 4
v2-parsed v2parquet --v2 parquet $CM 2 $CS $CE 4
EOF

test_expect_success 'the checkpoints hold deletion vectors and tombstones' '
	"$CAT" classic/$LOG/$CK15 >ck.rows &&
	grep "\"deletionVector\":{\"storageType\":\"u\"" ck.rows &&
	grep "\"deletionVector\":{\"storageType\":\"i\"" ck.rows &&
	grep "\"remove\":{\"path\"" ck.rows &&
	"$CAT" parsed/$LOG/$CK15 >p.rows &&
	grep "\"stats\":null,\"stats_parsed\":{\"numRecords\"" p.rows &&
	test $(ls v2parquet/$LOG/_sidecars | wc -l) = 6 &&
	test ! -d v2parquet-inline/$LOG/_sidecars
'

test_expect_success '--summary counts the files it does not print' '
	"$INSPECT" v2parquet >full.out &&
	"$INSPECT" --summary v2parquet >sum.out &&
	grep -v "^{\"file\"" full.out >want &&
	test_cmp want sum.out &&
	test $(grep -c "^{\"file\"" full.out) -gt 0 &&
	test_must_fail "$INSPECT" --summary --presign v2parquet 2>err &&
	grep "^usage:" err
'

test_expect_success '_last_checkpoint says where the newest one is' '
	grep "^{\"version\":12,\"size\":[0-9]*,\"parts\":3," \
	    multipart/$LOG/_last_checkpoint &&
	grep "^{\"version\":15," classic/$LOG/_last_checkpoint &&
	test ! -f classic-nolast/$LOG/_last_checkpoint
'

test_expect_success NODE 'hyparquet reads the checkpoints as we do' '
	for f in classic/$LOG/*.checkpoint.parquet \
	    multipart/$LOG/*.checkpoint.*.parquet \
	    v2parquet/$LOG/*.checkpoint.*.parquet \
	    v2parquet/$LOG/_sidecars/*.parquet \
	    parsed/$LOG/*.checkpoint.parquet; do
		node "$DUMP" --rows "$f" >expect &&
		"$CAT" "$f" >actual &&
		test_cmp expect actual || exit 1
	done
'

test_expect_success NODE 'hyparquet replays a checkpointed log as we do' '
	"$MKTABLE" --commits 9 --files 2 --checkpoint-every 3 \
	    --last-checkpoint plain >plain.mk &&
	node "$DUMP" --delta plain >dump.out &&
	grep "live rows" dump.out &&
	test "$(sed -n "s/.* \([0-9]*\) live rows.*/\1/p" dump.out)" = \
	    "$(live_rows plain)"
'

test_expect_success 'a log cut before its checkpoint still opens' '
	cp -a classic cut &&
	rm cut/$LOG/0000000000000000000[0-8].json &&
	"$INSPECT" cut | grep "^{\"file\"" | sort >cut.files &&
	"$INSPECT" classic.json | grep "^{\"file\"" | sort >full.files &&
	test_cmp full.files cut.files &&
	"$INSPECT" --version 9 cut >/dev/null &&
	fails_with cut "version 8 cannot be reconstructed: commit \
00000000000000000007.json is no longer in the log, which starts at version \
9\$" "--version 8" &&
	rm cut/$LOG/0000000000000000000[36].checkpoint.parquet &&
	fails_with cut "version 8 cannot be reconstructed: the log starts at \
version 9 and has no checkpoint at or before it\$" "--version 8"
'

test_expect_success '--changes needs the commits of its range' '
	fails_with cut "commit 00000000000000000001.json is no longer in the \
log, which starts at version [0-9]+\$" "--changes 1..10" &&
	"$INSPECT" --changes 9..10 cut >ch &&
	test $(grep -c "^{\"version\":9," ch) -gt 0
'

# --- _last_checkpoint that cannot be trusted -------------------------------

test_expect_success 'a corrupt _last_checkpoint is ignored' '
	cp -a classic lc1 &&
	printf "{\"version\":" >lc1/$LOG/_last_checkpoint &&
	same_as_twin lc1
'

test_expect_success 'a _last_checkpoint naming no checkpoint is ignored' '
	cp -a classic lc2 &&
	echo "{\"version\":7,\"size\":3}" >lc2/$LOG/_last_checkpoint &&
	same_as_twin lc2 &&
	cp -a classic lc3 &&
	echo "{\"version\":99,\"size\":3}" >lc3/$LOG/_last_checkpoint &&
	same_as_twin lc3
'

test_expect_success 'an older _last_checkpoint still finds the newest state' '
	cp -a classic lc4 &&
	echo "{\"version\":3,\"size\":3}" >lc4/$LOG/_last_checkpoint &&
	same_as_twin lc4
'

# --- time travel -------------------------------------------------------------

# Commit times: v3 has v2's mtime and v4 an earlier one, so both are
# moved to a millisecond after the commit before them.
T0=2024-01-01T00:00
test_expect_success 'time travel: tables with known commit times' '
	"$MKTABLE" --commits 6 --files 2 tt >tt.mk &&
	"$MKTABLE" --commits 6 --files 2 --checkpoint-every 2 \
	    --last-checkpoint ttck >ttck.mk &&
	for t in tt ttck; do
		touch -d "2024-01-01 00:00:00 UTC" $(commit $t 0) &&
		touch -d "2024-01-01 00:00:10 UTC" $(commit $t 1) &&
		touch -d "2024-01-01 00:00:20 UTC" $(commit $t 2) &&
		touch -d "2024-01-01 00:00:20 UTC" $(commit $t 3) &&
		touch -d "2024-01-01 00:00:15 UTC" $(commit $t 4) &&
		touch -d "2024-01-01 00:00:40.250 UTC" $(commit $t 5) ||
		exit 1
	done
'

while read -r when version stamp; do
	for t in tt ttck; do
		test_expect_success "time travel ($t): $when gives v$version" "
			snapshot_is $t '--timestamp $when' $version $stamp &&
			\"\$INSPECT\" --version $version $t |
			    grep '^{\"file\"' | sort >v.files &&
			grep '^{\"file\"' out | sort >t.files &&
			test_cmp v.files t.files
		"
	done
done <<EOF
${T0}:00Z 0 1704067200000
${T0}:09.999Z 0 1704067200000
${T0}:10Z 1 1704067210000
1704067210000 1 1704067210000
${T0}:19.999Z 1 1704067210000
${T0}:20Z 2 1704067220000
${T0}:20.001Z 3 1704067220001
${T0}:20.002Z 4 1704067220002
${T0}:40.249Z 4 1704067220002
${T0}:40.250Z 5 1704067240250
EOF

test_expect_success 'time travel: before the first commit is an error' '
	fails_with tt "the timestamp 2023-12-31T23:59:59.999Z is before the \
earliest commit of the table" "--timestamp 2023-12-31T23:59:59.999Z" &&
	fails_with ttck "the timestamp .* is before the earliest commit" \
	    "--timestamp 1704067199999"
'

test_expect_success 'time travel: after the last commit is an error' '
	fails_with tt "the timestamp 2024-01-01T00:00:40.251Z is after the \
latest commit of the table" "--timestamp 2024-01-01T00:00:40.251Z" &&
	fails_with ttck "the timestamp .* is after the latest commit" \
	    "--timestamp 2030-01-01T00:00Z"
'

test_expect_success 'time travel: bad timestamps and versions' '
	fails_with tt "--timestamp: .yesterday. is neither ISO-8601 nor \
milliseconds" "--timestamp yesterday" &&
	fails_with tt "version 6 does not exist: the latest version is 5" \
	    "--version 6"
'

test_expect_success '--changes: each action of the range, with its time' '
	"$INSPECT" --changes 1..4 tt >ch &&
	for v in 1 2 3 4; do
		test $(grep -c "^{\"version\":$v," ch) = \
		    $(wc -l <$(commit tt $v)) || exit 1
	done &&
	! grep -v "^{\"version\":[1-4]," ch &&
	grep "^{\"version\":3,\"timestamp\":1704067220001,\"commitInfo\"" ch &&
	grep "^{\"version\":4,\"timestamp\":1704067220002,\"add\"" ch &&
	"$INSPECT" --changes 4 tt >open &&
	test $(grep -c "^{\"version\":5," open) -gt 0
'

test_expect_success '--changes: deletes show their removes and DVs' '
	"$INSPECT" --changes 3..3 classic >del &&
	grep "^{\"version\":3,\"timestamp\":[0-9]*,\"remove\"" del &&
	grep "\"add\":.*\"deletionVector\"" del
'

test_expect_success '--changes: bad ranges' '
	fails_with tt "--changes: .4\.\.2. is not START or START\.\.END" \
	    "--changes 4..2" &&
	fails_with tt "version 9 does not exist: the latest version is 5" \
	    "--changes 9"
'

# In-commit timestamps 1800000000000 + v seconds, added to commitInfo
# (its first line) and enabled in the metaData.
CI='"commitInfo":{' ICT='"inCommitTimestamp"'
ENABLE='"delta.enableInCommitTimestamps":"true"'
test_expect_success 'in-commit timestamps win over file times' '
	cp -a tt ict &&
	for v in 0 1 2 3 4 5; do
		f=$(commit ict $v) &&
		sed -e "s/^{$CI/{$CI$ICT:$((1800000000000 + v * 1000)),/" \
		    -e "s/\"configuration\":{}/\"configuration\":{$ENABLE}/" \
		    "$f" >x &&
		mv x "$f" || exit 1
	done &&
	snapshot_is ict "--timestamp 1800000002500" 2 1800000002000 &&
	"$INSPECT" --changes 4..4 ict | head -n 1 >ch &&
	grep "^{\"version\":4,\"timestamp\":1800000004000," ch
'

test_expect_success 'in-commit timestamps must be there when enabled' '
	cp -a ict ict2 &&
	sed "s/$ICT:[0-9]*,//" $(commit ict 3) >$(commit ict2 3) &&
	fails_with ict2 "commit 00000000000000000003.json has no in-commit \
timestamp in its first line" "--timestamp 1800000002500"
'

# --- long logs without checkpoints --------------------------------------------

# Commits after the checkpoint past 16 MiB are streamed, not held: a
# 30000-file log without checkpoints (about 23 MB of JSON, its first
# commit several windows of 4 MiB) against the same log with them.
test_expect_success GENTABLE 'a streamed log gives the files of its checkpointed twin' '
	"$GEN" --files 30000 --json-only long long.ck >long.gen &&
	test $(cat long/$LOG/*.json | wc -c) -gt $((16 * 1024 * 1024)) &&
	"$INSPECT" long >long.out &&
	"$INSPECT" long.ck >ck.out &&
	grep -v "^{\"file\"" long.out >long.head &&
	grep -v "^{\"file\"" ck.out >ck.head &&
	test_cmp ck.head long.head &&
	grep "^{\"file\"" long.out | sort >long.files &&
	grep "^{\"file\"" ck.out | sort >ck.files &&
	test $(wc -l <long.files) = 30000 &&
	test_cmp ck.files long.files &&
	"$INSPECT" --version 150 long | grep "^{\"file\"" | sort >long.150 &&
	"$INSPECT" --version 150 long.ck | grep "^{\"file\"" | sort >ck.150 &&
	test_cmp ck.150 long.150
'

test_expect_success GENTABLE 'a streamed log takes its newest metaData' '
	cp -a long newmeta &&
	n=$(ls newmeta/$LOG | grep -c "json\$") &&
	grep "^{\"metaData\"" newmeta/$LOG/$V0.json |
	    sed "s/\"id\":\"[^\"]*\"/\"id\":\"renamed\"/" \
	    >$(commit newmeta $n) &&
	grep -q renamed $(commit newmeta $n) &&
	"$INSPECT" --summary newmeta >newmeta.out &&
	sed -n 3p newmeta.out | grep "^{\"metaData\":{\"id\":\"renamed\""
'

test_expect_success GENTABLE 'a broken line in a streamed log names file and line' '
	cp -a long brokenlong &&
	c=$(commit brokenlong 1) &&
	n=$(wc -l <"$c") &&
	echo "{\"add\":{\"path\":" >>"$c" &&
	fails_with brokenlong "_delta_log/00000000000000000001.json: line \
$((n + 1)): " &&
	fails_with brokenlong "_delta_log/00000000000000000001.json: line \
$((n + 1)): " --summary &&
	cp -a long twoacts &&
	c=$(commit twoacts 2) &&
	echo "{\"add\":{\"path\":\"x\"},\"metaData\":{}}" >>"$c" &&
	fails_with twoacts "_delta_log/00000000000000000002.json: line \
[0-9]*: two actions on one line" --summary
'

# --- hostile and broken logs -------------------------------------------------

P='{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}'
S='{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",'
S="$S"'\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}'
M='{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},'
M="$M\"schemaString\":\"$S\",\"partitionColumns\":[],"
M="$M\"configuration\":{},\"createdTime\":1}}"
F='"partitionValues":{},"size":1,"modificationTime":1,"dataChange":true'
A="{\"add\":{\"path\":\"a.parquet\",$F}}"

# mklog DIR LINE...: a table whose commit 0 holds the lines.
mklog() {
	d=$1 &&
	shift &&
	mkdir -p "$d/$LOG" &&
	printf '%s\n' "$@" >"$d/$LOG/$V0.json"
}

test_expect_success 'hostile: no protocol' '
	mklog np "$M" "$A" &&
	fails_with np "the log has no protocol action at version 0: none in \
_delta_log/$V0.json\$"
'

test_expect_success 'hostile: no metaData' '
	mklog nm "$P" "$A" &&
	echo "$A" >nm/$LOG/00000000000000000001.json &&
	fails_with nm "the log has no metaData action at version 1: none in \
_delta_log/$V0.json to _delta_log/00000000000000000001.json\$"
'

test_expect_success 'a log of one checkpoint and no commit opens' '
	mkdir -p only/$LOG &&
	cp classic/$LOG/00000000000000000015.checkpoint.parquet only/$LOG/ &&
	"$INSPECT" only >only.out &&
	head -n 1 only.out | grep "^{\"snapshot\":{\"version\":15}}\$" &&
	grep "^{\"file\"" only.out | sort >only.files &&
	"$INSPECT" classic | grep "^{\"file\"" | sort >classic.files &&
	test_cmp classic.files only.files &&
	fails_with only "version 14 cannot be reconstructed: the log starts \
at version 15 and has no checkpoint at or before it\$" "--version 14"
'

test_expect_success 'hostile: a gap in commit versions (0, 1, 3)' '
	mklog gap "$P" "$M" &&
	echo "$A" >gap/$LOG/00000000000000000001.json &&
	echo "$A" >gap/$LOG/00000000000000000003.json &&
	fails_with gap "version 3 cannot be reconstructed: commit \
00000000000000000002.json is missing \(the log is damaged\)\$" &&
	"$INSPECT" --version 1 gap | grep "^{\"file\"" &&
	fails_with gap "version 3 cannot be reconstructed: commit \
00000000000000000002.json is missing \(the log is damaged\)\$" "--changes 0..1"
'

CKRE="_delta_log/00000000000000000015\.checkpoint\.parquet: "
test_expect_success 'hostile: a truncated checkpoint names its file' '
	cp -a classic trunc &&
	head -c 200 classic/$LOG/$CK15 >trunc/$LOG/$CK15 &&
	fails_with trunc "$CKRE"
'

test_expect_success 'hostile: a corrupt checkpoint names its file' '
	cp -a classic corrupt &&
	size=$(wc -c <classic/$LOG/$CK15) &&
	head -c $((size - 300)) classic/$LOG/$CK15 >x &&
	printf "\377\377\377\377\377\377\377\377\377\377\377\377" >>x &&
	tail -c 288 classic/$LOG/$CK15 >>x &&
	mv x corrupt/$LOG/$CK15 &&
	fails_with corrupt "$CKRE" &&
	cp -a classic notpq &&
	echo "not parquet" >notpq/$LOG/$CK15 &&
	fails_with notpq "$CKRE"
'

test_expect_success 'hostile: a corrupt sidecar names its file' '
	cp -a v2parquet side &&
	for f in side/$LOG/_sidecars/*.parquet; do
		echo junk >"$f" || exit 1
	done &&
	fails_with side "_delta_log/_sidecars/[0-9a-f-]*\.parquet: "
'

test_expect_success 'hostile: invalid JSON in a commit names file and line' '
	mklog bad "$P" "$M" &&
	printf "%s\n%s\n" "$A" "{\"add\":{\"path\":" >$(commit bad 1) &&
	fails_with bad "_delta_log/00000000000000000001.json: line 2: "
'

test_expect_success 'hostile: add.path with ../ names the commit' '
	mklog up "$P" "$M" "{\"add\":{\"path\":\"../outside.parquet\",$F}}" &&
	fails_with up "_delta_log/$V0.json: path .\.\./outside\.parquet. has a \
.\.\.. segment\$"
'

test_expect_success 'hostile: an absolute add.path outside the table' '
	mklog abs "$P" "$M" "{\"add\":{\"path\":\"file:///etc/passwd\",$F}}" &&
	fails_with abs "_delta_log/$V0.json: path .file:///etc/passwd. is \
outside the table root\$" &&
	mklog abs2 "$P" "$M" "{\"add\":{\"path\":\"$PWD/up/x.parquet\",$F}}" &&
	fails_with abs2 "_delta_log/$V0.json: path .* is outside the table \
root\$"
'

test_expect_success 'hostile: a DV p path outside the table' '
	dv="\"deletionVector\":{\"storageType\":\"p\",\"pathOrInlineDv\":" &&
	dv="$dv\"file:///etc/dv.bin\",\"offset\":1,\"sizeInBytes\":10," &&
	dv="$dv\"cardinality\":1}" &&
	mklog dvp "$P" "$M" "{\"add\":{\"path\":\"a.parquet\",$F,$dv}}" &&
	fails_with dvp "_delta_log/$V0.json: path .file:///etc/dv\.bin. is \
outside the table root\$"
'

test_expect_success 'hostile: a removed escaping path is no error' '
	mklog gone "$P" "$M" "{\"add\":{\"path\":\"file:///etc/passwd\",$F}}" &&
	rm="{\"remove\":{\"path\":\"file:///etc/passwd\"}}" &&
	echo "$rm" >$(commit gone 1) &&
	"$INSPECT" gone | grep "^{\"summary\":{\"files\":0,"
'

test_expect_success 'hostile: a 20-digit version beyond 2^63-1' '
	mklog big "$P" "$M" &&
	echo "$A" >big/$LOG/99999999999999999999.json &&
	fails_with big "_delta_log/99999999999999999999.json: the version in \
its name is beyond 2\^63-1\$" &&
	mklog max "$P" "$M" &&
	echo "$A" >max/$LOG/09223372036854775807.json &&
	fails_with max "version 9223372036854775807 cannot be reconstructed: \
commit 00000000000000000001.json is missing \(the log is damaged\)\$"
'

test_expect_success 'hostile: an empty or missing _delta_log' '
	mkdir -p empty/$LOG nolog &&
	fails_with empty "not a Delta table: no commits in _delta_log\$" &&
	fails_with nolog "not a Delta table" &&
	fails_with "$PWD/missing" "table location is not an existing directory"
'

test_expect_success 'hostile: an unknown reader feature or version' '
	W="\"minWriterVersion\":7" &&
	p="{\"protocol\":{\"minReaderVersion\":3,$W," &&
	mklog feat "$p\"readerFeatures\":[\"fooBar\"],\"writerFeatures\":[]}}" \
	    "$M" &&
	fails_with feat "the table needs the reader feature .fooBar., which \
this server does not support\$" &&
	mklog r4 "{\"protocol\":{\"minReaderVersion\":4,$W}}" "$M" &&
	fails_with r4 "Delta reader version 4 is not supported"
'

test_done
