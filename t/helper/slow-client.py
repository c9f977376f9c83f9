#!/usr/bin/python3
"""slow-client.py: clients that hold connections open by sending slowly.

    slow-client.py MODE N PORT PATH STATE_DIR

MODE "headers": each of N connections to 127.0.0.1:PORT sends a request
line and Host, then one more header byte every second, never ending the
headers.  MODE "body": each sends complete headers of a POST to PATH
with Content-Length 65536, then one byte of the body every second.  A
connection the server closes is opened again (as an attacker would), and
counted.  STATE_DIR/ready appears once all N sent their first bytes;
STATE_DIR/closed holds the number of connections the server closed so
far, and STATE_DIR/answers the status lines it sent on them.  Runs until
killed; for t8200-slow-clients.sh.
"""
import os
import select
import socket
import sys
import time


TRICKLE = {"headers": b"X", "body": b" ", "chunked": b"1\r\n \r\n"}


def start(mode, port, path):
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    if mode == "headers":
        head = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % path
    elif mode == "chunked":
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n" % path)
    else:
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: 65536\r\n\r\n{" % path)
    s.send(head.encode())
    return s


def write(state, name, text):
    tmp = os.path.join(state, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, os.path.join(state, name))


def main():
    mode, n, port, path, state = sys.argv[1:6]
    n, port = int(n), int(port)
    conns = [start(mode, port, path) for _ in range(n)]
    write(state, "ready", "")
    closed = 0
    answers = []
    nxt = time.monotonic() + 1
    while True:
        r, _, _ = select.select(conns, [], [], max(0, nxt - time.monotonic()))
        for s in r:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/"):
                answers.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
            if data and not data.startswith(b"HTTP/"):
                continue
            # An answer or a close: the server is done with it.
            s.close()
            conns[conns.index(s)] = start(mode, port, path)
            closed += 1
            write(state, "closed", "%d\n" % closed)
            write(state, "answers", "".join(a + "\n" for a in answers))
        if time.monotonic() >= nxt:
            nxt += 1
            for s in conns:
                try:
                    s.send(TRICKLE[mode])
                except OSError:
                    pass


if __name__ == "__main__":
    main()
