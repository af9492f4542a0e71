#!/usr/bin/python3
"""Load generator and peer runner for haru's performance figures (see bench/README.md).

Every figure starts its own `haru server` on a free loopback port with a fresh temporary
--data-dir and a static bearer token, drives it over HTTPS on 127.0.0.1 only, measures, and
kills it. Every loop is bounded in count and in time. Usage:

    bench/run.sh create|get|list|watch|memory|all [--seconds N] ...

Tools: wrk (HTTPS load, Lua bodies), nginx-light (GET peer), curl (LIST timing), python3's
sqlite3 module (durable-write peer), this file (loaders, watchers). Results are printed as
text and written as JSON under bench/out/.
"""

import argparse
import datetime
import json
import multiprocessing as mp
import os
import platform
import re
import selectors
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
HARU = os.environ.get("HARU_BIN", os.path.join(ROOT, "build", "src", "haru"))
TOKEN = "benchtoken-0123456789abcdef"
WORKDIR_BASE = os.environ.get("HARU_BENCH_TMP", tempfile.gettempdir())


def log(*a):
    print(*a, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = rss = 0
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return f"{os.cpu_count()} vCPU {cpu}, {mem} MiB RAM, kernel {platform.release()}, load avg {os.getloadavg()[0]:.2f}"


# ---------------------------------------------------------------- server


class Server:
    def __init__(self, workdir, data_dir=None, extra=()):
        self.workdir = workdir
        self.data_dir = data_dir or os.path.join(workdir, "data")
        self.port = free_port()
        self.token_file = os.path.join(workdir, "tokens.csv")
        with open(self.token_file, "w") as f:
            f.write(f'{TOKEN},bench,bench-uid,"system:masters"\n')
        self.extra = list(extra)
        self.proc = None
        self.start_time = None

    @property
    def base(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca(self):
        return os.path.join(self.data_dir, "pki", "ca.crt")

    def start(self, wait=True, timeout=60):
        self.port = free_port()
        logf = open(os.path.join(self.workdir, "server.log"), "ab")
        self.start_time = time.monotonic()
        self.proc = subprocess.Popen(
            [HARU, "server", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
             "--token-auth-file", self.token_file] + self.extra,
            stdout=logf, stderr=subprocess.STDOUT)
        if wait:
            t = self.wait_ready(timeout)
            self.wait_default_namespace()
            return t

    def wait_default_namespace(self, timeout=30):
        """/readyz can answer 200 before the bootstrap controller has created `default`."""
        end = time.monotonic() + timeout
        c = Conn(self.port, insecure_ctx())
        try:
            while time.monotonic() < end:
                st, _ = c.request("GET", "/api/v1/namespaces/default")
                if st == 200:
                    return
                time.sleep(0.01)
        finally:
            c.close()
        raise RuntimeError("namespace default not created")

    def wait_ready(self, timeout=60):
        """Seconds from exec to the first /readyz 200 (polled every 5 ms)."""
        deadline = self.start_time + timeout
        ctx = insecure_ctx()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haru exited with {self.proc.returncode}; see {self.workdir}/server.log")
            try:
                c = Conn(self.port, ctx, timeout=2)
                st, _ = c.request("GET", "/readyz")
                c.close()
                if st == 200:
                    return time.monotonic() - self.start_time
            except (OSError, ssl.SSLError, ConnectionError):
                pass
            time.sleep(0.005)
        raise RuntimeError("haru not ready in time")

    def rss(self, field="VmRSS"):
        return rss_kib(self.proc.pid, field)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def insecure_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Conn:
    """A minimal keep-alive HTTPS/1.1 client (Content-Length and chunked bodies)."""

    def __init__(self, port, ctx, timeout=30):
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        self.buf = b""

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

    def _fill(self):
        d = self.s.recv(262144)
        if not d:
            raise ConnectionError("closed")
        self.buf += d

    def request(self, method, path, body=None, ctype="application/json"):
        h = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
             f"Accept: application/json\r\n")
        if body is not None:
            if isinstance(body, str):
                body = body.encode()
            h += f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
        data = (h + "\r\n").encode() + (body or b"")
        self.s.sendall(data)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if "content-length" in hdrs:
            n = int(hdrs["content-length"])
            while len(self.buf) < n:
                self._fill()
            out, self.buf = self.buf[:n], self.buf[n:]
            return status, out
        if hdrs.get("transfer-encoding", "").lower() == "chunked":
            out = []
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                line, self.buf = self.buf.split(b"\r\n", 1)
                n = int(line.split(b";")[0], 16)
                while len(self.buf) < n + 2:
                    self._fill()
                out.append(self.buf[:n])
                self.buf = self.buf[n + 2:]
                if n == 0:
                    return status, b"".join(out)
        return status, b""


# ---------------------------------------------------------------- payloads

CM_PAD = 812  # data value length that makes a stored ConfigMap ~1 KiB of JSON


def configmap_body(name, pad=CM_PAD):
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                       "data": {"payload": "x" * pad}}, separators=(",", ":"))


def pod_body(name, target_bytes=4096):
    env = [{"name": f"ENV_VAR_{i:02d}", "value": f"value-{i:02d}-" + "v" * 40} for i in range(24)]
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": {"app": "bench", "tier": "backend", "pod": name},
                        "annotations": {"bench/pad": ""}},
           "spec": {"containers": [{"name": "main", "image": "registry.example/bench/app:1.0",
                                    "command": ["/bin/app", "--serve"],
                                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                                    "env": env,
                                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}],
                    "restartPolicy": "Always"}}
    base = len(json.dumps(pod, separators=(",", ":")))
    # the server adds ~460 bytes of defaults, uid, timestamps and status
    pod["metadata"]["annotations"]["bench/pad"] = "p" * max(0, target_bytes - base - 460)
    return json.dumps(pod, separators=(",", ":"))


def ensure_namespace(port, ns):
    c = Conn(port, insecure_ctx())
    st, b = c.request("POST", "/api/v1/namespaces",
                      json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
    c.close()
    if st not in (201, 409):
        raise RuntimeError(f"namespace create: {st} {b[:200]}")


def _load_worker(args):
    port, kind, ns, names, out_q = args
    ctx = insecure_ctx()
    total = 0
    errors = 0
    lock = threading.Lock()
    it = iter(names)

    def run():
        nonlocal total, errors
        c = Conn(port, ctx)
        while True:
            with lock:
                name = next(it, None)
            if name is None:
                break
            if kind == "configmaps":
                st, b = c.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap_body(name))
            else:
                st, b = c.request("POST", f"/api/v1/namespaces/{ns}/pods", pod_body(name))
            with lock:
                if st == 201:
                    total += len(b)
                else:
                    errors += 1
        c.close()

    ts = [threading.Thread(target=run) for _ in range(16)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out_q.put((total, errors))


def bulk_create(port, kind, ns, count, prefix, procs=2, limit_s=600):
    """Creates `count` objects over 2 processes x 16 keep-alive connections; returns
    (seconds, sum of stored JSON sizes as returned by the server, errors)."""
    q = mp.Queue()
    chunks = [[f"{prefix}-{i}" for i in range(p, count, procs)] for p in range(procs)]
    t0 = time.monotonic()
    ps = [mp.Process(target=_load_worker, args=((port, kind, ns, ch, q),)) for ch in chunks]
    for p in ps:
        p.start()
    res = [q.get(timeout=limit_s) for _ in ps]
    for p in ps:
        p.join()
    return time.monotonic() - t0, sum(r[0] for r in res), sum(r[1] for r in res)


# ---------------------------------------------------------------- wrk

def run_wrk(url, seconds, conns, threads, script=None, extra_env=None):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    cmd += [url]
    env = dict(os.environ, **(extra_env or {}))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    r = {"cmd": " ".join(cmd), "raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if m:
        r["requests"] = int(m.group(1))
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out)
        if m:
            v = float(m.group(1))
            r[f"p{p}_ms"] = v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    r["socket_errors"] = m.group(1) if m else ""
    return r


# ---------------------------------------------------------------- figures

def sqlite_peer(dirpath, seconds, max_rows=200000):
    """SQLite's no-group-commit floor: one INSERT per transaction, WAL + synchronous=FULL,
    1 KiB payloads (the same bytes as the ConfigMaps), on the same disk."""
    path = os.path.join(dirpath, "peer.db")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB)")
    n = 0
    t0 = time.monotonic()
    end = t0 + seconds
    while n < max_rows and time.monotonic() < end:
        for _ in range(100):
            db.execute("BEGIN")
            db.execute("INSERT INTO kv VALUES (?, ?)", (f"/configmaps/default/cm-{n}", configmap_body(f"cm-{n}").encode()))
            db.execute("COMMIT")
            n += 1
    dt = time.monotonic() - t0
    db.close()
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    return {"rows": n, "seconds": dt, "rate": n / dt,
            "how": "python3 sqlite3 (SQLite %s), journal_mode=WAL, synchronous=FULL, BEGIN/INSERT/COMMIT per row" % sqlite3.sqlite_version}


def fig_create(wd, a):
    res = {}
    log(f"[create] SQLite peer, {a.peer_seconds}s, dir {wd}")
    res["peer"] = sqlite_peer(wd, a.peer_seconds)
    log(f"  sqlite one-txn-per-row: {res['peer']['rate']:.0f} rows/s ({res['peer']['rows']} rows)")
    srv = Server(wd)
    srv.start()
    try:
        log(f"[create] wrk POST configmaps, 64 conns, {a.seconds}s")
        cpu0 = cpu_seconds(srv.proc.pid)
        r = run_wrk(srv.base + "/api/v1/namespaces/default/configmaps", a.seconds, 64, a.wrk_threads,
                    os.path.join(BENCH, "create.lua"),
                    {"HARU_TOKEN": TOKEN, "HARU_PAD": str(CM_PAD)})
        res["server_cpu_s"] = cpu_seconds(srv.proc.pid) - cpu0
        # durability/accounting check: the server's own count of 201s
        c = Conn(srv.port, insecure_ctx())
        st, body = c.request("GET", "/metrics")
        m = re.search(rb'apiserver_request_total\{verb="POST",resource="configmaps",code="201"\} (\d+)', body)
        res["server_201"] = int(m.group(1)) if m else None
        c.close()
        res["rss_after_kib"] = srv.rss()
    finally:
        srv.stop()
    res["wrk"] = r
    res["ratio_vs_sqlite"] = r["rps"] / res["peer"]["rate"]
    log(r["raw"])
    log(f"  haru creates/s {r['rps']:.0f}  p99 {r.get('p99_ms')} ms  non2xx {r['non2xx']}  "
        f"server 201s {res['server_201']}  ratio vs sqlite {res['ratio_vs_sqlite']:.2f}x  "
        f"server CPU {res['server_cpu_s']:.1f}s")
    return res


NGINX_CONF = """worker_processes {workers}; daemon off; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d};
  uwsgi_temp_path {d}; scgi_temp_path {d}; types {{ }} default_type application/json;
  server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {crt}; ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3; keepalive_requests 100000000; root {d}/www; }} }}
"""


def fig_get(wd, a):
    """haru and nginx alternate (haru, nginx x1 worker, nginx x2 workers) for --get-rounds
    rounds, so that load from other users of a shared machine hits both; best of each."""
    res = {"haru_runs": [], "nginx_runs": []}
    srv = Server(wd)
    srv.start()
    path = "/api/v1/namespaces/default/configmaps/bench-get"
    nginx_procs = []
    try:
        c = Conn(srv.port, insecure_ctx())
        st, _ = c.request("POST", "/api/v1/namespaces/default/configmaps", configmap_body("bench-get"))
        st, body = c.request("GET", path)
        c.close()
        assert st == 200, st
        res["object_bytes"] = len(body)
        # the peer: nginx serving the same bytes as a static file, with haru's certificate
        nd = os.path.join(wd, "nginx")
        os.makedirs(os.path.join(nd, "www", os.path.dirname(path[1:])), exist_ok=True)
        with open(os.path.join(nd, "www", path[1:]), "wb") as f:
            f.write(body)
        # nginx workers run as an unprivileged user: make the docroot readable to them
        # (mkdtemp makes 0700 directories).
        for d in (wd, nd):
            os.chmod(d, 0o755)
        for dirpath, dirs, files in os.walk(os.path.join(nd, "www")):
            os.chmod(dirpath, 0o755)
            for fn in files:
                os.chmod(os.path.join(dirpath, fn), 0o644)
        nginx_ports = {}
        for workers in a.nginx_workers:
            port = free_port()
            sub = os.path.join(nd, f"w{workers}")
            os.makedirs(sub, exist_ok=True)
            conf = os.path.join(sub, "nginx.conf")
            with open(conf, "w") as f:
                f.write(NGINX_CONF.format(workers=workers, d=sub, port=port,
                                          crt=os.path.join(srv.data_dir, "pki", "apiserver.crt"),
                                          key=os.path.join(srv.data_dir, "pki", "apiserver.key")).replace(
                                              f"root {sub}/www", f"root {nd}/www"))
            nginx_procs.append(subprocess.Popen(["nginx", "-c", conf], stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL))
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    time.sleep(0.02)
            chk = subprocess.run(["curl", "-sk", f"https://127.0.0.1:{port}{path}"], capture_output=True,
                                 timeout=10).stdout
            if chk != body:
                raise RuntimeError(f"nginx does not serve the same bytes: {chk[:200]!r}")
            nginx_ports[workers] = port
        for rnd in range(a.get_rounds):
            log(f"[get] round {rnd}: haru GET one ConfigMap ({len(body)} B), 64 conns, {a.get_seconds}s")
            cpu0 = cpu_seconds(srv.proc.pid)
            r = run_wrk(srv.base + path, a.get_seconds, 64, a.wrk_threads, os.path.join(BENCH, "get.lua"),
                        {"HARU_TOKEN": TOKEN})
            r["server_cpu_s"] = cpu_seconds(srv.proc.pid) - cpu0
            r["load_avg"] = os.getloadavg()[0]
            if r["non2xx"]:
                raise RuntimeError("haru answered non-2xx")
            log(f"  haru {r['rps']:.0f}/s p50 {r.get('p50_ms')} p99 {r.get('p99_ms')} ms, server CPU {r['server_cpu_s']:.1f}s")
            res["haru_runs"].append(r)
            for workers, port in nginx_ports.items():
                nr = run_wrk(f"https://127.0.0.1:{port}{path}", a.get_seconds, 64, a.wrk_threads,
                             os.path.join(BENCH, "get.lua"), {"HARU_TOKEN": TOKEN})
                nr["workers"] = workers
                nr["load_avg"] = os.getloadavg()[0]
                if nr["non2xx"]:
                    raise RuntimeError("nginx answered non-2xx")
                log(f"  nginx ({workers} worker) {nr['rps']:.0f}/s p50 {nr.get('p50_ms')} p99 {nr.get('p99_ms')} ms")
                res["nginx_runs"].append(nr)
    finally:
        for p in nginx_procs:
            p.terminate()
            p.wait()
        srv.stop()
    res["haru"] = max(res["haru_runs"], key=lambda r: r["rps"])
    res["nginx"] = max(res["nginx_runs"], key=lambda r: r["rps"])
    res["ratio_vs_nginx"] = res["haru"]["rps"] / res["nginx"]["rps"]
    log(res["haru"]["raw"])
    log(res["nginx"]["raw"])
    log(f"  best haru GET/s {res['haru']['rps']:.0f} p99 {res['haru'].get('p99_ms')} ms; best nginx "
        f"{res['nginx']['rps']:.0f}/s ({res['nginx']['workers']} workers) p99 {res['nginx'].get('p99_ms')} ms;"
        f" ratio {res['ratio_vs_nginx']:.2f}")
    return res


def curl_list(srv, url, limit_rate=None):
    cmd = ["curl", "-sS", "--cacert", srv.ca, "-H", f"Authorization: Bearer {TOKEN}",
           "-H", "Accept: application/json", "-o", "/dev/null", "--max-time", "120",
           "-w", "%{http_code} %{time_pretransfer} %{time_starttransfer} %{time_total} %{size_download}"]
    if limit_rate:
        cmd += ["--limit-rate", limit_rate]
    return cmd + [url]


def fig_list(wd, a):
    res = {}
    srv = Server(wd)
    srv.start()
    try:
        ensure_namespace(srv.port, "bench")
        log(f"[list] creating {a.pods} pods of ~4 KiB")
        dt, nbytes, errs = bulk_create(srv.port, "pods", "bench", a.pods, "pod")
        res["load"] = {"seconds": dt, "bytes": nbytes, "errors": errs, "avg_pod_bytes": nbytes / max(1, a.pods - errs)}
        log(f"  {a.pods - errs} pods in {dt:.1f}s, avg stored pod {res['load']['avg_pod_bytes']:.0f} B, errors {errs}")
        url = srv.base + "/api/v1/pods"
        res["rss_before_any_list_kib"] = srv.rss()
        runs = []
        for i in range(a.list_runs):
            out = subprocess.run(curl_list(srv, url), capture_output=True, text=True, timeout=150).stdout.split()
            code, pre, start, total, size = out[0], float(out[1]), float(out[2]), float(out[3]), int(float(out[4]))
            runs.append({"code": code, "first_byte_ms": (start - pre) * 1000,
                         "MBps": size / (total - pre) / 1e6, "bytes": size, "total_ms": (total - pre) * 1000})
            log(f"  LIST {i}: {code} first byte {runs[-1]['first_byte_ms']:.1f} ms, {size} B in "
                f"{runs[-1]['total_ms']:.0f} ms = {runs[-1]['MBps']:.0f} MB/s")
        res["runs"] = runs
        res["first_byte_ms_median"] = statistics.median(r["first_byte_ms"] for r in runs)
        res["MBps_median"] = statistics.median(r["MBps"] for r in runs)
        # 10 concurrent LISTs: fast readers, then slow readers (20 MB/s each)
        for label, rate in (("fast", None), ("slow_20MBps", "20M")):
            time.sleep(1)
            base = srv.rss()
            with open(f"/proc/{srv.proc.pid}/clear_refs", "w") as f:
                f.write("5")  # reset VmHWM
            peak = base
            procs = [subprocess.Popen(curl_list(srv, url, rate), stdout=subprocess.PIPE, text=True) for _ in range(10)]
            while any(p.poll() is None for p in procs):
                peak = max(peak, srv.rss())
                time.sleep(0.01)
            outs = [p.communicate()[0].split() for p in procs]
            hwm = srv.rss("VmHWM")
            peak = max(peak, hwm)
            ok = sum(1 for o in outs if o and o[0] == "200")
            res[f"concurrent_{label}"] = {"baseline_kib": base, "peak_kib": peak, "ok": ok,
                                          "extra_per_list_MiB": (peak - base) / 10 / 1024,
                                          "first_byte_ms_max": max((float(o[2]) - float(o[1])) * 1000 for o in outs),
                                          "seconds_max": max(float(o[3]) for o in outs)}
            log(f"  10 concurrent LISTs ({label}): baseline RSS {base/1024:.1f} MiB, peak {peak/1024:.1f} MiB, "
                f"extra per LIST {(peak - base) / 10 / 1024:.2f} MiB, {ok}/10 ok, slowest {res[f'concurrent_{label}']['seconds_max']:.2f}s")
    finally:
        srv.stop()
    return res


# -- watch fan-out

def _watch_reader(port, path, nconns, expect, deadline, out_q, ready_q):
    """Opens nconns watches; counts MODIFIED events per read (each watcher receives every
    event in order, so the k-th MODIFIED event of a stream is the k-th write in revision
    order). Records (monotonic time, count) per read."""
    ctx = insecure_ctx()
    sel = selectors.DefaultSelector()
    pat = b'{"type":"MODIFIED"'
    states = []
    req = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
           f"Accept: application/json\r\n\r\n").encode()
    for i in range(nconns):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        s.sendall(req)
        s.setblocking(False)
        st = {"s": s, "n": 0, "tail": b"", "times": [], "counts": [], "first_status": None}
        states.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    ready_q.put(nconns)
    done = 0
    while done < nconns and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            st = key.data
            s = st["s"]
            got = 0
            try:
                while True:
                    d = s.recv(262144)
                    if not d:
                        break
                    t = st["tail"] + d
                    got += t.count(pat)
                    st["tail"] = t[-(len(pat) - 1):]
                    if not s.pending():
                        break
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
            except (ssl.SSLError, OSError):
                sel.unregister(s)
                done += 1
                continue
            if got:
                now = time.monotonic()
                st["times"].append(now)
                st["counts"].append(got)
                st["n"] += got
                if st["n"] >= expect:
                    sel.unregister(s)
                    done += 1
    out = [(st["n"], st["times"], st["counts"]) for st in states]
    for st in states:
        try:
            st["s"].close()
        except OSError:
            pass
    out_q.put(out)


def _watch_writer(port, ns, pods, total, rate, threads, limit_s, out_q):
    ctx = insecure_ctx()
    acks = []
    lock = threading.Lock()
    t0 = time.monotonic() + 0.2
    per = threads / rate
    errors = [0]

    def run(k):
        c = Conn(port, ctx)
        j = 0
        i = k
        while i < total and time.monotonic() < t0 + limit_s:
            due = t0 + j * per + k * (1.0 / rate)
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            name = f"w-{i % pods}"
            body = json.dumps({"metadata": {"annotations": {"bench/seq": str(i)}}})
            ts = time.monotonic()
            st, b = c.request("PATCH", f"/api/v1/namespaces/{ns}/pods/{name}", body,
                              "application/merge-patch+json")
            t = time.monotonic()
            if st == 200:
                rv = int(re.search(rb'"resourceVersion":"(\d+)"', b).group(1))
                with lock:
                    acks.append((rv, t, ts))
            else:
                errors[0] += 1
            i += threads
            j += 1
        c.close()

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out_q.put((acks, errors[0], time.monotonic() - t0))


def fig_watch(wd, a):
    res = {"watchers": a.watchers, "rate": a.watch_rate, "updates": a.watch_updates}
    srv = Server(wd)
    srv.start()
    try:
        ensure_namespace(srv.port, "bench")
        c = Conn(srv.port, insecure_ctx())
        npods = 100
        for i in range(npods):
            st, b = c.request("POST", "/api/v1/namespaces/bench/pods", pod_body(f"w-{i}", 1024))
            assert st == 201, (st, b[:300])
        st, b = c.request("GET", "/api/v1/namespaces/bench/pods?limit=1")
        rv = json.loads(b)["metadata"]["resourceVersion"]
        st, b = c.request("GET", "/api/v1/namespaces/bench/pods/w-0")
        res["event_object_bytes"] = len(b)
        c.close()
        path = f"/api/v1/namespaces/bench/pods?watch=1&resourceVersion={rv}"
        deadline = time.monotonic() + a.watch_updates / a.watch_rate + 60
        out_q, ready_q = mp.Queue(), mp.Queue()
        nproc = a.watch_procs
        readers = []
        for p in range(nproc):
            n = a.watchers // nproc + (1 if p < a.watchers % nproc else 0)
            readers.append(mp.Process(target=_watch_reader,
                                      args=(srv.port, path, n, a.watch_updates, deadline, out_q, ready_q)))
        for r in readers:
            r.start()
        for _ in readers:
            ready_q.get(timeout=120)
        time.sleep(1.0)
        log(f"[watch] {a.watchers} watchers open; RSS {srv.rss()/1024:.1f} MiB; writing {a.watch_updates} "
            f"pod updates at {a.watch_rate}/s")
        res["rss_with_watchers_kib"] = srv.rss()
        cpu0 = cpu_seconds(srv.proc.pid)
        wq = mp.Queue()
        w = mp.Process(target=_watch_writer, args=(srv.port, "bench", npods, a.watch_updates, a.watch_rate,
                                                    8, a.watch_updates / a.watch_rate + 30, wq))
        w.start()
        acks, werr, wdt = wq.get(timeout=a.watch_updates / a.watch_rate + 90)
        w.join()
        outs = []
        for _ in readers:
            outs.extend(out_q.get(timeout=max(5, deadline - time.monotonic() + 30)))
        for r in readers:
            r.join()
        res["server_cpu_s"] = cpu_seconds(srv.proc.pid) - cpu0
    finally:
        srv.stop()
    acks.sort()
    ack_t = [t for _, t, _ in acks]
    send_t = [s for _, _, s in acks]
    res["writes_acked"] = len(acks)
    res["write_errors"] = werr
    res["write_seconds"] = wdt
    res["achieved_rate"] = len(acks) / wdt
    complete = sum(1 for n, _, _ in outs if n == len(acks))
    res["watchers_complete"] = complete
    res["events_delivered"] = sum(n for n, _, _ in outs)
    res["events_expected"] = len(acks) * a.watchers
    # latency histogram (0.1 ms buckets up to 10 s)
    hist = {}
    hist_send = {}
    neg = 0
    for n, times, counts in outs:
        k = 0
        for t, cnt in zip(times, counts):
            for j in range(k, min(k + cnt, len(ack_t))):
                d = t - ack_t[j]
                if d < 0:
                    neg += 1
                    d = 0.0
                b = int(d * 10000)
                hist[b] = hist.get(b, 0) + 1
                b = int((t - send_t[j]) * 10000)
                hist_send[b] = hist_send.get(b, 0) + 1
            k += cnt
    total = sum(hist.values())

    def pct(p, h=hist):
        want = p * total
        acc = 0
        for b in sorted(h):
            acc += h[b]
            if acc >= want:
                return (b + 1) / 10.0
        return None

    res["latency_ms"] = {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99), "p999": pct(0.999),
                         "max": (max(hist) + 1) / 10.0 if hist else None, "samples": total,
                         "delivered_before_ack": neg}
    res["latency_from_send_ms"] = {"p50": pct(0.50, hist_send), "p99": pct(0.99, hist_send),
                                   "max": (max(hist_send) + 1) / 10.0 if hist_send else None}
    log(f"  writes acked {len(acks)} ({werr} errors) in {wdt:.1f}s = {res['achieved_rate']:.0f}/s; delivered "
        f"{res['events_delivered']}/{res['events_expected']}; watchers complete {complete}/{a.watchers}; "
        f"latency ms (ack->delivery, clamped at 0) {res['latency_ms']}; request sent->delivery "
        f"{res['latency_from_send_ms']}; server CPU {res['server_cpu_s']:.1f}s")
    return res


def fig_memory(wd, a):
    res = {}
    srv = Server(wd)
    t = srv.start()
    res["start_empty_s"] = t
    time.sleep(3)
    res["idle_rss_kib"] = srv.rss()
    log(f"[memory] idle RSS {res['idle_rss_kib']/1024:.1f} MiB (fresh data dir, 3 s after /readyz)")
    try:
        log(f"[memory] creating {a.objects} x 1 KiB ConfigMaps")
        dt, nbytes, errs = bulk_create(srv.port, "configmaps", "default", a.objects, "cm")
        n = a.objects - errs
        res["load"] = {"seconds": dt, "objects": n, "encoded_bytes": nbytes, "errors": errs}
        time.sleep(3)
        res["rss_loaded_kib"] = srv.rss()
        log(f"  {n} created in {dt:.1f}s ({n/dt:.0f}/s), encoded bytes {nbytes} ({nbytes/max(n,1):.0f} B avg), "
            f"RSS {res['rss_loaded_kib']/1024:.1f} MiB")
    finally:
        srv.stop()
    budget = 1.5 * nbytes + 256 * n
    res["budget_kib"] = budget / 1024
    starts = []
    for i in range(a.cold_runs):
        subprocess.run(["sync"])
        t = srv.start()
        time.sleep(0.5)
        rss = srv.rss()
        starts.append({"readyz_s": t, "rss_kib": rss})
        log(f"  cold start {i}: /readyz after {t*1000:.0f} ms, RSS {rss/1024:.1f} MiB")
        if i == a.cold_runs - 1:
            c = Conn(srv.port, insecure_ctx())
            st, b = c.request("GET", "/api/v1/namespaces/default/configmaps/cm-7")
            c.close()
            res["probe_get_after_restart"] = st
        srv.stop()
    res["cold_starts"] = starts
    res["cold_start_median_s"] = statistics.median(s["readyz_s"] for s in starts)
    res["rss_after_restart_kib"] = starts[-1]["rss_kib"]
    log(f"  memory budget 1.5 x encoded + 256 B/object = {budget/2**20:.1f} MiB; RSS loaded "
        f"{res['rss_loaded_kib']/1024:.1f} MiB, after restart {res['rss_after_restart_kib']/1024:.1f} MiB; "
        f"cold start median {res['cold_start_median_s']*1000:.0f} ms")
    return res


FIGURES = {"create": fig_create, "get": fig_get, "list": fig_list, "watch": fig_watch, "memory": fig_memory}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("figure", choices=list(FIGURES) + ["all"])
    ap.add_argument("--seconds", type=int, default=60, help="create run length (default 60)")
    ap.add_argument("--peer-seconds", type=int, default=10, help="SQLite peer run length")
    ap.add_argument("--get-seconds", type=int, default=10)
    ap.add_argument("--get-rounds", type=int, default=2)
    ap.add_argument("--wrk-threads", type=int, default=1)
    ap.add_argument("--nginx-workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--list-runs", type=int, default=5)
    ap.add_argument("--watchers", type=int, default=1000)
    ap.add_argument("--watch-rate", type=int, default=1000)
    ap.add_argument("--watch-updates", type=int, default=5000)
    ap.add_argument("--watch-procs", type=int, default=2)
    ap.add_argument("--objects", type=int, default=100000)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--quiet-load", type=float, default=2.0, help="wait for the 1-min load avg to drop below this")
    ap.add_argument("--quiet-wait", type=int, default=120, help="...for at most this many seconds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data dirs and binary copy (for perf report)")
    a = ap.parse_args()
    global HARU
    if not os.path.exists(HARU):
        sys.exit(f"{HARU} not built; run make build")
    # run a private copy, so a rebuild during the run cannot change the binary under test
    # (HARU_BENCH_NO_COPY=1 runs the binary in place, e.g. for uprobes set on it)
    bindir = tempfile.mkdtemp(prefix="haru-bench-bin-", dir=WORKDIR_BASE)
    src_bin = HARU
    if os.environ.get("HARU_BENCH_NO_COPY") != "1":
        shutil.copy2(HARU, os.path.join(bindir, "haru"))
        HARU = os.path.join(bindir, "haru")
    git = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    figs = list(FIGURES) if a.figure == "all" else [a.figure]
    os.makedirs(os.path.join(BENCH, "out"), exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
              "haru": subprocess.run([HARU, "--version"], capture_output=True, text=True).stdout.strip(),
              "argv": sys.argv, "binary": src_bin, "git": git, "figures": {}}
    log(f"# {report['date']} {report['machine']} {report['haru']} git {git}")
    for f in figs:
        # the machine may be shared: wait (bounded) for the 1-minute load to drop, then record it
        t_wait = time.monotonic()
        while os.getloadavg()[0] > a.quiet_load and time.monotonic() - t_wait < a.quiet_wait:
            time.sleep(5)
        load_before = os.getloadavg()
        log(f"## {f}: load avg before {load_before[0]:.2f} (waited {time.monotonic() - t_wait:.0f}s)")
        wd = tempfile.mkdtemp(prefix=f"haru-bench-{f}-", dir=WORKDIR_BASE)
        try:
            report["figures"][f] = FIGURES[f](wd, a)
            report["figures"][f]["load_avg_before"] = load_before
            report["figures"][f]["load_avg_after"] = os.getloadavg()
            report["figures"][f]["date"] = datetime.datetime.now().isoformat(timespec="seconds")
        finally:
            if not a.keep:
                shutil.rmtree(wd, ignore_errors=True)
        out = os.path.join(BENCH, "out", f"{stamp}-{a.figure}.json")
        with open(out, "w") as fh:
            json.dump(report, fh, indent=1, default=str)
    if not a.keep:
        shutil.rmtree(bindir, ignore_errors=True)
    log(f"results: {out}")


if __name__ == "__main__":
    main()
