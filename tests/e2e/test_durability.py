"""kill -9 in the middle of a concurrent write storm: after restart every acknowledged write is
there and resourceVersions keep growing, for creates and for updates."""

import threading
import time
import unittest

from harness import Server
from kubernetes import client, config

WRITERS = 8
MIN_ACKED = 200  # acknowledged writes before the kill, so the kill lands in a real storm


class KillNine(unittest.TestCase):
    def test_acknowledged_writes_survive_sigkill(self):
        server = Server().start()
        try:
            def new_api():
                return client.CoreV1Api(config.new_client_from_config(config_file=server.kubeconfig))

            api = new_api()
            # One counter per writer, updated after each of its creates: the kill also lands
            # between updates, whose resourceVersions must survive as well.
            counters = {}
            for n in range(WRITERS):
                cm = api.create_namespaced_config_map(
                    "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"ctr-{n}"),
                                                  data={"i": "-1"}))
                counters[n] = (-1, int(cm.metadata.resource_version))
            acked = {}  # created name -> resourceVersion
            per_writer = [0] * WRITERS
            lock = threading.Lock()
            stop = threading.Event()

            def writer(n):
                # A client per thread: the storm is WRITERS concurrent connections.
                api = new_api()
                for i in range(1000):
                    if stop.is_set():
                        return
                    name = f"w{n}-{i}"
                    try:
                        cm = api.create_namespaced_config_map(
                            "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name),
                                                          data={"i": str(i)}))
                        with lock:
                            acked[name] = int(cm.metadata.resource_version)
                            per_writer[n] += 1
                        ctr = api.patch_namespaced_config_map(f"ctr-{n}", "default",
                                                              {"data": {"i": str(i)}})
                    except Exception:
                        return  # the server died under us: this write was not acknowledged
                    with lock:
                        counters[n] = (i, int(ctr.metadata.resource_version))
                        per_writer[n] += 1

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
            for t in threads:
                t.start()
            deadline = time.time() + 30
            while time.time() < deadline and sum(per_writer) < MIN_ACKED:
                time.sleep(0.01)
            server.kill()  # SIGKILL mid-storm
            stop.set()
            for t in threads:
                t.join(timeout=30)
            with lock:
                acked = dict(acked)
                counters = dict(counters)
                writes = list(per_writer)
            print(f"\n{sum(writes)} writes acknowledged before kill -9 "
                  f"({len(acked)} creates, {sum(writes) - len(acked)} updates; per client {writes})")
            self.assertGreaterEqual(sum(writes), MIN_ACKED)
            self.assertEqual([w for w in writes if w == 0], [], "a client never got a write in")
            newest = max(list(acked.values()) + [rv for _, rv in counters.values()])

            server.start()
            api = new_api()
            stored = {cm.metadata.name: cm for cm in api.list_namespaced_config_map("default").items}
            missing = [n for n in acked if n not in stored]
            self.assertEqual(missing, [], f"{len(missing)} acknowledged creates lost")
            for name, rv in acked.items():
                self.assertEqual(int(stored[name].metadata.resource_version), rv)
            for n, (i, rv) in counters.items():
                cm = stored[f"ctr-{n}"]
                # The acknowledged update, or the one unacknowledged update after it.
                self.assertIn(int(cm.data["i"]), (i, i + 1), f"ctr-{n} lost an acknowledged update")
                if int(cm.data["i"]) == i:
                    self.assertEqual(int(cm.metadata.resource_version), rv)
                else:
                    self.assertGreater(int(cm.metadata.resource_version), rv)

            # New writes after the restart, creates and updates, get larger resourceVersions.
            after = api.create_namespaced_config_map(
                "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="after-restart")))
            self.assertGreater(int(after.metadata.resource_version), newest)
            last = int(after.metadata.resource_version)
            for n in range(WRITERS):
                cm = api.patch_namespaced_config_map(f"ctr-{n}", "default", {"data": {"i": "after"}})
                self.assertGreater(int(cm.metadata.resource_version), last)
                last = int(cm.metadata.resource_version)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
