#include "apiserver/server/health.h"

#include <set>

namespace haru::server {
namespace {

http::Response TextResponse(int status, std::string body) {
  http::Response resp;
  resp.status = status;
  resp.headers.Set("Content-Type", "text/plain; charset=utf-8");
  resp.headers.Set("X-Content-Type-Options", "nosniff");
  resp.SetBody(std::move(body));
  return resp;
}

Status RunCheck(const std::function<Status()>& check) {
  try {
    return check();
  } catch (...) {
    return Status::Internal("check threw an exception");
  }
}

}  // namespace

HealthChecks::HealthChecks() {
  common_.push_back({"ping", [] { return Status::OK(); }});
}

void HealthChecks::Add(std::string name, Check check) {
  std::lock_guard lock(mu_);
  common_.push_back({std::move(name), std::move(check)});
}

void HealthChecks::AddLivez(std::string name, Check check) {
  std::lock_guard lock(mu_);
  livez_.push_back({std::move(name), std::move(check)});
}

void HealthChecks::AddReadyz(std::string name, Check check) {
  std::lock_guard lock(mu_);
  readyz_.push_back({std::move(name), std::move(check)});
}

bool HealthChecks::IsHealthPath(std::string_view path) {
  for (std::string_view base : {"/healthz", "/livez", "/readyz"}) {
    if (path.substr(0, base.size()) == base &&
        (path.size() == base.size() || path[base.size()] == '/')) {
      return true;
    }
  }
  return false;
}

std::vector<HealthChecks::Named> HealthChecks::ChecksFor(std::string_view endpoint) const {
  std::lock_guard lock(mu_);
  std::vector<Named> out = common_;
  if (endpoint == "livez") out.insert(out.end(), livez_.begin(), livez_.end());
  if (endpoint == "readyz") out.insert(out.end(), readyz_.begin(), readyz_.end());
  return out;
}

http::Response HealthChecks::Serve(std::string_view path,
                                   const std::multimap<std::string, std::string>& query) const {
  if (!IsHealthPath(path)) return TextResponse(404, "404 page not found\n");
  std::string_view rest = path.substr(1);
  size_t slash = rest.find('/');
  std::string_view endpoint = rest.substr(0, slash);
  std::string_view sub = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  std::vector<Named> checks = ChecksFor(endpoint);

  if (!sub.empty()) {  // one check: /readyz/<name>
    for (const auto& c : checks) {
      if (c.name != sub) continue;
      Status s = RunCheck(c.check);
      if (!s.ok()) return TextResponse(500, "internal server error: " + s.message() + "\n");
      return TextResponse(200, "ok");
    }
    return TextResponse(404, "404 page not found\n");
  }

  std::set<std::string> excluded;
  for (auto [it, end] = query.equal_range("exclude"); it != end; ++it) excluded.insert(it->second);
  std::string listing;
  bool failed = false;
  for (const auto& c : checks) {
    if (excluded.erase(c.name) > 0) {
      listing += "[+]" + c.name + " excluded: ok\n";
      continue;
    }
    if (RunCheck(c.check).ok()) {
      listing += "[+]" + c.name + " ok\n";
    } else {
      listing += "[-]" + c.name + " failed: reason withheld\n";
      failed = true;
    }
  }
  if (!excluded.empty()) {
    listing += "warn: some health checks cannot be excluded: no matches for ";
    bool first = true;
    for (const auto& name : excluded) {
      if (!first) listing += ",";
      listing += "\"" + name + "\"";
      first = false;
    }
    listing += "\n";
  }
  if (failed) return TextResponse(500, listing + std::string(endpoint) + " check failed\n");
  if (query.find("verbose") == query.end()) return TextResponse(200, "ok");
  return TextResponse(200, listing + std::string(endpoint) + " check passed\n");
}

}  // namespace haru::server
