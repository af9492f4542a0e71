#pragma once
// The in-process controllers of `haru server`: namespace deletion, default service accounts and
// the garbage collector (ownerReferences), which use the Registry directly; and resourceclaim,
// device-taint eviction and Job, which are clients of the API through an in-process Client.
// Either way every write goes through defaulting, validation and admission like any request.
//
// Each controller runs on its own thread and reconciles from the watch cache; Stop() joins.

#include <memory>

namespace haru::registry {
class Registry;
}

namespace haru::controllers {

class ControllerManager {
 public:
  virtual ~ControllerManager() = default;
  virtual void Stop() = 0;
};

std::unique_ptr<ControllerManager> StartControllers(registry::Registry* registry);

// Creates the default namespaces (default, kube-system, kube-public, kube-node-lease) and the
// `kubernetes` Service when missing. `api_port` is the HTTPS port for its Endpoints.
void Bootstrap(registry::Registry* registry, int api_port);

}  // namespace haru::controllers
