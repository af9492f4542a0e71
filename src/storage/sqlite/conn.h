#pragma once
// Thin RAII wrappers over one SQLite connection and its prepared statements, so that
// <sqlite3.h> stays inside sqlite/*.cc. Not thread-safe: a Conn is used by one thread at a time.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace haru::storage::sqlite {

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQLite. Blobs are bound without copying: they must outlive
  // the next Step()/Reset().
  void BindInt(int i, int64_t v);
  void BindBlob(int i, std::string_view v);
  // true: a row is ready; false: done. Errors carry SQLite's message.
  StatusOr<bool> Step();
  // Step() for statements that return no rows.
  Status Run();
  int64_t Int(int col);
  std::string_view Blob(int col);
  bool IsNull(int col);
  void Reset();  // Reset and clear bindings; ready for reuse.

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Conn {
 public:
  // Opens (creating when `create`) the database at path; busy_timeout_ms applies to locks.
  static StatusOr<std::unique_ptr<Conn>> Open(const std::string& path, bool create,
                                              int busy_timeout_ms);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  Status Exec(std::string_view sql);  // one or more statements, no results
  StatusOr<int64_t> QueryInt(std::string_view sql);  // first column of the first row
  // A prepared statement cached on this connection by its SQL text; reset before returning.
  StatusOr<Stmt*> Prepare(const std::string& sql);
  bool InTransaction() const;

 private:
  explicit Conn(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Status::Internal("sqlite: <what>: <message> (<code name>)") for SQLite result code rc.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace haru::storage::sqlite
