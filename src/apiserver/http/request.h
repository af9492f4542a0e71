#pragma once
// haru's own HTTP request and response types. Handlers, filters and the registry see only
// these; Beast stays inside apiserver/server (see STYLE.md "Build times").

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haru::http {

// Case-insensitive header lookup; names are stored lower-cased.
class Headers {
 public:
  void Add(std::string_view name, std::string_view value);
  void Set(std::string_view name, std::string_view value);
  // First value of the header, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  std::vector<std::string_view> GetAll(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // (lower-case name, value)
};

// The authenticated user (upstream's user.Info).
struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded path, no query
  std::string raw_query;
  std::multimap<std::string, std::string> query;  // decoded
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:54321"

  // Filled by the authentication filter.
  std::optional<UserInfo> user;
  // TLS client certificate subject, filled by the server before filters run.
  std::optional<std::string> client_cert_common_name;
  std::vector<std::string> client_cert_organizations;

  // First value of a query parameter, or "" when absent.
  std::string_view Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// Parses "a=1&b=x%20y" into a multimap (percent and '+' decoding).
std::multimap<std::string, std::string> ParseQuery(std::string_view raw);
std::string PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace haru::http
