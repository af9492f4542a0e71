// The strings extension (cel-go ext.Strings, version 3+): charAt, indexOf, lastIndexOf,
// lowerAscii, upperAscii, replace, split, substring, trim, join, reverse and strings.quote.
// Indexes count code points, not bytes, as upstream does. format() is in strings_format.cc.

#include <algorithm>
#include <string>
#include <vector>

#include "cel/common/containers.h"
#include "cel/interpreter/eval_context.h"
#include "cel/library/extensions.h"
#include "cel/library/utf8.h"

namespace haru::cel {
namespace {

using K = ValueKind;
using Runes = std::vector<uint32_t>;

Value OutOfRange(int64_t i) { return Value::Error("index out of range: " + std::to_string(i)); }

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Position of `sub` in `s` at or after `from`, in code points; -1 when absent.
int64_t FindRunes(const Runes& s, const Runes& sub, int64_t from) {
  const int64_t n = static_cast<int64_t>(s.size()), m = static_cast<int64_t>(sub.size());
  for (int64_t i = from; i + m <= n; ++i) {
    if (std::equal(sub.begin(), sub.end(), s.begin() + i)) return i;
  }
  return -1;
}

int64_t RFindRunes(const Runes& s, const Runes& sub, int64_t from) {
  const int64_t n = static_cast<int64_t>(s.size()), m = static_cast<int64_t>(sub.size());
  for (int64_t i = std::min(from, n - m); i >= 0; --i) {
    if (std::equal(sub.begin(), sub.end(), s.begin() + i)) return i;
  }
  return -1;
}

Value CharAt(const Value* a, EvalContext&) {
  Runes r = DecodeUtf8(a[0].string_value());
  int64_t i = a[1].int_value();
  if (i < 0 || i > static_cast<int64_t>(r.size())) return OutOfRange(i);
  if (i == static_cast<int64_t>(r.size())) return Value::StringView("");
  return Value::String(EncodeUtf8(&r[i], &r[i] + 1));
}

Value IndexOf(const Value* a, EvalContext&) {
  std::string_view s = a[0].string_value(), sub = a[1].string_value();
  if (IsAscii(s)) {
    size_t p = s.find(sub);
    return Value::Int(p == std::string_view::npos ? -1 : static_cast<int64_t>(p));
  }
  return Value::Int(FindRunes(DecodeUtf8(s), DecodeUtf8(sub), 0));
}

Value IndexOfFrom(const Value* a, EvalContext&) {
  Runes s = DecodeUtf8(a[0].string_value());
  int64_t from = a[2].int_value();
  if (from < 0 || from > static_cast<int64_t>(s.size())) return OutOfRange(from);
  if (a[1].string_value().empty()) return Value::Int(from);
  return Value::Int(FindRunes(s, DecodeUtf8(a[1].string_value()), from));
}

Value LastIndexOf(const Value* a, EvalContext&) {
  Runes s = DecodeUtf8(a[0].string_value());
  if (a[1].string_value().empty()) return Value::Int(static_cast<int64_t>(s.size()));
  return Value::Int(RFindRunes(s, DecodeUtf8(a[1].string_value()), static_cast<int64_t>(s.size())));
}

Value LastIndexOfFrom(const Value* a, EvalContext&) {
  Runes s = DecodeUtf8(a[0].string_value());
  int64_t from = a[2].int_value();
  if (a[1].string_value().empty()) {
    if (from < 0 || from > static_cast<int64_t>(s.size())) return OutOfRange(from);
    return Value::Int(from);
  }
  if (from < 0 || from >= static_cast<int64_t>(s.size())) return OutOfRange(from);
  return Value::Int(RFindRunes(s, DecodeUtf8(a[1].string_value()), from));
}

Value LowerAscii(const Value* a, EvalContext&) {
  std::string s(a[0].string_value());
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Value::String(s);
}

Value UpperAscii(const Value* a, EvalContext&) {
  std::string s(a[0].string_value());
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return Value::String(s);
}

// Go's strings.Replace: at most `n` replacements (n < 0: all); an empty `from` matches before
// every code point and at the end.
std::string ReplaceN(std::string_view s, std::string_view from, std::string_view to, int64_t n) {
  std::string out;
  if (n == 0) return std::string(s);
  if (from.empty()) {
    Runes r = DecodeUtf8(s);
    int64_t done = 0;
    for (size_t i = 0; i <= r.size(); ++i) {
      if (n < 0 || done < n) {
        out.append(to);
        ++done;
      }
      if (i < r.size()) AppendUtf8(&out, r[i]);
    }
    return out;
  }
  size_t pos = 0;
  int64_t done = 0;
  while (n < 0 || done < n) {
    size_t hit = s.find(from, pos);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
    ++done;
  }
  out.append(s.substr(pos));
  return out;
}

// The size of ReplaceN's result, computed without building it, so that an amplifying
// replacement (every byte of a long string replaced by a long string) is charged first.
size_t ReplacedSize(std::string_view s, std::string_view from, std::string_view to, int64_t n) {
  if (n == 0) return s.size();
  size_t hits = 0;
  if (from.empty()) {
    hits = DecodeUtf8(s).size() + 1;
  } else {
    for (size_t pos = s.find(from); pos != std::string_view::npos; pos = s.find(from, pos + from.size())) {
      ++hits;
      if (n > 0 && hits >= static_cast<size_t>(n)) break;
    }
  }
  if (n > 0 && hits > static_cast<size_t>(n)) hits = static_cast<size_t>(n);
  return s.size() + hits * to.size() - (from.empty() ? 0 : hits * from.size());
}

Value ReplaceCharged(const Value* a, int64_t n, EvalContext& ctx) {
  size_t size = ReplacedSize(a[0].string_value(), a[1].string_value(), a[2].string_value(), n);
  if (!ctx.Charge(static_cast<int64_t>(size / 10))) return Value::Error(kCostLimitExceeded);
  return Value::String(ReplaceN(a[0].string_value(), a[1].string_value(), a[2].string_value(), n));
}

Value Replace(const Value* a, EvalContext& ctx) {
  return ReplaceCharged(a, -1, ctx);
}
Value ReplaceCount(const Value* a, EvalContext& ctx) { return ReplaceCharged(a, a[3].int_value(), ctx); }

// Go's strings.SplitN: n == 0 gives no pieces, n < 0 all, otherwise at most n.
Value SplitN(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<Value> out;
  if (n == 0) return Value::List(new ValueList(std::move(out)));
  if (sep.empty()) {
    Runes r = DecodeUtf8(s);
    for (size_t i = 0; i < r.size(); ++i) {
      if (n > 0 && static_cast<int64_t>(out.size()) == n - 1) {
        out.push_back(Value::String(EncodeUtf8(r.data() + i, r.data() + r.size())));
        break;
      }
      out.push_back(Value::String(EncodeUtf8(&r[i], &r[i] + 1)));
    }
    return Value::List(new ValueList(std::move(out)));
  }
  size_t pos = 0;
  while (n < 0 || static_cast<int64_t>(out.size()) < n - 1) {
    size_t hit = s.find(sep, pos);
    if (hit == std::string_view::npos) break;
    out.push_back(Value::String(s.substr(pos, hit - pos)));
    pos = hit + sep.size();
  }
  out.push_back(Value::String(s.substr(pos)));
  return Value::List(new ValueList(std::move(out)));
}

Value Split(const Value* a, EvalContext&) { return SplitN(a[0].string_value(), a[1].string_value(), -1); }
Value SplitCount(const Value* a, EvalContext&) {
  return SplitN(a[0].string_value(), a[1].string_value(), a[2].int_value());
}

Value Substring(const Runes& r, int64_t start, int64_t end) {
  const int64_t n = static_cast<int64_t>(r.size());
  if (start < 0 || start > n) return OutOfRange(start);
  if (end < 0 || end > n) return OutOfRange(end);
  if (start > end) {
    return Value::Error("invalid substring range. start: " + std::to_string(start) +
                        ", end: " + std::to_string(end));
  }
  return Value::String(EncodeUtf8(r.data() + start, r.data() + end));
}

Value SubstringFrom(const Value* a, EvalContext&) {
  Runes r = DecodeUtf8(a[0].string_value());
  return Substring(r, a[1].int_value(), static_cast<int64_t>(r.size()));
}
Value SubstringRange(const Value* a, EvalContext&) {
  return Substring(DecodeUtf8(a[0].string_value()), a[1].int_value(), a[2].int_value());
}

// Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space code points (category Z).
bool IsSpace(uint32_t c) {
  switch (c) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

Value Trim(const Value* a, EvalContext&) {
  Runes r = DecodeUtf8(a[0].string_value());
  size_t b = 0, e = r.size();
  while (b < e && IsSpace(r[b])) ++b;
  while (e > b && IsSpace(r[e - 1])) --e;
  return Value::String(EncodeUtf8(r.data() + b, r.data() + e));
}

Value JoinWith(const ListValue& list, std::string_view sep, EvalContext& ctx) {
  // The result can be far larger than the inputs' cost (one long string repeated): its size
  // is charged before it is built.
  size_t total = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    Value e = list.Get(i);
    if (e.Is(K::kString)) total += e.string_value().size() + (i ? sep.size() : 0);
  }
  if (!ctx.Charge(static_cast<int64_t>(total / 10))) return Value::Error(kCostLimitExceeded);
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < list.size(); ++i) {
    Value e = list.Get(i);
    if (!e.Is(K::kString)) {
      return Value::Error("join: list element " + std::to_string(i) + " is " +
                          std::string(e.TypeName()) + ", want string");
    }
    if (i) out.append(sep);
    out.append(e.string_value());
  }
  return Value::String(out);
}

Value Join(const Value* a, EvalContext& ctx) { return JoinWith(a[0].list(), "", ctx); }
Value JoinSep(const Value* a, EvalContext& ctx) {
  return JoinWith(a[0].list(), a[1].string_value(), ctx);
}

Value Reverse(const Value* a, EvalContext&) {
  Runes r = DecodeUtf8(a[0].string_value());
  std::reverse(r.begin(), r.end());
  return Value::String(EncodeUtf8(r.data(), r.data() + r.size()));
}

// strings.quote: a double-quoted literal that CEL reads back as the same string. Malformed
// UTF-8 becomes U+FFFD, as upstream does.
Value Quote(const Value* a, EvalContext&) {
  std::string out = "\"";
  for (uint32_t c : DecodeUtf8(a[0].string_value())) {
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: AppendUtf8(&out, c);
    }
  }
  out += "\"";
  return Value::String(out);
}

}  // namespace

void RegisterStringExtensions(FunctionRegistry& r) {
  r.AddMember("charAt", "string_char_at_int", {K::kString, K::kInt}, CharAt);
  r.AddMember("indexOf", "string_index_of_string", {K::kString, K::kString}, IndexOf);
  r.AddMember("indexOf", "string_index_of_string_int", {K::kString, K::kString, K::kInt}, IndexOfFrom);
  r.AddMember("lastIndexOf", "string_last_index_of_string", {K::kString, K::kString}, LastIndexOf);
  r.AddMember("lastIndexOf", "string_last_index_of_string_int", {K::kString, K::kString, K::kInt},
              LastIndexOfFrom);
  r.AddMember("lowerAscii", "string_lower_ascii", {K::kString}, LowerAscii);
  r.AddMember("upperAscii", "string_upper_ascii", {K::kString}, UpperAscii);
  r.AddMember("replace", "string_replace_string_string", {K::kString, K::kString, K::kString}, Replace);
  r.AddMember("replace", "string_replace_string_string_int",
              {K::kString, K::kString, K::kString, K::kInt}, ReplaceCount);
  r.AddMember("split", "string_split_string", {K::kString, K::kString}, Split);
  r.AddMember("split", "string_split_string_int", {K::kString, K::kString, K::kInt}, SplitCount);
  r.AddMember("substring", "string_substring_int", {K::kString, K::kInt}, SubstringFrom);
  r.AddMember("substring", "string_substring_int_int", {K::kString, K::kInt, K::kInt}, SubstringRange);
  r.AddMember("trim", "string_trim", {K::kString}, Trim);
  r.AddMember("join", "list_join", {K::kList}, Join);
  r.AddMember("join", "list_join_string", {K::kList, K::kString}, JoinSep);
  r.AddMember("reverse", "string_reverse", {K::kString}, Reverse);
  r.AddGlobal("strings.quote", "strings_quote", {K::kString}, Quote);
  RegisterStringFormat(r);
}

}  // namespace haru::cel
