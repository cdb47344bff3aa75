#!/usr/bin/env python3
"""brigade-bench/soak.py (run through ./brigade-bench/run-soak): `brigade serve` under mixed load.

Starts `brigade serve --config` (the CLI jar) on 127.0.0.1 with a pool bridge, gzip, the demo
routes and a test site, then for --minutes keeps up, all at once and each bounded by the deadline:
  * wrk keep-alive GETs of small files in 20 s bursts, and batches of 8 pipelined GETs;
  * range requests (single and multiple) checked byte for byte against the file;
  * conditional requests (If-None-Match, If-Modified-Since) expecting 304;
  * gzip requests of a large text file (gzipped on the fly), decompressed and compared;
  * slow readers of a 4 MB file (about 200 KB/s) that leave half way;
  * mid-response resets (SO_LINGER 0) of the large file;
  * small uploads to /echo, checked;
  * every 30 s, the config file rewritten (a virtual host added or removed) and SIGHUP, the change
    checked on a new connection.
Every 10 s it samples the server's RSS, open files and threads; at the end it prints the curve
(one line a minute), the responses by kind with every unexpected status, and any WARNING or
SEVERE line or leak report from the server's log. Loopback only; the server is stopped by the
PID started here, which must then exit 0. Exit code 1 if any check failed.
"""
import argparse, gzip, os, random, re, shutil, signal, socket, struct, subprocess, sys, tempfile, threading, time
import http.client
from collections import Counter

def rss_fds_threads(pid):
    rss = threads = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds, threads

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = Counter()
        self.bad = Counter()
        self.examples = {}

    def good(self, kind):
        with self.lock:
            self.ok[kind] += 1

    def fail(self, kind, what):
        with self.lock:
            self.bad[kind] += 1
            self.examples.setdefault(kind, what)

def request(port, method, path, headers=None, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
    finally:
        c.close()

def loop(deadline, fn, tally, kind, pause=0.0):
    while time.time() < deadline:
        try:
            fn()
        except Exception as e:  # a failed check or a broken connection: counted, the soak goes on
            tally.fail(kind, repr(e)[:200])
        if pause:
            time.sleep(pause)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--port", type=int, default=29180)
    a = ap.parse_args()
    run = tempfile.mkdtemp(prefix="brigade-soak-")
    site = os.path.join(run, "site")
    os.makedirs(site)
    rnd = random.Random(5)
    big = bytes(rnd.getrandbits(8) for _ in range(1 << 20)) * 4           # 4 MB, sendfile
    words = b"".join(b"line %d of a long text file that gzip will like\n" % i for i in range(60000))  # ~3 MB
    open(os.path.join(site, "big.bin"), "wb").write(big)
    open(os.path.join(site, "big.txt"), "wb").write(words)
    open(os.path.join(site, "hello.txt"), "wb").write(b"hello, world\n")
    small = bytes(range(256)) * 40
    open(os.path.join(site, "small.bin"), "wb").write(small)
    extra = os.path.join(run, "extra")
    os.makedirs(extra)
    open(os.path.join(extra, "hello.txt"), "wb").write(b"hello from the extra host\n")
    config = os.path.join(run, "brigade.yaml")

    def write_config(with_extra_host):
        # the same settings as flags before, now a config file that a reloader rewrites and SIGHUPs
        text = (f"port: {a.port}\nbind: 127.0.0.1\nroot: {site}\nbridge: pool:8:64\ngzip: 5\n"
                f"access-log: {os.path.join(run, 'access.log')}\ndemo: true\nstatus: true\n")
        if with_extra_host:
            text += f"hosts:\n  - names: [extra.test]\n    root: {extra}\n"
        tmp = config + ".new"
        open(tmp, "w").write(text)
        os.replace(tmp, config)

    write_config(False)
    log = open(os.path.join(run, "server.log"), "w")
    server = subprocess.Popen([a.java, "-XX:+UseCompactObjectHeaders", "-Xmx512m", "-jar", a.jar, "serve",
                               "--config", config], stdout=log, stderr=subprocess.STDOUT)
    tally = Tally()
    samples = []
    try:
        for _ in range(300):
            try:
                if request(a.port, "GET", "/hello.txt")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        start = time.time()
        deadline = start + a.minutes * 60
        port = a.port
        etag = request(port, "GET", "/big.bin")[1]["etag"]
        lastmod = request(port, "GET", "/big.bin")[1]["last-modified"]

        def ranges():
            first = rnd.randrange(len(big) - 1000)
            s, h, d = request(port, "GET", "/big.bin", {"Range": f"bytes={first}-{first + 999}"})
            assert s == 206 and d == big[first:first + 1000], f"range {first}: {s}"
            s, h, d = request(port, "GET", "/small.bin", {"Range": "bytes=0-9,20-29"})
            assert s == 206 and b"multipart/byteranges" in h.get("content-type", "").encode(), f"multi: {s}"
            tally.good("range")

        def conditional():
            s, _, _ = request(port, "GET", "/big.bin", {"If-None-Match": etag})
            assert s == 304, f"If-None-Match: {s}"
            s, _, _ = request(port, "GET", "/big.bin", {"If-Modified-Since": lastmod})
            assert s == 304, f"If-Modified-Since: {s}"
            tally.good("conditional")

        def gz():
            s, h, d = request(port, "GET", "/big.txt", {"Accept-Encoding": "gzip"}, timeout=30)
            assert s == 200 and h.get("content-encoding") == "gzip" and gzip.decompress(d) == words, f"gzip: {s}"
            tally.good("gzip")

        def slow_reader():
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
            sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: soak\r\n\r\n")
            got = 0
            while got < len(big) // 2 and time.time() < deadline:
                n = len(sock.recv(20000))
                if n == 0:
                    raise AssertionError("closed early")
                got += n
                time.sleep(0.1)  # ~200 KB/s
            sock.close()  # leaves half way
            tally.good("slow-reader")

        def reset():
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: soak\r\n\r\n")
            sock.recv(65536)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            tally.good("reset")

        def pipelined():
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: soak\r\n\r\n" * 8)
            data = b""
            while data.count(b"hello, world\n") < 8:
                chunk = sock.recv(65536)
                if not chunk:
                    raise AssertionError("closed after %d responses" % data.count(b"hello, world\n"))
                data += chunk
            sock.close()
            assert data.count(b"HTTP/1.1 200 OK") == 8, "pipelined: " + repr(data[:200])
            tally.good("pipelined x8")

        def upload():
            body = os.urandom(rnd.randrange(1, 100_000))
            s, h, d = request(port, "POST", "/echo", {"Content-Type": "application/octet-stream"}, body)
            if s == 404:
                tally.good("upload (no demo routes with --root)")
                return
            assert s == 200 and d == body, f"echo: {s}"
            tally.good("upload")

        def reloader():
            # every 30 s: add or remove the virtual host extra.test, SIGHUP, and see the change served
            with_extra = False
            while time.time() + 35 < deadline:
                time.sleep(30)
                with_extra = not with_extra
                write_config(with_extra)
                server.send_signal(signal.SIGHUP)
                want = b"hello from the extra host\n" if with_extra else b"hello, world\n"
                seen = False
                until = time.time() + 10
                while time.time() < until and not seen:
                    s, h, d = request(port, "GET", "/hello.txt", {"Host": "extra.test"})
                    seen = s == 200 and d == want
                    if not seen:
                        time.sleep(0.05)
                if seen:
                    tally.good("reload (SIGHUP, host " + ("added" if with_extra else "removed") + ")")
                else:
                    tally.fail("reload", f"extra.test still answers the old configuration 10 s after SIGHUP")

        def wrk_bursts():
            while time.time() + 22 < deadline:
                for path, extra in (("/hello.txt", []), ("/small.bin", [])):
                    out = subprocess.run(["wrk", "-t1", "-c32", "-d20s", "--timeout", "5s", *extra,
                                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
                    m = re.search(r"(\d+) requests in", out)
                    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                    socket_errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
                    if m:
                        with tally.lock:
                            tally.ok["wrk " + path] += int(m.group(1))
                    if errs or (socket_errs and int(socket_errs.group(4)) > 0):
                        tally.fail("wrk " + path, out[-300:])
                    if time.time() + 22 >= deadline:
                        return

        workers = [threading.Thread(target=loop, args=(deadline, f, tally, k, p), daemon=True) for f, k, p in (
            (ranges, "range", 0.01), (conditional, "conditional", 0.01), (gz, "gzip", 0.2),
            (slow_reader, "slow-reader", 0.0), (slow_reader, "slow-reader", 0.0), (reset, "reset", 0.05),
            (upload, "upload", 0.02), (pipelined, "pipelined x8", 0.01))]
        workers.append(threading.Thread(target=wrk_bursts, daemon=True))
        workers.append(threading.Thread(target=reloader, daemon=True))
        for w in workers:
            w.start()
        while time.time() < deadline:
            samples.append((time.time() - start,) + rss_fds_threads(server.pid))
            time.sleep(10)
        for w in workers:
            w.join(timeout=60)
        samples.append((time.time() - start,) + rss_fds_threads(server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print(f"soak: {a.minutes:g} min of mixed load on brigade serve --config (pool:8:64, gzip 5, a SIGHUP reload every 30 s), pid {server.pid}")
    print("\nminute  RSS MiB  open files  threads")
    last_minute = -1
    for t, rss, fds, thr in samples:
        if int(t // 60) != last_minute or t == samples[-1][0]:
            last_minute = int(t // 60)
            print(f"{t / 60:6.1f}  {rss / 1024:7.1f}  {fds:10d}  {thr:7d}")
    print("\nchecks passed:")
    for k, n in sorted(tally.ok.items()):
        print(f"  {k:<36} {n:>10,}")
    print("checks failed:" + ("" if tally.bad else " none"))
    for k, n in sorted(tally.bad.items()):
        print(f"  {k:<36} {n:>10,}  e.g. {tally.examples[k]}")
    server_log = open(os.path.join(run, "server.log")).read()
    alarming = [l for l in server_log.splitlines() if re.search(r"WARNING|SEVERE|ERROR|leak", l)]
    reloads = len(re.findall(r"reloaded .*: configuration \d+", server_log))
    print(f"server log: {reloads} reloads logged")
    print("server log: %d WARNING/SEVERE/leak lines%s" % (len(alarming), "" if not alarming else ":"))
    for l in alarming[:20]:
        print("  " + l)
    print("server exit code:", server.returncode)
    shutil.rmtree(run, ignore_errors=True)
    sys.exit(1 if tally.bad or alarming or server.returncode != 0 else 0)

if __name__ == "__main__":
    main()
