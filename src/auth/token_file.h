#pragma once
// Upstream's static token file (--token-auth-file): CSV lines
//   token,user,uid[,"group1,group2"]
// Blank lines are skipped. Immutable after loading, so lookups are thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "apiserver/http/request.h"
#include "common/status.h"

namespace haru::auth {

class TokenFile {
 public:
  // Parses file content; `source` names it in errors ("<source>:<line>: ...").
  static StatusOr<TokenFile> Parse(std::string_view content, std::string_view source);

  // The user for a bearer token, or nullopt. Groups are as written in the file.
  std::optional<http::UserInfo> Lookup(std::string_view token) const;
  size_t size() const { return users_.size(); }

 private:
  std::unordered_map<std::string, http::UserInfo> users_;
};

// Reads and parses the file; a bad line gives BadRequest naming path and line number.
StatusOr<TokenFile> LoadTokenFile(const std::string& path);

}  // namespace haru::auth
