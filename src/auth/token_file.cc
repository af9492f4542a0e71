#include "auth/token_file.h"

#include <fstream>
#include <sstream>

namespace haru::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// One CSV record (RFC 4180 quoting, "" inside quotes is a quote). False on a stray quote.
bool SplitCsvLine(std::string_view line, std::vector<std::string>* fields, std::string* error) {
  fields->clear();
  size_t i = 0;
  while (true) {
    std::string field;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (!closed) {
        *error = "unterminated quoted field";
        return false;
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        *error = "unexpected text after a quoted field";
        return false;
      }
    } else {
      size_t end = line.find(',', i);
      std::string_view raw = line.substr(i, end == std::string_view::npos ? line.size() - i : end - i);
      if (raw.find('"') != std::string_view::npos) {
        *error = "bare quote in an unquoted field";
        return false;
      }
      field = std::string(Trim(raw));
      i = end == std::string_view::npos ? line.size() : end;
    }
    fields->push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

}  // namespace

StatusOr<TokenFile> TokenFile::Parse(std::string_view content, std::string_view source) {
  TokenFile out;
  std::vector<std::string> fields;
  std::string error;
  size_t line_no = 0;
  while (!content.empty()) {
    size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    auto fail = [&](const std::string& why) {
      return Status::BadRequest("token file " + std::string(source) + ":" +
                                std::to_string(line_no) + ": " + why);
    };
    if (!SplitCsvLine(line, &fields, &error)) return fail(error);
    if (fields.size() < 3) {
      return fail("must have at least 3 columns (token, user name, user uid), found " +
                  std::to_string(fields.size()));
    }
    if (fields[0].empty()) return fail("empty token");
    if (fields[1].empty()) return fail("empty user name");
    http::UserInfo user;
    user.name = fields[1];
    user.uid = fields[2];
    if (fields.size() >= 4) {
      std::string_view groups = fields[3];
      while (!groups.empty()) {
        size_t comma = groups.find(',');
        std::string_view g = Trim(groups.substr(0, comma));
        if (!g.empty()) user.groups.emplace_back(g);
        groups = comma == std::string_view::npos ? std::string_view() : groups.substr(comma + 1);
      }
    }
    // A repeated token: the later line wins (upstream warns and overwrites).
    out.users_[fields[0]] = std::move(user);
  }
  return out;
}

std::optional<http::UserInfo> TokenFile::Lookup(std::string_view token) const {
  auto it = users_.find(std::string(token));
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

StatusOr<TokenFile> LoadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRequest("cannot read token file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return TokenFile::Parse(ss.str(), path);
}

}  // namespace haru::auth
