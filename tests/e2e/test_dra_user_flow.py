"""Issue 5's "What a user does", with kubectl v1.36.3: `haru sim` joins four simulated nodes
with eight A100-80GB GPUs each (one of them time-shared), `kubectl apply -f examples/dra/`
runs the seed article's GPU-partition Job and the other examples, and the scheduler,
controllers and simulated nodes take them to completion. Assertions are on what kubectl
prints."""

import json
import os
import re
import unittest

from harness import SimServerTestCase

EXAMPLES = os.path.join(os.path.dirname(__file__), "../../examples/dra")


def rows(out):
    lines = out.strip().splitlines()
    return [re.split(r"\s{2,}", line.strip()) for line in lines[1:]]


# More full GPUs than any node has: no node fits, and the message says why.
IMPOSSIBLE_POD = """
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: nine-full-gpus
spec:
  devices:
    requests:
    - name: gpus
      exactly:
        deviceClassName: gpu.haru.dev
        count: 9
---
apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: c
    image: registry.example.com/train:1
    resources:
      claims:
      - name: gpus
  resourceClaims:
  - name: gpus
    resourceClaimName: nine-full-gpus
"""


class DraUserFlow(SimServerTestCase):
    SIM_ARGS = ("--nodes", "4", "--gpus-per-node", "8", "--gpu", "a100-80gb", "--shared-gpus", "1",
                "--pod-run-seconds", "6")

    def get_json(self, *args):
        return json.loads(self.kubectl.out("get", *args, "-o", "json"))

    def test_what_a_user_does(self):
        k = self.kubectl
        # kubectl get nodes: 4 Ready nodes.
        def nodes_ready():
            out = k.out("get", "nodes")
            return sorted((r[0], r[1]) for r in rows(out)) == [
                (f"sim-{i}", "Ready") for i in range(4)]
        self.wait_for(nodes_ready, message="4 Ready nodes")
        self.assertIn("v1.36.3", k.out("get", "nodes"))

        # kubectl get resourceslices: one pool per node, counter sets and devices.
        def slices_published():
            return len(rows(k.out("get", "resourceslices"))) == 4 * 5
        self.wait_for(slices_published, message="5 slices per node")
        table = k.out("get", "resourceslices")
        self.assertEqual(re.split(r"\s{2,}", table.splitlines()[0].strip()),
                         ["NAME", "NODE", "DRIVER", "POOL", "AGE"])
        self.assertEqual({(r[1], r[2], r[3]) for r in rows(table)},
                         {(f"sim-{i}", "gpu.haru.dev", f"sim-{i}") for i in range(4)})
        pool = [s for s in self.get_json("resourceslices", "--field-selector", "spec.nodeName=sim-0")["items"]]
        counter_sets = [c["name"] for s in pool for c in s["spec"].get("sharedCounters", [])]
        self.assertEqual(counter_sets, [f"gpu-{i}-counter-set" for i in range(7)])
        devices = {d["name"]: d for s in pool for d in s["spec"].get("devices", [])}
        self.assertEqual(devices["gpu-0-mig-3g40gb-9-4"]["attributes"]["profile"], {"string": "3g.40gb"})
        self.assertEqual(devices["gpu-0-mig-3g40gb-9-4"]["consumesCounters"][0]["counterSet"],
                         "gpu-0-counter-set")
        self.assertTrue(devices["gpu-7-shared"]["allowMultipleAllocations"])

        # kubectl apply -f examples/dra/
        out = k.out("apply", "-f", EXAMPLES)
        for line in ["deviceclass.resource.k8s.io/mig.gpu.haru.dev created",
                     "resourceclaimtemplate.resource.k8s.io/gpu-partition-template created",
                     "job.batch/distributed-training created",
                     "devicetaintrule.resource.k8s.io/reserve-sim-0-gpu-6 created",
                     "job.batch/shared-inference created"]:
            self.assertIn(line, out)

        # kubectl get pods -o wide: the Job's four pods Running, each on a node.
        def training_running():
            pods = [r for r in rows(k.out("get", "pods", "-o", "wide", "-l", "job-name=distributed-training"))]
            return len(pods) == 4 and all(r[2] == "Running" and r[6].startswith("sim-") for r in pods)
        self.wait_for(training_running, timeout=30, message="4 training pods Running")

        # kubectl get resourceclaims -o yaml: each allocation names a 3g.40gb MIG device on the
        # pod's node.
        pods = {p["metadata"]["name"]: p for p in self.get_json("pods", "-l", "job-name=distributed-training")["items"]}
        claims = self.get_json("resourceclaims")["items"]
        yaml_out = k.out("get", "resourceclaims", "-o", "yaml")
        self.assertIn("driver: gpu.haru.dev", yaml_out)
        seen = 0
        for claim in claims:
            owners = claim["metadata"].get("ownerReferences", [])
            owner = owners[0]["name"] if owners else ""
            if owner not in pods:
                continue
            seen += 1
            result = claim["status"]["allocation"]["devices"]["results"][0]
            self.assertRegex(result["device"], r"^gpu-[0-6]-mig-3g40gb-9-[04]$")
            self.assertEqual(result["pool"], pods[owner]["spec"]["nodeName"])
            self.assertEqual(claim["status"]["reservedFor"][0]["name"], owner)
            self.assertIn(f"device: {result['device']}", yaml_out)
        self.assertEqual(seen, 4)

        # The tainted GPU goes only to the claim that tolerates it.
        self.wait_for(lambda: "Running" in k.out("get", "pod", "gpu-burn-in"), timeout=30,
                      message="gpu-burn-in Running")
        burn_in = self.get_json("resourceclaim", "maintenance-gpu")
        self.assertEqual(burn_in["status"]["allocation"]["devices"]["results"][0]["device"], "gpu-6")
        self.assertEqual(burn_in["status"]["allocation"]["devices"]["results"][0]["pool"], "sim-0")

        # The time-shared GPU: every share records its shareID and the memory it consumed.
        def shared_running():
            pods = rows(k.out("get", "pods", "-l", "job-name=shared-inference"))
            return len(pods) == 4 and all(r[2] in ("Running", "Completed") for r in pods)
        self.wait_for(shared_running, timeout=30, message="shared-inference pods running")
        shares = [c for c in self.get_json("resourceclaims")["items"]
                  if c["metadata"]["name"].startswith("shared-inference-")]
        self.assertEqual(len(shares), 4)
        for c in shares:
            result = c["status"]["allocation"]["devices"]["results"][0]
            self.assertEqual(result["device"], "gpu-7-shared")
            self.assertTrue(result.get("shareID"))
            self.assertEqual(result["consumedCapacity"], {"memory": "20Gi"})

        # kubectl describe pod <pending-pod>: why it does not fit, upstream's message shape.
        k.out("apply", "-f", "-", stdin=IMPOSSIBLE_POD)
        def explained():
            return "FailedScheduling" in k.out("describe", "pod", "too-big")
        self.wait_for(explained, timeout=30, message="FailedScheduling event")
        described = k.out("describe", "pod", "too-big")
        self.assertIn("0/4 nodes are available: 4 cannot allocate all claims.", described)
        self.assertRegex(described, r"PodScheduled\s+False")
        self.assertEqual(rows(k.out("get", "pod", "too-big"))[0][2], "Pending")

        # The Jobs finish (the simulated pods run for 6 s) and their claims are released.
        def jobs_complete():
            return {(r[0], r[1], r[2]) for r in rows(k.out("get", "jobs"))} == {
                ("distributed-training", "Complete", "4/4"), ("shared-inference", "Complete", "4/4")}
        self.wait_for(jobs_complete, timeout=60, message="both Jobs Complete 4/4")
        def claims_released():
            names = [r[0] for r in rows(k.out("get", "resourceclaims"))]
            return not any(n.startswith(("distributed-training-", "shared-inference-")) for n in names)
        self.wait_for(claims_released, timeout=30, message="the Jobs' claims deleted")


if __name__ == "__main__":
    unittest.main()
