// Kubernetes IP and CIDR libraries: ip(string), isIP, ip.isCanonical, family, isUnspecified,
// isLoopback, isLinkLocalMulticast, isLinkLocalUnicast, isGlobalUnicast, string(ip);
// cidr(string), isCIDR, containsIP, containsCIDR, prefixLength, masked, ip(), string(cidr).
// Parsing follows Go's net/netip, which upstream uses: no leading zeros in IPv4 parts, no
// zones, and (a Kubernetes rule) no IPv4-mapped IPv6 addresses.

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "cel/library/k8s.h"
#include "cel/library/k8s_value.h"

namespace haru::cel {
namespace {

using K = ValueKind;

struct Ip {
  int family = 4;                   // 4 or 6
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
  bool operator==(const Ip&) const = default;
  int size() const { return family == 4 ? 4 : 16; }
};

struct Cidr {
  Ip ip;
  int prefix = 0;
  bool operator==(const Cidr&) const = default;
};

std::optional<Ip> ParseIpv4(std::string_view s) {
  Ip ip;
  int part = 0;
  size_t i = 0;
  while (true) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
    size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (v > 255) return std::nullopt;
      ++i;
    }
    if (i - start > 1 && s[start] == '0') return std::nullopt;  // leading zero
    ip.bytes[part++] = static_cast<uint8_t>(v);
    if (part == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return ip;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Ip> ParseIpv6(std::string_view s) {
  Ip ip;
  ip.family = 6;
  int groups = 0, ellipsis = -1;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    ellipsis = 0;
    i = 2;
    if (i == s.size()) return ip;
  }
  while (i < s.size()) {
    // An embedded IPv4 address ends the text.
    size_t end = s.find_first_of(":", i);
    std::string_view tok = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (tok.find('.') != std::string_view::npos) {
      if (end != std::string_view::npos || groups > 6) return std::nullopt;
      auto v4 = ParseIpv4(tok);
      if (!v4) return std::nullopt;
      std::memcpy(&ip.bytes[groups * 2], v4->bytes.data(), 4);
      groups += 2;
      i = s.size();
      break;
    }
    if (tok.empty() || tok.size() > 4 || groups == 8) return std::nullopt;
    int v = 0;
    for (char c : tok) {
      int d = HexDigit(c);
      if (d < 0) return std::nullopt;
      v = v * 16 + d;
    }
    ip.bytes[groups * 2] = static_cast<uint8_t>(v >> 8);
    ip.bytes[groups * 2 + 1] = static_cast<uint8_t>(v);
    ++groups;
    i += tok.size();
    if (i == s.size()) break;
    ++i;  // ':'
    if (i < s.size() && s[i] == ':') {
      if (ellipsis >= 0) return std::nullopt;
      ellipsis = groups;
      ++i;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  if (ellipsis < 0) {
    if (groups != 8) return std::nullopt;
    return ip;
  }
  if (groups == 8) return std::nullopt;
  // Move the groups after the ellipsis to the end.
  int tail = groups - ellipsis, shift = 8 - groups;
  for (int g = tail - 1; g >= 0; --g) {
    int from = (ellipsis + g) * 2, to = (ellipsis + g + shift) * 2;
    ip.bytes[to] = ip.bytes[from];
    ip.bytes[to + 1] = ip.bytes[from + 1];
  }
  for (int g = ellipsis; g < ellipsis + shift; ++g) ip.bytes[g * 2] = ip.bytes[g * 2 + 1] = 0;
  return ip;
}

bool Is4In6(const Ip& ip) {
  if (ip.family != 6) return false;
  for (int i = 0; i < 10; ++i) {
    if (ip.bytes[i]) return false;
  }
  return ip.bytes[10] == 0xff && ip.bytes[11] == 0xff;
}

// The address, or an error message in upstream's words.
std::optional<Ip> ParseIp(std::string_view s, std::string* error) {
  if (s.find('%') != std::string_view::npos) {
    *error = "IP address with zone value is not allowed";
    return std::nullopt;
  }
  std::optional<Ip> ip = s.find(':') != std::string_view::npos ? ParseIpv6(s) : ParseIpv4(s);
  if (!ip) {
    *error = "IP Address \"" + std::string(s) + "\" parse error during conversion from string";
    return std::nullopt;
  }
  if (Is4In6(*ip)) {
    *error = "IPv4-mapped IPv6 address \"" + std::string(s) + "\" is not allowed";
    return std::nullopt;
  }
  return ip;
}

std::string FormatIp(const Ip& ip) {
  char buf[64];
  if (ip.family == 4) {
    std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", ip.bytes[0], ip.bytes[1], ip.bytes[2], ip.bytes[3]);
    return buf;
  }
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(ip.bytes[i * 2] << 8 | ip.bytes[i * 2 + 1]);
  // RFC 5952: compress the longest run (at least two) of zero groups, the first on a tie.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ":";
    std::snprintf(buf, sizeof(buf), "%x", g[i]);
    out += buf;
  }
  return out;
}

std::optional<Cidr> ParseCidr(std::string_view s, std::string* error) {
  size_t slash = s.find('/');
  std::string_view bits = slash == std::string_view::npos ? "" : s.substr(slash + 1);
  std::optional<Ip> ip;
  if (slash != std::string_view::npos) ip = ParseIp(s.substr(0, slash), error);
  int prefix = 0;
  bool ok = ip.has_value() && !bits.empty() && bits.size() <= 3 && !(bits.size() > 1 && bits[0] == '0');
  for (char c : bits) {
    ok = ok && c >= '0' && c <= '9';
    if (!ok) break;  // a long run of digits must not overflow `prefix` (found by cel_fuzz)
    prefix = prefix * 10 + (c - '0');
  }
  if (!ok || prefix > ip->size() * 8) {
    *error = "network address parse error during conversion from string: netip.ParsePrefix(\"" +
             std::string(s) + "\"): invalid prefix";
    return std::nullopt;
  }
  return Cidr{*ip, prefix};
}

std::string FormatCidr(const Cidr& c) { return FormatIp(c.ip) + "/" + std::to_string(c.prefix); }

Ip Masked(const Ip& ip, int prefix) {
  Ip out = ip;
  for (int i = 0; i < ip.size(); ++i) {
    int keep = std::min(8, std::max(0, prefix - i * 8));
    out.bytes[i] &= static_cast<uint8_t>(keep == 0 ? 0 : 0xFF << (8 - keep));
  }
  return out;
}

bool Contains(const Cidr& c, const Ip& ip) {
  return ip.family == c.ip.family && Masked(ip, c.prefix) == Masked(c.ip, c.prefix);
}

using IpValue = LibraryValue<Ip, kIpType>;
using CidrValue = LibraryValue<Cidr, kCidrType>;

Value MakeIp(const Ip& ip) { return IpValue::Make(ip, FormatIp(ip)); }
Value MakeCidr(const Cidr& c) { return CidrValue::Make(c, FormatCidr(c)); }
const Ip& IpOf(const Value& v) { return IpValue::Of(v); }
const Cidr& CidrOf(const Value& v) { return CidrValue::Of(v); }

Value IpFromString(const Value* a, EvalContext&) {
  std::string error;
  auto ip = ParseIp(a[0].string_value(), &error);
  return ip ? MakeIp(*ip) : Value::Error(error);
}
Value IsIp(const Value* a, EvalContext&) {
  std::string error;
  return Value::Bool(ParseIp(a[0].string_value(), &error).has_value());
}
Value IsCanonical(const Value* a, EvalContext&) {
  std::string error;
  auto ip = ParseIp(a[0].string_value(), &error);
  if (!ip) return Value::Error(error);
  return Value::Bool(FormatIp(*ip) == a[0].string_value());
}
Value IpToString(const Value* a, EvalContext&) { return Value::String(IpValue::TextOf(a[0])); }
Value Family(const Value* a, EvalContext&) { return Value::Int(IpOf(a[0]).family); }

Value IsUnspecified(const Value* a, EvalContext&) {
  const Ip& ip = IpOf(a[0]);
  for (int i = 0; i < ip.size(); ++i) {
    if (ip.bytes[i]) return Value::Bool(false);
  }
  return Value::Bool(true);
}

bool Loopback(const Ip& ip) {
  if (ip.family == 4) return ip.bytes[0] == 127;
  for (int i = 0; i < 15; ++i) {
    if (ip.bytes[i]) return false;
  }
  return ip.bytes[15] == 1;
}
bool LinkLocalMulticast(const Ip& ip) {
  if (ip.family == 4) return ip.bytes[0] == 224 && ip.bytes[1] == 0 && ip.bytes[2] == 0;
  return ip.bytes[0] == 0xff && (ip.bytes[1] & 0x0f) == 0x02;
}
bool LinkLocalUnicast(const Ip& ip) {
  if (ip.family == 4) return ip.bytes[0] == 169 && ip.bytes[1] == 254;
  return ip.bytes[0] == 0xfe && (ip.bytes[1] & 0xc0) == 0x80;
}
bool Multicast(const Ip& ip) { return ip.family == 4 ? (ip.bytes[0] & 0xf0) == 0xe0 : ip.bytes[0] == 0xff; }

Value IsLoopback(const Value* a, EvalContext&) { return Value::Bool(Loopback(IpOf(a[0]))); }
Value IsLinkLocalMulticast(const Value* a, EvalContext&) { return Value::Bool(LinkLocalMulticast(IpOf(a[0]))); }
Value IsLinkLocalUnicast(const Value* a, EvalContext&) { return Value::Bool(LinkLocalUnicast(IpOf(a[0]))); }

// Go's netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local unicast
// or the IPv4 broadcast address. Private ranges count as global unicast.
Value IsGlobalUnicast(const Value* a, EvalContext& ctx) {
  const Ip& ip = IpOf(a[0]);
  if (IsUnspecified(a, ctx).bool_value() || Loopback(ip) || Multicast(ip) || LinkLocalUnicast(ip)) {
    return Value::Bool(false);
  }
  if (ip.family == 4 && ip.bytes[0] == 255 && ip.bytes[1] == 255 && ip.bytes[2] == 255 && ip.bytes[3] == 255) {
    return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value CidrFromString(const Value* a, EvalContext&) {
  std::string error;
  auto c = ParseCidr(a[0].string_value(), &error);
  return c ? MakeCidr(*c) : Value::Error(error);
}
Value IsCidr(const Value* a, EvalContext&) {
  std::string error;
  return Value::Bool(ParseCidr(a[0].string_value(), &error).has_value());
}
Value CidrToString(const Value* a, EvalContext&) { return Value::String(CidrValue::TextOf(a[0])); }
Value ContainsIp(const Value* a, EvalContext&) { return Value::Bool(Contains(CidrOf(a[0]), IpOf(a[1]))); }
Value ContainsIpString(const Value* a, EvalContext&) {
  std::string error;
  auto ip = ParseIp(a[1].string_value(), &error);
  if (!ip) return Value::Error(error);
  return Value::Bool(Contains(CidrOf(a[0]), *ip));
}
bool ContainsCidr(const Cidr& outer, const Cidr& inner) {
  return inner.prefix >= outer.prefix && Contains(outer, inner.ip);
}
Value ContainsCidrValue(const Value* a, EvalContext&) { return Value::Bool(ContainsCidr(CidrOf(a[0]), CidrOf(a[1]))); }
Value ContainsCidrString(const Value* a, EvalContext&) {
  std::string error;
  auto c = ParseCidr(a[1].string_value(), &error);
  if (!c) return Value::Error(error);
  return Value::Bool(ContainsCidr(CidrOf(a[0]), *c));
}
Value PrefixLength(const Value* a, EvalContext&) { return Value::Int(CidrOf(a[0]).prefix); }
Value CidrIp(const Value* a, EvalContext&) { return MakeIp(CidrOf(a[0]).ip); }
Value CidrMasked(const Value* a, EvalContext&) {
  const Cidr& c = CidrOf(a[0]);
  return MakeCidr(Cidr{Masked(c.ip, c.prefix), c.prefix});
}

}  // namespace

void RegisterK8sIp(FunctionRegistry& r) {
  const std::string ip = kIpType, cidr = kCidrType;
  r.AddTyped("ip", "string_to_ip", false, {K::kString}, {}, IpFromString, /*foldable=*/true);
  r.AddTyped("isIP", "is_ip", false, {K::kString}, {}, IsIp, true);
  r.AddTyped("ip.isCanonical", "ip_is_canonical", false, {K::kString}, {}, IsCanonical, true);
  r.AddTyped("string", "ip_to_string", false, {K::kOpaque}, {ip}, IpToString);
  r.AddTyped("family", "ip_family", true, {K::kOpaque}, {ip}, Family);
  r.AddTyped("isUnspecified", "ip_is_unspecified", true, {K::kOpaque}, {ip}, IsUnspecified);
  r.AddTyped("isLoopback", "ip_is_loopback", true, {K::kOpaque}, {ip}, IsLoopback);
  r.AddTyped("isLinkLocalMulticast", "ip_is_link_local_multicast", true, {K::kOpaque}, {ip}, IsLinkLocalMulticast);
  r.AddTyped("isLinkLocalUnicast", "ip_is_link_local_unicast", true, {K::kOpaque}, {ip}, IsLinkLocalUnicast);
  r.AddTyped("isGlobalUnicast", "ip_is_global_unicast", true, {K::kOpaque}, {ip}, IsGlobalUnicast);
  r.AddTyped("cidr", "string_to_cidr", false, {K::kString}, {}, CidrFromString, true);
  r.AddTyped("isCIDR", "is_cidr", false, {K::kString}, {}, IsCidr, true);
  r.AddTyped("string", "cidr_to_string", false, {K::kOpaque}, {cidr}, CidrToString);
  r.AddTyped("containsIP", "cidr_contains_ip_ip", true, {K::kOpaque, K::kOpaque}, {cidr, ip}, ContainsIp);
  r.AddTyped("containsIP", "cidr_contains_ip_string", true, {K::kOpaque, K::kString}, {cidr, ""}, ContainsIpString);
  r.AddTyped("containsCIDR", "cidr_contains_cidr", true, {K::kOpaque, K::kOpaque}, {cidr, cidr}, ContainsCidrValue);
  r.AddTyped("containsCIDR", "cidr_contains_cidr_string", true, {K::kOpaque, K::kString}, {cidr, ""}, ContainsCidrString);
  r.AddTyped("prefixLength", "cidr_prefix_length", true, {K::kOpaque}, {cidr}, PrefixLength);
  r.AddTyped("ip", "cidr_ip", true, {K::kOpaque}, {cidr}, CidrIp);
  r.AddTyped("masked", "cidr_masked", true, {K::kOpaque}, {cidr}, CidrMasked);
}

}  // namespace haru::cel
