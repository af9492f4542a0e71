#pragma once
// ClusterIP and NodePort allocation for Services (upstream's service REST storage with its IP
// and port allocators): the default service CIDR 10.96.0.0/12 and node ports 30000-32767.
// Allocations are derived from the stored Services, so they survive restarts.

#include "registry/registry.h"

namespace haru::admission {

registry::MutationStep ServiceAllocation(registry::Registry* registry);

}  // namespace haru::admission
