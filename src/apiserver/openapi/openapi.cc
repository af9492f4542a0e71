#include "apiserver/openapi/openapi.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api/kinds.h"
#include "apiserver/discovery/subresources.h"

namespace haru::apiserver {
namespace {

using api::Field;
using api::KindSpec;
using api::Schema;
using api::SchemaType;

constexpr std::string_view kInfoVersion = "v1.36.0";
constexpr std::string_view kPatchSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
constexpr std::string_view kDeleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
constexpr std::string_view kStatus = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

std::string GvPath(const api::GroupVersionKind& gvk) {
  return gvk.group.empty() ? "api/" + gvk.version : "apis/" + gvk.group + "/" + gvk.version;
}

std::string UpperHex(const unsigned char* data, size_t n) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

std::string Sha512Hex(const std::string& s) {
  unsigned char d[SHA512_DIGEST_LENGTH];
  SHA512(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return UpperHex(d, sizeof d);
}

std::string Title(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// "" -> "Core", "coordination.k8s.io" -> "Coordination", "rbac.authorization.k8s.io" -> "RbacAuthorization".
std::string GroupTitle(std::string_view group) {
  if (group.empty()) return "Core";
  std::string_view g = group;
  for (std::string_view suffix : {".k8s.io", ".x-k8s.io"}) {
    if (g.size() > suffix.size() && g.substr(g.size() - suffix.size()) == suffix) {
      g.remove_suffix(suffix.size());
      break;
    }
  }
  std::string out;
  size_t start = 0;
  while (start <= g.size()) {
    size_t dot = g.find('.', start);
    out += Title(g.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string Tag(const api::GroupVersionKind& gvk) {
  std::string t = GroupTitle(gvk.group);
  t[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(t[0])));
  return t + "_" + gvk.version;
}

// Renders schemas for one document (v2 or v3) and records every definition reached.
class SchemaWriter {
 public:
  SchemaWriter(const api::SchemaRegistry& registry, bool v3) : registry_(registry), v3_(v3) {}

  std::string RefPrefix() const { return v3_ ? "#/components/schemas/" : "#/definitions/"; }

  Json Ref(std::string_view name) {
    Reach(name);
    return {{"$ref", RefPrefix() + std::string(name)}};
  }

  void Reach(std::string_view name) {
    if (reached_.count(std::string(name))) return;
    reached_.insert(std::string(name));
    const Schema* s = registry_.Find(name);
    if (s == nullptr) return;
    for (const Field& f : s->properties) ReachInline(f.schema);
  }

  void ReachInline(const Schema* s) {
    if (s == nullptr) return;
    if (!s->name.empty()) return Reach(s->name);
    ReachInline(s->items);
    ReachInline(s->additional_properties);
    for (const Field& f : s->properties) ReachInline(f.schema);
  }

  Json Inline(const Schema* s) {
    if (s == nullptr) return Json::object();
    if (!s->name.empty()) return Ref(s->name);
    return Body(*s);
  }

  // The schema's own shape, as a definition or an inline schema.
  Json Body(const Schema& s) {
    Json j = Json::object();
    if (!s.description.empty() && !s.name.empty()) j["description"] = s.description;
    switch (s.type) {
      case SchemaType::kObject: {
        j["type"] = "object";
        Json props = Json::object();
        Json required = Json::array();
        for (const Field& f : s.properties) {
          props[f.name] = FieldSchema(f);
          if (f.required) required.push_back(f.name);
        }
        if (!props.empty()) j["properties"] = props;
        if (!required.empty()) j["required"] = required;
        if (!s.gvks.empty()) {
          Json gvks = Json::array();
          for (const auto& g : s.gvks) gvks.push_back({{"group", g.group}, {"kind", g.kind}, {"version", g.version}});
          j["x-kubernetes-group-version-kind"] = gvks;
        }
        break;
      }
      case SchemaType::kArray:
        j["type"] = "array";
        j["items"] = Inline(s.items);
        break;
      case SchemaType::kMap:
        j["type"] = "object";
        j["additionalProperties"] = Inline(s.additional_properties);
        break;
      case SchemaType::kString:
        j["type"] = "string";
        break;
      case SchemaType::kInteger:
        j["type"] = "integer";
        break;
      case SchemaType::kNumber:
        j["type"] = "number";
        break;
      case SchemaType::kBoolean:
        j["type"] = "boolean";
        break;
      case SchemaType::kTime:
        j["type"] = "string";
        break;
      case SchemaType::kQuantity:
        if (v3_) {
          j["oneOf"] = Json::array({{{"type", "string"}}, {{"type", "number"}}});
        } else {
          j["type"] = "string";
        }
        break;
      case SchemaType::kIntOrString:
        if (v3_) {
          j["oneOf"] = Json::array({{{"type", "integer"}}, {{"type", "string"}}});
        } else {
          j["type"] = "string";
        }
        j["x-kubernetes-int-or-string"] = true;
        break;
      case SchemaType::kAny:
        j["type"] = "object";
        if (s.name.empty()) j["x-kubernetes-preserve-unknown-fields"] = true;
        break;
    }
    if (!s.format.empty()) j["format"] = s.format;
    if (!s.enum_values.empty()) {
      Json e = Json::array();
      for (const std::string& v : s.enum_values) e.push_back(v);
      j["enum"] = e;
    }
    return j;
  }

  Json FieldSchema(const Field& f) {
    Json j = Inline(f.schema);
    bool is_ref = j.contains("$ref");
    bool has_extra = !f.description.empty();
    if (is_ref && has_extra && v3_) j = Json{{"allOf", Json::array({j})}};
    if (!f.description.empty()) j["description"] = f.description;
    if (!f.patch_merge_key.empty()) j["x-kubernetes-patch-merge-key"] = f.patch_merge_key;
    if (!f.patch_strategy.empty()) j["x-kubernetes-patch-strategy"] = f.patch_strategy;
    if (!f.list_type.empty()) j["x-kubernetes-list-type"] = f.list_type;
    if (!f.list_map_keys.empty()) {
      Json keys = Json::array();
      for (const std::string& k : f.list_map_keys) keys.push_back(k);
      j["x-kubernetes-list-map-keys"] = keys;
    }
    return j;
  }

  // Every reached definition, rendered (iterates until no new ones appear).
  Json Definitions() {
    Json defs = Json::object();
    std::set<std::string> done;
    while (true) {
      std::vector<std::string> todo;
      for (const std::string& n : reached_) {
        if (!done.count(n)) todo.push_back(n);
      }
      if (todo.empty()) break;
      for (const std::string& n : todo) {
        done.insert(n);
        if (n == kPatchSchema) {
          defs[n] = {{"type", "object"},
                     {"description", "A patch document; its format is given by the request's Content-Type."}};
          continue;
        }
        const Schema* s = registry_.Find(n);
        if (s != nullptr) defs[n] = Body(*s);
      }
    }
    return defs;
  }

 private:
  const api::SchemaRegistry& registry_;
  bool v3_;
  std::set<std::string> reached_;
};

struct Param {
  const char* name;
  const char* type;  // "string", "boolean", "integer"
  const char* description;
};

constexpr Param kPretty{"pretty", "string", "If 'true', the output is indented."};
constexpr Param kDryRun{"dryRun", "string", "When set to All, the request is validated and admitted but nothing is stored."};
constexpr Param kFieldManager{"fieldManager", "string", "The name of the actor making the change, recorded in managedFields."};
constexpr Param kFieldValidation{"fieldValidation", "string",
                                 "What to do with unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict."};
constexpr Param kForce{"force", "boolean", "Take ownership of conflicting fields in an apply request."};
constexpr Param kListParams[] = {
    {"allowWatchBookmarks", "boolean", "Ask for BOOKMARK events in a watch."},
    {"continue", "string", "The token of the next chunk of a paginated list."},
    {"fieldSelector", "string", "Only return objects whose fields match this selector."},
    {"labelSelector", "string", "Only return objects whose labels match this selector."},
    {"limit", "integer", "The most items to return in one chunk."},
    {"resourceVersion", "string", "The resource version to read at, or to watch from."},
    {"resourceVersionMatch", "string", "How resourceVersion is applied: Exact or NotOlderThan."},
    {"sendInitialEvents", "boolean", "Start a watch with the current objects as ADDED events."},
    {"timeoutSeconds", "integer", "Close the list or watch after this many seconds."},
    {"watch", "boolean", "Watch for changes instead of listing."},
};
constexpr Param kDeleteParams[] = {
    {"dryRun", "string", "When set to All, the request is validated and admitted but nothing is stored."},
    {"gracePeriodSeconds", "integer", "Seconds before the object is deleted; 0 deletes at once."},
    {"ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
     "Delete an object that cannot be read from storage (dangerous)."},
    {"orphanDependents", "boolean", "Deprecated: use propagationPolicy."},
    {"propagationPolicy", "string", "How dependents are garbage collected: Orphan, Background or Foreground."},
};

class DocBuilder {
 public:
  DocBuilder(const api::SchemaRegistry& registry, bool v3) : registry_(registry), w_(registry, v3), v3_(v3) {}

  SchemaWriter& writer() { return w_; }

  Json QueryParam(const Param& p) const {
    Json j = {{"name", p.name}, {"in", "query"}, {"description", p.description}};
    if (v3_) {
      j["schema"] = {{"type", p.type}, {"uniqueItems", true}};
    } else {
      j["type"] = p.type;
      j["uniqueItems"] = true;
    }
    return j;
  }

  Json PathParam(const char* name, const char* description) const {
    Json j = {{"name", name}, {"in", "path"}, {"required", true}, {"description", description}};
    if (v3_) {
      j["schema"] = {{"type", "string"}, {"uniqueItems", true}};
    } else {
      j["type"] = "string";
      j["uniqueItems"] = true;
    }
    return j;
  }

  Json Responses(const std::string& schema, std::initializer_list<const char*> codes) {
    Json r = Json::object();
    for (const char* code : codes) {
      std::string desc = std::string(code) == "200" ? "OK" : std::string(code) == "201" ? "Created" : "Accepted";
      if (v3_) {
        Json content = Json::object();
        for (const char* type : {"application/json", "application/yaml"}) content[type] = {{"schema", w_.Ref(schema)}};
        r[code] = {{"description", desc}, {"content", content}};
      } else {
        r[code] = {{"description", desc}, {"schema", w_.Ref(schema)}};
      }
    }
    r["401"] = {{"description", "Unauthorized"}};
    return r;
  }

  Json Operation(const std::string& action, const std::string& id, const std::string& description,
                 const api::GroupVersionKind& gvk, const std::string& tag) {
    return {{"description", description}, {"operationId", id}, {"tags", Json::array({tag})},
            {"x-kubernetes-action", action},
            {"x-kubernetes-group-version-kind", {{"group", gvk.group}, {"kind", gvk.kind}, {"version", gvk.version}}}};
  }

  void AddBody(Json& op, const std::string& schema, bool required, bool patch, bool strategic) {
    if (v3_) {
      Json content = Json::object();
      if (patch) {
        std::vector<const char*> types = {"application/json-patch+json", "application/merge-patch+json"};
        if (strategic) types.push_back("application/strategic-merge-patch+json");
        types.push_back("application/apply-patch+yaml");
        for (const char* t : types) content[t] = {{"schema", w_.Ref(schema)}};
      } else {
        content["*/*"] = {{"schema", w_.Ref(schema)}};
      }
      op["requestBody"] = {{"content", content}};
      if (required) op["requestBody"]["required"] = true;
    } else {
      op["parameters"].push_back({{"name", "body"}, {"in", "body"}, {"required", required}, {"schema", w_.Ref(schema)}});
      if (patch) {
        Json consumes = Json::array({"application/json-patch+json", "application/merge-patch+json"});
        if (strategic) consumes.push_back("application/strategic-merge-patch+json");
        consumes.push_back("application/apply-patch+yaml");
        op["consumes"] = consumes;
      } else {
        op["consumes"] = Json::array({"*/*"});
      }
    }
    if (!v3_) op["produces"] = Json::array({"application/json", "application/yaml"});
  }

  void AddParams(Json& op, std::initializer_list<Param> params) {
    if (!op.contains("parameters")) op["parameters"] = Json::array();
    for (const Param& p : params) op["parameters"].push_back(QueryParam(p));
  }

  void AddKind(const KindSpec& k, Json& paths) {
    const api::GroupVersionKind& gvk = k.gvk;
    bool ns = k.scope == api::Scope::kNamespaced;
    std::string gv_prefix = "/" + GvPath(gvk);
    std::string coll = gv_prefix + (ns ? "/namespaces/{namespace}/" : "/") + k.plural;
    std::string item = coll + "/{name}";
    std::string tag = Tag(gvk);
    std::string idmid = GroupTitle(gvk.group) + Title(gvk.version) + (ns ? "Namespaced" : "") + gvk.kind;
    std::string list_schema = registry_.Find(k.schema + "List") ? k.schema + "List" : k.schema;
    std::vector<std::string> verbs = KindVerbs(k);
    auto has = [&](const char* v) { return std::find(verbs.begin(), verbs.end(), v) != verbs.end(); };
    bool strategic = true;  // every built-in kind has Go-like struct schemas
    Json common = Json::array();
    if (ns) common.push_back(PathParam("namespace", "The namespace of the objects."));
    common.push_back(QueryParam(kPretty));

    Json c = Json::object();
    if (has("list")) {
      Json op = Operation("list", "list" + idmid, "list or watch objects of kind " + gvk.kind, gvk, tag);
      op["parameters"] = Json::array();
      for (const Param& p : kListParams) op["parameters"].push_back(QueryParam(p));
      op["responses"] = Responses(list_schema, {"200"});
      c["get"] = op;
    }
    if (has("create")) {
      Json op = Operation("post", "create" + idmid, "create a " + gvk.kind, gvk, tag);
      AddParams(op, {kDryRun, kFieldManager, kFieldValidation});
      AddBody(op, k.schema, true, false, strategic);
      op["responses"] = Responses(k.schema, {"200", "201", "202"});
      c["post"] = op;
    }
    if (has("deletecollection")) {
      Json op = Operation("deletecollection", "delete" + GroupTitle(gvk.group) + Title(gvk.version) + "Collection" +
                                                  (ns ? "Namespaced" : "") + gvk.kind,
                          "delete a collection of " + gvk.kind, gvk, tag);
      op["parameters"] = Json::array();
      for (const Param& p : kListParams) {
        if (std::string(p.name) != "watch" && std::string(p.name) != "allowWatchBookmarks") op["parameters"].push_back(QueryParam(p));
      }
      for (const Param& p : kDeleteParams) op["parameters"].push_back(QueryParam(p));
      AddBody(op, std::string(kDeleteOptions), false, false, strategic);
      op["responses"] = Responses(std::string(kStatus), {"200"});
      c["delete"] = op;
    }
    if (!c.empty()) {
      c["parameters"] = common;
      paths[coll] = c;
    }
    if (ns && has("list")) {
      Json op = Operation("list", "list" + GroupTitle(gvk.group) + Title(gvk.version) + gvk.kind + "ForAllNamespaces",
                          "list or watch objects of kind " + gvk.kind + " in all namespaces", gvk, tag);
      op["parameters"] = Json::array();
      for (const Param& p : kListParams) op["parameters"].push_back(QueryParam(p));
      op["responses"] = Responses(list_schema, {"200"});
      Json all_params = Json::array({QueryParam(kPretty)});
      paths[gv_prefix + "/" + k.plural] = {{"get", op}, {"parameters", all_params}};
    }

    Json itemParams = Json::array({PathParam("name", "The name of the object.")});
    for (const Json& p : common) itemParams.push_back(p);
    Json i = Json::object();
    if (has("get")) {
      Json op = Operation("get", "read" + idmid, "read the specified " + gvk.kind, gvk, tag);
      op["responses"] = Responses(k.schema, {"200"});
      i["get"] = op;
    }
    if (has("update")) {
      Json op = Operation("put", "replace" + idmid, "replace the specified " + gvk.kind, gvk, tag);
      AddParams(op, {kDryRun, kFieldManager, kFieldValidation});
      AddBody(op, k.schema, true, false, strategic);
      op["responses"] = Responses(k.schema, {"200", "201"});
      i["put"] = op;
    }
    if (has("patch")) {
      Json op = Operation("patch", "patch" + idmid, "partially update the specified " + gvk.kind, gvk, tag);
      AddParams(op, {kDryRun, kFieldManager, kFieldValidation, kForce});
      AddBody(op, std::string(kPatchSchema), true, true, strategic);
      op["responses"] = Responses(k.schema, {"200", "201"});
      i["patch"] = op;
    }
    if (has("delete")) {
      Json op = Operation("delete", "delete" + idmid, "delete a " + gvk.kind, gvk, tag);
      op["parameters"] = Json::array();
      for (const Param& p : kDeleteParams) op["parameters"].push_back(QueryParam(p));
      AddBody(op, std::string(kDeleteOptions), false, false, strategic);
      op["responses"] = Responses(k.schema, {"200", "202"});
      i["delete"] = op;
    }
    if (!i.empty()) {
      i["parameters"] = itemParams;
      paths[item] = i;
    }

    for (const std::string& sub : SubresourceNames(k)) {
      SubresourceInfo info = DescribeSubresource(k, sub);
      std::string subTitle = Title(sub);
      Json s = Json::object();
      if (sub == "status" || sub == "ephemeralcontainers" || sub == "resize") {
        Json get = Operation("get", "read" + idmid + subTitle, "read " + sub + " of the specified " + gvk.kind, gvk, tag);
        get["responses"] = Responses(k.schema, {"200"});
        s["get"] = get;
        Json put = Operation("put", "replace" + idmid + subTitle, "replace " + sub + " of the specified " + gvk.kind, gvk, tag);
        AddParams(put, {kDryRun, kFieldManager, kFieldValidation});
        AddBody(put, k.schema, true, false, strategic);
        put["responses"] = Responses(k.schema, {"200", "201"});
        s["put"] = put;
        Json patch = Operation("patch", "patch" + idmid + subTitle, "partially update " + sub + " of the specified " + gvk.kind, gvk, tag);
        AddParams(patch, {kDryRun, kFieldManager, kFieldValidation, kForce});
        AddBody(patch, std::string(kPatchSchema), true, true, strategic);
        patch["responses"] = Responses(k.schema, {"200", "201"});
        s["patch"] = patch;
      } else if (sub == "binding" || sub == "eviction" || sub == "token") {
        std::string body_schema = "io.k8s.api." + (info.gvk.group.empty() ? std::string("core")
                                                                           : info.gvk.group.substr(0, info.gvk.group.find('.'))) +
                                  "." + info.gvk.version + "." + info.gvk.kind;
        if (registry_.Find(body_schema) == nullptr) continue;
        Json post = Operation("post", "create" + idmid + subTitle, "create " + sub + " of a " + gvk.kind, info.gvk, tag);
        AddParams(post, {kDryRun, kFieldManager, kFieldValidation});
        AddBody(post, body_schema, true, false, strategic);
        post["responses"] = Responses(body_schema, {"200", "201", "202"});
        s["post"] = post;
      } else {
        continue;  // log, exec, proxy, ...: not described
      }
      s["parameters"] = itemParams;
      paths[item + "/" + sub] = s;
    }
  }

 private:
  const api::SchemaRegistry& registry_;
  SchemaWriter w_;
  bool v3_;
};

http::Response JsonBody(std::shared_ptr<const std::string> body, const std::string& etag) {
  http::Response r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/json");
  if (!etag.empty()) r.headers.Set("Etag", "\"" + etag + "\"");
  r.Append(std::move(body));
  return r;
}

}  // namespace

OpenApi::OpenApi(std::vector<const api::KindSpec*> kinds, const api::SchemaRegistry& schemas)
    : kinds_(std::move(kinds)), schemas_(schemas) {}

std::vector<std::string> OpenApi::GroupVersionPaths() const {
  std::vector<std::string> out;
  for (const KindSpec* k : kinds_) {
    std::string p = GvPath(k->gvk);
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

Json OpenApi::BuildV3(std::string_view gv_path) const {
  DocBuilder b(schemas_, true);
  Json paths = Json::object();
  for (const KindSpec* k : kinds_) {
    if (GvPath(k->gvk) == gv_path) b.AddKind(*k, paths);
  }
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", std::string(kInfoVersion)}}},
          {"paths", paths},
          {"components", {{"schemas", b.writer().Definitions()}}}};
}

Json OpenApi::BuildV2() const {
  DocBuilder b(schemas_, false);
  Json paths = Json::object();
  for (const KindSpec* k : kinds_) b.AddKind(*k, paths);
  return {{"swagger", "2.0"},
          {"info", {{"title", "Kubernetes"}, {"version", std::string(kInfoVersion)}}},
          {"paths", paths},
          {"definitions", b.writer().Definitions()},
          {"securityDefinitions", {{"BearerToken", {{"type", "apiKey"}, {"name", "authorization"}, {"in", "header"}}}}},
          {"security", Json::array({{{"BearerToken", Json::array()}}})}};
}

const OpenApi::Cached* OpenApi::GetV3(std::string_view gv_path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = v3_.find(gv_path);
  if (it != v3_.end()) return &it->second;
  std::vector<std::string> gvs = GroupVersionPaths();
  if (std::find(gvs.begin(), gvs.end(), gv_path) == gvs.end()) return nullptr;
  auto body = std::make_shared<const std::string>(ToJson(BuildV3(gv_path)));
  Cached c{body, Sha512Hex(*body)};
  return &v3_.emplace(std::string(gv_path), std::move(c)).first->second;
}

std::shared_ptr<const std::string> OpenApi::V3GroupVersion(std::string_view gv_path) const {
  const Cached* c = GetV3(gv_path);
  return c ? c->body : nullptr;
}

std::string OpenApi::V3Hash(std::string_view gv_path) const {
  const Cached* c = GetV3(gv_path);
  return c ? c->hash : "";
}

std::shared_ptr<const std::string> OpenApi::V3Root() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (v3_root_) return v3_root_;
  }
  Json paths = Json::object();
  for (const std::string& gv : GroupVersionPaths()) {
    paths[gv] = {{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + V3Hash(gv)}};
  }
  auto body = std::make_shared<const std::string>(ToJson(Json{{"paths", paths}}));
  std::lock_guard<std::mutex> lock(mu_);
  if (!v3_root_) v3_root_ = body;
  return v3_root_;
}

std::shared_ptr<const std::string> OpenApi::V2() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!v2_) v2_ = std::make_shared<const std::string>(ToJson(BuildV2()));
  return v2_;
}

std::optional<http::Response> OpenApi::Serve(std::string_view path) const {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/openapi/v2") return JsonBody(V2(), "");
  if (path == "/openapi/v3") return JsonBody(V3Root(), "");
  constexpr std::string_view kPrefix = "/openapi/v3/";
  if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::string_view gv = path.substr(kPrefix.size());
  const Cached* c = GetV3(gv);
  if (c == nullptr) {
    http::Response r;
    r.status = 404;
    r.headers.Set("Content-Type", "text/plain; charset=utf-8");
    r.SetBody("404 page not found\n");
    return r;
  }
  http::Response r = JsonBody(c->body, c->hash);
  r.headers.Set("Cache-Control", "public, immutable");
  return r;
}

namespace openapi {

const OpenApi& Builtin() {
  static const OpenApi* instance = new OpenApi(api::BuiltinKinds(), api::BuiltinSchemas());
  return *instance;
}

std::optional<http::Response> Serve(std::string_view path,
                                    const std::multimap<std::string, std::string>& query,
                                    std::string_view accept) {
  const OpenApi& o = Builtin();
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/openapi/v2") {
    bool json_ok = accept.empty() || accept.find("application/json") != std::string_view::npos ||
                   accept.find("*/*") != std::string_view::npos;
    if (!json_ok) {
      http::Response r;
      r.status = 404;
      r.headers.Set("Content-Type", "text/plain; charset=utf-8");
      r.SetBody("404 page not found\n");
      return r;
    }
  }
  constexpr std::string_view kPrefix = "/openapi/v3/";
  auto hash = query.find("hash");
  if (path.rfind(kPrefix, 0) == 0 && hash != query.end()) {
    std::string current = o.V3Hash(path.substr(kPrefix.size()));
    if (!current.empty() && hash->second != current) {
      http::Response r;
      r.status = 301;
      r.headers.Set("Location", std::string(path) + "?hash=" + current);
      return r;
    }
  }
  return o.Serve(path);
}

}  // namespace openapi
}  // namespace haru::apiserver
