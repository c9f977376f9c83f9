#!/bin/sh
# t0960-sign-crosscheck: our three URL signers (src/sigv4.c, azsign.c,
# gcsign.c, reached through t/helper/sign-url the way the storage
# backends reach them) against libraries that share no code with them:
# botocore's presigned S3 URLs, the Azure SDK's blob SAS, and Google's
# V4 steps signed by google-auth (RSA) or an HMAC chain.  For each kind,
# t/helper/sign-crosscheck.py generates DS_CROSSCHECK_CASES (300) requests
# from a fixed seed (DS_CROSSCHECK_SEED): awkward object names, regions,
# endpoints with ports, instants and lifetimes, all at frozen clocks, and
# the URLs must agree up to the order of query parameters.  Known,
# deliberate differences are reported, not failed (see the script).
# Needs no network and no server.

. "$(dirname "$0")/test-lib.sh"
. "$DS_SRC_DIR/t/lib-objstore.sh"

SIGN_URL=$DS_BUILD_DIR/t/helper/sign-url
CROSSCHECK=$DS_SRC_DIR/t/helper/sign-crosscheck.py
CASES=${DS_CROSSCHECK_CASES:-300}
SEED=${DS_CROSSCHECK_SEED:-20240102}

[ -x "$SIGN_URL" ] || test_skip_all "t/helper/sign-url not built"
"$OBJSTORE_PYTHON" -c 'import google.auth.crypt, cryptography' \
    >/dev/null 2>&1 && test_set_prereq GOOGLE_AUTH
if ! test_have_prereq BOTO3 && ! test_have_prereq AZURE_BLOB &&
    ! test_have_prereq GOOGLE_AUTH; then
	why="no botocore, azure.storage.blob nor google.auth in"
	why="$why $OBJSTORE_PYTHON (python3-boto3, python3-azure-storage,"
	test_skip_all "$why python3-google-auth)"
fi

# crosscheck KIND: run the comparison and show its report (with -v, or
# when it fails; test bodies run under set -e, hence the "||").
crosscheck() {
	_cc_rc=0
	"$OBJSTORE_PYTHON" "$CROSSCHECK" --sign-url "$SIGN_URL" --kind "$1" \
	    -n "$CASES" --seed "$SEED" >"$1.out" 2>&1 || _cc_rc=$?
	cat "$1.out"
	return $_cc_rc
}

# Two good requests and three bad ones (not JSON, an unknown kind, an
# expiry S3 refuses), each answered on its own line.
cat >requests <<'EOF'
{"kind": "s3", "access_key": "AK", "secret_key": "s", "bucket": "bkt", "key": "k", "now": 1369353600, "expires": 60}
not json
{"kind": "ftp"}
{"kind": "s3", "access_key": "AK", "secret_key": "s", "bucket": "bkt", "key": "k", "now": 1369353600, "expires": 0}
{"kind": "azure", "account": "acct", "key_b64": "a2V5", "container": "ccc", "blob": "a b", "expiry": 1369357200}
EOF

test_expect_success 'sign-url answers each line, an error for a bad one' '
	"$SIGN_URL" <requests >out &&
	test "$(wc -l <out)" = 5 &&
	sed -n 1p out | grep "^https://bkt\.s3\.us-east-1\.amazonaws\.com/k?X-Amz-" &&
	sed -n 5p out | grep "^https://acct\.blob\.core\.windows\.net/ccc/a%20b?" &&
	sed -n 2,4p out >errors &&
	test "$(grep -c "^error: " errors)" = 3
'

test_expect_success BOTO3 "S3: $CASES presigned URLs agree with botocore" '
	crosscheck s3
'

test_expect_success AZURE_BLOB "Azure: $CASES blob SAS URLs agree with the SDK" '
	crosscheck azure
'

test_expect_success GOOGLE_AUTH "GCS: $CASES V4 URLs agree with google-auth" '
	crosscheck gcs
'

test_done
