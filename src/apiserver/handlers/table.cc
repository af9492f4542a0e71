#include "apiserver/handlers/table.h"

namespace haru::apiserver {

IncludeObject ParseIncludeObject(std::string_view value) {
  if (value == "None") return IncludeObject::kNone;
  if (value == "Object") return IncludeObject::kObject;
  return IncludeObject::kMetadata;
}

bool WantsTable(std::string_view accept) {
  // The first acceptable media type wins; kubectl lists Table first and JSON last.
  size_t table = accept.find("as=Table");
  if (table == std::string_view::npos) return false;
  return accept.find("g=meta.k8s.io") != std::string_view::npos;
}

namespace {
const std::vector<api::TableColumn>& DefaultColumns() {
  static const std::vector<api::TableColumn> kColumns = {
      {"Name", "string", "name", "Name must be unique within a namespace.", 0,
       [](const Json& o) -> Json { return o["metadata"].value("name", ""); }},
      {"Created At", "date", "", "CreationTimestamp is the time the object was created.", 0,
       [](const Json& o) -> Json { return o["metadata"].value("creationTimestamp", ""); }},
  };
  return kColumns;
}

const std::vector<api::TableColumn>& ColumnsOf(const api::KindSpec& kind) {
  return kind.columns.empty() ? DefaultColumns() : kind.columns;
}
}  // namespace

Json TableColumnDefinitions(const api::KindSpec& kind) {
  Json defs = Json::array();
  for (const api::TableColumn& c : ColumnsOf(kind)) {
    defs.push_back({{"name", c.name},
                    {"type", c.type},
                    {"format", c.format},
                    {"description", c.description},
                    {"priority", c.priority}});
  }
  return defs;
}

Json TableRow(const api::KindSpec& kind, const Json& object, IncludeObject include) {
  Json cells = Json::array();
  for (const api::TableColumn& c : ColumnsOf(kind)) {
    cells.push_back(c.cell ? c.cell(object) : Json(nullptr));
  }
  Json row = {{"cells", std::move(cells)}};
  if (include == IncludeObject::kObject) {
    row["object"] = object;
  } else if (include == IncludeObject::kMetadata) {
    row["object"] = {{"kind", "PartialObjectMetadata"},
                     {"apiVersion", "meta.k8s.io/v1"},
                     {"metadata", object.contains("metadata") ? object["metadata"] : Json::object()}};
  }
  return row;
}

std::string TableJson(const api::KindSpec& kind, const std::vector<storage::Bytes>& objects,
                      const std::string& resource_version, const std::string& continue_token,
                      int64_t remaining, IncludeObject include) {
  Json meta = Json::object();
  if (!resource_version.empty()) meta["resourceVersion"] = resource_version;
  if (!continue_token.empty()) meta["continue"] = continue_token;
  if (remaining > 0) meta["remainingItemCount"] = remaining;
  Json rows = Json::array();
  for (const storage::Bytes& bytes : objects) {
    Json obj = Json::parse(*bytes, nullptr, false);
    if (!obj.is_object()) continue;
    rows.push_back(TableRow(kind, obj, include));
  }
  Json table = {{"kind", "Table"},
                {"apiVersion", "meta.k8s.io/v1"},
                {"metadata", std::move(meta)},
                {"columnDefinitions", TableColumnDefinitions(kind)},
                {"rows", std::move(rows)}};
  return ToJson(table);
}

}  // namespace haru::apiserver
