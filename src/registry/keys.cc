#include "registry/keys.h"

#include "api/kinds.h"

namespace haru::registry {

std::string ResourcePrefix(const api::KindSpec& kind) {
  std::string out = "/registry/";
  out += kind.gvk.group.empty() ? "core" : kind.gvk.group;
  out += '/';
  out += kind.plural;
  out += '/';
  return out;
}

std::string ListPrefix(const api::KindSpec& kind, std::string_view ns) {
  std::string out = ResourcePrefix(kind);
  if (kind.scope == api::Scope::kNamespaced && !ns.empty()) {
    out += ns;
    out += '/';
  }
  return out;
}

std::string ObjectKey(const api::KindSpec& kind, std::string_view ns, std::string_view name) {
  std::string out = ListPrefix(kind, kind.scope == api::Scope::kNamespaced ? ns : "");
  out += name;
  return out;
}

const api::KindSpec* KindOfKey(std::string_view key) {
  constexpr std::string_view kRoot = "/registry/";
  if (key.substr(0, kRoot.size()) != kRoot) return nullptr;
  key.remove_prefix(kRoot.size());
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return nullptr;
  std::string_view group = key.substr(0, slash);
  if (group == "core") group = "";
  key.remove_prefix(slash + 1);
  std::string_view plural = key.substr(0, key.find('/'));
  for (const api::KindSpec* k : api::BuiltinKinds()) {
    if (k->gvk.group == group && k->plural == plural) return k;
  }
  return nullptr;
}

}  // namespace haru::registry
