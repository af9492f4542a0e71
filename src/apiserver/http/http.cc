#include <algorithm>
#include <cctype>

#include "apiserver/http/request.h"
#include "apiserver/http/response.h"

namespace haru::http {

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
bool EqualsLower(std::string_view lower, std::string_view s) {
  if (lower.size() != s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (lower[i] != std::tolower(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

void Headers::Add(std::string_view name, std::string_view value) {
  entries_.emplace_back(Lower(name), std::string(value));
}

void Headers::Set(std::string_view name, std::string_view value) {
  std::erase_if(entries_, [&](const auto& e) { return EqualsLower(e.first, name); });
  Add(name, value);
}

std::string_view Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (EqualsLower(k, name)) return v;
  }
  return {};
}

bool Headers::Has(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const auto& e) { return EqualsLower(e.first, name); });
}

std::vector<std::string_view> Headers::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : entries_) {
    if (EqualsLower(k, name)) out.push_back(v);
  }
  return out;
}

std::string_view Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string_view() : std::string_view(it->second);
}

bool Request::HasQuery(std::string_view name) const { return query.count(std::string(name)) > 0; }

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::multimap<std::string, std::string> ParseQuery(std::string_view raw) {
  std::multimap<std::string, std::string> out;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

size_t Response::BodySize() const {
  size_t n = 0;
  for (const auto& p : body) {
    n += std::holds_alternative<std::string>(p) ? std::get<std::string>(p).size()
                                                 : std::get<1>(p)->size();
  }
  return n;
}

std::string Response::BodyString() const {
  std::string out;
  out.reserve(BodySize());
  for (const auto& p : body) {
    out += std::holds_alternative<std::string>(p) ? std::get<std::string>(p) : *std::get<1>(p);
  }
  return out;
}

}  // namespace haru::http
