"""Faults of issue 3 on a real running `haru server`:

- a full database or disk: writes fail with a 500 InternalError Status naming the cause, reads
  keep working, the store stays intact, and writes work again once space returns;
- an unwritable data dir: the server refuses to start and says why;
- kill -9: a watch resumed from a resourceVersion taken before the kill either gets every later
  event or an ERROR event with 410 Expired, never a silent gap;
- SIGTERM: requests in flight are answered, open watches end cleanly, the process exits 0.

The database cap uses the hidden --storage-max-db-pages flag (SQLite's max_page_count), which
needs no privileges. The real full filesystem and the read-only data dir need a tmpfs or bind
mount; those tests run where mount works (as root in CI) and are skipped elsewhere.
"""

import http.client
import json
import os
import shutil
import signal
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

from harness import HARU_BIN, Kubectl, Server

NS = "default"
CM_PATH = f"/api/v1/namespaces/{NS}/configmaps"


class Api:
    """A minimal HTTPS client with the admin client certificate, one connection per thread."""

    def __init__(self, server):
        pki = os.path.join(server.data_dir, "pki")
        self.port = server.port
        self.ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
        self.ctx.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
        self.local = threading.local()

    def connect(self, timeout=30):
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                           timeout=timeout)

    def request(self, method, path, body=None):
        """(status, decoded JSON body). Raises OSError/HTTPException when the server is gone."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = self.connect()
        data = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        except Exception:
            conn.close()
            self.local.conn = None
            raise
        if resp.getheader("Content-Type", "").startswith("application/json"):
            return resp.status, json.loads(raw)
        return resp.status, raw.decode()

    def create_cm(self, name, data):
        return self.request("POST", CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap",
                                              "metadata": {"name": name}, "data": data})

    def list_cms(self):
        status, body = self.request("GET", CM_PATH)
        assert status == 200, (status, body)
        return {i["metadata"]["name"]: i for i in body["items"]}, body["metadata"]["resourceVersion"]


def read_watch(api, path, stop_when, timeout_s=30):
    """Reads a watch stream until stop_when(events) holds, the server ends it, or timeout_s
    passes (the server's own timeoutSeconds ends it). Returns (events, ended_cleanly)."""
    sep = "&" if "?" in path else "?"
    conn = api.connect(timeout=timeout_s + 10)
    conn.request("GET", f"{path}{sep}watch=1&timeoutSeconds={timeout_s}")
    resp = conn.getresponse()
    assert resp.status == 200, (resp.status, resp.read())
    events = []
    clean = True
    try:
        while not stop_when(events):
            line = resp.readline()
            if not line:
                break  # the server ended the stream with its last chunk
            events.append(json.loads(line))
    except (http.client.IncompleteRead, ConnectionError, ssl.SSLError):
        clean = False
    finally:
        conn.close()
    return events, clean


def can_mount():
    """True where this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = tempfile.mkdtemp(prefix="haru-mount-probe-")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", probe], capture_output=True)
        return ok
    finally:
        os.rmdir(probe)


def umount(path):
    subprocess.run(["umount", "-l", path], capture_output=True)


def assert_db_intact(test, data_dir):
    """SQLite's own check of the database file after a clean stop."""
    db = sqlite3.connect(os.path.join(data_dir, "haru.db"))
    try:
        test.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
    finally:
        db.close()


class FaultTestCase(unittest.TestCase):
    def setUp(self):
        self.servers = []
        self.cleanups_dirs = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        for d in self.cleanups_dirs:
            shutil.rmtree(d, ignore_errors=True)

    def start(self, data_dir=None, extra_args=()):
        server = Server(data_dir=data_dir, extra_args=extra_args).start()
        self.servers.append(server)
        if data_dir is None:
            self.cleanups_dirs.append(server.data_dir)
        return server

    def restart(self, server, extra_args=None):
        if extra_args is not None:
            server.extra_args = list(extra_args)
        server.start()
        return Api(server)

    def stop_cleanly(self, server):
        server.proc.terminate()
        self.assertEqual(server.proc.wait(timeout=30), 0, server.read_log())

    def fill_until_full(self, api, payload_bytes, max_writes, prefix="fill"):
        """Creates ConfigMaps until one fails; returns ({name: rv} acknowledged, failure)."""
        acked = {}
        blob = "x" * payload_bytes
        for i in range(max_writes):
            name = f"{prefix}-{i}"
            status, body = api.create_cm(name, {"blob": blob})
            if status != 201:
                return acked, (status, body)
            acked[name] = body["metadata"]["resourceVersion"]
        self.fail(f"{max_writes} writes of {payload_bytes} bytes never filled the store")

    def assert_disk_full_status(self, failure):
        status, body = failure
        self.assertEqual(status, 500, body)
        self.assertEqual(body["kind"], "Status")
        self.assertEqual(body["status"], "Failure")
        self.assertEqual(body["reason"], "InternalError")
        self.assertEqual(body["code"], 500)
        self.assertIn("database or disk is full", body["message"])

    def assert_reads_work(self, api, kubectl, acked):
        stored, _ = api.list_cms()
        for name, rv in acked.items():
            self.assertIn(name, stored)
            self.assertEqual(stored[name]["metadata"]["resourceVersion"], rv)
        some = next(iter(acked))
        status, body = api.request("GET", f"{CM_PATH}/{some}")
        self.assertEqual(status, 200, body)
        out = kubectl.out("-n", NS, "get", "configmap", some, "-o", "name")
        self.assertEqual(out.strip(), f"configmap/{some}")


class DiskFull(FaultTestCase):
    def test_capped_database_fails_writes_and_keeps_reads(self):
        # 512 pages of 4 KiB: room for the bootstrap objects and a few dozen 16 KiB ConfigMaps.
        cap = ["--storage-max-db-pages", "512"]
        server = self.start(extra_args=cap)
        api, kubectl = Api(server), Kubectl(server)
        acked, failure = self.fill_until_full(api, 16 * 1024, 400)
        self.assertGreater(len(acked), 0)
        self.assert_disk_full_status(failure)

        # kubectl prints the cause the way it prints any internal error.
        manifest = json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": {"name": "one-more", "namespace": NS},
                               "data": {"blob": "y" * 16 * 1024}})
        p = kubectl.run("create", "-f", "-", stdin=manifest, check=False)
        self.assertNotEqual(p.returncode, 0)
        print("\nkubectl create on a full store printed:", p.stderr.strip())
        self.assertIn("Error from server (InternalError)", p.stderr)
        self.assertIn("database or disk is full", p.stderr)

        # Failed writes stay failed; every acknowledged one is readable, by GET, LIST and kubectl.
        status, _ = api.request("GET", f"{CM_PATH}/one-more")
        self.assertEqual(status, 404)
        self.assert_reads_work(api, kubectl, acked)
        status, body = api.request("GET", "/readyz")
        self.assertEqual(status, 200, body)

        self.stop_cleanly(server)
        assert_db_intact(self, server.data_dir)

        # "Space returns": the same data dir without the cap takes writes again, nothing lost.
        api = self.restart(server, extra_args=[])
        stored, _ = api.list_cms()
        for name, rv in acked.items():
            self.assertEqual(stored[name]["metadata"]["resourceVersion"], rv)
        status, body = api.create_cm("after-space", {"blob": "z" * 16 * 1024})
        self.assertEqual(status, 201, body)
        newest = max(int(rv) for rv in acked.values())
        self.assertGreater(int(body["metadata"]["resourceVersion"]), newest)

    @unittest.skipUnless(can_mount(), "needs to mount a tmpfs (root)")
    def test_full_filesystem_fails_writes_and_recovers_when_space_returns(self):
        mnt = tempfile.mkdtemp(prefix="haru-e2e-tmpfs-")
        self.cleanups_dirs.append(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt], check=True)
        self.addCleanup(umount, mnt)
        data_dir = os.path.join(mnt, "data")
        os.mkdir(data_dir)
        # Space given back later, as an operator freeing disk would: one file while the server
        # runs, the other before a restart (a WAL checkpoint needs room for a second copy).
        ballast = [os.path.join(mnt, f"ballast-{i}") for i in range(2)]
        for path in ballast:
            with open(path, "wb") as f:
                f.write(b"\0" * (2 << 20))
        server = self.start(data_dir=data_dir)
        api, kubectl = Api(server), Kubectl(server)
        acked, failure = self.fill_until_full(api, 64 * 1024, 200)
        self.assertGreater(len(acked), 0)
        self.assert_disk_full_status(failure)
        self.assert_reads_work(api, kubectl, acked)
        # Still full: the next write fails the same way rather than hanging or crashing.
        self.assert_disk_full_status(api.create_cm("still-full", {"blob": "y" * 64 * 1024}))

        # Space returns while the server runs: writes work again without a restart.
        os.remove(ballast[0])
        status, body = api.create_cm("after-space", {"blob": "z" * 1024})
        self.assertEqual(status, 201, body)
        acked["after-space"] = body["metadata"]["resourceVersion"]
        self.assertGreater(int(acked["after-space"]),
                           max(int(rv) for n, rv in acked.items() if n != "after-space"))
        # Fill it up again, so the restart below starts on a full disk.
        more, failure = self.fill_until_full(api, 64 * 1024, 200, prefix="refill")
        acked.update(more)
        self.assert_disk_full_status(failure)
        self.stop_cleanly(server)
        assert_db_intact(self, data_dir)

        # A restart on the full disk serves every acknowledged object and fails writes clearly.
        api = self.restart(server)
        stored, _ = api.list_cms()
        for name, rv in acked.items():
            self.assertEqual(stored[name]["metadata"]["resourceVersion"], rv)
        self.assertNotIn("still-full", stored)
        self.assert_disk_full_status(api.create_cm("full-again", {"blob": "y" * 64 * 1024}))
        self.stop_cleanly(server)

        os.remove(ballast[1])
        api = self.restart(server)
        status, body = api.create_cm("after-restart", {"blob": "z" * 1024})
        self.assertEqual(status, 201, body)
        stored, _ = api.list_cms()
        for name, rv in acked.items():
            self.assertEqual(stored[name]["metadata"]["resourceVersion"], rv)
        self.stop_cleanly(server)
        assert_db_intact(self, data_dir)


class UnwritableDataDir(FaultTestCase):
    def make_read_only(self, path):
        """Makes path unwritable for this process; skips where that cannot be arranged."""
        if can_mount():
            # chmod does not stop root; a read-only bind mount of the directory does.
            subprocess.run(["mount", "--bind", path, path], check=True)
            self.addCleanup(umount, path)
            subprocess.run(["mount", "-o", "remount,ro,bind", path], check=True)
        elif os.geteuid() != 0:
            os.chmod(path, 0o500)
            self.addCleanup(os.chmod, path, 0o700)
        try:
            with open(os.path.join(path, ".probe"), "w"):
                pass
        except OSError:
            return
        os.remove(os.path.join(path, ".probe"))
        self.skipTest("cannot make a directory read-only here (root without mount)")

    def test_server_refuses_to_start_on_unwritable_data_dir(self):
        server = self.start()
        api = Api(server)
        self.assertEqual(api.create_cm("before", {"a": "1"})[0], 201)
        self.stop_cleanly(server)
        self.make_read_only(server.data_dir)

        p = subprocess.run([HARU_BIN, "server", "--data-dir", server.data_dir,
                            "--listen", f"127.0.0.1:{server.port}"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"data dir {server.data_dir} is not writable", p.stderr)
        self.assertTrue("Read-only file system" in p.stderr or "Permission denied" in p.stderr,
                        p.stderr)
        self.doCleanups()  # writable again

        api = self.restart(server)
        stored, _ = api.list_cms()
        self.assertIn("before", stored)


class KillNineWatch(FaultTestCase):
    def storm(self, api_factory, clients, prefix):
        """Runs `clients` writers creating ConfigMaps until until(acked) or they fail; returns
        the acknowledged {name: rv}. The caller kills the server while they run."""
        acked = {}
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            api = api_factory()
            for i in range(2000):
                if stop.is_set():
                    return
                try:
                    status, body = api.create_cm(f"{prefix}{n}-{i}", {"i": str(i)})
                except Exception:
                    return  # the server died: this write was not acknowledged
                if status != 201:
                    return
                with lock:
                    acked[body["metadata"]["name"]] = int(body["metadata"]["resourceVersion"])

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        return acked, lock, stop, threads

    def test_watch_resumes_without_gap_after_sigkill(self):
        server = self.start()
        api = Api(server)
        _, rv0 = api.list_cms()
        acked, lock, stop, threads = self.storm(lambda: Api(server), 8, "k")
        deadline = time.time() + 30
        while time.time() < deadline and len(acked) < 200:
            time.sleep(0.01)
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        with lock:
            acked = dict(acked)
        self.assertGreaterEqual(len(acked), 200)
        print(f"\n{len(acked)} creates acknowledged after resourceVersion {rv0} before kill -9")

        api = self.restart(server)
        newest = max(acked.values())
        want = {n for n, rv in acked.items()}
        events, clean = read_watch(
            api, f"{CM_PATH}?resourceVersion={rv0}",
            lambda evs: bool(evs) and (evs[-1]["type"] == "ERROR" or
                                       int(evs[-1]["object"]["metadata"]["resourceVersion"]) >= newest))
        self.assertTrue(clean)
        self.assertTrue(events, "the resumed watch delivered nothing")
        if events[0]["type"] == "ERROR":
            # Allowed, but then it must be the 410 that makes clients relist.
            self.assertEqual(events[0]["object"]["code"], 410, events[0])
            self.assertEqual(events[0]["object"]["reason"], "Expired", events[0])
            return
        rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
        self.assertEqual(rvs, sorted(set(rvs)), "events out of order or repeated")
        self.assertGreater(rvs[0], int(rv0))
        seen = {e["object"]["metadata"]["name"]: int(e["object"]["metadata"]["resourceVersion"])
                for e in events if e["type"] == "ADDED"}
        missing = sorted(want - set(seen))
        self.assertEqual(missing, [], f"{len(missing)} acknowledged creates missing from the watch")
        for name, rv in acked.items():
            self.assertEqual(seen[name], rv)

    def test_watch_from_compacted_revision_gets_410_after_sigkill(self):
        # Keep 20 revisions of history and compact every 100 ms, so old revisions go quickly.
        flags = ["--storage-retain-revisions", "20", "--storage-maintenance-interval-ms", "100"]
        server = self.start(extra_args=flags)
        api = Api(server)
        status, body = api.create_cm("counter", {"i": "0"})
        self.assertEqual(status, 201, body)
        rv0 = body["metadata"]["resourceVersion"]
        for i in range(1, 61):
            body["data"] = {"i": str(i)}
            status, body = api.request("PUT", f"{CM_PATH}/counter", body)
            self.assertEqual(status, 200, body)

        def compacted():
            status, _ = api.request(
                "GET", f"{CM_PATH}?resourceVersion={rv0}&resourceVersionMatch=Exact")
            return status == 410
        deadline = time.time() + 20
        while not compacted() and time.time() < deadline:
            time.sleep(0.1)
        self.assertTrue(compacted(), "history was never compacted")
        recent = body["metadata"]["resourceVersion"]
        server.kill()

        api = self.restart(server)
        events, clean = read_watch(api, f"{CM_PATH}?resourceVersion={rv0}", lambda evs: bool(evs))
        self.assertTrue(clean)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["type"], "ERROR")
        self.assertEqual(events[0]["object"]["code"], 410, events[0])
        self.assertEqual(events[0]["object"]["reason"], "Expired", events[0])

        # A resourceVersion still inside the history resumes with the next update.
        done = threading.Event()
        result = {}

        def watch():
            result["events"], result["clean"] = read_watch(
                api, f"{CM_PATH}?resourceVersion={recent}", lambda evs: bool(evs))
            done.set()
        t = threading.Thread(target=watch)
        t.start()
        body["data"] = {"i": "after"}
        status, updated = api.request("PUT", f"{CM_PATH}/counter", body)
        self.assertEqual(status, 200, updated)
        t.join(timeout=60)
        self.assertTrue(result["clean"])
        self.assertEqual(result["events"][0]["type"], "MODIFIED", result["events"])
        self.assertEqual(result["events"][0]["object"]["metadata"]["resourceVersion"],
                         updated["metadata"]["resourceVersion"])

    def test_watch_from_a_revision_the_store_never_reached_is_refused(self):
        # A data dir restored from an older copy: clients hold newer resourceVersions.
        server = self.start()
        api = Api(server)
        self.assertEqual(api.create_cm("old", {"a": "1"})[0], 201)
        self.stop_cleanly(server)
        snapshot = tempfile.mkdtemp(prefix="haru-e2e-snapshot-")
        self.cleanups_dirs.append(snapshot)
        for name in os.listdir(server.data_dir):
            if name.startswith("haru.db"):
                shutil.copy2(os.path.join(server.data_dir, name), snapshot)
        api = self.restart(server)
        for i in range(10):
            status, body = api.create_cm(f"new-{i}", {"a": "1"})
            self.assertEqual(status, 201, body)
        newest = body["metadata"]["resourceVersion"]
        self.stop_cleanly(server)
        for name in os.listdir(server.data_dir):
            if name.startswith("haru.db"):
                os.remove(os.path.join(server.data_dir, name))
        for name in os.listdir(snapshot):
            shutil.copy2(os.path.join(snapshot, name), server.data_dir)

        api = self.restart(server)
        events, clean = read_watch(api, f"{CM_PATH}?resourceVersion={newest}", lambda evs: bool(evs),
                                   timeout_s=5)
        self.assertTrue(clean)
        # Not a silent, empty stream that would skip the revisions up to `newest` once reused.
        self.assertTrue(events, "the watch was accepted at a revision the store never reached")
        self.assertEqual(events[0]["type"], "ERROR", events[0])
        self.assertIn(events[0]["object"]["code"], (410, 504), events[0])
        print("\nwatch at a future resourceVersion:", events[0]["object"]["message"])


class GracefulStop(FaultTestCase):
    def test_sigterm_answers_in_flight_writes_and_ends_watches(self):
        server = self.start()
        api = Api(server)

        watch_results = []

        def watch():
            # Never satisfied: only the server's shutdown ends this stream.
            watch_results.append(read_watch(Api(server), CM_PATH, lambda evs: False, 60))
        watchers = [threading.Thread(target=watch) for _ in range(3)]
        for t in watchers:
            t.start()
        kubectl_watch = Kubectl(server).popen("-n", NS, "get", "configmaps", "-w")

        acked = {}
        answers = []  # every HTTP status a writer received
        lock = threading.Lock()

        def writer(n):
            w = Api(server)
            for i in range(2000):
                try:
                    status, body = w.create_cm(f"t{n}-{i}", {"i": str(i)})
                except Exception:
                    return  # connection closed by the stopping server: not acknowledged
                with lock:
                    answers.append(status)
                    if status == 201:
                        acked[body["metadata"]["name"]] = body["metadata"]["resourceVersion"]
                if status != 201:
                    return
        writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for t in writers:
            t.start()
        deadline = time.time() + 30
        while time.time() < deadline and len(acked) < 100:
            time.sleep(0.01)

        server.proc.send_signal(signal.SIGTERM)
        # A bound against hangs, not a timing assertion: a clean stop takes well under a second.
        code = server.proc.wait(timeout=30)
        for t in writers + watchers:
            t.join(timeout=30)
        try:
            kubectl_watch.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kubectl_watch.kill()
            self.fail("kubectl get -w kept running after the server stopped")
        self.assertEqual(code, 0, server.read_log())
        self.assertIn("stopping (signal 15)", server.read_log())
        self.assertIn("haru server: stopped", server.read_log())
        self.assertGreaterEqual(len(acked), 100)
        # A request the server took in was answered properly, never with a 5xx.
        self.assertEqual([s for s in answers if s != 201], [])
        self.assertEqual(len(watch_results), 3)
        for _, clean in watch_results:
            self.assertTrue(clean, "a watch stream was cut off instead of ended")

        assert_db_intact(self, server.data_dir)
        api = self.restart(server)
        stored, _ = api.list_cms()
        missing = [n for n in acked if n not in stored]
        self.assertEqual(missing, [], f"{len(missing)} acknowledged writes lost over SIGTERM")
        for name, rv in acked.items():
            self.assertEqual(stored[name]["metadata"]["resourceVersion"], rv)

    def test_sigterm_does_not_wait_forever_for_a_watch_that_stopped_reading(self):
        server = self.start()
        api = Api(server)
        stuck = api.connect(timeout=120)
        stuck.request("GET", CM_PATH + "?watch=1")
        self.assertEqual(stuck.getresponse().status, 200)  # and its body is never read

        def writer(n):
            w = Api(server)
            for i in range(100):
                status, body = w.create_cm(f"s{n}-{i}", {"blob": "x" * 60000})
                assert status == 201, body
        # ~24 MB of events: more than the kernel buffers between the server and the stuck
        # client, so the server's writes to it block.
        writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in writers:
            t.start()
        for t in writers:
            t.join(timeout=60)
        stopped_at = time.time()
        server.proc.send_signal(signal.SIGTERM)
        self.assertEqual(server.proc.wait(timeout=60), 0, server.read_log())
        # The stuck stream's write is cut off after a short grace, so the stop is clean
        # ("stopped") rather than the 10 s safety net's forced exit.
        self.assertIn("haru server: stopped", server.read_log())
        self.assertLess(time.time() - stopped_at, 10, server.read_log())
        stuck.close()
        api = self.restart(server)
        stored, _ = api.list_cms()
        self.assertEqual(len([n for n in stored if n.startswith("s")]), 400)


if __name__ == "__main__":
    unittest.main()
