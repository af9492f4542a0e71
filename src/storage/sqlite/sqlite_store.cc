// SQLite backend. On-disk format (one database file, WAL mode, auto_vacuum=INCREMENTAL):
//
//   kv := one row per write, never updated in place
//     revision        INTEGER PRIMARY KEY  the write's revision (the global counter)
//     key             BLOB NOT NULL        raw key bytes; BLOB so ordering is memcmp
//     value           BLOB NOT NULL        the ValueFn's bytes (for a delete: the final value)
//     create_revision INTEGER NOT NULL     revision of the create that started this lifetime
//     prev_revision   INTEGER NOT NULL     the key's previous row in this lifetime, 0 for a create
//     deleted         INTEGER NOT NULL     1 for a delete (tombstone), else 0
//   index kv_key_rev ON kv(key, revision): latest-row-per-key lookups and range lists
//
//   meta := name TEXT PRIMARY KEY, value INTEGER
//     'revision'        highest revision ever committed. Written in every batch, so the
//                       counter survives compaction or deletion of the newest rows.
//     'compacted'       requested compaction revision; reads below it are kGone
//     'compact_cursor'  history up to here is compacted; Open resumes from it after a crash
//
// The state of key K at revision R is its row with the largest revision <= R, absent if that
// row is a tombstone. Compaction to C walks rows with revision in (cursor, C] in slices and
// deletes (a) the row each of them superseded (its prev_revision) and (b) tombstones; so
// every row still needed to read a revision >= C, or to replay events after C, survives.
#include "storage/sqlite/sqlite_store.h"

#include "common/metrics.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "storage/internal/errors.h"
#include "storage/internal/watch_hub.h"
#include "storage/sqlite/conn.h"
#include "storage/sqlite/reads.h"

namespace haru::storage {
namespace {

using internal::EventPtr;
using sqlite::Conn;
using sqlite::Stmt;

// One transaction, so a crash while creating a database leaves either nothing or all of it.
constexpr char kSchema[] = R"sql(
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS kv (
  revision INTEGER PRIMARY KEY,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS kv_key_rev ON kv (key, revision);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta VALUES ('revision', 0), ('compacted', 0), ('compact_cursor', 0);
COMMIT;
)sql";

// Busy timeouts: the writer waits briefly for readers during TRUNCATE checkpoints; readers
// never wait on the writer in WAL mode except while a checkpoint resets the WAL.
constexpr int kWriterBusyMs = 100;
constexpr int kReaderBusyMs = 5000;
constexpr int kVacuumPagesPerStep = 1000;

struct KeyRevs {
  int64_t create = 0;
  int64_t mod = 0;
};

enum class Op { kCreate, kUpdate, kDelete };

// One caller's write, owned by the caller's stack while it waits.
struct WriteOp {
  Op op;
  std::string_view key;
  int64_t expected;
  const ValueFn* fn;
  std::optional<StatusOr<int64_t>> result;
  bool done = false;
};

class SqliteStore : public Store {
 public:
  SqliteStore(const SqliteOptions& options, std::unique_ptr<Conn> writer,
              std::unordered_map<std::string, KeyRevs> state, int64_t revision, int64_t compacted,
              int64_t cursor)
      : options_(options),
        writer_(std::move(writer)),
        state_(std::move(state)),
        last_revision_(revision),
        compact_cursor_(cursor),
        compact_target_(compacted),
        compact_done_(cursor),
        revision_(revision),
        compacted_(compacted) {
    hub_.SetRevision(revision);
    // A compaction left unfinished by the last run resumes at the first maintenance tick, not
    // while the server is starting: start-up only reads (an explicit Compact() runs at once).
    compact_backoff_ = compact_done_ < compact_target_;
    thread_ = std::thread([this] { Run(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard<std::mutex> l(q_mu_);
      stop_ = true;
    }
    q_cv_.notify_all();
    done_cv_.notify_all();
    thread_.join();
  }

  StatusOr<int64_t> Create(std::string_view key, const ValueFn& value) override {
    return Submit(Op::kCreate, key, 0, value);
  }
  StatusOr<int64_t> Update(std::string_view key, int64_t expected, const ValueFn& value) override {
    return Submit(Op::kUpdate, key, expected, value);
  }
  StatusOr<int64_t> Delete(std::string_view key, int64_t expected, const ValueFn& value) override {
    return Submit(Op::kDelete, key, expected, value);
  }

  StatusOr<KeyValue> Get(std::string_view key) override {
    auto conn = AcquireReader();
    if (!conn.ok()) return std::move(conn).status();
    auto r = sqlite::ReadLatest(**conn, key);
    ReleaseReader(std::move(*conn));
    if (!r.ok()) return std::move(r).status();
    if (!r->has_value()) return internal::KeyNotFound(key);
    return std::move(**r);
  }

  StatusOr<ListResult> List(const ListOptions& options) override {
    const int64_t current = revision_.load();
    const int64_t at = options.revision == 0 ? current : options.revision;
    if (at > current) return internal::TooLarge(at, current);
    if (at < compacted_.load()) return internal::TooOld(at, compacted_.load());
    auto conn = AcquireReader();
    if (!conn.ok()) return std::move(conn).status();
    auto r = sqlite::ReadList(**conn, options, at);
    ReleaseReader(std::move(*conn));
    // A compaction that started during the read may have removed rows it needed.
    if (at < compacted_.load()) return internal::TooOld(at, compacted_.load());
    return r;
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const WatchOptions& options,
                                               EventSink sink) override {
    const int64_t after = options.after_revision;
    if (after != 0 && after < compacted_.load()) return internal::TooOld(after, compacted_.load());
    auto conn = AcquireReader();
    if (!conn.ok()) return std::move(conn).status();
    Conn& c = **conn;
    // Read the bulk of the backlog without blocking commits, then the tail under publish_mu_
    // so no committed event falls between the backlog and the live stream.
    std::vector<EventPtr> initial;
    const int64_t p0 = std::max(revision_.load(), after);
    Status st;
    if (options.send_initial_events) {
      ListOptions lo;
      lo.prefix = options.prefix;
      auto list = sqlite::ReadList(c, lo, p0);
      if (!list.ok()) st = list.status();
      for (auto& kv : list.ok() ? list->items : std::vector<KeyValue>{}) {
        auto e = std::make_shared<Event>();
        e->kv = std::move(kv);
        initial.push_back(std::move(e));
      }
      if (options.bookmark_after_initial_events) {
        auto b = std::make_shared<Event>();
        b->type = EventType::kBookmark;
        b->kv.mod_revision = p0;
        initial.push_back(std::move(b));
      }
    } else if (after != 0) {
      st = sqlite::ReadHistory(c, options.prefix, after, p0, &initial);
    }
    std::unique_ptr<WatchHandle> handle;
    if (st.ok()) {
      std::lock_guard<std::mutex> l(publish_mu_);
      const int64_t p = revision_.load();
      st = sqlite::ReadHistory(c, options.prefix, p0, p, &initial);
      if (st.ok()) handle = hub_.Add(options, std::move(sink), std::max(p, p0), std::move(initial));
    }
    ReleaseReader(std::move(*conn));
    if (!st.ok()) return st;
    if (after != 0 && after < compacted_.load()) return internal::TooOld(after, compacted_.load());
    return handle;
  }

  int64_t Revision() override { return revision_.load(); }
  int64_t CompactedRevision() override { return compacted_.load(); }

  Status Compact(int64_t revision) override {
    std::unique_lock<std::mutex> l(q_mu_);
    if (revision > revision_.load()) {
      return Status::BadRequest("compact revision " + std::to_string(revision) +
                                " is newer than the current revision " +
                                std::to_string(revision_.load()));
    }
    if (revision <= compact_done_) return Status::OK();
    StartCompactionLocked(revision);
    const uint64_t failures = compact_failures_;
    compact_backoff_ = false;  // an explicit request retries at once
    q_cv_.notify_one();
    done_cv_.wait(l, [&] {
      return compact_done_ >= revision || compact_failures_ != failures || stop_;
    });
    if (compact_done_ >= revision) return Status::OK();
    if (stop_) return Status::Internal("sqlite: store closed during compaction");
    return compact_error_;
  }

  int64_t Count(std::string_view prefix) override {
    auto conn = AcquireReader();
    if (!conn.ok()) return 0;
    auto r = sqlite::ReadCount(**conn, prefix);
    ReleaseReader(std::move(*conn));
    return r.ok() ? *r : 0;
  }

 private:
  StatusOr<int64_t> Submit(Op op, std::string_view key, int64_t expected, const ValueFn& fn) {
    WriteOp w{op, key, expected, &fn, std::nullopt};
    std::unique_lock<std::mutex> l(q_mu_);
    if (stop_) return Status::Internal("sqlite: store is closed");
    queue_.push_back(&w);
    q_cv_.notify_one();
    done_cv_.wait(l, [&] { return w.done; });
    return std::move(*w.result);
  }

  // REQUIRES: q_mu_ held.
  void StartCompactionLocked(int64_t revision) {
    compact_target_ = std::max(compact_target_, revision);
    compacted_.store(std::max(compacted_.load(), revision));
  }
  bool CompactionPendingLocked() const {
    return compact_done_ < compact_target_ && !compact_backoff_;
  }

  void Run();
  void RunBatch(std::vector<WriteOp*>& batch);
  void CompactSlice();
  void VacuumStep();
  void Maintenance();

  StatusOr<std::unique_ptr<Conn>> AcquireReader() {
    {
      std::lock_guard<std::mutex> l(readers_mu_);
      if (!readers_.empty()) {
        auto c = std::move(readers_.back());
        readers_.pop_back();
        return c;
      }
    }
    auto c = Conn::Open(options_.path, false, kReaderBusyMs);
    if (c.ok()) (void)(*c)->Exec("PRAGMA query_only=1");
    return c;
  }
  void ReleaseReader(std::unique_ptr<Conn> c) {
    std::lock_guard<std::mutex> l(readers_mu_);
    readers_.push_back(std::move(c));
  }

  const SqliteOptions options_;

  // Writer thread only.
  std::unique_ptr<Conn> writer_;
  std::unordered_map<std::string, KeyRevs> state_;  // live keys at last_revision_
  int64_t last_revision_;
  // Revision at the last ReleaseFreeMemory (writer thread only); -1 before the first tick.
  int64_t trimmed_at_ = -1;
  void ReleaseFreeMemory();
  int64_t compact_cursor_;
  bool vacuum_pending_ = false;

  std::mutex q_mu_;
  std::condition_variable q_cv_;     // wakes the writer
  std::condition_variable done_cv_;  // wakes callers
  bool stop_ = false;                // GUARDED_BY(q_mu_)
  std::deque<WriteOp*> queue_;       // GUARDED_BY(q_mu_)
  int64_t compact_target_;           // GUARDED_BY(q_mu_)
  int64_t compact_done_;             // GUARDED_BY(q_mu_)
  bool compact_backoff_ = false;     // GUARDED_BY(q_mu_): a slice failed; retry next tick
  uint64_t compact_failures_ = 0;    // GUARDED_BY(q_mu_)
  Status compact_error_;             // GUARDED_BY(q_mu_)

  std::atomic<int64_t> revision_;   // newest committed and published revision
  std::atomic<int64_t> compacted_;  // reads below it are kGone
  std::mutex publish_mu_;           // orders Publish() against Watch() registration

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Conn>> readers_;  // GUARDED_BY(readers_mu_): idle connections

  internal::WatchHub hub_;
  std::thread thread_;
};

void SqliteStore::Run() {
  using Clock = std::chrono::steady_clock;
  auto next_tick = Clock::now() + options_.maintenance_interval;
  // One second without writes after a burst: release the burst's freed memory then, not only
  // at the next tick.
  auto idle_trim = Clock::time_point::max();
  std::vector<WriteOp*> batch;
  for (;;) {
    bool compact = false;
    bool vacuum = false;
    {
      std::unique_lock<std::mutex> l(q_mu_);
      q_cv_.wait_until(l, std::min(next_tick, idle_trim), [&] {
        return stop_ || !queue_.empty() || CompactionPendingLocked() || vacuum_pending_;
      });
      if (stop_ && queue_.empty()) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      compact = CompactionPendingLocked();
      vacuum = vacuum_pending_;
    }
    if (!batch.empty()) {
      RunBatch(batch);
      batch.clear();
      idle_trim = Clock::now() + std::chrono::seconds(1);
    } else if (Clock::now() >= idle_trim) {
      ReleaseFreeMemory();
      idle_trim = Clock::time_point::max();
    }
    // At most one maintenance transaction between write batches keeps write latency flat.
    if (compact) {
      CompactSlice();
    } else if (vacuum) {
      VacuumStep();
    }
    if (Clock::now() >= next_tick) {
      Maintenance();
      next_tick = Clock::now() + options_.maintenance_interval;
    }
  }
}

void SqliteStore::RunBatch(std::vector<WriteOp*>& batch) {
  // Writes of this batch seen by later writes of the same batch; state_ changes only after
  // COMMIT succeeds. nullopt = deleted.
  std::unordered_map<std::string_view, std::optional<KeyRevs>> overlay;
  std::vector<EventPtr> events;
  std::vector<WriteOp*> accepted;
  int64_t rev = last_revision_;
  Status st = writer_->Exec("BEGIN IMMEDIATE");
  Stmt* insert = nullptr;
  if (st.ok()) {
    auto s = writer_->Prepare(
        "INSERT INTO kv (revision, key, value, create_revision, prev_revision, deleted) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (s.ok()) insert = *s; else st = s.status();
  }
  for (WriteOp* w : batch) {
    if (!st.ok()) break;
    std::optional<KeyRevs> cur;
    if (auto o = overlay.find(w->key); o != overlay.end()) {
      cur = o->second;
    } else if (auto it = state_.find(std::string(w->key)); it != state_.end()) {
      cur = it->second;
    }
    if (w->op == Op::kCreate && cur) {
      w->result = internal::KeyExists(w->key);
      continue;
    }
    if (w->op != Op::kCreate) {
      if (!cur) {
        w->result = internal::KeyNotFound(w->key);
        continue;
      }
      if (w->expected != 0 && w->expected != cur->mod) {
        w->result = internal::RevisionConflict(w->key, w->expected, cur->mod);
        continue;
      }
    }
    ++rev;
    std::string value = (*w->fn)(rev);
    const int64_t create = w->op == Op::kCreate ? rev : cur->create;
    insert->BindInt(1, rev);
    insert->BindBlob(2, w->key);
    insert->BindBlob(3, value);
    insert->BindInt(4, create);
    insert->BindInt(5, cur ? cur->mod : 0);
    insert->BindInt(6, w->op == Op::kDelete ? 1 : 0);
    st = insert->Run();
    insert->Reset();
    if (!st.ok()) break;
    // The bytes stay in the watch cache for the object's lifetime: drop the slack an encoder
    // leaves (a growing buffer can hold up to twice the object's size).
    if (value.capacity() > value.size() + 32) value.shrink_to_fit();
    auto e = std::make_shared<Event>();
    e->type = w->op == Op::kCreate   ? EventType::kAdded
              : w->op == Op::kUpdate ? EventType::kModified
                                     : EventType::kDeleted;
    e->kv = KeyValue{std::string(w->key), std::make_shared<const std::string>(std::move(value)),
                     create, rev, nullptr};
    events.push_back(std::move(e));
    overlay[w->key] = w->op == Op::kDelete ? std::nullopt : std::optional<KeyRevs>({create, rev});
    w->result = rev;
    accepted.push_back(w);
  }
  if (st.ok() && rev > last_revision_) {
    auto s = writer_->Prepare("UPDATE meta SET value = ?1 WHERE name = 'revision'");
    if (s.ok()) {
      (*s)->BindInt(1, rev);
      st = (*s)->Run();
      (*s)->Reset();
    } else {
      st = s.status();
    }
  }
  if (st.ok()) {
    auto started = std::chrono::steady_clock::now();
    st = writer_->Exec("COMMIT");
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics::Apiserver().storage_commit_duration_seconds->Observe(took.count());
  }
  if (!st.ok()) {
    // SQLite may already have rolled back (e.g. on SQLITE_FULL); state_ is untouched.
    if (writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
    Status failed = Status::Internal("write not committed: " + st.message());
    for (WriteOp* w : batch) {
      if (!w->result || w->result->ok()) w->result = failed;
    }
  } else if (!events.empty()) {
    for (auto& [key, revs] : overlay) {
      if (revs) {
        state_[std::string(key)] = *revs;
      } else {
        state_.erase(std::string(key));
      }
    }
    last_revision_ = rev;
    std::lock_guard<std::mutex> l(publish_mu_);
    revision_.store(rev);
    hub_.Publish(std::move(events));
  }
  {
    std::lock_guard<std::mutex> l(q_mu_);
    for (WriteOp* w : batch) w->done = true;
  }
  done_cv_.notify_all();
}

void SqliteStore::CompactSlice() {
  int64_t target;
  {
    std::lock_guard<std::mutex> l(q_mu_);
    target = compact_target_;
  }
  const int64_t lo = compact_cursor_;
  const int64_t hi = std::min(target, lo + options_.compact_slice_revisions);
  Status st = writer_->Exec("BEGIN IMMEDIATE");
  auto run = [&](const std::string& sql, std::initializer_list<int64_t> args) {
    if (!st.ok()) return;
    auto s = writer_->Prepare(sql);
    if (!s.ok()) {
      st = s.status();
      return;
    }
    int i = 1;
    for (int64_t a : args) (*s)->BindInt(i++, a);
    st = (*s)->Run();
    (*s)->Reset();
  };
  // Superseded rows first: tombstones in range still point at the rows they replaced.
  run("DELETE FROM kv WHERE revision IN (SELECT prev_revision FROM kv "
      "WHERE revision > ?1 AND revision <= ?2 AND prev_revision != 0)", {lo, hi});
  run("DELETE FROM kv WHERE revision > ?1 AND revision <= ?2 AND deleted = 1", {lo, hi});
  run("UPDATE meta SET value = ?1 WHERE name = 'compacted'", {target});
  run("UPDATE meta SET value = ?1 WHERE name = 'compact_cursor'", {hi});
  if (st.ok()) st = writer_->Exec("COMMIT");
  std::lock_guard<std::mutex> l(q_mu_);
  if (!st.ok()) {
    if (writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
    compact_error_ = Status::Internal("compaction not committed: " + st.message());
    ++compact_failures_;
    compact_backoff_ = true;
  } else {
    compact_cursor_ = hi;
    compact_done_ = hi;
    if (hi == compact_target_) vacuum_pending_ = true;
  }
  done_cv_.notify_all();
}

void SqliteStore::VacuumStep() {
  auto free_pages = writer_->QueryInt("PRAGMA freelist_count");
  bool more = false;
  if (free_pages.ok() && *free_pages > 0) {
    more = writer_->Exec("PRAGMA incremental_vacuum(" + std::to_string(kVacuumPagesPerStep) + ")")
               .ok() &&
           *free_pages > kVacuumPagesPerStep;
  }
  if (!more) (void)writer_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::lock_guard<std::mutex> l(q_mu_);
  vacuum_pending_ = more;
}

// glibc keeps freed heap memory (start-up lists, request buffers of a burst of writes) mapped
// unless asked; at the first tick after start, and after 1,000 or more writes at a tick or once
// writes pause for a second, hand it back so RSS follows the live data.
void SqliteStore::ReleaseFreeMemory() {
  const int64_t rev = revision_.load();
  if (trimmed_at_ >= 0 && rev - trimmed_at_ < 1000) return;
  trimmed_at_ = rev;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void SqliteStore::Maintenance() {
  ReleaseFreeMemory();
  std::lock_guard<std::mutex> l(q_mu_);
  compact_backoff_ = false;
  if (options_.retain_revisions > 0) {
    const int64_t target = revision_.load() - options_.retain_revisions;
    if (target > compact_target_) StartCompactionLocked(target);
  }
  // Without a pending compaction, still checkpoint so the WAL cannot keep growing.
  if (!CompactionPendingLocked() && !vacuum_pending_) vacuum_pending_ = true;
}

StatusOr<int64_t> ReadMeta(Conn& c, const char* name) {
  return c.QueryInt(std::string("SELECT value FROM meta WHERE name = '") + name + "'");
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  if (options.path.empty()) return Status::BadRequest("sqlite: empty database path");
  HARU_ASSIGN_OR_RETURN(auto conn, Conn::Open(options.path, true, kWriterBusyMs));
  // Opening an existing database must not write: on a full disk (or one that filled while the
  // last server ran) the store still opens and serves reads, and writes fail until space
  // returns. So the one-time setup below runs only for a new database.
  HARU_ASSIGN_OR_RETURN(
      int64_t initialized,
      conn->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
  if (initialized == 0) {
    // auto_vacuum only takes effect before the first table is created.
    HARU_RETURN_IF_ERROR(conn->Exec("PRAGMA auto_vacuum=INCREMENTAL"));
    HARU_ASSIGN_OR_RETURN(int64_t wal, conn->QueryInt("PRAGMA journal_mode=WAL"));
    (void)wal;
  }
  HARU_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=FULL"));
  HARU_RETURN_IF_ERROR(conn->Exec("PRAGMA journal_size_limit=" +
                                  std::to_string(options.wal_size_limit_bytes)));
  if (options.max_page_count > 0) {
    HARU_RETURN_IF_ERROR(
        conn->Exec("PRAGMA max_page_count=" + std::to_string(options.max_page_count)));
  }
  if (initialized == 0) {
    Status created = conn->Exec(kSchema);
    if (!created.ok()) {
      if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
      return created;
    }
  }
  HARU_ASSIGN_OR_RETURN(int64_t revision, ReadMeta(*conn, "revision"));
  HARU_ASSIGN_OR_RETURN(int64_t compacted, ReadMeta(*conn, "compacted"));
  HARU_ASSIGN_OR_RETURN(int64_t cursor, ReadMeta(*conn, "compact_cursor"));
  HARU_ASSIGN_OR_RETURN(int64_t max_row, conn->QueryInt("SELECT MAX(revision) FROM kv"));
  revision = std::max(revision, max_row);

  std::unordered_map<std::string, KeyRevs> state;
  {
    // SQLite fills bare columns from the row holding MAX(revision).
    HARU_ASSIGN_OR_RETURN(Stmt * s, conn->Prepare("SELECT key, MAX(revision), create_revision, "
                                                  "deleted FROM kv GROUP BY key"));
    for (;;) {
      HARU_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      if (s->Int(3) == 0) state.emplace(std::string(s->Blob(0)), KeyRevs{s->Int(2), s->Int(1)});
    }
    s->Reset();
  }
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(
      options, std::move(conn), std::move(state), revision, compacted, cursor));
}

}  // namespace haru::storage
