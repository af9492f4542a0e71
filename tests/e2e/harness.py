"""Starts a real `haru server` on a free port with a temporary data dir and drives the pinned
upstream kubectl v1.36.3 against it. Used by every e2e suite in this folder."""

import os
import shutil
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
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Kubectl:
    def __init__(self, server):
        self.server = server
        self.cache = tempfile.mkdtemp(prefix="haru-kcache-")

    def run(self, *args, stdin=None, check=True, timeout=60):
        cmd = [KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache] + list(args)
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n"
                                 f"stdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def out(self, *args, **kw):
        return self.run(*args, **kw).stdout

    def popen(self, *args):
        cmd = [KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir", self.cache] + list(args)
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class ServerTestCase(unittest.TestCase):
    """One server for the whole class."""

    @classmethod
    def setUpClass(cls):
        if not os.access(KUBECTL, os.X_OK):
            raise RuntimeError(f"kubectl v1.36.3 not found at {KUBECTL}; run scripts/install-test-tools.sh")
        cls.server = Server().start()
        cls.kubectl = Kubectl(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.server.data_dir, ignore_errors=True)
        shutil.rmtree(cls.kubectl.cache, ignore_errors=True)

    def wait_for(self, predicate, timeout=20, message="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        self.fail(f"timed out waiting for {message}")
