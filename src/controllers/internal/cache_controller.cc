#include "controllers/internal/cache_controller.h"

namespace haru::controllers {

CacheController::CacheController(client::Client* client, NowFn now)
    : client_(client), now_(now ? std::move(now) : NowFn(&SystemNow)) {}

CacheController::~CacheController() { Stop(); }

ObjectCache* CacheController::AddCache(const client::Resource& resource) {
  caches_.push_back(std::make_unique<ObjectCache>(client_, resource));
  return caches_.back().get();
}

void CacheController::Start(std::chrono::milliseconds period, std::chrono::seconds resync) {
  resync_ = resync;
  loop_ = std::make_unique<ReconcileLoop>(period, [this] { MaybeSync(); });
  for (auto& cache : caches_) {
    ReconcileLoop* loop = loop_.get();
    cache->Start([loop] { loop->Poke(); });
  }
}

void CacheController::Stop() {
  // The loop first: a pass may still read the caches.
  if (loop_) loop_->Stop();
  for (auto& cache : caches_) cache->Stop();
}

Status CacheController::RefreshCaches() {
  for (auto& cache : caches_) {
    Status s = cache->Refresh();
    if (!s.ok()) return s;
  }
  return Status::OK();
}

void CacheController::WakeAt(int64_t unix_seconds) {
  int64_t current = wake_at_.load();
  while (unix_seconds < current && !wake_at_.compare_exchange_weak(current, unix_seconds)) {
  }
}

void CacheController::MaybeSync() {
  uint64_t generation = 0;
  for (auto& cache : caches_) generation += cache->generation();
  int64_t now = Now();
  // The slow full pass comes every `resync` even while changes keep passes busy.
  bool full = now - last_full_sync_ >= resync_.count();
  bool due = now >= wake_at_.load() || full;
  if (generation == synced_generation_ && !due) return;
  if (full) {
    full_resync_.store(true);
    last_full_sync_ = now;
  }
  synced_generation_ = generation;
  wake_at_.store(INT64_MAX);
  Sync();
  // Writes made by the pass bump the generations (Apply); the next run confirms they settled.
}

}  // namespace haru::controllers
