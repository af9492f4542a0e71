// `"pattern".format([args])` from the strings extension: clauses %s %d %f %e %x %X %o %b
// and %%, with an optional precision (%.3f). The renderings follow cel-go's: %s prints
// strings bare, lists as [a, b], maps as {k: v} sorted by key text, durations as "7200s".

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cel/common/format.h"
#include "cel/common/time.h"
#include "cel/interpreter/eval_context.h"
#include "cel/library/extensions.h"

namespace haru::cel {
namespace {

using K = ValueKind;

// Non-finite doubles print the same way in every numeric clause.
bool NonFinite(const Value& v, std::string* out) {
  if (!v.Is(K::kDouble) || std::isfinite(v.double_value())) return false;
  double d = v.double_value();
  *out += std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  return true;
}

bool FormatString(const Value& v, std::string* out, std::string* error);

// The size a formatted list or map may reach: what the evaluation's remaining runtime cost
// allows (10 bytes per unit; set by Format). A list of a million references to one long
// string would otherwise format into gigabytes before the result could be charged.
thread_local size_t t_format_limit = SIZE_MAX;

bool OverFormatLimit(size_t size, std::string* error) {
  if (size <= t_format_limit) return false;
  *error = kCostLimitExceeded;
  return true;
}

bool FormatString(const Value& v, std::string* out, std::string* error) {
  switch (v.kind()) {
    case K::kNull: *out += "null"; return true;
    case K::kBool: *out += v.bool_value() ? "true" : "false"; return true;
    case K::kInt: *out += std::to_string(v.int_value()); return true;
    case K::kUint: *out += std::to_string(v.uint_value()); return true;
    case K::kDouble:
      if (!NonFinite(v, out)) *out += FormatDouble(v.double_value());
      return true;
    case K::kString: case K::kBytes: case K::kType: *out += v.string_value(); return true;
    case K::kDuration: *out += FormatDuration(v.seconds(), v.nanos()); return true;
    case K::kTimestamp: *out += FormatTimestamp(v.seconds(), v.nanos()); return true;
    case K::kList: {
      *out += "[";
      for (size_t i = 0; i < v.list().size(); ++i) {
        if (i) *out += ", ";
        if (!FormatString(v.list().Get(i), out, error)) return false;
        if (OverFormatLimit(out->size(), error)) return false;
      }
      *out += "]";
      return true;
    }
    case K::kMap: {
      std::vector<std::pair<std::string, std::string>> entries;
      size_t total = out->size();
      for (size_t i = 0; i < v.map().size(); ++i) {
        std::string k, val;
        if (!FormatString(v.map().KeyAt(i), &k, error) ||
            !FormatString(v.map().ValueAt(i), &val, error)) {
          return false;
        }
        total += k.size() + val.size();
        if (OverFormatLimit(total, error)) return false;
        entries.emplace_back(std::move(k), std::move(val));
      }
      std::sort(entries.begin(), entries.end());
      *out += "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) *out += ", ";
        *out += entries[i].first + ": " + entries[i].second;
      }
      *out += "}";
      return true;
    }
    default:
      *error = "error during formatting: string clause can only be used on strings, bools, "
               "bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given " +
               std::string(v.TypeName());
      return false;
  }
}

std::string ToBase(uint64_t u, int base, bool upper) {
  if (u == 0) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  while (u) {
    s.push_back(digits[u % base]);
    u /= base;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

// %x %X %o %b on an integer: a sign, then the magnitude in `base`.
bool FormatInteger(const Value& v, int base, bool upper, std::string* out) {
  if (v.Is(K::kInt)) {
    int64_t i = v.int_value();
    uint64_t mag = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    if (i < 0) *out += "-";
    *out += ToBase(mag, base, upper);
    return true;
  }
  if (v.Is(K::kUint)) {
    *out += ToBase(v.uint_value(), base, upper);
    return true;
  }
  return false;
}

bool FormatClause(char verb, int precision, const Value& v, std::string* out, std::string* error) {
  switch (verb) {
    case 's':
      return FormatString(v, out, error);
    case 'd':
      if (v.Is(K::kInt) || v.Is(K::kUint)) return FormatInteger(v, 10, false, out);
      if (NonFinite(v, out)) return true;
      *error = "error during formatting: decimal clause can only be used on integers, was given " +
               std::string(v.TypeName());
      return false;
    case 'f': case 'e': {
      if (NonFinite(v, out)) return true;
      double d;
      if (v.Is(K::kDouble)) d = v.double_value();
      else if (v.Is(K::kInt)) d = static_cast<double>(v.int_value());
      else if (v.Is(K::kUint)) d = static_cast<double>(v.uint_value());
      else {
        *error = std::string("error during formatting: ") +
                 (verb == 'f' ? "fixed-point" : "scientific") +
                 " clause can only be used on doubles, was given " + std::string(v.TypeName());
        return false;
      }
      char buf[512];
      std::snprintf(buf, sizeof(buf), verb == 'f' ? "%.*f" : "%.*e", precision < 0 ? 6 : precision, d);
      *out += buf;
      return true;
    }
    case 'b':
      if (v.Is(K::kBool)) {
        *out += v.bool_value() ? "1" : "0";
        return true;
      }
      if (FormatInteger(v, 2, false, out)) return true;
      *error = "error during formatting: only integers and bools can be formatted as binary, was given " +
               std::string(v.TypeName());
      return false;
    case 'o':
      if (FormatInteger(v, 8, false, out)) return true;
      *error = "error during formatting: octal clause can only be used on integers, was given " +
               std::string(v.TypeName());
      return false;
    case 'x': case 'X': {
      bool upper = verb == 'X';
      if (FormatInteger(v, 16, upper, out)) return true;
      if (v.Is(K::kString) || v.Is(K::kBytes)) {
        for (unsigned char c : v.string_value()) {
          std::string h = ToBase(c, 16, upper);
          if (h.size() < 2) *out += "0";
          *out += h;
        }
        return true;
      }
      *error = "error during formatting: only integers, byte buffers, and strings can be "
               "formatted as hex, was given " + std::string(v.TypeName());
      return false;
    }
  }
  *error = std::string("could not parse formatting clause: unrecognized formatting clause \"") + verb + "\"";
  return false;
}

Value Format(const Value* a, EvalContext& ctx) {
  std::string_view f = a[0].string_value();
  t_format_limit = ctx.max_cost > 0
                       ? static_cast<size_t>(std::max<int64_t>(0, ctx.max_cost - ctx.cost)) * 10
                       : SIZE_MAX;
  const ListValue& args = a[1].list();
  std::string out, error;
  size_t next = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out.push_back(f[i]);
      continue;
    }
    if (++i >= f.size()) return Value::Error("could not parse formatting clause: unexpected end of string");
    if (f[i] == '%') {
      out.push_back('%');
      continue;
    }
    int precision = -1;
    if (f[i] == '.') {
      precision = 0;
      while (++i < f.size() && f[i] >= '0' && f[i] <= '9') {
        precision = precision * 10 + (f[i] - '0');
        if (precision > 100) return Value::Error("could not parse formatting clause: precision too large");
      }
      if (i >= f.size()) return Value::Error("could not parse formatting clause: unexpected end of string");
    }
    if (std::string_view("sdfexXob").find(f[i]) == std::string_view::npos) {
      return Value::Error(std::string("could not parse formatting clause: unrecognized formatting clause \"") +
                          f[i] + "\"");
    }
    if (next >= args.size()) return Value::Error("index " + std::to_string(next) + " out of range");
    if (!FormatClause(f[i], precision, args.Get(next++), &out, &error)) {
      if (error == kCostLimitExceeded) ctx.Charge(ctx.max_cost - ctx.cost + 1);  // aborts
      return Value::Error(error);
    }
  }
  return Value::String(out);
}

}  // namespace

void RegisterStringFormat(FunctionRegistry& r) {
  r.AddMember("format", "string_format_list", {K::kString, K::kList}, Format);
}

}  // namespace haru::cel
