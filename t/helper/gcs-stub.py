#!/usr/bin/python3
# gcs-stub.py: a local stand-in for Google Cloud Storage, for the
# end-to-end tests of the GCS storage backend (t/lib-objstore.sh gcs_start).
# It serves files from a directory over the parts of the GCS JSON API that
# a read-only client uses (list, metadata, media download with Range), checks
# Bearer tokens against the fake token server's /tokeninfo, and serves V4
# signed URLs (GOOG4-RSA-SHA256 with a service account's public key, or
# GOOG4-HMAC-SHA256 with an HMAC key), checking the signature the way GCS
# documents it.  It binds 127.0.0.1 only.  Run it with /usr/bin/python3
# (standard library plus Debian's python3-cryptography).
#
#   gcs-stub.py --root DIR --key SA.json --tokeninfo URL [--port P]
#       [--hmac ID:SECRET] [--page-size N] [--fail N] [--log FILE]
#       [--pidfile F]
#
# Objects are the regular files DIR/BUCKET/NAME (a bucket is a directory
# DIR/BUCKET).  It prints "ready PORT" on stdout once it listens (--port 0:
# a free port).  --log FILE: one line a request, "METHOD PATH STATUS" plus
# " signed" for signed-URL requests (PATH as received, without the query).
# --fail N: the first N attempts of each distinct request answer 503; a
# request is (method, path, query without the x-goog-* signing parameters,
# Range header), so a client retrying, even re-signing, gets through.
# POST /_stub/fail?n=N changes N at run time (and forgets past attempts);
# POST /_stub/revoke makes every bearer token seen so far invalid (401).
#
#   gcs-stub.py selfcheck --key SA.json [--hmac ID:SECRET] --now TIME
#       [--method GET] [--header 'name: value' ...] URL...
# verifies signed URLs offline, as the server would at TIME (RFC 3339,
# e.g. 2019-02-01T09:00:05Z; Host = the URL's host[:port]); prints
# "VALID URL" or "INVALID URL (why)" and exits 1 when one is invalid.

import argparse
import base64
import binascii
import calendar
import datetime
import email.utils
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, unquote_to_bytes, urlsplit

SIGNING_PARAMS = ("x-goog-algorithm", "x-goog-credential", "x-goog-date",
                  "x-goog-expires", "x-goog-signedheaders", "x-goog-signature")
MAX_EXPIRES = 604800
# A token must carry one of these scopes to read objects.
READ_SCOPES = {
    "https://www.googleapis.com/auth/devstorage.read_only",
    "https://www.googleapis.com/auth/devstorage.read_write",
    "https://www.googleapis.com/auth/devstorage.full_control",
    "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/cloud-platform.read-only",
}


class SignError(Exception):
    """A signed URL refused: HTTP status, XML error code, message."""

    def __init__(self, status, code, message):
        Exception.__init__(self, message)
        self.status = status
        self.code = code
        self.message = message


# --- V4 signatures ------------------------------------------------------------

def rfc3986(b):
    """Percent-encode everything but the unreserved characters (upper-case hex)."""
    return quote(b, safe="-_.~")


def canonical_path(raw_path):
    """The path as sent, each segment decoded and encoded again canonically."""
    return "/".join(rfc3986(unquote_to_bytes(seg)) for seg in raw_path.split("/"))


def raw_query_pairs(raw_query):
    """(name, value) of a query string, percent-decoded ("+" stays "+")."""
    pairs = []
    for item in raw_query.split("&") if raw_query else []:
        k, _, v = item.partition("=")
        pairs.append((unquote_to_bytes(k), unquote_to_bytes(v)))
    return pairs


def is_signed_query(raw_query):
    return any(k.decode("latin-1").lower() in ("x-goog-signature", "x-goog-algorithm",
                                                "x-goog-credential")
               for k, _ in raw_query_pairs(raw_query))


def parse_goog_date(s):
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z", s)
    try:
        if not m:
            raise ValueError(s)
        fields = [int(x) for x in m.groups()]
        return calendar.timegm(datetime.datetime(*fields).timetuple())
    except ValueError:
        raise SignError(400, "AuthorizationQueryParametersError",
                        "X-Goog-Date must be YYYYMMDD'T'HHMMSS'Z': %r" % s)


class Verifier:
    def __init__(self, key_file=None, hmac_key=None):
        self.email = None
        self.public_key = None
        if key_file:
            from cryptography.hazmat.primitives import serialization
            info = json.load(open(key_file))
            priv = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
            self.public_key = priv.public_key()
            self.email = info["client_email"]
        self.hmac_id, self.hmac_secret = None, None
        if hmac_key:
            self.hmac_id, _, self.hmac_secret = hmac_key.partition(":")

    def verify(self, method, raw_path, raw_query, headers, now):
        """headers: lower-case name -> list of values as received.
        Returns None, or raises SignError."""
        pairs = raw_query_pairs(raw_query)
        q = {}
        for k, v in pairs:
            lk = k.decode("latin-1").lower()
            if lk in SIGNING_PARAMS:
                if lk in q:
                    raise SignError(400, "AuthorizationQueryParametersError",
                                    "%s given twice" % lk)
                q[lk] = v.decode("utf-8", "replace")
        missing = [p for p in SIGNING_PARAMS if p not in q]
        if missing:
            raise SignError(400, "AuthorizationQueryParametersError",
                            "Query-string authentication version 4 requires the "
                            + ", ".join(missing) + " parameter(s).")
        algorithm = q["x-goog-algorithm"]
        cred = q["x-goog-credential"].split("/")
        if len(cred) != 5 or cred[3] != "storage" or cred[4] != "goog4_request":
            raise SignError(400, "AuthorizationQueryParametersError",
                            "X-Goog-Credential must be ID/DATE/REGION/storage/goog4_request: %r"
                            % q["x-goog-credential"])
        ident, scope = cred[0], "/".join(cred[1:])
        t0 = parse_goog_date(q["x-goog-date"])
        if cred[1] != q["x-goog-date"][:8]:
            raise SignError(400, "AuthorizationQueryParametersError",
                            "the credential scope date %s is not that of X-Goog-Date %s"
                            % (cred[1], q["x-goog-date"]))
        try:
            expires = int(q["x-goog-expires"], 10)
        except ValueError:
            expires = -1
        if not 1 <= expires <= MAX_EXPIRES:
            raise SignError(400, "AuthorizationQueryParametersError",
                            "X-Goog-Expires must be 1 to %d (7 days): %r"
                            % (MAX_EXPIRES, q["x-goog-expires"]))

        canon_q = "&".join(sorted(
            "%s=%s" % (rfc3986(k), rfc3986(v)) for k, v in pairs
            if k.decode("latin-1").lower() != "x-goog-signature"))
        signed = q["x-goog-signedheaders"].split(";")
        if "host" not in signed:
            raise SignError(400, "AuthorizationQueryParametersError",
                            "X-Goog-SignedHeaders must include host")
        lines = []
        for name in signed:
            if name != name.lower() or name == "":
                raise SignError(403, "SignatureDoesNotMatch",
                                "signed header name %r is not lower-case" % name)
            if name not in headers:
                raise SignError(403, "SignatureDoesNotMatch",
                                "signed header %r is missing from the request" % name)
            value = ",".join(" ".join(v.split()) for v in headers[name])
            lines.append("%s:%s\n" % (name, value))
        payload = "UNSIGNED-PAYLOAD"
        if "x-goog-content-sha256" in headers:
            payload = headers["x-goog-content-sha256"][0].strip()
        creq = "\n".join([method, canonical_path(raw_path), canon_q, "".join(lines),
                          ";".join(signed), payload])
        sts = "\n".join([algorithm, q["x-goog-date"], scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
        try:
            sig = binascii.unhexlify(q["x-goog-signature"])
        except (binascii.Error, ValueError):
            raise SignError(403, "SignatureDoesNotMatch", "X-Goog-Signature is not hex")
        why = self._check(algorithm, ident, cred, sts, sig)
        if why:
            raise SignError(403, "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the "
                            "signature you provided (%s). Canonical request: %r. "
                            "String to sign: %r." % (why, creq, sts))
        if now > t0 + expires:
            raise SignError(400, "ExpiredToken",
                            "Invalid argument: the signed URL expired at %s"
                            % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + expires)))
        if t0 > now + 900:
            raise SignError(400, "RequestNotYetValid",
                            "X-Goog-Date %s is in the future" % q["x-goog-date"])
        return None

    def _check(self, algorithm, ident, cred, sts, sig):
        """Why the signature is wrong, or None."""
        if algorithm == "GOOG4-RSA-SHA256":
            if not self.public_key:
                return "no service-account key configured"
            if ident != self.email:
                return "unknown service account %s" % ident
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding
            try:
                self.public_key.verify(sig, sts.encode(), padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                return "RSA signature does not verify"
            return None
        if algorithm == "GOOG4-HMAC-SHA256":
            if self.hmac_secret is None:
                return "no HMAC key configured"
            if ident != self.hmac_id:
                return "unknown HMAC access id %s" % ident
            k = ("GOOG4" + self.hmac_secret).encode()
            for part in cred[1:5]:
                k = hmac.new(k, part.encode(), hashlib.sha256).digest()
            want = hmac.new(k, sts.encode(), hashlib.sha256).digest()
            return None if hmac.compare_digest(want, sig) else "HMAC signature does not match"
        return "unknown X-Goog-Algorithm %r" % algorithm


# --- objects ------------------------------------------------------------------

class BadName(Exception):
    pass


def check_segment(s, what):
    if s in ("", ".", "..") or "/" in s or "\0" in s:
        raise BadName("invalid %s name %r" % (what, s))


def check_object_name(name):
    """400 for names that could leave the bucket's directory."""
    if name == "" or "\0" in name or name.startswith("/"):
        raise BadName("invalid object name %r" % name)
    for seg in name.split("/"):
        if seg in (".", ".."):
            raise BadName("invalid object name %r" % name)


def rfc3339_ms(ns):
    sec, rest = divmod(ns, 1000000000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%03dZ" % (rest // 1000000)


class Store:
    def __init__(self, root):
        self.root = os.path.realpath(root)

    def bucket_dir(self, bucket):
        check_segment(bucket, "bucket")
        d = os.path.join(self.root, bucket)
        return d if os.path.isdir(d) else None

    def object_file(self, bucket, name):
        """(path, stat) of an object, or None when there is none."""
        check_object_name(name)
        bdir = self.bucket_dir(bucket)
        if bdir is None or "" in name.split("/"):
            return None
        path = os.path.join(bdir, name)
        real = os.path.realpath(path)
        if not real.startswith(os.path.realpath(bdir) + os.sep):
            raise BadName("object name %r leaves the bucket" % name)
        try:
            st = os.stat(real)
        except OSError:
            return None
        if not os.path.isfile(real):
            return None
        return real, st

    def names(self, bucket, prefix):
        """Every object name in the bucket starting with prefix (unsorted)."""
        bdir = self.bucket_dir(bucket)
        # Walk only the directory the prefix is inside.
        sub = prefix.rpartition("/")[0]
        start = bdir
        if sub:
            if "\0" in sub or any(s in ("", ".", "..") for s in sub.split("/")):
                return []
            start = os.path.join(bdir, sub)
            if not os.path.isdir(start):
                return []
        out = []
        for dirpath, dirs, files in os.walk(start):
            rel = os.path.relpath(dirpath, bdir)
            for f in files:
                name = f if rel == "." else rel + "/" + f
                if name.startswith(prefix) and os.path.isfile(os.path.join(dirpath, f)):
                    out.append(name)
        return out

    def resource(self, bucket, name, st, base):
        enc = quote(name, safe="")
        gen = str(st.st_mtime_ns // 1000)
        updated = rfc3339_ms(st.st_mtime_ns)
        return {
            "kind": "storage#object",
            "id": "%s/%s/%s" % (bucket, name, gen),
            "selfLink": "%s/storage/v1/b/%s/o/%s" % (base, bucket, enc),
            "mediaLink": "%s/download/storage/v1/b/%s/o/%s?generation=%s&alt=media"
                         % (base, bucket, enc, gen),
            "name": name,
            "bucket": bucket,
            "generation": gen,
            "metageneration": "1",
            "contentType": "application/octet-stream",
            "storageClass": "STANDARD",
            "size": str(st.st_size),
            "timeCreated": updated,
            "updated": updated,
            "timeStorageClassUpdated": updated,
            "etag": etag(st),
        }


def etag(st):
    return "C" + base64.b64encode(("%d:%d" % (st.st_mtime_ns, st.st_size)).encode()).decode().rstrip("=")


def sort_key(s):
    return s.encode("utf-8", "surrogateescape")


def json_error(code, reason, message):
    return {"error": {"code": code, "message": message,
                      "errors": [{"domain": "global", "reason": reason, "message": message}]}}


def xml_error(code, message):
    esc = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<?xml version='1.0' encoding='UTF-8'?><Error><Code>%s</Code><Message>%s</Message></Error>"
            % (code, esc)).encode()


def parse_range(value, size):
    """None (serve it all), (start, end) inclusive, or "unsatisfiable"."""
    if not value:
        return None
    value = value.strip()
    if not value.startswith("bytes=") or "," in value:
        return None
    a, sep, b = value[6:].strip().partition("-")
    if not sep:
        return None
    a, b = a.strip(), b.strip()
    try:
        if a == "":
            n = int(b, 10)
            if n <= 0:
                return "unsatisfiable"
            return (max(0, size - n), size - 1) if size else "unsatisfiable"
        start = int(a, 10)
        end = int(b, 10) if b else size - 1
    except ValueError:
        return None
    if start < 0 or (b and end < start):
        return None  # not a valid range: ignored
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


# --- the server ---------------------------------------------------------------

class Stub:
    def __init__(self, args):
        self.store = Store(args.root)
        self.verifier = Verifier(args.key, args.hmac)
        self.tokeninfo = args.tokeninfo
        self.page_size = args.page_size
        self.fail = args.fail
        self.log_path = args.log
        self.lock = threading.Lock()
        self.attempts = {}
        self.tokens = {}  # token -> expiry (time.time())
        self.revoked = set()

    def log(self, line):
        if self.log_path:
            with self.lock, open(self.log_path, "a") as f:
                f.write(line + "\n")

    def should_fail(self, key):
        if self.fail <= 0:
            return False
        with self.lock:
            n = self.attempts.get(key, 0)
            self.attempts[key] = n + 1
        return n < self.fail

    def token_ok(self, token):
        """None when the token may read objects, else (status, reason, message)."""
        now = time.time()
        with self.lock:
            exp = self.tokens.get(token)
            if token in self.revoked:
                return 401, "authError", "Invalid Credentials (revoked)"
        if exp is not None and exp > now:
            return None
        if not self.tokeninfo:
            return 401, "authError", "Invalid Credentials (no --tokeninfo configured)"
        url = self.tokeninfo + ("&" if "?" in self.tokeninfo else "?") + \
            "access_token=" + quote(token, safe="")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                info = json.loads(r.read().decode())
        except urllib.error.HTTPError:
            return 401, "authError", "Invalid Credentials"
        except (OSError, ValueError) as e:
            return 401, "authError", "Invalid Credentials (tokeninfo: %s)" % e
        scopes = set((info.get("scope") or "").split())
        if not scopes & READ_SCOPES:
            return 403, "insufficientPermissions", \
                "Insufficient Permission: scope %r cannot read objects" % info.get("scope")
        try:
            left = int(info.get("expires_in", 0))
        except (TypeError, ValueError):
            left = 0
        with self.lock:
            self.tokens[token] = now + max(left, 1)
        return None


def make_handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "gcs-stub/1"

        def log_message(self, fmt, *a):  # --log does this job
            pass

        def send_response(self, code, message=None):
            # Log before the client has the answer: a test may read the
            # log as soon as its request returns.
            if not getattr(self, "logged", False):
                self.logged = True
                raw_path = (getattr(self, "path", "") or "").partition("?")[0]
                stub.log("%s %s %d%s" % (getattr(self, "command", None) or "-", raw_path or "-",
                                         code, " signed" if getattr(self, "signed", False) else ""))
            BaseHTTPRequestHandler.send_response(self, code, message)

        # -- replies --
        def reply(self, status, body=b"", ctype="application/json; charset=UTF-8",
                  headers=(), send_body=True):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if send_body and self.command != "HEAD":
                self.wfile.write(body)
            self.status = status

        def reply_json(self, status, obj, headers=()):
            self.reply(status, json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogateescape"),
                       headers=headers)

        def reply_err(self, status, reason, message, headers=()):
            self.reply_json(status, json_error(status, reason, message), headers)

        def reply_xml(self, status, code, message):
            self.reply(status, xml_error(code, message), "application/xml; charset=UTF-8")

        # -- dispatch --
        def do_GET(self):  # noqa: N802
            self.handle_any()

        def do_HEAD(self):  # noqa: N802
            self.handle_any()

        def do_POST(self):  # noqa: N802
            self.drain()
            self.handle_any()

        do_PUT = do_DELETE = do_PATCH = do_POST

        def drain(self):
            n = int(self.headers.get("Content-Length") or 0)
            while n > 0:
                chunk = self.rfile.read(min(n, 65536))
                if not chunk:
                    break
                n -= len(chunk)

        def handle_any(self):
            self.status = 0
            self.logged = False
            raw_path, _, raw_query = self.path.partition("?")
            signed = not raw_path.startswith(("/storage/", "/download/storage/")) \
                and is_signed_query(raw_query)
            self.signed = signed
            try:
                self.route(raw_path, raw_query, signed)
            except BadName as e:
                if signed or not raw_path.startswith(("/storage/", "/download/")):
                    self.reply_xml(400, "InvalidArgument", str(e))
                else:
                    self.reply_err(400, "invalid", str(e))
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            except Exception as e:  # noqa: BLE001
                sys.stderr.write("gcs-stub: %s %s: %r\n" % (self.command, self.path, e))
                if self.logged:  # an answer was begun
                    self.close_connection = True
                else:
                    self.reply_err(500, "internalError", "gcs-stub: %r" % e)

        def route(self, raw_path, raw_query, signed):
            # Tests change --fail at run time: POST /_stub/fail?n=N.
            if self.command == "POST" and raw_path == "/_stub/fail":
                n = dict(raw_query_pairs(raw_query)).get(b"n", b"0")
                with stub.lock:
                    stub.fail = int(n)
                    stub.attempts = {}
                self.reply(204, b"", "text/plain")
                return
            # POST /_stub/revoke: every token seen so far stops working.
            if self.command == "POST" and raw_path == "/_stub/revoke":
                with stub.lock:
                    stub.revoked.update(stub.tokens)
                    stub.tokens = {}
                self.reply(204, b"", "text/plain")
                return
            # Injected failures first: the client must retry.
            kept = tuple(sorted((k, v) for k, v in raw_query_pairs(raw_query)
                                if k.decode("latin-1").lower() not in SIGNING_PARAMS
                                and k != b"access_token"))
            key = (self.command, raw_path, kept, self.headers.get("Range"))
            if stub.should_fail(key):
                self.reply_err(503, "backendError",
                               "Service Unavailable (gcs-stub --fail %d)" % stub.fail)
                return
            if self.command not in ("GET", "HEAD"):
                self.reply_err(405, "methodNotAllowed",
                               "gcs-stub serves GET and HEAD only",
                               headers=[("Allow", "GET, HEAD")])
                return
            for api in ("/storage/v1/", "/download/storage/v1/"):
                if raw_path.startswith(api):
                    self.json_api(raw_path[len(api):], raw_query)
                    return
            self.xml_api(raw_path, raw_query, signed)

        # -- JSON API --
        def json_api(self, rest, raw_query):
            auth = self.headers.get("Authorization") or ""
            scheme, _, token = auth.strip().partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                self.reply_err(401, "authError",
                               "Anonymous caller does not have storage.objects.get access "
                               "(no Authorization: Bearer header).",
                               headers=[("WWW-Authenticate",
                                         'Bearer realm="https://accounts.google.com/"')])
                return
            bad = stub.token_ok(token.strip())
            if bad:
                extra = [("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/", '
                          'error="invalid_token"')] if bad[0] == 401 else []
                self.reply_err(bad[0], bad[1], bad[2], headers=extra)
                return
            query = dict(parse_qsl(raw_query, keep_blank_values=True))
            parts = rest.split("/")
            if len(parts) < 2 or parts[0] != "b" or parts[1] == "":
                self.reply_err(404, "notFound", "Not Found: /storage/v1/" + rest)
                return
            bucket = unquote(parts[1], errors="surrogateescape")
            if len(parts) == 2:
                self.get_bucket(bucket)
            elif len(parts) == 3 and parts[2] == "o":
                self.list_objects(bucket, query)
            elif len(parts) == 4 and parts[2] == "o" and parts[3] != "":
                self.get_object(bucket, unquote(parts[3], errors="surrogateescape"), query)
            elif len(parts) > 4 and parts[2] == "o":
                self.reply_err(404, "notFound",
                               "Not Found: the object name must be percent-encoded, "
                               "with / as %2F: /storage/v1/" + rest)
            else:
                self.reply_err(404, "notFound", "Not Found: /storage/v1/" + rest)

        def no_bucket(self, bucket):
            self.reply_err(404, "notFound", "The specified bucket does not exist: %s" % bucket)

        def get_bucket(self, bucket):
            bdir = stub.store.bucket_dir(bucket)
            if bdir is None:
                self.no_bucket(bucket)
                return
            self.reply_json(200, {"kind": "storage#bucket", "id": bucket, "name": bucket,
                                  "location": "US", "storageClass": "STANDARD",
                                  "metageneration": "1"})

        def base_url(self):
            return "http://" + (self.headers.get("Host") or "127.0.0.1")

        def list_objects(self, bucket, query):
            if stub.store.bucket_dir(bucket) is None:
                self.no_bucket(bucket)
                return
            prefix = query.get("prefix", "")
            delim = query.get("delimiter", "")
            start = query.get("startOffset", "")
            end = query.get("endOffset", "")
            limit = stub.page_size
            if query.get("maxResults", "") != "":
                try:
                    n = int(query["maxResults"], 10)
                except ValueError:
                    self.reply_err(400, "invalid", "Invalid value for maxResults: %r"
                                   % query["maxResults"])
                    return
                if n > 0:
                    limit = min(limit, n)
            after = None
            if query.get("pageToken"):
                try:
                    after = base64.b64decode(query["pageToken"].encode("ascii"), b"-_",
                                             validate=True).decode("utf-8", "surrogateescape")
                except (ValueError, UnicodeEncodeError):
                    self.reply_err(400, "invalid", "Invalid pageToken")
                    return
            # Entries: object names, or the prefix that collapses them.
            entries = {}
            for name in stub.store.names(bucket, prefix):
                if start and sort_key(name) < sort_key(start):
                    continue
                if end and sort_key(name) >= sort_key(end):
                    continue
                if delim:
                    i = name.find(delim, len(prefix))
                    if i >= 0:
                        entries[name[:i + len(delim)]] = None
                        continue
                entries[name] = name
            keys = sorted(entries, key=sort_key)
            if after is not None:
                keys = [k for k in keys if sort_key(k) > sort_key(after)]
            page, more = keys[:limit], len(keys) > limit
            items, prefixes = [], []
            bdir = stub.store.bucket_dir(bucket)
            for k in page:
                if entries[k] is None:
                    prefixes.append(k)
                else:
                    try:
                        st = os.stat(os.path.join(bdir, k))
                    except OSError:
                        continue
                    items.append(stub.store.resource(bucket, k, st, self.base_url()))
            out = {"kind": "storage#objects"}
            if more:
                out["nextPageToken"] = base64.urlsafe_b64encode(
                    page[-1].encode("utf-8", "surrogateescape")).decode("ascii")
            if prefixes:
                out["prefixes"] = prefixes
            if items:
                out["items"] = items
            self.reply_json(200, out)

        def get_object(self, bucket, name, query):
            found = stub.store.object_file(bucket, name)
            if found is None:
                if stub.store.bucket_dir(bucket) is None:
                    self.no_bucket(bucket)
                else:
                    self.reply_err(404, "notFound", "No such object: %s/%s" % (bucket, name))
                return
            path, st = found
            if query.get("alt", "json") == "media":
                self.send_media(path, st)
            else:
                self.reply_json(200, stub.store.resource(bucket, name, st, self.base_url()))

        def send_media(self, path, st, xml=False):
            size = st.st_size
            rng = parse_range(self.headers.get("Range"), size)
            common = [("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True)),
                      ("ETag", '"%s"' % etag(st)),
                      ("Accept-Ranges", "bytes"),
                      ("x-goog-generation", str(st.st_mtime_ns // 1000)),
                      ("x-goog-metageneration", "1"),
                      ("x-goog-stored-content-length", str(size))]
            if rng == "unsatisfiable":
                msg = "Request range not satisfiable (object size %d)" % size
                if xml:
                    self.reply(416, xml_error("InvalidRange", msg), "application/xml; charset=UTF-8",
                               headers=[("Content-Range", "bytes */%d" % size)])
                else:
                    self.reply_err(416, "requestedRangeNotSatisfiable", msg,
                                   headers=[("Content-Range", "bytes */%d" % size)])
                return
            with open(path, "rb") as f:
                if rng is None:
                    status, start, length = 200, 0, size
                    extra = []
                else:
                    start, endb = rng
                    status, length = 206, endb - start + 1
                    extra = [("Content-Range", "bytes %d-%d/%d" % (start, endb, size))]
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(length))
                for k, v in common + extra:
                    self.send_header(k, v)
                self.end_headers()
                self.status = status
                if self.command == "HEAD":
                    return
                f.seek(start)
                left = length
                while left > 0:
                    chunk = f.read(min(left, 1 << 20))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)
                if left > 0:  # the file shrank: the length sent is a lie
                    self.close_connection = True

        # -- XML API: signed URLs only --
        def xml_api(self, raw_path, raw_query, signed):
            if not signed:
                self.reply_xml(403, "AccessDenied",
                               "Access denied. Anonymous caller does not have storage.objects.get "
                               "access (gcs-stub serves the XML API to signed URLs only).")
                return
            headers = {}
            for k, v in self.headers.items():
                headers.setdefault(k.lower(), []).append(v)
            try:
                stub.verifier.verify(self.command, raw_path, raw_query, headers, time.time())
            except SignError as e:
                self.reply_xml(e.status, e.code, e.message)
                return
            bucket_raw, _, obj_raw = raw_path[1:].partition("/")
            bucket = unquote(bucket_raw, errors="surrogateescape")
            if obj_raw == "":
                self.reply_xml(501, "NotImplemented",
                               "gcs-stub: signed bucket requests (XML listing) are not served")
                return
            name = unquote_to_bytes(obj_raw).decode("utf-8", "surrogateescape")
            found = stub.store.object_file(bucket, name)
            if found is None:
                if stub.store.bucket_dir(bucket) is None:
                    self.reply_xml(404, "NoSuchBucket", "The specified bucket does not exist.")
                else:
                    self.reply_xml(404, "NoSuchKey", "The specified key does not exist. (%s/%s)"
                                   % (bucket, name))
                return
            self.send_media(found[0], found[1], xml=True)

    return Handler


# --- main ---------------------------------------------------------------------

def selfcheck(argv):
    ap = argparse.ArgumentParser(prog="gcs-stub.py selfcheck")
    ap.add_argument("--key")
    ap.add_argument("--hmac")
    ap.add_argument("--now", required=True, help="e.g. 2019-02-01T09:00:05Z")
    ap.add_argument("--method", default="GET")
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("urls", nargs="+")
    a = ap.parse_args(argv)
    now = calendar.timegm(time.strptime(a.now, "%Y-%m-%dT%H:%M:%SZ"))
    v = Verifier(a.key, a.hmac)
    bad = 0
    for url in a.urls:
        u = urlsplit(url)
        headers = {"host": [u.netloc]}
        for h in a.header:
            name, _, value = h.partition(":")
            name = name.strip().lower()
            if name == "host":  # e.g. a host signed without its port
                headers[name] = [value.strip()]
            else:
                headers.setdefault(name, []).append(value)
        try:
            v.verify(a.method, u.path or "/", u.query, headers, now)
            print("VALID   " + url)
        except SignError as e:
            bad += 1
            print("INVALID %s (%d %s: %s)" % (url, e.status, e.code, e.message))
    return 1 if bad else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "selfcheck":
        return selfcheck(sys.argv[2:])
    ap = argparse.ArgumentParser(description="A local Google Cloud Storage stub for tests.")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--root", required=True, help="objects are ROOT/BUCKET/NAME")
    ap.add_argument("--key", help="service-account JSON: its public key checks RSA signed URLs")
    ap.add_argument("--hmac", help="ID:SECRET: also accept GOOG4-HMAC-SHA256 signed URLs")
    ap.add_argument("--tokeninfo", help="the token server's /tokeninfo URL")
    ap.add_argument("--page-size", type=int, default=1000)
    ap.add_argument("--fail", type=int, default=0,
                    help="the first N attempts of each request answer 503")
    ap.add_argument("--log", help="one line per request")
    ap.add_argument("--pidfile")
    a = ap.parse_args()
    if a.page_size < 1:
        ap.error("--page-size must be at least 1")
    if a.hmac is not None and ":" not in a.hmac:
        ap.error("--hmac wants ID:SECRET")
    if not os.path.isdir(a.root):
        ap.error("--root %s is not a directory" % a.root)
    sys.stdout.reconfigure(line_buffering=True)
    stub = Stub(a)
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # listen backlog: clients in parallel
    srv = Server(("127.0.0.1", a.port), make_handler(stub))
    port = srv.server_address[1]

    def stop(_sig, _frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    print("ready %d" % port)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
        if a.pidfile:
            try:
                os.unlink(a.pidfile)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
