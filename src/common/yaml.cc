#include "common/yaml.h"

#include <yaml-cpp/yaml.h>

#include <charconv>

namespace haru {

namespace {

constexpr int kMaxDepth = 512;

bool ParseInt(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  auto r = std::from_chars(b, e, out);
  return r.ec == std::errc() && r.ptr == e;
}

bool ParseFloat(const std::string& s, double& out) {
  if (s.empty()) return false;
  bool has_digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) has_digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') return false;
  }
  if (!has_digit) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Json Scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return s;  // quoted
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  int64_t i;
  if (ParseInt(s, i)) return i;
  double d;
  if (ParseFloat(s, d)) return d;
  return s;
}

Status Convert(const YAML::Node& node, Json& out, int depth) {
  if (depth > kMaxDepth) return Status::BadRequest("yaml: document nested too deeply");
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: out = nullptr; return Status::OK();
    case YAML::NodeType::Scalar: out = Scalar(node); return Status::OK();
    case YAML::NodeType::Sequence:
      out = Json::array();
      for (const auto& item : node) {
        Json v;
        HARU_RETURN_IF_ERROR(Convert(item, v, depth + 1));
        out.push_back(std::move(v));
      }
      return Status::OK();
    case YAML::NodeType::Map:
      out = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return Status::BadRequest("yaml: line " + std::to_string(kv.first.Mark().line + 1) +
                                    ": map keys must be strings");
        }
        Json v;
        HARU_RETURN_IF_ERROR(Convert(kv.second, v, depth + 1));
        out[kv.first.Scalar()] = std::move(v);
      }
      return Status::OK();
  }
  return Status::OK();
}

}  // namespace

StatusOr<Json> ParseYaml(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Json out;
    HARU_RETURN_IF_ERROR(Convert(root, out, 0));
    return out;
  } catch (const YAML::Exception& e) {
    return Status::BadRequest("yaml: line " + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return Status::BadRequest(std::string("yaml: ") + e.what());
  }
}

}  // namespace haru
