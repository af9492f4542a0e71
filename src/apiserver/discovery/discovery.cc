#include "apiserver/discovery/discovery.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>

#include "api/kinds.h"
#include "apiserver/discovery/subresources.h"

namespace haru::apiserver {
namespace {

Json GroupVersionForDiscovery(const std::string& group, const std::string& version) {
  return {{"groupVersion", group + "/" + version}, {"version", version}};
}

Json StringArray(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

Json Gvk(const api::GroupVersionKind& gvk) {
  return {{"group", gvk.group}, {"version", gvk.version}, {"kind", gvk.kind}};
}

// Parameters of one media range, e.g. "application/json;g=x;v=y;as=z" -> {g:x, v:y, as:z}.
std::map<std::string, std::string> MediaParams(std::string_view range) {
  std::map<std::string, std::string> out;
  size_t pos = range.find(';');
  while (pos != std::string_view::npos) {
    size_t next = range.find(';', pos + 1);
    std::string_view part = range.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos) out[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
    pos = next;
  }
  return out;
}

http::Response JsonResponse(std::string_view content_type, const Json& body) {
  http::Response r;
  r.status = 200;
  r.headers.Set("Content-Type", content_type);
  r.headers.Set("Vary", "Accept");
  r.SetBody(ToJson(body));
  return r;
}

}  // namespace

std::string AggregatedDiscoveryVersion(std::string_view accept) {
  size_t start = 0;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    std::string_view range = accept.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto params = MediaParams(range);
    if (params["g"] == "apidiscovery.k8s.io" && params["as"] == "APIGroupDiscoveryList" &&
        (params["v"] == "v2" || params["v"] == "v2beta1")) {
      return params["v"];
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return "";
}

std::string StorageVersionHash(std::string_view group, std::string_view version, std::string_view kind) {
  std::string input = std::string(group) + "/" + std::string(version) + "/" + std::string(kind);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char out[16] = {};
  int n = EVP_EncodeBlock(out, digest, 8);
  return std::string(reinterpret_cast<char*>(out), n);
}

Discovery::Discovery(std::vector<const api::KindSpec*> kinds, std::string server_address)
    : kinds_(std::move(kinds)), server_address_(std::move(server_address)) {
  for (const api::KindSpec* k : kinds_) {
    auto it = std::find_if(gvs_.begin(), gvs_.end(), [&](const GroupVersion& gv) {
      return gv.group == k->gvk.group && gv.version == k->gvk.version;
    });
    if (it == gvs_.end()) {
      gvs_.push_back({k->gvk.group, k->gvk.version, {}});
      it = gvs_.end() - 1;
    }
    it->kinds.push_back(k);
  }
}

std::vector<std::string> Discovery::GroupNames() const {
  std::vector<std::string> out;
  for (const GroupVersion& gv : gvs_) {
    if (!gv.group.empty() && std::find(out.begin(), out.end(), gv.group) == out.end()) out.push_back(gv.group);
  }
  return out;
}

std::vector<const Discovery::GroupVersion*> Discovery::VersionsOf(std::string_view group) const {
  std::vector<const GroupVersion*> out;
  for (const GroupVersion& gv : gvs_) {
    if (gv.group == group) out.push_back(&gv);
  }
  return out;
}

Json Discovery::ApiVersions() const {
  Json versions = Json::array();
  for (const GroupVersion* gv : VersionsOf("")) versions.push_back(gv->version);
  Json doc = {{"kind", "APIVersions"}, {"versions", versions}};
  Json cidrs = Json::array();
  if (!server_address_.empty()) cidrs.push_back({{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address_}});
  doc["serverAddressByClientCIDRs"] = cidrs;
  return doc;
}

std::optional<Json> Discovery::ApiGroup(std::string_view group) const {
  std::vector<const GroupVersion*> versions = VersionsOf(group);
  if (versions.empty() || group.empty()) return std::nullopt;
  Json vs = Json::array();
  for (const GroupVersion* gv : versions) vs.push_back(GroupVersionForDiscovery(gv->group, gv->version));
  return Json{{"kind", "APIGroup"}, {"apiVersion", "v1"}, {"name", std::string(group)},
              {"versions", vs}, {"preferredVersion", vs[0]}};
}

Json Discovery::ApiGroupList() const {
  Json groups = Json::array();
  for (const std::string& g : GroupNames()) {
    Json group = *ApiGroup(g);
    group.erase("kind");
    group.erase("apiVersion");
    groups.push_back(std::move(group));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<Json> Discovery::ResourceList(std::string_view group, std::string_view version) const {
  const GroupVersion* found = nullptr;
  for (const GroupVersion& gv : gvs_) {
    if (gv.group == group && gv.version == version) found = &gv;
  }
  if (found == nullptr) return std::nullopt;
  std::vector<Json> resources;
  for (const api::KindSpec* k : found->kinds) {
    bool namespaced = k->scope == api::Scope::kNamespaced;
    Json r = {{"name", k->plural},
              {"singularName", k->singular.empty() ? k->gvk.kind : k->singular},
              {"namespaced", namespaced},
              {"kind", k->gvk.kind},
              {"verbs", StringArray(KindVerbs(*k))},
              {"storageVersionHash", StorageVersionHash(k->gvk.group, k->gvk.version, k->gvk.kind)}};
    if (!k->short_names.empty()) r["shortNames"] = StringArray(k->short_names);
    if (!k->categories.empty()) r["categories"] = StringArray(k->categories);
    resources.push_back(std::move(r));
    for (const std::string& sub : SubresourceNames(*k)) {
      SubresourceInfo info = DescribeSubresource(*k, sub);
      Json s = {{"name", k->plural + "/" + sub}, {"singularName", ""}, {"namespaced", namespaced},
                {"kind", info.gvk.kind}, {"verbs", StringArray(info.verbs)}};
      if (info.gvk.group != k->gvk.group || info.gvk.version != k->gvk.version) {
        s["group"] = info.gvk.group;
        s["version"] = info.gvk.version;
      }
      resources.push_back(std::move(s));
    }
  }
  std::stable_sort(resources.begin(), resources.end(),
                   [](const Json& a, const Json& b) { return a["name"] < b["name"]; });
  Json list = Json::array();
  for (Json& r : resources) list.push_back(std::move(r));
  std::string gv = group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  return Json{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", gv}, {"resources", list}};
}

Json Discovery::Aggregated(bool core, std::string_view api_version) const {
  std::vector<std::string> groups;
  if (core) {
    groups.push_back("");
  } else {
    groups = GroupNames();
  }
  Json items = Json::array();
  for (const std::string& g : groups) {
    Json versions = Json::array();
    for (const GroupVersion* gv : VersionsOf(g)) {
      Json resources = Json::array();
      for (const api::KindSpec* k : gv->kinds) {
        Json r = {{"resource", k->plural},
                  {"responseKind", Gvk(k->gvk)},
                  {"scope", k->scope == api::Scope::kNamespaced ? "Namespaced" : "Cluster"},
                  {"singularResource", k->singular.empty() ? k->gvk.kind : k->singular},
                  {"verbs", StringArray(KindVerbs(*k))}};
        if (!k->short_names.empty()) r["shortNames"] = StringArray(k->short_names);
        if (!k->categories.empty()) r["categories"] = StringArray(k->categories);
        Json subs = Json::array();
        for (const std::string& sub : SubresourceNames(*k)) {
          SubresourceInfo info = DescribeSubresource(*k, sub);
          subs.push_back({{"subresource", sub}, {"responseKind", Gvk(info.gvk)}, {"verbs", StringArray(info.verbs)}});
        }
        if (!subs.empty()) r["subresources"] = subs;
        resources.push_back(std::move(r));
      }
      versions.push_back({{"version", gv->version}, {"resources", resources}, {"freshness", "Current"}});
    }
    Json metadata = Json::object();
    metadata["creationTimestamp"] = nullptr;
    if (!g.empty()) metadata["name"] = g;
    items.push_back({{"metadata", metadata}, {"versions", versions}});
  }
  return {{"kind", "APIGroupDiscoveryList"}, {"apiVersion", std::string(api_version)},
          {"metadata", Json::object()}, {"items", items}};
}

std::optional<http::Response> Discovery::Serve(std::string_view path, std::string_view accept) const {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/api" || path == "/apis") {
    bool core = path == "/api";
    std::string v = AggregatedDiscoveryVersion(accept);
    if (v == "v2") return JsonResponse(kAggregatedDiscoveryV2ContentType, Aggregated(core, "apidiscovery.k8s.io/v2"));
    if (v == "v2beta1") {
      return JsonResponse(kAggregatedDiscoveryV2Beta1ContentType, Aggregated(core, "apidiscovery.k8s.io/v2beta1"));
    }
    return JsonResponse("application/json", core ? ApiVersions() : ApiGroupList());
  }
  if (path.rfind("/api/", 0) == 0) {
    std::string_view version = path.substr(5);
    if (version.find('/') != std::string_view::npos) return std::nullopt;
    if (auto list = ResourceList("", version)) return JsonResponse("application/json", *list);
    return std::nullopt;
  }
  if (path.rfind("/apis/", 0) == 0) {
    std::string_view rest = path.substr(6);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      if (auto g = ApiGroup(rest)) return JsonResponse("application/json", *g);
      return std::nullopt;
    }
    std::string_view group = rest.substr(0, slash);
    std::string_view version = rest.substr(slash + 1);
    if (group.empty() || version.find('/') != std::string_view::npos) return std::nullopt;
    if (auto list = ResourceList(group, version)) return JsonResponse("application/json", *list);
  }
  return std::nullopt;
}

namespace discovery {

const Discovery& Builtin() {
  static const Discovery* instance = new Discovery(api::BuiltinKinds());
  return *instance;
}

std::optional<http::Response> Serve(std::string_view path, std::string_view accept) {
  return Builtin().Serve(path, accept);
}

}  // namespace discovery
}  // namespace haru::apiserver
