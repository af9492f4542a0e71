#include "storage/sqlite/sqlite_store.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "storage/testing/event_recorder.h"
#include "storage/testing/temp_dir.h"

namespace haru::storage {
namespace {

ValueFn Val(std::string v) {
  return [v](int64_t) { return v; };
}

std::unique_ptr<Store> Open(SqliteOptions o) {
  auto s = OpenSqliteStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

TEST(SqliteStoreTest, ReopenRecoversStateRevisionAndHistory) {
  TempDir dir;
  SqliteOptions o{.path = dir.File("db")};
  int64_t last = 0;
  int64_t ra = 0;
  {
    auto s = Open(o);
    ASSERT_NE(s, nullptr);
    ra = *s->Create("/a", Val("a1"));
    ASSERT_TRUE(s->Create("/b", Val("b1")).ok());
    ra = *s->Update("/a", ra, Val("a2"));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(s->Create("/h/" + std::to_string(i), Val("h")).ok());
    // The newest row is a tombstone that compaction removes: the counter must not go back.
    last = *s->Delete("/b", 0, Val("b-final"));
    ASSERT_TRUE(s->Compact(last).ok());
  }
  auto s = Open(o);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->Revision(), last);
  EXPECT_EQ(s->CompactedRevision(), last);
  EXPECT_EQ(*s->Get("/a")->value, "a2");
  EXPECT_EQ(s->Get("/a")->mod_revision, ra);
  EXPECT_TRUE(s->Get("/b").status().Is(StatusCode::kNotFound));
  EXPECT_EQ(s->Count("/"), 6);
  // CAS state came back too.
  EXPECT_TRUE(s->Create("/a", Val("x")).status().Is(StatusCode::kAlreadyExists));
  EXPECT_TRUE(s->Update("/a", ra + 1, Val("x")).status().Is(StatusCode::kConflict));
  auto next = s->Create("/b", Val("b2"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, last + 1);
  // History after the compacted revision replays from the table.
  EventRecorder rec;
  auto w = s->Watch(WatchOptions{.after_revision = last}, rec.Sink());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_EQ(rec.events()[0]->kv.key, "/b");
  EXPECT_EQ(rec.events()[0]->type, EventType::kAdded);
}

TEST(SqliteStoreTest, FailedCommitFailsTheWriteAndKeepsState) {
  TempDir dir;
  SqliteOptions o{.path = dir.File("db"), .max_page_count = 48};
  const std::string big(3000, 'x');
  int64_t last_ok = 0;
  std::string failed_key;
  Status failure;
  {
    auto s = Open(o);
    ASSERT_NE(s, nullptr);
    for (int i = 0; i < 1000; ++i) {
      std::string key = "/full/" + std::to_string(i);
      auto r = s->Create(key, Val(big));
      if (!r.ok()) {
        failed_key = key;
        failure = r.status();
        break;
      }
      last_ok = *r;
    }
    ASSERT_FALSE(failed_key.empty()) << "the page cap never filled";
    EXPECT_TRUE(failure.Is(StatusCode::kInternalError)) << failure.ToString();
    EXPECT_NE(failure.message().find("full"), std::string::npos) << failure.ToString();
    // Nothing of the failed batch is visible, and the writer's map did not record it.
    EXPECT_EQ(s->Revision(), last_ok);
    EXPECT_TRUE(s->Get(failed_key).status().Is(StatusCode::kNotFound));
    EXPECT_TRUE(s->Create(failed_key, Val(big)).status().Is(StatusCode::kInternalError));
    // Reads keep working.
    EXPECT_TRUE(s->Get("/full/0").ok());
    auto list = s->List(ListOptions{.prefix = "/full/"});
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(static_cast<int64_t>(list->items.size()), s->Count("/full/"));
  }
  o.max_page_count = 0;
  auto s = Open(o);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->Revision(), last_ok);
  EXPECT_TRUE(s->Get(failed_key).status().Is(StatusCode::kNotFound));
  auto r = s->Create(failed_key, Val(big));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, last_ok + 1);
}

// Churn a few keys, compact, and check that neither the database nor the WAL keeps growing.
TEST(SqliteStoreTest, CompactionKeepsFilesBoundedUnderChurn) {
  TempDir dir;
  SqliteOptions o{.path = dir.File("db"),
                  .retain_revisions = 200,
                  .maintenance_interval = std::chrono::milliseconds(200),
                  .wal_size_limit_bytes = 1 << 20};
  auto s = Open(o);
  ASSERT_NE(s, nullptr);
  const std::string value(1024, 'v');
  constexpr int kKeys = 8;
  constexpr int kRounds = 4;
  constexpr int kUpdatesPerRound = 100;  // per key
  int64_t db_after_first = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> threads;
    for (int k = 0; k < kKeys; ++k) {
      threads.emplace_back([&, k] {
        std::string key = "/churn/" + std::to_string(k);
        for (int i = 0; i < kUpdatesPerRound; ++i) {
          auto r = s->Update(key, 0, Val(value));
          if (r.status().Is(StatusCode::kNotFound)) r = s->Create(key, Val(value));
          ASSERT_TRUE(r.ok()) << r.status().ToString();
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_TRUE(s->Compact(s->Revision()).ok());
    if (round == 0) db_after_first = FileSize(o.path);
  }
  const auto churned = std::chrono::steady_clock::now();
  // Space reclaim (incremental vacuum, WAL truncation) runs on the writer after Compact
  // returns; wait for it, bounded.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline &&
         (FileSize(o.path) > (256 << 10) || FileSize(o.path + "-wal") > (1 << 20))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int64_t db = FileSize(o.path);
  std::printf("churn: reclaim took %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - churned).count());
  const int64_t wal = FileSize(o.path + "-wal");
  std::printf("churn: %d writes, db %lld bytes (after round 1: %lld), wal %lld bytes\n",
              kKeys * kUpdatesPerRound * kRounds, static_cast<long long>(db),
              static_cast<long long>(db_after_first), static_cast<long long>(wal));
  EXPECT_LE(db, 256 << 10);  // ~8 live values, not 3,200 versions (~3 MB)
  EXPECT_LE(wal, 1 << 20);
  EXPECT_EQ(s->Count("/churn/"), kKeys);
  auto list = s->List(ListOptions{.prefix = "/churn/"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items.size(), static_cast<size_t>(kKeys));
}

TEST(SqliteStoreTest, AutomaticCompactionKeepsRetainedRevisions) {
  TempDir dir;
  SqliteOptions o{.path = dir.File("db"),
                  .retain_revisions = 10,
                  .maintenance_interval = std::chrono::milliseconds(20)};
  auto s = Open(o);
  ASSERT_NE(s, nullptr);
  int64_t r = *s->Create("/k", Val("0"));
  for (int i = 0; i < 40; ++i) r = *s->Update("/k", r, Val(std::to_string(i)));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (s->CompactedRevision() < r - 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(s->CompactedRevision(), r - 10);
  EXPECT_TRUE(s->List(ListOptions{.revision = r - 11}).status().Is(StatusCode::kGone));
  EXPECT_TRUE(s->List(ListOptions{.revision = r - 5}).ok());
}

// Figure for the report (no assertion on speed): 64 writers, 1 KiB creates.
TEST(SqliteStoreTest, GroupCommitThroughput) {
  TempDir dir;
  auto s = Open(SqliteOptions{.path = dir.File("db"), .retain_revisions = 0});
  ASSERT_NE(s, nullptr);
  constexpr int kThreads = 64;
  constexpr int kPerThread = 200;
  const std::string value(1024, 'x');
  std::atomic<int> failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!s->Create("/bench/" + std::to_string(t) + "/" + std::to_string(i), Val(value)).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(s->Revision(), kThreads * kPerThread);
  std::printf("group commit: %d creates of 1 KiB by %d threads in %.2f s = %.0f writes/s\n",
              kThreads * kPerThread, kThreads, secs, kThreads * kPerThread / secs);
}

}  // namespace
}  // namespace haru::storage
