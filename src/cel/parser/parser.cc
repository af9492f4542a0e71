#include "cel/parser/parser.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>

#include "cel/parser/expr_factory.h"
#include "cel/parser/lexer.h"
#include "cel/parser/macros.h"

namespace haru::cel {
namespace {

class Parser {
 public:
  Parser(const Source& source, const ParserOptions& options)
      : options_(options), lexer_(source.text()) {
    tok_ = lexer_.Next();
    next_ = lexer_.Next();
  }

  ParseResult Run() {
    ParseResult r;
    ExprPtr e = ParseExpr();
    if (!failed_ && tok_.kind != TokenKind::kEof) Fail(tok_.offset, "Syntax error: extraneous input " + Describe(tok_));
    if (failed_) {
      r.issues = std::move(issues_);
      return r;
    }
    r.expr = std::move(e);
    r.next_id = factory_.last_id() + 1;
    return r;
  }

 private:
  // Scoped recursion counter; the parser stops at the first error.
  struct DepthGuard {
    explicit DepthGuard(Parser* p) : p(p) { ++p->depth_; }
    ~DepthGuard() { --p->depth_; }
    Parser* p;
  };

  void Advance() {
    tok_ = std::move(next_);
    next_ = lexer_.Next();
    if (tok_.kind == TokenKind::kError) Fail(tok_.offset, "Syntax error: " + tok_.text);
  }
  bool Accept(TokenKind k) {
    if (tok_.kind != k) return false;
    Advance();
    return true;
  }
  bool Expect(TokenKind k, const char* what) {
    if (Accept(k)) return true;
    Fail(tok_.offset, "Syntax error: mismatched input " + Describe(tok_) + " expecting " + what);
    return false;
  }
  ExprPtr Fail(int32_t offset, std::string message) {
    if (!failed_) issues_.push_back({offset, std::move(message)});
    failed_ = true;
    // Stop consuming input: every caller unwinds on failed_.
    tok_ = Token{TokenKind::kEof, tok_.offset, ""};
    next_ = tok_;
    return factory_.NewConst(offset, Value());
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEof: return "'<EOF>'";
      case TokenKind::kIdent: return "'" + t.text + "'";
      default: return "token";
    }
  }
  bool TooDeep(const ExprPtr& e) { return e && e->depth > options_.max_recursion_depth; }
  ExprPtr CheckDepth(ExprPtr e) {
    if (!failed_ && TooDeep(e)) {
      return Fail(e->offset, "expression recursion limit exceeded: " +
                                 std::to_string(options_.max_recursion_depth));
    }
    return e;
  }

  ExprPtr Binary(int32_t offset, const char* fn, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return CheckDepth(factory_.NewCall(offset, fn, std::move(args)));
  }

  // Logical chains are balanced, as upstream does, so `a || b || ... ` stays shallow.
  ExprPtr Balance(const char* fn, std::vector<ExprPtr>& terms, std::vector<int32_t>& ops,
                  size_t lo, size_t hi) {
    if (lo == hi) return std::move(terms[lo]);
    size_t mid = (lo + hi + 1) / 2;
    ExprPtr left = Balance(fn, terms, ops, lo, mid - 1);
    ExprPtr right = Balance(fn, terms, ops, mid, hi);
    return Binary(ops[mid - 1], fn, std::move(left), std::move(right));
  }

  ExprPtr ParseExpr() {
    DepthGuard g(this);
    if (depth_ > options_.max_recursion_depth) {
      return Fail(tok_.offset, "expression recursion limit exceeded: " +
                                   std::to_string(options_.max_recursion_depth));
    }
    ExprPtr cond = ParseLogical(TokenKind::kOr, "_||_");
    if (failed_ || tok_.kind != TokenKind::kQuestion) return cond;
    int32_t at = tok_.offset;
    Advance();
    ExprPtr t = ParseLogical(TokenKind::kOr, "_||_");
    if (!Expect(TokenKind::kColon, "':'")) return cond;
    ExprPtr f = ParseExpr();
    std::vector<ExprPtr> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(t));
    args.push_back(std::move(f));
    return CheckDepth(factory_.NewCall(at, "_?_:_", std::move(args)));
  }

  ExprPtr ParseLogical(TokenKind op, const char* fn) {
    std::vector<ExprPtr> terms;
    std::vector<int32_t> ops;
    terms.push_back(op == TokenKind::kOr ? ParseLogical(TokenKind::kAnd, "_&&_") : ParseRelation());
    while (!failed_ && tok_.kind == op) {
      ops.push_back(tok_.offset);
      Advance();
      terms.push_back(op == TokenKind::kOr ? ParseLogical(TokenKind::kAnd, "_&&_") : ParseRelation());
    }
    if (failed_) return std::move(terms.back());
    return Balance(fn, terms, ops, 0, terms.size() - 1);
  }

  ExprPtr ParseRelation() {
    ExprPtr left = ParseAddition();
    while (!failed_) {
      const char* fn = nullptr;
      switch (tok_.kind) {
        case TokenKind::kLess: fn = "_<_"; break;
        case TokenKind::kLessEq: fn = "_<=_"; break;
        case TokenKind::kGreater: fn = "_>_"; break;
        case TokenKind::kGreaterEq: fn = "_>=_"; break;
        case TokenKind::kEq: fn = "_==_"; break;
        case TokenKind::kNotEq: fn = "_!=_"; break;
        case TokenKind::kIdent:
          if (tok_.text == "in") fn = "@in";
          break;
        default: break;
      }
      if (!fn) break;
      int32_t at = tok_.offset;
      Advance();
      left = Binary(at, fn, std::move(left), ParseAddition());
    }
    return left;
  }

  ExprPtr ParseAddition() {
    ExprPtr left = ParseMultiplication();
    while (!failed_ && (tok_.kind == TokenKind::kPlus || tok_.kind == TokenKind::kMinus)) {
      const char* fn = tok_.kind == TokenKind::kPlus ? "_+_" : "_-_";
      int32_t at = tok_.offset;
      Advance();
      left = Binary(at, fn, std::move(left), ParseMultiplication());
    }
    return left;
  }

  ExprPtr ParseMultiplication() {
    ExprPtr left = ParseUnary();
    while (!failed_ && (tok_.kind == TokenKind::kStar || tok_.kind == TokenKind::kSlash ||
                        tok_.kind == TokenKind::kPercent)) {
      const char* fn = tok_.kind == TokenKind::kStar ? "_*_" : tok_.kind == TokenKind::kSlash ? "_/_" : "_%_";
      int32_t at = tok_.offset;
      Advance();
      left = Binary(at, fn, std::move(left), ParseUnary());
    }
    return left;
  }

  ExprPtr Unary(int32_t at, const char* fn, ExprPtr operand) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(operand));
    return CheckDepth(factory_.NewCall(at, fn, std::move(args)));
  }

  ExprPtr ParseUnary() {
    if (tok_.kind == TokenKind::kNot) {
      std::vector<int32_t> ats;
      while (tok_.kind == TokenKind::kNot) {
        ats.push_back(tok_.offset);
        Advance();
      }
      ExprPtr e = ParseMember();
      for (size_t i = ats.size(); i-- > 0 && !failed_;) e = Unary(ats[i], "!_", std::move(e));
      return e;
    }
    if (tok_.kind == TokenKind::kMinus) {
      std::vector<int32_t> ats;
      while (tok_.kind == TokenKind::kMinus) {
        ats.push_back(tok_.offset);
        Advance();
      }
      ExprPtr e;
      // A minus directly before an int or double literal belongs to the literal, so that
      // -9223372036854775808 is representable.
      if (tok_.kind == TokenKind::kInt || tok_.kind == TokenKind::kDouble) {
        int32_t at = ats.back();
        ats.pop_back();
        e = ParseMemberSuffix(ParseNumber(at, true));
      } else {
        e = ParseMember();
      }
      for (size_t i = ats.size(); i-- > 0 && !failed_;) e = Unary(ats[i], "-_", std::move(e));
      return e;
    }
    return ParseMember();
  }

  ExprPtr ParseMember() { return ParseMemberSuffix(ParsePrimary()); }

  // Field and index selections, receiver calls and message literals after a primary.
  ExprPtr ParseMemberSuffix(ExprPtr e) {
    while (!failed_) {
      if (tok_.kind == TokenKind::kDot) {
        int32_t at = tok_.offset;
        Advance();
        bool optional = false;
        if (tok_.kind == TokenKind::kQuestion && options_.enable_optional_syntax) {
          optional = true;
          Advance();
        }
        std::string field;
        if (tok_.kind == TokenKind::kIdent || tok_.kind == TokenKind::kBacktickIdent) {
          field = tok_.text;
          Advance();
        } else {
          return Fail(tok_.offset, "Syntax error: mismatched input " + Describe(tok_) + " expecting IDENTIFIER");
        }
        if (optional) {
          e = Binary(at, "_?._", std::move(e), factory_.NewConst(at, Value::String(field)));
        } else if (tok_.kind == TokenKind::kLParen) {
          int32_t call_at = tok_.offset;
          Advance();
          std::vector<ExprPtr> args = ParseArgs(TokenKind::kRParen);
          e = MakeCall(call_at, field, std::move(e), std::move(args));
        } else {
          e = CheckDepth(factory_.NewSelect(at, std::move(e), field, false));
        }
      } else if (tok_.kind == TokenKind::kLBracket) {
        int32_t at = tok_.offset;
        Advance();
        bool optional = false;
        if (tok_.kind == TokenKind::kQuestion && options_.enable_optional_syntax) {
          optional = true;
          Advance();
        }
        ExprPtr index = ParseExpr();
        if (!Expect(TokenKind::kRBracket, "']'")) return e;
        e = Binary(at, optional ? "_[?_]" : "_[_]", std::move(e), std::move(index));
      } else if (tok_.kind == TokenKind::kLBrace && IsQualifiedName(*e)) {
        int32_t at = tok_.offset;
        std::string type = QualifiedName(*e);
        Advance();
        e = ParseStructBody(at, std::move(type));
      } else {
        break;
      }
    }
    return e;
  }

  static bool IsQualifiedName(const Expr& e) {
    if (e.kind == ExprKind::kIdent) return true;
    return e.kind == ExprKind::kSelect && !e.test_only && IsQualifiedName(*e.target);
  }
  static std::string QualifiedName(const Expr& e) {
    if (e.kind == ExprKind::kIdent) return e.name;
    return QualifiedName(*e.target) + "." + e.name;
  }

  ExprPtr MakeCall(int32_t at, const std::string& fn, ExprPtr target, std::vector<ExprPtr> args) {
    if (failed_) return factory_.NewConst(at, Value());
    ExprPtr out;
    std::string error;
    int32_t error_offset = at;
    switch (ExpandMacro(factory_, at, fn, target, args, &out, &error, &error_offset)) {
      case MacroResult::kExpanded:
        return CheckDepth(std::move(out));
      case MacroResult::kError:
        return Fail(error_offset, error);
      case MacroResult::kNotAMacro:
        break;
    }
    if (target) return CheckDepth(factory_.NewReceiverCall(at, fn, std::move(target), std::move(args)));
    return CheckDepth(factory_.NewCall(at, fn, std::move(args)));
  }

  std::vector<ExprPtr> ParseArgs(TokenKind close) {
    std::vector<ExprPtr> args;
    if (Accept(close)) return args;
    while (!failed_) {
      args.push_back(ParseExpr());
      if (Accept(TokenKind::kComma)) continue;
      Expect(close, close == TokenKind::kRParen ? "')'" : "']'");
      break;
    }
    return args;
  }

  ExprPtr ParseStructBody(int32_t at, std::string type) {
    std::vector<Entry> entries;
    while (!failed_ && tok_.kind != TokenKind::kRBrace) {
      Entry en;
      en.id = factory_.NextId();
      if (tok_.kind == TokenKind::kQuestion && options_.enable_optional_syntax) {
        en.optional = true;
        Advance();
      }
      if (tok_.kind != TokenKind::kIdent && tok_.kind != TokenKind::kBacktickIdent) {
        return Fail(tok_.offset, "Syntax error: mismatched input " + Describe(tok_) + " expecting IDENTIFIER");
      }
      en.offset = tok_.offset;
      en.field = tok_.text;
      Advance();
      if (!Expect(TokenKind::kColon, "':'")) break;
      en.value = ParseExpr();
      entries.push_back(std::move(en));
      if (!Accept(TokenKind::kComma)) break;
    }
    Expect(TokenKind::kRBrace, "'}'");
    return CheckDepth(factory_.NewStruct(at, std::move(type), std::move(entries)));
  }

  ExprPtr ParseNumber(int32_t at, bool negative) {
    Token t = tok_;
    Advance();
    if (t.kind == TokenKind::kDouble) {
      std::string text = (negative ? "-" : "") + t.text;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      return factory_.NewConst(at, Value::Double(d));
    }
    bool hex = t.text.size() > 2 && (t.text[1] == 'x' || t.text[1] == 'X');
    std::string_view digits = hex ? std::string_view(t.text).substr(2) : std::string_view(t.text);
    uint64_t u = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), u, hex ? 16 : 10);
    bool overflow = res.ec != std::errc() || res.ptr != digits.data() + digits.size();
    if (t.kind == TokenKind::kUint) {
      if (overflow) return Fail(t.offset, "invalid uint literal");
      return factory_.NewConst(at, Value::Uint(u));
    }
    if (overflow || u > (negative ? 9223372036854775808ULL : 9223372036854775807ULL)) {
      return Fail(t.offset, "invalid int literal");
    }
    int64_t i = negative ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
    return factory_.NewConst(at, Value::Int(i));
  }

  ExprPtr ParsePrimary() {
    DepthGuard g(this);
    if (depth_ > options_.max_recursion_depth) {
      return Fail(tok_.offset, "expression recursion limit exceeded: " +
                                   std::to_string(options_.max_recursion_depth));
    }
    int32_t at = tok_.offset;
    switch (tok_.kind) {
      case TokenKind::kInt:
      case TokenKind::kUint:
      case TokenKind::kDouble:
        return ParseNumber(at, false);
      case TokenKind::kString: {
        Value v = Value::String(tok_.text);
        Advance();
        return factory_.NewConst(at, std::move(v));
      }
      case TokenKind::kBytes: {
        Value v = Value::Bytes(tok_.text);
        Advance();
        return factory_.NewConst(at, std::move(v));
      }
      case TokenKind::kLParen: {
        Advance();
        ExprPtr e = ParseExpr();
        Expect(TokenKind::kRParen, "')'");
        return e;
      }
      case TokenKind::kLBracket: {
        Advance();
        std::vector<ExprPtr> elems;
        std::vector<int32_t> optional;
        while (!failed_ && tok_.kind != TokenKind::kRBracket) {
          if (tok_.kind == TokenKind::kQuestion && options_.enable_optional_syntax) {
            optional.push_back(static_cast<int32_t>(elems.size()));
            Advance();
          }
          elems.push_back(ParseExpr());
          if (!Accept(TokenKind::kComma)) break;
        }
        Expect(TokenKind::kRBracket, "']'");
        return CheckDepth(factory_.NewList(at, std::move(elems), std::move(optional)));
      }
      case TokenKind::kLBrace: {
        Advance();
        std::vector<Entry> entries;
        while (!failed_ && tok_.kind != TokenKind::kRBrace) {
          Entry en;
          en.id = factory_.NextId();
          if (tok_.kind == TokenKind::kQuestion && options_.enable_optional_syntax) {
            en.optional = true;
            Advance();
          }
          en.offset = tok_.offset;
          en.key = ParseExpr();
          if (!Expect(TokenKind::kColon, "':'")) break;
          en.value = ParseExpr();
          entries.push_back(std::move(en));
          if (!Accept(TokenKind::kComma)) break;
        }
        Expect(TokenKind::kRBrace, "'}'");
        return CheckDepth(factory_.NewMap(at, std::move(entries)));
      }
      case TokenKind::kDot:
      case TokenKind::kIdent: {
        bool leading_dot = tok_.kind == TokenKind::kDot;
        if (leading_dot) {
          Advance();
          if (tok_.kind != TokenKind::kIdent) {
            return Fail(tok_.offset, "Syntax error: mismatched input " + Describe(tok_) + " expecting IDENTIFIER");
          }
        }
        std::string name = tok_.text;
        int32_t name_at = tok_.offset;
        if (!leading_dot) {
          if (name == "true" || name == "false") {
            Advance();
            return factory_.NewConst(at, Value::Bool(name == "true"));
          }
          if (name == "null") {
            Advance();
            return factory_.NewConst(at, Value::Null());
          }
        }
        if (name == "in" || IsReservedWord(name)) {
          return Fail(name_at, "reserved identifier: " + name);
        }
        Advance();
        if (leading_dot) name = "." + name;
        if (tok_.kind == TokenKind::kLParen) {
          int32_t call_at = tok_.offset;
          Advance();
          std::vector<ExprPtr> args = ParseArgs(TokenKind::kRParen);
          return MakeCall(call_at, name, nullptr, std::move(args));
        }
        return factory_.NewIdent(name_at, std::move(name));
      }
      case TokenKind::kEof:
        return Fail(at, "Syntax error: mismatched input '<EOF>' expecting expression");
      default:
        return Fail(at, "Syntax error: unexpected token");
    }
  }

  const ParserOptions& options_;
  Lexer lexer_;
  Token tok_, next_;
  ExprFactory factory_;
  std::vector<Issue> issues_;
  bool failed_ = false;
  int depth_ = 0;
};

}  // namespace

ParseResult Parse(const Source& source, const ParserOptions& options) {
  if (source.text().size() > options.max_expression_size) {
    ParseResult r;
    r.issues.push_back({0, "expression size " + std::to_string(source.text().size()) +
                               " exceeds limit " + std::to_string(options.max_expression_size)});
    return r;
  }
  Parser p(source, options);
  return p.Run();
}

}  // namespace haru::cel
