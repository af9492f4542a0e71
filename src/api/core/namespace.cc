// core/v1 Namespace (pkg/registry/core/namespace): cluster-scoped, DNS-label names, the
// "kubernetes" finalizer and phase Active on create, the kubernetes.io/metadata.name label.

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

void SetNameLabel(Json& ns) {
  std::string name = GetString(ns, {"metadata", "name"});
  if (!name.empty()) MutablePath(ns, {"metadata", "labels"})["kubernetes.io/metadata.name"] = name;
}

FieldErrors ValidateSpecFinalizers(const Json& ns) {
  FieldErrors errs;
  const Json* f = FindPath(ns, {"spec", "finalizers"});
  if (!f || !f->is_array()) return errs;
  for (const Json& v : *f) {
    std::string s = v.is_string() ? v.get<std::string>() : "";
    Append(errs, InvalidEach("spec.finalizers", s, IsQualifiedName(s)));
    bool standard = s == "kubernetes";
    if (s.find('/') == std::string::npos && !standard) {
      errs.push_back(InvalidString("spec.finalizers", s,
                                   "name is neither a standard finalizer name nor is it fully "
                                   "qualified"));
    }
  }
  return errs;
}

}  // namespace

const KindSpec& NamespaceKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Namespace"};
    s.plural = "namespaces";
    s.singular = "namespace";
    s.short_names = {"ns"};
    s.scope = Scope::kCluster;
    s.name_rule = NameRule::kDnsLabel;
    s.schema = "io.k8s.api.core.v1.Namespace";
    s.has_status = true;
    s.extra_subresources = {{"finalize"}};
    s.default_fields = [](Json& ns) {
      SetNameLabel(ns);
      if (GetString(ns, {"status", "phase"}).empty()) MutablePath(ns, {"status"})["phase"] = "Active";
    };
    s.prepare_for_create = [](Json& ns) {
      ns["status"] = {{"phase", "Active"}};
      Json& spec = MutablePath(ns, {"spec"});
      Json& f = spec["finalizers"];
      if (!f.is_array()) f = Json::array();
      if (std::find(f.begin(), f.end(), Json("kubernetes")) == f.end()) f.push_back("kubernetes");
      SetNameLabel(ns);
    };
    s.prepare_for_update = [](Json& ns, const Json& old) {
      if (const Json* f = FindPath(old, {"spec", "finalizers"})) {
        MutablePath(ns, {"spec"})["finalizers"] = *f;
      } else if (ns.contains("spec") && ns["spec"].is_object()) {
        ns["spec"].erase("finalizers");
      }
      if (old.contains("status")) ns["status"] = old["status"];
      SetNameLabel(ns);
    };
    s.validate = [](const Json& ns) {
      FieldErrors errs = ValidateObjectMeta(ns, false, NameRule::kDnsLabel);
      Append(errs, ValidateSpecFinalizers(ns));
      return errs;
    };
    s.validate_update = [](const Json& ns, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(ns, old);
      Append(errs, ValidateSpecFinalizers(ns));
      return errs;
    };
    s.prepare_for_status_update = [](Json& ns, const Json& old) {
      if (old.contains("spec")) ns["spec"] = old["spec"];
    };
    s.validate_status_update = [](const Json& ns, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(ns, old);
      const Json* del = FindPath(ns, {"metadata", "deletionTimestamp"});
      std::string phase = GetString(ns, {"status", "phase"});
      if (del && !del->is_null()) {
        if (phase != "Terminating") {
          errs.push_back(InvalidString("status.Phase", phase,
                                       "A namespace may only be in terminating status if it has "
                                       "a deletion timestamp."));
        }
      } else if (phase != "Active") {
        errs.push_back(InvalidString("status.Phase", phase,
                                     "A namespace may only be in active status if it does not "
                                     "have a deletion timestamp."));
      }
      return errs;
    };
    s.columns = {NameColumn(),
                 StringColumn("Status", "The status of the namespace", "status", "phase"),
                 AgeColumn()};
    s.selectable_fields = {
        {"status.phase", [](const Json& o) { return GetString(o, {"status", "phase"}); },
         "status.phase"}};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
