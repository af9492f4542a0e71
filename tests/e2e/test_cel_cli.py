"""`haru cel eval` and `haru cel check`: what an operator sees when trying a device selector or
a policy expression before applying it (issue 4)."""

import subprocess
import unittest

from harness import HARU_BIN


def cel(*args):
    p = subprocess.run([HARU_BIN, "cel", *args], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


class CelCli(unittest.TestCase):
    def test_check_dra_selector(self):
        rc, out, _ = cel("check", "--env", "dra",
                         "device.driver == 'gpu.example.com' && "
                         "device.attributes['gpu.example.com'].profile == '1g.10gb' && "
                         "device.capacity['gpu.example.com'].memory.compareTo(quantity('10Gi')) >= 0")
        self.assertEqual((rc, out), (0, "bool\n"))

    def test_check_errors_have_line_column_and_caret(self):
        rc, _, err = cel("check", "--env", "dra", "devise.driver == 'x'")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "ERROR: <input>:1:1: undeclared reference to 'devise' (in container '')\n"
                              " | devise.driver == 'x'\n"
                              " | ^\n")
        rc, _, err = cel("check", "--env", "dra", "device.driver == 'a' &&\n  device.attributes.x.y == 1 +")
        self.assertEqual(rc, 1)
        self.assertTrue(err.startswith("ERROR: <input>:2:"), err)
        rc, _, err = cel("check", "--env", "dra", "device.driver")
        self.assertIn("must evaluate to bool or the unknown type, not string", err)

    def test_check_rejects_selectors_over_the_cost_limit(self):
        rc, _, err = cel("check", "--env", "dra",
                         "device.attributes.exists(d, device.attributes[d].exists(k, "
                         "device.attributes.exists(d2, device.attributes[d2].exists(k2, "
                         "string(device.attributes[d][k]) == string(device.attributes[d2][k2])))))")
        self.assertEqual(rc, 1)
        self.assertIn("too complex, exceeds cost limit", err)

    def test_check_admission_typed_by_resource(self):
        rc, out, _ = cel("check", "--env", "admission", "--resource", "pods",
                         "object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))")
        self.assertEqual((rc, out), (0, "bool\n"))
        rc, _, err = cel("check", "--env", "admission", "--resource", "pods", "object.spec.containrs.size()")
        self.assertEqual(rc, 1)
        self.assertIn("ERROR: <input>:1:12: undefined field 'containrs'", err)
        rc, out, _ = cel("check", "--env", "admission", "--resource", "jobs.batch", "object.spec.parallelism")
        self.assertEqual(out, "int\n")

    def test_resource_mistakes(self):
        rc, _, err = cel("check", "--env", "admission", "--resource", "nopes", "true")
        self.assertEqual((rc, err), (2, 'error: the server doesn\'t have a resource type "nopes"\n'))
        rc, _, err = cel("check", "--env", "dra", "--resource", "pods", "true")
        self.assertEqual((rc, err), (2, "--resource goes with --env admission\n"))

    def test_eval(self):
        self.assertEqual(cel("eval", "quantity('10Gi').compareTo(quantity('8Gi'))")[1], "1\n")
        self.assertEqual(cel("eval", "--var", "x=41", "x + 1")[1], "42\n")
        rc, out, _ = cel("eval", "--env", "dra", "--var",
                         'device={"driver":"gpu.haru.dev","attributes":{"gpu.haru.dev":{"profile":"1g.10gb"}}}',
                         "device.attributes['gpu.haru.dev'].profile == '1g.10gb'")
        self.assertEqual((rc, out), (0, "true\n"))
        rc, _, err = cel("eval", "{'a': 1}.b")
        self.assertEqual(rc, 1)
        self.assertIn("no such key: b", err)


if __name__ == "__main__":
    unittest.main()
