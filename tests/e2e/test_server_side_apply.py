"""Server-side apply and metadata.managedFields through kubectl v1.36.3: create and change
with `apply --server-side`, removal of fields a manager stops applying, conflicts between
managers and --force-conflicts, Update entries from other writes, and client-side apply
after a server-side one."""

import json
import unittest

from harness import ServerTestCase


def configmap(name, data, labels=None):
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: {name}"]
    if labels:
        lines.append("  labels:")
        lines += [f"    {k}: {json.dumps(v)}" for k, v in labels.items()]
    lines.append("data:")
    lines += [f"  {k}: {json.dumps(v)}" for k, v in data.items()]
    return "\n".join(lines) + "\n"


POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: web
    image: {image}
"""


class ServerSideApply(ServerTestCase):
    def get(self, kind, name):
        return json.loads(self.kubectl.out("get", kind, name, "-o", "json", "--show-managed-fields"))

    def entries(self, kind, name):
        return {(e["manager"], e["operation"]): e for e in self.get(kind, name)["metadata"]["managedFields"]}

    def apply(self, manifest, *flags, check=True):
        return self.kubectl.run("apply", "--server-side", *flags, "-f", "-", stdin=manifest, check=check)

    def test_create_then_change(self):
        out = self.apply(configmap("ssa-create", {"a": "1"}, {"app": "web"})).stdout
        self.assertEqual(out.strip(), "configmap/ssa-create serverside-applied")
        entry = self.entries("cm", "ssa-create")[("kubectl", "Apply")]
        self.assertEqual(entry["apiVersion"], "v1")
        self.assertEqual(entry["fieldsType"], "FieldsV1")
        self.assertEqual(entry["fieldsV1"], {"f:data": {"f:a": {}},
                                             "f:metadata": {"f:labels": {"f:app": {}}}})
        self.assertIn("time", entry)
        self.apply(configmap("ssa-create", {"a": "2", "b": "3"}, {"app": "web"}))
        self.assertEqual(self.get("cm", "ssa-create")["data"], {"a": "2", "b": "3"})

    def test_removed_field_is_removed_from_the_object(self):
        self.apply(configmap("ssa-remove", {"a": "1", "b": "2"}, {"app": "web", "tier": "x"}))
        self.apply(configmap("ssa-remove", {"a": "1"}, {"app": "web"}))
        obj = self.get("cm", "ssa-remove")
        self.assertEqual(obj["data"], {"a": "1"})
        self.assertEqual(obj["metadata"]["labels"], {"app": "web"})

    def test_field_owned_by_another_manager_stays(self):
        self.apply(configmap("ssa-shared", {"a": "1", "b": "2"}), "--field-manager=a")
        self.apply(configmap("ssa-shared", {"b": "2"}), "--field-manager=b")
        self.apply(configmap("ssa-shared", {"a": "1"}), "--field-manager=a")
        self.assertEqual(self.get("cm", "ssa-shared")["data"], {"a": "1", "b": "2"})

    def test_conflict_between_managers_and_force(self):
        self.apply(configmap("ssa-conflict", {"key": "one"}), "--field-manager=a")
        p = self.apply(configmap("ssa-conflict", {"key": "two"}), "--field-manager=b", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('error: Apply failed with 1 conflict: conflict with "a": .data.key', p.stderr)
        self.assertIn("--force-conflicts", p.stderr)
        self.assertEqual(self.get("cm", "ssa-conflict")["data"], {"key": "one"})
        self.apply(configmap("ssa-conflict", {"key": "two"}), "--field-manager=b", "--force-conflicts")
        self.assertEqual(self.get("cm", "ssa-conflict")["data"], {"key": "two"})
        entries = self.entries("cm", "ssa-conflict")
        self.assertNotIn(("a", "Apply"), entries)  # its only field was taken over
        self.assertEqual(entries[("b", "Apply")]["fieldsV1"], {"f:data": {"f:key": {}}})

    def test_conflict_with_an_update_manager_names_its_version(self):
        self.kubectl.out("create", "cm", "ssa-upd", "--from-literal=k=1")
        p = self.apply(configmap("ssa-upd", {"k": "2"}), check=False)
        self.assertIn('Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.k',
                      p.stderr)

    def test_show_managed_fields(self):
        self.apply(configmap("ssa-show", {"a": "1"}))
        plain = self.kubectl.out("get", "cm", "ssa-show", "-o", "yaml")
        self.assertNotIn("managedFields", plain)
        shown = self.kubectl.out("get", "cm", "ssa-show", "-o", "yaml", "--show-managed-fields")
        self.assertIn("managedFields:", shown)
        self.assertIn("manager: kubectl", shown)
        self.assertIn("operation: Apply", shown)
        self.assertIn("fieldsV1:", shown)
        self.assertIn("f:a: {}", shown)

    def test_label_records_an_update_entry(self):
        self.apply(configmap("ssa-label", {"a": "1"}))
        self.kubectl.out("label", "cm", "ssa-label", "team=x")
        entry = self.entries("cm", "ssa-label")[("kubectl-label", "Update")]
        self.assertEqual(entry["fieldsV1"], {"f:metadata": {"f:labels": {".": {}, "f:team": {}}}})
        self.assertEqual(entry["apiVersion"], "v1")

    def test_client_side_apply_after_server_side(self):
        self.apply(configmap("ssa-csa", {"a": "1"}))
        out = self.kubectl.out("apply", "-f", "-", stdin=configmap("ssa-csa", {"a": "1", "b": "2"}))
        self.assertIn("configmap/ssa-csa", out)
        self.assertEqual(self.get("cm", "ssa-csa")["data"], {"a": "1", "b": "2"})
        self.assertIn(("kubectl-client-side-apply", "Update"), self.entries("cm", "ssa-csa"))

    def test_list_map_items_are_keyed(self):
        self.apply(POD.format(name="ssa-pod", image="nginx:1.27"))
        entry = self.entries("pod", "ssa-pod")[("kubectl", "Apply")]
        self.assertEqual(entry["fieldsV1"]["f:spec"]["f:containers"],
                         {'k:{"name":"web"}': {".": {}, "f:image": {}, "f:name": {}}})
        self.kubectl.out("set", "image", "pod/ssa-pod", "web=nginx:1.28")
        p = self.apply(POD.format(name="ssa-pod", image="nginx:1.29"), check=False)
        self.assertIn('conflict with "kubectl-set" using v1: .spec.containers[name="web"].image',
                      p.stderr)

    def test_invalid_apply_is_422(self):
        p = self.apply(configmap("Bad_Name", {"a": "1"}), check=False)
        self.assertIn('The ConfigMap "Bad_Name" is invalid', p.stderr)

    def test_apply_requires_field_manager(self):
        status, body = self.api.json(
            "PATCH", "/api/v1/namespaces/default/configmaps/raw-ssa",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raw-ssa}\n",
            content_type="application/apply-patch+yaml")
        self.assertEqual((status, body["reason"]), (422, "Invalid"))
        self.assertEqual(body["message"], 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: '
                                          'Required value: is required for apply patch')


if __name__ == "__main__":
    unittest.main()
