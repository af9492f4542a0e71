"""A client library other than kubectl: Debian's python3-kubernetes lists, creates, patches,
watches and deletes through haru."""

import threading
import unittest

from kubernetes import client, config, watch

from harness import ServerTestCase


class PythonClient(ServerTestCase):
    def test_crud_and_watch(self):
        api = client.CoreV1Api(config.new_client_from_config(config_file=self.server.kubeconfig))
        names = [n.metadata.name for n in api.list_namespace().items]
        self.assertIn("default", names)

        events = []

        def watch_configmaps():
            w = watch.Watch()
            for ev in w.stream(api.list_namespaced_config_map, "default", timeout_seconds=5):
                events.append((ev["type"], ev["object"].metadata.name))
                if ev["type"] == "DELETED":
                    w.stop()

        t = threading.Thread(target=watch_configmaps)
        t.start()
        cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py"), data={"a": "1"})
        created = api.create_namespaced_config_map("default", cm)
        self.assertEqual(created.data, {"a": "1"})
        self.assertTrue(created.metadata.uid)

        patched = api.patch_namespaced_config_map("py", "default", {"data": {"b": "2"}})
        self.assertEqual(patched.data, {"a": "1", "b": "2"})

        pod = client.V1Pod(metadata=client.V1ObjectMeta(name="pp"),
                           spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]))
        api.create_namespaced_pod("default", pod)
        got = api.read_namespaced_pod("pp", "default")
        self.assertEqual(got.spec.restart_policy, "Always")  # defaulted by the server
        self.assertEqual(got.status.phase, "Pending")

        api.delete_namespaced_config_map("py", "default")
        t.join(timeout=10)
        self.assertIn(("ADDED", "py"), events)
        self.assertIn(("MODIFIED", "py"), events)
        self.assertIn(("DELETED", "py"), events)

        with self.assertRaises(client.exceptions.ApiException) as ctx:
            api.read_namespaced_config_map("py", "default")
        self.assertEqual(ctx.exception.status, 404)


if __name__ == "__main__":
    unittest.main()
