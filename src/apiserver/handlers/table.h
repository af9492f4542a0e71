#pragma once
// Table output (Accept: ...;as=Table;g=meta.k8s.io;v=v1): rows with the kind's columns, as
// upstream's TableConvertor. Objects are embedded as PartialObjectMetadata by default
// (includeObject=Metadata), in full with includeObject=Object, not at all with None.

#include <string>
#include <vector>

#include "api/kind_spec.h"
#include "common/json.h"
#include "storage/store.h"

namespace haru::apiserver {

enum class IncludeObject { kNone, kMetadata, kObject };

IncludeObject ParseIncludeObject(std::string_view value);

// Whether the Accept header asks for a meta.k8s.io Table.
bool WantsTable(std::string_view accept);

Json TableColumnDefinitions(const api::KindSpec& kind);
Json TableRow(const api::KindSpec& kind, const Json& object, IncludeObject include);

// A whole Table document for a list (or a single object).
std::string TableJson(const api::KindSpec& kind, const std::vector<storage::Bytes>& objects,
                      const std::string& resource_version, const std::string& continue_token,
                      int64_t remaining, IncludeObject include);

inline constexpr const char* kTableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

}  // namespace haru::apiserver
