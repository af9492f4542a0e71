"""Starts a real `haru server` on a free port with a temporary data dir and drives the pinned
upstream kubectl v1.36.3 against it. Used by every e2e suite in this folder."""

import base64
import http.client
import json
import os
import shutil
import ssl
import socket
import subprocess
import tempfile
import time
import unittest

HARU_BIN = os.environ.get("HARU_BIN", os.path.join(os.path.dirname(__file__), "../../build/src/haru"))
TOOLS = os.environ.get("HARU_TOOLS") or os.path.expanduser("~/.cache/haru-tools")
KUBECTL = os.path.join(TOOLS, "kubectl-v1.36.3", "kubectl")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def terminate(proc, timeout=15):
    """SIGTERM, then SIGKILL if the process has not exited after `timeout` seconds."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Server:
    """One haru server process; stop() sends SIGTERM, kill() sends SIGKILL."""

    def __init__(self, data_dir=None, extra_args=()):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="haru-e2e-")
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.proc = None
        self.kubeconfig = os.path.join(self.data_dir, "admin.kubeconfig")

    def start(self):
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [HARU_BIN, "server", "--data-dir", self.data_dir, "--listen", f"127.0.0.1:{self.port}"]
            + self.extra_args,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("haru server exited: " + self.read_log())
            if os.path.exists(self.kubeconfig):
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return self
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("haru server did not start: " + self.read_log())

    def read_log(self):
        with open(os.path.join(self.data_dir, "server.log"), "rb") as f:
            return f.read().decode(errors="replace")[-4000:]

    def stop(self):
        terminate(self.proc)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Kubectl:
    def __init__(self, server):
        self.server = server
        self.cache = tempfile.mkdtemp(prefix="haru-kcache-")

    def run(self, *args, stdin=None, check=True, timeout=60, env=None):
        cmd = [KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache] + list(args)
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **env) if env else None)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n"
                                 f"stdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def out(self, *args, **kw):
        return self.run(*args, **kw).stdout

    def fail_text(self, *args, **kw):
        """Runs a command that must fail; returns its stderr."""
        p = self.run(*args, check=False, **kw)
        if p.returncode == 0:
            raise AssertionError(f"kubectl {' '.join(args)} succeeded:\n{p.stdout}{p.stderr}")
        return p.stderr

    def popen(self, *args):
        cmd = [KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache] + list(args)
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class Api:
    """Raw HTTPS requests with the admin client certificate from the server's kubeconfig, for
    what kubectl cannot express (preconditions, raw limit/continue, bad bodies)."""

    def __init__(self, server):
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="haru-api-")
        fields = {}
        with open(server.kubeconfig) as f:
            for line in f:
                key, _, value = line.strip().partition(": ")
                if key.endswith("-data"):
                    fields[key] = base64.b64decode(value)
        for key, name in (("client-certificate-data", "cert.pem"), ("client-key-data", "key.pem"),
                          ("certificate-authority-data", "ca.pem")):
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(fields[key])
        self.context = self._context(with_cert=True)
        self.anonymous_context = self._context(with_cert=False)

    def _context(self, with_cert):
        ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "ca.pem"))
        ctx.check_hostname = False
        if with_cert:
            ctx.load_cert_chain(os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem"))
        return ctx

    def connect(self, anonymous=False, timeout=30):
        return http.client.HTTPSConnection(
            "127.0.0.1", self.server.port, timeout=timeout,
            context=self.anonymous_context if anonymous else self.context)

    def request(self, method, path, body=None, content_type="application/json", headers=None,
                anonymous=False):
        """Returns (status, headers, body text); `body` may be a dict (sent as JSON) or str/bytes."""
        conn = self.connect(anonymous)
        try:
            h = dict(headers or {})
            if body is not None:
                if isinstance(body, (dict, list)):
                    body = json.dumps(body)
                h["Content-Type"] = content_type
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read().decode(errors="replace")
        finally:
            conn.close()

    def json(self, method, path, body=None, **kw):
        """Returns (status, parsed JSON body)."""
        status, _, text = self.request(method, path, body, **kw)
        return status, json.loads(text)

    def watch_lines(self, path, until=None, timeout=15):
        """Opens a watch and returns its events (parsed) until the stream ends, `until(events)`
        is true, or `timeout` seconds pass."""
        conn = self.connect(timeout=timeout)
        events = []
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            if resp.status != 200:
                return resp.status, [json.loads(resp.read())]
            deadline = time.time() + timeout
            while time.time() < deadline:
                try:
                    line = resp.readline()
                except (TimeoutError, OSError):
                    break
                if not line:
                    break
                events.append(json.loads(line))
                if until and until(events):
                    break
            return resp.status, events
        finally:
            conn.close()

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class ServerTestCase(unittest.TestCase):
    """One server for the whole class."""

    @classmethod
    def setUpClass(cls):
        if not os.access(KUBECTL, os.X_OK):
            raise RuntimeError(f"kubectl v1.36.3 not found at {KUBECTL}; run scripts/install-test-tools.sh")
        cls.server = Server().start()
        cls.kubectl = Kubectl(cls.server)
        cls.api = Api(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.api.close()
        shutil.rmtree(cls.server.data_dir, ignore_errors=True)
        shutil.rmtree(cls.kubectl.cache, ignore_errors=True)

    def wait_for(self, predicate, timeout=20, message="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        self.fail(f"timed out waiting for {message}")


class SimServerTestCase(ServerTestCase):
    """One server plus one `haru sim` process joined to it, for the whole class; subclasses set
    SIM_ARGS (the sim's flags besides --kubeconfig)."""

    SIM_ARGS = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sim_log = open(os.path.join(cls.server.data_dir, "sim.log"), "ab")
        cls.sim = subprocess.Popen(
            [HARU_BIN, "sim", "--kubeconfig", cls.server.kubeconfig, *cls.SIM_ARGS],
            stdout=cls.sim_log, stderr=subprocess.STDOUT)

    @classmethod
    def tearDownClass(cls):
        terminate(cls.sim)
        cls.sim_log.close()
        super().tearDownClass()
