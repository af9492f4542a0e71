#pragma once
// Health endpoints in upstream's format: /healthz, /livez, /readyz with ?verbose and
// ?exclude=<name>, and /livez/<name>, /readyz/<name> for one check. "ping" is always present.
// Add checks at start-up; Serve is thread-safe (checks may run concurrently).

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "apiserver/http/response.h"
#include "common/status.h"

namespace haru::server {

class HealthChecks {
 public:
  using Check = std::function<Status()>;

  HealthChecks();

  // A check for /healthz, /livez and /readyz.
  void Add(std::string name, Check check);
  // A check for /livez only / /readyz only (e.g. "informer-sync", "shutdown").
  void AddLivez(std::string name, Check check);
  void AddReadyz(std::string name, Check check);

  // True for /healthz, /livez, /readyz and their /<name> subpaths.
  static bool IsHealthPath(std::string_view path);

  // 200 "ok" (or the verbose listing), 500 with the listing and "<x> check failed" when a
  // check fails, 404 for an unknown path or check name.
  http::Response Serve(std::string_view path,
                       const std::multimap<std::string, std::string>& query) const;

 private:
  struct Named {
    std::string name;
    Check check;
  };
  std::vector<Named> ChecksFor(std::string_view endpoint) const;

  mutable std::mutex mu_;
  std::vector<Named> common_;  // ping first
  std::vector<Named> livez_;
  std::vector<Named> readyz_;
};

}  // namespace haru::server
