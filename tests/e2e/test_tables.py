"""Table output (as=Table) per kind, as kubectl v1.36.3 prints it: columns, -o wide,
--show-labels; the `kubernetes` Service and ClusterIP/NodePort allocation."""

import ipaddress
import json
import re
import unittest

from harness import ServerTestCase


def header(out):
    return re.split(r"\s{2,}", out.splitlines()[0].strip())


def row(out, name):
    for line in out.splitlines()[1:]:
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == name or (len(cells) > 1 and cells[1] == name):
            return cells
    raise AssertionError(f"no row {name} in:\n{out}")


class Tables(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        k = cls.kubectl
        k.out("create", "ns", "tbl")
        k.out("-n", "tbl", "create", "cm", "two", "--from-literal=a=1", "--from-literal=b=2")
        k.out("-n", "tbl", "create", "secret", "generic", "sec", "--from-literal=a=1")
        k.out("-n", "tbl", "create", "secret", "docker-registry", "reg", "--docker-server=r.example",
              "--docker-username=u", "--docker-password=p")
        k.out("-n", "tbl", "create", "sa", "robot")

    def get(self, *args):
        return self.kubectl.out(*args)

    def test_namespaces(self):
        out = self.get("get", "ns")
        self.assertEqual(header(out), ["NAME", "STATUS", "AGE"])
        self.assertEqual(row(out, "tbl")[:2], ["tbl", "Active"])
        self.assertEqual(set(l.split()[0] for l in out.splitlines()[1:]) >=
                         {"default", "kube-system", "kube-public", "kube-node-lease", "tbl"}, True)
        out = self.get("get", "ns", "tbl", "--show-labels")
        self.assertEqual(header(out), ["NAME", "STATUS", "AGE", "LABELS"])
        self.assertEqual(row(out, "tbl")[-1], "kubernetes.io/metadata.name=tbl")

    def test_configmaps_data(self):
        out = self.get("-n", "tbl", "get", "cm", "two")
        self.assertEqual(header(out), ["NAME", "DATA", "AGE"])
        self.assertEqual(row(out, "two")[:2], ["two", "2"])

    def test_secrets_type_data(self):
        out = self.get("-n", "tbl", "get", "secrets")
        self.assertEqual(header(out), ["NAME", "TYPE", "DATA", "AGE"])
        self.assertEqual(row(out, "sec")[:3], ["sec", "Opaque", "1"])
        self.assertEqual(row(out, "reg")[:3], ["reg", "kubernetes.io/dockerconfigjson", "1"])

    def test_serviceaccounts(self):
        out = self.get("-n", "tbl", "get", "sa")
        self.assertEqual(header(out), ["NAME", "SECRETS", "AGE"])
        self.assertEqual(row(out, "robot")[:2], ["robot", "0"])
        self.wait_for(lambda: "default" in self.get("-n", "tbl", "get", "sa", "-o", "name"),
                      message="default service account")

    def test_kubernetes_service(self):
        out = self.get("get", "svc", "kubernetes")
        self.assertEqual(header(out), ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        self.assertEqual(row(out, "kubernetes")[:5], ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"])
        wide = self.get("get", "svc", "kubernetes", "-o", "wide")
        self.assertEqual(header(wide)[-1], "SELECTOR")
        self.assertEqual(row(wide, "kubernetes")[-1], "<none>")
        svc = json.loads(self.get("get", "svc", "kubernetes", "-o", "json"))
        self.assertEqual(svc["metadata"]["labels"], {"component": "apiserver", "provider": "kubernetes"})
        self.assertEqual(svc["spec"]["clusterIPs"], ["10.96.0.1"])

    def test_service_allocation(self):
        k = self.kubectl
        self.assertEqual(k.out("-n", "tbl", "create", "service", "nodeport", "np", "--tcp=80:8080").strip(),
                         "service/np created")
        self.assertEqual(k.out("-n", "tbl", "create", "service", "clusterip", "cip", "--tcp=5678:8080").strip(),
                         "service/cip created")
        out = k.out("-n", "tbl", "get", "svc", "-o", "wide")
        self.assertEqual(header(out), ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"])
        np_row, cip_row = row(out, "np"), row(out, "cip")
        self.assertEqual((np_row[1], np_row[3], np_row[-1]), ("NodePort", "<none>", "app=np"))
        self.assertEqual((cip_row[1], cip_row[4], cip_row[-1]), ("ClusterIP", "5678/TCP", "app=cip"))
        cidr = ipaddress.ip_network("10.96.0.0/12")
        ips = {ipaddress.ip_address(np_row[2]), ipaddress.ip_address(cip_row[2])}
        self.assertEqual(len(ips), 2)
        for ip in ips:
            self.assertIn(ip, cidr)
            self.assertNotEqual(str(ip), "10.96.0.1")
        port = re.fullmatch(r"80:(\d+)/TCP", np_row[4])
        self.assertIsNotNone(port, np_row)
        self.assertTrue(30000 <= int(port.group(1)) <= 32767)
        # A taken ClusterIP is refused with upstream's message.
        err = k.fail_text("-n", "tbl", "create", "-f", "-",
                          stdin="apiVersion: v1\nkind: Service\nmetadata: {name: dup}\nspec:\n"
                                f"  clusterIP: {cip_row[2]}\n  ports: [{{port: 80}}]\n")
        self.assertIn(f'The Service "dup" is invalid: spec.clusterIPs: Invalid value: '
                      f'[]string{{"{cip_row[2]}"}}: failed to allocate IP {cip_row[2]}: provided IP is '
                      f'already allocated', err)
        # Headless services get no ClusterIP.
        k.out("-n", "tbl", "create", "service", "clusterip", "headless", "--clusterip=None")
        self.assertEqual(row(k.out("-n", "tbl", "get", "svc", "headless"), "headless")[2], "None")

    def test_events(self):
        k = self.kubectl
        k.out("-n", "tbl", "create", "-f", "-", stdin=(
            "apiVersion: v1\nkind: Event\nmetadata: {name: ev1}\n"
            "involvedObject: {kind: Pod, name: web-0, namespace: tbl, fieldPath: 'spec.containers{c}'}\n"
            "reason: BackOff\nmessage: Back-off restarting failed container\ntype: Warning\n"
            "source: {component: kubelet, host: node-1}\ncount: 3\n"
            "firstTimestamp: '2020-01-01T00:00:00Z'\nlastTimestamp: '2020-01-01T00:00:00Z'\n"))
        out = k.out("-n", "tbl", "get", "events")
        self.assertEqual(header(out), ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
        cells = out.splitlines()[1].split(None, 4)
        self.assertRegex(cells[0], r"^\d+y(\d+d)?$")
        self.assertEqual(cells[1:], ["Warning", "BackOff", "pod/web-0", "Back-off restarting failed container"])
        wide = k.out("-n", "tbl", "get", "events", "-o", "wide")
        self.assertEqual(header(wide), ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE",
                                        "MESSAGE", "FIRST SEEN", "COUNT", "NAME"])
        self.assertIn("spec.containers{c}", wide)
        self.assertIn("kubelet, node-1", wide)
        self.assertRegex(wide.splitlines()[1], r"\s3\s+ev1$")

    def test_leases(self):
        self.kubectl.out("-n", "tbl", "create", "-f", "-", stdin=(
            "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\n"
            "spec: {holderIdentity: node-a, leaseDurationSeconds: 15}\n"))
        out = self.kubectl.out("-n", "tbl", "get", "leases")
        self.assertEqual(header(out), ["NAME", "HOLDER", "AGE"])
        self.assertEqual(row(out, "leader")[:2], ["leader", "node-a"])

    def test_nodes(self):
        k = self.kubectl
        k.out("create", "-f", "-", stdin=(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: cp-1\n  labels: {node-role.kubernetes.io/control-plane: ''}\n"
            "spec: {unschedulable: true}\n"))
        k.out("create", "-f", "-", stdin="apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n")
        status = {"status": {"conditions": [{"type": "Ready", "status": "True"}],
                             "addresses": [{"type": "InternalIP", "address": "10.0.0.7"}],
                             "nodeInfo": {"kubeletVersion": "v1.36.3", "osImage": "Debian GNU/Linux 12",
                                          "kernelVersion": "6.1.0", "containerRuntimeVersion": "haru://0.1",
                                          "machineID": "", "systemUUID": "", "bootID": "",
                                          "kubeProxyVersion": "", "operatingSystem": "linux",
                                          "architecture": "amd64"}}}
        k.out("patch", "node", "cp-1", "--subresource=status", "--type=merge", "-p", json.dumps(status))
        out = k.out("get", "nodes")
        self.assertEqual(header(out), ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
        cp = row(out, "cp-1")
        self.assertEqual((cp[1], cp[2], cp[4]), ("Ready,SchedulingDisabled", "control-plane", "v1.36.3"))
        worker = row(out, "worker-1")  # no Ready condition yet: upstream's printer says Unknown
        self.assertEqual((worker[1], worker[2]), ("Unknown", "<none>"))
        k.out("patch", "node", "worker-1", "--subresource=status", "--type=merge",
              "-p", '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}')
        self.assertEqual(row(k.out("get", "nodes"), "worker-1")[1], "NotReady")
        wide = k.out("get", "nodes", "-o", "wide")
        self.assertEqual(header(wide), ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
                                        "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"])
        self.assertEqual(row(wide, "cp-1")[5:], ["10.0.0.7", "<none>", "Debian GNU/Linux 12", "6.1.0",
                                                 "haru://0.1"])

    def test_endpoints(self):
        out = self.kubectl.out("get", "endpoints", "kubernetes")
        self.assertEqual(header(out), ["NAME", "ENDPOINTS", "AGE"])
        self.assertRegex(row(out, "kubernetes")[1], r"^127\.0\.0\.1:\d+$")

    def test_all_namespaces_adds_namespace_column(self):
        out = self.kubectl.out("get", "cm", "-A")
        self.assertEqual(header(out), ["NAMESPACE", "NAME", "DATA", "AGE"])
        self.assertEqual(row(out, "two")[:3], ["tbl", "two", "2"])

    def test_raw_table_request(self):
        accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
        status, headers, body = self.api.request("GET", "/api/v1/namespaces/tbl/configmaps?includeObject=None",
                                                 headers={"Accept": accept})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json;as=Table;v=v1;g=meta.k8s.io")
        table = json.loads(body)
        self.assertEqual((table["kind"], table["apiVersion"]), ("Table", "meta.k8s.io/v1"))
        self.assertEqual([c["name"] for c in table["columnDefinitions"]], ["Name", "Data", "Age"])
        self.assertEqual(table["rows"][0]["cells"][:2], ["two", 2])
        self.assertNotIn("object", table["rows"][0])
        status, _, body = self.api.request("GET", "/api/v1/namespaces/tbl/configmaps/two",
                                           headers={"Accept": accept})
        row0 = json.loads(body)["rows"][0]
        self.assertEqual(row0["object"]["kind"], "PartialObjectMetadata")
        self.assertEqual(row0["object"]["metadata"]["name"], "two")


if __name__ == "__main__":
    unittest.main()
