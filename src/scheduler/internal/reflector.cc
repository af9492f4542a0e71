#include "scheduler/internal/reflector.h"

#include <cstdio>

namespace haru::scheduler::internal {

Reflector::Reflector(client::Client* client, client::Resource resource, OnReplace on_replace, OnEvent on_event)
    : client_(client), resource_(std::move(resource)), on_replace_(std::move(on_replace)), on_event_(std::move(on_event)) {}

Reflector::~Reflector() { Stop(); }

void Reflector::Start() { thread_ = std::thread([this] { Run(); }); }

void Reflector::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool Reflector::WaitFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopped_; });
  return !stopped_;
}

void Reflector::Run() {
  std::chrono::milliseconds retry(200);
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      watch_ended_ = false;
    }
    auto list = client_->List(resource_, "", {});
    if (!list.ok()) {
      if (list.status().code() == StatusCode::kNotFound) {
        std::vector<Json> none;
        on_replace_(none);
        synced_ = true;
        if (!WaitFor(std::chrono::seconds(5))) return;
        continue;
      }
      std::fprintf(stderr, "scheduler: list %s: %s\n", resource_.plural.c_str(), list.status().message().c_str());
      if (!WaitFor(retry)) return;
      retry = std::min(retry * 2, std::chrono::milliseconds(5000));
      continue;
    }
    on_replace_(list->items);
    synced_ = true;
    client::ListOptions opts;
    opts.resource_version = list->resource_version;
    opts.shared_objects_only = true;  // parsed once for every in-process watcher of the event
    auto watch = client_->Watch(
        resource_, "", opts,
        [this](const client::WatchEvent& ev) {
          if (ev.type != client::WatchEventType::kBookmark) on_event_(ev.type, ev.Object());
          return true;
        },
        [this](const Status&) {
          std::lock_guard lock(mu_);
          watch_ended_ = true;
          cv_.notify_all();
        });
    if (!watch.ok()) {
      if (!WaitFor(retry)) return;
      retry = std::min(retry * 2, std::chrono::milliseconds(5000));
      continue;
    }
    retry = std::chrono::milliseconds(200);
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopped_ || watch_ended_; });
      if (stopped_) {
        lock.unlock();
        (*watch)->Stop();
        return;
      }
    }
    (*watch)->Stop();
    if (!WaitFor(std::chrono::milliseconds(100))) return;
  }
}

}  // namespace haru::scheduler::internal
