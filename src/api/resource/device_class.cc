// resource.k8s.io/v1 DeviceClass (pkg/registry/resource/deviceclass): cluster-scoped,
// generation bumped on spec changes; unchanged selectors are not compiled again.

#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

// v1helper.IsExtendedResourceName: a qualified name outside the kubernetes.io namespace
// (deviceclass.resource.kubernetes.io/ excepted), not prefixed "requests.", and valid
// as "requests.<name>" too.
bool IsExtendedResourceName(std::string_view name) {
  size_t slash = name.find('/');
  std::string_view domain = slash == std::string_view::npos ? "" : name.substr(0, slash);
  bool native = slash == std::string_view::npos || domain == "kubernetes.io" ||
                (domain.size() > 14 && domain.substr(domain.size() - 14) == ".kubernetes.io");
  if (native && domain != "deviceclass.resource.kubernetes.io") return false;
  if (name.rfind("requests.", 0) == 0) return false;
  return IsQualifiedName("requests." + std::string(name)).empty();
}

FieldErrors ValidateClassSpec(const Json& cls, const Json* old) {
  FieldErrors errs;
  const Json* selectors = FindPath(cls, {"spec", "selectors"});
  bool stored = old != nullptr && [&] {
    const Json* old_sel = FindPath(*old, {"spec", "selectors"});
    return (selectors == nullptr && old_sel == nullptr) ||
           (selectors != nullptr && old_sel != nullptr && *selectors == *old_sel);
  }();
  Append(errs, ValidateSelectors(selectors, "spec.selectors", stored));
  const Json& configs = ArrayOrEmpty(FindPath(cls, {"spec", "config"}));
  if (static_cast<int>(configs.size()) > kDeviceConfigMaxSize) {
    errs.push_back(TooMany("spec.config", static_cast<int>(configs.size()), kDeviceConfigMaxSize));
  } else {
    for (size_t i = 0; i < configs.size(); ++i) {
      Append(errs, ValidateDeviceConfiguration(configs[i], Index("spec.config", i)));
    }
  }
  if (const Json* ext = FindPath(cls, {"spec", "extendedResourceName"}); ext && ext->is_string()) {
    std::string name = ext->get<std::string>();
    if (!IsExtendedResourceName(name)) {
      errs.push_back(InvalidString("spec.extendedResourceName", name,
                                   "must be a valid extended resource name"));
    }
  }
  return errs;
}

FieldErrors ValidateDeviceClassUpdate(const Json& cls, const Json& old) {
  FieldErrors errs = ValidateObjectMeta(cls, false, NameRule::kDnsSubdomain);
  Append(errs, ValidateObjectMetaUpdate(cls, old));
  Append(errs, ValidateClassSpec(cls, &old));
  return errs;
}

}  // namespace

FieldErrors ValidateDeviceClass(const Json& cls) {
  FieldErrors errs = ValidateObjectMeta(cls, false, NameRule::kDnsSubdomain);
  Append(errs, ValidateClassSpec(cls, nullptr));
  return errs;
}

const KindSpec& DeviceClassKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"resource.k8s.io", "v1", "DeviceClass"};
    s.plural = "deviceclasses";
    s.singular = "deviceclass";
    s.scope = Scope::kCluster;
    s.schema = "io.k8s.api.resource.v1.DeviceClass";
    s.tracks_generation = true;
    s.validate = &ValidateDeviceClass;
    s.validate_update = &ValidateDeviceClassUpdate;
    s.columns = {NameColumn(), AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::resource
