#pragma once

namespace haru::registry {
class Registry;
}

namespace haru::controllers {

// One pass: every active namespace gets a "default" ServiceAccount.
void ReconcileServiceAccounts(registry::Registry& registry);

}  // namespace haru::controllers
