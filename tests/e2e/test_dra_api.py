"""The Dynamic Resource Allocation API (resource.k8s.io/v1, DeviceTaintRule in v1beta2) and
batch/v1 Job, as kubectl v1.36.3 shows them: discovery, apply of a MIG-like partitioned pool
(a counter-set slice plus a device slice consuming its counters), tables, field selectors,
CEL selector errors with line:column, explain, and a Job created and listed."""

import json
import re
import unittest

from harness import ServerTestCase


def header(out):
    return re.split(r"\s{2,}", out.splitlines()[0].strip())


def row(out, name):
    for line in out.splitlines()[1:]:
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == name:
            return cells
    raise AssertionError(f"no row {name} in:\n{out}")


DEVICE_CLASS = """
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: mig.gpu.haru.dev
spec:
  selectors:
  - cel:
      expression: "device.driver == 'gpu.haru.dev' && device.attributes['gpu.haru.dev'].type == 'mig'"
"""

CLAIM_TEMPLATE = """
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: mig-1g
  namespace: default
spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: mig.gpu.haru.dev
          selectors:
          - cel:
              expression: "device.attributes['gpu.haru.dev'].profile == '1g.10gb'"
"""

# One pool of node-1 in two slices: the counter sets, then the devices that consume them.
COUNTER_SLICE = """
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: node-1-gpu.haru.dev-counters
spec:
  driver: gpu.haru.dev
  nodeName: node-1
  pool:
    name: node-1
    generation: 1
    resourceSliceCount: 2
  sharedCounters:
  - name: gpu-0-counter-set
    counters:
      memory: {value: 80Gi}
      memory-slice-0: {value: "1"}
      memory-slice-1: {value: "1"}
"""

DEVICE_SLICE = """
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: node-1-gpu.haru.dev-devices
spec:
  driver: gpu.haru.dev
  nodeName: node-1
  pool:
    name: node-1
    generation: 1
    resourceSliceCount: 2
  devices:
  - name: gpu-0-mig-1g10gb-0
    attributes:
      type: {string: mig}
      profile: {string: 1g.10gb}
      cudaComputeCapability: {version: 8.0.0}
    capacity:
      memory: {value: 10Gi}
    consumesCounters:
    - counterSet: gpu-0-counter-set
      counters:
        memory: {value: 10Gi}
        memory-slice-0: {value: "1"}
  - name: gpu-0-mig-1g10gb-1
    attributes:
      type: {string: mig}
      profile: {string: 1g.10gb}
    capacity:
      memory: {value: 10Gi}
    consumesCounters:
    - counterSet: gpu-0-counter-set
      counters:
        memory: {value: 10Gi}
        memory-slice-1: {value: "1"}
"""

OTHER_NODE_SLICE = """
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: node-2-gpu.haru.dev
spec:
  driver: gpu.haru.dev
  nodeName: node-2
  pool: {name: node-2, generation: 1, resourceSliceCount: 1}
  devices:
  - name: gpu-0
    attributes:
      type: {string: gpu}
"""

BAD_CLASS = """
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: bad.gpu.haru.dev
spec:
  selectors:
  - cel:
      expression: "device.driver == 'gpu.haru.dev' && devize.attributes"
"""

JOB = """
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: default
spec:
  parallelism: 2
  completions: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: train
        image: busybox:1.36
"""

TAINT_RULE = """
apiVersion: resource.k8s.io/v1beta2
kind: DeviceTaintRule
metadata:
  name: broken-gpu
spec:
  deviceSelector:
    driver: gpu.haru.dev
    pool: node-1
    device: gpu-0-mig-1g10gb-1
  taint:
    key: example.com/broken
    effect: NoSchedule
"""


class DraApi(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        k = cls.kubectl
        for doc in (DEVICE_CLASS, CLAIM_TEMPLATE, COUNTER_SLICE, DEVICE_SLICE, OTHER_NODE_SLICE):
            k.out("apply", "-f", "-", stdin=doc)

    def test_api_resources(self):
        out = self.kubectl.out("api-resources", "--api-group=resource.k8s.io")
        names = {line.split()[0]: line for line in out.splitlines()[1:]}
        for plural, kind in (("deviceclasses", "DeviceClass"), ("resourceclaims", "ResourceClaim"),
                             ("resourceclaimtemplates", "ResourceClaimTemplate"),
                             ("resourceslices", "ResourceSlice"),
                             ("devicetaintrules", "DeviceTaintRule")):
            self.assertIn(plural, names)
            self.assertIn(kind, names[plural])
        self.assertRegex(names["resourceclaims"], r"resource\.k8s\.io/v1\s+true\s+ResourceClaim")
        self.assertRegex(names["resourceslices"], r"resource\.k8s\.io/v1\s+false\s+ResourceSlice")
        self.assertRegex(names["devicetaintrules"],
                         r"resource\.k8s\.io/v1beta2\s+false\s+DeviceTaintRule")
        out = self.kubectl.out("api-resources", "--api-group=batch")
        self.assertRegex(out, r"jobs\s+batch/v1\s+true\s+Job")

    def test_resourceslices_table(self):
        out = self.kubectl.out("get", "resourceslices")
        self.assertEqual(header(out), ["NAME", "NODE", "DRIVER", "POOL", "AGE"])
        self.assertEqual(row(out, "node-1-gpu.haru.dev-devices")[:4],
                         ["node-1-gpu.haru.dev-devices", "node-1", "gpu.haru.dev", "node-1"])
        self.assertEqual(row(out, "node-2-gpu.haru.dev")[:4],
                         ["node-2-gpu.haru.dev", "node-2", "gpu.haru.dev", "node-2"])

    def test_field_selector_node_name(self):
        out = self.kubectl.out("get", "resourceslices", "--field-selector", "spec.nodeName=node-1",
                               "-o", "name")
        self.assertEqual(sorted(out.split()),
                         ["resourceslice.resource.k8s.io/node-1-gpu.haru.dev-counters",
                          "resourceslice.resource.k8s.io/node-1-gpu.haru.dev-devices"])
        out = self.kubectl.out("get", "resourceslices", "--field-selector",
                               "spec.driver=gpu.haru.dev,spec.nodeName!=node-1", "-o", "name")
        self.assertEqual(out.split(), ["resourceslice.resource.k8s.io/node-2-gpu.haru.dev"])
        err = self.kubectl.fail_text("get", "resourceslices", "--field-selector", "spec.pool=node-1")
        self.assertIn("field label not supported", err)

    def test_slice_round_trip_keeps_partitions(self):
        out = self.kubectl.out("get", "resourceslice", "node-1-gpu.haru.dev-devices", "-o", "json")
        spec = json.loads(out)["spec"]
        self.assertEqual(spec["devices"][0]["consumesCounters"][0]["counterSet"], "gpu-0-counter-set")
        self.assertEqual(spec["devices"][0]["attributes"]["cudaComputeCapability"], {"version": "8.0.0"})
        out = self.kubectl.out("get", "resourceslice", "node-1-gpu.haru.dev-counters", "-o", "json")
        counters = json.loads(out)["spec"]["sharedCounters"][0]["counters"]
        self.assertEqual(counters["memory"], {"value": "80Gi"})

    def test_slice_with_devices_and_counters_rejected(self):
        bad = COUNTER_SLICE.replace("node-1-gpu.haru.dev-counters", "both") + """
  devices:
  - name: gpu-0
"""
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=bad)
        self.assertIn('The ResourceSlice "both" is invalid: spec: Invalid value: "": only one of '
                      "`sharedCounters` or `devices` is allowed", err)

    def test_slice_needs_node_selection(self):
        bad = OTHER_NODE_SLICE.replace("node-2-gpu.haru.dev", "nowhere").replace(
            "  nodeName: node-2\n", "")
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=bad)
        self.assertIn('The ResourceSlice "nowhere" is invalid: spec: Required value: exactly one '
                      "of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is "
                      "required", err)

    def test_bad_cel_selector_is_422_with_line_and_column(self):
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=BAD_CLASS)
        self.assertIn('The DeviceClass "bad.gpu.haru.dev" is invalid: '
                      "spec.selectors[0].cel.expression: Invalid value: ", err)
        self.assertIn("compilation failed: ERROR: <input>:1:36: undeclared reference to 'devize'",
                      err)
        err = self.kubectl.fail_text("get", "deviceclass", "bad.gpu.haru.dev")
        self.assertIn("NotFound", err)

    def test_deviceclass_and_template_tables(self):
        out = self.kubectl.out("get", "deviceclasses")
        self.assertEqual(header(out), ["NAME", "AGE"])
        row(out, "mig.gpu.haru.dev")
        out = self.kubectl.out("get", "resourceclaimtemplates")
        self.assertEqual(header(out), ["NAME", "AGE"])
        row(out, "mig-1g")

    def test_template_defaults(self):
        out = self.kubectl.out("get", "resourceclaimtemplate", "mig-1g", "-o", "json")
        exactly = json.loads(out)["spec"]["spec"]["devices"]["requests"][0]["exactly"]
        self.assertEqual(exactly["allocationMode"], "ExactCount")
        self.assertEqual(exactly["count"], 1)

    def test_claim_pending_and_spec_immutable(self):
        claim = """
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: one-mig, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: mig.gpu.haru.dev}
"""
        self.kubectl.out("apply", "-f", "-", stdin=claim)
        out = self.kubectl.out("get", "resourceclaims")
        self.assertEqual(header(out), ["NAME", "STATE", "AGE"])
        self.assertEqual(row(out, "one-mig")[:2], ["one-mig", "pending"])
        err = self.kubectl.fail_text("apply", "-f", "-",
                                     stdin=claim.replace("mig.gpu.haru.dev", "other.example.com"))
        self.assertIn('The ResourceClaim "one-mig" is invalid: spec: Invalid value: ', err)
        self.assertIn("field is immutable", err)
        # A status written with the main resource is dropped; /status keeps it.
        self.kubectl.out("patch", "resourceclaim", "one-mig", "--type=merge", "-p",
                         '{"status":{"allocation":{"devices":{"results":[{"request":"gpu",'
                         '"driver":"gpu.haru.dev","pool":"node-1","device":"gpu-0-mig-1g10gb-0"}]}}}}')
        self.assertEqual(row(self.kubectl.out("get", "resourceclaims"), "one-mig")[1], "pending")
        # The written status comes back in the response (the resourceclaim controller then drops
        # the reservation for the pod "p", which does not exist, and deallocates the claim).
        out = self.kubectl.out("patch", "resourceclaim", "one-mig", "--subresource=status",
                               "--type=merge", "-o",
                               "jsonpath={.status.allocation.devices.results[0].device} "
                               "{.status.reservedFor[0].name}", "-p",
                               '{"status":{"allocation":{"devices":{"results":[{"request":"gpu",'
                               '"driver":"gpu.haru.dev","pool":"node-1","device":"gpu-0-mig-1g10gb-0"}]}},'
                               '"reservedFor":[{"resource":"pods","name":"p","uid":"u-1"}]}}')
        self.assertEqual(out.strip(), "gpu-0-mig-1g10gb-0 p")

    def test_explain_exactly(self):
        out = self.kubectl.out("explain", "resourceclaim.spec.devices.requests.exactly")
        self.assertIn("GROUP:      resource.k8s.io", out)
        self.assertIn("KIND:       ResourceClaim", out)
        self.assertIn("VERSION:    v1", out)
        self.assertRegex(out, r"allocationMode\s+<string>")
        self.assertRegex(out, r"deviceClassName\s+<string> -required-")
        self.assertRegex(out, r"selectors\s+<\[\]DeviceSelector>")
        self.assertRegex(out, r"count\s+<integer>")

    def test_device_taint_rule(self):
        self.kubectl.out("apply", "-f", "-", stdin=TAINT_RULE)
        out = self.kubectl.out("get", "devicetaintrules", "broken-gpu", "-o", "json")
        taint = json.loads(out)["spec"]["taint"]
        self.assertEqual(taint["effect"], "NoSchedule")
        self.assertRegex(taint["timeAdded"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=TAINT_RULE.replace(
            "broken-gpu", "bad-effect").replace("NoSchedule", "PreferNoSchedule"))
        self.assertIn('spec.taint.effect: Unsupported value: "PreferNoSchedule": supported values: '
                      '"NoExecute", "NoSchedule", "None"', err)

    def test_job_created_and_listed(self):
        self.kubectl.out("apply", "-f", "-", stdin=JOB)
        out = self.kubectl.out("get", "jobs")
        self.assertEqual(header(out), ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"])
        self.assertEqual(row(out, "train")[:3], ["train", "Running", "0/4"])
        job = json.loads(self.kubectl.out("get", "job", "train", "-o", "json"))
        uid = job["metadata"]["uid"]
        self.assertEqual(job["spec"]["selector"]["matchLabels"],
                         {"batch.kubernetes.io/controller-uid": uid})
        labels = job["spec"]["template"]["metadata"]["labels"]
        self.assertEqual(labels["batch.kubernetes.io/job-name"], "train")
        self.assertEqual(labels["controller-uid"], uid)
        self.assertEqual(job["spec"]["backoffLimit"], 6)
        self.assertEqual(job["spec"]["completionMode"], "NonIndexed")
        out = self.kubectl.out("get", "jobs", "-o", "wide")
        self.assertEqual(header(out), ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE",
                                       "CONTAINERS", "IMAGES", "SELECTOR"])
        cells = row(out, "train")
        self.assertEqual(cells[-3:], ["train", "busybox:1.36",
                                      "batch.kubernetes.io/controller-uid=" + uid])
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=JOB.replace(
            "name: train\n", "name: always\n", 1).replace("restartPolicy: Never", "restartPolicy: Always"))
        self.assertIn('The Job "always" is invalid: spec.template.spec.restartPolicy: Unsupported '
                      'value: "Always": supported values: "OnFailure", "Never"', err)
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=JOB.replace("busybox:1.36", "busybox:1.37"))
        self.assertIn('The Job "train" is invalid: spec.template: Invalid value: ', err)
        self.assertIn("field is immutable", err)


if __name__ == "__main__":
    unittest.main()
