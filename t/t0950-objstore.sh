#!/bin/sh
# t0950-objstore: the object stores of t/lib-objstore.sh that the
# cloud-storage tests run against.  A Ceph RADOS Gateway and Azurite
# start on 127.0.0.1; a tree whose names hold a space, %, +, = and ü goes
# up through t/helper/objstore-put.py and comes back byte for byte, under
# the same keys; RGW refuses anonymous requests and a tampered presigned
# URL but serves the untampered one; both servers stop, by pid.

. "$(dirname "$0")/test-lib.sh"
. "$DS_SRC_DIR/t/lib-objstore.sh"

objstore_have_rgw ||
	test_skip_all "Ceph RGW not installed (radosgw ceph-mon ceph-osd)"
objstore_have_azurite ||
	test_skip_all "no azurite (node, and npm ci in t/node)"
objstore_have_boto3 || test_skip_all "python3-boto3 not installed"
objstore_have_azure_blob ||
	test_skip_all "python3-azure-storage not installed"
test_have_prereq CURL || test_skip_all "curl not installed"

rgw_start || bail "cannot start Ceph RGW"
say_diag "Ceph RGW ready in ${RGW_START_SECONDS}s at $RGW_ENDPOINT"
azurite_start || bail "cannot start Azurite"

# Every file under src/, and the keys it should have under tbl/.
mkdir -p "src/dir with space" "src/pct%2F%2520%25f" "src/ümlaut" &&
printf 'plain\n' >src/plain.txt &&
printf 'one\n' >"src/dir with space/file one.txt" &&
printf 'percent\n' >"src/pct%2F%2520%25f/a%41+b.txt" &&
printf '\000\001\377binary\r\n' >"src/plus+sign=eq.bin" &&
printf 'grüße\n' >"src/ümlaut/part 0 ü+=.snappy.parquet" &&
head -c 300000 /dev/urandom >src/big.bin ||
	bail "cannot write the test tree"
(cd src && find . -type f | sed 's|^\./|tbl/|' | sort) >keys.expect

# check_tree GET-COMMAND CONTAINER: every key reads back as its file.
check_tree() {
	while IFS= read -r key; do
		"$1" "$2" "$key" >got || return 1
		cmp "src/${key#tbl/}" got || return 1
	done <keys.expect
}

# fetch URL: the status in resp.status, the body in resp.body.
fetch() {
	curl -s -o resp.body -w '%{http_code}' "$1" >resp.status
}

test_expect_success 'RGW: a bucket, and a tree with awkward names put in it' '
	s3_make_bucket objstore-test &&
	s3_put_tree src objstore-test tbl
'

test_expect_success 'RGW: the listing has each key, byte for byte' '
	s3_list objstore-test >keys &&
	test_cmp keys.expect keys &&
	s3_list objstore-test "tbl/ümlaut/" >keys &&
	echo "tbl/ümlaut/part 0 ü+=.snappy.parquet" >expect &&
	test_cmp expect keys
'

test_expect_success 'RGW: each object reads back as its file' '
	check_tree s3_get objstore-test
'

test_expect_success 'RGW: anonymous requests are refused (403)' '
	fetch "$RGW_ENDPOINT/objstore-test/tbl/plain.txt" &&
	test "$(cat resp.status)" = 403 &&
	fetch "$RGW_ENDPOINT/objstore-test?list-type=2" &&
	test "$(cat resp.status)" = 403
'

test_expect_success 'RGW: a presigned URL works, a tampered one is refused' '
	for key in tbl/plain.txt "tbl/ümlaut/part 0 ü+=.snappy.parquet" \
	    "tbl/pct%2F%2520%25f/a%41+b.txt"; do
		url=$(s3_presign objstore-test "$key" 300) &&
		fetch "$url" &&
		test "$(cat resp.status)" = 200 &&
		cmp "src/${key#tbl/}" resp.body &&
		sig=${url##*X-Amz-Signature=} &&
		test ${#sig} = 64 &&
		case $sig in 0*) bad=1${sig#?} ;; *) bad=0${sig#?} ;; esac &&
		fetch "${url%"$sig"}$bad" &&
		test "$(cat resp.status)" = 403 &&
		grep -q SignatureDoesNotMatch resp.body || return 1
	done
'

test_expect_success 'RGW: a presigned URL does not open another key' '
	url=$(s3_presign objstore-test tbl/plain.txt 300) &&
	fetch "$(printf "%s\n" "$url" | sed "s|/tbl/plain\.txt?|/tbl/big.bin?|")" &&
	test "$(cat resp.status)" = 403
'

test_expect_success 'Azurite: a container, and the same tree put in it' '
	azure_make_container objstore-test &&
	azure_put_tree src objstore-test tbl
'

test_expect_success 'Azurite: the listing has each blob name, byte for byte' '
	azure_list objstore-test >keys &&
	test_cmp keys.expect keys &&
	azure_list objstore-test "tbl/ümlaut/" >keys &&
	echo "tbl/ümlaut/part 0 ü+=.snappy.parquet" >expect &&
	test_cmp expect keys
'

test_expect_success 'Azurite: each blob reads back as its file' '
	check_tree azure_get objstore-test
'

test_expect_success 'Azurite: an anonymous GET is refused' '
	fetch "$AZURITE_ENDPOINT/objstore-test/tbl/plain.txt" &&
	test "$(cat resp.status)" = 403
'

# Stop both, by the pids they recorded.
cat "$RGW_DIR"/pid/* >pids
echo "$AZURITE_PID" >>pids
rgw_stop
azurite_stop

test_expect_success 'both stopped: their processes are gone' '
	test_must_fail curl -s -o /dev/null "$RGW_ENDPOINT/" &&
	test_must_fail curl -s -o /dev/null "$AZURITE_ENDPOINT?comp=list" &&
	test "$(wc -l <pids)" = 4 &&
	while read -r pid; do
		! test_alive "$pid" || return 1
	done <pids
'

test_done
