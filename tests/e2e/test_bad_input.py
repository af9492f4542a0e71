"""Bad input over raw HTTPS and kubectl v1.36.3: every failure is a metav1.Status with upstream's
code, reason, message and causes, never a crash or a hang. Also authentication and the
non-resource endpoints (health, version, metrics)."""

import json
import re
import unittest

from harness import ServerTestCase

CMS = "/api/v1/namespaces/default/configmaps"
PODS = "/api/v1/namespaces/default/pods"


class BadInput(ServerTestCase):
    def post(self, path, body, content_type="application/json", query=""):
        status, _, text = self.api.request("POST", path + query, body, content_type=content_type)
        doc = json.loads(text)
        if status >= 400:
            self.assertEqual((doc["kind"], doc["apiVersion"], doc["status"]), ("Status", "v1", "Failure"))
            self.assertEqual(doc["code"], status)
        return status, doc

    def test_malformed_json_is_400_with_position(self):
        status, doc = self.post(CMS, '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": x}}')
        self.assertEqual((status, doc["reason"]), (400, "BadRequest"))
        self.assertRegex(doc["message"], r"line 2, column \d+")

    def test_malformed_yaml_is_400_with_position(self):
        status, doc = self.post(CMS, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n",
                                content_type="application/yaml")
        self.assertEqual((status, doc["reason"]), (400, "BadRequest"))
        self.assertRegex(doc["message"], r"^yaml: line \d+")

    def test_yaml_body_is_accepted(self):
        status, doc = self.post(CMS, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\n"
                                     "data: {a: '1'}\n", content_type="application/yaml")
        self.assertEqual((status, doc["data"]), (201, {"a": "1"}))

    def test_wrong_api_version_and_kind_are_400(self):
        status, doc = self.post(CMS, {"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "v"}})
        self.assertEqual((status, doc["reason"]), (400, "BadRequest"))
        self.assertEqual(doc["message"], "the API version in the data (v2) does not match the expected "
                                         "API version (v1)")
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "k"}})
        self.assertEqual((status, doc["reason"]), (400, "BadRequest"))
        self.assertIn("Secret", doc["message"])

    def test_wrong_json_type_is_400(self):
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "t"},
                                      "data": {"a": 1}})
        self.assertEqual(status, 400)
        self.assertEqual(doc["message"], 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: '
                                         'cannot unmarshal number into Go struct field ConfigMap.data of '
                                         'type string')

    def test_body_over_3_mib_is_413(self):
        big = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                          "data": {"a": "x" * (3 * 1024 * 1024)}})
        status, doc = self.post(CMS, big)
        self.assertEqual((status, doc["reason"], doc["message"]),
                         (413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"))
        # The connection that was refused did not take the server down.
        self.assertEqual(self.api.request("GET", CMS)[0], 200)

    def test_unknown_field_under_strict(self):
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "u"},
                                      "spec": {}, "data": {"a": "b"}}, query="?fieldValidation=Strict")
        self.assertEqual((status, doc["reason"]), (400, "BadRequest"))
        self.assertEqual(doc["message"], 'ConfigMap in version "v1" cannot be handled as a ConfigMap: '
                                         'strict decoding error: unknown field "spec"')
        status, headers, _ = self.api.request("POST", CMS + "?fieldValidation=Warn", {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "u", "bogus": 1}})
        self.assertEqual(status, 201)
        self.assertEqual(headers["Warning"], '299 - "unknown field \\"metadata.bogus\\""')

    def test_invalid_name_is_422_with_cause(self):
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}})
        self.assertEqual((status, doc["reason"]), (422, "Invalid"))
        self.assertTrue(doc["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid '
                                                  'value: "Bad_Name": a lowercase RFC 1123 subdomain must '
                                                  'consist of'), doc["message"])
        self.assertEqual(doc["details"]["name"], "Bad_Name")
        self.assertEqual(doc["details"]["kind"], "ConfigMap")
        self.assertEqual([(c["reason"], c["field"]) for c in doc["details"]["causes"]],
                         [("FieldValueInvalid", "metadata.name")])
        err = self.kubectl.fail_text("create", "cm", "Bad_Name")
        self.assertIn('error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: '
                      'Invalid value: "Bad_Name"', err)
        err = self.kubectl.fail_text("create", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\n"
                                                                "metadata: {name: Bad_Name}\n")
        self.assertIn('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"', err)

    def test_missing_required_fields_are_422(self):
        status, doc = self.post(PODS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                       "spec": {"containers": [{"name": "c"}]}})
        self.assertEqual((status, doc["reason"]), (422, "Invalid"))
        self.assertEqual(doc["message"], 'Pod "p" is invalid: spec.containers[0].image: Required value')
        self.assertEqual(doc["details"]["causes"], [{"reason": "FieldValueRequired", "message": "Required value",
                                                     "field": "spec.containers[0].image"}])
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})
        self.assertEqual(status, 422)
        self.assertEqual(doc["message"], 'ConfigMap "" is invalid: metadata.name: Required value: name or '
                                         'generateName is required')
        self.assertEqual(doc["details"]["causes"][0]["field"], "metadata.name")

    def test_several_errors_are_listed(self):
        status, doc = self.post(PODS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "multi"},
                                       "spec": {"containers": [{"name": "c"}, {"name": "c", "image": "x"}]}})
        self.assertEqual(status, 422)
        self.assertEqual(doc["message"], 'Pod "multi" is invalid: [spec.containers[0].image: Required value, '
                                         'spec.containers[1].name: Duplicate value: "c"]')
        self.assertEqual([c["field"] for c in doc["details"]["causes"]],
                         ["spec.containers[0].image", "spec.containers[1].name"])

    def test_name_mismatch_on_update_is_400(self):
        self.kubectl.out("create", "cm", "named")
        status, _, text = self.api.request("PUT", CMS + "/named", {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other"}})
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(text)["message"],
                         "the name of the object (other) does not match the name on the URL (named)")

    def test_unsupported_patch_type_is_415(self):
        self.kubectl.out("create", "cm", "patchme")
        status, _, text = self.api.request("PATCH", CMS + "/patchme", "{}", content_type="text/plain")
        self.assertEqual(status, 415)
        self.assertEqual(json.loads(text)["reason"], "UnsupportedMediaType")

    def test_not_found_resources_and_objects(self):
        status, doc = self.api.json("GET", "/api/v1/namespaces/default/widgets")
        self.assertEqual((status, doc["reason"], doc["message"]),
                         (404, "NotFound", "the server could not find the requested resource"))
        status, doc = self.api.json("GET", CMS + "/nope")
        self.assertEqual((status, doc["message"], doc["details"]),
                         (404, 'configmaps "nope" not found', {"name": "nope", "kind": "configmaps"}))
        status, doc = self.api.json("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/nope")
        self.assertEqual(doc["message"], 'leases.coordination.k8s.io "nope" not found')
        self.assertIn('Error from server (NotFound): configmaps "nope" not found',
                      self.kubectl.fail_text("get", "cm", "nope"))

    def test_create_existing_is_409(self):
        self.kubectl.out("create", "cm", "twice")
        err = self.kubectl.fail_text("create", "cm", "twice")
        self.assertIn('error: failed to create configmap: configmaps "twice" already exists', err)
        status, doc = self.post(CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "twice"}})
        self.assertEqual((status, doc["reason"]), (409, "AlreadyExists"))

    def test_unauthenticated_request_is_401(self):
        status, _, text = self.api.request("GET", CMS, anonymous=True)
        self.assertEqual(status, 401)
        self.assertEqual(json.loads(text), {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                            "status": "Failure", "message": "Unauthorized",
                                            "reason": "Unauthorized", "code": 401})
        status, _, _ = self.api.request("GET", CMS, headers={"Authorization": "Bearer wrong"},
                                        anonymous=True)
        self.assertEqual(status, 401)


class Endpoints(ServerTestCase):
    def text(self, path, anonymous=False):
        status, headers, body = self.api.request("GET", path, anonymous=anonymous)
        return status, body

    def test_healthz_livez_readyz(self):
        for endpoint in ("healthz", "livez", "readyz"):
            self.assertEqual(self.text("/" + endpoint), (200, "ok"))
            status, body = self.text(f"/{endpoint}?verbose")
            self.assertEqual(status, 200)
            lines = body.strip().splitlines()
            self.assertEqual(lines[0], "[+]ping ok")
            self.assertTrue(all(l.startswith("[+]") for l in lines[:-1]), body)
            self.assertEqual(lines[-1], f"{endpoint} check passed")
        self.assertEqual(self.text("/readyz/ping"), (200, "ok"))
        self.assertEqual(self.text("/readyz/nonexistent")[0], 404)
        # Health and version are public, as upstream's system:public-info-viewer allows.
        self.assertEqual(self.text("/readyz", anonymous=True), (200, "ok"))

    def test_version(self):
        status, body = self.text("/version", anonymous=True)
        version = json.loads(body)
        self.assertEqual((status, version["major"], version["minor"]), (200, "1", "36"))
        self.assertRegex(version["gitVersion"], r"^v1\.36\.\d+")
        self.assertEqual(version["platform"], "linux/amd64")

    def test_metrics(self):
        self.kubectl.out("create", "cm", "counted")
        self.kubectl.out("get", "cm")
        status, body = self.text("/metrics")
        self.assertEqual(status, 200)
        self.assertRegex(body, r'(?m)^apiserver_request_total\{verb="POST",resource="configmaps",code="201"\} \d+$')
        self.assertRegex(body, r'(?m)^apiserver_request_total\{verb="LIST",resource="configmaps",code="200"\} \d+$')
        self.assertRegex(body, r'(?m)^apiserver_request_duration_seconds_bucket\{verb="LIST",'
                               r'resource="configmaps",le="\+Inf"\} \d+$')
        count = re.search(r'(?m)^apiserver_storage_objects\{resource="configmaps"\} (\d+)$', body)
        self.assertIsNotNone(count, body[:2000])
        self.assertGreaterEqual(int(count.group(1)), 1)
        self.assertRegex(body, r'(?m)^apiserver_storage_objects\{resource="namespaces"\} 4$')
        self.assertIn("# TYPE apiserver_longrunning_requests gauge", body)
        self.assertIn("# TYPE haru_storage_commit_duration_seconds histogram", body)
        self.assertEqual(self.text("/metrics", anonymous=True)[0], 401)


if __name__ == "__main__":
    unittest.main()
