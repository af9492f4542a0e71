"""DELETE through kubectl v1.36.3 and raw HTTPS: finalizers, graceful deletion, preconditions,
propagation policies with ownerReferences (the garbage collector), deletecollection and
namespace deletion."""

import json
import unittest

from harness import ServerTestCase


def owned_cm(name, owner_name, owner_uid, extra_meta=""):
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{extra_meta}"
            f"  ownerReferences:\n  - {{apiVersion: v1, kind: ConfigMap, name: {owner_name}, "
            f"uid: {owner_uid}}}\n")


class Delete(ServerTestCase):
    def uid(self, *args):
        return self.kubectl.out("get", *args, "-o", "jsonpath={.metadata.uid}")

    def exists(self, *args):
        return self.kubectl.run("get", *args, check=False).returncode == 0

    def test_finalizer_holds_object_until_removed(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n"
                                          "  finalizers: [example.com/hold]\n")
        self.assertEqual(k.out("delete", "cm", "held", "--wait=false").strip(),
                         'configmap "held" deleted from default namespace')
        meta = json.loads(k.out("get", "cm", "held", "-o", "json"))["metadata"]
        self.assertRegex(meta["deletionTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(meta["deletionGracePeriodSeconds"], 0)
        self.assertEqual(meta["finalizers"], ["example.com/hold"])
        # A second delete changes nothing; a new finalizer cannot be added while deleting.
        k.out("delete", "cm", "held", "--wait=false")
        self.assertEqual(json.loads(k.out("get", "cm", "held", "-o", "json"))["metadata"]["deletionTimestamp"],
                         meta["deletionTimestamp"])
        self.assertEqual(k.out("patch", "cm", "held", "--type=json",
                               "-p", '[{"op":"remove","path":"/metadata/finalizers"}]').strip(),
                         "configmap/held patched")
        self.assertIn('configmaps "held" not found', k.fail_text("get", "cm", "held"))

    def test_pod_on_a_node_is_deleted_gracefully(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: graceful}\nspec:\n"
                                          "  nodeName: node-1\n  terminationGracePeriodSeconds: 45\n"
                                          "  containers: [{name: c, image: busybox}]\n")
        k.out("delete", "pod", "graceful", "--wait=false")
        meta = json.loads(k.out("get", "pod", "graceful", "-o", "json"))["metadata"]
        self.assertEqual(meta["deletionGracePeriodSeconds"], 45)
        out = k.out("get", "pod", "graceful")
        self.assertRegex(out.splitlines()[1], r"^graceful\s+0/1\s+Terminating\s+0\s+")
        r = k.run("delete", "pod", "graceful", "--grace-period=0", "--force")
        self.assertEqual(r.stdout.strip(), 'pod "graceful" force deleted from default namespace')
        self.assertIn("Warning: Immediate deletion does not wait for confirmation", r.stderr)
        self.assertFalse(self.exists("pod", "graceful"))
        # A pod not bound to a node goes at once.
        k.out("create", "-f", "-", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: unbound}\nspec:\n"
                                          "  containers: [{name: c, image: busybox}]\n")
        k.out("delete", "pod", "unbound", "--wait=false")
        self.assertFalse(self.exists("pod", "unbound"))

    def test_preconditions(self):
        self.kubectl.out("create", "cm", "pre")
        path = "/api/v1/namespaces/default/configmaps/pre"
        uid = self.uid("cm", "pre")
        status, body = self.api.json("DELETE", path, {"kind": "DeleteOptions", "apiVersion": "v1",
                                                      "preconditions": {"uid": "not-the-uid"}})
        self.assertEqual((status, body["reason"]), (409, "Conflict"), body)
        self.assertEqual(body["message"], 'Operation cannot be fulfilled on configmaps "pre": Precondition '
                                          f'failed: UID in precondition: not-the-uid, UID in object meta: {uid}')
        status, body = self.api.json("DELETE", path, {"preconditions": {"resourceVersion": "1"}})
        self.assertEqual(status, 409, body)
        self.assertIn("Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in "
                      "object meta: ", body["message"])
        status, body = self.api.json("DELETE", path, {"preconditions": {"uid": uid}})
        self.assertEqual(status, 200, body)
        self.assertFalse(self.exists("cm", "pre"))
        status, body = self.api.json("DELETE", path)
        self.assertEqual((status, body["reason"], body["message"]),
                         (404, "NotFound", 'configmaps "pre" not found'))

    def test_cascade_background_deletes_dependents(self):
        k = self.kubectl
        k.out("create", "cm", "bg-owner")
        k.out("create", "-f", "-", stdin=owned_cm("bg-dep", "bg-owner", self.uid("cm", "bg-owner")))
        k.out("delete", "cm", "bg-owner", "--cascade=background")
        self.wait_for(lambda: not self.exists("cm", "bg-dep"), message="dependent collected")

    def test_dependent_of_a_missing_owner_is_collected(self):
        self.kubectl.out("create", "-f", "-",
                         stdin=owned_cm("orphaned", "ghost", "00000000-0000-0000-0000-000000000000"))
        self.wait_for(lambda: not self.exists("cm", "orphaned"), message="dangling dependent collected")

    def test_cascade_orphan_keeps_dependents_without_the_reference(self):
        k = self.kubectl
        k.out("create", "cm", "or-owner")
        k.out("create", "-f", "-", stdin=owned_cm("or-dep", "or-owner", self.uid("cm", "or-owner")))
        self.assertEqual(k.out("delete", "cm", "or-owner", "--cascade=orphan").strip(),
                         'configmap "or-owner" deleted from default namespace')
        self.assertFalse(self.exists("cm", "or-owner"))
        self.assertEqual(k.out("get", "cm", "or-dep", "-o", "jsonpath={.metadata.ownerReferences}"), "")

    def test_cascade_foreground_keeps_owner_until_dependents_are_gone(self):
        k = self.kubectl
        k.out("create", "cm", "fg-owner")
        # The dependent is held by a finalizer, so the owner must wait for it.
        k.out("create", "-f", "-", stdin=owned_cm("fg-dep", "fg-owner", self.uid("cm", "fg-owner"),
                                                  "  finalizers: [example.com/hold]\n"))
        k.out("delete", "cm", "fg-owner", "--cascade=foreground", "--wait=false")
        owner = json.loads(k.out("get", "cm", "fg-owner", "-o", "json"))["metadata"]
        self.assertEqual(owner["finalizers"], ["foregroundDeletion"])
        self.assertIn("deletionTimestamp", owner)
        self.wait_for(lambda: "deletionTimestamp" in k.out("get", "cm", "fg-dep", "-o", "json"),
                      message="dependent being deleted")
        self.assertTrue(self.exists("cm", "fg-owner"))
        k.out("patch", "cm", "fg-dep", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
        self.wait_for(lambda: not self.exists("cm", "fg-owner"), message="owner deleted after dependent")
        self.assertFalse(self.exists("cm", "fg-dep"))

    def test_delete_all_is_deletecollection(self):
        k = self.kubectl
        k.out("create", "ns", "dc")
        for i in range(3):
            k.out("-n", "dc", "create", "cm", f"all-{i}")
        k.out("-n", "dc", "label", "cm", "all-0", "keep=yes")
        out = k.out("-n", "dc", "delete", "cm", "-l", "keep!=yes")
        self.assertEqual(out.splitlines(), ['configmap "all-1" deleted from dc namespace',
                                            'configmap "all-2" deleted from dc namespace'])
        status, body = self.api.json("DELETE", "/api/v1/namespaces/dc/configmaps")
        self.assertEqual((status, body["kind"]), (200, "ConfigMapList"), body)
        self.assertEqual([i["metadata"]["name"] for i in body["items"]], ["all-0"])
        self.assertIn("No resources found in dc namespace.", k.run("-n", "dc", "get", "cm").stderr)
        k.out("-n", "dc", "create", "cm", "again")
        self.assertEqual(k.out("-n", "dc", "delete", "cm", "--all").strip(),
                         'configmap "again" deleted from dc namespace')

    def test_namespace_deletion_empties_it_first(self):
        k = self.kubectl
        k.out("create", "ns", "doomed")
        self.wait_for(lambda: k.run("-n", "doomed", "get", "sa", "default", check=False).returncode == 0,
                      message="default service account")
        k.out("-n", "doomed", "create", "cm", "plain")
        k.out("-n", "doomed", "create", "secret", "generic", "s", "--from-literal=a=b")
        k.out("-n", "doomed", "create", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                          "  name: sticky\n  finalizers: [example.com/hold]\n")
        k.out("delete", "ns", "doomed", "--wait=false")
        self.assertRegex(k.out("get", "ns", "doomed").splitlines()[1], r"^doomed\s+Terminating\s+")
        err = k.fail_text("-n", "doomed", "create", "cm", "late")
        self.assertIn('error: failed to create configmap: configmaps "late" is forbidden: unable to create new '
                      'content in namespace doomed because it is being terminated', err)
        self.wait_for(lambda: k.out("-n", "doomed", "get", "cm,secret,sa", "-o", "name").split()
                      == ["configmap/sticky"], message="namespace emptied but for the held object")
        k.out("-n", "doomed", "patch", "cm", "sticky", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
        self.wait_for(lambda: k.run("get", "ns", "doomed", check=False).returncode != 0,
                      message="namespace gone")
        self.assertIn('namespaces "doomed" not found', k.fail_text("get", "ns", "doomed"))

    def test_default_namespaces_cannot_be_deleted(self):
        for ns in ("default", "kube-system"):
            err = self.kubectl.fail_text("delete", "ns", ns)
            self.assertIn(f'Error from server (Forbidden): namespaces "{ns}" is forbidden: this namespace '
                          f'may not be deleted', err)


if __name__ == "__main__":
    unittest.main()
