// resource.k8s.io/v1 ResourceClaimTemplate (pkg/registry/resource/resourceclaimtemplate):
// the claim spec inside is validated like a claim's and immutable after create.

#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

void DefaultTemplate(Json& tmpl) {
  if (!tmpl.is_object()) return;
  auto spec = tmpl.find("spec");
  if (spec == tmpl.end() || !spec->is_object()) return;
  auto inner = spec->find("spec");
  if (inner != spec->end()) DefaultClaimSpec(*inner);
}

// ValidateTemplateObjectMeta: only labels and annotations matter in a template.
FieldErrors ValidateTemplateMeta(const Json& tmpl) {
  FieldErrors errs = ValidateLabels(FindPath(tmpl, {"spec", "metadata", "labels"}),
                                    "spec.metadata.labels");
  Append(errs, ValidateAnnotations(FindPath(tmpl, {"spec", "metadata", "annotations"}),
                                   "spec.metadata.annotations"));
  return errs;
}

FieldErrors ValidateTemplateUpdate(const Json& tmpl, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(tmpl, old);
  Append(errs, ValidateImmutableField(FindPath(tmpl, {"spec"}), FindPath(old, {"spec"}), "spec"));
  return errs;
}

}  // namespace

FieldErrors ValidateResourceClaimTemplate(const Json& tmpl) {
  FieldErrors errs = ValidateObjectMeta(tmpl, true, NameRule::kDnsSubdomain);
  Append(errs, ValidateTemplateMeta(tmpl));
  static const Json kEmpty = Json::object();
  const Json* spec = FindPath(tmpl, {"spec", "spec"});
  Append(errs, ValidateClaimSpec(spec && spec->is_object() ? *spec : kEmpty, "spec.spec", false));
  return errs;
}

const KindSpec& ResourceClaimTemplateKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"resource.k8s.io", "v1", "ResourceClaimTemplate"};
    s.plural = "resourceclaimtemplates";
    s.singular = "resourceclaimtemplate";
    s.scope = Scope::kNamespaced;
    s.schema = "io.k8s.api.resource.v1.ResourceClaimTemplate";
    s.default_fields = &DefaultTemplate;
    s.validate = &ValidateResourceClaimTemplate;
    s.validate_update = &ValidateTemplateUpdate;
    s.columns = {NameColumn(), AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::resource
