#!/usr/bin/env python3
# ds-client-selftest.py: checks t/helper/ds-client.py itself, without
# deltashare.  A tiny HTTP server (127.0.0.1, ephemeral port, in a thread)
# serves canned Delta Sharing answers, good and broken, plus the files they
# point to (a hand-made Parquet file, deletion vectors, and a real .parquet
# from the shared Delta tables when present); each case runs ds-client and
# checks its exit status (0 good, 1 rule broken, 3 HTTP error) and output.
# Prints TAP.  Standard library only.
#
#	python3 t/helper/ds-client-selftest.py [-v]

import concurrent.futures
import contextlib
import glob
import hashlib
import http.server
import importlib.util
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "ds-client.py")
SHARED = os.environ.get("DS_SHARED_DIR",
                        os.path.join(HERE, "..", "..", "..", "shared"))
VERBOSE = "-v" in sys.argv[1:]
TOKEN = "selftest-token"
NDJSON_CT = "application/x-ndjson; charset=utf-8"
JSON_CT = "application/json; charset=utf-8"

# ---------------------------------------------------------------- Thrift

T_BOOL, T_I8, T_I16, T_I32, T_I64, T_DOUBLE, T_BIN = 1, 3, 4, 5, 6, 7, 8
T_LIST, T_SET, T_MAP, T_STRUCT = 9, 10, 11, 12


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zz(n):
    return varint((n << 1) ^ (n >> 63))


def enc(t, v):
    if t == T_BOOL:
        return bytes([1 if v else 2])
    if t == T_I8:
        return struct.pack("<b", v)
    if t in (T_I16, T_I32, T_I64):
        return zz(v)
    if t == T_DOUBLE:
        return struct.pack("<d", v)
    if t == T_BIN:
        v = v.encode() if isinstance(v, str) else v
        return varint(len(v)) + v
    if t in (T_LIST, T_SET):
        et, items = v
        h = bytes([(len(items) << 4) | et]) if len(items) < 15 else \
            bytes([0xF0 | et]) + varint(len(items))
        return h + b"".join(enc(et, i) for i in items)
    if t == T_MAP:
        kt, vt, pairs = v
        if not pairs:
            return b"\x00"
        return varint(len(pairs)) + bytes([(kt << 4) | vt]) + b"".join(
            enc(kt, k) + enc(vt, x) for k, x in pairs)
    if t == T_STRUCT:
        return tstruct(v)
    raise ValueError(t)


def tstruct(fields):
    out = bytearray()
    last = 0
    for fid, t, v in fields:
        tt = (1 if v else 2) if t == T_BOOL else t
        d = fid - last
        if 0 < d <= 15:
            out.append((d << 4) | tt)
        else:
            out.append(tt)
            out += zz(fid)
        last = fid
        if t != T_BOOL:
            out += enc(t, v)
    out.append(0)
    return bytes(out)


def make_parquet(num_rows):
    """A Parquet file whose footer is well formed (no real column data),
    with unknown fields of every compact type for the skipper."""
    schema = [
        [(4, T_BIN, "schema"), (5, T_I32, 1)],
        [(1, T_I32, 1), (3, T_I32, 1), (4, T_BIN, "id"),
         (10, T_STRUCT, [(10, T_STRUCT, [(1, T_I8, 32), (2, T_BOOL, True)])])],
    ]
    rg = [(1, T_LIST, (T_STRUCT, [])), (2, T_I64, 40), (3, T_I64, num_rows),
          (40, T_STRUCT, [(1, T_BOOL, False), (2, T_I16, -7)])]
    fmd = tstruct([
        (20, T_DOUBLE, 2.5),
        (21, T_MAP, (T_BIN, T_I32, [("a", 1), ("b", -2)])),
        (22, T_SET, (T_BOOL, [True, False, True])),
        (23, T_BOOL, False),
        (24, T_LIST, (T_I64, list(range(20)))),
        (1, T_I32, 1),
        (2, T_LIST, (T_STRUCT, schema)),
        (3, T_I64, num_rows),
        (4, T_LIST, (T_STRUCT, [rg])),
        (5, T_LIST, (T_STRUCT, [[(1, T_BIN, "k"), (2, T_BIN, "v")]])),
        (6, T_BIN, "ds-client-selftest"),
    ])
    return b"PAR1" + b"\x00" * 40 + fmd + struct.pack("<I", len(fmd)) + b"PAR1"


# ---------------------------------------------------------------- DVs

def roaring_dv(rows):
    """A RoaringBitmapArray (portable) holding the given small row ids."""
    vals = sorted(rows)
    bm = struct.pack("<II", 12346, 1) + struct.pack("<HH", 0, len(vals) - 1) \
        + struct.pack("<I", 0) + struct.pack("<%dH" % len(vals), *vals)
    return struct.pack("<iq", 1681511377, 1) + struct.pack("<I", 0) + bm


def roaring_bitmap_dv(vals):
    """One bitmap container (more than 4096 values below 65536)."""
    bits = 0
    for v in vals:
        bits |= 1 << v
    bm = struct.pack("<II", 12346, 1) + struct.pack("<HH", 0, len(vals) - 1) \
        + struct.pack("<I", 0) + bits.to_bytes(8192, "little")
    return struct.pack("<iq", 1681511377, 1) + struct.pack("<I", 0) + bm


def roaring_run_dv(start, n):
    """One run container (the cookie with run flags, no offset header)."""
    bm = struct.pack("<I", 12347) + bytes([1]) + struct.pack("<HH", 0, n - 1) \
        + struct.pack("<HHH", 1, start, n - 1)
    return struct.pack("<iq", 1681511377, 1) + struct.pack("<I", 0) + bm


def dv_file(*datas):
    out = b"\x01"
    for d in datas:
        out += struct.pack(">I", len(d)) + d + struct.pack(">I", zlib.crc32(d))
    return out


Z85 = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
       ".-:+=^!/*?&<>()[]{}@%$#")


def z85(b):
    assert len(b) % 4 == 0
    out = []
    for i in range(0, len(b), 4):
        n = int.from_bytes(b[i:i + 4], "big")
        g = []
        for _ in range(5):
            g.append(Z85[n % 85])
            n //= 85
        out.append("".join(reversed(g)))
    return "".join(out)


# ---------------------------------------------------------------- server

ROUTES = {}     # path (no query) -> fn(handler, query, body) -> (st, hdrs, body)
FILES = {}      # /files/NAME -> bytes
NORANGE = set()
SEEN = {}       # path -> list of request header dicts
SEEN_LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, st, hdrs, body):
        self.send_response(st)
        has_len = False
        for k, v in hdrs:
            self.send_header(k, v)
            has_len |= k.lower() == "content-length"
        if not has_len:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with SEEN_LOCK:
            SEEN.setdefault(u.path, []).append(
                {k.lower(): v for k, v in self.headers.items()})
        if u.path in FILES:
            if "Authorization" in self.headers:
                return self.reply(403, [], b"no auth on files")
            data = FILES[u.path]
            rng = self.headers.get("Range")
            if rng and u.path not in NORANGE:
                a, b = rng.split("=")[1].split("-")
                a, b = int(a), min(int(b), len(data) - 1)
                return self.reply(206, [
                    ("Content-Range", "bytes %d-%d/%d" % (a, b, len(data))),
                    ("Accept-Ranges", "bytes")], data[a:b + 1])
            h = [] if u.path in NORANGE else [("Accept-Ranges", "bytes")]
            return self.reply(200, h, data)
        fn = ROUTES.get(u.path)
        if fn is None:
            return self.reply(404, [("Content-Type", JSON_CT)], json.dumps(
                {"errorCode": "RESOURCE_DOES_NOT_EXIST",
                 "message": "no route %s" % u.path}).encode())
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.reply(401, [("Content-Type", JSON_CT)],
                              b'{"errorCode":"UNAUTHENTICATED","message":"x"}')
        st, hdrs, out = fn(urllib.parse.parse_qs(u.query), body)
        self.reply(st, hdrs, out)

    do_GET = do_POST = do_HEAD = handle_any


def start_server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv


# ---------------------------------------------------------------- fixtures

def nd(*objs, newline=True):
    s = "\n".join(json.dumps(o, separators=(",", ":")) for o in objs)
    return (s + ("\n" if newline else "")).encode()


def table(path, lines, version="5", ct=NDJSON_CT, caps="responseformat=parquet",
          extra=(), status=200):
    hdrs = [("Content-Type", ct)]
    if version is not None:
        hdrs.append(("Delta-Table-Version", version))
    if caps is not None:
        hdrs.append(("delta-sharing-capabilities", caps))
    hdrs += list(extra)
    body = lines if isinstance(lines, bytes) else nd(*lines)
    ROUTES["/ds/shares/s/schemas/sc/tables/" + path] = \
        lambda qs, b: (status, hdrs, body)


def setup(base):
    now = int(time.time() * 1000)
    exp = now + 3600 * 1000
    pq = make_parquet(3)
    FILES["/files/a.parquet"] = pq
    FILES["/files/b.parquet"] = pq
    FILES["/files/nr.parquet"] = pq
    NORANGE.add("/files/nr.parquet")
    dvdata = roaring_dv([0, 2])
    FILES["/files/dv.bin"] = dv_file(dvdata)
    furl = base + "/files/a.parquet"
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
    sha = lambda s: hashlib.sha256(s.encode()).hexdigest()

    schema = json.dumps({"type": "struct", "fields": [
        {"name": "id", "type": "integer", "nullable": True, "metadata": {}},
        {"name": "p", "type": "string", "nullable": True, "metadata": {}}]})
    proto = {"protocol": {"minReaderVersion": 1}}
    meta = {"metaData": {"id": "t-1", "format": {"provider": "parquet"},
                         "schemaString": schema, "partitionColumns": ["p"],
                         "configuration": {}}}
    metav = {"metaData": dict(meta["metaData"], version=2)}

    def pfile(name="a.parquet", **kw):
        f = {"url": base + "/files/" + name, "id": md5(name),
             "partitionValues": {"p": "x"}, "size": len(pq),
             "stats": json.dumps({"numRecords": 3}),
             "expirationTimestamp": exp}
        f.update(kw)
        return {"file": f}

    # discovery
    def shares(qs, b):
        if qs.get("pageToken") == ["p2"]:
            doc = {"items": [{"name": "s2", "id": "x"}]}
        else:
            doc = {"items": [{"name": "s1"}], "nextPageToken": "p2"}
        return 200, [("Content-Type", JSON_CT)], json.dumps(doc).encode()
    ROUTES["/ds/shares"] = shares
    ROUTES["/ds/shares/s/schemas"] = lambda qs, b: (
        200, [("Content-Type", JSON_CT)],
        b'{"items":[{"name":"sc","share":"s"},{"name":"bad"}]}')
    ROUTES["/ds/shares/s/schemas/sc/tables/t/version"] = lambda qs, b: (
        200, [("Delta-Table-Version", "7")], b"")

    # metadata
    table("t/metadata", [proto, meta])
    # parquet query: good, and broken variants
    table("t/query", [proto, meta, pfile(), pfile("b.parquet")])
    table("nover/query", [proto, meta, pfile()], version=None)
    table("ct/query", [proto, meta, pfile()], ct="application/json")
    table("stray/query", [proto, meta, pfile(),
                          {"endStreamAction": {"minUrlExpirationTimestamp": exp}}])
    table("statsobj/query", [proto, meta, pfile(stats={"numRecords": 3})])
    table("nonl/query", nd(proto, meta, pfile(), newline=False))
    table("fmt/query", [proto, meta, pfile()], caps="responseformat=delta")
    table("idhash/query", [proto, meta, pfile()])
    table("idhash64/query", [proto, meta, pfile(id=sha("a.parquet"))],
          extra=[("fileidhash", "delta")])
    table("es/query", [proto, meta, pfile(), pfile("b.parquet"),
                       {"endStreamAction": {"minUrlExpirationTimestamp": exp}}],
          caps="responseformat=parquet;includeendstreamaction=true")
    table("esmissing/query", [proto, meta, pfile()],
          caps="responseformat=parquet;includeendstreamaction=true")
    table("esmin/query", [proto, meta, pfile(),
                          {"endStreamAction": {"minUrlExpirationTimestamp": exp + 1}}],
          caps="responseformat=parquet;includeendstreamaction=true")
    table("expired/query", [proto, meta, pfile(expirationTimestamp=now - 1000)])
    table("badsize/query", [proto, meta, pfile(size=len(pq) + 1)])
    table("ws/query", nd(proto, meta) + b'{"file": {}}\n')
    table("idlen/query", [proto, meta, pfile(id="abc")])
    table("norange/query", [proto, meta, pfile("nr.parquet")])
    table("pv/query", [proto, meta, pfile(partitionValues={"p": 1})])
    ROUTES["/ds/shares/s/schemas/sc/tables/gone/query"] = lambda qs, b: (
        404, [("Content-Type", JSON_CT)],
        b'{"errorCode":"RESOURCE_DOES_NOT_EXIST","message":"no table"}')
    ROUTES["/ds/shares/s/schemas/sc/tables/err/query"] = lambda qs, b: (
        500, [("Content-Type", "text/plain")], b"Internal Server Error")

    # delta query with a DV on disk and an inline DV
    dproto = {"protocol": {"deltaProtocol": {
        "minReaderVersion": 3, "minWriterVersion": 7,
        "readerFeatures": ["deletionVectors"],
        "writerFeatures": ["deletionVectors"]}}}
    dmeta = {"metaData": {"deltaMetadata": {
        "id": "t-1", "format": {"provider": "parquet", "options": {}},
        "schemaString": schema, "partitionColumns": ["p"],
        "configuration": {"delta.enableDeletionVectors": "true"},
        "createdTime": now}}}

    def dfile(name, dv, **kw):
        add = {"path": base + "/files/" + name, "partitionValues": {"p": "x"},
               "size": len(FILES["/files/" + name]), "modificationTime": now, "dataChange": True,
               "stats": json.dumps({"numRecords": 3})}
        if dv is not None:
            add["deletionVector"] = dv
        f = {"id": sha(name), "expirationTimestamp": exp,
             "deltaSingleAction": {"add": add}}
        f.update(kw)
        return {"file": f}
    pdv = {"storageType": "p", "pathOrInlineDv": base + "/files/dv.bin",
           "offset": 1, "sizeInBytes": len(dvdata), "cardinality": 2}
    idv = {"storageType": "i", "pathOrInlineDv": z85(dvdata),
           "sizeInBytes": len(dvdata), "cardinality": 2}
    dcaps = "responseformat=delta"
    big = make_parquet(10000)
    FILES["/files/big1.parquet"] = big
    FILES["/files/big2.parquet"] = big
    bmdata = roaring_bitmap_dv(range(0, 10000, 2))
    rundata = roaring_run_dv(100, 300)
    FILES["/files/dv2.bin"] = dv_file(bmdata, rundata)
    bdv = {"storageType": "p", "pathOrInlineDv": base + "/files/dv2.bin",
           "offset": 1, "sizeInBytes": len(bmdata), "cardinality": 5000}
    rdv = dict(bdv, offset=1 + 4 + len(bmdata) + 4, sizeInBytes=len(rundata),
               cardinality=300)
    table("dbig/query", [dproto, dmeta, dict(dfile("big1.parquet", bdv)),
                         dfile("big2.parquet", rdv)], caps=dcaps)
    table("d/query", [dproto, dmeta, dfile("a.parquet", pdv),
                      dfile("b.parquet", idv)], caps=dcaps)
    table("du/query", [dproto, dmeta, dfile("a.parquet", dict(
        pdv, storageType="u", pathOrInlineDv="ab^-aqEH.-t@S}K{vb[*k^"))],
        caps=dcaps)
    table("dcard/query", [dproto, dmeta, dfile("a.parquet", dict(
        pdv, cardinality=1))], caps=dcaps)
    table("dpath/query", [dproto, dmeta, {"file": {
        "id": sha("a"), "deltaSingleAction": {"add": {
            "path": "a.parquet", "partitionValues": {}, "size": 1,
            "modificationTime": now, "dataChange": True}}}}], caps=dcaps)

    # changes (parquet)
    def cf(kind, name, v, ts, **kw):
        f = {"url": base + "/files/" + name, "id": md5(name),
             "partitionValues": {"p": "x"}, "size": len(pq), "version": v,
             "timestamp": ts, "expirationTimestamp": exp}
        f.update(kw)
        return {kind: f}
    table("c/changes", [proto, metav, cf("add", "a.parquet", 2, now - 5000),
                        cf("cdf", "b.parquet", 3, now - 4000),
                        cf("remove", "a.parquet", 4, now - 3000)], version="2")
    table("cmeta/changes", [proto, metav, cf("add", "a.parquet", 2, now - 5000),
                            {"metaData": dict(meta["metaData"], version=3)}],
          version="2")
    table("cmix/changes", [proto, metav, cf("add", "a.parquet", 2, now - 5000),
                           cf("cdf", "b.parquet", 2, now - 5000)], version="2")
    table("cnots/changes", [proto, metav, cf("add", "a.parquet", 2, now - 5000,
                                             timestamp=None)], version="2")

    # a real Parquet file from the shared tables, if any
    real = None
    for p in sorted(glob.glob(os.path.join(
            SHARED, "delta-tables", "*", "*", "delta", "*.parquet"))):
        if os.path.getsize(p) < 1 << 20:
            real = p
            break
    if real:
        with open(real, "rb") as f:
            rb = f.read()
        FILES["/files/real.parquet"] = rb
        table("real/query", [proto, dict(meta, metaData=dict(
            meta["metaData"], partitionColumns=[])), {"file": {
                "url": base + "/files/real.parquet", "id": md5("real"),
                "partitionValues": {}, "size": len(rb)}}])
    return real


# ---------------------------------------------------------------- cases

# Most cases run ds-client in this process (a Python start costs ~0.2 s);
# those in PROC_CASES run it as a real process, to check true exit codes.
PROC_CASES = {"parquet query with --rows", "stray endStreamAction",
              "HTTP 404 with a JSON error", "profile file"}
_MOD = None


def client_module():
    global _MOD
    if _MOD is None:
        sys.dont_write_bytecode = True     # no __pycache__ in the tree
        spec = importlib.util.spec_from_file_location("ds_client", CLIENT)
        _MOD = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_MOD)
    return _MOD


def run_client(argv, proc):
    if proc:
        p = subprocess.run([sys.executable, CLIENT] + argv,
                           capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr
    mod = client_module()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = mod.main(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    return rc, out.getvalue(), err.getvalue()


def cdf_tally_case():
    """cdf_tally on made-up lines: a cdc commit, plain adds and removes,
    a DV update (add and remove of one id), a commit before --cdf-min-ts,
    and a dataChange=false rewrite that makes no change."""
    class C:
        cdf_min_ts = 100
    F = lambda kind, v, fid, rows, dv=None, ts=200, types=(), dc=True: {
        "kind": kind, "version": v, "id": fid, "rows": rows, "dvRows": dv,
        "timestamp": ts, "changeTypes": list(types), "dataChange": dc}
    files = [F("add", 0, "x", 9, ts=50),
             F("add", 1, "a", 10), F("add", 1, "b", 5),
             F("cdf", 2, "c", 3, types=["update_preimage", "update_postimage",
                                        "delete"]), F("remove", 2, "a", 10),
             F("remove", 3, "b", 5, dv={1}), F("add", 3, "b", 3, dv={1, 2, 4}),
             F("remove", 4, "a", 10), F("add", 4, "d", 10, dc=False),
             F("remove", 5, "e", 4, dv={0, 3}), F("add", 5, "e", 3, dv={0})]
    want = ("1:insert=15 2:delete=1 2:update_postimage=1 2:update_preimage=1 "
            "3:delete=2 4:delete=10 5:insert=1")
    got = client_module().cdf_tally(C(), files)
    return ("cdf_tally: cdc commits, DV updates, --cdf-min-ts", got == want,
            "got %r" % got, "", "")


def main():
    srv = start_server()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    ep = base + "/ds/"          # trailing slash: the client strips it
    real = setup(base)
    tmp = tempfile.mkdtemp(prefix="ds-client-selftest.")
    prof = os.path.join(tmp, "p.share")
    with open(prof, "w") as f:
        json.dump({"shareCredentialsVersion": 1, "endpoint": ep,
                   "bearerToken": TOKEN}, f)

    T = "s sc".split()
    def Q(t, *a, post=()):
        return list(a) + ["query"] + T + [t] + list(post)

    def js(out):
        return json.loads(out)

    cases = [
        ("lists follow nextPageToken", ["shares"], 0,
         lambda o, e: [i["name"] for i in js(o)] == ["s1", "s2"] and
         SEEN["/ds/shares"][-1].get("authorization") == "Bearer " + TOKEN),
        ("schema item without share", ["schemas", "s"], 1, None),
        ("version prints Delta-Table-Version", ["version"] + T + ["t"], 0,
         lambda o, e: o.strip() == "7"),
        ("metadata parquet", ["metadata"] + T + ["t"], 0,
         lambda o, e: js(o)["metadata"]["id"] == "t-1" and
         js(o)["protocol"] == {"minReaderVersion": 1} and js(o)["lines"] == 2 and
         "delta-sharing-capabilities" not in SEEN[
             "/ds/shares/s/schemas/sc/tables/t/metadata"][-1]),
        ("parquet query with --rows", Q("t", "--rows"), 0,
         lambda o, e: js(o)["rows"] == 6 and
         [f["rows"] for f in js(o)["files"]] == [3, 3] and
         js(o)["files"][0]["kind"] == "file" and
         js(o)["files"][0]["stats"] == {"numRecords": 3} and
         js(o)["endStreamAction"] is None and js(o)["format"] == "parquet" and
         all("authorization" not in h for h in SEEN["/files/a.parquet"]) and
         any(h.get("range") == "bytes=0-3" for h in SEEN["/files/a.parquet"])),
        ("delta query with DVs (file and inline) and --rows",
         Q("d", "--format", "delta", "--reader-features", "deletionvectors",
           "--rows"), 0,
         lambda o, e: js(o)["rows"] == 2 and js(o)["format"] == "delta" and
         js(o)["files"][0]["deletionVector"]["cardinality"] == 2 and
         SEEN["/ds/shares/s/schemas/sc/tables/d/query"][-1].get(
             "delta-sharing-capabilities") ==
         "responseformat=delta;readerfeatures=deletionvectors" and
         all("authorization" not in h for h in SEEN["/files/dv.bin"])),
        ("DVs with bitmap and run containers, two in one file",
         Q("dbig", "--format", "delta", "--rows"), 0,
         lambda o, e: [f["rows"] for f in js(o)["files"]] == [5000, 9700]),
        ("missing Delta-Table-Version", Q("nover"), 1, None),
        ("wrong Content-Type", Q("ct"), 1, None),
        ("stray endStreamAction", Q("stray"), 1,
         lambda o, e: "stray-end-stream" in e),
        ("stats as an object", Q("statsobj"), 1,
         lambda o, e: "stats-string" in e),
        ("missing trailing newline", Q("nonl"), 1,
         lambda o, e: "ndjson-newline" in e),
        ("asked parquet, answered delta", Q("fmt", "--format", "parquet"), 1,
         lambda o, e: "capabilities" in e),
        ("no format asked, answered delta", Q("fmt"), 1, None),
        ("fileidhash not echoed", Q("idhash", "--fileidhash", "DELTA"), 1,
         lambda o, e: "fileidhash" in e),
        ("fileidhash echoed, 64-hex ids",
         Q("idhash64", "--fileidhash", " Delta"), 0,
         lambda o, e: js(o)["fileidhash"] == "delta"),
        ("endStreamAction asked and given", Q("es", "--end-stream"), 0,
         lambda o, e: js(o)["endStreamAction"]["minUrlExpirationTimestamp"] ==
         min(f["expirationTimestamp"] for f in js(o)["files"])),
        ("end stream declared but missing", Q("esmissing", "--end-stream"), 1,
         lambda o, e: "missing-end-stream" in e),
        ("end stream declared, not asked", Q("es"), 1, None),
        ("endStreamAction allowed by maxFiles",
         Q("stray", post=["--body", '{"maxFiles":5}']), 0, None),
        ("minUrlExpirationTimestamp mismatch", Q("esmin", "--end-stream"), 1,
         lambda o, e: "end-stream-min-expiration" in e),
        ("expired expirationTimestamp", Q("expired"), 1, None),
        ("--fetch: size differs from Content-Length",
         Q("badsize", "--fetch"), 1, lambda o, e: "fetch-content-length" in e),
        ("whitespace outside strings", Q("ws"), 1,
         lambda o, e: "ndjson-compact" in e),
        ("file id not 32 hex", Q("idlen"), 1, lambda o, e: "file-id" in e),
        ("--fetch: no Range support", Q("norange", "--fetch"), 1,
         lambda o, e: "fetch-ranges" in e),
        ("partition value not a string", Q("pv"), 1, None),
        ("HTTP 404 with a JSON error", Q("gone"), 3,
         lambda o, e: js(o)["errorCode"] == "RESOURCE_DOES_NOT_EXIST" and
         js(o)["status"] == 404 and js(o)["contentType"] == JSON_CT),
        ("HTTP 500 without a JSON body", Q("err"), 1,
         lambda o, e: "error-body" in e),
        ("DV storageType u", Q("du", "--format", "delta"), 1,
         lambda o, e: "deletion-vector" in e),
        ("DV cardinality differs from the bitmap",
         Q("dcard", "--format", "delta", "--fetch"), 1,
         lambda o, e: "deletion-vector" in e),
        ("delta path not a URL", Q("dpath", "--format", "delta"), 1,
         lambda o, e: "delta-path-url" in e),
        ("changes parquet with --rows",
         ["--rows", "changes"] + T + ["c", "--params", "startingVersion=2"], 0,
         lambda o, e: js(o)["rowsByKind"] == {"add": 3, "cdf": 3, "remove": 3}
         and [f["kind"] for f in js(o)["files"]] == ["add", "cdf", "remove"]),
        ("changes metaData without includeHistoricalMetadata",
         ["changes"] + T + ["cmeta", "--params", "startingVersion=2"], 1,
         lambda o, e: "historical-metadata" in e),
        ("changes metaData with includeHistoricalMetadata=True",
         ["changes"] + T + ["cmeta", "--params",
                            "startingVersion=2&includeHistoricalMetadata=True"],
         0, lambda o, e: len(js(o)["metadataLines"]) == 1),
        ("changes: cdf and add in one version",
         ["changes"] + T + ["cmix", "--params", "startingVersion=2"], 1, None),
        ("changes: add without timestamp",
         ["changes"] + T + ["cnots", "--params", "startingVersion=2"], 1, None),
        ("raw prints status and body", ["raw", "GET", "/shares/x/nothing"], 0,
         lambda o, e: js(o)["status"] == 404 and
         js(o)["json"]["errorCode"] == "RESOURCE_DOES_NOT_EXIST"),
        ("bad token gives exit 3", ["--token", "nope", "shares"], 3,
         lambda o, e: js(o)["status"] == 401),
    ]
    cases.append(("profile file", ["--profile", prof, "shares"], 0,
                  lambda o, e: len(js(o)) == 2))
    if real:
        cases.append(("real Parquet footer (%s)" % os.path.basename(real),
                      Q("real", "--rows"), 0, lambda o, e: js(o)["rows"] >= 0))

    def go(c):
        name, args, want, check = c
        proc = name in PROC_CASES
        if args[:1] != ["--profile"]:
            args = ["--endpoint", ep, "--token", TOKEN] + args
        rc, out, err = run_client(args, proc)
        ok = rc == want
        why = "exit %d, want %d" % (rc, want)
        if ok and check is not None:
            try:
                ok = bool(check(out, err))
            except Exception as ex:    # a failed check, reported as such
                ok = False
                why = "check raised %r" % ex
            else:
                why = "output check failed"
        return name, ok, why, out, err

    # Real processes in the background, the rest here, one at a time
    # (redirect_stdout is process-wide).
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        futs = {i: ex.submit(go, c) for i, c in enumerate(cases)
                if c[0] in PROC_CASES}
        results = [None if i in futs else go(c) for i, c in enumerate(cases)]
        for i, f in futs.items():
            results[i] = f.result()

    results.append(cdf_tally_case())
    n = len(results) + (0 if real else 1)
    print("1..%d" % n)
    failed = 0
    for i, (name, ok, why, out, err) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok or VERBOSE:
            failed += not ok
            for s in ((why,) if not ok else ()) + (out.strip(), err.strip()):
                for line in s.splitlines()[:20]:
                    print("# " + line)
    if not real:
        print("ok %d # skip real Parquet footer (no shared delta-tables)" % n)
    srv.shutdown()
    try:
        os.remove(prof)
        os.rmdir(tmp)
    except OSError:
        pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
