#include "storage/watch_cache/watch_cache.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/testing/event_recorder.h"
#include "storage/testing/fault_store.h"
#include "storage/testing/temp_dir.h"

namespace haru::storage {
namespace {

ValueFn Val(std::string v) {
  return [v](int64_t) { return v; };
}

std::unique_ptr<Store> MustCache(std::unique_ptr<Store> backend, Indexer indexer = nullptr,
                                 WatchCacheOptions o = {}) {
  auto c = NewWatchCache(std::move(backend), std::move(indexer), o);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

std::unique_ptr<Store> MustSqlite(const std::string& path) {
  auto s = OpenSqliteStore(SqliteOptions{.path = path});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(WatchCacheTest, IndexIsComputedOnceAndShared) {
  std::atomic<int> calls{0};
  Indexer indexer = [&](std::string_view, const std::string& value) {
    ++calls;
    return std::shared_ptr<const void>(std::make_shared<size_t>(value.size()));
  };
  auto backend = NewMemoryStore();
  ASSERT_TRUE(backend->Create("/pre", Val("12")).ok());
  auto cache = MustCache(std::move(backend), indexer);
  EXPECT_EQ(calls.load(), 1);  // the listed item; its replayed event reuses the index
  EventRecorder a, b;
  auto wa = cache->Watch(WatchOptions{}, a.Sink());
  auto wb = cache->Watch(WatchOptions{}, b.Sink());
  ASSERT_TRUE(cache->Create("/x", Val("abc")).ok());
  EXPECT_EQ(calls.load(), 2);
  auto kv = cache->Get("/x");
  ASSERT_TRUE(kv.ok());
  ASSERT_NE(kv->index, nullptr);
  EXPECT_EQ(*static_cast<const size_t*>(kv->index.get()), 3u);
  auto list = cache->List(ListOptions{});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items[1].index, kv->index);
  ASSERT_TRUE(a.WaitFor(1));
  ASSERT_TRUE(b.WaitFor(1));
  // One Event, shared by every watcher, carrying the same index.
  EXPECT_EQ(a.events()[0].get(), b.events()[0].get());
  EXPECT_EQ(a.events()[0]->kv.index, kv->index);
  EXPECT_EQ(calls.load(), 2);
}

TEST(WatchCacheTest, ReadsItsOwnWrites) {
  TempDir dir;
  auto cache = MustCache(MustSqlite(dir.File("db")));
  for (int i = 0; i < 50; ++i) {
    std::string key = "/ryw/" + std::to_string(i);
    auto r = cache->Create(key, Val("v"));
    ASSERT_TRUE(r.ok());
    auto kv = cache->Get(key);
    ASSERT_TRUE(kv.ok()) << key;
    EXPECT_EQ(kv->mod_revision, *r);
    EXPECT_EQ(cache->Revision(), *r);
    auto d = cache->Delete(key, *r, Val("gone"));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(cache->Get(key).status().Is(StatusCode::kNotFound));
  }
}

TEST(WatchCacheTest, ResumeOlderThanWindowIsGone) {
  auto cache = MustCache(NewMemoryStore(), nullptr, WatchCacheOptions{.event_window = 5});
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(cache->Create("/g/" + std::to_string(i), Val("v")).ok());
  auto w = cache->Watch(WatchOptions{.after_revision = 3}, [](auto&) { return true; });
  ASSERT_TRUE(w.status().Is(StatusCode::kGone));
  EXPECT_EQ(w.status().message(), "too old resource version: 3 (15)");
  EventRecorder rec;
  auto ok = cache->Watch(WatchOptions{.after_revision = 15}, rec.Sink());
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(rec.WaitFor(5));
  EXPECT_EQ(rec.events()[0]->kv.mod_revision, 16);
}

// A revision the cache never reached (a data dir restored from an older copy) must not start a
// watch that silently skips everything up to it.
TEST(WatchCacheTest, ResumeNewerThanTheStoreIsRefused) {
  TempDir dir;
  int64_t newest = 0;
  {
    auto cache = MustCache(MustSqlite(dir.File("db")));
    for (int i = 0; i < 5; ++i) {
      auto r = cache->Create("/n/" + std::to_string(i), Val("v"));
      ASSERT_TRUE(r.ok());
      newest = *r;
    }
  }
  auto cache = MustCache(MustSqlite(dir.File("db")));
  auto w = cache->Watch(WatchOptions{.after_revision = newest + 3}, [](auto&) { return true; });
  ASSERT_TRUE(w.status().Is(StatusCode::kTimeout)) << w.status().ToString();
  EXPECT_NE(w.status().message().find("Too large resource version"), std::string::npos);
  EXPECT_TRUE(cache->Watch(WatchOptions{.after_revision = newest}, [](auto&) { return true; }).ok());
}

TEST(WatchCacheTest, ClientsResumeAcrossRestartFromPrefilledWindow) {
  TempDir dir;
  int64_t resume_from = 0;
  {
    auto cache = MustCache(MustSqlite(dir.File("db")));
    for (int i = 0; i < 10; ++i) {
      auto r = cache->Create("/rs/" + std::to_string(i), Val("v"));
      ASSERT_TRUE(r.ok());
      if (i == 6) resume_from = *r;
    }
  }
  auto cache = MustCache(MustSqlite(dir.File("db")));
  EventRecorder rec;
  auto w = cache->Watch(WatchOptions{.prefix = "/rs/", .after_revision = resume_from}, rec.Sink());
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(rec.WaitFor(3));
  auto ev = rec.events();
  EXPECT_EQ(ev[0]->kv.key, "/rs/7");
  EXPECT_EQ(ev[2]->kv.key, "/rs/9");
}

TEST(WatchCacheTest, PeriodicBookmarksOnlyForWatchersThatAsk) {
  auto cache = MustCache(NewMemoryStore(), nullptr,
                         WatchCacheOptions{.bookmark_interval = std::chrono::milliseconds(10)});
  ASSERT_TRUE(cache->Create("/b/1", Val("v")).ok());
  EventRecorder with, without;
  auto w1 = cache->Watch(WatchOptions{.prefix = "/b/", .periodic_bookmarks = true}, with.Sink());
  auto w2 = cache->Watch(WatchOptions{.prefix = "/b/"}, without.Sink());
  ASSERT_TRUE(with.WaitFor(2));
  for (auto& e : with.events()) {
    EXPECT_EQ(e->type, EventType::kBookmark);
    EXPECT_EQ(e->kv.mod_revision, cache->Revision());
  }
  EXPECT_EQ(without.size(), 0u);
}

TEST(WatchCacheTest, ThousandWatchersDoNotBlockWriters) {
  auto cache = MustCache(NewMemoryStore());
  constexpr int kWatchers = 1000;
  constexpr int kEvents = 1000;
  std::vector<std::atomic<int>> counts(kWatchers);
  std::vector<std::unique_ptr<WatchHandle>> handles;
  for (int i = 0; i < kWatchers; ++i) {
    auto w = cache->Watch(WatchOptions{.prefix = "/m/"}, [&counts, i](auto&) {
      counts[i].fetch_add(1, std::memory_order_relaxed);
      return true;
    });
    ASSERT_TRUE(w.ok());
    handles.push_back(std::move(*w));
  }
  EventRecorder last;
  auto wl = cache->Watch(WatchOptions{.prefix = "/m/"}, last.Sink());
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(cache->Create("/m/" + std::to_string(i), Val("v")).ok());
  double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(last.WaitFor(kEvents));
  double all_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int i = 0; i < kWatchers; ++i) ASSERT_EQ(counts[i].load(), kEvents) << i;
  std::printf("fan-out: %d events to %d watchers; writes done in %.3f s, all delivered in %.3f s "
              "(%.0f deliveries/s)\n",
              kEvents, kWatchers, write_s, all_s, kEvents * double(kWatchers) / all_s);
}

TEST(WatchCacheTest, BackendFailuresPassThrough) {
  auto fault = std::make_unique<FaultStore>(NewMemoryStore());
  FaultStore* f = fault.get();
  auto cache = MustCache(std::move(fault));
  f->FailWrites(Status::Internal("disk full"), 1);
  auto r = cache->Create("/f", Val("v"));
  ASSERT_TRUE(r.status().Is(StatusCode::kInternalError));
  EXPECT_EQ(r.status().message(), "disk full");
  EXPECT_TRUE(cache->Get("/f").status().Is(StatusCode::kNotFound));
  ASSERT_TRUE(cache->Create("/f", Val("v")).ok());  // the fault was for one write
  EXPECT_TRUE(cache->Get("/f").ok());
}

TEST(FaultStoreTest, FailsChosenOperationsThenRecovers) {
  FaultStore f(NewMemoryStore());
  bool called = false;
  f.FailWrites(Status::Conflict("injected"));
  EXPECT_TRUE(f.Create("/a", [&](int64_t) {
                 called = true;
                 return std::string("v");
               }).status().Is(StatusCode::kConflict));
  EXPECT_FALSE(called);
  EXPECT_TRUE(f.Create("/a", Val("v")).status().Is(StatusCode::kConflict));
  f.Clear();
  ASSERT_TRUE(f.Create("/a", Val("v")).ok());
  f.FailReads(Status::ServiceUnavailable("down"), 2);
  EXPECT_TRUE(f.Get("/a").status().Is(StatusCode::kServiceUnavailable));
  EXPECT_TRUE(f.List(ListOptions{}).status().Is(StatusCode::kServiceUnavailable));
  EXPECT_TRUE(f.Get("/a").ok());
  EXPECT_EQ(f.write_calls(), 3);
  EXPECT_EQ(f.read_calls(), 3);
}

}  // namespace
}  // namespace haru::storage
