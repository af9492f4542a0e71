#include "storage/testing/fault_store.h"

namespace haru::storage {

FaultStore::FaultStore(std::unique_ptr<Store> base) : base_(std::move(base)) {}

void FaultStore::FailWrites(Status status, int count) {
  std::lock_guard<std::mutex> l(mu_);
  const int remaining = status.ok() ? 0 : count;
  writes_ = Fault{std::move(status), remaining};
}

void FaultStore::FailReads(Status status, int count) {
  std::lock_guard<std::mutex> l(mu_);
  const int remaining = status.ok() ? 0 : count;
  reads_ = Fault{std::move(status), remaining};
}

void FaultStore::Clear() {
  std::lock_guard<std::mutex> l(mu_);
  writes_ = Fault{};
  reads_ = Fault{};
}

Status FaultStore::Take(Fault& f) {
  std::lock_guard<std::mutex> l(mu_);
  if (f.status.ok() || f.remaining == 0) return Status::OK();
  if (f.remaining > 0) --f.remaining;
  return f.status;
}

#define HARU_FAULT(fault, counter)        \
  do {                                    \
    ++counter;                            \
    Status s = Take(fault);               \
    if (!s.ok()) return s;                \
  } while (0)

StatusOr<int64_t> FaultStore::Create(std::string_view key, const ValueFn& value) {
  HARU_FAULT(writes_, write_calls_);
  return base_->Create(key, value);
}

StatusOr<int64_t> FaultStore::Update(std::string_view key, int64_t expected_revision,
                                     const ValueFn& value) {
  HARU_FAULT(writes_, write_calls_);
  return base_->Update(key, expected_revision, value);
}

StatusOr<int64_t> FaultStore::Delete(std::string_view key, int64_t expected_revision,
                                     const ValueFn& final_value) {
  HARU_FAULT(writes_, write_calls_);
  return base_->Delete(key, expected_revision, final_value);
}

Status FaultStore::Compact(int64_t revision) {
  HARU_FAULT(writes_, write_calls_);
  return base_->Compact(revision);
}

StatusOr<KeyValue> FaultStore::Get(std::string_view key) {
  HARU_FAULT(reads_, read_calls_);
  return base_->Get(key);
}

StatusOr<ListResult> FaultStore::List(const ListOptions& options) {
  HARU_FAULT(reads_, read_calls_);
  return base_->List(options);
}

StatusOr<std::unique_ptr<WatchHandle>> FaultStore::Watch(const WatchOptions& options,
                                                         EventSink sink) {
  HARU_FAULT(reads_, read_calls_);
  return base_->Watch(options, std::move(sink));
}

#undef HARU_FAULT

}  // namespace haru::storage
