#pragma once
// List-then-watch of one resource, kept running until Stop(): lists, hands the whole list to
// `on_replace`, watches from the list's resourceVersion, and starts over (after a short wait)
// whenever the watch ends (410 Gone, connection lost). A resource the server does not serve
// (404 on list) counts as an empty list and is retried every few seconds. Private to the
// scheduler. Callbacks run on the reflector's own thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"

namespace haru::scheduler::internal {

class Reflector {
 public:
  using OnReplace = std::function<void(std::vector<Json>& items)>;
  using OnEvent = std::function<void(client::WatchEventType type, const Json& object)>;

  Reflector(client::Client* client, client::Resource resource, OnReplace on_replace, OnEvent on_event);
  ~Reflector();
  void Start();
  void Stop();
  // True once the first list was delivered (or found to be unserved).
  bool synced() const { return synced_.load(); }
  const client::Resource& resource() const { return resource_; }

 private:
  void Run();
  bool WaitFor(std::chrono::milliseconds d);

  client::Client* client_;
  client::Resource resource_;
  OnReplace on_replace_;
  OnEvent on_event_;
  std::atomic<bool> synced_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
  bool watch_ended_ = false;
  std::thread thread_;
};

}  // namespace haru::scheduler::internal
