#include "apiserver/discovery/subresources.h"

#include <algorithm>

namespace haru::apiserver {

SubresourceInfo DescribeSubresource(const api::KindSpec& kind, std::string_view sub) {
  const api::GroupVersionKind& self = kind.gvk;
  if (sub == "status" || sub == "ephemeralcontainers" || sub == "resize") {
    return {self, {"get", "patch", "update"}};
  }
  if (sub == "binding") return {{"", "v1", "Binding"}, {"create"}};
  if (sub == "eviction") return {{"policy", "v1", "Eviction"}, {"create"}};
  if (sub == "scale") return {{"autoscaling", "v1", "Scale"}, {"get", "patch", "update"}};
  if (sub == "token") return {{"authentication.k8s.io", "v1", "TokenRequest"}, {"create"}};
  if (sub == "finalize") return {self, {"update"}};
  if (sub == "approval") return {self, {"get", "patch", "update"}};
  if (sub == "log") return {self, {"get"}};
  if (sub == "exec") return {{"", "v1", "PodExecOptions"}, {"create", "get"}};
  if (sub == "attach") return {{"", "v1", "PodAttachOptions"}, {"create", "get"}};
  if (sub == "portforward") return {{"", "v1", "PodPortForwardOptions"}, {"create", "get"}};
  if (sub == "proxy") {
    return {{"", "v1", self.kind + "ProxyOptions"}, {"create", "delete", "get", "patch", "update"}};
  }
  return {self, {"get"}};
}

std::vector<std::string> KindVerbs(const api::KindSpec& kind) {
  std::vector<std::string> verbs = kind.verbs;
  if (verbs.empty()) {
    verbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
  }
  std::sort(verbs.begin(), verbs.end());
  return verbs;
}

std::vector<std::string> SubresourceNames(const api::KindSpec& kind) {
  std::vector<std::string> out;
  if (kind.has_status) out.push_back("status");
  for (const api::Subresource& s : kind.extra_subresources) {
    if (s.name != "status") out.push_back(s.name);
  }
  return out;
}

}  // namespace haru::apiserver
