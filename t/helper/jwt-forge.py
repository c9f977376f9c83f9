#!/usr/bin/env python3
# jwt-forge.py: make JSON Web Tokens the server must refuse (or accept),
# independently of the server's own code.  Standard library only.
#
#   jwt-forge.py MAC KEYFILE HEADER_JSON PAYLOAD_JSON
#
# MAC is HS256, HS384 or HS512 (HMAC over "header.payload" with the bytes
# of KEYFILE, one trailing newline removed, as the server reads secrets),
# or "none" (empty signature), or "junk" (a random signature).  The
# header is used as given, so any "alg" can be paired with any MAC.
import base64, hashlib, hmac, os, sys

def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def main():
    if len(sys.argv) != 5:
        sys.exit("usage: jwt-forge.py MAC KEYFILE HEADER PAYLOAD")
    mac, keyfile, header, payload = sys.argv[1:]
    signing_input = b64(header.encode()) + "." + b64(payload.encode())
    if mac == "none":
        sig = ""
    elif mac == "junk":
        sig = b64(os.urandom(32))
    else:
        key = open(keyfile, "rb").read()
        if mac.endswith("-raw"):
            mac = mac[:-4]
        elif key.endswith(b"\n"):
            key = key[:-1]
        digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384,
                  "HS512": hashlib.sha512}[mac]
        sig = b64(hmac.new(key, signing_input.encode(), digest).digest())
    print(signing_input + "." + sig)

main()
