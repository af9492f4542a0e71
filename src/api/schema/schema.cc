#include "api/schema/schema.h"

namespace haru::api {

const Field* Schema::FindField(std::string_view field_name) const {
  for (const Field& f : properties) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

SchemaRegistry::SchemaRegistry() = default;
SchemaRegistry::~SchemaRegistry() = default;

const Schema* SchemaRegistry::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Schema* SchemaRegistry::Add(std::unique_ptr<Schema> schema) {
  Schema* raw = schema.get();
  owned_.push_back(std::move(schema));
  if (!raw->name.empty()) by_name_[raw->name] = raw;
  return raw;
}

}  // namespace haru::api
