# lib-objstore.sh: real object stores for the cloud-storage tests, on
# 127.0.0.1 only, with every file under $TRASH.
#
#	. "$(dirname "$0")/test-lib.sh"
#	. "$DS_SRC_DIR/t/lib-objstore.sh"	# test-lib.sh cd-ed to $TRASH
#	objstore_have_rgw || test_skip_all "Ceph RGW not installed (...)"
#	rgw_start || bail "cannot start Ceph RGW"	# at the top level
#	azurite_start || bail "cannot start Azurite"
#	s3_make_bucket delta && s3_put_tree tables/t1 delta tbl/t1
#	azure_make_container delta && azure_put_tree tables/t1 delta tbl/t1
#
# rgw_start: a one-node Ceph cluster (one mon, one OSD keeping its data
# in memory, no mgr) and a RADOS Gateway (beast frontend), which checks
# SigV4 signatures like S3 does.  Everything lives in $TRASH/rgw:
# ceph.conf, keyring, run/ (admin sockets: NAME.asok for the daemons,
# NAME.PID.asok for the command-line tools), log/ (NAME.log, and NAME.out
# for what a daemon prints), pid/ (the pids we started), mon/, osd/.
# Sets RGW_ENDPOINT (http://127.0.0.1:PORT), RGW_ACCESS_KEY,
# RGW_SECRET_KEY, RGW_REGION (not checked by RGW), RGW_PORT, RGW_DIR and
# RGW_START_SECONDS (how long it took: 1-2 s on an idle machine).
# Path-style URLs: $RGW_ENDPOINT/BUCKET/KEY.  More RGW logging when debugging:
#	ceph -c $RGW_DIR/ceph.conf --admin-daemon $RGW_DIR/run/client.rgw.a.asok \
#	    config set debug_rgw 20/20
# (log/client.rgw.a.log then shows the canonical request and string to
# sign).  Never point a Ceph path setting (keyring, admin socket, log) at
# /dev/null: Ceph unlinks the path and binds a socket there.
#
# azurite_start: Azurite's blob service (t/node, npm "azurite"), which
# checks Shared Key and SAS signatures, data in $TRASH/azurite (and its
# --debug log, debug.log, with each string to sign).  It knows two
# accounts: the well-known devstoreaccount1 and ours.  Sets
# AZURITE_ACCOUNT, AZURITE_KEY (base64), AZURITE_ENDPOINT (the account's
# blob endpoint, path style: http://127.0.0.1:PORT/ACCOUNT),
# AZURITE_CONNECTION_STRING (for the Azure SDKs), AZURITE_PORT and
# AZURITE_DIR.
#
# Both starters must run at the top level of the script (not inside a
# test body), register their stop with test_atexit, and retry on another
# port when a parallel script took the one they picked.  rgw_stop and
# azurite_stop kill only the processes they started, by pid, and wait
# until they are gone.
#
# Prerequisites: objstore_have_rgw, objstore_have_azurite,
# objstore_have_boto3 and objstore_have_azure_blob answer whether the
# servers and the Python client libraries (Debian's, in /usr/bin/python3)
# are installed; they also set the prereqs RGW, AZURITE, BOTO3 and
# AZURE_BLOB.
#
# Data, through t/helper/objstore-put.py (object key = PREFIX/relative
# path, byte for byte; PREFIX may be empty):
#	s3_make_bucket BUCKET		s3_put_tree LOCALDIR BUCKET [PREFIX]
#	s3_list BUCKET [PREFIX]		s3_get BUCKET KEY	(to stdout)
#	s3_presign BUCKET KEY [SECONDS]	(a presigned GET URL, path style)
#	azure_make_container CONTAINER	azure_put_tree LOCALDIR CONTAINER [PREFIX]
#	azure_list CONTAINER [PREFIX]	azure_get CONTAINER BLOB

OBJSTORE_PYTHON=/usr/bin/python3
OBJSTORE_HELPER=$DS_SRC_DIR/t/helper/objstore-put.py
AZURITE_JS=$DS_NODE_MODULES/azurite/dist/src/blob/main.js

# Fixed credentials: these servers only ever listen on 127.0.0.1.
RGW_ACCESS_KEY=DSTESTRGWACCESSKEY01
RGW_SECRET_KEY=dsTestRgwSecret/Key+0123456789abcdefghijk
RGW_REGION=us-east-1
AZURITE_ACCOUNT=deltaacct
AZURITE_KEY=ZGVsdGFzaGFyZS10ZXN0cy1henVyaXRlLWFjY291bnQta2V5LTAx
# Azurite's (public, documented) development account.
AZURITE_DEV_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
RGW_DIR=$TRASH/rgw
AZURITE_DIR=$TRASH/azurite
AZURITE_PID=

# lib-ds.sh has the same; scripts that only source test-lib.sh need it.
command -v bail >/dev/null 2>&1 || bail() {
	say "Bail out! $*"
	test_run_atexit
	exit 1
}

objstore_have_rgw() {
	for _oc in radosgw ceph-mon ceph-osd ceph monmaptool radosgw-admin; do
		command -v "$_oc" >/dev/null 2>&1 || return 1
	done
}

objstore_have_azurite() {
	command -v node >/dev/null 2>&1 && [ -f "$AZURITE_JS" ]
}

objstore_have_boto3() {
	[ -x "$OBJSTORE_PYTHON" ] &&
	    "$OBJSTORE_PYTHON" -c 'import boto3, botocore' >/dev/null 2>&1
}

objstore_have_azure_blob() {
	[ -x "$OBJSTORE_PYTHON" ] &&
	    "$OBJSTORE_PYTHON" -c 'import azure.storage.blob' >/dev/null 2>&1
}

objstore_have_rgw && test_set_prereq RGW
objstore_have_azurite && test_set_prereq AZURITE
objstore_have_boto3 && test_set_prereq BOTO3
objstore_have_azure_blob && test_set_prereq AZURE_BLOB

# Seconds since the epoch, to a tenth.
objstore_now() {
	perl -MTime::HiRes=time -e 'printf "%.1f\n", time'
}

# objstore_stop_pid PID PATTERN: stop a process we started, if it still
# is ours (its command line contains PATTERN: a pid left in a file might
# have been reused), and wait until it is gone; reap it when it is our
# child.
objstore_stop_pid() {
	if test_alive "$1" &&
	    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"; then
		kill "$1" 2>/dev/null
		if ! test_poll "! test_alive $1" 30 2>/dev/null; then
			kill -9 "$1" 2>/dev/null
			test_poll "! test_alive $1" 10
		fi
	fi
	wait "$1" 2>/dev/null
	return 0
}

# --- Ceph RADOS Gateway ----------------------------------------------------

rgw_ceph() {
	ceph -c "$RGW_DIR/ceph.conf" "$@"
}

# rgw_daemon NAME COMMAND...: start a Ceph daemon in the foreground (-f,
# logging to its log file) in the background of this shell.
rgw_daemon() {
	_rd_name=$1
	shift
	"$@" -c "$RGW_DIR/ceph.conf" -f >"$RGW_DIR/log/$_rd_name.out" 2>&1 &
	echo $! >"$RGW_DIR/pid/$_rd_name"
}

rgw_pid() {
	cat "$RGW_DIR/pid/$1" 2>/dev/null
}

# True when a daemon we started has died (or none was started).
rgw_died() {
	for _rn in "$@"; do
		test_alive "$(rgw_pid "$_rn")" || return 0
	done
	return 1
}

# A request signed with the user's keys (SigV4; curl leaves out the
# payload hash header that RGW wants: this is the hash of no body).
rgw_curl() {
	curl -s --max-time 10 --aws-sigv4 "aws:amz:$RGW_REGION:s3" \
	    --user "$RGW_ACCESS_KEY:$RGW_SECRET_KEY" \
	    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
	    "$@"
}

rgw_write_conf() {
	cat >"$RGW_DIR/ceph.conf" <<EOF2
# A throwaway one-node cluster for one test script (t/lib-objstore.sh).
[global]
fsid = $1
mon host = v1:127.0.0.1:$RGW_MON_PORT
public addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
# A port taken: fail at once (and start over), not after 3 tries 5 s apart.
ms bind retry count = 1
# cephx is the cluster's internal authentication; S3 signatures are
# checked by RGW all the same.
auth cluster required = none
auth service required = none
auth client required = none
keyring = $RGW_DIR/keyring
run dir = $RGW_DIR/run
admin socket = $RGW_DIR/run/\$name.asok
pid file = $RGW_DIR/run/\$name.pid
log file = $RGW_DIR/log/\$name.log
crash dir = $RGW_DIR/crash
mon data = $RGW_DIR/mon/\$id
mon cluster log file = $RGW_DIR/log/cluster.log
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
# Commit map changes at once: RGW creates its pools one by one.
paxos propose interval = 0.01
paxos min wait = 0.01
osd data = $RGW_DIR/osd/\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
# rgw_try puts the OSD in the CRUSH map: the OSD would do it at start,
# racing its first monmap (the mon then says "wrong fsid" and it exits).
osd crush update on start = false
osd class update on start = false
[client]
# The tools (ceph, radosgw-admin) may run side by side.
admin socket = $RGW_DIR/run/\$name.\$pid.asok
[client.rgw.a]
admin socket = $RGW_DIR/run/\$name.asok
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw dns name = localhost
rgw data = $RGW_DIR/rgw
rgw luarocks location = $RGW_DIR/luarocks
EOF2
}

rgw_start() {
	test_toplevel rgw_start || return 1
	objstore_have_rgw || {
		echo "rgw_start: radosgw, ceph-mon or ceph-osd not installed" >&2
		return 1
	}
	_rs_t0=$(objstore_now)
	# A port found free may be taken by a parallel script before the
	# mon or RGW binds it: then that daemon exits, and we start over.
	if objstore_retry rgw 3; then
		RGW_START_SECONDS=$(perl -e 'printf "%.1f\n", $ARGV[1] - $ARGV[0]' \
		    "$_rs_t0" "$(objstore_now)")
		export RGW_START_SECONDS
		return 0
	fi
	objstore_tail "$RGW_DIR"/log/*.out "$RGW_DIR"/log/*.log
	return 1
}

# objstore_retry NAME TRIES [ARGS]: NAME_try ARGS until it works, at most
# TRIES times, NAME_stop after each failure; NAME_stop is registered to
# run at exit (once).
objstore_retry() {
	_or_name=$1 _or_tries=$2
	shift 2
	if ! eval "[ -n \"\${OBJSTORE_ATEXIT_$_or_name-}\" ]"; then
		test_atexit "${_or_name}_stop"
		eval "OBJSTORE_ATEXIT_$_or_name=t"
	fi
	while [ "$_or_tries" -gt 0 ]; do
		"${_or_name}_try" "$@" && return 0
		"${_or_name}_stop"
		_or_tries=$((_or_tries - 1))
	done
	return 1
}

# objstore_tail FILE...: the end of each existing file, to stderr.
objstore_tail() {
	for _ot_f in "$@"; do
		[ -f "$_ot_f" ] || continue
		echo "--- $_ot_f" >&2
		tail -n 15 "$_ot_f" >&2
	done
}

rgw_try() {
	rm -rf "$RGW_DIR"
	mkdir -p "$RGW_DIR/run" "$RGW_DIR/log" "$RGW_DIR/pid" "$RGW_DIR/mon" \
	    "$RGW_DIR/osd/0" "$RGW_DIR/rgw" "$RGW_DIR/crash" || return 1
	RGW_MON_PORT=$(test_free_port) || return 1
	RGW_PORT=$(test_free_port) || return 1
	[ "$RGW_PORT" != "$RGW_MON_PORT" ] || return 1
	_rt_fsid=$(cat /proc/sys/kernel/random/uuid)
	_rt_osd_uuid=$(cat /proc/sys/kernel/random/uuid)
	rgw_write_conf "$_rt_fsid"
	: >"$RGW_DIR/keyring"

	# The monitor.
	monmaptool --create --add a "v1:127.0.0.1:$RGW_MON_PORT" \
	    --fsid "$_rt_fsid" "$RGW_DIR/monmap" >"$RGW_DIR/log/mkfs.out" 2>&1 &&
	ceph-mon -c "$RGW_DIR/ceph.conf" --mkfs -i a \
	    --monmap "$RGW_DIR/monmap" >>"$RGW_DIR/log/mkfs.out" 2>&1 ||
		{ cat "$RGW_DIR/log/mkfs.out" >&2; return 1; }
	rgw_daemon mon.a ceph-mon -i a
	test_poll "rgw_died mon.a || rgw_ceph --connect-timeout 2 mon stat" 60 ||
		return 1
	rgw_died mon.a && return 1

	# The OSD, its data in memory.
	_rt_id=$(rgw_ceph --connect-timeout 10 osd new "$_rt_osd_uuid" \
	    2>>"$RGW_DIR/log/mkfs.out") || return 1
	[ "$_rt_id" = 0 ] || { echo "rgw_start: osd new said: $_rt_id" >&2; return 1; }
	ceph-osd -c "$RGW_DIR/ceph.conf" -i 0 --mkfs --osd-uuid "$_rt_osd_uuid" \
	    >>"$RGW_DIR/log/mkfs.out" 2>&1 ||
		{ cat "$RGW_DIR/log/mkfs.out" >&2; return 1; }
	rgw_ceph --connect-timeout 10 osd crush add osd.0 1 root=default \
	    >>"$RGW_DIR/log/mkfs.out" 2>&1 ||
		{ cat "$RGW_DIR/log/mkfs.out" >&2; return 1; }
	rgw_daemon osd.0 ceph-osd -i 0

	# The gateway: it waits for the OSD, then creates its pools.
	rgw_daemon client.rgw.a radosgw -n client.rgw.a
	test_poll "rgw_died mon.a osd.0 client.rgw.a ||
	    curl -s -m 5 -o /dev/null http://127.0.0.1:$RGW_PORT/" 120 || return 1
	rgw_died mon.a osd.0 client.rgw.a && return 1

	radosgw-admin -c "$RGW_DIR/ceph.conf" user create --uid=dstest \
	    --display-name="deltashare tests" --access-key="$RGW_ACCESS_KEY" \
	    --secret-key="$RGW_SECRET_KEY" >"$RGW_DIR/log/user.out" 2>&1 ||
		{ cat "$RGW_DIR/log/user.out" >&2; return 1; }
	RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT
	export RGW_ENDPOINT RGW_ACCESS_KEY RGW_SECRET_KEY RGW_REGION RGW_PORT \
	    RGW_DIR
	# Ready when a signed request (list my buckets) succeeds.
	test_poll "rgw_died mon.a osd.0 client.rgw.a || test \
	    \"\$(rgw_curl -o /dev/null -w '%{http_code}' $RGW_ENDPOINT/)\" = 200" \
	    60 || return 1
	rgw_died mon.a osd.0 client.rgw.a && return 1
	return 0
}

rgw_stop() {
	[ -d "$RGW_DIR/pid" ] || return 0
	for _rs_name in client.rgw.a osd.0 mon.a; do
		_rs_pid=$(rgw_pid "$_rs_name")
		[ -n "$_rs_pid" ] || continue
		objstore_stop_pid "$_rs_pid" "$RGW_DIR/ceph.conf"
		rm -f "$RGW_DIR/pid/$_rs_name"
	done
	return 0
}

# --- Azurite (Azure Blob) ---------------------------------------------------

azurite_start() {
	test_toplevel azurite_start || return 1
	objstore_have_azurite || {
		echo "azurite_start: no node or no t/node/node_modules/azurite" >&2
		return 1
	}
	objstore_retry azurite 5 && return 0
	objstore_tail "$AZURITE_DIR/azurite.out"
	return 1
}

azurite_try() {
	AZURITE_PORT=$(test_free_port) || return 1
	mkdir -p "$AZURITE_DIR" || return 1
	# The list replaces Azurite's default account: keep that one too.
	AZURITE_ACCOUNTS="devstoreaccount1:$AZURITE_DEV_KEY;$AZURITE_ACCOUNT:$AZURITE_KEY" \
	    node "$AZURITE_JS" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
	    --location "$AZURITE_DIR" --debug "$AZURITE_DIR/debug.log" \
	    --skipApiVersionCheck --disableTelemetry \
	    >"$AZURITE_DIR/azurite.out" 2>&1 &
	AZURITE_PID=$!
	echo "$AZURITE_PID" >"$AZURITE_DIR/azurite.pid"
	# It says so once it listens; it exits when the port is taken.
	test_poll "! test_alive $AZURITE_PID || grep -q \
	    'listens on http://127.0.0.1:$AZURITE_PORT' '$AZURITE_DIR/azurite.out'" \
	    60 || return 1
	test_alive "$AZURITE_PID" || return 1
	AZURITE_ENDPOINT=http://127.0.0.1:$AZURITE_PORT/$AZURITE_ACCOUNT
	AZURITE_CONNECTION_STRING="BlobEndpoint=$AZURITE_ENDPOINT;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;DefaultEndpointsProtocol=http"
	export AZURITE_ENDPOINT AZURITE_ACCOUNT AZURITE_KEY \
	    AZURITE_CONNECTION_STRING AZURITE_PORT AZURITE_DIR
	# And answers HTTP (an unsigned request: 403).
	test_poll "! test_alive $AZURITE_PID ||
	    curl -s -m 5 -o /dev/null '$AZURITE_ENDPOINT?comp=list'" 30 || return 1
	test_alive "$AZURITE_PID"
}

azurite_stop() {
	[ -n "$AZURITE_PID" ] || return 0
	objstore_stop_pid "$AZURITE_PID" "$AZURITE_JS"
	rm -f "$AZURITE_DIR/azurite.pid"
	AZURITE_PID=
}

# --- data --------------------------------------------------------------------

objstore_helper() {
	"$OBJSTORE_PYTHON" "$OBJSTORE_HELPER" "$@"
}

s3_make_bucket() { objstore_helper s3-make-bucket "$1"; }
s3_put_tree() { objstore_helper s3-put-tree "$1" "$2" "${3-}"; }
s3_list() { objstore_helper s3-list "$1" "${2-}"; }
s3_get() { objstore_helper s3-get "$1" "$2"; }
s3_presign() { objstore_helper s3-presign "$1" "$2" "${3:-300}"; }
azure_make_container() { objstore_helper azure-make-container "$1"; }
azure_put_tree() { objstore_helper azure-put-tree "$1" "$2" "${3-}"; }
azure_list() { objstore_helper azure-list "$1" "${2-}"; }
azure_get() { objstore_helper azure-get "$1" "$2"; }

# --- Google Cloud Storage (t/helper/gcs-stub.py) ----------------------------
#
#	objstore_have_gcs || test_skip_all "no python3-cryptography or ../shared"
#	gcs_start [STUB OPTIONS] || bail "cannot start the GCS stub"
#	gcs_put_tree tables/t1 delta tbl/t1
#
# gcs_start: the fake Google token endpoint of the shared signing vectors
# (scripts/fake_google_token_server.py, JWT-bearer grant, /tokeninfo) and
# t/helper/gcs-stub.py (the GCS JSON API over files, V4 signed URLs),
# everything in $TRASH/gcs: sa.json (the conformance test service account,
# its token_uri pointed at our token server), token.out and token.log (the
# token server's output and its JSON request log), stub.out, stub.log
# (one line a request: METHOD PATH STATUS [signed]), stub.pid and data/
# (the objects: data/BUCKET/NAME).  Options are passed on to the stub, e.g.
# --fail 2, --page-size 3, --hmac ID:SECRET (the default is
# $GCS_HMAC_ID:$GCS_HMAC_SECRET).  Calling it again restarts both servers
# with the new options; data/ stays, stub.log starts empty.  Sets
# GCS_ENDPOINT (http://127.0.0.1:PORT; JSON API under /storage/v1/,
# signed URLs as $GCS_ENDPOINT/BUCKET/NAME?X-Goog-...), GCS_PORT,
# GCS_TOKEN_URI (http://127.0.0.1:TPORT/token), GCS_SA_JSON (sa.json),
# GCS_ROOT (data/), GCS_LOG (stub.log), GCS_HMAC_ID, GCS_HMAC_SECRET and
# GCS_DIR.  gcs_stop stops both, by pid.
#
# Data: gcs_make_bucket BUCKET; gcs_put_tree LOCALDIR BUCKET [PREFIX]
# copies a tree into $GCS_ROOT/BUCKET/PREFIX with cp -a (mtimes kept: they
# are the objects' "updated" times).  Both work before gcs_start too.

GCS_STUB=$DS_SRC_DIR/t/helper/gcs-stub.py
GCS_TOKEN_SERVER=$SHARED_DIR/signing-vectors/scripts/fake_google_token_server.py
GCS_CONFORMANCE_KEY=$SHARED_DIR/signing-vectors/googleapis-conformance-tests/test_service_account.not-a-test.json
GCS_DIR=$TRASH/gcs
GCS_ROOT=$GCS_DIR/data
GCS_LOG=$GCS_DIR/stub.log
GCS_SA_JSON=$GCS_DIR/sa.json
GCS_HMAC_ID=GOOG1EDSTESTGCSHMACACCESSID01
GCS_HMAC_SECRET=dsTestGcsHmacSecret/Key+0123456789abcdef
GCS_PID=
GCS_TOKEN_PID=

objstore_have_gcs() {
	[ -x "$OBJSTORE_PYTHON" ] &&
	    "$OBJSTORE_PYTHON" -c 'import cryptography' >/dev/null 2>&1 &&
	    [ -f "$GCS_TOKEN_SERVER" ] && [ -f "$GCS_CONFORMANCE_KEY" ]
}

objstore_have_gcs && test_set_prereq GCS

gcs_start() {
	test_toplevel gcs_start || return 1
	objstore_have_gcs || {
		echo "gcs_start: no python3-cryptography, or no $GCS_TOKEN_SERVER" >&2
		return 1
	}
	# The stub picks its own port (--port 0); the token server's must be
	# known beforehand (it is in sa.json): retry when another took it.
	objstore_retry gcs 5 "$@" && return 0
	objstore_tail "$GCS_DIR/token.out" "$GCS_DIR/stub.out"
	return 1
}

gcs_try() {
	gcs_stop
	mkdir -p "$GCS_ROOT" || return 1
	GCS_TOKEN_PORT=$(test_free_port) || return 1
	GCS_TOKEN_URI=http://127.0.0.1:$GCS_TOKEN_PORT/token
	"$OBJSTORE_PYTHON" -c '
import json, sys
info = json.load(open(sys.argv[1]))
info["token_uri"] = sys.argv[2]
with open(sys.argv[3], "w") as f:
    json.dump(info, f, indent=1)
    f.write("\n")' "$GCS_CONFORMANCE_KEY" "$GCS_TOKEN_URI" "$GCS_SA_JSON" ||
		return 1

	"$OBJSTORE_PYTHON" "$GCS_TOKEN_SERVER" --port "$GCS_TOKEN_PORT" \
	    --key "$GCS_SA_JSON" --log "$GCS_DIR/token.log" \
	    >"$GCS_DIR/token.out" 2>&1 &
	GCS_TOKEN_PID=$!
	echo "$GCS_TOKEN_PID" >"$GCS_DIR/token.pid"
	# It says so once it listens; it exits when the port is taken.
	test_poll "! test_alive $GCS_TOKEN_PID || grep -q \
	    'listening on http://127.0.0.1:$GCS_TOKEN_PORT/token' '$GCS_DIR/token.out'" \
	    30 || return 1
	test_alive "$GCS_TOKEN_PID" || return 1
	# And answers HTTP (no token: 400).
	test_poll "! test_alive $GCS_TOKEN_PID || curl -s -m 5 -o /dev/null \
	    http://127.0.0.1:$GCS_TOKEN_PORT/tokeninfo" 30 || return 1
	test_alive "$GCS_TOKEN_PID" || return 1

	: >"$GCS_LOG"
	rm -f "$GCS_DIR/stub.pid"
	"$OBJSTORE_PYTHON" "$GCS_STUB" --port 0 --root "$GCS_ROOT" \
	    --key "$GCS_SA_JSON" \
	    --tokeninfo "http://127.0.0.1:$GCS_TOKEN_PORT/tokeninfo" \
	    --hmac "$GCS_HMAC_ID:$GCS_HMAC_SECRET" --log "$GCS_LOG" \
	    --pidfile "$GCS_DIR/stub.pid" "$@" >"$GCS_DIR/stub.out" 2>&1 &
	GCS_PID=$!
	# "ready PORT" once it listens.
	test_poll "! test_alive $GCS_PID || grep -q '^ready [0-9]' '$GCS_DIR/stub.out'" \
	    30 || return 1
	test_alive "$GCS_PID" || return 1
	GCS_PORT=$(sed -n 's/^ready \([0-9][0-9]*\)$/\1/p' "$GCS_DIR/stub.out")
	[ -n "$GCS_PORT" ] || return 1
	GCS_ENDPOINT=http://127.0.0.1:$GCS_PORT
	export GCS_ENDPOINT GCS_PORT GCS_TOKEN_URI GCS_SA_JSON GCS_ROOT GCS_LOG \
	    GCS_HMAC_ID GCS_HMAC_SECRET GCS_DIR
	# And accepts connections (a bare connect: no request, nothing in
	# stub.log, no --fail attempt used up).
	test_poll "! test_alive $GCS_PID || perl -MIO::Socket::INET -e '
	    IO::Socket::INET->new(PeerAddr => \"127.0.0.1:$GCS_PORT\",
		Proto => \"tcp\", Timeout => 5) or exit 1'" 30 || return 1
	test_alive "$GCS_PID"
}

gcs_stop() {
	if [ -n "$GCS_PID" ]; then
		objstore_stop_pid "$GCS_PID" "$GCS_STUB"
		rm -f "$GCS_DIR/stub.pid"
		GCS_PID=
	fi
	if [ -n "$GCS_TOKEN_PID" ]; then
		objstore_stop_pid "$GCS_TOKEN_PID" "$GCS_TOKEN_SERVER"
		rm -f "$GCS_DIR/token.pid"
		GCS_TOKEN_PID=
	fi
	return 0
}

gcs_make_bucket() {
	mkdir -p "$GCS_ROOT/$1"
}

gcs_put_tree() {
	[ -d "$1" ] || { echo "gcs_put_tree: not a directory: $1" >&2; return 1; }
	mkdir -p "$GCS_ROOT/$2/${3-}" &&
	cp -a "$1/." "$GCS_ROOT/$2/${3-}/"
}

# gcs_fail N: from now on, the first N attempts of each distinct request
# answer 503 (0: none).
gcs_fail() {
	curl -s -f -X POST -o /dev/null "$GCS_ENDPOINT/_stub/fail?n=$1"
}

# --- tables and checks the store tests share -------------------------------

# objstore_make_tables: two tables under $TRASH/tables made by mktable:
# demo (one commit) and hist (6 commits with deletion vectors and
# checkpoints); mktable's summaries in demo.mk and hist.mk.
# objstore_rows NAME: the live rows of one of them.
objstore_make_tables() {
	"$DS_BUILD_DIR/src/mktable" --seed 1 "$TRASH/tables/demo" >demo.mk &&
	"$DS_BUILD_DIR/src/mktable" --commits 6 --deletes \
	    --checkpoint-every 3 --last-checkpoint --seed 2 \
	    "$TRASH/tables/hist" >hist.mk
}
objstore_rows() {
	sed -n "s/.*, \([0-9]*\) live rows.*/\1/p" "$1.mk" 2>/dev/null
}

# objstore_cmp_urls URLFILE BASE LOCALDIR: fetch every URL of URLFILE
# and compare its bytes with the file its path names: the part after
# BASE, percent-decoded, under LOCALDIR.  At least one URL is needed.
objstore_cmp_urls() {
	_oc_n=0
	while read -r _oc_url; do
		curl -s -f -o got "$_oc_url" &&
		_oc_key=$(printf "%s" "$_oc_url" | sed "s|^$2||; s|?.*||") &&
		_oc_local=$("$OBJSTORE_PYTHON" -c "import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))" "$_oc_key") &&
		cmp got "$3/$_oc_local" &&
		_oc_n=$((_oc_n + 1)) || return 1
	done <"$1"
	test "$_oc_n" -gt 0
}

# objstore_tamper URL PARAM: URL with the first character of PARAM's
# value changed, to "0" (or "1" if it was "0"), a character valid in
# hex and in base64, so the store sees a well-formed but wrong
# signature.  A leading %XX escape counts as one character.
objstore_tamper() {
	printf "%s" "$1" | sed "s/\([?&]$2=\)0/\11/; t; s/\([?&]$2=\)\(%..\|.\)/\10/"
}

# The table checks every store test makes, with the test's own dsc (the
# strict client as recipient r1 of share s, schema d) and the admin's
# api.  objstore_check_history URLBASE: hist in delta format, at its
# head, at version 4 (deletion vectors whose URLs start with URLBASE)
# and from version 1.  objstore_check_proxy: demo served through
# deltashare's own /files URLs while its fileAccess is "proxy".
objstore_check_history() {
	dsc --format delta --reader-features deletionvectors --rows \
	    query s d hist >out.json &&
	jq -e ".rows == $(objstore_rows hist)" out.json &&
	dsc --format delta --reader-features deletionvectors --rows \
	    query s d hist --body "{\"version\":4}" >out.json &&
	jq -e ".version == 4 and ([.files[] | select(.deletionVector != null) |
	    .deletionVector.pathOrInlineDv | startswith(\"$1\")] |
	    length > 0 and all)" out.json &&
	dsc --format delta --reader-features deletionvectors --fetch \
	    query s d hist --body "{\"startingVersion\":1}" >out.json &&
	jq -e "[.files[].version] | min == 1" out.json ||
	{ cat out.json >&2; return 1; }
}
objstore_check_proxy() {
	DS_TOKEN=$ADMIN_TOKEN &&
	api PATCH /admin/tables/demo "{\"fileAccess\":\"proxy\"}" &&
	expect_status 200 && expect_json ".fileAccess == \"proxy\"" &&
	dsc --rows query s d demo >out.json &&
	jq -e ".rows == $(objstore_rows demo)" out.json &&
	jq -r ".files[].url" out.json >purls &&
	! grep -v "^$DS_URL/files/" purls &&
	api PATCH /admin/tables/demo "{\"fileAccess\":\"presigned\"}" &&
	expect_status 200
}
