"""Issue 5's "Bad input", with kubectl v1.36.3: a class that does not exist, a selector that
does not compile or fails at runtime, a request for more devices than exist, counters that
reference an unknown set, an incomplete pool, a claim whose pod is gone and a template that does
not exist. Each ends in a status, condition or event that kubectl shows, and none of them keeps
other pods from running.

Two simulated nodes with two A100-80GB GPUs each (`haru sim`) publish the real pools; the
broken pools are hand-written slices of other drivers, so they never touch the sim's pools.
Tests named *_upstream_wording hold upstream kube-scheduler's exact messages."""

import json
import os
import re
import time
import unittest

from harness import SimServerTestCase

EXAMPLES = os.path.join(os.path.dirname(__file__), "../../examples/dra")

# A pod that uses one claim, by name or from a template.
POD = """
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: c
    image: registry.example.com/train:1
    resources:
      claims:
      - name: dev
  resourceClaims:
  - name: dev
    {source}: {claim}
"""

CLAIM = """
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: {name}
spec:
  devices:
    requests:
    - name: {request}
      exactly:
        deviceClassName: {device_class}
        allocationMode: {mode}
        {count}
"""

CLASS = """
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: {name}
spec:
  selectors:
  - cel:
      expression: "{expression}"
"""

# Upstream's PostFilter tail when every node is UnschedulableAndUnresolvable for DRA.
NOT_HELPFUL = "still not schedulable, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."


def pod(name, claim, template=False):
    return POD.format(name=name, claim=claim,
                      source="resourceClaimTemplateName" if template else "resourceClaimName")


def claim(name, device_class, count=None, mode="ExactCount", request="dev"):
    return CLAIM.format(name=name, device_class=device_class, mode=mode, request=request,
                        count=f"count: {count}" if count is not None else "")


def device_class(name, expression):
    return CLASS.format(name=name, expression=expression)


def slice_yaml(name, driver, node, pool, count, generation=1, devices=None, counters=None):
    spec = {"driver": driver, "nodeName": node,
            "pool": {"name": pool, "generation": generation, "resourceSliceCount": count}}
    if devices is not None:
        spec["devices"] = devices
    if counters is not None:
        spec["sharedCounters"] = counters
    return json.dumps({"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
                       "metadata": {"name": name}, "spec": spec})


class DraBadInput(SimServerTestCase):
    SIM_ARGS = ("--nodes", "2", "--gpus-per-node", "2", "--gpu", "a100-80gb")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        k = cls.kubectl
        deadline = time.time() + 30
        while time.time() < deadline:
            slices = json.loads(k.out("get", "resourceslices", "-o", "json"))["items"]
            pools = {}
            for s in slices:
                pool = s["spec"]["pool"]
                pools.setdefault(pool["name"], [pool["resourceSliceCount"], 0])[1] += 1
            if sorted(pools) == ["sim-0", "sim-1"] and all(want == got for want, got in pools.values()):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("the simulated nodes did not publish their pools")
        k.out("apply", "-f", os.path.join(EXAMPLES, "00-device-classes.yaml"))

    # ---- helpers ------------------------------------------------------------------------------

    def apply(self, *docs):
        out = self.kubectl.out("apply", "-f", "-", stdin="\n---\n".join(docs))
        for line in out.splitlines():
            kind_name = line.split()[0]
            self.addCleanup(self.kubectl.run, "delete", kind_name, "--ignore-not-found",
                            "--wait=false", check=False)
        return out

    def get_json(self, *args):
        return json.loads(self.kubectl.out("get", *args, "-o", "json"))

    def scheduled_condition(self, name):
        for c in self.get_json("pod", name)["status"].get("conditions", []):
            if c["type"] == "PodScheduled":
                return c
        return None

    def wait_failed_scheduling(self, name, pattern, timeout=20):
        """Waits until `kubectl describe pod` shows a FailedScheduling event matching `pattern`;
        returns the description."""
        described = ""
        deadline = time.time() + timeout
        while time.time() < deadline:
            described = self.kubectl.out("describe", "pod", name)
            if re.search(r"Warning\s+FailedScheduling\s.*" + pattern, described):
                return described
            time.sleep(0.2)
        self.fail(f"no FailedScheduling event matching {pattern!r} for pod {name}:\n{described}")

    def wait_condition(self, name, reason, pattern, timeout=20):
        cond = None
        deadline = time.time() + timeout
        while time.time() < deadline:
            cond = self.scheduled_condition(name)
            if cond and cond["status"] == "False" and cond.get("reason") == reason and \
                    re.search(pattern, cond.get("message", "")):
                return cond
            time.sleep(0.2)
        self.fail(f"PodScheduled of {name} never became {reason} matching {pattern!r}: {cond}")

    def wait_running(self, name, timeout=30):
        self.wait_for(lambda: self.kubectl.out("get", "pod", name, "-o", "jsonpath={.status.phase}") == "Running",
                      timeout=timeout, message=f"pod {name} Running")

    def assert_pending(self, name):
        self.assertEqual(self.kubectl.out("get", "pod", name, "-o", "jsonpath={.status.phase}"), "Pending")
        self.assertEqual(self.kubectl.out("get", "pod", name, "-o", "jsonpath={.spec.nodeName}"), "")

    def assert_others_still_run(self, name):
        """A hopeless request never blocks other pods: a pod with a full GPU runs meanwhile."""
        self.apply(claim(name, "gpu.haru.dev"), pod(name, name))
        self.wait_running(name)
        self.kubectl.out("delete", "pod", name, "--wait=false")

    def claim_state(self, name):
        out = self.kubectl.out("get", "resourceclaim", name)
        return re.split(r"\s{2,}", out.splitlines()[1].strip())[1]

    # ---- 1. a class that does not exist -------------------------------------------------------

    def test_class_does_not_exist(self):
        self.apply(claim("no-class", "no-such-class", request="gpu"), pod("no-class", "no-class"))
        # PreFilter finds the class missing: "request gpu: device class no-such-class does not exist".
        self.wait_failed_scheduling("no-class", r"request gpu: .*device class no-such-class")
        self.assert_pending("no-class")
        self.assertEqual(self.claim_state("no-class"), "pending")
        self.assert_others_still_run("beside-no-class")
        # Creating the class lets the pod schedule: it was never stuck.
        self.apply(device_class("no-such-class",
                                "device.driver == 'gpu.haru.dev' && device.attributes['gpu.haru.dev'].type == 'gpu'"))
        self.wait_running("no-class")
        self.assertEqual(self.claim_state("no-class"), "allocated,reserved")

    def test_class_does_not_exist_upstream_wording(self):
        self.apply(claim("no-class-2", "no-such-class-2", request="gpu"), pod("no-class-2", "no-class-2"))
        self.wait_condition(
            "no-class-2", "Unschedulable",
            re.escape("0/2 nodes are available: request gpu: device class no-such-class-2 does not "
                      "exist. no new claims to deallocate, preemption: 0/2 nodes are available: 2 "
                      "Preemption is not helpful for scheduling."))

    # ---- 2. a selector that does not compile, or fails at runtime -----------------------------

    def test_selector_does_not_compile_is_422(self):
        bad = device_class("typo.gpu.haru.dev", "device.driver == 'gpu.haru.dev' && devize.attributes.size() > 0")
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=bad)
        self.assertIn('The DeviceClass "typo.gpu.haru.dev" is invalid: '
                      "spec.selectors[0].cel.expression: Invalid value: ", err)
        self.assertIn("compilation failed: ERROR: <input>:1:36: undeclared reference to 'devize'", err)
        # The same in a claim's request, on the second line of the expression.
        bad_claim = claim("typo", "gpu.haru.dev") + (
            "        selectors:\n"
            "        - cel:\n"
            "            expression: |-\n"
            "              device.driver == 'gpu.haru.dev' &&\n"
            "                device.attributes['gpu.haru.dev'].profile ==\n")
        err = self.kubectl.fail_text("apply", "-f", "-", stdin=bad_claim)
        self.assertIn('The ResourceClaim "typo" is invalid: '
                      "spec.devices.requests[0].exactly.selectors[0].cel.expression: Invalid value: ", err)
        self.assertRegex(err, r"compilation failed: ERROR: <input>:2:\d+: ")
        self.assertIn("NotFound", self.kubectl.fail_text("get", "resourceclaim", "typo"))

    def test_selector_fails_at_runtime(self):
        self.apply(device_class("runtime-error", "device.attributes['gpu.haru.dev'].nosuch == 1"),
                   claim("runtime-error", "runtime-error"), pod("runtime-error", "runtime-error"))
        pattern = r"class runtime-error: selector #0\b.*: CEL runtime error: no such key: nosuch"
        self.wait_failed_scheduling("runtime-error", pattern)
        self.wait_condition("runtime-error", "SchedulerError", pattern)
        self.assert_pending("runtime-error")
        self.assert_others_still_run("beside-runtime-error")
        # Fixing the class lets the pod schedule.
        self.kubectl.out("apply", "-f", "-", stdin=device_class(
            "runtime-error", "device.attributes['gpu.haru.dev'].type == 'gpu'"))
        self.wait_running("runtime-error")

    def test_selector_fails_at_runtime_upstream_wording(self):
        self.apply(device_class("runtime-error-2", "device.attributes['gpu.haru.dev'].nosuch == 1"),
                   claim("runtime-error-2", "runtime-error-2"), pod("runtime-error-2", "runtime-error-2"))
        self.wait_condition("runtime-error-2", "SchedulerError", "^" + re.escape(
            'running "DynamicResources" filter plugin: class runtime-error-2: selector #0: CEL '
            "runtime error: no such key: nosuch") + "$")

    # ---- 3. more devices than exist -----------------------------------------------------------

    def test_more_devices_than_exist(self):
        # Each node has two GPUs: three never fit.
        self.apply(claim("three-gpus", "gpu.haru.dev", count=3), pod("three-gpus", "three-gpus"))
        described = self.wait_failed_scheduling(
            "three-gpus", re.escape("0/2 nodes are available: 2 cannot allocate all claims."))
        self.assertRegex(described, r"PodScheduled\s+False")
        self.wait_condition("three-gpus", "Unschedulable",
                            "^" + re.escape("0/2 nodes are available: 2 cannot allocate all claims. still not schedulable"))
        # More than a claim may hold at all: the allocator's limit, as upstream words it.
        self.apply(claim("hundred-gpus", "gpu.haru.dev", count=100), pod("hundred-gpus", "hundred-gpus"))
        pattern = re.escape("claim default/hundred-gpus: number of requested devices 100 exceeds the claim limit of 32")
        self.wait_failed_scheduling("hundred-gpus", pattern)
        self.wait_condition("hundred-gpus", "SchedulerError", pattern)
        self.assert_pending("three-gpus")
        self.assert_pending("hundred-gpus")
        self.assertEqual(self.claim_state("three-gpus"), "pending")
        self.assert_others_still_run("beside-too-many")

    def test_more_devices_than_exist_upstream_wording(self):
        self.apply(claim("three-gpus-2", "gpu.haru.dev", count=3), pod("three-gpus-2", "three-gpus-2"))
        self.wait_condition("three-gpus-2", "Unschedulable", "^" + re.escape(
            "0/2 nodes are available: 2 cannot allocate all claims. " + NOT_HELPFUL) + "$")

    # ---- 4. counters that reference an unknown set --------------------------------------------

    def broken_counters_pool(self, generation, counter_set):
        return [slice_yaml(f"counters-sets-g{generation}", "counters.example.com", "sim-0", "broken-counters", 2,
                           generation=generation,
                           counters=[{"name": "set-a", "counters": {"mem": {"value": "10"}}}]),
                slice_yaml(f"counters-devices-g{generation}", "counters.example.com", "sim-0", "broken-counters", 2,
                           generation=generation,
                           devices=[{"name": "dev-0", "consumesCounters": [
                               {"counterSet": counter_set, "counters": {"mem": {"value": "1"}}}]}])]

    def test_counters_reference_unknown_set(self):
        # Each slice alone is valid (devices and counter sets live in separate slices), so the
        # API accepts them; the allocator finds the pool invalid and allocates nothing from it.
        self.apply(*self.broken_counters_pool(1, "set-missing"),
                   device_class("counters.example.com", "device.driver == 'counters.example.com'"),
                   claim("counters", "counters.example.com"), pod("counters", "counters"),
                   claim("counters-all", "counters.example.com", mode="All"),
                   pod("counters-all", "counters-all"))
        self.wait_failed_scheduling("counters", r"0/2 nodes are available: .*\.")
        self.assert_pending("counters")
        self.assertEqual(self.claim_state("counters"), "pending")
        # "All" devices of an invalid pool: the allocator's error, as upstream words it.
        pattern = re.escape("claim default/counters-all, request dev: asks for all devices, but resource "
                            "pool counters.example.com/broken-counters is currently invalid")
        self.wait_failed_scheduling("counters-all", pattern)
        self.wait_condition("counters-all", "SchedulerError", pattern)
        self.assert_others_still_run("beside-counters")
        # The driver republishes the pool with the right counter set: the pod gets the device.
        self.kubectl.out("delete", "pod", "counters-all")
        self.apply(*self.broken_counters_pool(2, "set-a"))
        self.wait_running("counters")
        result = self.get_json("resourceclaim", "counters")["status"]["allocation"]["devices"]["results"][0]
        self.assertEqual((result["driver"], result["pool"], result["device"]),
                         ("counters.example.com", "broken-counters", "dev-0"))
        self.assertEqual(self.kubectl.out("get", "pod", "counters", "-o", "jsonpath={.spec.nodeName}"), "sim-0")

    def test_counters_reference_unknown_set_upstream_wording(self):
        self.apply(*self.broken_counters_pool(1, "set-missing"),
                   device_class("counters.example.com", "device.driver == 'counters.example.com'"),
                   claim("counters-2", "counters.example.com"), pod("counters-2", "counters-2"))
        self.wait_condition("counters-2", "Unschedulable", "^" + re.escape(
            "0/2 nodes are available: 1 cannot allocate all claims, 1 invalid resource pools were "
            "encountered. " + NOT_HELPFUL) + "$")

    # ---- 5. an incomplete pool ----------------------------------------------------------------

    def half_pool(self, index):
        return slice_yaml(f"half-{index}", "incomplete.example.com", "sim-1", "half-published", 2,
                          devices=[{"name": f"dev-{index}"}])

    def test_incomplete_pool(self):
        # The pool says it has two slices; only one is published so far.
        self.apply(self.half_pool(0),
                   device_class("incomplete.example.com", "device.driver == 'incomplete.example.com'"),
                   claim("incomplete", "incomplete.example.com"), pod("incomplete", "incomplete"),
                   claim("incomplete-all", "incomplete.example.com", mode="All"),
                   pod("incomplete-all", "incomplete-all"))
        self.wait_failed_scheduling("incomplete",
                                    re.escape("0/2 nodes are available: 2 cannot allocate all claims."))
        self.wait_condition("incomplete", "Unschedulable",
                            "^" + re.escape("0/2 nodes are available: 2 cannot allocate all claims. still not schedulable"))
        self.assert_pending("incomplete")
        self.assertEqual(self.claim_state("incomplete"), "pending")
        pattern = re.escape("claim default/incomplete-all, request dev: asks for all devices, but resource "
                            "pool incomplete.example.com/half-published is currently being updated")
        self.wait_failed_scheduling("incomplete-all", pattern)
        self.wait_condition("incomplete-all", "SchedulerError", pattern)
        self.assert_pending("incomplete-all")
        self.assert_others_still_run("beside-incomplete")
        # The second slice completes the pool: the waiting pod gets a device from it.
        self.kubectl.out("delete", "pod", "incomplete-all")
        self.apply(self.half_pool(1))
        self.wait_running("incomplete")
        result = self.get_json("resourceclaim", "incomplete")["status"]["allocation"]["devices"]["results"][0]
        self.assertEqual((result["driver"], result["pool"]), ("incomplete.example.com", "half-published"))
        self.assertIn(result["device"], ("dev-0", "dev-1"))

    def test_incomplete_pool_upstream_wording(self):
        self.apply(slice_yaml("half-2", "incomplete2.example.com", "sim-1", "half", 2, devices=[{"name": "dev-0"}]),
                   device_class("incomplete2.example.com", "device.driver == 'incomplete2.example.com'"),
                   claim("incomplete-2", "incomplete2.example.com"), pod("incomplete-2", "incomplete-2"))
        self.wait_condition("incomplete-2", "Unschedulable", "^" + re.escape(
            "0/2 nodes are available: 2 cannot allocate all claims. " + NOT_HELPFUL) + "$")

    # ---- 6. a claim whose pod is gone ---------------------------------------------------------

    def test_generated_claim_of_deleted_pod_is_deleted(self):
        self.kubectl.out("apply", "-f", os.path.join(EXAMPLES, "01-partition-claim-template.yaml"))
        self.addCleanup(self.kubectl.run, "delete", "-f", os.path.join(EXAMPLES, "01-partition-claim-template.yaml"),
                        "--ignore-not-found", check=False)
        template = self.get_json("-f", os.path.join(EXAMPLES, "01-partition-claim-template.yaml"))
        self.apply(pod("from-template", template["metadata"]["name"], template=True))
        self.wait_running("from-template")
        statuses = self.get_json("pod", "from-template")["status"]["resourceClaimStatuses"]
        name = statuses[0]["resourceClaimName"]
        self.assertTrue(name.startswith("from-template-dev-"), name)
        self.assertEqual(self.claim_state(name), "allocated,reserved")
        self.kubectl.out("delete", "pod", "from-template")
        self.wait_for(lambda: self.kubectl.run("get", "resourceclaim", name, check=False).returncode != 0,
                      timeout=30, message=f"generated claim {name} deleted")
        self.assertIn("NotFound", self.kubectl.fail_text("get", "resourceclaim", name))

    def test_user_claim_of_deleted_pod_is_released(self):
        self.apply(claim("kept", "gpu.haru.dev"), pod("uses-kept", "kept"))
        self.wait_running("uses-kept")
        reserved = self.get_json("resourceclaim", "kept")["status"]["reservedFor"]
        self.assertEqual([r["name"] for r in reserved], ["uses-kept"])
        # Gone without a chance to clean up: force-deleted.
        self.kubectl.out("delete", "pod", "uses-kept", "--force", "--grace-period=0")
        self.wait_for(lambda: self.claim_state("kept") == "pending", timeout=30,
                      message="claim kept deallocated")
        status = self.get_json("resourceclaim", "kept").get("status", {})
        self.assertNotIn("reservedFor", status)
        self.assertNotIn("allocation", status)
        self.assertNotIn("resource.kubernetes.io/delete-protection",
                         self.get_json("resourceclaim", "kept")["metadata"].get("finalizers", []))
        yaml_out = self.kubectl.out("get", "resourceclaim", "kept", "-o", "yaml")
        self.assertNotIn("reservedFor", yaml_out)
        # The claim stays and can serve the next pod.
        self.apply(pod("uses-kept-again", "kept"))
        self.wait_running("uses-kept-again")

    # ---- 7. a template that does not exist ----------------------------------------------------

    def test_template_does_not_exist(self):
        self.apply(pod("no-template", "no-such-template", template=True))
        expected = ('PodResourceClaim dev: resource claim template "no-such-template": '
                    'resourceclaimtemplate.resource.k8s.io "no-such-template" not found')
        def warned():
            return re.search(r"Warning\s+FailedResourceClaimCreation\s.*" + re.escape(expected),
                             self.kubectl.out("describe", "pod", "no-template"))
        self.wait_for(warned, timeout=20, message="FailedResourceClaimCreation event")
        events = self.kubectl.out("get", "events", "--field-selector", "involvedObject.name=no-template")
        self.assertIn("FailedResourceClaimCreation", events)
        self.assert_pending("no-template")
        self.assertNotIn("resourceClaimStatuses", self.get_json("pod", "no-template")["status"])
        self.assert_others_still_run("beside-no-template")
        # Creating the template lets the controller make the claim, and the pod runs.
        template = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
                    "metadata:\n  name: no-such-template\nspec:\n  spec:\n    devices:\n      requests:\n"
                    "      - name: gpu\n        exactly:\n          deviceClassName: gpu.haru.dev\n")
        self.apply(template)
        self.wait_running("no-template", timeout=40)


if __name__ == "__main__":
    unittest.main()
