#include "registry/object_meta.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace haru::registry {

namespace {
std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   (uint64_t(std::random_device{}()) << 32));
  return rng;
}

// A token no user data can contain by accident; the store's revision replaces it.
const std::string& RevisionToken() {
  static const std::string token = [] {
    char buf[40];
    std::snprintf(buf, sizeof buf, "haru-rv-%016llx",
                  static_cast<unsigned long long>(std::random_device{}() * 0x9E3779B97F4A7C15ull ^
                                                  std::random_device{}()));
    return std::string(buf);
  }();
  return token;
}
}  // namespace

std::string NewUid() {
  uint64_t a = Rng()(), b = Rng()();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32),
                unsigned((a >> 16) & 0xFFFF), unsigned(a & 0xFFFF), unsigned(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

std::string RfcTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NowRfc3339() {
  return RfcTime(std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
}

std::string RandomNameSuffix() {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (int i = 0; i < 5; ++i) out.push_back(kAlphabet[Rng()() % (sizeof kAlphabet - 1)]);
  return out;
}

storage::ValueFn EncodeWithRevision(Json obj) {
  obj["metadata"]["resourceVersion"] = RevisionToken();
  std::string text = ToJson(obj);
  size_t at = text.find(RevisionToken());
  std::string prefix = text.substr(0, at);
  std::string suffix = text.substr(at + RevisionToken().size());
  return [prefix = std::move(prefix), suffix = std::move(suffix)](int64_t revision) {
    std::string rv = std::to_string(revision);
    std::string out;
    out.reserve(prefix.size() + rv.size() + suffix.size());
    out += prefix;
    out += rv;
    out += suffix;
    return out;
  };
}

std::string EncodeWithoutRevision(Json obj) {
  if (obj.contains("metadata") && obj["metadata"].is_object()) {
    obj["metadata"].erase("resourceVersion");
  }
  return ToJson(obj);
}

}  // namespace haru::registry
