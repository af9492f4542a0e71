#include <gtest/gtest.h>

#include "api/core/core.h"
#include "api/kinds.h"
#include "api/meta/columns.h"

namespace haru::api::core {
namespace {

std::string Messages(const FieldErrors& errs) {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : "\n") + e.Message();
  return out;
}

Json MinimalPod() {
  Json pod = {{"metadata", {{"name", "p"}, {"namespace", "default"}}},
              {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "busybox"}}})}}}};
  DefaultPod(pod);
  return pod;
}

TEST(Kinds, RegistryOrderAndLookup) {
  const auto& kinds = BuiltinKinds();
  ASSERT_EQ(kinds.size(), 17u);
  EXPECT_EQ(kinds.front()->gvk.group, "");
  EXPECT_EQ(kinds[9]->gvk.group, "coordination.k8s.io");
  EXPECT_EQ(kinds[10]->gvk.group, "events.k8s.io");
  ASSERT_NE(FindKindByResource("", "v1", "pods"), nullptr);
  EXPECT_EQ(FindKindByResource("", "v1", "pods")->short_names, std::vector<std::string>{"po"});
  EXPECT_EQ(FindKindByKind("coordination.k8s.io", "v1", "Lease")->plural, "leases");
  EXPECT_EQ(FindKindByResource("", "v1", "widgets"), nullptr);
}

TEST(Pod, DefaultsAsUpstream) {
  Json pod = MinimalPod();
  const Json& spec = pod["spec"];
  EXPECT_EQ(spec["restartPolicy"], "Always");
  EXPECT_EQ(spec["dnsPolicy"], "ClusterFirst");
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(spec["schedulerName"], "default-scheduler");
  EXPECT_EQ(spec["securityContext"], Json::object());
  EXPECT_EQ(spec["enableServiceLinks"], true);
  const Json& c = spec["containers"][0];
  EXPECT_EQ(c["imagePullPolicy"], "Always");
  EXPECT_EQ(c["terminationMessagePath"], "/dev/termination-log");
  EXPECT_EQ(c["terminationMessagePolicy"], "File");
  Json tagged = {{"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "nginx:1.27"},
                                                        {"ports", Json::array({{{"containerPort", 80}}})}}})}}}};
  DefaultPod(tagged);
  EXPECT_EQ(tagged["spec"]["containers"][0]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(tagged["spec"]["containers"][0]["ports"][0]["protocol"], "TCP");
  EXPECT_TRUE(ValidatePod(MinimalPod()).empty()) << Messages(ValidatePod(MinimalPod()));
}

TEST(Pod, PrepareForCreateSetsPhaseAndQos) {
  Json pod = MinimalPod();
  pod["status"] = {{"phase", "Running"}};
  PreparePodForCreate(pod);
  EXPECT_EQ(pod["status"]["phase"], "Pending");
  EXPECT_EQ(pod["status"]["qosClass"], "BestEffort");
  Json g = MinimalPod();
  g["spec"]["containers"][0]["resources"] = {{"limits", {{"cpu", "1"}, {"memory", "1Gi"}}}};
  DefaultPod(g);
  EXPECT_EQ(PodQosClass(g), "Guaranteed");
  Json b = MinimalPod();
  b["spec"]["containers"][0]["resources"] = {{"requests", {{"cpu", "100m"}}}};
  EXPECT_EQ(PodQosClass(b), "Burstable");
}

TEST(Pod, ValidationMessages) {
  struct Case {
    const char* name;
    std::function<void(Json&)> mutate;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"no image", [](Json& p) { p["spec"]["containers"][0].erase("image"); },
       "spec.containers[0].image: Required value"},
      {"no containers", [](Json& p) { p["spec"]["containers"] = Json::array(); },
       "spec.containers: Required value"},
      {"duplicate container",
       [](Json& p) { p["spec"]["containers"].push_back(p["spec"]["containers"][0]); },
       "spec.containers[1].name: Duplicate value: \"c\""},
      {"seLinuxChangePolicy",
       [](Json& p) { p["spec"]["securityContext"]["seLinuxChangePolicy"] = "Mount"; },
       "spec.securityContext.seLinuxChangePolicy: Unsupported value: \"Mount\": supported "
       "values: \"MountOption\", \"Recursive\""},
      {"hostUsers with host namespaces",
       [](Json& p) {
         p["spec"]["hostUsers"] = false;
         p["spec"]["hostNetwork"] = true;
         p["spec"]["hostPID"] = true;
         p["spec"]["hostIPC"] = true;
       },
       "spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false\n"
       "spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false\n"
       "spec.HostIPC: Forbidden: when `pod.Spec.HostUsers` is false"},
      {"apparmor localhost without profile",
       [](Json& p) { p["spec"]["securityContext"]["appArmorProfile"] = {{"type", "Localhost"}}; },
       "spec.securityContext.appArmorProfile.localhostProfile: Required value: must be set "
       "when AppArmor type is Localhost"},
      {"apparmor profile on RuntimeDefault",
       [](Json& p) {
         p["spec"]["containers"][0]["securityContext"]["appArmorProfile"] = {
             {"type", "RuntimeDefault"}, {"localhostProfile", "x"}};
       },
       "spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: "
       "\"x\": can only be set when AppArmor type is Localhost"},
      {"restartPolicy",
       [](Json& p) { p["spec"]["restartPolicy"] = "Sometimes"; },
       "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
       "\"OnFailure\", \"Never\""},
      {"requests above limits",
       [](Json& p) {
         p["spec"]["containers"][0]["resources"] = {{"limits", {{"cpu", "1"}}},
                                                    {"requests", {{"cpu", "2"}}}};
       },
       "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or "
       "equal to cpu limit of 1"},
      {"mount of missing volume",
       [](Json& p) {
         p["spec"]["containers"][0]["volumeMounts"] = {{{"name", "data"}, {"mountPath", "/d"}}};
       },
       "spec.containers[0].volumeMounts[0].name: Not found: \"data\""},
      {"two volume sources",
       [](Json& p) {
         p["spec"]["volumes"] = {{{"name", "v"}, {"emptyDir", Json::object()},
                                  {"configMap", {{"name", "cm"}, {"defaultMode", 420}}}}};
       },
       "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"},
      {"claim with both sources",
       [](Json& p) {
         p["spec"]["resourceClaims"] = {{{"name", "gpu"}, {"resourceClaimName", "a"},
                                         {"resourceClaimTemplateName", "b"}}};
       },
       "spec.resourceClaims[0]: Invalid value: "
       "{\"name\":\"gpu\",\"resourceClaimName\":\"a\",\"resourceClaimTemplateName\":\"b\"}: at "
       "most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"},
      {"container claim not in pod claims",
       [](Json& p) { p["spec"]["containers"][0]["resources"] = {{"claims", {{{"name", "gpu"}}}}}; },
       "spec.containers[0].resources.claims[0].name: Not found: \"gpu\": must be one of the "
       "names in pod.spec.resourceClaims which is empty"},
  };
  for (const auto& c : cases) {
    Json pod = MinimalPod();
    c.mutate(pod);
    EXPECT_EQ(Messages(ValidatePod(pod)), c.expected) << c.name;
  }
}

TEST(Pod, UpdateMayOnlyChangeImages) {
  Json old = MinimalPod();
  old["metadata"]["resourceVersion"] = "5";
  Json img = old;
  img["spec"]["containers"][0]["image"] = "busybox:2";
  EXPECT_TRUE(ValidatePodUpdate(img, old).empty()) << Messages(ValidatePodUpdate(img, old));
  Json other = old;
  other["spec"]["restartPolicy"] = "Never";
  EXPECT_EQ(Messages(ValidatePodUpdate(other, old)),
            "spec: Forbidden: pod updates may not change fields other than "
            "`spec.containers[*].image`,`spec.initContainers[*].image`,"
            "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
            "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
            "was previously negative)");
}

TEST(Pod, WarningsForGitRepoAndAppArmorAnnotation) {
  Json pod = MinimalPod();
  pod["spec"]["volumes"] = {{{"name", "g"}, {"gitRepo", {{"repository", "https://x"}}}}};
  pod["metadata"]["annotations"] = {
      {"container.apparmor.security.beta.kubernetes.io/c", "runtime/default"}};
  auto w = PodWarnings(pod, nullptr);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], "spec.volumes[0].gitRepo: deprecated in v1.11, and disabled by default in v1.33+");
  EXPECT_EQ(w[1],
            "metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: deprecated "
            "since v1.30; use the \"appArmorProfile\" field instead");
  PreparePodForCreate(pod);
  EXPECT_EQ(pod["spec"]["containers"][0]["securityContext"]["appArmorProfile"]["type"],
            "RuntimeDefault");
}

std::vector<std::string> Cells(const KindSpec& kind, const Json& obj) {
  std::vector<std::string> out;
  for (const auto& col : kind.columns) {
    Json v = col.cell(obj);
    out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

TEST(Pod, ColumnsAndStatus) {
  const KindSpec& kind = PodKind();
  std::vector<std::string> names;
  for (const auto& c : kind.columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP",
                                             "Node", "Nominated Node", "Readiness Gates"}));
  SetNowForTest(1000);
  Json pod = MinimalPod();
  pod["metadata"]["creationTimestamp"] = "1970-01-01T00:13:38Z";  // 818 -> 182s ago
  pod["status"] = {{"phase", "Running"},
                   {"podIPs", {{{"ip", "10.0.0.5"}}}},
                   {"containerStatuses",
                    {{{"name", "c"}, {"ready", true}, {"restartCount", 0},
                      {"state", {{"running", {{"startedAt", "1970-01-01T00:14:00Z"}}}}}}}}};
  EXPECT_EQ(Cells(kind, pod), (std::vector<std::string>{"p", "1/1", "Running", "0", "3m2s",
                                                        "10.0.0.5", "<none>", "<none>", "<none>"}));
  pod["status"]["containerStatuses"][0]["state"] = {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}};
  pod["status"]["containerStatuses"][0]["ready"] = false;
  EXPECT_EQ(PodStatusReason(pod), "Completed");
  pod["status"]["containerStatuses"][0]["state"] = {{"waiting", {{"reason", "CrashLoopBackOff"}}}};
  EXPECT_EQ(PodStatusReason(pod), "CrashLoopBackOff");
  pod["metadata"]["deletionTimestamp"] = "1970-01-01T00:15:00Z";
  EXPECT_EQ(PodStatusReason(pod), "Terminating");
  SetNowForTest(std::nullopt);
}

TEST(Service, DefaultsValidationAndWarning) {
  const KindSpec& kind = ServiceKind();
  Json svc = {{"metadata", {{"name", "web"}, {"namespace", "default"}}},
              {"spec", {{"ports", {{{"port", 80}}}}, {"externalIPs", {"1.2.3.4"}}}}};
  kind.default_fields(svc);
  kind.prepare_for_create(svc);
  EXPECT_EQ(svc["spec"]["type"], "ClusterIP");
  EXPECT_EQ(svc["spec"]["sessionAffinity"], "None");
  EXPECT_EQ(svc["spec"]["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], 80);
  EXPECT_EQ(svc["spec"]["internalTrafficPolicy"], "Cluster");
  EXPECT_EQ(svc["spec"]["ipFamilyPolicy"], "SingleStack");
  EXPECT_TRUE(kind.validate(svc).empty()) << Messages(kind.validate(svc));
  EXPECT_EQ(kind.warnings(svc, nullptr), std::vector<std::string>{"spec.externalIPs is deprecated"});
  svc["spec"]["type"] = "Magic";
  EXPECT_EQ(Messages(kind.validate(svc)),
            "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", "
            "\"ExternalName\", \"LoadBalancer\", \"NodePort\"");
  svc["spec"]["type"] = "ClusterIP";
  svc["spec"]["clusterIPs"] = {"10.96.0.10"};
  svc["spec"]["ports"][0]["nodePort"] = 30080;
  EXPECT_EQ(Cells(kind, svc)[3], "1.2.3.4");
  EXPECT_EQ(Cells(kind, svc)[4], "80:30080/TCP");
}

TEST(Namespace, CreateAddsFinalizerPhaseAndLabel) {
  const KindSpec& kind = NamespaceKind();
  Json ns = {{"metadata", {{"name", "team-a"}}}};
  kind.prepare_for_create(ns);
  kind.default_fields(ns);
  EXPECT_EQ(ns["spec"]["finalizers"], Json::array({"kubernetes"}));
  EXPECT_EQ(ns["status"]["phase"], "Active");
  EXPECT_EQ(ns["metadata"]["labels"]["kubernetes.io/metadata.name"], "team-a");
  EXPECT_TRUE(kind.validate(ns).empty());
  Json bad = {{"metadata", {{"name", "a.b"}}}};
  EXPECT_EQ(Messages(kind.validate(bad)), "metadata.name: Invalid value: \"a.b\": must not contain dots");
}

TEST(Secret, DefaultsAndValidation) {
  const KindSpec& kind = SecretKind();
  Json s = {{"metadata", {{"name", "s"}, {"namespace", "default"}}},
            {"stringData", {{"k", "v"}}}};
  kind.default_fields(s);
  EXPECT_EQ(s["type"], "Opaque");
  EXPECT_EQ(s["data"]["k"], "dg==");
  EXPECT_FALSE(s.contains("stringData"));
  EXPECT_TRUE(kind.validate(s).empty());
  s["type"] = "kubernetes.io/tls";
  EXPECT_EQ(Messages(kind.validate(s)), "data[tls.crt]: Required value\ndata[tls.key]: Required value");
  Json cm = {{"metadata", {{"name", "c"}, {"namespace", "default"}}}, {"data", {{"a/b", "x"}}}};
  EXPECT_EQ(ConfigMapKind().validate(cm).at(0).field, "data[a/b]");
}

TEST(Event, CoreAndEventsV1) {
  Json ev = {{"metadata", {{"name", "e"}, {"namespace", "default"}}},
             {"involvedObject", {{"kind", "Pod"}, {"name", "p"}, {"namespace", "other"}}}};
  EXPECT_EQ(Messages(EventKind().validate(ev)),
            "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
  const KindSpec* v1 = FindKindByKind("events.k8s.io", "v1", "Event");
  ASSERT_NE(v1, nullptr);
  Json e2 = {{"metadata", {{"name", "e"}, {"namespace", "default"}}},
             {"eventTime", "2024-01-01T00:00:00.000000Z"},
             {"regarding", {{"kind", "Pod"}, {"name", "p"}, {"namespace", "default"}}},
             {"reportingController", "example.com/ctl"},
             {"reportingInstance", "i"},
             {"action", "A"},
             {"reason", "R"},
             {"type", "Normal"},
             {"note", "hello"}};
  EXPECT_TRUE(v1->validate(e2).empty()) << Messages(v1->validate(e2));
  e2["type"] = "Bad";
  EXPECT_EQ(Messages(v1->validate(e2)), "type: Invalid value: \"\": has invalid value: Bad");
  std::vector<std::string> names;
  for (const auto& c : v1->columns) names.push_back(c.name);
  EXPECT_EQ(names.front(), "Last Seen");
  EXPECT_EQ(Cells(*v1, e2)[3], "pod/p");
  EXPECT_EQ(Cells(*v1, e2)[6], "hello");
}

TEST(Node, StatusAndRoles) {
  Json node = {{"metadata", {{"name", "n1"}, {"labels", {{"node-role.kubernetes.io/control-plane", ""}}}}},
               {"spec", {{"unschedulable", true}}},
               {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}},
                           {"nodeInfo", {{"kubeletVersion", "v1.36.0"}}}}}};
  auto cells = Cells(NodeKind(), node);
  EXPECT_EQ(cells[1], "Ready,SchedulingDisabled");
  EXPECT_EQ(cells[2], "control-plane");
  EXPECT_EQ(cells[4], "v1.36.0");
  EXPECT_EQ(cells[7], "<unknown>");
}

}  // namespace
}  // namespace haru::api::core
