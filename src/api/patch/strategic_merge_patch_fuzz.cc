// libFuzzer target for ApplyStrategicMergePatch against a small Pod-like schema (merge lists
// keyed by name/containerPort, a set of scalars, retainKeys, replace, a list of lists, a map).
// Input: document, NUL, patch (or just a patch).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/patch/internal/fuzz_input.h"
#include "api/patch/strategic_merge_patch.h"

namespace {

using haru::api::Field;
using haru::api::Schema;
using haru::api::SchemaType;

class FuzzSchema {
 public:
  FuzzSchema() {
    const Schema* str = New(SchemaType::kString);
    const Schema* any = New(SchemaType::kAny);
    Schema* port = Object({F("containerPort", New(SchemaType::kInteger)), F("protocol", str)});
    Schema* container = Object({F("name", str), F("image", str), F("args", Array(str)),
                                F("ports", Array(port), "merge", "containerPort"),
                                F("env", Array(Object({F("name", str), F("value", str)})),
                                  "merge", "name")});
    Schema* spec = Object({F("containers", Array(container), "merge", "name"),
                           F("volumes", Array(Object({F("name", str)})), "merge,retainKeys", "name"),
                           F("strategy", Object({F("type", str), F("rollingUpdate", any)}), "retainKeys"),
                           F("replacing", any, "replace"), F("nested", Array(Array(str)), "merge"),
                           F("noKey", Array(Object({F("a", str)})), "merge"),
                           F("nodeSelector", Map(str)), F("raw", any)});
    Schema* meta = Object({F("labels", Map(str)), F("finalizers", Array(str), "merge")});
    root_ = Object({F("metadata", meta), F("spec", spec), F("items", Array(Map(container)), "merge", "name")});
  }
  const Schema* root() const { return root_; }

 private:
  static Field F(std::string name, const Schema* s, std::string strategy = "", std::string key = "") {
    Field f;
    f.name = std::move(name);
    f.schema = s;
    f.patch_strategy = std::move(strategy);
    f.patch_merge_key = std::move(key);
    return f;
  }
  Schema* New(SchemaType t) {
    owned_.push_back(std::make_unique<Schema>());
    owned_.back()->type = t;
    return owned_.back().get();
  }
  Schema* Object(std::vector<Field> fields) {
    Schema* s = New(SchemaType::kObject);
    s->properties = std::move(fields);
    return s;
  }
  Schema* Array(const Schema* items) {
    Schema* s = New(SchemaType::kArray);
    s->items = items;
    return s;
  }
  Schema* Map(const Schema* values) {
    Schema* s = New(SchemaType::kMap);
    s->additional_properties = values;
    return s;
  }
  std::vector<std::unique_ptr<Schema>> owned_;
  const Schema* root_ = nullptr;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FuzzSchema* schema = new FuzzSchema();
  auto input = haru::api::patch::internal::SplitFuzzInput(data, size);
  if (!input) return 0;
  auto result =
      haru::api::patch::ApplyStrategicMergePatch(input->first, input->second, schema->root());
  if (result.ok()) haru::api::patch::internal::ConsumeResult(*result);
  return 0;
}
