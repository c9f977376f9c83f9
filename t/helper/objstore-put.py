#!/usr/bin/python3
"""objstore-put.py: put test data into the object stores of t/lib-objstore.sh
and read it back, with Debian's python3-boto3 and python3-azure-storage
(run it with /usr/bin/python3: a python3 earlier on PATH may lack them).

  s3-make-bucket BUCKET
  s3-put-tree LOCALDIR BUCKET [PREFIX]      every file under LOCALDIR
  s3-list BUCKET [PREFIX]                   keys, one a line, sorted
  s3-get BUCKET KEY                         the object's bytes to stdout
  s3-presign BUCKET KEY [SECONDS]           a presigned GET URL (path style)
  azure-make-container CONTAINER
  azure-put-tree LOCALDIR CONTAINER [PREFIX]
  azure-list CONTAINER [PREFIX]
  azure-get CONTAINER BLOB

A file's key (blob name) is PREFIX/relative path (the relative path alone
when PREFIX is empty), byte for byte: spaces, %, +, = and non-ASCII
characters are kept as they are, never escaped or decoded twice.  Keys
must be UTF-8.

S3 (Ceph RGW): RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY and RGW_REGION
(default us-east-1); path-style addressing, SigV4, no AWS configuration
files.  Azure (Azurite): AZURITE_CONNECTION_STRING.  Errors go to stderr
as one line, with exit status 1.
"""

import os
import sys


def text(arg):
    """A command-line argument as the UTF-8 text it is, whatever the locale."""
    return os.fsencode(arg).decode("utf-8")


def tree(localdir):
    """(path, relative key) of every file under localdir, sorted."""
    base = os.fsencode(localdir)
    if not os.path.isdir(base):
        raise SystemExit("objstore-put: not a directory: %s" % localdir)
    files = []
    for root, dirs, names in os.walk(base):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, base).replace(os.sep.encode(), b"/")
            try:
                files.append((path, rel.decode("utf-8")))
            except UnicodeDecodeError:
                raise SystemExit("objstore-put: not UTF-8: %r" % rel)
    return files


def env(name):
    value = os.environ.get(name)
    if not value:
        raise SystemExit("objstore-put: %s is not set" % name)
    return value


def join(prefix, rel):
    prefix = prefix.rstrip("/")
    return prefix + "/" + rel if prefix else rel


def out(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def out_lines(names):
    out(b"".join(n.encode("utf-8") + b"\n" for n in sorted(names)))


# --- S3 ----------------------------------------------------------------------

def s3_client():
    # Only what we pass counts: no profile, no credentials or config
    # file, no instance metadata.  (Never /dev/null as a config file.)
    for k in list(os.environ):
        if k.startswith("AWS_"):
            del os.environ[k]
    none = os.path.join(os.environ.get("TRASH") or "/nonexistent",
                        "no-aws-config")
    os.environ["AWS_CONFIG_FILE"] = none
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = none
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=env("RGW_ACCESS_KEY"),
        aws_secret_access_key=env("RGW_SECRET_KEY"),
        region_name=os.environ.get("RGW_REGION") or "us-east-1")
    return session.client(
        "s3", endpoint_url=env("RGW_ENDPOINT"),
        config=Config(signature_version="s3v4",
                      s3={"addressing_style": "path"},
                      retries={"max_attempts": 1}))


def s3_make_bucket(bucket):
    s3_client().create_bucket(Bucket=text(bucket))


def s3_put_tree(localdir, bucket, prefix=""):
    c = s3_client()
    for path, rel in tree(localdir):
        with open(path, "rb") as f:
            c.put_object(Bucket=text(bucket), Key=join(text(prefix), rel),
                         Body=f)


def s3_list(bucket, prefix=""):
    pages = s3_client().get_paginator("list_objects_v2").paginate(
        Bucket=text(bucket), Prefix=text(prefix))
    out_lines(o["Key"] for p in pages for o in p.get("Contents", []))


def s3_get(bucket, key):
    r = s3_client().get_object(Bucket=text(bucket), Key=text(key))
    out(r["Body"].read())


def s3_presign(bucket, key, seconds="300"):
    url = s3_client().generate_presigned_url(
        "get_object", Params={"Bucket": text(bucket), "Key": text(key)},
        ExpiresIn=int(seconds))
    out(url.encode("utf-8") + b"\n")


# --- Azure Blob ----------------------------------------------------------------

def azure_container(container):
    from azure.storage.blob import BlobServiceClient

    svc = BlobServiceClient.from_connection_string(
        env("AZURITE_CONNECTION_STRING"), retry_total=0)
    return svc.get_container_client(text(container))


def azure_make_container(container):
    azure_container(container).create_container()


def azure_put_tree(localdir, container, prefix=""):
    c = azure_container(container)
    for path, rel in tree(localdir):
        with open(path, "rb") as f:
            c.upload_blob(name=join(text(prefix), rel), data=f,
                          overwrite=True)


def azure_list(container, prefix=""):
    blobs = azure_container(container).list_blobs(
        name_starts_with=text(prefix) or None)
    out_lines(b.name for b in blobs)


def azure_get(container, blob):
    out(azure_container(container).download_blob(text(blob)).readall())


COMMANDS = {
    "s3-make-bucket": (s3_make_bucket, 1, 1),
    "s3-put-tree": (s3_put_tree, 2, 3),
    "s3-list": (s3_list, 1, 2),
    "s3-get": (s3_get, 2, 2),
    "s3-presign": (s3_presign, 2, 3),
    "azure-make-container": (azure_make_container, 1, 1),
    "azure-put-tree": (azure_put_tree, 2, 3),
    "azure-list": (azure_list, 1, 2),
    "azure-get": (azure_get, 2, 2),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        sys.stderr.write(__doc__)
        return 2
    fn, least, most = COMMANDS[argv[1]]
    args = argv[2:]
    if not least <= len(args) <= most:
        sys.stderr.write("objstore-put: %s: wrong number of arguments\n"
                         % argv[1])
        return 2
    try:
        fn(*args)
    except Exception as e:  # botocore ClientError, azure HttpResponseError...
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        sys.stderr.write("objstore-put: %s: %s\n" % (argv[1], msg))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
