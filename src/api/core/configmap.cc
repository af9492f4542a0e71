// core/v1 ConfigMap (pkg/registry/core/configmap): keys, the 1 MiB size limit, immutability.

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

constexpr int kMaxDataSize = 1024 * 1024;

FieldErrors ValidateConfigMap(const Json& cm) {
  FieldErrors errs = ValidateObjectMeta(cm, true, NameRule::kDnsSubdomain);
  size_t total = 0;
  const Json* data = FindPath(cm, {"data"});
  const Json* binary = FindPath(cm, {"binaryData"});
  if (data && data->is_object()) {
    for (auto it = data->begin(); it != data->end(); ++it) {
      Append(errs, InvalidEach(Key("data", it.key()), it.key(), IsConfigMapKey(it.key())));
      if (binary && binary->is_object() && binary->contains(it.key())) {
        errs.push_back(InvalidString(Key("data", it.key()), it.key(),
                                     "duplicate of key present in binaryData"));
      }
      if (it->is_string()) total += it->get<std::string>().size();
    }
  }
  if (binary && binary->is_object()) {
    for (auto it = binary->begin(); it != binary->end(); ++it) {
      Append(errs, InvalidEach(Key("binaryData", it.key()), it.key(), IsConfigMapKey(it.key())));
      // Stored base64; count decoded bytes.
      if (it->is_string()) total += it->get<std::string>().size() * 3 / 4;
    }
  }
  if (total > static_cast<size_t>(kMaxDataSize)) errs.push_back(TooLong("", kMaxDataSize));
  return errs;
}

FieldErrors ValidateConfigMapUpdate(const Json& cm, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(cm, old);
  if (GetBool(old, {"immutable"})) {
    if (!GetBool(cm, {"immutable"})) {
      errs.push_back(Forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    for (const char* key : {"data", "binaryData"}) {
      const Json* a = FindPath(cm, {key});
      const Json* b = FindPath(old, {key});
      bool a_empty = !a || a->is_null() || (a->is_object() && a->empty());
      bool b_empty = !b || b->is_null() || (b->is_object() && b->empty());
      if (!(a_empty && b_empty) && (a_empty != b_empty || *a != *b)) {
        errs.push_back(Forbidden(key, "field is immutable when `immutable` is set"));
      }
    }
  }
  Append(errs, ValidateConfigMap(cm));
  return errs;
}

}  // namespace

const KindSpec& ConfigMapKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "ConfigMap"};
    s.plural = "configmaps";
    s.singular = "configmap";
    s.short_names = {"cm"};
    s.schema = "io.k8s.api.core.v1.ConfigMap";
    s.validate = &ValidateConfigMap;
    s.validate_update = &ValidateConfigMapUpdate;
    s.columns = {NameColumn(),
                 {"Data", "integer", "", "Data contains the configuration data.", 0,
                  [](const Json& o) {
                    size_t n = 0;
                    for (const char* k : {"data", "binaryData"}) {
                      const Json* d = FindPath(o, {k});
                      if (d && d->is_object()) n += d->size();
                    }
                    return Json(n);
                  }},
                 AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
