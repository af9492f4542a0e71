#pragma once
// FaultStore wraps a Store and fails chosen operations with a chosen Status, so tests of the
// layers above storage can exercise disk-full, conflict or outage paths (leveldb's EnvWrapper
// idea). With no fault armed it forwards everything. Thread-safe.

#include <atomic>
#include <memory>
#include <mutex>

#include "storage/store.h"

namespace haru::storage {

class FaultStore : public Store {
 public:
  explicit FaultStore(std::unique_ptr<Store> base);

  // Fail the next `count` writes (Create/Update/Delete/Compact) with status; count < 0 =
  // every write until cleared. An OK status clears the fault. The ValueFn is not called.
  void FailWrites(Status status, int count = -1);
  // The same for reads (Get/List/Watch).
  void FailReads(Status status, int count = -1);
  void Clear();

  int64_t write_calls() const { return write_calls_.load(); }
  int64_t read_calls() const { return read_calls_.load(); }
  Store& base() { return *base_; }

  StatusOr<int64_t> Create(std::string_view key, const ValueFn& value) override;
  StatusOr<int64_t> Update(std::string_view key, int64_t expected_revision,
                           const ValueFn& value) override;
  StatusOr<int64_t> Delete(std::string_view key, int64_t expected_revision,
                           const ValueFn& final_value) override;
  StatusOr<KeyValue> Get(std::string_view key) override;
  StatusOr<ListResult> List(const ListOptions& options) override;
  StatusOr<std::unique_ptr<WatchHandle>> Watch(const WatchOptions& options,
                                               EventSink sink) override;
  int64_t Revision() override { return base_->Revision(); }
  int64_t CompactedRevision() override { return base_->CompactedRevision(); }
  Status Compact(int64_t revision) override;
  int64_t Count(std::string_view prefix) override { return base_->Count(prefix); }

 private:
  struct Fault {
    Status status;
    int remaining = 0;  // < 0: unlimited
  };
  // OK when the operation should proceed; consumes one armed failure otherwise.
  Status Take(Fault& f);

  std::unique_ptr<Store> base_;
  std::mutex mu_;
  Fault writes_;  // GUARDED_BY(mu_)
  Fault reads_;   // GUARDED_BY(mu_)
  std::atomic<int64_t> write_calls_{0};
  std::atomic<int64_t> read_calls_{0};
};

}  // namespace haru::storage
