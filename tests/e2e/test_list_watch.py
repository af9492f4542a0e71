"""LIST and WATCH through kubectl v1.36.3 and raw HTTPS: selectors, pagination, resourceVersion
semantics, watch events, bookmarks, watch-list, timeouts, 410 Expired."""

import base64
import json
import os
import shutil
import time
import unittest

from harness import Api, Kubectl, Server, ServerTestCase

CM = "/api/v1/namespaces/{ns}/configmaps"


def pod(name, node=None, labels=None):
    spec = {"containers": [{"name": "c", "image": "busybox"}]}
    if node:
        spec["nodeName"] = node
    meta = {"name": name, "labels": labels or {}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


class Selectors(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        k = cls.kubectl
        k.out("create", "ns", "sel")
        for name, node, labels in (("a", "n1", {"app": "web", "tier": "front"}),
                                   ("b", "n2", {"app": "web", "tier": "back"}),
                                   ("c", None, {"app": "db"})):
            status, body = cls.api.json("POST", "/api/v1/namespaces/sel/pods", pod(name, node, labels))
            assert status == 201, body
        # Pod b reports Running through the status subresource, as a node agent would.
        obj = cls.api.json("GET", "/api/v1/namespaces/sel/pods/b")[1]
        obj["status"] = {"phase": "Running"}
        status, body = cls.api.json("PUT", "/api/v1/namespaces/sel/pods/b/status", obj)
        assert status == 200, body

    def names(self, *args):
        return self.kubectl.out("-n", "sel", "get", *args, "-o", "name").split()

    def test_label_selectors(self):
        self.assertEqual(self.names("pods", "-l", "app=web"), ["pod/a", "pod/b"])
        self.assertEqual(self.names("pods", "-l", "app in (db),!tier"), ["pod/c"])
        self.assertEqual(self.names("pods", "-l", "app=web,tier!=front"), ["pod/b"])
        self.assertEqual(self.names("pods", "-l", "tier"), ["pod/a", "pod/b"])

    def test_bad_label_selector_is_400(self):
        status, body = self.api.json("GET", "/api/v1/namespaces/sel/pods?labelSelector=a%3D%3D%3Db")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["reason"], "BadRequest")

    def test_pod_field_selectors(self):
        self.assertEqual(self.names("pods", "--field-selector", "spec.nodeName=n1"), ["pod/a"])
        self.assertEqual(self.names("pods", "--field-selector", "spec.nodeName="), ["pod/c"])
        self.assertEqual(self.names("pods", "--field-selector", "status.phase=Running"), ["pod/b"])
        self.assertEqual(self.names("pods", "--field-selector", "status.phase!=Running"),
                         ["pod/a", "pod/c"])
        self.assertEqual(self.names("pods", "--field-selector", "metadata.name=c"), ["pod/c"])
        self.assertEqual(self.kubectl.out("get", "pods", "-A", "--field-selector",
                                          "metadata.namespace=sel,spec.nodeName=n2", "-o", "name")
                         .split(), ["pod/b"])

    def test_event_field_selectors(self):
        k = self.kubectl
        event = ("apiVersion: v1\nkind: Event\nmetadata: {name: a.1}\n"
                 "involvedObject: {kind: Pod, name: a, namespace: sel, uid: u-a}\n"
                 "reason: Scheduled\nmessage: assigned\ntype: Normal\nsource: {component: sched}\n")
        k.out("-n", "sel", "create", "-f", "-", stdin=event)
        k.out("-n", "sel", "create", "-f", "-",
              stdin=event.replace("a.1", "b.1").replace("name: a,", "name: b,").replace("u-a", "u-b")
              .replace("Normal", "Warning"))
        self.assertEqual(self.names("events", "--field-selector", "involvedObject.name=a"),
                         ["event/a.1"])
        self.assertEqual(self.names("events", "--field-selector",
                                    "involvedObject.kind=Pod,involvedObject.uid=u-a"), ["event/a.1"])
        # The scheduler also reports Warning events (FailedScheduling) for pods in this namespace.
        self.assertEqual(self.names("events", "--field-selector", "type=Warning,reason=Scheduled"),
                         ["event/b.1"])
        self.assertEqual(self.names("events", "--field-selector", "reason=Scheduled"),
                         ["event/a.1", "event/b.1"])

    def test_unsupported_field_is_400(self):
        err = self.kubectl.fail_text("-n", "sel", "get", "pods", "--field-selector", "spec.bogus=x")
        self.assertIn("field label not supported: spec.bogus", err)
        status, body = self.api.json("GET", "/api/v1/namespaces/sel/configmaps?fieldSelector=data.a%3Db")
        self.assertEqual((status, body["reason"], body["message"]),
                         (400, "BadRequest", "field label not supported: data.a"))


class Pagination(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kubectl.out("create", "ns", "page")
        for i in range(7):
            status, body = cls.api.json("POST", CM.format(ns="page"), {
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"},
                "data": {"i": str(i)}})
            assert status == 201, body

    def test_kubectl_chunk_size_prints_every_object_once(self):
        out = self.kubectl.out("-n", "page", "get", "cm", "--chunk-size=2")
        rows = [l.split()[0] for l in out.splitlines()[1:]]
        self.assertEqual(rows, [f"cm-{i}" for i in range(7)])
        self.assertEqual(out.count("NAME"), 1)  # one header across the chunks

    def test_raw_limit_and_continue_walk_a_consistent_snapshot(self):
        status, first = self.api.json("GET", CM.format(ns="page") + "?limit=3")
        self.assertEqual(status, 200)
        self.assertEqual([i["metadata"]["name"] for i in first["items"]], ["cm-0", "cm-1", "cm-2"])
        self.assertEqual(first["metadata"]["remainingItemCount"], 4)
        rv = first["metadata"]["resourceVersion"]
        # A write between pages does not show up: pages come from the first page's snapshot.
        self.api.json("POST", CM.format(ns="page"), {"apiVersion": "v1", "kind": "ConfigMap",
                                                     "metadata": {"name": "cm-9"}})
        names, token = [], first["metadata"]["continue"]
        while token:
            status, page = self.api.json("GET", CM.format(ns="page") + "?limit=3&continue=" + token)
            self.assertEqual(status, 200, page)
            self.assertEqual(page["metadata"]["resourceVersion"], rv)
            names += [i["metadata"]["name"] for i in page["items"]]
            token = page["metadata"].get("continue")
        self.assertEqual(names, ["cm-3", "cm-4", "cm-5", "cm-6"])
        self.api.request("DELETE", CM.format(ns="page") + "/cm-9")

    def test_continue_with_resource_version_is_400(self):
        _, first = self.api.json("GET", CM.format(ns="page") + "?limit=1")
        status, body = self.api.json("GET", CM.format(ns="page") + "?limit=1&resourceVersion=5&continue="
                                     + first["metadata"]["continue"])
        self.assertEqual((status, body["message"]),
                         (400, "specifying resource version is not allowed when using continue"))

    def test_bad_continue_token_is_400(self):
        token = base64.urlsafe_b64encode(b'{"v":"x/v9","rv":3,"start":"a"}').decode().rstrip("=")
        status, body = self.api.json("GET", CM.format(ns="page") + "?limit=1&continue=" + token)
        self.assertEqual(status, 400, body)
        self.assertEqual(body["message"], "invalid continue token: continue key is not valid: "
                                          "server does not recognize this encoded version x/v9")

    def test_resource_version_match_rules(self):
        base = CM.format(ns="page")
        status, body = self.api.json("GET", base + "?resourceVersionMatch=Exact")
        self.assertEqual(status, 422, body)
        self.assertEqual(body["message"], 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: '
                                          'Forbidden: resourceVersionMatch is forbidden unless '
                                          'resourceVersion is provided')
        self.assertEqual(body["details"]["causes"][0]["field"], "resourceVersionMatch")
        status, body = self.api.json("GET", base + "?resourceVersion=0&resourceVersionMatch=Exact")
        self.assertEqual(status, 422, body)
        self.assertIn('resourceVersionMatch "exact" is forbidden for resourceVersion "0"', body["message"])
        status, body = self.api.json("GET", base + "?resourceVersion=1&resourceVersionMatch=Newest")
        self.assertEqual(status, 422, body)
        self.assertIn('resourceVersionMatch: Unsupported value: "Newest": supported values: '
                      '"Exact", "NotOlderThan", ""', body["message"])

    def test_exact_resource_version_lists_the_past(self):
        base = CM.format(ns="page")
        _, now = self.api.json("GET", base)
        rv = now["metadata"]["resourceVersion"]
        self.api.json("POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "later"}})
        status, then = self.api.json("GET", base + f"?resourceVersion={rv}&resourceVersionMatch=Exact")
        self.assertEqual(status, 200, then)
        self.assertEqual(then["metadata"]["resourceVersion"], rv)
        self.assertNotIn("later", [i["metadata"]["name"] for i in then["items"]])
        status, newer = self.api.json("GET", base + f"?resourceVersion={rv}&resourceVersionMatch=NotOlderThan")
        self.assertIn("later", [i["metadata"]["name"] for i in newer["items"]])
        self.assertGreater(int(newer["metadata"]["resourceVersion"]), int(rv))
        # resourceVersion=0: any state is fine (served from the cache).
        status, any_ = self.api.json("GET", base + "?resourceVersion=0")
        self.assertEqual(status, 200)
        self.api.request("DELETE", base + "/later")

    def test_future_resource_version_times_out(self):
        status, body = self.api.json(
            "GET", CM.format(ns="page") + "?resourceVersion=999999&resourceVersionMatch=NotOlderThan")
        self.assertEqual((status, body["reason"]), (504, "Timeout"), body)
        self.assertRegex(body["message"], r"^Timeout: Too large resource version: 999999, current: \d+$")
        self.assertEqual(body["details"]["causes"][0]["reason"], "ResourceVersionTooLarge")
        self.assertEqual(body["details"]["retryAfterSeconds"], 1)


class Watch(ServerTestCase):
    def test_kubectl_get_watch_prints_added_modified_deleted(self):
        k = self.kubectl
        k.out("create", "ns", "w1")
        watch = k.popen("-n", "w1", "get", "cm", "--output-watch-events", "-w")
        try:
            time.sleep(1.0)
            k.out("-n", "w1", "create", "cm", "x", "--from-literal=a=1")
            k.out("-n", "w1", "label", "cm", "x", "l=1")
            k.out("-n", "w1", "delete", "cm", "x")
            time.sleep(1.0)
        finally:
            watch.terminate()
        out = watch.communicate(timeout=10)[0]
        events = [l.split()[:2] for l in out.splitlines() if " x " in l + " "]
        self.assertEqual(events, [["ADDED", "x"], ["MODIFIED", "x"], ["DELETED", "x"]], out)
        self.assertRegex(out.splitlines()[0], r"EVENT\s+NAME\s+DATA\s+AGE")

    def test_resume_from_resource_version(self):
        base = CM.format(ns="default")
        _, a = self.api.json("POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "r1"}})
        rv = a["metadata"]["resourceVersion"]
        self.api.json("POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "r2"}})
        self.api.request("DELETE", base + "/r1")
        status, events = self.api.watch_lines(base + f"?watch=true&resourceVersion={rv}",
                                              until=lambda e: len(e) >= 2, timeout=5)
        self.assertEqual(status, 200)
        self.assertEqual([(e["type"], e["object"]["metadata"]["name"]) for e in events],
                         [("ADDED", "r2"), ("DELETED", "r1")])
        self.api.request("DELETE", base + "/r2")

    def test_watch_without_version_starts_with_current_state(self):
        self.kubectl.out("create", "ns", "w2")
        self.kubectl.out("-n", "w2", "create", "cm", "now")
        status, events = self.api.watch_lines(CM.format(ns="w2") + "?watch=true&timeoutSeconds=1")
        self.assertEqual([(e["type"], e["object"]["metadata"]["name"]) for e in events],
                         [("ADDED", "now")])

    def test_timeout_seconds_ends_the_stream(self):
        start = time.time()
        status, events = self.api.watch_lines(CM.format(ns="default") + "?watch=true&resourceVersion="
                                              + self.current_rv() + "&timeoutSeconds=1", timeout=10)
        self.assertEqual((status, events), (200, []))
        self.assertLess(time.time() - start, 5)

    def current_rv(self):
        return self.api.json("GET", CM.format(ns="default"))[1]["metadata"]["resourceVersion"]

    def test_send_initial_events_ends_with_annotated_bookmark(self):
        self.kubectl.out("create", "ns", "w3")
        for n in ("i1", "i2"):
            self.kubectl.out("-n", "w3", "create", "cm", n)
        status, events = self.api.watch_lines(
            CM.format(ns="w3") + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
            "&allowWatchBookmarks=true", until=lambda e: e[-1]["type"] == "BOOKMARK", timeout=5)
        self.assertEqual(status, 200)
        self.assertEqual([(e["type"], e["object"]["metadata"].get("name")) for e in events],
                         [("ADDED", "i1"), ("ADDED", "i2"), ("BOOKMARK", None)])
        bookmark = events[-1]["object"]
        self.assertEqual(bookmark["metadata"]["annotations"], {"k8s.io/initial-events-end": "true"})
        self.assertEqual(bookmark["kind"], "ConfigMap")
        self.assertGreaterEqual(int(bookmark["metadata"]["resourceVersion"]),
                                int(events[1]["object"]["metadata"]["resourceVersion"]))

    def test_watch_list_options_are_validated(self):
        base = CM.format(ns="default") + "?watch=true"
        status, body = self.api.json("GET", base + "&sendInitialEvents=true")
        self.assertEqual(status, 422, body)
        self.assertEqual(body["message"], 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: '
                                          'Forbidden: sendInitialEvents requires setting '
                                          'resourceVersionMatch to NotOlderThan')
        self.assertEqual(body["details"]["kind"], "ListOptions")
        self.assertEqual(body["details"]["group"], "meta.k8s.io")
        status, body = self.api.json("GET", base + "&resourceVersionMatch=NotOlderThan")
        self.assertEqual(status, 422, body)
        self.assertIn("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                      body["message"])

    def test_kubectl_wait_for_delete_and_jsonpath(self):
        k = self.kubectl
        k.out("create", "cm", "waited", "--from-literal=k=v")
        waiter = k.popen("wait", "--for=jsonpath={.data.k}=done", "cm/waited", "--timeout=20s")
        time.sleep(1.0)
        k.out("patch", "cm", "waited", "-p", '{"data":{"k":"done"}}')
        self.assertEqual(waiter.communicate(timeout=25)[0].strip(), "configmap/waited condition met")
        self.assertEqual(waiter.returncode, 0)
        waiter = k.popen("wait", "--for=delete", "cm/waited", "--timeout=20s")
        time.sleep(1.0)
        k.out("delete", "cm", "waited")
        self.assertEqual(waiter.communicate(timeout=25)[0].strip(), "configmap/waited condition met")
        self.assertEqual(waiter.returncode, 0)
        out = k.run("wait", "--for=delete", "cm/never-there", "--timeout=2s", check=False)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_selector_watch_sees_objects_enter_and_leave(self):
        base = CM.format(ns="default")
        self.api.json("POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "sw"}})
        rv = self.current_rv()
        self.kubectl.out("label", "cm", "sw", "pick=yes")
        self.kubectl.out("label", "cm", "sw", "pick-")
        status, events = self.api.watch_lines(base + f"?watch=true&labelSelector=pick%3Dyes&resourceVersion={rv}",
                                              until=lambda e: len(e) >= 2, timeout=5)
        self.assertEqual([e["type"] for e in events], ["ADDED", "DELETED"])
        self.api.request("DELETE", base + "/sw")


class Compaction(unittest.TestCase):
    """Compacted history: a continue token and a watch from before it get 410 Expired."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=["--storage-retain-revisions", "5",
                                        "--storage-maintenance-interval-ms", "100"]).start()
        cls.kubectl = Kubectl(cls.server)
        cls.api = Api(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.api.close()
        shutil.rmtree(cls.server.data_dir, ignore_errors=True)
        shutil.rmtree(cls.kubectl.cache, ignore_errors=True)

    def churn(self, n):
        for _ in range(n):
            status, _ = self.api.json("POST", CM.format(ns="default"), {
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "churn-"}})
            self.assertEqual(status, 201)
        time.sleep(0.6)  # a few maintenance periods

    def test_1_expired_continue_token_is_410(self):
        self.churn(4)
        _, first = self.api.json("GET", CM.format(ns="default") + "?limit=2")
        token = first["metadata"]["continue"]
        self.churn(20)
        status, body = self.api.json("GET", CM.format(ns="default") + "?limit=2&continue=" + token)
        self.assertEqual((status, body["reason"]), (410, "Expired"), body)
        self.assertEqual(body["message"], "The provided continue parameter is too old to display a "
                                          "consistent list result. You can start a new list without "
                                          "the continue parameter.")
        # kubectl's own chunked list starts fresh and succeeds.
        self.assertIn("churn-", self.kubectl.out("get", "cm", "--chunk-size=2"))

    def test_2_old_exact_list_is_410(self):
        status, body = self.api.json("GET", CM.format(ns="default") + "?resourceVersion=2&resourceVersionMatch=Exact")
        self.assertEqual((status, body["reason"]), (410, "Expired"), body)
        self.assertEqual(body["message"], "The resourceVersion for the provided list is too old.")

    def test_3_watch_from_compacted_version_gets_error_event(self):
        # The watch cache keeps recent events in memory; after a restart its window starts at
        # the compacted revision, so an old resourceVersion is answered with an ERROR event.
        self.churn(10)
        self.server.stop()
        self.server.start()
        status, events = self.api.watch_lines(CM.format(ns="default") + "?watch=true&resourceVersion=2",
                                              timeout=5)
        self.assertEqual(status, 200)
        self.assertEqual(len(events), 1, events)
        self.assertEqual(events[0]["type"], "ERROR")
        err = events[0]["object"]
        self.assertEqual((err["kind"], err["code"], err["reason"]), ("Status", 410, "Expired"))
        self.assertRegex(err["message"], r"^too old resource version: 2 \(\d+\)$")


if __name__ == "__main__":
    unittest.main()
