#!/usr/bin/env python3
"""What an attacker tried against duban-status's intake (issue 16), over raw
sockets. Run by status_hardening.sh, which started the broker and the
service with small limits: 8 connections per address, headers and body
each due within 1.5 s, idle timeout 30 s.

usage: status_hardening.py ADDR TOKEN TASK_PATH

Each check prints one line; the exit status is 1 when any failed."""
import socket
import sys
import threading
import time

HOST, PORT = sys.argv[1].rsplit(":", 1)
PORT = int(PORT)
TOKEN, TASK = sys.argv[2], sys.argv[3]
AUTH = ("Authorization: Bearer %s\r\n" % TOKEN).encode()
failures = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        failures.append(msg)


def wait_for(cond, limit, what):
    """Polls cond every 50 ms until it holds or `limit` seconds pass; a
    failed check names `what` then."""
    end = time.time() + limit
    while not cond():
        if time.time() >= end:
            check(False, "waited %.1f s for %s" % (limit, what))
            return False
        time.sleep(0.05)
    return True


def connect(src="127.0.0.1", timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect((HOST, PORT))
    return s


def read_all(s, limit=5.0):
    """Bytes until EOF or `limit` seconds; (data, closed)."""
    out, end = b"", time.time() + limit
    while time.time() < end:
        s.settimeout(max(0.05, end - time.time()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            return out, False
        except ConnectionResetError:
            return out, True
        if not d:
            return out, True
        out += d
    return out, False


def exchange(data, src="127.0.0.1", limit=3.0):
    s = connect(src)
    s.sendall(data)
    out, closed = read_all(s, limit)
    s.close()
    return out, closed


def status_of(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def get(path, src="127.0.0.2", auth=True):
    req = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: t\r\n" + (AUTH if auth else b"") + \
        b"Connection: close\r\n\r\n"
    out, _ = exchange(req, src)
    return status_of(out), out


def slowloris():
    """30 connections from 127.0.0.1 trickle header bytes; 127.0.0.2 is served;
    the trickling ones are cut at the header deadline though bytes keep coming."""
    socks, stop = [], threading.Event()
    for _ in range(30):
        try:
            s = connect("127.0.0.1")
            s.sendall(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n")
            socks.append(s)
        except OSError:
            pass
    closed = {}

    def trickle(i, s):
        t0 = time.time()
        while not stop.is_set():
            try:
                s.sendall(b"X")
                s.settimeout(0.3)
                d = s.recv(4096)
                if not d:
                    closed[i] = time.time() - t0
                    return
            except socket.timeout:
                continue
            except OSError:
                closed[i] = time.time() - t0
                return
    threads = [threading.Thread(target=trickle, args=(i, s), daemon=True) for i, s in enumerate(socks)]
    for t in threads:
        t.start()
    # the cap refuses all but 8 at once; the 8 left trickle
    wait_for(lambda: len(closed) >= len(socks) - 8, 2.0,
             "the per-address cap to refuse all but 8 of %d" % len(socks))
    t0 = time.time()
    code, _ = get("/healthz", auth=False)
    took = time.time() - t0
    check(code == 200 and took < 1.0, "healthz from another address while 30 connections trickle: %d in %.2f s"
          % (code, took))
    code, _ = get("/v1/overview")
    check(code == 200, "an authenticated read meanwhile: %d" % code)
    # then the trickling ones are cut at the header deadline (1.5 s)
    wait_for(lambda: len(closed) == len(socks), 5.0, "every trickling connection to be cut")
    stop.set()
    for t in threads:
        t.join(2)
    early = sum(1 for v in closed.values() if v < 0.5)
    late = [v for v in closed.values() if v >= 0.5]
    check(early >= 30 - 8 - 1, "the per-address cap refused %d of 30 at once (cap 8)" % early)
    check(len(late) >= 1 and max(late) < 3.0 and len(closed) == len(socks),
          "the trickling ones were cut at the header deadline (1.5 s): %d, after %.1f-%.1f s"
          % (len(late), min(late or [0]), max(late or [0])))
    for s in socks:
        s.close()


def slow_body():
    s = connect()
    s.sendall(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" + AUTH +
              b"Content-Length: 100\r\n\r\n{")
    t0, cut = time.time(), None
    while time.time() - t0 < 5:
        try:
            s.sendall(b" ")
            s.settimeout(0.3)
            if not s.recv(4096):
                cut = time.time() - t0
                break
        except socket.timeout:
            continue
        except OSError:
            cut = time.time() - t0
            break
    s.close()
    check(cut is not None and cut < 3.0, "a trickled body is cut at the body deadline: %s" % cut)


def framing():
    smuggle = (b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" + AUTH +
               b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
               b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    out, closed = exchange(smuggle)
    check(status_of(out) == 400 and closed and out.count(b"HTTP/1.1 ") == 1,
          "Content-Length with Transfer-Encoding: 400, closed, the smuggled request not served")
    cases = [
        (b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x", "two Content-Length"),
        (b"Transfer-Encoding: identity, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "TE: identity, chunked"),
        (b"Transfer-Encoding: gzip\r\n\r\n", "TE: gzip"),
        (b"Content-Length: 1e3\r\n\r\n{}", "Content-Length 1e3"),
    ]
    for hdrs, name in cases:
        t0 = time.time()
        out, closed = exchange(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" +
                               AUTH + hdrs)
        check(status_of(out) == 400 and closed and time.time() - t0 < 1.5,
              "%s: 400 and closed at once (%d, %.2f s)" % (name, status_of(out), time.time() - t0))
    for value in [b"-1", b"18446744073709551616", b"2 ", b"+2"]:
        out, closed = exchange(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" +
                               AUTH + b"Content-Length: " + value + b"\r\n\r\n{}")
        check(status_of(out) == 400 and closed and out.count(b"HTTP/1.1 ") == 1,
              "Content-Length %r: 400, one status line, closed (%d, %d status lines)"
              % (value.decode(), status_of(out), out.count(b"HTTP/1.1 ")))
    for hdrs, name in [(b"Content-Length : 2\r\n\r\n{}", "whitespace before ':'"),
                       (b"X-Pad: a\r\n Content-Length: 2\r\n\r\n{}", "a folded header line")]:
        out, closed = exchange(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" +
                               AUTH + hdrs)
        check(status_of(out) == 400 and closed and out.count(b"HTTP/1.1 ") == 1,
              "%s: 400, one status line, closed (%d)" % (name, status_of(out)))


def keepalive():
    """A kept-alive connection is checked again before each request: a bad
    second head gets one 400 and the close; what cannot be checked closes."""
    get_req = b"GET /v1/overview HTTP/1.1\r\nHost: t\r\n" + AUTH + b"\r\n"
    post = b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" + AUTH
    s = connect("127.0.0.3")
    answers = []
    for _ in range(3):
        s.sendall(get_req)
        out, closed = read_all(s, 0.5)
        answers.append((status_of(out), closed, b"Connection: close" in out))
    check(answers == [(200, False, False)] * 3,
          "three requests on one kept-alive connection, each answered 200, kept open: %r" % answers)
    for second, name in [(b"Content-Length: -1\r\n\r\n{}", "Content-Length -1"),
                         (b"Content-Length: 18446744073709551616\r\n\r\n", "Content-Length 2^64"),
                         (b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                          b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", "Content-Length with Transfer-Encoding"),
                         (b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x", "two Content-Length")]:
        s = connect("127.0.0.3")
        s.sendall(get_req)
        first, _ = read_all(s, 0.5)
        s.sendall(post + second)
        out, closed = read_all(s, 3)
        s.close()
        check(status_of(first) == 200 and status_of(out) == 400 and closed and
              out.count(b"HTTP/1.1 ") == 1,
              "a second request with %s on a kept-alive connection: 400, one status line, closed "
              "(%d then %d, %d status lines)" % (name, status_of(first), status_of(out),
                                                out.count(b"HTTP/1.1 ")))
    # pipelined: the library may read the second with the first; it is then
    # not served, the first answer closes. Either way: never twice, never unchecked.
    out, closed = exchange(get_req + post + b"Content-Length: -1\r\n\r\n{}")
    lines = out.count(b"HTTP/1.1 ")
    check(status_of(out) == 200 and closed and b"<html>" not in out and
          (lines == 1 and b"Connection: close" in out or lines == 2 and b"HTTP/1.1 400" in out),
          "pipelined after a good request, Content-Length -1: %d status lines, closed" % lines)
    out, closed = exchange(b"GET /v1/overview HTTP/1.0\r\nHost: t\r\n" + AUTH + b"\r\n")
    check(status_of(out) == 200 and closed, "HTTP/1.0: answered and closed (%d)" % status_of(out))
    out, closed = exchange(post + b"Transfer-Encoding: chunked\r\n\r\n"
                           b"1b\r\n{\"to_status\":\"IN_PROGRESS\"}\r\n0\r\n\r\n")
    check(0 < status_of(out) < 500 and closed and b"Connection: close" in out,
          "a chunked request: answered (%d) and closed (its end cannot be checked)" % status_of(out))


def unauthenticated_upload():
    s = connect()
    s.sendall(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n"
              b"Content-Length: 52428800\r\nExpect: 100-continue\r\n\r\n")
    out, closed = read_all(s, 3)
    s.close()
    check(status_of(out) == 401 and b"100 Continue" not in out and closed,
          "Expect: 100-continue without a token: 401 at once, no 100, closed")
    s = connect()
    s.sendall(b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n"
              b"Content-Length: 52428800\r\n\r\n")
    sent, chunk, t0 = 0, b"x" * 65536, time.time()
    try:
        s.settimeout(2)
        while sent < 52428800 and time.time() - t0 < 10:
            sent += s.send(chunk)
    except OSError:
        pass
    s.close()
    check(sent < 16 * 1048576, "a 50 MB body without a token is not read: the server stopped "
          "taking it after %.1f MB" % (sent / 1048576))


def bad_input():
    big_header = b"X-Pad: " + b"a" * 70000 + b"\r\n"
    req = (b"GET /v1/overview HTTP/1.1\r\nHost: t\r\n" + AUTH + big_header + b"\r\n")
    out, closed = exchange(req)
    check(400 <= status_of(out) < 500 or (closed and not out),
          "a 70 KB header: refused (%d)" % status_of(out))
    for body, want in [(b"{", 400), (b"\xff\xfe{}", 400), (b'{"to_status":"ACCEPTED","comment":"\xc3"}', 400),
                       (b'{"to_status":"ACCEPTED","x":"' + b"y" * 70000 + b'"}', 413)]:
        req = (b"POST /v1/tasks/" + TASK.encode() + b"/status HTTP/1.1\r\nHost: t\r\n" + AUTH +
               b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        out, _ = exchange(req)
        check(status_of(out) == want, "body %r...: %d (want %d)" % (body[:20], status_of(out), want))
    for path in [b"/v1/tasks/a%23b%C2%85/status", b"/v1/tasks/a%23b%E2%80%A8/status",
                 b"/v1/tasks/a%23b%zz/status", b"/v1/tasks/a%23b%/status", b"/v1/tasks/a%23%FF/status",
                 b"/v1/tasks/\xff\x01\x1b[31m%23x/status"]:
        req = (b"POST " + path + b" HTTP/1.1\r\nHost: t\r\n" + AUTH +
               b"Content-Length: 26\r\nConnection: close\r\n\r\n" + b'{"to_status":"ACCEPTED"}  ')
        out, _ = exchange(req)
        check(status_of(out) == 400, "path %r: %d" % (path, status_of(out)))
    code, _ = get("/healthz", auth=False)
    check(code == 200, "healthy after all that: %d" % code)


slowloris()
slow_body()
framing()
keepalive()
unauthenticated_upload()
bad_input()
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
