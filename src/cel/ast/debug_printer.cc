#include "cel/ast/debug_printer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace haru::cel {
namespace {

// The parsed form: each node names its proto oneof case, as cel-go's parser tests print it.
class KindAdorner : public DebugAdorner {
 public:
  std::string Adorn(const Expr& e) const override {
    switch (e.kind) {
      case ExprKind::kConst:
        switch (e.constant.kind()) {
          case ValueKind::kBool: return "^#*expr.Constant_BoolValue#";
          case ValueKind::kInt: return "^#*expr.Constant_Int64Value#";
          case ValueKind::kUint: return "^#*expr.Constant_Uint64Value#";
          case ValueKind::kDouble: return "^#*expr.Constant_DoubleValue#";
          case ValueKind::kString: return "^#*expr.Constant_StringValue#";
          case ValueKind::kBytes: return "^#*expr.Constant_BytesValue#";
          case ValueKind::kNull: return "^#*expr.Constant_NullValue#";
          default: return "^#*expr.Constant#";
        }
      case ExprKind::kIdent: return "^#*expr.Expr_IdentExpr#";
      case ExprKind::kSelect: return "^#*expr.Expr_SelectExpr#";
      case ExprKind::kCall: return "^#*expr.Expr_CallExpr#";
      case ExprKind::kList: return "^#*expr.Expr_ListExpr#";
      case ExprKind::kMap:
      case ExprKind::kStruct: return "^#*expr.Expr_StructExpr#";
      case ExprKind::kComprehension: return "^#*expr.Expr_ComprehensionExpr#";
    }
    return "";
  }
  std::string AdornEntry(const Entry&) const override { return "^#*expr.Expr_CreateStruct_Entry#"; }
};

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when the bytes are not valid
// UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
size_t DecodeRune(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t len;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(k) & 0x3F);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

// An approximation of Go's unicode.IsPrint outside ASCII: controls, format characters,
// separators other than the ASCII space, private use and noncharacters are not printable.
bool IsPrintable(uint32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r <= 0xA0 || r == 0xAD) return false;
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
      (r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) {
    return false;
  }
  if ((r >= 0x600 && r <= 0x605) || r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x180E) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;
  if (r >= 0xF0000) return false;
  return true;
}

// Go's strconv.Quote: printable runes as written, the rest escaped.
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    uint32_t r = 0;
    size_t len = DecodeRune(s, i, &r);
    if (len == 0) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      ++i;
      continue;
    }
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (IsPrintable(r)) {
      out.append(s.substr(i, len));
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (r < 0x20 || r == 0x7F) {
            std::snprintf(buf, sizeof(buf), "\\x%02x", r);
          } else if (r < 0x10000) {
            std::snprintf(buf, sizeof(buf), "\\u%04x", r);
          } else {
            std::snprintf(buf, sizeof(buf), "\\U%08x", r);
          }
          out += buf;
      }
    }
    i += len;
  }
  return out + "\"";
}

// Go's %v for a float64: the shortest digits that read back, in plain notation unless the
// decimal exponent is below -4 or at least 6 ("1e+06", "1.5e-07", "123456", "-4.1").
std::string GoFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  std::string sign;
  if (!sci.empty() && sci[0] == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  if (exp < -4 || exp >= 6) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof(ebuf), "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return out + ebuf;
  }
  if (exp < 0) return sign + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  size_t point = static_cast<size_t>(exp) + 1;
  if (digits.size() <= point) return sign + digits + std::string(point - digits.size(), '0');
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

std::string FormatLiteral(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool: return v.bool_value() ? "true" : "false";
    case ValueKind::kInt: return std::to_string(v.int_value());
    case ValueKind::kUint: return std::to_string(v.uint_value()) + "u";
    case ValueKind::kDouble: return GoFloat(v.double_value());
    case ValueKind::kString: return GoQuote(v.string_value());
    case ValueKind::kBytes: return "b" + GoQuote(v.string_value());
    case ValueKind::kNull: return "null";
    default: return "<" + std::string(KindName(v.kind())) + ">";
  }
}

// Writes the tree with two-space indentation; indentation is emitted lazily at the first
// text of each line, as upstream's writer does.
class Writer {
 public:
  explicit Writer(const DebugAdorner& adorner) : adorner_(adorner) {}

  void Buffer(const Expr* e) {
    if (e == nullptr) return;
    switch (e->kind) {
      case ExprKind::kConst: Append(FormatLiteral(e->constant)); break;
      case ExprKind::kIdent: Append(e->name); break;
      case ExprKind::kSelect: Select(*e); break;
      case ExprKind::kCall: Call(*e); break;
      case ExprKind::kList: List(*e); break;
      case ExprKind::kMap:
      case ExprKind::kStruct: Entries(*e); break;
      case ExprKind::kComprehension: Comprehension(*e); break;
    }
    Append(adorner_.Adorn(*e));
  }

  std::string Take() { return std::move(out_); }

 private:
  void Select(const Expr& e) {
    Buffer(e.target.get());
    Append(".");
    Append(e.name);
    if (e.test_only) Append("~test-only~");
  }

  void Call(const Expr& e) {
    if (e.target) {
      Buffer(e.target.get());
      Append(".");
    }
    Append(e.name);
    Append("(");
    if (!e.args.empty()) {
      ++indent_;
      NewLine();
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) {
          Append(",");
          NewLine();
        }
        Buffer(e.args[i].get());
      }
      --indent_;
      NewLine();
    }
    Append(")");
  }

  void List(const Expr& e) {
    Append("[");
    if (!e.args.empty()) {
      NewLine();
      ++indent_;
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) {
          Append(",");
          NewLine();
        }
        Buffer(e.args[i].get());
      }
      --indent_;
      NewLine();
    }
    Append("]");
  }

  // Map literals print `key:value`, message literals `Type{field:value}`.
  void Entries(const Expr& e) {
    const bool message = e.kind == ExprKind::kStruct;
    if (message) Append(e.name);
    Append("{");
    if (!e.entries.empty()) {
      NewLine();
      ++indent_;
      for (size_t i = 0; i < e.entries.size(); ++i) {
        const Entry& en = e.entries[i];
        if (i > 0) {
          Append(",");
          NewLine();
        }
        if (en.optional) Append("?");
        if (message) {
          Append(en.field);
        } else {
          Buffer(en.key.get());
        }
        Append(":");
        Buffer(en.value.get());
        Append(adorner_.AdornEntry(en));
      }
      --indent_;
      NewLine();
    }
    Append("}");
  }

  void Section(const char* title) {
    Append(title);
    NewLine();
  }

  void Comprehension(const Expr& e) {
    Append("__comprehension__(");
    ++indent_;
    NewLine();
    Section("// Variable");
    Append(e.iter_var);
    Append(",");
    NewLine();
    if (!e.iter_var2.empty()) {
      Append(e.iter_var2);
      Append(",");
      NewLine();
    }
    Section("// Target");
    Buffer(e.iter_range.get());
    Append(",");
    NewLine();
    Section("// Accumulator");
    Append(e.accu_var);
    Append(",");
    NewLine();
    Section("// Init");
    Buffer(e.accu_init.get());
    Append(",");
    NewLine();
    Section("// LoopCondition");
    Buffer(e.loop_condition.get());
    Append(",");
    NewLine();
    Section("// LoopStep");
    Buffer(e.loop_step.get());
    Append(",");
    NewLine();
    Section("// Result");
    Buffer(e.result.get());
    Append(")");
    --indent_;
  }

  void Append(std::string_view s) {
    if (line_start_) {
      line_start_ = false;
      out_.append(static_cast<size_t>(indent_) * 2, ' ');
    }
    out_.append(s);
  }
  void NewLine() {
    out_.push_back('\n');
    line_start_ = true;
  }

  const DebugAdorner& adorner_;
  std::string out_;
  int indent_ = 0;
  bool line_start_ = true;
};

}  // namespace

std::string DebugString(const Expr& e, const DebugAdorner* adorner) {
  static const KindAdorner kParsed;
  Writer w(adorner ? *adorner : kParsed);
  w.Buffer(&e);
  return w.Take();
}

}  // namespace haru::cel
