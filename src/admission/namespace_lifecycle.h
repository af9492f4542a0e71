#pragma once
// NamespaceLifecycle (upstream's admission plugin): no new content in a namespace that does
// not exist or is being deleted, and the system namespaces cannot be deleted.

#include "registry/registry.h"

namespace haru::admission {

registry::AdmissionCheck NamespaceLifecycle(registry::Registry* registry);

}  // namespace haru::admission
