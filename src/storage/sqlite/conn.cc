#include "storage/sqlite/conn.h"

#include <sqlite3.h>

namespace haru::storage::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = "sqlite: " + std::string(what) + ": ";
  // The connection's message is more specific when it belongs to this error.
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) {
    msg += sqlite3_errmsg(db);
  } else {
    msg += sqlite3_errstr(rc);
  }
  msg += " (code " + std::to_string(rc) + ")";
  return Status::Internal(std::move(msg));
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

void Stmt::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

void Stmt::BindBlob(int i, std::string_view v) {
  // A zero-length blob must not bind as NULL: keys and values may be empty.
  sqlite3_bind_blob64(stmt_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC);
}

StatusOr<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  int ext = sqlite3_extended_errcode(db_);
  Status s = SqliteError(db_, ext, sqlite3_sql(stmt_) ? "statement failed" : "step");
  sqlite3_reset(stmt_);
  return s;
}

Status Stmt::Run() {
  auto r = Step();
  if (!r.ok()) return std::move(r).status();
  return Status::OK();
}

int64_t Stmt::Int(int col) { return sqlite3_column_int64(stmt_, col); }

std::string_view Stmt::Blob(int col) {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(p), n);
}

bool Stmt::IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

StatusOr<std::unique_ptr<Conn>> Conn::Open(const std::string& path, bool create,
                                           int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Conn>(new Conn(db));
}

Conn::~Conn() {
  cache_.clear();  // statements first: close fails while any is alive
  sqlite3_close(db_);
}

Status Conn::Exec(std::string_view sql) {
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), s);
  return Status::OK();
}

StatusOr<int64_t> Conn::QueryInt(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
  Stmt holder(db_, stmt);
  HARU_ASSIGN_OR_RETURN(bool row, holder.Step());
  return row ? holder.Int(0) : 0;
}

StatusOr<Stmt*> Conn::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  auto owned = std::make_unique<Stmt>(db_, stmt);
  Stmt* raw = owned.get();
  cache_.emplace(sql, std::move(owned));
  return raw;
}

bool Conn::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace haru::storage::sqlite
