#pragma once
// Registry's private state, shared by its verb files (create.cc, update.cc, ...).

#include <mutex>
#include <vector>

#include "registry/registry.h"

namespace haru::registry {

struct Registry::Impl {
  std::mutex mu;
  std::vector<AdmissionCheck> admission;
  std::vector<MutationStep> mutations;

  std::vector<AdmissionCheck> Admission() {
    std::lock_guard lock(mu);
    return admission;
  }
  std::vector<MutationStep> Mutations() {
    std::lock_guard lock(mu);
    return mutations;
  }
};

}  // namespace haru::registry
