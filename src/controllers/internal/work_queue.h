#pragma once
// WorkQueue: the keys ("ns/name") a controller must look at, like upstream's rate-limited work
// queue but driven by the controller's own pass: watch changes Add() keys, a pass Take()s the
// ones due and handles each once, and a key whose handling failed comes back after a delay
// that doubles per failure (1 s .. 32 s). Not thread-safe: one pass owns it.

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace haru::controllers {

class WorkQueue {
 public:
  void Add(const std::string& key) { dirty_.insert(key); }
  // Looks at `key` again at `unix_seconds` (the earliest request wins).
  void AddAt(const std::string& key, int64_t unix_seconds) {
    auto [it, inserted] = later_.emplace(key, unix_seconds);
    if (!inserted) it->second = std::min(it->second, unix_seconds);
  }
  // Handling `key` failed: it comes back after the next delay of its backoff.
  void Retry(const std::string& key, int64_t now) {
    int64_t& failures = failures_[key];
    AddAt(key, now + (int64_t{1} << std::min<int64_t>(failures, 5)));
    ++failures;
  }
  // Handling `key` succeeded: its backoff starts over.
  void Done(const std::string& key) {
    if (!failures_.empty()) failures_.erase(key);
  }
  // Keys waiting on a backoff are looked at in the next pass (something they may wait for
  // changed).
  void RetryFailedNow() {
    for (const auto& [key, failures] : failures_) dirty_.insert(key);
  }
  // The keys to handle now, each once, in key order.
  std::vector<std::string> Take(int64_t now) {
    for (auto it = later_.begin(); it != later_.end();) {
      if (it->second > now) {
        ++it;
        continue;
      }
      dirty_.insert(it->first);
      it = later_.erase(it);
    }
    std::vector<std::string> out(dirty_.begin(), dirty_.end());
    dirty_.clear();
    return out;
  }
  // When the next delayed key is due; INT64_MAX when none waits.
  int64_t NextWake() const {
    int64_t next = INT64_MAX;
    for (const auto& [key, at] : later_) next = std::min(next, at);
    return next;
  }
  bool empty() const { return dirty_.empty() && later_.empty(); }

 private:
  std::set<std::string> dirty_;
  std::map<std::string, int64_t> later_;
  std::map<std::string, int64_t> failures_;
};

}  // namespace haru::controllers
