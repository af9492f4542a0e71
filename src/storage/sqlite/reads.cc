#include "storage/sqlite/reads.h"

#include <limits>
#include <string>

#include "storage/internal/keys.h"

namespace haru::storage::sqlite {
namespace {

Bytes ToBytes(std::string_view blob) { return std::make_shared<const std::string>(blob); }

// The newest row of each key in [?1, ?2) after ?3 with revision <= ?4. Without an upper bound
// the "< ?2" term is left out rather than made conditional, so the (key, revision) index
// still drives the range scan.
std::string LatestRows(bool upper_bound) {
  return std::string("SELECT key, MAX(revision) AS rev FROM kv WHERE key >= ?1 ") +
         (upper_bound ? "AND key < ?2 " : "") +
         "AND key > ?3 AND revision <= ?4 GROUP BY key";
}

void BindRange(Stmt* s, std::string_view prefix, const std::string& end,
               std::string_view after) {
  s->BindBlob(1, prefix);
  if (!end.empty()) s->BindBlob(2, end);
  s->BindBlob(3, after);
}

// Ends a read transaction whatever happened inside it.
class ReadTxn {
 public:
  explicit ReadTxn(Conn& c) : c_(c) { began_ = c_.Exec("BEGIN").ok(); }
  ~ReadTxn() {
    if (began_) (void)c_.Exec("COMMIT");
  }

 private:
  Conn& c_;
  bool began_;
};

}  // namespace

StatusOr<std::optional<KeyValue>> ReadLatest(Conn& conn, std::string_view key) {
  HARU_ASSIGN_OR_RETURN(
      Stmt * s, conn.Prepare("SELECT value, create_revision, revision, deleted FROM kv "
                             "WHERE key = ?1 ORDER BY revision DESC LIMIT 1"));
  s->BindBlob(1, key);
  HARU_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<KeyValue> out;
  if (row && s->Int(3) == 0) {
    out = KeyValue{std::string(key), ToBytes(s->Blob(0)), s->Int(1), s->Int(2), nullptr};
  }
  s->Reset();
  return out;
}

StatusOr<ListResult> ReadList(Conn& conn, const ListOptions& options, int64_t at) {
  const std::string end = internal::PrefixEnd(options.prefix);
  const std::string latest = LatestRows(!end.empty());
  ListResult result;
  result.revision = at;
  ReadTxn txn(conn);  // the page and the remaining count see one snapshot
  HARU_ASSIGN_OR_RETURN(
      Stmt * s, conn.Prepare("SELECT kv.key, kv.value, kv.create_revision, kv.revision FROM (" +
                             latest + ") AS l JOIN kv ON kv.revision = l.rev "
                             "WHERE kv.deleted = 0 ORDER BY l.key LIMIT ?5"));
  BindRange(s, options.prefix, end, options.start_after);
  s->BindInt(4, at);
  s->BindInt(5, options.limit > 0 ? options.limit + 1 : -1);
  for (;;) {
    HARU_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (options.limit > 0 && static_cast<int64_t>(result.items.size()) == options.limit) {
      result.more = true;
      break;
    }
    result.items.push_back(
        KeyValue{std::string(s->Blob(0)), ToBytes(s->Blob(1)), s->Int(2), s->Int(3), nullptr});
  }
  s->Reset();
  if (result.more) {
    HARU_ASSIGN_OR_RETURN(
        Stmt * c, conn.Prepare("SELECT COUNT(*) FROM (" + latest +
                               ") AS l JOIN kv ON kv.revision = l.rev WHERE kv.deleted = 0"));
    BindRange(c, options.prefix, end, result.items.back().key);
    c->BindInt(4, at);
    HARU_ASSIGN_OR_RETURN(bool row, c->Step());
    if (row) result.remaining = c->Int(0);
    c->Reset();
  }
  return result;
}

StatusOr<int64_t> ReadCount(Conn& conn, std::string_view prefix) {
  const std::string end = internal::PrefixEnd(prefix);
  HARU_ASSIGN_OR_RETURN(
      Stmt * c, conn.Prepare("SELECT COUNT(*) FROM (" + LatestRows(!end.empty()) +
                             ") AS l JOIN kv ON kv.revision = l.rev WHERE kv.deleted = 0"));
  BindRange(c, prefix, end, "");
  c->BindInt(4, std::numeric_limits<int64_t>::max());
  HARU_ASSIGN_OR_RETURN(bool row, c->Step());
  int64_t n = row ? c->Int(0) : 0;
  c->Reset();
  return n;
}

Status ReadHistory(Conn& conn, std::string_view prefix, int64_t after, int64_t upto,
                   std::vector<internal::EventPtr>* out) {
  if (upto <= after) return Status::OK();
  const std::string end = internal::PrefixEnd(prefix);
  HARU_ASSIGN_OR_RETURN(
      Stmt * s,
      conn.Prepare(std::string("SELECT kv.revision, kv.key, kv.value, kv.create_revision, "
                               "kv.deleted, p.value FROM kv LEFT JOIN kv AS p "
                               "ON p.revision = kv.prev_revision "
                               "WHERE kv.revision > ?1 AND kv.revision <= ?2 AND kv.key >= ?3") +
                   (end.empty() ? "" : " AND kv.key < ?4") + " ORDER BY kv.revision"));
  s->BindInt(1, after);
  s->BindInt(2, upto);
  s->BindBlob(3, prefix);
  if (!end.empty()) s->BindBlob(4, end);
  for (;;) {
    HARU_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    auto e = std::make_shared<Event>();
    const int64_t rev = s->Int(0);
    const int64_t create = s->Int(3);
    e->type = s->Int(4) != 0       ? EventType::kDeleted
              : create == rev      ? EventType::kAdded
                                   : EventType::kModified;
    e->kv = KeyValue{std::string(s->Blob(1)), ToBytes(s->Blob(2)), create, rev, nullptr};
    if (e->type != EventType::kAdded && !s->IsNull(5)) e->prev_value = ToBytes(s->Blob(5));
    out->push_back(std::move(e));
  }
  s->Reset();
  return Status::OK();
}

}  // namespace haru::storage::sqlite
