"""kill -9 in the middle of a concurrent write storm: after restart every acknowledged write is
there and resourceVersions keep growing."""

import threading
import time
import unittest

from harness import Server
from kubernetes import client, config


class KillNine(unittest.TestCase):
    def test_acknowledged_writes_survive_sigkill(self):
        server = Server().start()
        try:
            api = client.CoreV1Api(config.new_client_from_config(config_file=server.kubeconfig))
            acked = {}
            lock = threading.Lock()
            stop = threading.Event()

            def writer(n):
                i = 0
                while not stop.is_set() and i < 400:
                    name = f"w{n}-{i}"
                    try:
                        cm = api.create_namespaced_config_map(
                            "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name),
                                                          data={"i": str(i)}))
                    except Exception:
                        return  # the server died under us: this write was not acknowledged
                    with lock:
                        acked[name] = int(cm.metadata.resource_version)
                    i += 1

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
            for t in threads:
                t.start()
            deadline = time.time() + 20
            while time.time() < deadline and len(acked) < 200:
                time.sleep(0.01)
            server.kill()  # SIGKILL mid-storm
            stop.set()
            for t in threads:
                t.join(timeout=30)
            self.assertGreater(len(acked), 0)

            server.start()
            api = client.CoreV1Api(config.new_client_from_config(config_file=server.kubeconfig))
            stored = {cm.metadata.name: int(cm.metadata.resource_version)
                      for cm in api.list_namespaced_config_map("default").items}
            missing = [n for n in acked if n not in stored]
            self.assertEqual(missing, [], f"{len(missing)} acknowledged writes lost")
            for name, rv in acked.items():
                self.assertEqual(stored[name], rv)
            newest = max(acked.values())
            after = api.create_namespaced_config_map(
                "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="after-restart")))
            self.assertGreater(int(after.metadata.resource_version), newest)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
