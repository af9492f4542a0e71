#pragma once
// CEL device selectors (upstream's k8s.io/dynamic-resource-allocation/cel): one variable
// `device` with `driver`, `attributes[domain][id]`, `capacity[domain][id]` (quantities)
// and `allowMultipleAllocations`. Unqualified attribute and capacity names sit under the
// driver's domain; an unknown domain reads as an empty map. Expressions are compiled once
// per text and cached. SelectorCache and CelDevice are thread-safe once built.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cel/common/value.h"
#include "common/status.h"
#include "scheduler/dra/types.h"

namespace haru::cel {
class Program;
}

namespace haru::scheduler::dra {

// The `device` value of one device, built once and shared by every evaluation.
class CelDevice {
 public:
  CelDevice(const std::string& driver, const Device& device);
  const cel::Value& value() const { return value_; }

 private:
  cel::Value value_;
};

struct CompiledSelector {
  std::unique_ptr<cel::Program> program;  // null when `error` is set
  std::string error;                      // upstream-style compile error text
};

class SelectorCache {
 public:
  SelectorCache();
  ~SelectorCache();
  // The compiled form of `expression`; the reference stays valid for the cache's life.
  const CompiledSelector& GetOrCompile(std::string_view expression);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<CompiledSelector>> compiled_;
};

// Evaluates a compiled selector against a device: true/false, or an error Status with the
// CEL runtime error ("no such key: ...") or a non-bool result.
StatusOr<bool> EvaluateSelector(const CompiledSelector& selector, const CelDevice& device);

}  // namespace haru::scheduler::dra
