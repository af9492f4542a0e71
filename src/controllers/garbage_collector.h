#pragma once

namespace haru::registry {
class Registry;
}

namespace haru::controllers {

// One pass of the garbage collector over ownerReferences:
//  - a dependent whose owners are all gone is deleted (Background propagation);
//  - an owner being deleted with the "foregroundDeletion" finalizer has its dependents deleted,
//    and loses the finalizer once none remain;
//  - an owner being deleted with the "orphan" finalizer has its references removed from its
//    dependents, then loses the finalizer.
void CollectGarbage(registry::Registry& registry);

}  // namespace haru::controllers
