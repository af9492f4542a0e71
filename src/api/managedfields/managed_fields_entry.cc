// Decoding and encoding metadata.managedFields.
#include <algorithm>

#include "api/managedfields/managed_fields.h"

namespace haru::api::managedfields {

namespace {

std::string StringMember(const Json& entry, const char* name) {
  auto it = entry.find(name);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

StatusOr<std::vector<ManagedFieldsEntry>> DecodeManagedFields(const Json& obj) {
  std::vector<ManagedFieldsEntry> out;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return out;
  auto list = meta->find("managedFields");
  if (list == meta->end() || list->is_null()) return out;
  if (!list->is_array()) return Status::BadRequest("metadata.managedFields must be a list");
  for (const Json& e : *list) {
    if (!e.is_object()) return Status::BadRequest("managedFields entries must be objects");
    ManagedFieldsEntry entry;
    entry.manager = StringMember(e, "manager");
    entry.operation = StringMember(e, "operation");
    entry.api_version = StringMember(e, "apiVersion");
    entry.time = StringMember(e, "time");
    entry.subresource = StringMember(e, "subresource");
    std::string type = StringMember(e, "fieldsType");
    if (type != "FieldsV1") return Status::BadRequest("unsupported fieldsType \"" + type + "\"");
    if (entry.operation != "Apply" && entry.operation != "Update") {
      return Status::BadRequest("invalid operation \"" + entry.operation + "\"");
    }
    auto fields = e.find("fieldsV1");
    HARU_ASSIGN_OR_RETURN(entry.fields, FromFieldsV1(fields == e.end() ? Json() : *fields));
    out.push_back(std::move(entry));
  }
  return out;
}

void EncodeManagedFields(std::vector<ManagedFieldsEntry> entries, Json& obj) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& p, const auto& q) {
    return std::tie(p.operation, p.time, p.manager, p.api_version, p.subresource) <
           std::tie(q.operation, q.time, q.manager, q.api_version, q.subresource);
  });
  Json list = Json::array();
  for (const ManagedFieldsEntry& e : entries) {
    Json j = {{"manager", e.manager},
              {"operation", e.operation},
              {"apiVersion", e.api_version},
              {"fieldsType", "FieldsV1"},
              {"fieldsV1", ToFieldsV1(e.fields)}};
    if (!e.time.empty()) j["time"] = e.time;
    if (!e.subresource.empty()) j["subresource"] = e.subresource;
    list.push_back(std::move(j));
  }
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  if (list.empty()) {
    obj["metadata"].erase("managedFields");
  } else {
    obj["metadata"]["managedFields"] = std::move(list);
  }
}

std::string ManagerFromUserAgent(std::string_view user_agent) {
  std::string_view prefix = user_agent.substr(0, user_agent.find('/'));
  std::string out;
  for (char c : prefix) {
    // Printable ASCII, and the bytes of UTF-8 sequences (upstream keeps printable runes).
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 || u == 0x7f)) continue;
    if (out.size() + 1 > 128) break;
    out.push_back(c);
  }
  return out;
}

}  // namespace haru::api::managedfields
