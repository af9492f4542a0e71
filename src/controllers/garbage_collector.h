#pragma once

#include <memory>

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

// The same rules, driven by a watch on the whole store: the ownership graph is kept current
// from events, and only objects an event concerns are looked at (a dependent when it is written
// or its owner is deleted; an owner being deleted when it or a dependent changes). A full list
// rebuilds the graph at start and every `resync_seconds`, the safety net.
class GarbageCollector {
 public:
  virtual ~GarbageCollector() = default;
  virtual void Stop() = 0;
};
std::unique_ptr<GarbageCollector> StartGarbageCollector(registry::Registry* registry, int resync_seconds = 60);

}  // namespace haru::controllers
