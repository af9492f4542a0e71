#pragma once
// The default durable backend: an MVCC key-value table in one SQLite database (WAL mode,
// synchronous=FULL). One writer thread group-commits concurrent writes: a write returns only
// after the COMMIT that holds it is on disk, and many writers share that one fsync. Reads use
// their own connections and run alongside the writer. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace haru::storage {

struct SqliteOptions {
  // Database file; created when missing. SQLite keeps "<path>-wal" and "<path>-shm" beside it.
  std::string path;
  // Most writes in one transaction. Default: 1000.
  size_t max_batch = 1000;
  // Automatic compaction keeps the newest `retain_revisions` revisions of history (0 turns
  // it off). Default: 10000, more than the watch cache's default event window.
  int64_t retain_revisions = 10000;
  // How often automatic compaction and the WAL checkpoint run. Default: 5 s.
  std::chrono::milliseconds maintenance_interval{5000};
  // Revisions covered by one compaction transaction, so writes wait at most one slice.
  int64_t compact_slice_revisions = 500;
  // The WAL file is truncated to this size after checkpoints. Default: 64 MiB.
  int64_t wal_size_limit_bytes = int64_t{64} << 20;
  // Caps the database size in pages (SQLite's max_page_count); 0 = SQLite's default. Lets
  // tests provoke SQLITE_FULL.
  int64_t max_page_count = 0;
};

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace haru::storage
