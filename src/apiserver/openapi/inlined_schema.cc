#include "apiserver/openapi/inlined_schema.h"

#include <set>
#include <string>

#include "apiserver/openapi/openapi.h"

namespace haru::apiserver::openapi {
namespace {

constexpr char kRefPrefix[] = "#/components/schemas/";
constexpr int kMaxDepth = 64;

class Inliner {
 public:
  explicit Inliner(const Json& schemas) : schemas_(schemas) {}

  Json Inline(const Json& node, int depth) {
    if (depth > kMaxDepth) return Json::object();
    if (node.is_array()) {
      Json out = Json::array();
      for (const Json& e : node) out.push_back(Inline(e, depth + 1));
      return out;
    }
    if (!node.is_object()) return node;
    if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      return Resolve(ref->get<std::string>(), depth);
    }
    Json out = Json::object();
    // {"allOf": [{"$ref": ...}], "description": ...}: the field's own keys over the referenced schema.
    if (auto all_of = node.find("allOf"); all_of != node.end() && all_of->is_array() && all_of->size() == 1) {
      out = Inline((*all_of)[0], depth + 1);
      if (!out.is_object()) out = Json::object();
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "allOf" && out.size() > 0) continue;
      out[it.key()] = Inline(it.value(), depth + 1);
    }
    return out;
  }

 private:
  Json Resolve(const std::string& ref, int depth) {
    if (ref.rfind(kRefPrefix, 0) != 0) return Json::object();
    std::string name = ref.substr(sizeof(kRefPrefix) - 1);
    auto it = schemas_.find(name);
    if (it == schemas_.end() || active_.count(name)) return Json::object();
    active_.insert(name);
    Json out = Inline(*it, depth + 1);
    active_.erase(name);
    return out;
  }

  const Json& schemas_;
  std::set<std::string> active_;  // references being inlined further up: recursion
};

}  // namespace

Json InlinedSchema(const api::KindSpec& kind) {
  const std::string gv_path = kind.gvk.group.empty() ? "api/" + kind.gvk.version
                                                     : "apis/" + kind.gvk.group + "/" + kind.gvk.version;
  Json doc = Builtin().BuildV3(gv_path);
  const Json* schemas = nullptr;
  if (auto c = doc.find("components"); c != doc.end()) {
    if (auto s = c->find("schemas"); s != c->end()) schemas = &*s;
  }
  if (schemas == nullptr) return Json::object();
  auto root = schemas->find(kind.schema);
  if (root == schemas->end()) return Json::object();
  Inliner inliner(*schemas);
  return inliner.Inline(*root, 0);
}

}  // namespace haru::apiserver::openapi
