#pragma once
// An in-memory MVCC Store for tests: every version is kept until Compact(), so List at a past
// revision and Watch from a past revision behave as on the durable backends. Thread-safe;
// nothing is persisted.

#include <memory>

#include "storage/store.h"

namespace haru::storage {

std::unique_ptr<Store> NewMemoryStore();

}  // namespace haru::storage
