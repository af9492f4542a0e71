"""CREATE, UPDATE and PATCH through kubectl v1.36.3: optimistic concurrency, generateName,
server-set metadata, the three patch types, edit/label/annotate/set image, dry-run, field
validation, warnings and write options."""

import json
import time
import unittest

from harness import ServerTestCase

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: web}}
spec:
  containers:
  - name: web
    image: nginx:1.27
  - name: side
    image: busybox:1.36
    command: [sleep, "3600"]
"""


class Writes(ServerTestCase):
    def get(self, *args):
        return json.loads(self.kubectl.out("get", *args, "-o", "json"))

    def test_replace_with_stale_resource_version_conflicts(self):
        k = self.kubectl
        k.out("create", "cm", "stale", "--from-literal=a=1")
        old = k.out("get", "cm", "stale", "-o", "yaml")
        k.out("label", "cm", "stale", "x=y")
        err = k.fail_text("replace", "-f", "-", stdin=old)
        self.assertIn('Error from server (Conflict): error when replacing "STDIN": Operation cannot be '
                      'fulfilled on configmaps "stale": the object has been modified; please apply '
                      'your changes to the latest version and try again', err)
        # Without a resourceVersion the replace is unconditional.
        fresh = json.loads(k.out("get", "cm", "stale", "-o", "json"))
        del fresh["metadata"]["resourceVersion"]
        fresh["data"]["a"] = "2"
        self.assertEqual(k.out("replace", "-f", "-", stdin=json.dumps(fresh)).strip(),
                         "configmap/stale replaced")
        self.assertEqual(k.out("get", "cm", "stale", "-o", "jsonpath={.data.a}"), "2")

    def test_raw_update_conflict_status(self):
        self.kubectl.out("create", "cm", "raw-stale")
        _, obj = self.api.json("GET", "/api/v1/namespaces/default/configmaps/raw-stale")
        obj["metadata"]["resourceVersion"] = "1"
        status, body = self.api.json("PUT", "/api/v1/namespaces/default/configmaps/raw-stale", obj)
        self.assertEqual((status, body["reason"]), (409, "Conflict"))
        self.assertEqual(body["details"], {"name": "raw-stale", "kind": "configmaps"})

    def test_create_with_generate_name_prints_the_generated_name(self):
        out = self.kubectl.out("create", "-f", "-",
                               stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: gen-}\n")
        self.assertRegex(out.strip(), r"^configmap/gen-[a-z0-9]{5} created$")
        name = out.split()[0].split("/")[1]
        self.assertEqual(self.kubectl.out("get", "cm", name, "-o", "jsonpath={.metadata.generateName}"),
                         "gen-")

    def test_server_sets_uid_creation_timestamp_generation(self):
        k = self.kubectl
        manifest = POD.format(name="meta").replace("  labels:", "  uid: made-up\n  generation: 7\n  labels:")
        k.out("create", "-f", "-", stdin=manifest)
        obj = self.get("pod", "meta")
        meta = obj["metadata"]
        self.assertRegex(meta["uid"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertRegex(meta["creationTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(meta["generation"], 1)
        # A label change leaves generation alone; a spec change bumps it.
        k.out("label", "pod", "meta", "tier=front")
        self.assertEqual(self.get("pod", "meta")["metadata"]["generation"], 1)
        k.out("set", "image", "pod/meta", "web=nginx:1.28")
        after = self.get("pod", "meta")["metadata"]
        self.assertEqual(after["generation"], 2)
        self.assertEqual((after["uid"], after["creationTimestamp"]), (meta["uid"], meta["creationTimestamp"]))
        # ConfigMaps have no spec and no generation.
        k.out("create", "cm", "nogen")
        self.assertNotIn("generation", self.get("cm", "nogen")["metadata"])

    def test_patch_types(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin=POD.format(name="patched"))
        out = k.out("patch", "pod", "patched", "--type=strategic",
                    "-p", '{"spec":{"containers":[{"name":"side","image":"busybox:1.37"}]}}')
        self.assertEqual(out.strip(), "pod/patched patched")
        containers = self.get("pod", "patched")["spec"]["containers"]
        # Merged by name: web untouched, side keeps its command.
        self.assertEqual([(c["name"], c["image"]) for c in containers],
                         [("web", "nginx:1.27"), ("side", "busybox:1.37")])
        self.assertEqual(containers[1]["command"], ["sleep", "3600"])

        k.out("patch", "pod", "patched", "--type=merge", "-p", '{"metadata":{"labels":{"app":null,"m":"1"}}}')
        self.assertEqual(self.get("pod", "patched")["metadata"]["labels"], {"m": "1"})

        k.out("patch", "pod", "patched", "--type=json",
              "-p", '[{"op":"add","path":"/metadata/annotations","value":{"j":"1"}},'
                    '{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.29"}]')
        obj = self.get("pod", "patched")
        self.assertEqual(obj["metadata"]["annotations"], {"j": "1"})
        self.assertEqual(obj["spec"]["containers"][0]["image"], "nginx:1.29")

        err = k.fail_text("patch", "pod", "patched", "--type=json",
                          "-p", '[{"op":"test","path":"/metadata/labels/m","value":"2"}]')
        self.assertIn("testing value /metadata/labels/m failed: test failed", err)
        out = k.out("patch", "pod", "patched", "--type=merge", "-p", '{"metadata":{"labels":{"m":"1"}}}')
        self.assertEqual(out.strip(), "pod/patched patched (no change)")

    def test_kubectl_edit_with_sed_editor(self):
        k = self.kubectl
        k.out("create", "cm", "edited", "--from-literal=color=red")
        out = k.out("edit", "cm", "edited", env={"KUBE_EDITOR": "sed -i s/red/blue/", "EDITOR": ""})
        self.assertEqual(out.strip(), "configmap/edited edited")
        self.assertEqual(k.out("get", "cm", "edited", "-o", "jsonpath={.data.color}"), "blue")
        r = k.run("edit", "cm", "edited", env={"KUBE_EDITOR": "true"})
        self.assertEqual(r.stderr.strip(), "Edit cancelled, no changes made.")

    def test_label_and_annotate_overwrite_and_removal(self):
        k = self.kubectl
        k.out("create", "cm", "la")
        self.assertEqual(k.out("label", "cm", "la", "a=1").strip(), "configmap/la labeled")
        err = k.fail_text("label", "cm", "la", "a=2")
        self.assertIn("'a' already has a value (1), and --overwrite is false", err)
        self.assertEqual(k.out("label", "cm", "la", "a=2", "--overwrite").strip(), "configmap/la labeled")
        self.assertEqual(k.out("get", "cm", "la", "--show-labels").splitlines()[1].split()[-1], "a=2")
        self.assertEqual(k.out("label", "cm", "la", "a-").strip(), "configmap/la unlabeled")
        self.assertEqual(k.out("annotate", "cm", "la", "note=x").strip(), "configmap/la annotated")
        err = k.fail_text("annotate", "cm", "la", "note=y")
        self.assertIn("'note' already has a value (x)", err)
        k.out("annotate", "cm", "la", "note=y", "--overwrite")
        self.assertEqual(k.out("get", "cm", "la", "-o", "jsonpath={.metadata.annotations.note}"), "y")
        k.out("annotate", "cm", "la", "note-")
        meta = self.get("cm", "la")["metadata"]
        # Empty maps are omitted, as upstream's omitempty.
        self.assertNotIn("annotations", meta)
        self.assertNotIn("labels", meta)

    def test_set_image(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin=POD.format(name="img"))
        self.assertEqual(k.out("set", "image", "pod/img", "side=busybox:1.38").strip(), "pod/img image updated")
        images = k.out("get", "pod", "img", "-o", "jsonpath={.spec.containers[*].image}")
        self.assertEqual(images, "nginx:1.27 busybox:1.38")
        err = k.fail_text("set", "image", "pod/img", "nope=x:1")
        self.assertIn('unable to find container named "nope"', err)

    def test_dry_run_server_stores_nothing(self):
        k = self.kubectl
        self.assertEqual(k.out("create", "cm", "dry", "--dry-run=server").strip(),
                         "configmap/dry created (server dry run)")
        self.assertIn('configmaps "dry" not found', k.fail_text("get", "cm", "dry"))
        k.out("create", "cm", "dry2")
        rv = k.out("get", "cm", "dry2", "-o", "jsonpath={.metadata.resourceVersion}")
        self.assertEqual(k.out("label", "cm", "dry2", "x=1", "--dry-run=server").strip(),
                         "configmap/dry2 labeled (server dry run)")
        self.assertEqual(k.out("delete", "cm", "dry2", "--dry-run=server").strip(),
                         'configmap "dry2" deleted from default namespace (server dry run)')
        self.assertEqual(k.out("get", "cm", "dry2", "-o", "jsonpath={.metadata.resourceVersion}"), rv)
        self.assertEqual(k.out("get", "cm", "dry2", "--show-labels").splitlines()[1].split()[-1], "<none>")
        # A dry-run create of an existing name still reports the conflict.
        self.assertIn('configmaps "dry2" already exists', k.fail_text("create", "cm", "dry2", "--dry-run=server"))

    def test_field_validation_levels(self):
        k = self.kubectl
        manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {a: b}\nbogus: 1\n"
        err = k.fail_text("create", "-f", "-", "--validate=strict", stdin=manifest % "v-strict")
        self.assertIn('Error from server (BadRequest): error when creating "STDIN": ConfigMap in version '
                      '"v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"', err)
        r = k.run("create", "-f", "-", "--validate=warn", stdin=manifest % "v-warn")
        self.assertEqual(r.stdout.strip(), "configmap/v-warn created")
        self.assertEqual(r.stderr.strip(), 'Warning: unknown field "bogus"')
        r = k.run("create", "-f", "-", "--validate=false", stdin=manifest % "v-off")
        self.assertEqual((r.stdout.strip(), r.stderr), ("configmap/v-off created", ""))
        self.assertNotIn("bogus", k.out("get", "cm", "v-off", "-o", "json"))

    def test_deprecation_warning_headers_are_printed(self):
        r = self.kubectl.run("create", "-f", "-", stdin="apiVersion: v1\nkind: Service\nmetadata: {name: ext}\n"
                             "spec:\n  ports: [{port: 80}]\n  externalIPs: [192.0.2.10]\n")
        self.assertEqual(r.stdout.strip(), "service/ext created")
        self.assertTrue(r.stderr.startswith("Warning: spec.externalIPs"), r.stderr)

    def test_write_options_are_validated(self):
        base = "/api/v1/namespaces/default/configmaps"
        cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "opts"}}
        status, body = self.api.json("POST", base + "?fieldManager=" + "m" * 129, cm)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["message"], 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: '
                                          'may not be more than 128 bytes')
        status, body = self.api.json("POST", base + "?dryRun=Some", cm)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["message"], 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported '
                                          'value: []string{"Some"}: supported values: "All"')
        status, body = self.api.json("POST", base + "?fieldValidation=Loud", cm)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["details"]["causes"][0]["field"], "fieldValidation")
        status, body = self.api.json("POST", base + "?fieldManager=" + "m" * 128, cm)
        self.assertEqual(status, 201, body)

    def test_status_subresource_ignores_spec_and_main_ignores_status(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin=POD.format(name="st"))
        path = "/api/v1/namespaces/default/pods/st"
        _, pod = self.api.json("GET", path)
        pod["status"]["phase"] = "Running"
        pod["spec"]["containers"][0]["image"] = "ignored:1"
        status, body = self.api.json("PUT", path + "/status", pod)
        self.assertEqual(status, 200, body)
        self.assertEqual((body["status"]["phase"], body["spec"]["containers"][0]["image"]),
                         ("Running", "nginx:1.27"))
        k.out("patch", "pod", "st", "--type=merge", "-p", '{"status":{"phase":"Failed"}}')
        self.assertEqual(k.out("get", "pod", "st", "-o", "jsonpath={.status.phase}"), "Running")
        k.out("patch", "pod", "st", "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Succeeded"}}')
        self.assertEqual(k.out("get", "pod", "st", "-o", "jsonpath={.status.phase}"), "Succeeded")


if __name__ == "__main__":
    unittest.main()
