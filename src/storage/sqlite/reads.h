#pragma once
// Read queries over the kv table (schema: sqlite_store.cc). Each function is one read
// transaction on a connection the caller owns for the duration of the call; in WAL mode they
// run concurrently with the writer and see only committed batches.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/internal/watch_hub.h"
#include "storage/sqlite/conn.h"
#include "storage/store.h"

namespace haru::storage::sqlite {

// The live version of key, or nullopt when absent or deleted.
StatusOr<std::optional<KeyValue>> ReadLatest(Conn& conn, std::string_view key);

// The newest non-deleted version of each key under options.prefix with revision <= at.
StatusOr<ListResult> ReadList(Conn& conn, const ListOptions& options, int64_t at);

StatusOr<int64_t> ReadCount(Conn& conn, std::string_view prefix);

// Events under prefix with after < revision <= upto, in revision order. prev_value is filled
// when the superseded row is still stored.
Status ReadHistory(Conn& conn, std::string_view prefix, int64_t after, int64_t upto,
                   std::vector<internal::EventPtr>* out);

}  // namespace haru::storage::sqlite
