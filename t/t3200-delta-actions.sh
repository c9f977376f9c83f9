#!/bin/sh
# t3200-delta-actions: the JSON lines of every Delta table in the shared
# corpus ($SHARED_DIR/delta-tables) through storage, delta_action,
# delta_path and delta_dv (t/helper/delta-actions): every line of every
# _delta_log/*.json file (commits, compactions, JSON v2 checkpoints; the
# Parquet sidecars are not JSON) and of _delta_log/_staged_commits
# parses; the actions per kind match an independent count; every add,
# remove and cdc path and every deletion vector maps to a key under its
# table root, except exactly the ones known to point elsewhere (listed
# below, with why); the bitmaps of the deletion vectors that are there
# hold as many rows as their descriptors say; the add and remove rows of
# Parquet checkpoints read field by field equal their JSON text parsed.
# Tables made here add a hostile log and the instantiated
# special-character DV template.

. "$(dirname "$0")/test-lib.sh"

HELPER=$DS_BUILD_DIR/t/helper/delta-actions
CORPUS=$SHARED_DIR/delta-tables

[ -x "$HELPER" ] || test_skip_all "t/helper/delta-actions not built"
[ -d "$CORPUS" ] || test_skip_all "no table corpus in $CORPUS"

# Every folder holding a _delta_log is a table root.
find "$CORPUS" -type d -name _delta_log | sed 's|/_delta_log$||' |
	sort >tables
while read -r t; do
	for f in "$t"/_delta_log/*.json "$t"/_delta_log/_staged_commits/*.json
	do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
done <tables >jsonfiles

test_expect_success 'the corpus has its tables and commits' '
	test $(wc -l <tables) -ge 150 &&
	test $(wc -l <jsonfiles) -ge 600
'

test_expect_success 'every line of every JSON commit parses' '
	xargs -d "\n" "$HELPER" <tables >out 2>err &&
	! grep "^error" out &&
	grep "^files	$(wc -l <jsonfiles)\$" out
'
grep -E '^(files|count|present|absent|dv)' out | sed 's/^/# /;s/	/ /g'

test_expect_success 'actions per kind match a count with grep' '
	for k in add remove cdc metaData protocol commitInfo txn \
	    domainMetadata checkpointMetadata sidecar; do
		want=$(xargs -d "\n" grep -h "^{\"$k\"" <jsonfiles | wc -l)
		grep "^count	$k	$want\$" out ||
			{ echo "$k: grep counts $want"; exit 1; }
	done
'

# The paths that do not lie under their root: two kernel tables whose
# adds and removes name /some/unqualified/absolute/path (a test of path
# canonicalisation, with no data), and the DV template of Spark's
# DeletionVectorsSuite, whose {{FOLDER_WITH_SPECIAL_CHAR}} is meant to be
# replaced (below) before the table is read.
cat >refused.want <<'EOF'
delta-spark/table-with-dv-special-char	deletionVector	file:{{FOLDER_WITH_SPECIAL_CHAR}}/test%25dv%25prefix-deletion_vector_67bc892e-2979-4760-a78c-856aba806564.bin
kernel-golden/canonicalized-paths-normal-a	add	/some/unqualified/absolute/path
kernel-golden/canonicalized-paths-normal-a	remove	file:/some/unqualified/absolute/path
kernel-golden/canonicalized-paths-normal-b	add	/some/unqualified/absolute/path
kernel-golden/canonicalized-paths-normal-b	remove	file:///some/unqualified/absolute/path
EOF

test_expect_success 'exactly the paths known to lie elsewhere are refused' '
	grep "^refused" out |
	awk -F "	" "{ sub(\"^.*/delta-tables/\", \"\", \$2);
	    sub(\"/delta\$\", \"\", \$2); print \$2 \"	\" \$4 \"	\" \$5 }" |
	sort >refused.got &&
	diff refused.want refused.got
'
grep '^refused' out | cut -f 2,4- | sed "s|^$CORPUS/||;s/^/# /"

test_expect_success 'the refusals say why' '
	test $(grep -c "^refused.*is outside the table root" out) = 4 &&
	grep "^refused.*FOLDER_WITH.*is not an absolute path" out
'

test_expect_success 'the special-character DV resolves once instantiated' '
	cp -a "$CORPUS/delta-spark/table-with-dv-special-char/delta" dvt &&
	dir=$(cd dvt && pwd -P) &&
	log=dvt/_delta_log/00000000000000000000.json &&
	enc="folder\&with%25special%20char" &&
	sed "s|{{FOLDER_WITH_SPECIAL_CHAR}}|$dir/$enc|" "$log" >log.new &&
	mv log.new "$log" &&
	"$HELPER" "$dir" >dvout &&
	! grep "^refused" dvout &&
	grep "^dv	verified 1\$" dvout &&
	grep "^present	2\$" dvout
'

test_expect_success 'the template filled in unencoded is refused' '
	cp -a "$CORPUS/delta-spark/table-with-dv-special-char/delta" dvu &&
	dir=$(cd dvu && pwd -P) &&
	log=dvu/_delta_log/00000000000000000000.json &&
	sed "s|{{FOLDER_WITH_SPECIAL_CHAR}}|$dir/folder\&with%special char|" \
	    "$log" >log.new && mv log.new "$log" &&
	"$HELPER" "$dir" >dvuout &&
	grep "^refused.*malformed %-escape" dvuout
'

test_expect_success 'a hostile log: every escape is refused' '
	mkdir -p evil/_delta_log evil/in &&
	echo secret >outside &&
	ln -s ../outside evil/in/link &&
	: >evil/in/ok.parquet &&
	f="\"partitionValues\":{},\"size\":1,\"modificationTime\":1" &&
	f="$f,\"dataChange\":true" &&
	dv="\"sizeInBytes\":1,\"cardinality\":1" &&
	p="\"path\":\"in/ok.parquet\",$f,\"deletionVector\"" &&
	{
	echo "{\"add\":{\"path\":\"in/ok.parquet\",$f}}"
	echo "{\"add\":{\"path\":\"../outside\",$f}}"
	echo "{\"add\":{\"path\":\"%2e%2e/outside\",$f}}"
	echo "{\"add\":{\"path\":\"in%2F..%2F..%2Foutside\",$f}}"
	echo "{\"add\":{\"path\":\"file:///etc/passwd\",$f}}"
	echo "{\"add\":{\"path\":\"s3://other/x\",$f}}"
	echo "{\"remove\":{\"path\":\"file:$PWD/outside\"}}"
	echo "{\"cdc\":{\"path\":\"in/link\",$f}}"
	echo "{\"add\":{$p:{\"storageType\":\"p\","\
"\"pathOrInlineDv\":\"file:///etc/passwd\",$dv}}}"
	echo "{\"add\":{$p:{\"storageType\":\"u\","\
"\"pathOrInlineDv\":\"../^-aqEH.-t@S}K{vb[*k^\",$dv}}}"
	} >evil/_delta_log/00000000000000000000.json &&
	"$HELPER" "$PWD/evil" >evilout &&
	test $(grep -c "^refused" evilout) = 8 &&
	grep "^present	3\$" evilout &&
	grep "^absent	1\$" evilout
'

# Replay reads the add and remove rows of Parquet checkpoints field by
# field; their JSON text, written only on demand, must say the same.
test_expect_success 'Parquet checkpoint rows read field by field equal their JSON' '
	xargs -d "\n" "$HELPER" --twins <tables >twins 2>err &&
	! grep "^error" twins && ! grep "^twin	" twins &&
	test $(sed -n "s/^files	//p" twins) -ge 70 &&
	test $(sed -n "s/^twins	//p" twins) -ge 800
'
grep -E '^(files|twins)' twins | sed 's/^/# checkpoints: /;s/	/ /g'

test_expect_success 'generated checkpoints: stats_parsed, DVs, sidecars' '
	mk=$DS_BUILD_DIR/src/mktable &&
	"$mk" --commits 13 --deletes --checkpoint-every 4 --stats-parsed \
	    gen1 >/dev/null &&
	"$mk" --commits 13 --deletes --checkpoint-every 6 --v2 parquet \
	    --multipart 2 gen2 >/dev/null &&
	"$HELPER" --twins "$PWD/gen1" "$PWD/gen2" >gentwins &&
	! grep "^twin	" gentwins &&
	test $(sed -n "s/^twins	//p" gentwins) -ge 30
'

test_expect_success 'the benchmark mode runs' '
	"$HELPER" --bench 2000 1 >bench &&
	grep "^bench	2000 lines" bench
'

test_done
