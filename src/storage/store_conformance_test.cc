// One behavioural suite for every Store: memory, sqlite, and the watch cache over both.
#include <algorithm>
#include <functional>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/testing/event_recorder.h"
#include "storage/testing/temp_dir.h"
#include "storage/watch_cache/watch_cache.h"

namespace haru::storage {
namespace {

struct Backend {
  std::string name;
  bool is_cache;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

std::unique_ptr<Store> OpenSqlite(const std::string& dir) {
  SqliteOptions o;
  o.path = dir + "/db.sqlite";
  auto s = OpenSqliteStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

std::unique_ptr<Store> Cached(std::unique_ptr<Store> backend) {
  auto s = NewWatchCache(std::move(backend), nullptr);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

ValueFn Val(std::string v) {
  return [v](int64_t) { return v; };
}

void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }
  int64_t MustCreate(const std::string& key, const std::string& value) {
    auto r = store_->Create(key, Val(value));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : 0;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, CreateThenGetAndDuplicate) {
  int64_t seen = 0;
  auto rev = store_->Create("/a", [&](int64_t r) {
    seen = r;
    return "v@" + std::to_string(r);
  });
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(*rev, seen);
  EXPECT_EQ(store_->Revision(), *rev);
  auto kv = store_->Get("/a");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(*kv->value, "v@" + std::to_string(*rev));
  EXPECT_EQ(kv->create_revision, *rev);
  EXPECT_EQ(kv->mod_revision, *rev);
  EXPECT_TRUE(store_->Create("/a", Val("x")).status().Is(StatusCode::kAlreadyExists));
  EXPECT_TRUE(store_->Get("/missing").status().Is(StatusCode::kNotFound));
  EXPECT_EQ(store_->Count("/"), 1);
}

TEST_P(StoreTest, UpdateIsCompareAndSwap) {
  int64_t r1 = MustCreate("/k", "1");
  EXPECT_TRUE(store_->Update("/k", r1 + 100, Val("x")).status().Is(StatusCode::kConflict));
  auto r2 = store_->Update("/k", r1, Val("2"));
  ASSERT_TRUE(r2.ok());
  EXPECT_GT(*r2, r1);
  EXPECT_TRUE(store_->Update("/k", r1, Val("stale")).status().Is(StatusCode::kConflict));
  auto r3 = store_->Update("/k", 0, Val("3"));  // unconditional
  ASSERT_TRUE(r3.ok());
  auto kv = store_->Get("/k");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(*kv->value, "3");
  EXPECT_EQ(kv->create_revision, r1);
  EXPECT_EQ(kv->mod_revision, *r3);
  EXPECT_TRUE(store_->Update("/nope", 0, Val("x")).status().Is(StatusCode::kNotFound));
}

TEST_P(StoreTest, DeleteCarriesFinalValueInEvent) {
  int64_t r1 = MustCreate("/d/x", "live");
  EventRecorder rec;
  auto w = store_->Watch(WatchOptions{.prefix = "/d/"}, rec.Sink());
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(store_->Delete("/d/x", r1 + 7, Val("f")).status().Is(StatusCode::kConflict));
  auto rd = store_->Delete("/d/x", r1, Val("final"));
  ASSERT_TRUE(rd.ok());
  ASSERT_TRUE(rec.WaitFor(1));
  auto e = rec.events()[0];
  EXPECT_EQ(e->type, EventType::kDeleted);
  EXPECT_EQ(*e->kv.value, "final");
  EXPECT_EQ(e->kv.mod_revision, *rd);
  EXPECT_EQ(e->kv.create_revision, r1);
  EXPECT_TRUE(store_->Get("/d/x").status().Is(StatusCode::kNotFound));
  EXPECT_TRUE(store_->Delete("/d/x", 0, Val("")).status().Is(StatusCode::kNotFound));
  // The key can be created again, as a new lifetime.
  int64_t r3 = MustCreate("/d/x", "again");
  EXPECT_EQ(store_->Get("/d/x")->create_revision, r3);
}

TEST_P(StoreTest, ListPaginatesWithStartAfterAndLimit) {
  for (int i = 0; i < 10; ++i) MustCreate("/p/" + std::to_string(i), std::to_string(i));
  MustCreate("/q/0", "other");
  MustCreate("/o", "other");
  auto first = store_->List(ListOptions{.prefix = "/p/", .limit = 3});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_TRUE(first->more);
  EXPECT_EQ(first->remaining, 7);
  std::vector<std::string> keys;
  ListOptions o{.prefix = "/p/", .limit = 4};
  for (;;) {
    auto page = store_->List(o);
    ASSERT_TRUE(page.ok());
    for (auto& kv : page->items) keys.push_back(kv.key);
    if (!page->more) break;
    o.start_after = page->items.back().key;
    o.revision = page->revision;  // later pages read the same snapshot
  }
  ASSERT_EQ(keys.size(), 10u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(keys.front(), "/p/0");
  EXPECT_EQ(store_->Count("/p/"), 10);
  auto all = store_->List(ListOptions{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 12u);
  EXPECT_FALSE(all->more);
  EXPECT_EQ(all->revision, store_->Revision());
}

TEST_P(StoreTest, ListAtOldRevision) {
  int64_t ra = MustCreate("/r/a", "a1");
  MustCreate("/r/b", "b1");
  const int64_t snap = store_->Revision();
  ASSERT_TRUE(store_->Update("/r/a", ra, Val("a2")).ok());
  ASSERT_TRUE(store_->Delete("/r/b", 0, Val("b-final")).ok());
  MustCreate("/r/c", "c1");
  auto old = store_->List(ListOptions{.prefix = "/r/", .revision = snap});
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  ASSERT_EQ(old->items.size(), 2u);
  EXPECT_EQ(old->revision, snap);
  EXPECT_EQ(*old->items[0].value, "a1");
  EXPECT_EQ(old->items[1].key, "/r/b");
  auto now = store_->List(ListOptions{.prefix = "/r/"});
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->items.size(), 2u);
  EXPECT_EQ(*now->items[0].value, "a2");
  EXPECT_EQ(now->items[1].key, "/r/c");
}

TEST_P(StoreTest, CompactionMakesOldRevisionsGone) {
  int64_t r = MustCreate("/c/a", "1");
  for (int i = 0; i < 5; ++i) r = *store_->Update("/c/a", r, Val(std::to_string(i)));
  MustCreate("/c/b", "b");
  ASSERT_TRUE(store_->Delete("/c/b", 0, Val("")).ok());
  const int64_t at = store_->Revision();
  MustCreate("/c/z", "after");
  ASSERT_TRUE(store_->Compact(at).ok());
  EXPECT_EQ(store_->CompactedRevision(), at);
  EXPECT_TRUE(store_->List(ListOptions{.revision = at - 1}).status().Is(StatusCode::kGone));
  auto kept = store_->List(ListOptions{.prefix = "/c/", .revision = at});
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  ASSERT_EQ(kept->items.size(), 1u);
  EXPECT_EQ(*kept->items[0].value, "4");
  EXPECT_EQ(store_->Count("/c/"), 2);
  if (!GetParam().is_cache) {  // the cache serves watches from its own window
    EXPECT_TRUE(store_->Watch(WatchOptions{.after_revision = at - 2}, [](auto&) { return true; })
                    .status()
                    .Is(StatusCode::kGone));
  }
  // Watching from the compacted revision still replays what came after it.
  EventRecorder rec;
  auto w = store_->Watch(WatchOptions{.prefix = "/c/", .after_revision = at}, rec.Sink());
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_EQ(rec.events()[0]->kv.key, "/c/z");
}

TEST_P(StoreTest, WatchDeliversInOrderAndResumes) {
  EventRecorder live;
  auto w = store_->Watch(WatchOptions{.prefix = "/w/"}, live.Sink());
  ASSERT_TRUE(w.ok());
  std::vector<int64_t> revs;
  int64_t r = MustCreate("/w/k", "0");
  revs.push_back(r);
  for (int i = 1; i < 20; ++i) {
    MustCreate("/x/noise" + std::to_string(i), "n");
    r = *store_->Update("/w/k", r, Val(std::to_string(i)));
    revs.push_back(r);
  }
  ASSERT_TRUE(live.WaitFor(20));
  auto events = live.events();
  ASSERT_EQ(events.size(), 20u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]->kv.mod_revision, revs[i]);
    EXPECT_EQ(*events[i]->kv.value, std::to_string(i));
    EXPECT_EQ(events[i]->type, i == 0 ? EventType::kAdded : EventType::kModified);
  }
  // The sqlite backend's live events carry no prev_value (the cache supplies it).
  if (GetParam().name != "sqlite") {
    ASSERT_NE(events[5]->prev_value, nullptr);
    EXPECT_EQ(*events[5]->prev_value, "4");
  }
  // Resume after the 10th event: exactly the last 10, in order.
  EventRecorder resumed;
  auto w2 = store_->Watch(WatchOptions{.prefix = "/w/", .after_revision = revs[9]},
                          resumed.Sink());
  ASSERT_TRUE(w2.ok());
  ASSERT_TRUE(resumed.WaitFor(10));
  MustCreate("/w/last", "x");
  ASSERT_TRUE(resumed.WaitFor(11));
  auto got = resumed.events();
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(got[i]->kv.mod_revision, revs[10 + i]);
  EXPECT_EQ(got[10]->kv.key, "/w/last");
}

TEST_P(StoreTest, InitialEventsThenBookmark) {
  for (int i = 0; i < 3; ++i) MustCreate("/i/" + std::to_string(i), "v");
  MustCreate("/j/0", "other");
  const int64_t at = store_->Revision();
  EventRecorder rec;
  auto w = store_->Watch(WatchOptions{.prefix = "/i/",
                                      .send_initial_events = true,
                                      .bookmark_after_initial_events = true},
                         rec.Sink());
  ASSERT_TRUE(w.ok());
  MustCreate("/i/3", "later");
  ASSERT_TRUE(rec.WaitFor(5));
  auto ev = rec.events();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ev[i]->type, EventType::kAdded);
    EXPECT_EQ(ev[i]->kv.key, "/i/" + std::to_string(i));
  }
  EXPECT_EQ(ev[3]->type, EventType::kBookmark);
  EXPECT_EQ(ev[3]->kv.mod_revision, at);
  EXPECT_EQ(ev[4]->kv.key, "/i/3");
  EXPECT_EQ(rec.size(), 5u);
}

TEST_P(StoreTest, SinkReturningFalseStopsTheWatch) {
  MustCreate("/s/0", "seed");  // so after_revision below is never 0 ("now")
  std::atomic<int> calls{0};
  auto w = store_->Watch(WatchOptions{}, [&](auto&) {
    ++calls;
    return false;
  });
  ASSERT_TRUE(w.ok());
  MustCreate("/s/1", "a");
  MustCreate("/s/2", "b");
  EventRecorder after;  // a later watcher proves both events were dispatched
  auto w2 = store_->Watch(WatchOptions{.after_revision = store_->Revision() - 2}, after.Sink());
  ASSERT_TRUE(after.WaitFor(2));
  MustCreate("/s/3", "c");
  ASSERT_TRUE(after.WaitFor(3));
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(StoreTest, ConcurrentWritersGetUniqueIncreasingRevisions) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  EventRecorder rec;
  auto w = store_->Watch(WatchOptions{.prefix = "/cc/"}, rec.Sink());
  ASSERT_TRUE(w.ok());
  std::vector<std::vector<int64_t>> revs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string key = "/cc/" + std::to_string(t);
      auto r = store_->Create(key, Val("0"));
      if (r.ok()) revs[t].push_back(*r);
      for (int i = 1; i < kWrites && r.ok(); ++i) {
        r = store_->Update(key, *r, Val(std::to_string(i)));
        if (r.ok()) revs[t].push_back(*r);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  for (auto& v : revs) {
    ASSERT_EQ(v.size(), static_cast<size_t>(kWrites));
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kWrites));
  EXPECT_EQ(store_->Revision(), *all.rbegin());
  ASSERT_TRUE(rec.WaitFor(kThreads * kWrites));
  auto ev = rec.events();
  for (size_t i = 1; i < ev.size(); ++i) {
    EXPECT_LT(ev[i - 1]->kv.mod_revision, ev[i]->kv.mod_revision);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllBackends, StoreTest,
    ::testing::Values(
        Backend{"memory", false, [](const std::string&) { return NewMemoryStore(); }},
        Backend{"sqlite", false, OpenSqlite},
        Backend{"cache_memory", true,
                [](const std::string&) { return Cached(NewMemoryStore()); }},
        Backend{"cache_sqlite", true,
                [](const std::string& d) { return Cached(OpenSqlite(d)); }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace haru::storage
