// core/v1 ServiceAccount (pkg/registry/core/serviceaccount).

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

const KindSpec& ServiceAccountKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "ServiceAccount"};
    s.plural = "serviceaccounts";
    s.singular = "serviceaccount";
    s.short_names = {"sa"};
    s.schema = "io.k8s.api.core.v1.ServiceAccount";
    s.validate = [](const Json& sa) { return ValidateObjectMeta(sa, true, NameRule::kDnsSubdomain); };
    s.validate_update = [](const Json& sa, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(sa, old);
      Append(errs, ValidateObjectMeta(sa, true, NameRule::kDnsSubdomain));
      return errs;
    };
    s.columns = {NameColumn(),
                 {"Secrets", "string", "",
                  "Secrets is a list of the secrets in the same namespace that pods running "
                  "using this ServiceAccount are allowed to use.",
                  0,
                  [](const Json& o) {
                    const Json* v = FindPath(o, {"secrets"});
                    return Json(v && v->is_array() ? v->size() : 0);
                  }},
                 AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
