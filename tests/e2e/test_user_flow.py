"""The issue's "What a user does", driven through kubectl v1.36.3; asserts on what it prints."""

import subprocess
import time
import unittest

from harness import ServerTestCase

POD = """apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels: {app: web}
spec:
  containers:
  - name: c
    image: nginx:1.27
"""


class UserFlow(ServerTestCase):
    def test_01_version_reports_v136(self):
        out = self.kubectl.out("version")
        self.assertIn("Client Version: v1.36.3", out)
        self.assertRegex(out, r"Server Version: v1\.36\.\d+")

    def test_02_api_resources_lists_kinds_with_short_names(self):
        out = self.kubectl.out("api-resources")
        lines = {l.split()[0]: l for l in out.splitlines()[1:]}
        self.assertRegex(lines["pods"], r"pods\s+po\s+v1\s+true\s+Pod")
        self.assertRegex(lines["configmaps"], r"configmaps\s+cm\s+v1\s+true\s+ConfigMap")
        self.assertRegex(lines["namespaces"], r"namespaces\s+ns\s+v1\s+false\s+Namespace")
        self.assertRegex(lines["leases"], r"leases\s+coordination.k8s.io/v1\s+true\s+Lease")

    def test_03_namespace_configmap_pod_watch_describe_delete(self):
        k = self.kubectl
        self.assertEqual(k.out("create", "ns", "team-a").strip(), "namespace/team-a created")
        self.assertEqual(k.out("-n", "team-a", "create", "configmap", "cfg", "--from-literal=a=1").strip(),
                         "configmap/cfg created")
        self.assertEqual(k.out("-n", "team-a", "get", "cm", "cfg", "-o", "jsonpath={.data.a}"), "1")
        # A default ServiceAccount appears in the new namespace.
        self.wait_for(lambda: k.run("-n", "team-a", "get", "sa", "default", check=False).returncode == 0,
                      message="default service account")

        watch = k.popen("-n", "team-a", "get", "pods", "-o", "wide", "-w")
        time.sleep(1.0)
        self.assertEqual(k.out("-n", "team-a", "apply", "-f", "-", stdin=POD).strip(), "pod/p1 created")
        changed = POD.replace("nginx:1.27", "nginx:1.28")
        self.assertEqual(k.out("-n", "team-a", "apply", "-f", "-", stdin=changed).strip(), "pod/p1 configured")
        self.assertEqual(k.out("-n", "team-a", "get", "pod", "p1", "-o",
                               "jsonpath={.spec.containers[0].image}"), "nginx:1.28")

        out = k.out("-n", "team-a", "get", "pods", "-o", "wide")
        self.assertRegex(out.splitlines()[0],
                         r"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES")
        self.assertRegex(out.splitlines()[1], r"p1\s+0/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>")

        # An event about the pod shows up in describe.
        uid = k.out("-n", "team-a", "get", "pod", "p1", "-o", "jsonpath={.metadata.uid}")
        event = f"""apiVersion: v1
kind: Event
metadata: {{name: p1.e2e}}
involvedObject: {{kind: Pod, name: p1, namespace: team-a, uid: {uid}, apiVersion: v1}}
reason: Testing
message: hello from the e2e suite
type: Normal
source: {{component: e2e}}
"""
        k.out("-n", "team-a", "create", "-f", "-", stdin=event)
        described = k.out("-n", "team-a", "describe", "pod", "p1")
        self.assertRegex(described, r"Name:\s+p1")
        self.assertRegex(described, r"Image:\s+nginx:1.28")
        self.assertIn("hello from the e2e suite", described)

        self.assertEqual(k.out("-n", "team-a", "delete", "pod", "p1").strip(),
                         'pod "p1" deleted from team-a namespace')
        time.sleep(1.0)
        watch.terminate()
        watched = watch.communicate(timeout=10)[0]
        rows = [l for l in watched.splitlines() if l.startswith("p1")]
        self.assertGreaterEqual(len(rows), 3, watched)  # added, modified, deleted
        self.assertIn("NAME", watched.splitlines()[0])

        self.assertEqual(k.out("delete", "ns", "team-a", timeout=60).strip(), 'namespace "team-a" deleted')
        gone = k.run("get", "ns", "team-a", check=False)
        self.assertIn('namespaces "team-a" not found', gone.stderr)
        self.assertIn("No resources found", k.run("get", "cm", "-n", "team-a").stderr)

    def test_04_explain_uses_openapi(self):
        out = self.kubectl.out("explain", "pod.spec.hostUsers")
        self.assertIn("FIELD: hostUsers <boolean>", out)
        self.assertIn("user namespace", out)

    def test_05_label_annotate_and_selectors(self):
        k = self.kubectl
        k.out("create", "ns", "sel")
        k.out("-n", "sel", "apply", "-f", "-", stdin=POD)
        self.assertEqual(k.out("-n", "sel", "label", "pod", "p1", "tier=front").strip(), "pod/p1 labeled")
        self.assertEqual(k.out("-n", "sel", "annotate", "pod", "p1", "note=x").strip(), "pod/p1 annotated")
        self.assertEqual(k.out("-n", "sel", "get", "pods", "-l", "tier=front", "-o", "name").strip(), "pod/p1")
        self.assertIn("No resources found", k.run("-n", "sel", "get", "pods", "-l", "tier=back").stderr)
        self.assertEqual(k.out("get", "pods", "-A", "--field-selector", "metadata.namespace=sel",
                               "-o", "name").strip(), "pod/p1")


class BadInput(ServerTestCase):
    def apply(self, manifest):
        return self.kubectl.run("apply", "-f", "-", stdin=manifest, check=False)

    def test_missing_image_is_required_value(self):
        r = self.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('The Pod "p" is invalid: spec.containers[0].image: Required value', r.stderr)

    def test_hostusers_false_with_hostnetwork_is_forbidden(self):
        r = self.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: u}\nspec:\n  hostUsers: false\n"
                       "  hostNetwork: true\n  containers:\n  - {name: c, image: busybox}\n")
        self.assertIn('The Pod "u" is invalid', r.stderr)
        self.assertIn("spec.hostNetwork: Forbidden", r.stderr)

    def test_selinux_change_policy_mount_is_unsupported(self):
        r = self.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  securityContext:\n"
                       "    seLinuxChangePolicy: Mount\n  containers:\n  - {name: c, image: busybox}\n")
        self.assertIn('spec.securityContext.seLinuxChangePolicy: Unsupported value: "Mount": '
                      'supported values: "MountOption", "Recursive"', r.stderr)

    def test_unknown_field_under_strict_validation(self):
        r = self.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndataa: {a: b}\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('unknown field "dataa"', r.stderr)

    def test_invalid_name(self):
        r = self.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n")
        self.assertIn('metadata.name: Invalid value: "Bad_Name"', r.stderr)

    def test_gitrepo_volume_is_admitted_with_warning(self):
        r = self.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec:\n  containers:\n"
                       "  - {name: c, image: busybox}\n  volumes:\n  - name: v\n"
                       "    gitRepo: {repository: 'https://example.com/r.git'}\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Warning: spec.volumes[0].gitRepo: deprecated", r.stderr)

    def test_external_ips_warns(self):
        r = self.apply("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n"
                       "  externalIPs: [192.0.2.10]\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Warning: spec.externalIPs", r.stderr)

    def test_stale_update_conflicts(self):
        k = self.kubectl
        k.out("create", "configmap", "cc", "--from-literal=a=1")
        obj = k.out("get", "cm", "cc", "-o", "yaml")
        k.out("label", "cm", "cc", "x=y")
        r = k.run("replace", "-f", "-", stdin=obj, check=False)
        self.assertIn("the object has been modified; please apply your changes to the latest version",
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
