#include "api/managedfields/field_set.h"

namespace haru::api::managedfields {

FieldSet Union(const FieldSet& a, const FieldSet& b) {
  FieldSet out = a;
  out.member = a.member || b.member;
  for (const auto& [key, child] : b.children) {
    auto it = out.children.find(key);
    if (it == out.children.end()) {
      out.children.emplace(key, child);
    } else {
      it->second = Union(it->second, child);
    }
  }
  return out;
}

FieldSet Intersection(const FieldSet& a, const FieldSet& b) {
  FieldSet out;
  out.member = a.member && b.member;
  for (const auto& [key, child] : a.children) {
    auto it = b.children.find(key);
    if (it == b.children.end()) continue;
    FieldSet both = Intersection(child, it->second);
    if (!both.empty()) out.children.emplace(key, std::move(both));
  }
  return out;
}

FieldSet Difference(const FieldSet& a, const FieldSet& b) {
  FieldSet out;
  out.member = a.member && !b.member;
  for (const auto& [key, child] : a.children) {
    auto it = b.children.find(key);
    FieldSet rest = it == b.children.end() ? child : Difference(child, it->second);
    if (!rest.empty()) out.children.emplace(key, std::move(rest));
  }
  return out;
}

void Compact(FieldSet& set) {
  for (auto it = set.children.begin(); it != set.children.end();) {
    Compact(it->second);
    it = it->second.empty() ? set.children.erase(it) : std::next(it);
  }
}

namespace {

Json NodeToJson(const FieldSet& node) {
  Json out = Json::object();
  if (node.member && !node.children.empty()) out["."] = Json::object();
  for (const auto& [key, child] : node.children) {
    if (!child.empty()) out[key] = NodeToJson(child);
  }
  return out;
}

bool ValidKey(const std::string& key) {
  return key.size() >= 2 && key[1] == ':' &&
         (key[0] == 'f' || key[0] == 'k' || key[0] == 'v' || key[0] == 'i');
}

Status NodeFromJson(const Json& value, FieldSet& node, int depth) {
  if (!value.is_object()) return Status::BadRequest("FieldsV1 nodes must be objects");
  if (depth > 100) return Status::BadRequest("FieldsV1 is nested too deeply");
  if (value.empty()) node.member = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (it.key() == ".") {
      node.member = true;
      continue;
    }
    if (!ValidKey(it.key())) {
      return Status::BadRequest("unexpected FieldsV1 path element \"" + it.key() + "\"");
    }
    HARU_RETURN_IF_ERROR(NodeFromJson(it.value(), node.children[it.key()], depth + 1));
  }
  return Status::OK();
}

// Go's value.ToString: strings quoted, everything else as JSON.
std::string ValueString(const Json& v) { return v.dump(); }

std::string ElementString(const std::string& key) {
  std::string body = key.substr(2);
  switch (key[0]) {
    case 'f': return "." + body;
    case 'i': return "[" + body + "]";
    case 'v': {
      Json v = Json::parse(body, nullptr, false);
      return "[=" + (v.is_discarded() ? body : ValueString(v)) + "]";
    }
    default: {
      Json fields = Json::parse(body, nullptr, false);
      if (!fields.is_object()) return "[" + body + "]";
      std::string out = "[";
      bool first = true;
      for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!first) out += ",";
        first = false;
        out += it.key() + "=" + ValueString(it.value());
      }
      return out + "]";
    }
  }
}

void CollectPaths(const FieldSet& node, const std::string& prefix, std::vector<std::string>& out) {
  if (node.member) out.push_back(prefix);
  for (const auto& [key, child] : node.children) {
    CollectPaths(child, prefix + ElementString(key), out);
  }
}

}  // namespace

Json ToFieldsV1(const FieldSet& set) {
  FieldSet root = set;
  root.member = false;
  return NodeToJson(root);
}

StatusOr<FieldSet> FromFieldsV1(const Json& fields) {
  FieldSet root;
  if (fields.is_null()) return root;
  HARU_RETURN_IF_ERROR(NodeFromJson(fields, root, 0));
  root.member = false;
  return root;
}

std::vector<std::string> MemberPaths(const FieldSet& set) {
  std::vector<std::string> out;
  CollectPaths(set, "", out);
  return out;
}

}  // namespace haru::api::managedfields
