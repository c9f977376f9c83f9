#!/usr/bin/python3
"""fcgi-trickle.py: does a worker let go of a body it did not read?

    fcgi-trickle.py SOCKET URI CONTENT_LENGTH

Talks FastCGI to the deltashare worker listening on the unix SOCKET, as
a front end that streams request bodies does (Apache's mod_proxy_fcgi):
a POST to URI announcing CONTENT_LENGTH bytes, then one byte of body
every 0.2 s, before and after the answer.  Prints the answer's status
line, then "closed" once the worker refuses more body (the end of its
answer, an end of file, is not enough: libfcgi shuts down its writing
side and goes on reading), and exits 0; exits 1 if the worker still
reads the body 15 s after its answer.  For t8200-slow-clients.sh.
"""
import socket
import struct
import sys
import time

BEGIN, END, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6


def record(kind, content=b""):
    return struct.pack(">BBHHBx", 1, kind, 1, len(content), 0) + content


def pair(name, value):
    name, value = name.encode(), value.encode()
    return bytes([len(name), len(value)]) + name + value


def main():
    sock, uri, length = sys.argv[1], sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    params = b"".join(pair(k, v) for k, v in [
        ("REQUEST_METHOD", "POST"), ("REQUEST_URI", uri),
        ("SCRIPT_NAME", ""), ("SERVER_NAME", "127.0.0.1"),
        ("SERVER_PORT", "80"), ("HTTP_HOST", "127.0.0.1"),
        ("CONTENT_TYPE", "application/json"), ("CONTENT_LENGTH", length)])
    s.sendall(record(BEGIN, struct.pack(">HB5x", 1, 0)) +
              record(PARAMS, params) + record(PARAMS) + record(STDIN, b"{"))
    s.settimeout(0.2)
    buf, answered, status, eof = b"", None, None, False
    while True:
        try:
            if eof:
                time.sleep(0.2)
            else:
                data = s.recv(65536)
                eof = not data
                buf += data
        except socket.timeout:
            pass
        except OSError:
            break
        while len(buf) >= 8:
            _, kind, _, clen, plen = struct.unpack(">BBHHBx", buf[:8])
            if len(buf) < 8 + clen + plen:
                break
            if kind == STDOUT and status is None and clen:
                status = buf[8:8 + clen].split(b"\r\n", 1)[0].decode()
                print(status)
            if kind == END and answered is None:
                answered = time.monotonic()
            buf = buf[8 + clen + plen:]
        if answered is not None and time.monotonic() - answered > 15:
            print("still reading the body 15 s after the answer")
            return 1
        try:
            s.sendall(record(STDIN, b" "))
        except OSError:
            break
    if answered is None:
        print("closed without an answer")
        return 1
    print("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
