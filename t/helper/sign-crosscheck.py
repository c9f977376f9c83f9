#!/usr/bin/python3
"""sign-crosscheck.py: our URL signers against independent libraries.

    sign-crosscheck.py --sign-url PATH [--kind s3|azure|gcs]... [-n N]
                       [--seed S] [--show K] [--sa-json FILE] [--dump FILE]

Generates N requests per kind from a seeded PRNG (awkward object names:
spaces, %, +, =, ~, !*(), the other reserved characters, sequences that
look percent-encoded, non-ASCII UTF-8, emoji, control characters, "."
and ".." segments, a trailing "/", long names, never "//"; AWS regions
and custom endpoints, with and without ports, default ports, IPv6;
instants from 2000 to 9999, lifetimes from 1 s to 7 days), has
t/helper/sign-url sign all of them in one run, signs the same requests
with libraries that share no code with ours, at the same frozen instant,
and compares:

  s3     botocore (Debian python3-botocore, its own Python signer): a
         client's generate_presigned_url("get_object"), with the clock
         of botocore.auth frozen (CROSSCHECK.md section 0).  For AWS
         itself the client is given the regional endpoint (see
         S3Oracle.client for why).
  azure  azure.storage.blob.generate_blob_sas() (python3-azure-storage)
         for the token, BlobClient(...).url for the URL.
  gcs    Google's documented V4 canonical request, built here, signed
         by google-auth's RSASigner (GOOG4-RSA-SHA256, with a service
         account key generated per run unless --sa-json), or by the
         standard library's HMAC chain (GOOG4-HMAC-SHA256: google-auth
         has no HMAC signer).

Two URLs agree when scheme, host and the raw path are equal and the
query parameters, split on "&" and "=" and form-decoded (so a raw "+"
reads as a space, as servers read it), are the same multiset; the
signatures are compared as part of that and shown on a mismatch.  Our
URL must also be plain URL characters (RFC 3986, %XX escapes only).
An input both sides refuse agrees; one side refusing is a mismatch.

Known differences that are policy, not bugs in the signatures, are
still generated (a few percent of the cases) and reported on a "#
known" line, but they do not fail the run; see KNOWN below.

Output is TAP-like: "ok - KIND: ..." or "not ok - KIND: ...", then "#"
lines (classes covered, known differences, the first --show
mismatches with both URLs).  Exit status 0 when every kind agrees, 1
on a mismatch, 2 on a usage or setup error.
"""

import argparse
import base64
import collections
import contextlib
import datetime
import hashlib
import hmac
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
import types
import urllib.parse

# Input classes where the libraries and we differ on purpose; generated,
# reported, never failing.
KNOWN = {
    "s3-not-a-storage-key": "object keys with '.' or '..' segments, a "
                            "trailing '/' or control characters: the S3 "
                            "backend refuses them as storage keys (no "
                            "Delta table file has one); botocore signs "
                            "them.",
    "s3-dotted-virtual": "a dotted bucket on a custom endpoint with "
                         "virtual addressing: botocore falls back to path "
                         "style for any bucket with a dot; "
                         "src/storage_s3.c keeps the virtual host it was "
                         "configured with (and signs that host).",
    "azure-dollar-container": "the $root, $web and $logs containers: the "
                              "SDK's URL has %24root, ours $root (a "
                              "sub-delimiter, allowed raw in a path); the "
                              "service reads both as the same blob, and "
                              "the signature does not cover the URL path.",
    "azure-control": "a control character (tab, U+0001, U+001F, U+007F) "
                     "in a blob name: azsign refuses it by design "
                     "(src/azsign.h); the SDK signs it.",
    "gcs-crlf": "CR or LF in an object name: GCS forbids them and gcsign "
                "refuses them (src/gcsign.h); Google's V4 steps do not care.",
}

# --- generated names ------------------------------------------------------

SAFE = string.ascii_letters + string.digits + "-._~"
AWKWARD = list(" %+=~!*()'&$,;:@?#[]{}|\\^`\"<>")
PRE_ENCODED = ["%2F", "%20", "%41", "%25", "%%", "%zz", "%", "++", "==",
               "a+b=c", "%C3%BC", "?x=1&y=2", "#frag"]
NON_ASCII = ["\u00e9", "\u00fc", "\u00df", "\u00f1", "\u00c5", "\u03a9",
             "\u65e5\u672c\u8a9e", "\u4e2d\u6587", "\ud55c\uad6d\uc5b4",
             "\u05e2\u05d1\u05e8\u05d9\u05ea", "\u0639\u0631\u0628\u0649",
             "e\u0301", "\u00a0", "\u200b", "\ufeff", "\ufffd", "\u20ac",
             "\U0001F600", "\U0001F44D\U0001F3FD",
             "\U0001F3F3\ufe0f\u200d\U0001F308",
             "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\U0001D11E"]


def word(rng, lo=1, hi=8):
    return "".join(rng.choice(SAFE) for _ in range(rng.randint(lo, hi)))


def segment(rng):
    parts = []
    for _ in range(rng.randint(1, 6)):
        r = rng.random()
        if r < 0.45:
            parts.append(word(rng))
        elif r < 0.70:
            parts.append(rng.choice(AWKWARD))
        elif r < 0.88:
            parts.append(rng.choice(NON_ASCII))
        else:
            parts.append(rng.choice(PRE_ENCODED))
    return "".join(parts)


def object_name(rng, cls, controls=""):
    """A "/"-separated name with no empty segment, sometimes with one of
    the control characters in controls; cls gets its classes."""
    if rng.random() < 0.04:
        cls.append("long")
        segs = []
        while sum(len(s.encode()) + 1 for s in segs) < 900:
            segs.append(segment(rng))
        while len("/".join(segs).encode()) > 1000:
            segs.pop()
    else:
        segs = [segment(rng) for _ in range(rng.randint(1, 5))]
    if len(segs) > 1 and rng.random() < 0.06:
        cls.append("dot-segment")
        segs.insert(rng.randint(1, len(segs) - 1), rng.choice([".", ".."]))
    name = "/".join(segs)
    if rng.random() < 0.04:
        cls.append("trailing-slash")
        name += "/"
    if controls and rng.random() < 0.05:
        cls.append("control")
        i = rng.randint(0, len(name))
        name = name[:i] + rng.choice(controls) + name[i:]
    if any(ord(c) > 127 for c in name):
        cls.append("non-ascii")
    if any(ord(c) > 0xFFFF for c in name):
        cls.append("astral")
    if "/" in name:
        cls.append("multi-segment")
    return name


def dns_name(rng, lo, hi, dots=False):
    alnum = string.ascii_lowercase + string.digits
    n = rng.randint(lo, hi)
    mid = alnum + "-" + ("." if dots else "")
    s = rng.choice(alnum) + "".join(rng.choice(mid) for _ in range(n - 2)) \
        + rng.choice(alnum)
    while ".." in s or ".-" in s or "-." in s or "--" in s:
        s = s.replace("..", ".a").replace(".-", ".b").replace("-.", "c.") \
             .replace("--", "-d")
    return s


def b64chars(rng, n):
    alpha = string.ascii_letters + string.digits + "+/"
    return "".join(rng.choice(alpha) for _ in range(n))


def instant(rng, cls):
    """Epoch seconds 2000..2099, sometimes up to 9999 or on a day
    boundary."""
    t = rng.randint(946684800, 4102444799)
    r = rng.random()
    if r < 0.03:
        cls.append("far-future")
        t = rng.randint(4102444800, 253402300799 - 8 * 86400)
    elif r < 0.05:
        cls.append("midnight")
        t -= t % 86400
    elif r < 0.10:
        cls.append("last-second")
        t += 86399 - t % 86400
    return t


def lifetime(rng, cls):
    r = rng.random()
    if r < 0.05:
        cls.append("expires-1")
        return 1
    if r < 0.10:
        cls.append("expires-7d")
        return 604800
    return rng.randint(1, 604800)


def utc(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


# --- S3 -------------------------------------------------------------------

# S3 keys may hold any character, CR and LF too (they sign; listing
# them needs encoding-type=url).
S3_CONTROLS = "\t\x01\x1f\x7f\u0085\r\n"
AWS_REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "eu-west-3",
               "ap-southeast-2", "ap-northeast-1", "sa-east-1",
               "af-south-1", "us-gov-west-1"]
# Custom endpoints and their regions (a botocore client costs ~10 ms:
# a few pairs keep their number down).
S3_ENDPOINTS = [("http://127.0.0.1:7480", "us-east-1"),
                ("http://localhost:9000", "us-east-1"),
                ("http://localhost:9000", "eu-west-3"),
                ("https://minio.example.com:9443", "garage"),
                ("https://s3.example.net", "default"),
                ("https://s3.example.net:443", "default"),
                ("http://rgw.example.org:80", "us-east-1"),
                ("http://[::1]:9000", "garage")]


def s3_credsets(rng):
    """AWS-like keys without and with a session token, and a MinIO-like
    one: any printable ASCII in the secret."""
    sets = []
    for i in range(3):
        ak = "AKIA" + "".join(rng.choice(string.ascii_uppercase +
                                         string.digits) for _ in range(16))
        tok = None
        if i > 0:
            tok = b64chars(rng, rng.randint(100, 300)) + "=="
        sets.append((ak, b64chars(rng, 40), tok))
    printable = "".join(chr(c) for c in range(32, 127))
    sets.append(("minio-admin_01.x", "".join(rng.choice(printable)
                                            for _ in range(32)), None))
    return sets


def s3_case(rng, creds):
    cls = []
    ak, sk, tok = rng.choice(creds)
    cls.append("session-token" if tok else "no-token")
    known = None
    if rng.random() < 0.4:
        endpoint = None
        region = rng.choice(AWS_REGIONS)
        if rng.random() < 0.04:
            region = rng.choice(["cn-north-1", "cn-northwest-1"])
            cls[-1:] = [cls[-1], "china"]
        path_style = rng.random() < 0.3
        bucket = dns_name(rng, 3, 40, dots=rng.random() < 0.2)
        cls.append("aws-" + ("path" if path_style or "." in bucket
                             else "virtual"))
    else:
        endpoint, region = rng.choice(S3_ENDPOINTS)
        ipv = "[" in endpoint or "127.0.0.1" in endpoint
        path_style = ipv or rng.random() < 0.7
        bucket = dns_name(rng, 3, 40, dots=rng.random() < 0.15)
        if not path_style and "." in bucket:
            known = "s3-dotted-virtual"
        cls.append("endpoint-" + ("path" if path_style else "virtual"))
        if urllib.parse.urlsplit(endpoint).port in (80, 443):
            cls.append("default-port")
    if "." in bucket:
        cls.append("dotted-bucket")
    req = {"kind": "s3", "access_key": ak, "secret_key": sk,
           "session_token": tok, "region": region, "endpoint": endpoint,
           "path_style": path_style, "bucket": bucket,
           "key": object_name(rng, cls, controls=S3_CONTROLS),
           "now": instant(rng, cls),
           "expires": lifetime(rng, cls)}
    if {"dot-segment", "trailing-slash", "control"} & set(cls):
        known = "s3-not-a-storage-key"
    return req, cls, known


class S3Oracle:
    """botocore clients, one per endpoint, region, addressing and key."""

    def __init__(self):
        import botocore.auth
        import botocore.session
        from botocore.config import Config
        self.auth = botocore.auth
        self.Config = Config
        self.session = botocore.session.get_session()
        # No ~/.aws, no environment: a missing file reads as empty.
        self.session.set_config_variable("config_file", "/nonexistent")
        self.session.set_config_variable("credentials_file", "/nonexistent")
        self.clients = {}
        self.now = [datetime.datetime(2000, 1, 1)]

    @contextlib.contextmanager
    def frozen(self):
        """botocore.auth reads datetime.datetime.utcnow(): freeze it."""
        now = self.now

        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return now[0]

        saved = self.auth.datetime
        self.auth.datetime = types.SimpleNamespace(
            datetime=Frozen, timedelta=datetime.timedelta,
            timezone=datetime.timezone)
        try:
            yield
        finally:
            self.auth.datetime = saved

    def client(self, r):
        # Path style for a dotted bucket, as botocore's "auto" and our
        # s3_endpoint() both choose on AWS.
        style = "path" if r["path_style"] or "." in r["bucket"] \
            else "virtual"
        # Quirk: without an endpoint_url, botocore 1.29 presigns
        # virtual-hosted URLs for the legacy global endpoint,
        # BUCKET.s3.amazonaws.com, whatever the region (boto/boto3#3015:
        # such URLs fail in newer regions); us-east-1 too unless
        # us_east_1_regional_endpoint is "regional".  We sign the
        # regional host AWS recommends, so botocore gets that host as
        # its endpoint, as for "aws s3 presign --endpoint-url"
        # (CROSSCHECK.md).  Not for the China regions: there botocore's
        # own choice of host (amazonaws.com.cn) is checked.
        endpoint = r["endpoint"]
        if endpoint is None and not r["region"].startswith("cn-"):
            endpoint = "https://s3.%s.amazonaws.com" % r["region"]
        key = (endpoint, r["region"], style, r["access_key"],
               r["secret_key"], r["session_token"])
        if key not in self.clients:
            cfg = self.Config(signature_version="s3v4",
                              retries={"max_attempts": 0},
                              s3={"addressing_style": style,
                                  "us_east_1_regional_endpoint": "regional"})
            self.clients[key] = self.session.create_client(
                "s3", endpoint_url=endpoint, region_name=r["region"],
                aws_access_key_id=r["access_key"],
                aws_secret_access_key=r["secret_key"],
                aws_session_token=r["session_token"], config=cfg)
        return self.clients[key]

    def resign(self, r, url):
        """Sign our URL's own host and path with botocore's bare
        S3SigV4QueryAuth: for the known differences, where the client
        picks another host."""
        from botocore.auth import S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        p = urllib.parse.urlsplit(url)
        req = AWSRequest(method="GET", url=urllib.parse.urlunsplit(
            (p.scheme, p.netloc, p.path, "", "")))
        self.now[0] = utc(r["now"]).replace(tzinfo=None)
        S3SigV4QueryAuth(Credentials(r["access_key"], r["secret_key"],
                                     r["session_token"]), "s3", r["region"],
                         expires=r["expires"]).add_auth(req)
        return req.url

    def sign(self, r):
        self.now[0] = utc(r["now"]).replace(tzinfo=None)
        return self.client(r).generate_presigned_url(
            "get_object", Params={"Bucket": r["bucket"], "Key": r["key"]},
            ExpiresIn=r["expires"])


# --- Azure ----------------------------------------------------------------

def azure_case(rng, accounts):
    cls = []
    known = None
    account, key = rng.choice(accounts)
    r = rng.random()
    if r < 0.3:
        endpoint = None
        cls.append("account-endpoint")
    elif r < 0.6:
        endpoint = rng.choice(["http://127.0.0.1:10000/%s",
                               "http://127.0.0.1:41234/%s/",
                               "http://[::1]:10000/%s"]) % account
        cls.append("emulator-path")
    else:
        endpoint = rng.choice([
            "https://%s.blob.core.windows.net",
            "https://%s.blob.core.windows.net:443",
            "https://%s.blob.core.chinacloudapi.cn",
            "http://%s.blob.localhost:10000",
            "https://%s.blob.core.windows.net/"]) % account
        cls.append("endpoint")
    if rng.random() < 0.03:
        container = rng.choice(["$root", "$web", "$logs"])
        known = "azure-dollar-container"
    else:
        container = dns_name(rng, 3, 63)
    blob = object_name(rng, cls)
    if rng.random() < 0.02:
        i = rng.randint(0, len(blob))
        blob = blob[:i] + rng.choice("\t\x01\x1f\x7f") + blob[i:]
        known = "azure-control"
    start = 0
    expiry = instant(rng, cls)
    if rng.random() < 0.5:
        cls.append("start")
        start = expiry - rng.randint(1, 86400 * 30)
    protocol = rng.choice([None, None, "https", "https,http"])
    cls.append("protocol-" + (protocol or "none"))
    req = {"kind": "azure", "account": account, "key_b64": key,
           "endpoint": endpoint, "container": container, "blob": blob,
           "expiry": expiry, "start": start, "protocol": protocol}
    return req, cls, known


def azure_accounts(rng):
    out = []
    for n in (64, 64, 32):
        acct = "".join(rng.choice(string.ascii_lowercase + string.digits)
                       for _ in range(rng.randint(3, 24)))
        key = bytes(rng.randrange(256) for _ in range(n))
        out.append((acct, base64.b64encode(key).decode()))
    return out


class AzureOracle:
    def __init__(self):
        from azure.storage.blob import BlobClient, generate_blob_sas
        self.BlobClient = BlobClient
        self.generate_blob_sas = generate_blob_sas

    def sign(self, r):
        token = self.generate_blob_sas(
            r["account"], r["container"], r["blob"],
            account_key=r["key_b64"], permission="r",
            expiry=utc(r["expiry"]),
            start=utc(r["start"]) if r["start"] else None,
            protocol=r["protocol"])
        endpoint = r["endpoint"] or \
            "https://%s.blob.core.windows.net" % r["account"]
        return self.BlobClient(account_url=endpoint,
                               container_name=r["container"],
                               blob_name=r["blob"], credential=token).url


# --- GCS ------------------------------------------------------------------

GCS_ENDPOINTS = ["https://storage.googleapis.com",
                 "https://storage.googleapis.com:443",
                 "http://127.0.0.1:4443", "http://localhost:9023",
                 "http://[::1]:4443",
                 "https://storage.example.com:8443"]
GCS_REGIONS = [None, "auto", "us-central1", "europe-west1",
               "asia-southeast1"]


def gcs_case(rng, sa_path, hmac_keys):
    cls = []
    if rng.random() < 0.5:
        hid, hsecret = None, None
        cls.append("rsa")
    else:
        hid, hsecret = rng.choice(hmac_keys)
        cls.append("hmac")
    endpoint = rng.choice(GCS_ENDPOINTS)
    bucket = dns_name(rng, 3, 40, dots=rng.random() < 0.1)
    r = rng.random()
    style = "path"
    if r < 0.15 and "127.0.0.1" not in endpoint and "[" not in endpoint:
        style = "virtual"
    elif r < 0.25:
        style = "bound"
        endpoint = rng.choice(["https://%s.example.com",
                               "http://127.0.0.1:8080",
                               "https://cdn-%s.example.net:8443"])
        if "%s" in endpoint:
            endpoint %= bucket.replace(".", "-")
    cls.append("style-" + style)
    sign_port = rng.random() < 0.7
    port = urllib.parse.urlsplit(endpoint).port
    if port is not None:
        cls.append("port-" + ("signed" if sign_port else "unsigned"))
    obj = object_name(rng, cls, controls="\t\x01\x1f\x7f\u0085")
    known = None
    if rng.random() < 0.02:
        i = rng.randint(0, len(obj))
        obj = obj[:i] + rng.choice("\r\n") + obj[i:]
        known = "gcs-crlf"
    req = {"kind": "gcs", "sa_json_path": None if hid else sa_path,
           "hmac_id": hid, "hmac_secret": hsecret, "endpoint": endpoint,
           "style": style, "region": rng.choice(GCS_REGIONS),
           "sign_port": sign_port, "bucket": bucket,
           "object": obj, "now": instant(rng, cls),
           "expires": lifetime(rng, cls)}
    return req, cls, known


def gcs_hmac_keys(rng):
    return [("GOOG1E" + "".join(rng.choice(string.ascii_uppercase +
                                           string.digits)
                                for _ in range(55)), b64chars(rng, 40))
            for _ in range(3)]


def make_service_account(path):
    """A fresh RSA 2048 service account key file (no network needed)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "ds-crosscheck",
            "private_key_id": hashlib.sha1(pem.encode()).hexdigest(),
            "private_key": pem,
            "client_email": "signer@ds-crosscheck.iam.gserviceaccount.com",
            "client_id": "1234567890",
            "token_uri": "https://oauth2.googleapis.com/token"}
    with open(path, "w") as f:
        json.dump(info, f)


class GcsOracle:
    """Google's V4 signing steps, as its documentation writes them.

    https://cloud.google.com/storage/docs/authentication/signatures:
    canonical request = method, path, canonical query (names and values
    percent-encoded, RFC 3986 unreserved kept, sorted), the "name:value"
    header lines each ending in a newline, a blank line, the signed
    header names, and UNSIGNED-PAYLOAD; string to sign = algorithm,
    timestamp, credential scope, hex SHA-256 of the canonical request.
    """

    def __init__(self):
        from google.auth.crypt import RSASigner
        self.RSASigner = RSASigner
        self.signers = {}

    def rsa(self, path):
        if path not in self.signers:
            with open(path) as f:
                info = json.load(f)
            self.signers[path] = (info["client_email"],
                                  self.RSASigner.from_service_account_info(
                                      info))
        return self.signers[path]

    @staticmethod
    def enc(s, safe=""):
        return urllib.parse.quote(s, safe=safe)   # keeps A-Za-z0-9_.-~

    def sign(self, r):
        ep = urllib.parse.urlsplit(r["endpoint"])
        default = {"http": 80, "https": 443}[ep.scheme]
        netloc = hostname = ep.netloc
        if ep.port is not None:
            hostname = netloc.rsplit(":", 1)[0]
        obj = self.enc(r["object"], safe="/")
        if r["style"] == "path":
            path = "/%s/%s" % (r["bucket"], obj)
        else:
            path = "/" + obj
        if r["style"] == "virtual":
            netloc = r["bucket"] + "." + netloc
            hostname = r["bucket"] + "." + hostname
        # The Host header a client sends has the port unless it is the
        # scheme's; with sign_port off we sign the bare host name.
        signed_host = netloc if (r["sign_port"] and ep.port is not None and
                                 ep.port != default) else hostname
        t = utc(r["now"])
        stamp, day = t.strftime("%Y%m%dT%H%M%SZ"), t.strftime("%Y%m%d")
        region = r["region"] or "auto"
        scope = "%s/%s/storage/goog4_request" % (day, region)
        if r["sa_json_path"]:
            algo = "GOOG4-RSA-SHA256"
            who, signer = self.rsa(r["sa_json_path"])
        else:
            algo = "GOOG4-HMAC-SHA256"
            who, signer = r["hmac_id"], None
        query = {"X-Goog-Algorithm": algo,
                 "X-Goog-Credential": "%s/%s" % (who, scope),
                 "X-Goog-Date": stamp,
                 "X-Goog-Expires": str(r["expires"]),
                 "X-Goog-SignedHeaders": "host"}
        cquery = "&".join("%s=%s" % (self.enc(k), self.enc(v))
                          for k, v in sorted(query.items()))
        creq = "\n".join(["GET", path, cquery, "host:%s\n" % signed_host,
                          "host", "UNSIGNED-PAYLOAD"])
        sts = "\n".join([algo, stamp, scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
        if signer is not None:
            sig = signer.sign(sts.encode()).hex()
        else:
            k = ("GOOG4" + r["hmac_secret"]).encode()
            for part in (day, region, "storage", "goog4_request", None):
                k = hmac.new(k, (part or sts).encode(),
                             hashlib.sha256).digest()
            sig = k.hex()
        return "%s://%s%s?%s&X-Goog-Signature=%s" % (ep.scheme, netloc, path,
                                                    cquery, sig)


# --- comparing ------------------------------------------------------------

URL_CHARS = set(string.ascii_letters + string.digits +
                "-._~:/?#[]@!$&'()*+,;=%")


def url_problem(url):
    """Why url is not a well-formed URL of plain characters, or None."""
    bad = sorted(set(c for c in url if c not in URL_CHARS))
    if bad:
        return "characters that must be percent-encoded: %r" % "".join(bad)
    i = url.find("%")
    while i != -1:
        if not all(c in string.hexdigits for c in url[i + 1:i + 3]) or \
                len(url) < i + 3:
            return "a %% not followed by two hex digits at %d" % i
        i = url.find("%", i + 1)
    if "#" in url:
        return "a raw '#'"
    return None


def split_url(url):
    p = urllib.parse.urlsplit(url)
    params = collections.Counter()
    for item in p.query.split("&") if p.query else []:
        name, _, value = item.partition("=")
        params[(urllib.parse.unquote_plus(name),
                urllib.parse.unquote_plus(value))] += 1
    return (p.scheme, p.netloc), p.path, params


def signature_of(params):
    for (name, value) in params:
        if name.lower() in ("x-amz-signature", "x-goog-signature", "sig"):
            return value
    return None


def compare(ours, theirs):
    """The differences, as (what, details) pairs; [] when they agree."""
    o_err, t_err = ours.startswith("error: "), theirs.startswith("error: ")
    if o_err or t_err:
        if o_err and t_err:
            return []
        return [("refusal", "refused by %s only" %
                 ("us" if o_err else "the library"))]
    diffs = []
    problem = url_problem(ours)
    if problem:
        diffs.append(("syntax", "our URL has " + problem))
    (o_origin, o_path, o_params) = split_url(ours)
    (t_origin, t_path, t_params) = split_url(theirs)
    if o_origin != t_origin:
        diffs.append(("origin", "origin %s://%s != %s://%s" %
                      (o_origin + t_origin)))
    if o_path != t_path:
        diffs.append(("path", "path differs"))
    o_sig, t_sig = signature_of(o_params), signature_of(t_params)
    if o_sig != t_sig:
        diffs.append(("signature", "signature %s != %s" % (o_sig, t_sig)))
    only_o = sorted(k for k in o_params - t_params if k[1] != o_sig)
    only_t = sorted(k for k in t_params - o_params if k[1] != t_sig)
    if only_o or only_t:
        diffs.append(("query", "only ours: %s; only theirs: %s" % (
            ", ".join("%s=%s" % k for k in only_o) or "-",
            ", ".join("%s=%s" % k for k in only_t) or "-")))
    return diffs


# --- running --------------------------------------------------------------

def run_sign_url(prog, reqs):
    """Our answers, one a request, from one run of sign-url."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reqs)
    p = subprocess.run([prog], input=data.encode(), stdout=subprocess.PIPE,
                       check=False)
    lines = p.stdout.decode("utf-8", "replace").split("\n")[:-1]
    if p.returncode != 0 or len(lines) != len(reqs):
        print("sign-crosscheck: %s: exit %d, %d answers to %d requests" %
              (prog, p.returncode, len(lines), len(reqs)), file=sys.stderr)
        sys.exit(2)
    return lines


def library_url(sign, *args):
    try:
        return sign(*args)
    except Exception as e:   # the library refused the input
        return "error: %s: %s" % (type(e).__name__, e)


def make_cases(kind, args, rng, workdir):
    """The library for kind, and its generated (request, classes, known)."""
    if kind == "s3":
        creds = s3_credsets(rng)
        return S3Oracle(), [s3_case(rng, creds) for _ in range(args.n)]
    if kind == "azure":
        accounts = azure_accounts(rng)
        return AzureOracle(), [azure_case(rng, accounts)
                               for _ in range(args.n)]
    sa = args.sa_json
    if sa is None:
        sa = os.path.join(workdir, "sa.json")
        make_service_account(sa)
    keys = gcs_hmac_keys(rng)
    return GcsOracle(), [gcs_case(rng, sa, keys) for _ in range(args.n)]


class Tally:
    """What one kind's comparisons found."""

    def __init__(self, total):
        self.total = total
        self.classes = collections.Counter()
        self.refused = 0          # by both sides: agreeing
        # Mismatches: (index, request, classes, ours, theirs, diffs).
        self.bad = []
        # Known class: [cases, differing, re-verified, where they differ].
        self.known = collections.defaultdict(lambda: [0, 0, 0, set()])

    def add(self, oracle, i, case, ours, theirs):
        req, cls, known = case
        self.classes.update(cls)
        if ours.startswith("error: ") and theirs.startswith("error: "):
            self.refused += 1
        diffs = compare(ours, theirs)
        if not known:
            if diffs:
                self.bad.append((i, req, cls, ours, theirs, diffs))
            return
        k = self.known[known]
        k[0] += 1
        k[1] += bool(diffs)
        k[3].update(what for what, _ in diffs)
        if hasattr(oracle, "resign") and not ours.startswith("error: "):
            again = library_url(oracle.resign, req, ours)
            if compare(ours, again):
                self.bad.append((i, req, cls, ours, again, [
                    ("verify", "our URL does not verify (known class %s)" %
                     known)]))
            else:
                k[2] += 1

    def report(self, kind, oracle, show):
        checked = self.total - sum(k[0] for k in self.known.values())
        out = ["%s - %s: %d of %d cases agree with %s%s" % (
            "not ok" if self.bad else "ok", kind, checked - len(self.bad),
            checked, ORACLE_NAMES[kind], ", %d refused by both" %
            self.refused if self.refused else "")]
        out.append("# %s classes: %s" % (kind, ", ".join(
            "%s %d" % kv for kv in sorted(self.classes.items()))))
        for name in sorted(self.known):
            k = self.known[name]
            out.append("# known %s: %d of %d differ%s%s (not a failure): %s"
                       % (name, k[1], k[0], " (in: %s)" % ", ".join(
                           sorted(k[3])) if k[3] else "",
                          "; our URL verified by S3SigV4QueryAuth in %d" %
                          k[2] if hasattr(oracle, "resign") else "",
                          KNOWN[name]))
        for i, req, cls, ours, theirs, diffs in self.bad[:show]:
            out.append("# mismatch %s case %d [%s]: %s" % (
                kind, i, " ".join(cls), "; ".join(d for _, d in diffs)))
            out.append("#   request: " + json.dumps(req, ensure_ascii=False))
            out.append("#   ours:    " + ours)
            out.append("#   theirs:  " + theirs)
        if len(self.bad) > show:
            out.append("# ... and %d more %s mismatches" % (
                len(self.bad) - show, kind))
        return out


def check_kind(kind, args, rng, workdir):
    """Generate, sign both ways, compare; print the findings."""
    oracle, cases = make_cases(kind, args, rng, workdir)
    reqs = [c[0] for c in cases]
    if args.dump:
        with open(args.dump, "a", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n"
                         for r in reqs)
    t0 = time.monotonic()
    ours = run_sign_url(args.sign_url, reqs)
    t1 = time.monotonic()
    tally = Tally(len(cases))
    with oracle.frozen() if kind == "s3" else contextlib.nullcontext():
        for i, case in enumerate(cases):
            tally.add(oracle, i, case, ours[i],
                      library_url(oracle.sign, case[0]))
    t2 = time.monotonic()
    print("\n".join(tally.report(kind, oracle, args.show)))
    print("# %s: sign-url %.2fs, library and comparing %.2fs" % (
        kind, t1 - t0, t2 - t1))
    sys.stdout.flush()
    return not tally.bad


ORACLE_NAMES = {"s3": "botocore generate_presigned_url",
                "azure": "azure.storage.blob generate_blob_sas",
                "gcs": "Google's V4 steps with google-auth RSASigner / "
                       "HMAC"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sign-url", required=True, help="t/helper/sign-url")
    ap.add_argument("--kind", action="append", choices=sorted(ORACLE_NAMES),
                    help="repeatable; default: all three")
    ap.add_argument("-n", type=int, default=300, help="cases per kind")
    ap.add_argument("--seed", type=int, default=20240102)
    ap.add_argument("--show", type=int, default=5,
                    help="mismatches to print per kind")
    ap.add_argument("--sa-json", help="a service account key to sign with "
                    "(default: a new one per run)")
    ap.add_argument("--dump", help="append the generated requests to FILE")
    args = ap.parse_args()
    if not os.access(args.sign_url, os.X_OK):
        print("sign-crosscheck: %s: not executable" % args.sign_url,
              file=sys.stderr)
        return 2
    all_ok = True
    print("# sign-crosscheck: seed %d, %d cases per kind" % (args.seed,
                                                            args.n))
    with tempfile.TemporaryDirectory(prefix="sign-crosscheck.") as workdir:
        for kind in args.kind or ["s3", "azure", "gcs"]:
            # One stream per kind: a kind's cases do not depend on which
            # other kinds run.
            rng = random.Random("%d/%s" % (args.seed, kind))
            all_ok &= check_kind(kind, args, rng, workdir)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
