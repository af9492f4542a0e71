// Kubernetes URL library: url(string), isURL(string), getScheme, getHost, getHostname,
// getPort, getEscapedPath, getQuery. Parsing follows Go's url.ParseRequestURI, which
// upstream uses: an absolute URI ("https://host:port/path?q") or an absolute path ("/p").

#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cel/common/containers.h"
#include "cel/library/k8s.h"
#include "cel/library/k8s_value.h"

namespace haru::cel {
namespace {

using K = ValueKind;

struct Url {
  std::string scheme, host, raw_path, path, query;  // host includes the port
  bool operator==(const Url& o) const {
    return scheme == o.scheme && host == o.host && raw_path == o.raw_path && query == o.query;
  }
};

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for query components. False on a bad escape.
bool Unescape(std::string_view s, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || Hex(s[i + 1]) < 0 || Hex(s[i + 2]) < 0) return false;
      out->push_back(static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2])));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out->push_back(' ');
    } else {
      out->push_back(s[i]);
    }
  }
  return true;
}

bool Unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~';
}

// Go's EscapedPath: the path as written when that is a valid encoding, else re-escaped.
std::string EscapedPath(const Url& u) {
  bool valid = true;
  for (char c : u.raw_path) {
    if (!Unreserved(c) && std::string_view("!$&'()*+,;=:@[]/%").find(c) == std::string_view::npos) valid = false;
  }
  if (valid) return u.raw_path;
  std::string out;
  for (unsigned char c : u.path) {
    if (Unreserved(static_cast<char>(c)) || std::string_view("$&+,/:;=@").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

bool ParseUrl(std::string_view s, Url* u, std::string* error) {
  *error = "parse \"" + std::string(s) + "\": invalid URI for request";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      *error = "parse \"" + std::string(s) + "\": net/url: invalid control character in URL";
      return false;
    }
  }
  size_t q = s.find('?');
  if (q != std::string_view::npos) {
    u->query = std::string(s.substr(q + 1));
    s = s.substr(0, q);
  }
  if (s.empty()) return false;
  if (s[0] != '/') {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s.substr(0, colon)) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    u->scheme = std::string(s.substr(0, colon));
    s = s.substr(colon + 1);
    if (s.empty() || s[0] != '/') return false;  // opaque forms are not request URIs here
  }
  if (s.substr(0, 2) == "//") {
    s = s.substr(2);
    size_t slash = s.find('/');
    std::string_view authority = s.substr(0, slash);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority = authority.substr(at + 1);
    u->host = std::string(authority);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  u->raw_path = std::string(s);
  if (!Unescape(s, false, &u->path)) return false;
  return true;
}

using UrlValue = LibraryValue<Url, kUrlType>;
const Url& U(const Value& v) { return UrlValue::Of(v); }

Value FromString(const Value* a, EvalContext&) {
  Url u;
  std::string error;
  if (!ParseUrl(a[0].string_value(), &u, &error)) return Value::Error("URL " + error);
  return UrlValue::Make(u, std::string(a[0].string_value()));
}
Value IsUrl(const Value* a, EvalContext&) {
  Url u;
  std::string error;
  return Value::Bool(ParseUrl(a[0].string_value(), &u, &error));
}
Value Scheme(const Value* a, EvalContext&) { return Value::String(U(a[0]).scheme); }
Value Host(const Value* a, EvalContext&) { return Value::String(U(a[0]).host); }

// Hostname and port split the host at the last ':' outside IPv6 brackets.
void SplitHost(const std::string& host, std::string_view* name, std::string_view* port) {
  std::string_view h = host;
  *port = {};
  if (!h.empty() && h[0] == '[') {
    size_t close = h.find(']');
    if (close != std::string_view::npos) {
      *name = h.substr(1, close - 1);
      if (close + 1 < h.size() && h[close + 1] == ':') *port = h.substr(close + 2);
      return;
    }
  }
  size_t colon = h.rfind(':');
  *name = colon == std::string_view::npos ? h : h.substr(0, colon);
  if (colon != std::string_view::npos) *port = h.substr(colon + 1);
}

Value Hostname(const Value* a, EvalContext&) {
  std::string_view name, port;
  SplitHost(U(a[0]).host, &name, &port);
  return Value::String(name);
}
Value Port(const Value* a, EvalContext&) {
  std::string_view name, port;
  SplitHost(U(a[0]).host, &name, &port);
  return Value::String(port);
}
Value GetEscapedPath(const Value* a, EvalContext&) { return Value::String(EscapedPath(U(a[0]))); }

// Go's url.ParseQuery: '&'-separated key=value pairs, values per key in order.
Value Query(const Value* a, EvalContext&) {
  std::map<std::string, std::vector<Value>> values;
  std::vector<std::string> order;
  std::string_view q = U(a[0]).query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!Unescape(pair.substr(0, eq), true, &key)) continue;
    if (eq != std::string_view::npos && !Unescape(pair.substr(eq + 1), true, &value)) continue;
    if (!values.count(key)) order.push_back(key);
    values[key].push_back(Value::String(value));
  }
  auto* m = new ValueMap();
  Value out = Value::Map(m);
  for (const std::string& k : order) {
    m->Insert(Value::String(k), Value::List(new ValueList(std::move(values[k]))));
  }
  return out;
}

}  // namespace

bool IsRequestUri(std::string_view s) {
  Url u;
  std::string error;
  return ParseUrl(s, &u, &error);
}

void RegisterK8sUrl(FunctionRegistry& r) {
  const std::string url = kUrlType;
  r.AddTyped("url", "string_to_url", false, {K::kString}, {}, FromString, /*foldable=*/true);
  r.AddTyped("isURL", "is_url_string", false, {K::kString}, {}, IsUrl, true);
  r.AddTyped("getScheme", "url_get_scheme", true, {K::kOpaque}, {url}, Scheme);
  r.AddTyped("getHost", "url_get_host", true, {K::kOpaque}, {url}, Host);
  r.AddTyped("getHostname", "url_get_hostname", true, {K::kOpaque}, {url}, Hostname);
  r.AddTyped("getPort", "url_get_port", true, {K::kOpaque}, {url}, Port);
  r.AddTyped("getEscapedPath", "url_get_escaped_path", true, {K::kOpaque}, {url}, GetEscapedPath);
  r.AddTyped("getQuery", "url_get_query", true, {K::kOpaque}, {url}, Query);
}

}  // namespace haru::cel
