#!/usr/bin/env python3
# ds-client.py: a strict Delta Sharing test client for deltashare's
# black-box TAP tests (t/*.sh).  Python 3 standard library only.
#
# It talks to the server as a recipient, applies the parsing rules of the
# official clients (protocol-notes §0, §1.0, §1.6-§1.9, §1.11, §1.13,
# §1.14, §5.1, §5.2) to every answer, optionally follows every file and
# deletion-vector URL (--fetch) and counts rows from the Parquet footers
# (--rows).  Written for this project; no code from the official clients.
#
#   ds-client.py [--endpoint URL] [--token TOKEN] [--profile FILE]
#                [--format parquet|delta|delta,parquet|none]
#                [--reader-features LIST] [--end-stream] [--fileidhash VALUE]
#                [--fetch] [--rows] [--cdf [--cdf-min-ts MS]
#                --parquet-cat PATH] CMD ARGS...
#
# Commands: shares, share S, schemas S, tables S SC, all-tables S
# (lists take --max-results N), version S SC T [--starting-timestamp TS],
# metadata S SC T [--version N] [--timestamp TS], query S SC T [--body JSON],
# changes S SC T --params QUERYSTRING, raw METHOD PATH [--body JSON].
#
# Output (stdout, one JSON value):
#   lists: an array of the items of every page; share: the body;
#   version: the Delta-Table-Version number;
#   metadata/query/changes: {"status", "version" (Delta-Table-Version),
#     "format" ("parquet"|"delta"), "capabilities" (response header),
#     "fileidhash" (echo or null), "protocol" and "metadata" (lines 1 and 2,
#     inner objects), "files" (normalized: kind file|add|remove|cdf, id, url,
#     size, partitionValues, version, timestamp, expirationTimestamp, stats
#     (parsed), deletionVector, line; delta also action, dataChange,
#     deletionVectorFileId; "rows" with --rows), "metadataLines",
#     "protocolLines" (later metaData/protocol lines), "endStreamAction"
#     (or null), "lines", "notes" (oddities that break no rule), and with
#     --rows "rows" and "rowsByKind"; with --cdf "cdf", the change data
#     feed the lines make, as "VERSION:TYPE=ROWS" groups (see cdf_tally)};
#   raw: {"status", "headers" (lowercased names), "body", "json", "ndjson"}.
#
# Exit status: 0 all good; 1 a rule was broken (message on stderr: the rule,
# the reason, the offending line) or the server could not be reached;
# 2 usage; 3 the server answered HTTP >= 400 with a well-formed error body
# ({"status","errorCode","message","contentType"} on stdout).

import argparse
import json
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
import http.client

JSON_CT = "application/json; charset=utf-8"
NDJSON_CT = "application/x-ndjson; charset=utf-8"
USER_AGENT = "Delta-Sharing-Python/ds-client-test"
TIMEOUT = 60
HEX32 = re.compile(r"[0-9a-f]{32}")
HEX64 = re.compile(r"[0-9a-f]{64}")
ERROR_CODE = re.compile(r"[A-Z][A-Z0-9_]*")
DV_MAGIC = 1681511377


class Violation(Exception):
    def __init__(self, rule, msg, line=None, text=None):
        super().__init__(msg)
        self.rule = rule
        self.msg = msg
        self.line = line
        self.text = text


def fail(rule, msg, line=None, text=None):
    raise Violation(rule, msg, line, text)


class Usage(Exception):
    pass


# ---------------------------------------------------------------- HTTP

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER_API = urllib.request.build_opener(_NoRedirect())
_OPENER_FILES = urllib.request.build_opener()


class Response:
    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    def all(self, name):
        return self.headers.get_all(name) or []

    def one(self, name, rule):
        vals = self.all(name)
        if len(vals) > 1:
            fail(rule, "response header %s appears %d times: %r"
                 % (name, len(vals), vals))
        return vals[0] if vals else None


def http(method, url, headers, body=None, follow=False):
    hdrs = {"User-Agent": USER_AGENT}
    hdrs.update(headers)
    req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
    opener = _OPENER_FILES if follow else _OPENER_API
    try:
        resp = opener.open(req, timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        resp = e
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        fail("transport", "%s %s: %s" % (method, url, e))
    try:
        data = resp.read()
    except http.client.IncompleteRead as e:
        fail("body-length", "%s %s: body shorter than Content-Length "
             "(%d bytes read)" % (method, url, len(e.partial)))
    except (OSError, http.client.HTTPException) as e:
        fail("transport", "%s %s: reading the body: %s" % (method, url, e))
    finally:
        resp.close()
    status = getattr(resp, "status", None) or resp.code
    return Response(status, resp.headers, data, url)


def q(seg):
    return urllib.parse.quote(seg, safe="")


# ---------------------------------------------------------------- JSON

def _no_dup_pairs(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError("duplicate key %r" % k)
        out[k] = v
    return out


def _bad_constant(name):
    raise ValueError("non-JSON constant %s" % name)


def strict_loads(text):
    return json.loads(text, object_pairs_hook=_no_dup_pairs,
                      parse_constant=_bad_constant)


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')


def is_compact(line):
    return not re.search(r"[ \t\r\n]", _STRINGS.sub("", line))


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_http_url(v):
    if not isinstance(v, str):
        return False
    try:
        u = urllib.parse.urlsplit(v)
    except ValueError:
        return False
    return u.scheme in ("http", "https") and bool(u.netloc)


def truthy(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return v.strip().lower() == "true"
    return False


# ---------------------------------------------------------------- client

class Client:
    def __init__(self, args):
        endpoint = token = None
        if args.profile:
            endpoint, token = load_profile(args.profile)
        if args.endpoint:
            endpoint = args.endpoint
        if args.token is not None:
            token = args.token
        if not endpoint:
            raise Usage("no endpoint: give --endpoint or --profile")
        self.endpoint = endpoint.rstrip("/")
        self.token = token
        fmt = (args.format or "none").strip()
        if fmt.lower() == "none":
            self.formats = None
        else:
            self.formats = [f.strip().lower() for f in fmt.split(",")]
            for f in self.formats:
                if f not in ("parquet", "delta"):
                    raise Usage("--format: unknown format %r" % f)
        self.fmt_arg = fmt      # sent as given (the server lowercases)
        self.reader_features = args.reader_features
        self.end_stream = bool(args.end_stream)
        self.fileidhash = args.fileidhash
        self.cdf = bool(args.cdf)
        self.cdf_min_ts = args.cdf_min_ts
        self.parquet_cat = args.parquet_cat
        if self.cdf and not self.parquet_cat:
            raise Usage("--cdf needs --parquet-cat")
        self.rows = bool(args.rows) or self.cdf
        self.fetch = bool(args.fetch) or self.rows
        self.notes = []

    def caps_header(self):
        parts = []
        if self.formats is not None:
            parts.append("responseformat=" + self.fmt_arg)
        if self.reader_features:
            parts.append("readerfeatures=" + self.reader_features)
        if self.end_stream:
            parts.append("includeendstreamaction=true")
        return ";".join(parts) if parts else None

    def headers(self, table=False):
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if table:
            c = self.caps_header()
            if c is not None:
                h["delta-sharing-capabilities"] = c
            if self.fileidhash is not None:
                h["fileidhash"] = self.fileidhash
        return h

    def url(self, path):
        return self.endpoint + path


def load_profile(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = strict_loads(f.read())
    except (OSError, ValueError) as e:
        fail("profile", "%s: %s" % (path, e))
    if not isinstance(doc, dict):
        fail("profile", "%s: not a JSON object" % path)
    v = doc.get("shareCredentialsVersion")
    if not is_int(v) or v != 1:
        fail("profile", "%s: shareCredentialsVersion must be 1, got %r"
             % (path, v))
    for k in ("endpoint", "bearerToken"):
        if not isinstance(doc.get(k), str) or not doc[k]:
            fail("profile", "%s: %s missing or not a string" % (path, k))
    if not is_http_url(doc["endpoint"]):
        fail("profile", "%s: endpoint is not an http(s) URL" % path)
    if "expirationTime" in doc and not isinstance(doc["expirationTime"], str):
        fail("profile", "%s: expirationTime must be a string" % path)
    return doc["endpoint"], doc["bearerToken"]


def check_error(r):
    """HTTP >= 400: print the error and exit 3.  Other non-200: violation."""
    if r.status >= 400:
        ct = r.one("Content-Type", "error-body")
        try:
            doc = strict_loads(r.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            fail("error-body", "HTTP %d: body is not JSON (%s)" % (r.status, e),
                 text=r.body[:300].decode("utf-8", "replace"))
        if (not isinstance(doc, dict) or not isinstance(doc.get("errorCode"), str)
                or not isinstance(doc.get("message"), str)):
            fail("error-body", "HTTP %d: body is not {\"errorCode\":string,"
                 "\"message\":string}" % r.status,
                 text=r.body[:300].decode("utf-8", "replace"))
        if not ERROR_CODE.fullmatch(doc["errorCode"]):
            fail("error-body", "errorCode %r is not an upper-case code"
                 % doc["errorCode"])
        out = {"status": r.status, "errorCode": doc["errorCode"],
               "message": doc["message"], "contentType": ct}
        print(json.dumps(out))
        sys.exit(3)
    if r.status != 200:
        fail("status", "expected HTTP 200, got %d" % r.status,
             text=r.body[:300].decode("utf-8", "replace"))


def check_ct(r, want):
    ct = r.one("Content-Type", "content-type")
    if ct != want:
        fail("content-type", "Content-Type must be exactly %r, got %r"
             % (want, ct))


def table_version(r):
    v = r.one("Delta-Table-Version", "delta-table-version")
    if v is None:
        fail("delta-table-version", "header Delta-Table-Version missing "
             "(the Python client raises LookupError)")
    if not re.fullmatch(r"[0-9]{1,19}", v):
        fail("delta-table-version", "Delta-Table-Version %r is not an "
             "integer" % v)
    return int(v)


# ---------------------------------------------------------------- lists

LIST_NEEDS = {
    "shares": ("name",),
    "schemas": ("name", "share"),
    "tables": ("name", "share", "schema"),
    "all-tables": ("name", "share", "schema"),
}


def json_doc(r):
    check_ct(r, JSON_CT)
    try:
        text = r.body.decode("utf-8")
    except UnicodeDecodeError:
        fail("json", "body is not UTF-8")
    first = text[:-1] if text.endswith("\n") else text
    if "\n" in first:
        fail("json-one-line", "JSON body spans several lines (the Python "
             "client parses the first line only)", text=text[:300])
    try:
        doc = strict_loads(first)
    except ValueError as e:
        fail("json", "body is not valid JSON: %s" % e, text=text[:300])
    if not isinstance(doc, dict):
        fail("json", "body is not a JSON object", text=text[:300])
    return doc


def cmd_list(cl, what, path, max_results):
    needs = LIST_NEEDS[what]
    items = []
    token = None
    seen = set()
    while True:
        qs = []
        if max_results is not None:
            qs.append(("maxResults", str(max_results)))
        if token is not None:
            qs.append(("pageToken", token))
        url = cl.url(path) + ("?" + urllib.parse.urlencode(qs) if qs else "")
        r = http("GET", url, cl.headers())
        check_error(r)
        doc = json_doc(r)
        page = doc.get("items", [])
        if not isinstance(page, list):
            fail("list-items", "items is not an array")
        for i, it in enumerate(page):
            if not isinstance(it, dict):
                fail("list-items", "item %d is not an object" % i,
                     text=json.dumps(it))
            for k in needs:
                if not isinstance(it.get(k), str):
                    fail("list-items", "%s item %d lacks string %r"
                         % (what, i, k), text=json.dumps(it))
        items.extend(page)
        nt = doc.get("nextPageToken")
        if nt is None or nt == "":
            break
        if not isinstance(nt, str):
            fail("list-token", "nextPageToken is not a string: %r" % (nt,))
        if max_results == 0:
            cl.notes.append("maxResults=0: stopped after the first page")
            break
        if nt in seen:
            fail("list-token", "nextPageToken %r repeats: endless paging" % nt)
        seen.add(nt)
        token = nt
    print(json.dumps(items))


def cmd_share(cl, share):
    r = http("GET", cl.url("/shares/" + q(share)), cl.headers())
    check_error(r)
    doc = json_doc(r)
    s = doc.get("share")
    if not isinstance(s, dict) or not isinstance(s.get("name"), str):
        fail("share", "body lacks share.name", text=json.dumps(doc))
    print(json.dumps(doc))


def cmd_version(cl, base, starting_timestamp):
    url = cl.url(base + "/version")
    if starting_timestamp is not None:
        url += "?startingTimestamp=" + q(starting_timestamp)
    r = http("GET", url, cl.headers())
    check_error(r)
    print(table_version(r))


# ---------------------------------------------------------------- NDJSON

class Line:
    __slots__ = ("no", "text", "key", "val")

    def __init__(self, no, text, key, val):
        self.no, self.text, self.key, self.val = no, text, key, val


def parse_ndjson(body):
    if not body:
        fail("ndjson", "empty body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        fail("ndjson", "body is not UTF-8")
    if not text.endswith("\n"):
        last = text.rsplit("\n", 1)[-1]
        fail("ndjson-newline", "body does not end with \"\\n\"",
             text.count("\n") + 1, last)
    out = []
    for no, ln in enumerate(text[:-1].split("\n"), 1):
        if ln == "" or ln.strip() == "":
            fail("ndjson-empty-line", "empty line", no, ln)
        if not is_compact(ln):
            fail("ndjson-compact", "whitespace outside strings", no, ln)
        try:
            obj = strict_loads(ln)
        except ValueError as e:
            fail("ndjson-json", "not valid JSON: %s" % e, no, ln)
        if not isinstance(obj, dict):
            fail("ndjson-object", "line is not a JSON object", no, ln)
        if len(obj) != 1:
            fail("ndjson-one-key", "line must have exactly one top-level key, "
                 "has %d" % len(obj), no, ln)
        key = next(iter(obj))
        out.append(Line(no, ln, key, obj[key]))
    return out


def parse_caps(value):
    m = {}
    for part in value.lower().split(";"):
        kv = part.split("=")
        if len(kv) == 2:
            m[kv[0].strip()] = kv[1].strip()
    return m


# ---------------------------------------------------------------- checks

class Checker:
    """Validates the lines of one metadata/query/changes answer."""

    def __init__(self, cl, cmd, fmt, params):
        self.cl = cl
        self.cmd = cmd
        self.fmt = fmt
        self.params = params
        self.now = int(time.time() * 1000)
        h = (cl.fileidhash or "").strip().lower()
        if h == "parquet" or (h != "delta" and fmt == "parquet"):
            self.idre, self.idlen = HEX32, 32
        else:
            self.idre, self.idlen = HEX64, 64
        self.partition_columns = None
        self.files = []

    # -- helpers
    def need(self, obj, key, pred, what, ln):
        if key not in obj:
            fail(self.rule(ln), "%s lacks %r" % (what, key), ln.no, ln.text)
        if not pred(obj[key]):
            fail(self.rule(ln), "%s.%s has a bad value %r"
                 % (what, key, obj[key]), ln.no, ln.text)
        return obj[key]

    def opt(self, obj, key, pred, what, ln):
        if key in obj and not pred(obj[key]):
            fail(self.rule(ln), "%s.%s has a bad value %r"
                 % (what, key, obj[key]), ln.no, ln.text)
        return obj.get(key)

    def rule(self, ln):
        return "%s-%s-%s" % (self.cmd, self.fmt, ln.key)

    def expiry(self, v, what, ln):
        if v is None:
            return
        if not is_int(v):
            fail("expiration", "%s.expirationTimestamp is not an integer"
                 % what, ln.no, ln.text)
        if v <= self.now:
            fail("expiration", "%s.expirationTimestamp %d is not in the "
                 "future (now %d)" % (what, v, self.now), ln.no, ln.text)

    def schema(self, s, ln):
        try:
            sch = strict_loads(s)
        except ValueError as e:
            fail("schema-string", "schemaString is not JSON: %s" % e,
                 ln.no, ln.text)
        if (not isinstance(sch, dict) or sch.get("type") != "struct"
                or not isinstance(sch.get("fields"), list)):
            fail("schema-string", "schemaString is not a struct type with "
                 "fields", ln.no, ln.text)
        names = []
        for f in sch["fields"]:
            if not isinstance(f, dict) or not isinstance(f.get("name"), str) \
                    or "type" not in f:
                fail("schema-string", "schema field without name/type: %r"
                     % (f,), ln.no, ln.text)
            names.append(f["name"])
        return names

    def partition_values(self, pv, what, ln):
        if not isinstance(pv, dict):
            fail(self.rule(ln), "%s.partitionValues is not an object" % what,
                 ln.no, ln.text)
        for k, v in pv.items():
            if v is not None and not isinstance(v, str):
                fail(self.rule(ln), "%s.partitionValues[%r] is %r, not a "
                     "string or null" % (what, k, v), ln.no, ln.text)
        if self.fmt == "parquet" and self.partition_columns is not None:
            # remove actions may lack partition values in old logs
            if (set(pv) - set(self.partition_columns) if ln.key == "remove"
                    else set(pv) != set(self.partition_columns)):
                fail(self.rule(ln), "%s.partitionValues keys %r differ from "
                     "partitionColumns %r" % (what, sorted(pv),
                                              self.partition_columns),
                     ln.no, ln.text)

    def stats(self, v, what, ln):
        if v is None:
            return None
        if not isinstance(v, str):
            fail("stats-string", "%s.stats must be a string holding JSON, got "
                 "%s" % (what, type(v).__name__), ln.no, ln.text)
        try:
            st = strict_loads(v)
        except ValueError as e:
            fail("stats-string", "%s.stats is not JSON: %s" % (what, e),
                 ln.no, ln.text)
        if not isinstance(st, dict):
            fail("stats-string", "%s.stats is not a JSON object" % what,
                 ln.no, ln.text)
        return st

    def file_id(self, v, what, ln):
        if not isinstance(v, str) or not self.idre.fullmatch(v):
            fail("file-id", "%s.id %r is not %d lowercase hex chars"
                 % (what, v, self.idlen), ln.no, ln.text)
        return v

    # -- protocol and metaData
    def protocol(self, ln, need_version=False):
        p = ln.val
        if not isinstance(p, dict):
            fail(self.rule(ln), "protocol is not an object", ln.no, ln.text)
        if self.fmt == "parquet":
            if "deltaProtocol" in p:
                fail("format-mismatch", "deltaProtocol in a parquet-format "
                     "answer", ln.no, ln.text)
            v = self.need(p, "minReaderVersion", is_int, "protocol", ln)
            if v < 1 or v > 3:
                fail(self.rule(ln), "minReaderVersion %d: the Python client "
                     "refuses > 3" % v, ln.no, ln.text)
            if v > 1:
                self.cl.notes.append("line %d: parquet minReaderVersion %d "
                                     "(Spark's parquet path refuses > 2)"
                                     % (ln.no, v))
        else:
            dp = p.get("deltaProtocol")
            if not isinstance(dp, dict):
                fail(self.rule(ln), "protocol lacks deltaProtocol object "
                     "(delta format)", ln.no, ln.text)
            for k in p:
                if k not in ("deltaProtocol", "version"):
                    fail(self.rule(ln), "unexpected key %r in protocol" % k,
                         ln.no, ln.text)
            rv = self.need(dp, "minReaderVersion", is_int, "deltaProtocol", ln)
            self.need(dp, "minWriterVersion", is_int, "deltaProtocol", ln)
            for k in ("readerFeatures", "writerFeatures"):
                self.opt(dp, k, lambda x: isinstance(x, list) and all(
                    isinstance(e, str) for e in x), "deltaProtocol", ln)
            if rv >= 3 and "readerFeatures" not in dp:
                self.cl.notes.append("line %d: minReaderVersion %d without "
                                     "readerFeatures" % (ln.no, rv))
        if need_version:
            self.need(p, "version", is_int, "protocol", ln)
        else:
            self.opt(p, "version", is_int, "protocol", ln)
        return p

    def metadata(self, ln, need_version=False):
        m = ln.val
        if not isinstance(m, dict):
            fail(self.rule(ln), "metaData is not an object", ln.no, ln.text)
        if self.fmt == "parquet":
            if "deltaMetadata" in m:
                fail("format-mismatch", "deltaMetadata in a parquet-format "
                     "answer", ln.no, ln.text)
            inner, what = m, "metaData"
        else:
            inner = m.get("deltaMetadata")
            if not isinstance(inner, dict):
                fail(self.rule(ln), "metaData lacks deltaMetadata object "
                     "(delta format)", ln.no, ln.text)
            what = "deltaMetadata"
            for k in m:
                if k not in ("deltaMetadata", "version", "size", "numFiles",
                             "location", "auxiliaryLocations", "accessModes"):
                    fail(self.rule(ln), "unexpected key %r in metaData" % k,
                         ln.no, ln.text)
        self.need(inner, "id", lambda x: isinstance(x, str) and x != "",
                  what, ln)
        fmt = self.need(inner, "format", lambda x: isinstance(x, dict), what, ln)
        self.opt(fmt, "provider", lambda x: isinstance(x, str), what + ".format",
                 ln)
        names = self.schema(self.need(inner, "schemaString",
                                      lambda x: isinstance(x, str), what, ln), ln)
        pc = self.need(inner, "partitionColumns", lambda x: isinstance(x, list)
                       and all(isinstance(e, str) for e in x), what, ln)
        for c in pc:
            if c not in names:
                fail(self.rule(ln), "partition column %r is not a top-level "
                     "schema field" % c, ln.no, ln.text)
        self.opt(inner, "configuration", lambda x: isinstance(x, dict) and all(
            isinstance(e, str) for e in x.values()), what, ln)
        for k in ("name", "description"):
            self.opt(inner, k, lambda x: isinstance(x, str), what, ln)
        self.opt(inner, "createdTime", is_int, what, ln)
        for k in ("size", "numFiles"):
            self.opt(m, k, is_int, "metaData", ln)
        if need_version:
            self.need(m, "version", is_int, "metaData", ln)
        else:
            self.opt(m, "version", is_int, "metaData", ln)
        self.partition_columns = pc
        return m

    # -- file lines
    def pq_file(self, ln, need_vt):
        f = ln.val
        what = ln.key
        if not isinstance(f, dict):
            fail(self.rule(ln), "%s is not an object" % what, ln.no, ln.text)
        url = self.need(f, "url", is_http_url, what, ln)
        fid = self.file_id(self.need(f, "id", lambda x: True, what, ln), what, ln)
        pv = self.need(f, "partitionValues", lambda x: True, what, ln)
        self.partition_values(pv, what, ln)
        size = self.need(f, "size", lambda x: is_int(x) and x >= 0, what, ln)
        chk = self.need if need_vt else self.opt
        ver = chk(f, "version", lambda x: is_int(x) and x >= 0, what, ln)
        ts = chk(f, "timestamp", lambda x: is_int(x) and x >= 0, what, ln)
        exp = f.get("expirationTimestamp")
        self.expiry(exp, what, ln)
        st = self.stats(f.get("stats"), what, ln)
        rec = {"kind": ln.key, "id": fid, "url": url, "size": size,
               "partitionValues": pv, "version": ver, "timestamp": ts,
               "expirationTimestamp": exp, "stats": st,
               "deletionVector": None, "line": ln.no}
        self.files.append(rec)
        return rec

    def deletion_vector(self, dv, ln):
        if not isinstance(dv, dict):
            fail("deletion-vector", "deletionVector is not an object",
                 ln.no, ln.text)
        st = dv.get("storageType")
        if st == "p":
            if not is_http_url(dv.get("pathOrInlineDv")):
                fail("deletion-vector", "storageType p but pathOrInlineDv is "
                     "not an http(s) URL: %r" % dv.get("pathOrInlineDv"),
                     ln.no, ln.text)
            self.opt(dv, "offset", lambda x: is_int(x) and x >= 0,
                     "deletionVector", ln)
        elif st == "i":
            if not isinstance(dv.get("pathOrInlineDv"), str):
                fail("deletion-vector", "inline DV without pathOrInlineDv",
                     ln.no, ln.text)
        else:
            fail("deletion-vector", "storageType must be \"p\" (URL) or \"i\", "
                 "got %r" % (st,), ln.no, ln.text)
        self.need(dv, "sizeInBytes", lambda x: is_int(x) and x > 0,
                  "deletionVector", ln)
        self.need(dv, "cardinality", lambda x: is_int(x) and x >= 0,
                  "deletionVector", ln)
        return dv

    def delta_file(self, ln, need_vt, allowed, snapshot):
        f = ln.val
        if not isinstance(f, dict):
            fail(self.rule(ln), "file is not an object", ln.no, ln.text)
        for k in f:
            if k not in ("id", "version", "timestamp", "expirationTimestamp",
                         "deletionVectorFileId", "deltaSingleAction"):
                fail(self.rule(ln), "unexpected key %r in a delta file line"
                     % k, ln.no, ln.text)
        fid = self.file_id(self.need(f, "id", lambda x: True, "file", ln),
                           "file", ln)
        dsa = self.need(f, "deltaSingleAction", lambda x: isinstance(x, dict),
                        "file", ln)
        acts = [k for k in dsa if k in ("add", "remove", "cdc")]
        if len(dsa) != 1 or len(acts) != 1:
            fail(self.rule(ln), "deltaSingleAction must hold exactly one of "
                 "add/remove/cdc, has %r" % sorted(dsa), ln.no, ln.text)
        act = acts[0]
        if act not in allowed:
            fail(self.rule(ln), "deltaSingleAction.%s not allowed here "
                 "(allowed: %s)" % (act, "/".join(allowed)), ln.no, ln.text)
        a = dsa[act]
        what = "deltaSingleAction." + act
        if not isinstance(a, dict):
            fail(self.rule(ln), "%s is not an object" % what, ln.no, ln.text)
        url = a.get("path")
        if not is_http_url(url):
            fail("delta-path-url", "%s.path is not an http(s) URL: %r"
                 % (what, url), ln.no, ln.text)
        self.need(a, "dataChange", lambda x: isinstance(x, bool), what, ln)
        if act in ("add", "cdc"):
            pv = self.need(a, "partitionValues", lambda x: True, what, ln)
            size = self.need(a, "size", lambda x: is_int(x) and x >= 0, what, ln)
        else:
            pv = self.opt(a, "partitionValues", lambda x: True, what, ln)
            size = self.opt(a, "size", lambda x: is_int(x) and x >= 0, what, ln)
        if pv is not None:
            self.partition_values(pv, what, ln)
        if act == "add":
            self.need(a, "modificationTime", is_int, what, ln)
        st = self.stats(a.get("stats"), what, ln)
        dv = None
        if a.get("deletionVector") is not None:
            if act == "cdc":
                fail("deletion-vector", "a cdc action has a deletionVector",
                     ln.no, ln.text)
            dv = self.deletion_vector(a["deletionVector"], ln)
        self.opt(f, "deletionVectorFileId", lambda x: isinstance(x, str),
                 "file", ln)
        chk = self.need if need_vt else self.opt
        ver = chk(f, "version", lambda x: is_int(x) and x >= 0, "file", ln)
        ts = chk(f, "timestamp", lambda x: is_int(x) and x >= 0, "file", ln)
        exp = f.get("expirationTimestamp")
        self.expiry(exp, "file", ln)
        kind = {"add": "file" if snapshot else "add", "remove": "remove",
                "cdc": "cdf"}[act]
        rec = {"kind": kind, "action": act, "id": fid, "url": url, "size": size,
               "partitionValues": pv, "version": ver, "timestamp": ts,
               "expirationTimestamp": exp, "stats": st, "deletionVector": dv,
               "deletionVectorFileId": f.get("deletionVectorFileId"),
               "dataChange": a.get("dataChange"), "line": ln.no}
        self.files.append(rec)
        return rec

    def end_stream(self, ln):
        e = ln.val
        if not isinstance(e, dict):
            fail("end-stream", "endStreamAction is not an object", ln.no,
                 ln.text)
        for k in ("nextPageToken", "refreshToken", "errorMessage"):
            self.opt(e, k, lambda x: isinstance(x, str), "endStreamAction", ln)
        for k in ("minUrlExpirationTimestamp", "httpStatusErrorCode"):
            self.opt(e, k, is_int, "endStreamAction", ln)
        if e.get("errorMessage") is not None:
            fail("end-stream-error", "endStreamAction carries errorMessage %r: "
                 "the client must fail the query" % e["errorMessage"],
                 ln.no, ln.text)
        exps = [f["expirationTimestamp"] for f in self.files
                if f["expirationTimestamp"] is not None]
        mu = e.get("minUrlExpirationTimestamp")
        if self.files:
            if exps:
                if mu != min(exps):
                    fail("end-stream-min-expiration", "minUrlExpirationTimestamp "
                         "%r != minimum file expirationTimestamp %d"
                         % (mu, min(exps)), ln.no, ln.text)
            elif mu is not None:
                self.cl.notes.append("minUrlExpirationTimestamp given but no "
                                     "file has expirationTimestamp")
        elif mu is not None:
            fail("end-stream-min-expiration", "minUrlExpirationTimestamp "
                 "present but the answer has no file URL", ln.no, ln.text)
        return e


def end_stream_asked(cl, params):
    if cl.end_stream:
        return True
    for k in ("maxFiles", "max_files", "pageToken", "page_token",
              "refreshToken", "refresh_token"):
        if params.get(k) not in (None, ""):
            return True
    for k in ("includeRefreshToken", "include_refresh_token"):
        if truthy(params.get(k)):
            return True
    return False


def pget(params, *names):
    for n in names:
        if n in params:
            return params[n]
    return None


def as_version(v):
    if is_int(v):
        return v
    if isinstance(v, str) and re.fullmatch(r"[0-9]+", v.strip()):
        return int(v)
    return None


def check_stream_order(cl, files, start):
    """Commit-ordered file lines (startingVersion queries and changes)."""
    by_version = {}
    prev = None
    for f in files:
        v, ts = f["version"], f["timestamp"]
        if start is not None and v < start:
            fail("version-range", "%s line version %d is before the starting "
                 "version %d" % (f["kind"], v, start), f["line"])
        if prev is not None and v < prev:
            cl.notes.append("line %d: version %d after version %d (not in "
                            "commit order)" % (f["line"], v, prev))
        prev = v
        seen = by_version.setdefault(v, {"ts": ts, "kinds": set()})
        if seen["ts"] != ts:
            fail("commit-timestamp", "version %d has two timestamps: %d and %d"
                 % (v, seen["ts"], ts), f["line"])
        seen["kinds"].add(f["kind"])
    last_ts = None
    for v in sorted(by_version):
        ts = by_version[v]["ts"]
        if last_ts is not None and ts <= last_ts:
            cl.notes.append("version %d timestamp %d not after the previous "
                            "version's %d" % (v, ts, last_ts))
        last_ts = ts
        kinds = by_version[v]["kinds"]
        if "cdf" in kinds and ("add" in kinds or "remove" in kinds):
            fail("cdf-exclusive", "version %d has both cdf and add/remove "
                 "lines (a commit with CDC files gives cdf lines only)" % v)


def cmd_table(cl, cmd, base, method, path_suffix, body, params):
    url = cl.url(base + path_suffix)
    hdrs = cl.headers(table=True)
    data = None
    if method == "POST":
        hdrs["Content-Type"] = "application/json"
        data = body.encode("utf-8")
    r = http(method, url, hdrs, data)
    check_error(r)
    check_ct(r, NDJSON_CT)
    version = table_version(r)

    caps_raw = r.one("delta-sharing-capabilities", "capabilities")
    if caps_raw is None:
        fail("capabilities", "response lacks the delta-sharing-capabilities "
             "header")
    caps = parse_caps(caps_raw)
    fmt = caps.get("responseformat")
    if fmt not in ("parquet", "delta"):
        fail("capabilities", "response capabilities %r do not name one "
             "responseformat (parquet or delta)" % caps_raw)
    if cl.formats is None:
        if fmt != "parquet":
            fail("capabilities", "no responseformat asked, so the answer must "
                 "be parquet, got %r" % caps_raw)
    elif fmt not in cl.formats:
        fail("capabilities", "asked responseformat=%s, answered %r"
             % (cl.fmt_arg, caps_raw))
    if fmt == "parquet" and "delta" in caps_raw.lower():
        fail("capabilities", "a parquet answer's capabilities mention "
             "\"delta\" (the Python client would pick delta): %r" % caps_raw)
    resp_es = caps.get("includeendstreamaction") == "true"
    if resp_es and not cl.end_stream:
        fail("capabilities", "response declares includeendstreamaction=true "
             "but the request did not ask for it")

    echo = r.one("fileidhash", "fileidhash")
    if cl.fileidhash is not None:
        want = cl.fileidhash.strip().lower()
        if echo != want:
            fail("fileidhash", "fileidhash %r sent; response must echo %r, "
                 "got %r" % (cl.fileidhash, want, echo))

    lines = parse_ndjson(r.body)
    ck = Checker(cl, cmd, fmt, params)
    out = {"status": r.status, "version": version, "format": fmt,
           "capabilities": caps_raw, "fileidhash": echo}

    if len(lines) < 2 or lines[0].key != "protocol" or lines[1].key != "metaData":
        ln = lines[0] if lines[0].key != "protocol" or len(lines) < 2 else lines[1]
        fail("%s-lines" % cmd, "line 1 must be protocol and line 2 metaData",
             ln.no, ln.text)

    es_asked = end_stream_asked(cl, params) and cmd != "metadata"
    sv = None
    hist_meta = hist_proto = False
    if cmd == "query":
        sv_raw = pget(params, "startingVersion", "starting_version")
        if sv_raw is not None:
            sv = as_version(sv_raw)
            if sv is None:
                sv = -1
        hist_proto = truthy(pget(params, "includeHistoricalProtocol",
                                 "include_historical_protocol"))
        hist_meta = sv is not None
        tv = as_version(pget(params, "version"))
        if tv is not None and version != tv:
            fail("delta-table-version", "query at version %d answered "
                 "Delta-Table-Version %d" % (tv, version))
        if sv is not None and sv >= 0 and version != sv and \
                pget(params, "pageToken", "page_token") is None:
            fail("delta-table-version", "startingVersion %d query answered "
                 "Delta-Table-Version %d" % (sv, version))
    elif cmd == "changes":
        hist_meta = truthy(params.get("includeHistoricalMetadata"))
        hist_proto = truthy(params.get("includeHistoricalProtocol"))
    elif cmd == "metadata":
        tv = as_version(params.get("version"))
        if tv is not None and version != tv:
            fail("delta-table-version", "metadata at version %d answered "
                 "Delta-Table-Version %d" % (tv, version))

    streaming = cmd == "changes" or sv is not None
    out["protocol"] = ck.protocol(lines[0])
    out["metadata"] = ck.metadata(lines[1], need_version=streaming)
    meta_lines, proto_lines = [], []
    esa = None

    if cmd == "metadata":
        if len(lines) != 2:
            ln = lines[2]
            fail("metadata-lines", "a metadata answer has exactly 2 lines, got "
                 "%d" % len(lines), ln.no, ln.text)
    for ln in lines[2:]:
        if esa is not None:
            fail("end-stream", "a line after endStreamAction", ln.no, ln.text)
        k = ln.key
        if k == "endStreamAction":
            if not es_asked:
                fail("stray-end-stream", "endStreamAction although the client "
                     "asked for none (no includeendstreamaction, maxFiles or "
                     "includeRefreshToken; the Python parquet parser crashes "
                     "on it)", ln.no, ln.text)
            esa = ck.end_stream(ln)
            continue
        if k == "metaData" and streaming:
            if not hist_meta:
                fail("historical-metadata", "metaData line without "
                     "includeHistoricalMetadata", ln.no, ln.text)
            meta_lines.append(ck.metadata(ln, need_version=True))
            continue
        if k == "protocol" and streaming and fmt == "delta":
            if not hist_proto:
                fail("historical-protocol", "protocol line without "
                     "includeHistoricalProtocol", ln.no, ln.text)
            proto_lines.append(ck.protocol(ln, need_version=True))
            continue
        if fmt == "parquet":
            if cmd == "query" and sv is None:
                allowed = ("file",)
            elif cmd == "query":
                allowed = ("add", "remove")
            else:
                allowed = ("add", "cdf", "remove")
            if k not in allowed:
                fail("%s-parquet-lines" % cmd, "unexpected %r line (allowed "
                     "here: %s)" % (k, ", ".join(allowed + ("metaData",)
                                                 if streaming else allowed)),
                     ln.no, ln.text)
            ck.pq_file(ln, need_vt=streaming)
        else:
            if k != "file":
                fail("%s-delta-lines" % cmd, "unexpected %r line (delta format "
                     "allows file%s)" % (k, ", metaData" if streaming else ""),
                     ln.no, ln.text)
            if cmd == "query" and sv is None:
                allowed = ("add",)
            elif cmd == "query":
                allowed = ("add", "remove")
            else:
                allowed = ("add", "remove", "cdc")
            ck.delta_file(ln, need_vt=streaming, allowed=allowed,
                          snapshot=not streaming)
    if resp_es and cmd != "metadata" and esa is None:
        fail("missing-end-stream", "response declares includeendstreamaction="
             "true but the last line is not endStreamAction",
             lines[-1].no, lines[-1].text)
    if resp_es and cmd == "metadata":
        fail("capabilities", "metadata answer declares includeendstreamaction="
             "true but a metadata answer has exactly 2 lines")
    if streaming:
        check_stream_order(cl, ck.files, version if sv is None or sv >= 0
                           else None)

    out["files"] = ck.files
    out["metadataLines"] = meta_lines
    out["protocolLines"] = proto_lines
    out["endStreamAction"] = esa
    out["lines"] = len(lines)
    if cl.fetch:
        fetch_all(cl, ck.files, out)
    out["notes"] = cl.notes
    print(json.dumps(out))


# ---------------------------------------------------------------- fetching

def fetch(url, extra=None):
    """GET a file URL as a data reader would: no Authorization header."""
    return http("GET", url, dict(extra or {}), follow=True)


def fetch_data_file(f, first):
    url, size, line = f["url"], f["size"], f["line"]
    r = fetch(url)
    if r.status != 200:
        fail("fetch-status", "GET %s (no Authorization): HTTP %d, want 200"
             % (url, r.status), line)
    cl_hdr = r.one("Content-Length", "fetch-content-length")
    if cl_hdr is None or not re.fullmatch(r"[0-9]+", cl_hdr):
        fail("fetch-content-length", "GET %s: Content-Length missing or bad: "
             "%r" % (url, cl_hdr), line)
    n = int(cl_hdr)
    if size is not None and n != size:
        fail("fetch-content-length", "GET %s: Content-Length %d != the line's "
             "size %d" % (url, n, size), line)
    if len(r.body) != n:
        fail("fetch-body-length", "GET %s: body is %d bytes, Content-Length %d"
             % (url, len(r.body), n), line)
    b = r.body
    if len(b) < 12 or b[:4] != b"PAR1" or b[-4:] != b"PAR1":
        fail("fetch-parquet", "GET %s: not a Parquet file (PAR1 magic at both "
             "ends)" % url, line)
    if first:
        ar = r.one("Accept-Ranges", "fetch-ranges")
        if ar != "bytes":
            fail("fetch-ranges", "GET %s: Accept-Ranges %r, want 'bytes'"
                 % (url, ar), line)
        rr = fetch(url, {"Range": "bytes=0-3"})
        if rr.status != 206:
            fail("fetch-ranges", "GET %s Range bytes=0-3: HTTP %d, want 206"
                 % (url, rr.status), line)
        if rr.body != b"PAR1":
            fail("fetch-ranges", "GET %s Range bytes=0-3: body %r, want "
                 "b'PAR1'" % (url, rr.body[:16]), line)
        cr = rr.one("Content-Range", "fetch-ranges")
        want = "bytes 0-3/%d" % len(b)
        if cr != want:
            fail("fetch-ranges", "GET %s Range bytes=0-3: Content-Range %r, "
                 "want %r" % (url, cr, want), line)
        rl = rr.one("Content-Length", "fetch-ranges")
        if rl is not None and rl != "4":
            fail("fetch-ranges", "GET %s Range bytes=0-3: Content-Length %r"
                 % (url, rl), line)
    return b


def fetch_all(cl, files, out):
    dv_cache = {}
    first = True
    total = 0
    by_kind = {}
    for f in files:
        body = fetch_data_file(f, first)
        first = False
        dv = f.get("deletionVector")
        card = None
        maxrow = -1
        if dv is not None:
            f["dvRows"] = set() if cl.cdf else None
            card, maxrow = check_dv(dv, dv_cache, f["line"], f["dvRows"])
        if cl.rows:
            nrows = parquet_num_rows(body, f["url"], f["line"])
            st = f.get("stats")
            if isinstance(st, dict) and is_int(st.get("numRecords")) and \
                    st["numRecords"] != nrows:
                cl.notes.append("line %d: stats.numRecords %d but the file has "
                                "%d rows" % (f["line"], st["numRecords"], nrows))
            if dv is not None:
                if maxrow >= nrows:
                    fail("deletion-vector", "DV deletes row %d of a %d-row file"
                         % (maxrow, nrows), f["line"])
                nrows -= card
            f["rows"] = nrows
            total += nrows
            if cl.cdf and f["kind"] == "cdf":
                f["changeTypes"] = change_types(cl, f, body)
            by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + nrows
    if cl.rows:
        out["rows"] = total
        out["rowsByKind"] = by_kind
    if cl.cdf:
        out["cdf"] = cdf_tally(cl, files)
    for f in files:
        f.pop("dvRows", None)
        f.pop("changeTypes", None)


# ---------------------------------------------------------------- CDF

def change_types(cl, f, body):
    """The _change_type of each row of a cdc file: the column, read with
    our Parquet reader, or the partition value when the writer kept it
    there."""
    with tempfile.NamedTemporaryFile(suffix=".parquet") as tf:
        tf.write(body)
        tf.flush()
        r = subprocess.run([cl.parquet_cat, "--value", "_change_type",
                            tf.name], capture_output=True, text=True)
    if r.returncode != 0:
        fail("cdf-file", "%s: cannot read the cdc file: %s"
             % (f["url"], r.stderr.strip()), f["line"])
    types = [json.loads(x) for x in r.stdout.splitlines()]
    pv = f.get("partitionValues") or {}
    if not types and f["rows"] and isinstance(pv.get("_change_type"), str):
        types = [pv["_change_type"]] * f["rows"]
    if len(types) != f["rows"]:
        fail("cdf-file", "%s: %d _change_type values for %d rows"
             % (f["url"], len(types), f["rows"]), f["line"])
    return types


def cdf_tally(cl, files):
    """The change data feed rows per (commit version, _change_type), as
    kernel-rs, delta-rs and Spark make them from the lines: in a commit
    with cdf lines only those count, each row under its _change_type;
    otherwise adds (with dataChange) are inserts and removes deletes,
    minus the rows their DVs delete, except that an add and a remove of
    the same file (same id) in one commit are a DV update: rows the add's
    DV deletes and the remove's did not are deletes, the reverse inserts.
    Commits timestamped before --cdf-min-ts are left out.  Returns the
    groups as "VERSION:TYPE=ROWS", sorted by version then type."""
    byv = {}
    for f in files:
        byv.setdefault(f["version"], []).append(f)
    got = {}

    def add(v, t, n):
        got[(v, t)] = got.get((v, t), 0) + n

    for v in sorted(byv):
        fs = byv[v]
        if cl.cdf_min_ts >= 0 and fs[0]["timestamp"] < cl.cdf_min_ts:
            continue
        if any(f["kind"] == "cdf" for f in fs):
            for f in fs:
                for t in f.get("changeTypes", ()):
                    add(v, t, 1)
            continue
        live = [f for f in fs if f.get("dataChange") is not False]
        for f in live:
            other = [g for g in live if g["kind"] != f["kind"] and
                     g["id"] == f["id"]]
            if f["kind"] == "remove":
                if not other:
                    add(v, "delete", f["rows"])
            elif not other:
                add(v, "insert", f["rows"])
            else:
                ra = f.get("dvRows") or set()
                rr = other[0].get("dvRows") or set()
                add(v, "delete", len(ra - rr))
                add(v, "insert", len(rr - ra))
    return " ".join("%d:%s=%d" % (v, t, n)
                    for (v, t), n in sorted(got.items()) if n)


# ---------------------------------------------------------------- DVs

Z85 = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
       ".-:+=^!/*?&<>()[]{}@%$#")
Z85_VAL = {c: i for i, c in enumerate(Z85)}


def z85_decode(s):
    """Z85 as Delta writes it: groups of 5 chars for 4 bytes, the tail
    either zero-padded (Delta/Spark) or, as the Rust z85 crate writes it,
    k leading '#' for k missing bytes."""
    if len(s) % 5:
        raise ValueError("Z85 length not a multiple of 5")
    out = bytearray()
    for i in range(0, len(s), 5):
        g = s[i:i + 5]
        k = len(g) - len(g.lstrip("#"))
        if k and i + 5 == len(s) and k < 4:
            g = g[k:]
        else:
            k = 0
        n = 0
        for c in g:
            if c not in Z85_VAL:
                raise ValueError("bad Z85 char %r" % c)
            n = n * 85 + Z85_VAL[c]
        if n >= 1 << (8 * (4 - k)):
            raise ValueError("Z85 group overflows")
        out += n.to_bytes(4 - k, "big")
    return bytes(out)


def roaring32(d, pos, rows=None, hi32=0):
    """A portable-format 32-bit roaring bitmap: (cardinality, max, end);
    with rows (a set), its row indexes (high bits hi32) are added."""
    cookie, = struct.unpack_from("<I", d, pos)
    pos += 4
    runbits = None
    if cookie & 0xFFFF == 12347:
        size = (cookie >> 16) + 1
        nb = (size + 7) // 8
        runbits = d[pos:pos + nb]
        pos += nb
    elif cookie == 12346:
        size, = struct.unpack_from("<I", d, pos)
        pos += 4
    else:
        raise ValueError("bad roaring cookie %d" % cookie)
    heads = [struct.unpack_from("<HH", d, pos + 4 * i) for i in range(size)]
    pos += 4 * size
    if runbits is None or size >= 4:
        pos += 4 * size
    total, mx = 0, -1
    for i, (key, cm1) in enumerate(heads):
        card = cm1 + 1
        if runbits is not None and runbits[i // 8] >> (i % 8) & 1:
            nruns, = struct.unpack_from("<H", d, pos)
            pos += 2
            runs = [struct.unpack_from("<HH", d, pos + 4 * j)
                    for j in range(nruns)]
            pos += 4 * nruns
            c = sum(n + 1 for _, n in runs)
            hi = max(s + n for s, n in runs) if runs else -1
            vals = [s + k for s, n in runs for k in range(n + 1)]
        elif card > 4096:
            if pos + 8192 > len(d):
                raise ValueError("truncated bitmap container")
            v = int.from_bytes(d[pos:pos + 8192], "little")
            pos += 8192
            c = bin(v).count("1")
            hi = v.bit_length() - 1
            vals = [b for b in range(65536) if v >> b & 1] if rows is not None \
                else ()
        else:
            vals = struct.unpack_from("<%dH" % card, d, pos)
            pos += 2 * card
            c = card
            hi = vals[-1]
        if c != card:
            raise ValueError("container cardinality %d != header %d" % (c, card))
        if rows is not None:
            rows.update((hi32 << 32) | (key << 16) | x for x in vals)
        total += c
        mx = (key << 16) | hi
    return total, mx, pos


def roaring_array(d, rows=None):
    if len(d) < 12:
        raise ValueError("too short")
    magic, n = struct.unpack_from("<iq", d, 0)
    if magic != DV_MAGIC:
        raise ValueError("bad RoaringBitmapArray magic %d" % magic)
    pos, total, mx = 12, 0, -1
    for _ in range(n):
        key, = struct.unpack_from("<I", d, pos)
        card, hi, pos = roaring32(d, pos + 4, rows, key)
        total += card
        if hi >= 0:
            mx = (key << 32) | hi
    if pos != len(d):
        raise ValueError("%d trailing bytes" % (len(d) - pos))
    return total, mx


def check_dv(dv, cache, line, rows=None):
    """Fetch (or decode) and check a DV: (cardinality, highest row); with
    rows (a set), also the row indexes it deletes."""
    size = dv["sizeInBytes"]
    try:
        if dv["storageType"] == "i":
            data = z85_decode(dv["pathOrInlineDv"])[:size]
            if len(data) != size:
                raise ValueError("inline DV shorter than sizeInBytes")
        else:
            url = dv["pathOrInlineDv"]
            if url not in cache:
                r = fetch(url)
                if r.status != 200:
                    fail("fetch-dv", "GET %s (no Authorization): HTTP %d, want "
                         "200" % (url, r.status), line)
                cl_hdr = r.one("Content-Length", "fetch-dv")
                if cl_hdr is None or cl_hdr != str(len(r.body)):
                    fail("fetch-dv", "GET %s: Content-Length %r, body %d bytes"
                         % (url, cl_hdr, len(r.body)), line)
                if not r.body or r.body[0] != 1:
                    fail("fetch-dv", "GET %s: DV file does not start with "
                         "format version 1" % url, line)
                cache[url] = r.body
            b = cache[url]
            off = dv.get("offset", 1)
            if off + 4 + size + 4 > len(b):
                fail("fetch-dv", "DV at offset %d size %d beyond the %d-byte "
                     "file" % (off, size, len(b)), line)
            n, = struct.unpack_from(">I", b, off)
            if n != size:
                fail("fetch-dv", "DV size field %d != sizeInBytes %d"
                     % (n, size), line)
            data = b[off + 4:off + 4 + size]
            crc, = struct.unpack_from(">I", b, off + 4 + size)
            if crc != zlib.crc32(data):
                fail("fetch-dv", "DV checksum mismatch", line)
        card, mx = roaring_array(data, rows)
    except (ValueError, struct.error, IndexError) as e:
        fail("deletion-vector", "cannot decode the deletion vector: %s" % e,
             line)
    if card != dv["cardinality"]:
        fail("deletion-vector", "DV holds %d rows but cardinality says %d"
             % (card, dv["cardinality"]), line)
    return card, mx


# ---------------------------------------------------------------- Parquet

class Thrift:
    """Thrift compact protocol reader: structs become {field id: value}."""

    def __init__(self, buf):
        self.b = buf
        self.p = 0

    def byte(self):
        if self.p >= len(self.b):
            raise ValueError("footer truncated")
        v = self.b[self.p]
        self.p += 1
        return v

    def take(self, n):
        if n < 0 or self.p + n > len(self.b):
            raise ValueError("footer truncated")
        v = self.b[self.p:self.p + n]
        self.p += n
        return v

    def varint(self):
        r = shift = 0
        while True:
            c = self.byte()
            r |= (c & 0x7F) << shift
            if not c & 0x80:
                return r
            shift += 7
            if shift > 63:
                raise ValueError("varint too long")

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t, depth):
        if depth > 64:
            raise ValueError("nesting too deep")
        if t in (1, 2):
            return t == 1
        if t == 3:
            v = self.byte()
            return v - 256 if v > 127 else v
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            return struct.unpack("<d", self.take(8))[0]
        if t == 8:
            return self.take(self.varint())
        if t in (9, 10):
            h = self.byte()
            n, et = h >> 4, h & 0x0F
            if n == 15:
                n = self.varint()
            return [self.elem(et, depth + 1) for _ in range(n)]
        if t == 11:
            n = self.varint()
            if n == 0:
                return []
            h = self.byte()
            kt, vt = h >> 4, h & 0x0F
            return [(self.elem(kt, depth + 1), self.elem(vt, depth + 1))
                    for _ in range(n)]
        if t == 12:
            return self.struct(depth + 1)
        if t == 13:
            return self.take(16)
        raise ValueError("unknown compact type %d" % t)

    def elem(self, t, depth):
        if t in (1, 2):        # booleans inside containers: one byte each
            return self.byte() == 1
        return self.value(t, depth)

    def struct(self, depth=0):
        out = {}
        last = 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            t, d = h & 0x0F, h >> 4
            fid = last + d if d else self.zigzag()
            last = fid
            out[fid] = self.value(t, depth)


def parquet_num_rows(b, url, line):
    try:
        flen, = struct.unpack_from("<I", b, len(b) - 8)
        if flen + 12 > len(b):
            raise ValueError("footer length %d exceeds the file" % flen)
        fmd = Thrift(b[len(b) - 8 - flen:len(b) - 8]).struct()
    except (ValueError, struct.error) as e:
        fail("parquet-footer", "%s: cannot read the footer: %s" % (url, e), line)
    n = fmd.get(3)
    if not is_int(n) or n < 0:
        fail("parquet-footer", "%s: FileMetaData.num_rows missing or bad"
             % url, line)
    rgs = fmd.get(4, [])
    if isinstance(rgs, list) and all(isinstance(g, dict) and is_int(g.get(3))
                                     for g in rgs):
        s = sum(g[3] for g in rgs)
        if s != n:
            fail("parquet-footer", "%s: row groups hold %d rows, num_rows %d"
                 % (url, s, n), line)
    return n


# ---------------------------------------------------------------- raw

def cmd_raw(cl, method, path, body):
    url = path if re.match(r"https?://", path) else cl.url(path)
    hdrs = cl.headers(table=True)
    data = None
    if body is not None:
        hdrs["Content-Type"] = "application/json"
        data = body.encode("utf-8")
    r = http(method.upper(), url, hdrs, data)
    headers = {}
    for k, v in r.headers.items():
        k = k.lower()
        headers[k] = headers[k] + ", " + v if k in headers else v
    text = r.body.decode("utf-8", "replace")
    doc = None
    try:
        doc = json.loads(text)
    except ValueError:
        pass
    nd = None
    if text.endswith("\n"):
        try:
            nd = [json.loads(x) for x in text[:-1].split("\n")]
        except ValueError:
            nd = None
    print(json.dumps({"status": r.status, "headers": headers, "body": text,
                      "json": doc, "ndjson": nd}))


# ---------------------------------------------------------------- main

def add_globals(p, sub):
    def d(v):
        return argparse.SUPPRESS if sub else v
    p.add_argument("--endpoint", default=d(None),
                   help="sharing endpoint, e.g. http://host/delta-sharing")
    p.add_argument("--token", default=d(None), help="bearer token")
    p.add_argument("--profile", default=d(None),
                   help="profile file (shareCredentialsVersion 1)")
    p.add_argument("--format", default=d("none"),
                   help="parquet|delta|delta,parquet|none (no header)")
    p.add_argument("--reader-features", default=d(None),
                   help="readerfeatures=LIST in the capabilities header")
    p.add_argument("--end-stream", action="store_true", default=d(False),
                   help="includeendstreamaction=true")
    p.add_argument("--fileidhash", default=d(None),
                   help="send fileidhash: VALUE")
    p.add_argument("--fetch", action="store_true", default=d(False),
                   help="GET every file and DV URL and check it")
    p.add_argument("--rows", action="store_true", default=d(False),
                   help="count rows from Parquet footers (implies --fetch)")
    p.add_argument("--cdf", action="store_true", default=d(False),
                   help="tally the change data feed rows (implies --rows)")
    p.add_argument("--cdf-min-ts", type=int, default=d(-1),
                   help="--cdf: leave out commits timestamped before MS")
    p.add_argument("--parquet-cat", default=d(None),
                   help="t/helper/parquet-cat, to read cdc files' "
                   "_change_type column")


def build_parser():
    ap = argparse.ArgumentParser(prog="ds-client.py",
                                 description="Strict Delta Sharing test client")
    add_globals(ap, False)
    sp = ap.add_subparsers(dest="cmd", metavar="CMD")
    sp.required = True

    helps = {"shares": "list shares", "share": "get one share",
             "schemas": "list schemas", "tables": "list tables",
             "all-tables": "list all tables of a share",
             "version": "table version", "metadata": "table metadata",
             "query": "read data (POST .../query)",
             "changes": "change data feed (GET .../changes)",
             "raw": "any request, no checks"}

    def sub(name, *pos):
        p = sp.add_parser(name, help=helps[name])
        add_globals(p, True)
        for a in pos:
            p.add_argument(a)
        return p

    for name, pos in (("shares", ()), ("schemas", ("share",)),
                      ("tables", ("share", "schema")),
                      ("all-tables", ("share",))):
        sub(name, *pos).add_argument("--max-results", type=int)
    sub("share", "share")
    sub("version", "share", "schema", "table").add_argument(
        "--starting-timestamp")
    p = sub("metadata", "share", "schema", "table")
    p.add_argument("--version")
    p.add_argument("--timestamp")
    sub("query", "share", "schema", "table").add_argument("--body", default="{}")
    sub("changes", "share", "schema", "table").add_argument("--params",
                                                            default="")
    sub("raw", "method", "path").add_argument("--body")
    return ap


def table_base(a):
    return "/shares/%s/schemas/%s/tables/%s" % (q(a.share), q(a.schema),
                                               q(a.table))


def run(a):
    cl = Client(a)
    c = a.cmd
    if c == "shares":
        cmd_list(cl, c, "/shares", a.max_results)
    elif c == "schemas":
        cmd_list(cl, c, "/shares/%s/schemas" % q(a.share), a.max_results)
    elif c == "tables":
        cmd_list(cl, c, "/shares/%s/schemas/%s/tables" % (q(a.share),
                                                          q(a.schema)),
                 a.max_results)
    elif c == "all-tables":
        cmd_list(cl, c, "/shares/%s/all-tables" % q(a.share), a.max_results)
    elif c == "share":
        cmd_share(cl, a.share)
    elif c == "version":
        cmd_version(cl, table_base(a), a.starting_timestamp)
    elif c == "metadata":
        if a.version is not None and a.timestamp is not None:
            raise Usage("metadata: give --version or --timestamp, not both "
                        "(use raw to test the server's error)")
        qs = []
        if a.version is not None:
            qs.append(("version", a.version))
        if a.timestamp is not None:
            qs.append(("timestamp", a.timestamp))
        suffix = "/metadata" + ("?" + urllib.parse.urlencode(qs) if qs else "")
        cmd_table(cl, "metadata", table_base(a), "GET", suffix, None, dict(qs))
    elif c == "query":
        try:
            params = json.loads(a.body)
        except ValueError:
            params = {}
        if not isinstance(params, dict):
            params = {}
        cmd_table(cl, "query", table_base(a), "POST", "/query", a.body, params)
    elif c == "changes":
        qs = a.params.lstrip("?")
        params = {k: v[-1] for k, v in
                  urllib.parse.parse_qs(qs, keep_blank_values=True).items()}
        cmd_table(cl, "changes", table_base(a), "GET",
                  "/changes" + ("?" + qs if qs else ""), None, params)
    elif c == "raw":
        cmd_raw(cl, a.method, a.path, a.body)


def main(argv=None):
    ap = build_parser()
    a = ap.parse_args(argv)
    try:
        run(a)
    except Usage as e:
        ap.error(str(e))
    except Violation as v:
        msg = "ds-client: violation [%s]: %s" % (v.rule, v.msg)
        if v.line is not None:
            msg += "\n  at line %d" % v.line
            if v.text is not None:
                msg += ": " + (v.text if len(v.text) <= 400
                               else v.text[:400] + "...")
        elif v.text is not None:
            msg += "\n  " + v.text[:400]
        print(msg, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
