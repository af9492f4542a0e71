#pragma once

namespace haru::registry {
class Registry;
}

namespace haru::controllers {

// One pass: empties namespaces being deleted and releases their "kubernetes" finalizer.
void ReconcileNamespaces(registry::Registry& registry);

}  // namespace haru::controllers
