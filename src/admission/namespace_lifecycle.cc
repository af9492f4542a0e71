#include "admission/namespace_lifecycle.h"

#include "api/kinds.h"
#include "registry/object_index.h"

namespace haru::admission {

registry::AdmissionCheck NamespaceLifecycle(registry::Registry* registry) {
  return [registry](const registry::AdmissionAttributes& a) -> Status {
    const bool is_namespace = a.kind->gvk.kind == "Namespace" && a.kind->gvk.group.empty();
    if (is_namespace && a.operation == "DELETE") {
      if (a.name == "default" || a.name == "kube-system" || a.name == "kube-public") {
        Status s = Status::Forbidden("namespaces \"" + a.name +
                                     "\" is forbidden: this namespace may not be deleted");
        s.mutable_details() = {a.name, "", "namespaces", "", {}, 0};
        return s;
      }
      return Status::OK();
    }
    if (a.kind->scope != api::Scope::kNamespaced || a.operation != "CREATE") return Status::OK();
    const api::KindSpec* ns_kind = api::FindKindByResource("", "v1", "namespaces");
    auto ns = registry->Get(*ns_kind, "", a.ns);
    if (!ns.ok()) {
      Status s = Status::NotFound("namespaces \"" + a.ns + "\" not found");
      s.mutable_details() = {a.ns, "", "namespaces", "", {}, 0};
      return s;
    }
    if (registry::IndexOf(*ns)->deleting) {
      std::string resource = a.kind->plural;
      if (!a.kind->gvk.group.empty()) resource += "." + a.kind->gvk.group;
      Status s = Status::Forbidden(resource + " \"" + a.name +
                                   "\" is forbidden: unable to create new content in namespace " +
                                   a.ns + " because it is being terminated");
      s.mutable_details() = {a.name, a.kind->gvk.group, a.kind->plural, "", {}, 0};
      s.mutable_details().causes.push_back(
          {"NamespaceTerminating",
           "namespace " + a.ns + " is being terminated", "metadata.namespace"});
      return s;
    }
    return Status::OK();
  };
}

}  // namespace haru::admission
