#!/usr/bin/env python3
"""brigade-bench/tls_bench.py (run through ./brigade-bench/run-tls): HTTPS side by side.

Starts Brigade (BenchServer), nginx and Netty (NettyTlsPeer, JDK SSLEngine) over TLS with one
certificate, then runs wrk against each in turn, scenario by scenario (interleaved: A B C, A B C):
plaintext (256 keep-alive connections), static-1k and static-1m (64), and handshakes (64
connections, `Connection: close`: a full TLS handshake per request). Reports req/s, the server's
CPU time per request (its whole process tree) and p99, with ratios to the best. Loopback only;
every wrk run is bounded by --duration; servers are stopped by the PIDs started here.
"""
import argparse, os, re, shutil, signal, socket, ssl, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")

SCENARIOS = {
    "plaintext": ("/plaintext", 256, []),
    "static-1k": ("/static/1k.txt", 64, []),
    "static-1m": ("/static/1m.bin", 64, []),
    "handshakes": ("/plaintext", 64, ["-H", "Connection: close"]),
}


def tree_cpu_seconds(pid):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parts = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(parts[1]), []).append(int(d))
            except OSError:
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            total += int(parts[11]) + int(parts[12])
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total / TICK


def wait_tls(port, timeout=60):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                with ctx.wrap_socket(s, server_hostname="localhost") as t:
                    t.sendall(b"GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    if t.recv(64).startswith(b"HTTP/1.1 200"):
                        return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"run-tls: nothing answers TLS on port {port}")


def wrk(url, conns, extra, duration, threads):
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "2s", "--latency"] + extra + [url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = None
    if p99:
        v, unit = float(p99.group(1)), p99.group(2)
        p99_ms = v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    err = sum(int(x) for x in errors.groups()) if errors else 0
    return rps, p99_ms, err + (int(non2xx.group(1)) if non2xx else 0), out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--servers", default="brigade,nginx,netty")
    a = ap.parse_args()
    run = tempfile.mkdtemp(prefix="brigade-run-tls-")
    os.chmod(run, 0o755)  # nginx's workers run as another user: they must reach the files
    static = os.path.join(run, "static")
    os.makedirs(static, mode=0o755)
    with open(os.path.join(static, "1k.txt"), "wb") as f:
        f.write(b"a" * 1024)
    with open(os.path.join(static, "1m.bin"), "wb") as f:
        f.write(os.urandom(1 << 20))
    subprocess.run([a.java, "-cp", a.jar, "dev.brigade.bench.BenchCertificate", run], check=True)
    cert, key = os.path.join(run, "bench.pem"), os.path.join(run, "bench.key")
    for f in ("1k.txt", "1m.bin"):
        os.chmod(os.path.join(static, f), 0o644)
    servers, procs = {}, []
    try:
        names = a.servers.split(",")
        if "brigade" in names:
            port = 29443
            p = subprocess.Popen([a.java, "-XX:+UseCompactObjectHeaders", "-cp", a.jar, "dev.brigade.bench.BenchServer",
                                  "--port", "29080", "--static", static, "--tls-cert", cert, "--tls-key", key,
                                  "--https-port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers["brigade"] = (p.pid, port)
            procs.append(p)
        if "nginx" in names:
            port = 29444
            nginx = shutil.which("nginx") or "/usr/sbin/nginx"
            os.makedirs(os.path.join(run, "tmp"), exist_ok=True)
            with open(os.path.join(HERE, "conf", "nginx-tls.conf.tmpl")) as f:
                conf = f.read()
            for k, v in {"@RUNDIR@": run, "@PORT@": str(port), "@STATIC@": static, "@CERT@": cert, "@KEY@": key}.items():
                conf = conf.replace(k, v)
            with open(os.path.join(run, "nginx.conf"), "w") as f:
                f.write(conf)
            p = subprocess.Popen([nginx, "-p", run, "-c", os.path.join(run, "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers["nginx"] = (p.pid, port)
            procs.append(p)
        if "netty" in names:
            port = 29445
            p = subprocess.Popen([a.java, "-cp", a.jar, "dev.brigade.bench.NettyTlsPeer", str(port), static, cert, key],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers["netty"] = (p.pid, port)
            procs.append(p)
        for name, (pid, port) in servers.items():
            wait_tls(port)
        rows = []
        print(f"run-tls: {a.duration} s per run after {a.warmup} s warm-up, wrk {a.threads} threads, {os.cpu_count()} cores, "
              f"servers {', '.join(servers)}", flush=True)
        for rep in range(a.reps):
            for scenario in a.scenarios.split(","):
                path, conns, extra = SCENARIOS[scenario]
                for name in (list(servers) if rep % 2 == 0 else list(reversed(servers))):
                    pid, port = servers[name]
                    url = f"https://127.0.0.1:{port}{path}"
                    if a.warmup:
                        wrk(url, conns, extra, a.warmup, a.threads)
                    c0 = tree_cpu_seconds(pid)
                    rps, p99, errors, _ = wrk(url, conns, extra, a.duration, a.threads)
                    cpu = tree_cpu_seconds(pid) - c0
                    us_per_req = cpu * 1e6 / max(1, rps * a.duration)
                    rows.append((scenario, name, rps, us_per_req, p99, errors))
                    print(f"  {scenario:<11} {name:<8} {rps:>11,.0f} req/s  {us_per_req:7.1f} µs CPU/req  "
                          f"p99 {p99 if p99 is not None else float('nan'):8.2f} ms  errors {errors}", flush=True)
        print()
        print(f"medians of {a.reps} repeat(s):")
        print("| scenario | server | req/s | vs best | server CPU µs/req | vs cheapest | p99 ms | errors |")
        print("|---|---|--:|--:|--:|--:|--:|--:|")
        for scenario in a.scenarios.split(","):
            mine = [r for r in rows if r[0] == scenario]
            by = {}
            for r in mine:
                by.setdefault(r[1], []).append(r)
            agg = {n: (statistics.median(x[2] for x in rs), statistics.median(x[3] for x in rs),
                       statistics.median((x[4] or 0) for x in rs), sum(x[5] for x in rs)) for n, rs in by.items()}
            best = max(v[0] for v in agg.values())
            cheapest = min(v[1] for v in agg.values())
            for n, (rps, cpu, p99, err) in agg.items():
                print(f"| {scenario} | {n} | {rps:,.0f} | {rps / best:.2f} | {cpu:.1f} | {cpu / cheapest:.2f} | {p99:.2f} | {err} |")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(run, ignore_errors=True)


if __name__ == "__main__":
    main()
