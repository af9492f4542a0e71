#include "cel/parser/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "cel/parser/expr_factory.h"
#include "cel/parser/lexer.h"
#include "cel/parser/macros.h"

namespace haru::cel {
namespace {

// Token types in the order of upstream's ANTLR vocabulary, so that "expecting {...}" sets
// print in the same order as cel-go's messages.
enum class Tok : uint8_t {
  kEq, kNe, kIn, kLt, kLe, kGe, kGt, kAnd, kOr, kLBracket, kRBracket, kLBrace, kRBrace,
  kLParen, kRParen, kDot, kComma, kMinus, kNot, kQuestion, kColon, kPlus, kStar, kSlash,
  kPercent, kTrue, kFalse, kNull, kFloat, kInt, kUint, kString, kBytes, kIdent, kEscIdent,
  kEof, kCount,
};

constexpr const char* kTokNames[] = {
    "'=='", "'!='", "'in'", "'<'", "'<='", "'>='", "'>'", "'&&'", "'||'", "'['", "']'", "'{'",
    "'}'", "'('", "')'", "'.'", "','", "'-'", "'!'", "'?'", "':'", "'+'", "'*'", "'/'", "'%'",
    "'true'", "'false'", "'null'", "NUM_FLOAT", "NUM_INT", "NUM_UINT", "STRING", "BYTES",
    "IDENTIFIER", "ESC_IDENTIFIER", "<EOF>",
};

using TokSet = uint64_t;
constexpr TokSet Bit(Tok t) { return TokSet{1} << static_cast<int>(t); }
template <typename... T>
constexpr TokSet Set(T... t) { return (Bit(t) | ...); }

// What may start an expression, and the sets of the places where one may appear.
constexpr TokSet kExprStart = Set(Tok::kLBracket, Tok::kLBrace, Tok::kLParen, Tok::kDot, Tok::kMinus,
                                  Tok::kNot, Tok::kTrue, Tok::kFalse, Tok::kNull, Tok::kFloat,
                                  Tok::kInt, Tok::kUint, Tok::kString, Tok::kBytes, Tok::kIdent);
constexpr TokSet kListStart = kExprStart | Set(Tok::kRBracket, Tok::kComma, Tok::kQuestion);
constexpr TokSet kMapStart = kExprStart | Set(Tok::kRBrace, Tok::kComma, Tok::kQuestion);
constexpr TokSet kFieldStart = Set(Tok::kRBrace, Tok::kComma, Tok::kQuestion, Tok::kIdent, Tok::kEscIdent);
constexpr TokSet kFieldName = Set(Tok::kIdent, Tok::kEscIdent);
constexpr TokSet kArgsStart = kExprStart | Bit(Tok::kRParen);
constexpr TokSet kIndexStart = kExprStart | Bit(Tok::kQuestion);

Tok TypeOf(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEof: return Tok::kEof;
    case TokenKind::kIdent:
      if (t.text == "in") return Tok::kIn;
      if (t.text == "true") return Tok::kTrue;
      if (t.text == "false") return Tok::kFalse;
      if (t.text == "null") return Tok::kNull;
      return Tok::kIdent;
    case TokenKind::kInt: return Tok::kInt;
    case TokenKind::kUint: return Tok::kUint;
    case TokenKind::kDouble: return Tok::kFloat;
    case TokenKind::kString: return Tok::kString;
    case TokenKind::kBytes: return Tok::kBytes;
    case TokenKind::kLParen: return Tok::kLParen;
    case TokenKind::kRParen: return Tok::kRParen;
    case TokenKind::kLBracket: return Tok::kLBracket;
    case TokenKind::kRBracket: return Tok::kRBracket;
    case TokenKind::kLBrace: return Tok::kLBrace;
    case TokenKind::kRBrace: return Tok::kRBrace;
    case TokenKind::kDot: return Tok::kDot;
    case TokenKind::kComma: return Tok::kComma;
    case TokenKind::kColon: return Tok::kColon;
    case TokenKind::kQuestion: return Tok::kQuestion;
    case TokenKind::kNot: return Tok::kNot;
    case TokenKind::kMinus: return Tok::kMinus;
    case TokenKind::kPlus: return Tok::kPlus;
    case TokenKind::kStar: return Tok::kStar;
    case TokenKind::kSlash: return Tok::kSlash;
    case TokenKind::kPercent: return Tok::kPercent;
    case TokenKind::kLess: return Tok::kLt;
    case TokenKind::kLessEq: return Tok::kLe;
    case TokenKind::kGreater: return Tok::kGt;
    case TokenKind::kGreaterEq: return Tok::kGe;
    case TokenKind::kEq: return Tok::kEq;
    case TokenKind::kNotEq: return Tok::kNe;
    case TokenKind::kAnd: return Tok::kAnd;
    case TokenKind::kOr: return Tok::kOr;
    case TokenKind::kBacktickIdent: return Tok::kEscIdent;
    case TokenKind::kError: break;
  }
  return Tok::kEof;
}

bool In(const Token& t, TokSet s) { return (Bit(TypeOf(t)) & s) != 0; }

// ANTLR's display of input text: control characters written as escapes.
std::string Escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out.push_back(c);
  }
  return out;
}

std::string Display(const Token& t) {
  if (t.kind == TokenKind::kEof) return "'<EOF>'";
  return "'" + Escaped(t.raw) + "'";
}

std::string SetText(TokSet s) {
  std::string out;
  int n = 0;
  for (int i = 0; i < static_cast<int>(Tok::kCount); ++i) {
    if (!(s & (TokSet{1} << i))) continue;
    if (n++ > 0) out += ", ";
    out += kTokNames[i];
  }
  return n == 1 ? out : "{" + out + "}";
}

bool IsReservedId(const std::string& name) {
  return name == "in" || name == "true" || name == "false" || name == "null" || IsReservedWord(name);
}

// A recursive-descent rendering of upstream's ANTLR grammar (CEL.g4). Errors follow the shape
// of upstream's two phases: syntax errors (ANTLR's messages, one per error-recovery episode:
// after an error nothing more is reported until a token is matched again) and semantic errors
// (reserved identifiers, literals, macros, unsupported syntax), which never stop the parse.
class Parser {
 public:
  Parser(const Source& source, const ParserOptions& options)
      : options_(options), lexer_(source.text()) {
    macros_.two_variable_comprehensions = options.enable_two_variable_comprehensions;
    macros_.extensions = options.enable_extension_macros;
    next_ = Lex();
    Shift();
  }

  ParseResult Run() {
    ParseResult r;
    ExprPtr e = ParseExpr();
    if (!aborted_ && tok_.kind != TokenKind::kEof) {
      if (next_.kind == TokenKind::kEof) {
        SyntaxError(tok_.offset, "extraneous input " + Display(tok_) + " expecting <EOF>");
      } else {
        SyntaxError(tok_.offset, "mismatched input " + Display(tok_) + " expecting <EOF>");
      }
    }
    if (!issues_.empty()) {
      // Upstream lists errors by position; those without one (limits) come first.
      std::stable_sort(issues_.begin(), issues_.end(),
                       [](const Issue& a, const Issue& b) { return a.offset < b.offset; });
      r.issues = std::move(issues_);
      return r;
    }
    r.expr = std::move(e);
    r.next_id = factory_.last_id() + 1;
    return r;
  }

 private:
  // Upstream counts the nesting of each grammar rule while parsing; the rules that nest are
  // `expr` (sub-expressions) and the right operands of `relation` and `calc`.
  struct RuleGuard {
    RuleGuard(Parser* p, int* counter) : p(p), counter(counter) {
      if (++*counter > p->options_.max_recursion_depth) p->Abort();
    }
    ~RuleGuard() { --*counter; }
    Parser* p;
    int* counter;
  };

  // --- Tokens -------------------------------------------------------------------------------

  // The next real token; unrecognized input is reported and dropped, as ANTLR's lexer does.
  Token Lex() {
    while (true) {
      Token t = lexer_.Next();
      if (t.kind != TokenKind::kError) return t;
      if (!aborted_) {
        issues_.push_back({t.offset, "Syntax error: token recognition error at: '" + Escaped(t.text) + "'"});
      }
    }
  }
  void Shift() {
    tok_ = std::move(next_);
    next_ = aborted_ ? Token{TokenKind::kEof, tok_.offset, ""} : Lex();
  }
  // Consumes the current token as matched: this ends an error-recovery episode.
  void Advance() {
    recovering_ = false;
    Shift();
  }
  bool Is(Tok t) const { return TypeOf(tok_) == t; }
  bool Accept(Tok t) {
    if (!Is(t)) return false;
    Advance();
    return true;
  }

  // --- Errors -------------------------------------------------------------------------------

  void SyntaxError(int32_t offset, const std::string& message) {
    if (!recovering_ && !aborted_) {
      issues_.push_back({offset, "Syntax error: " + message});
    }
    recovering_ = true;
  }
  // A semantic error: recorded, and parsing goes on with a placeholder node.
  ExprPtr ReportError(int32_t offset, std::string message) {
    if (!aborted_ && !visit_overflow_) issues_.push_back({offset, std::move(message)});
    return factory_.NewConst(offset, Value());
  }
  // Upstream does not visit an entry it refuses (`?` without optional syntax), so semantic
  // errors inside it go unreported.
  void DropSemanticIssuesSince(size_t mark) {
    auto first = issues_.begin() + static_cast<std::ptrdiff_t>(std::min(mark, issues_.size()));
    issues_.erase(std::remove_if(first, issues_.end(),
                                 [](const Issue& i) { return i.message.rfind("Syntax error: ", 0) != 0 && i.offset >= 0; }),
                  issues_.end());
  }
  // The grammar-level recursion limit: upstream abandons the parse, keeping only the errors
  // its lexer and parser reported so far.
  void Abort() {
    if (aborted_) return;
    std::vector<Issue> kept;
    for (Issue& i : issues_) {
      if (i.message.rfind("Syntax error: ", 0) == 0) kept.push_back(std::move(i));
    }
    issues_ = std::move(kept);
    issues_.push_back({-1, "expression recursion limit exceeded: " + std::to_string(options_.max_recursion_depth)});
    aborted_ = true;
    tok_ = Token{TokenKind::kEof, tok_.offset, ""};
    next_ = tok_;
  }

  // ANTLR's sync before a decision: the current token must be in `expected`; if only the
  // token after it is, the current one is reported as extraneous and dropped.
  bool Sync(TokSet expected) {
    if (In(tok_, expected)) return true;
    if (recovering_) return false;
    if (tok_.kind != TokenKind::kEof && In(next_, expected)) {
      SyntaxError(tok_.offset, "extraneous input " + Display(tok_) + " expecting " + SetText(expected));
      Shift();
      recovering_ = false;  // the deletion counts as a match
      return true;
    }
    SyntaxError(tok_.offset, "mismatched input " + Display(tok_) + " expecting " + SetText(expected));
    return false;
  }
  // A '.' (leading or selecting) not followed by a name: ANTLR's prediction fails before
  // taking the '.', and cel-go rewords the failure when the name is a keyword literal.
  void NoViableAfterDot() {
    Tok after = TypeOf(next_);
    if (after == Tok::kTrue || after == Tok::kFalse || after == Tok::kNull) {
      SyntaxError(next_.offset, "mismatched input " + Display(next_) + " expecting IDENTIFIER");
    } else {
      std::string text = next_.kind == TokenKind::kEof ? "" : Escaped(next_.raw);
      SyntaxError(next_.offset, "no viable alternative at input '." + text + "'");
    }
  }
  // ANTLR's match of one token, with its single-token deletion.
  bool Match(Tok t) {
    if (Accept(t)) return true;
    if (tok_.kind != TokenKind::kEof && TypeOf(next_) == t) {
      if (!recovering_) SyntaxError(tok_.offset, "extraneous input " + Display(tok_) + " expecting " + SetText(Bit(t)));
      Shift();
      Advance();
      return true;
    }
    SyntaxError(tok_.offset, "mismatched input " + Display(tok_) + " expecting " + SetText(Bit(t)));
    return false;
  }

  // --- Nodes --------------------------------------------------------------------------------

  // Upstream's second limit bounds the nesting of operator, select, index and member-call
  // nodes as its tree walk meets them ("max recursion depth exceeded").
  int VisitDepth(const ExprPtr& e) const {
    if (!e || e->id < 0 || static_cast<size_t>(e->id) >= visit_depth_.size()) return 0;
    return visit_depth_[static_cast<size_t>(e->id)];
  }
  void SetVisitDepth(const ExprPtr& e, int d) {
    if (d <= 0) return;
    if (e->id < 0) return;
    if (static_cast<size_t>(e->id) >= visit_depth_.size()) visit_depth_.resize(static_cast<size_t>(e->id) + 1, 0);
    visit_depth_[static_cast<size_t>(e->id)] = d;
    if (d > options_.max_recursion_depth && !visit_overflow_ && !aborted_) {
      issues_.push_back({-1, "max recursion depth exceeded"});
      visit_overflow_ = true;
    }
  }
  // The tree-height bound every later pass relies on.
  ExprPtr CheckHeight(ExprPtr e) {
    if (e && e->depth > options_.max_tree_height && !height_reported_) {
      height_reported_ = true;
      ReportError(e->offset, "expression recursion limit exceeded: " + std::to_string(options_.max_tree_height));
    }
    return e;
  }

  ExprPtr Call(int32_t at, const char* fn, std::vector<ExprPtr> args, bool counted) {
    int d = 0;
    for (const auto& a : args) d = std::max(d, VisitDepth(a));
    ExprPtr e = CheckHeight(factory_.NewCall(at, fn, std::move(args)));
    SetVisitDepth(e, d + (counted ? 1 : 0));
    return e;
  }
  ExprPtr Binary(int32_t at, const char* fn, ExprPtr a, ExprPtr b, bool counted) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return Call(at, fn, std::move(args), counted);
  }

  // Logical chains are balanced the way upstream balances them, so `a || b || ...` stays
  // shallow and prints the same: the middle operator joins the two halves.
  ExprPtr Balance(const char* fn, std::vector<ExprPtr>& terms, const std::vector<int32_t>& ops, size_t lo, size_t hi) {
    size_t mid = (lo + hi + 1) / 2;
    ExprPtr left = mid == lo ? std::move(terms[mid]) : Balance(fn, terms, ops, lo, mid - 1);
    ExprPtr right = mid == hi ? std::move(terms[mid + 1]) : Balance(fn, terms, ops, mid + 1, hi);
    return Binary(ops[mid], fn, std::move(left), std::move(right), false);
  }

  // --- Grammar ------------------------------------------------------------------------------

  // expr: conditionalOr ('?' conditionalOr ':' expr)?
  ExprPtr ParseExpr() {
    RuleGuard g(this, &expr_depth_);
    if (aborted_) return factory_.NewConst(tok_.offset, Value());
    ExprPtr cond = ParseLogical(Tok::kOr, "_||_");
    if (!Is(Tok::kQuestion)) return cond;
    int32_t at = tok_.offset;
    Advance();
    ExprPtr t = ParseLogical(Tok::kOr, "_||_");
    ExprPtr f;
    if (Match(Tok::kColon)) {
      f = ParseExpr();
    } else {
      f = factory_.NewConst(tok_.offset, Value());
    }
    std::vector<ExprPtr> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(t));
    args.push_back(std::move(f));
    return Call(at, "_?_:_", std::move(args), true);
  }

  ExprPtr ParseLogical(Tok op, const char* fn) {
    std::vector<ExprPtr> terms;
    std::vector<int32_t> ops;
    auto operand = [&] { return op == Tok::kOr ? ParseLogical(Tok::kAnd, "_&&_") : ParseRelation(); };
    terms.push_back(operand());
    while (!aborted_ && Is(op)) {
      ops.push_back(tok_.offset);
      Advance();
      terms.push_back(operand());
    }
    if (ops.empty()) return std::move(terms[0]);
    return Balance(fn, terms, ops, 0, ops.size() - 1);
  }

  ExprPtr ParseRelation() {
    RuleGuard g(this, &relation_depth_);
    ExprPtr left = ParseAddition();
    while (!aborted_) {
      const char* fn = nullptr;
      switch (TypeOf(tok_)) {
        case Tok::kLt: fn = "_<_"; break;
        case Tok::kLe: fn = "_<=_"; break;
        case Tok::kGt: fn = "_>_"; break;
        case Tok::kGe: fn = "_>=_"; break;
        case Tok::kEq: fn = "_==_"; break;
        case Tok::kNe: fn = "_!=_"; break;
        case Tok::kIn: fn = "@in"; break;
        default: break;
      }
      if (!fn) break;
      int32_t at = tok_.offset;
      Advance();
      ExprPtr right;
      {
        RuleGuard operand(this, &relation_depth_);
        right = ParseAddition();
      }
      left = Binary(at, fn, std::move(left), std::move(right), true);
    }
    return left;
  }

  ExprPtr ParseAddition() {
    RuleGuard g(this, &calc_depth_);
    ExprPtr left = ParseMultiplication();
    while (!aborted_ && (Is(Tok::kPlus) || Is(Tok::kMinus))) {
      const char* fn = Is(Tok::kPlus) ? "_+_" : "_-_";
      int32_t at = tok_.offset;
      Advance();
      ExprPtr right;
      {
        RuleGuard operand(this, &calc_depth_);
        right = ParseMultiplication();
      }
      left = Binary(at, fn, std::move(left), std::move(right), true);
    }
    return left;
  }

  ExprPtr ParseMultiplication() {
    ExprPtr left = ParseUnary();
    while (!aborted_ && (Is(Tok::kStar) || Is(Tok::kSlash) || Is(Tok::kPercent))) {
      const char* fn = Is(Tok::kStar) ? "_*_" : Is(Tok::kSlash) ? "_/_" : "_%_";
      int32_t at = tok_.offset;
      Advance();
      ExprPtr right;
      {
        RuleGuard operand(this, &calc_depth_);
        right = ParseUnary();
      }
      left = Binary(at, fn, std::move(left), std::move(right), true);
    }
    return left;
  }

  // unary: member | '!'+ member | '-'+ member. An even run of '!' or '-' cancels out, as
  // upstream builds it; a single '-' before a number is the number's sign.
  ExprPtr ParseUnary() {
    if (Is(Tok::kNot) || Is(Tok::kMinus)) {
      const Tok op = TypeOf(tok_);
      const int32_t first = tok_.offset;
      int count = 0;
      while (Is(op)) {
        ++count;
        Advance();
      }
      if (op == Tok::kMinus && count == 1 && (Is(Tok::kInt) || Is(Tok::kFloat))) {
        return ParseMemberSuffix(ParseNumber(first, true));
      }
      if (op == Tok::kMinus && count > 1 && !In(tok_, kExprStart) && !recovering_) {
        // ANTLR predicts whether another '-' follows or the operand starts (a signed number
        // may begin with '-'), and that prediction fails first; its recovery then reports
        // the missing operand as well.
        std::string text = tok_.kind == TokenKind::kEof ? "" : Escaped(tok_.raw);
        SyntaxError(tok_.offset, "no viable alternative at input '-" + text + "'");
        recovering_ = false;
      }
      ExprPtr e = ParseMember(kExprStart);
      if (count % 2 == 0) return e;
      std::vector<ExprPtr> args;
      args.push_back(std::move(e));
      return Call(first, op == Tok::kNot ? "!_" : "-_", std::move(args), false);
    }
    return ParseMember(kExprStart);
  }

  ExprPtr ParseMember(TokSet expected) { return ParseMemberSuffix(ParsePrimary(expected)); }

  // Field and index selections, receiver calls and message literals after a primary.
  ExprPtr ParseMemberSuffix(ExprPtr e) {
    while (!aborted_) {
      if (Is(Tok::kDot)) {
        // Upstream decides between select and member call before taking the '.', so a
        // '.' followed by no name fails without being consumed.
        Tok after = TypeOf(next_);
        if (after != Tok::kIdent && after != Tok::kEscIdent && after != Tok::kQuestion) {
          NoViableAfterDot();
          return e;
        }
        int32_t at = tok_.offset;
        Advance();
        bool optional = false;
        if (Is(Tok::kQuestion)) {
          optional = true;
          Advance();
        }
        if (!Is(Tok::kIdent) && !Is(Tok::kEscIdent)) {
          SyntaxError(tok_.offset, "mismatched input " + Display(tok_) + " expecting " + SetText(kFieldName));
          return e;
        }
        const bool escaped = Is(Tok::kEscIdent);
        const int32_t field_at = tok_.offset;
        std::string field = tok_.text;
        Advance();
        if (escaped && !options_.enable_ident_escape_syntax) ReportError(field_at, "unsupported syntax: '`'");
        if (!escaped && Is(Tok::kLParen)) {
          if (optional) {
            // `a.?b(` is not in the grammar: the call parenthesis is left for the caller.
          } else {
            int32_t call_at = tok_.offset;
            Advance();
            std::vector<ExprPtr> args = ParseArgs();
            e = MakeCall(call_at, field, std::move(e), std::move(args));
            continue;
          }
        }
        if (optional) {
          if (!options_.enable_optional_syntax) {
            e = ReportError(at, "unsupported syntax '.?'");
          } else {
            ExprPtr name = factory_.NewConst(field_at, Value::String(field));
            e = Binary(at, "_?._", std::move(e), std::move(name), false);
          }
        } else {
          int d = VisitDepth(e);
          e = CheckHeight(factory_.NewSelect(at, std::move(e), field, false));
          SetVisitDepth(e, d + 1);
        }
      } else if (Is(Tok::kLBracket)) {
        int32_t at = tok_.offset;
        Advance();
        bool optional = false;
        if (Is(Tok::kQuestion)) {
          optional = true;
          Advance();
        } else {
          Sync(kIndexStart);
        }
        ExprPtr index = ParseExpr();
        Match(Tok::kRBracket);
        if (optional && !options_.enable_optional_syntax) {
          e = ReportError(at, "unsupported syntax '[?'");
        } else {
          e = Binary(at, optional ? "_[?_]" : "_[_]", std::move(e), std::move(index), true);
        }
      } else if (Is(Tok::kLBrace) && IsQualifiedName(*e)) {
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
    // Upstream counts member calls, macros included, but not global calls.
    int d = VisitDepth(target);
    for (const auto& a : args) d = std::max(d, VisitDepth(a));
    if (target) ++d;
    ExprPtr out;
    std::string error;
    int32_t error_offset = at;
    switch (ExpandMacro(factory_, at, fn, target, args, &out, &error, &error_offset, macros_)) {
      case MacroResult::kExpanded:
        out = CheckHeight(std::move(out));
        SetVisitDepth(out, d);
        return out;
      case MacroResult::kError:
        return ReportError(error_offset, error);
      case MacroResult::kNotAMacro:
        break;
    }
    if (target) {
      out = CheckHeight(factory_.NewReceiverCall(at, fn, std::move(target), std::move(args)));
    } else {
      out = CheckHeight(factory_.NewCall(at, fn, std::move(args)));
    }
    SetVisitDepth(out, d);
    return out;
  }

  // After '(': exprList? ')'
  std::vector<ExprPtr> ParseArgs() {
    std::vector<ExprPtr> args;
    if (Accept(Tok::kRParen)) return args;
    if (Sync(kArgsStart) && Accept(Tok::kRParen)) return args;
    while (!aborted_) {
      args.push_back(ParseExpr());
      if (!Accept(Tok::kComma)) break;
    }
    Match(Tok::kRParen);
    return args;
  }

  // After '{' of a message literal: fields, optional trailing comma, '}'.
  ExprPtr ParseStructBody(int32_t at, std::string type) {
    std::vector<Entry> entries;
    bool first = true;
    while (!aborted_) {
      if (!Sync(first ? kFieldStart : kFieldStart & ~Bit(Tok::kComma))) break;
      if (Is(Tok::kRBrace)) break;
      if (first && Is(Tok::kComma)) {
        Advance();
        break;
      }
      first = false;
      Entry en;
      bool optional = false;
      int32_t opt_at = tok_.offset;
      if (Is(Tok::kQuestion)) {
        optional = true;
        Advance();
        if (!Sync(kFieldName)) break;
      }
      const bool escaped = Is(Tok::kEscIdent);
      en.offset = tok_.offset;
      en.field = tok_.text;
      int32_t field_at = tok_.offset;
      Advance();
      int32_t colon_at = tok_.offset;
      if (!Match(Tok::kColon)) break;
      en.id = factory_.NextId();
      en.offset = colon_at;
      en.optional = optional;
      size_t mark = issues_.size();
      en.value = ParseExpr();
      if (optional && !options_.enable_optional_syntax) {
        DropSemanticIssuesSince(mark);
        ReportError(opt_at, "unsupported syntax '?'");
      } else if (escaped && !options_.enable_ident_escape_syntax) {
        ReportError(field_at, "unsupported syntax: '`'");
      } else {
        entries.push_back(std::move(en));
      }
      if (!Accept(Tok::kComma)) break;
    }
    Match(Tok::kRBrace);
    int d = 0;
    for (const auto& en : entries) d = std::max(d, VisitDepth(en.value));
    ExprPtr e = CheckHeight(factory_.NewStruct(at, std::move(type), std::move(entries)));
    SetVisitDepth(e, d);
    return e;
  }

  ExprPtr ParseNumber(int32_t at, bool negative) {
    Token t = tok_;
    Advance();
    if (t.kind == TokenKind::kDouble) {
      std::string text = (negative ? "-" : "") + t.text;
      double d = std::strtod(text.c_str(), nullptr);
      if (std::isinf(d)) return ReportError(at, "invalid double literal");
      return factory_.NewConst(at, Value::Double(d));
    }
    bool hex = t.text.size() > 2 && (t.text[1] == 'x' || t.text[1] == 'X');
    std::string_view digits = hex ? std::string_view(t.text).substr(2) : std::string_view(t.text);
    uint64_t u = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), u, hex ? 16 : 10);
    bool overflow = res.ec != std::errc() || res.ptr != digits.data() + digits.size();
    if (t.kind == TokenKind::kUint) {
      if (overflow) return ReportError(at, "invalid uint literal");
      return factory_.NewConst(at, Value::Uint(u));
    }
    if (overflow || u > (negative ? 9223372036854775808ULL : 9223372036854775807ULL)) {
      return ReportError(at, "invalid int literal");
    }
    int64_t i = negative ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
    return factory_.NewConst(at, Value::Int(i));
  }

  // listInit and mapInitializerList: elements, an optional trailing comma and the closer.
  ExprPtr ParseList(int32_t at) {
    std::vector<ExprPtr> elems;
    std::vector<int32_t> optional;
    bool first = true;
    while (!aborted_) {
      if (!Sync(first ? kListStart : kListStart & ~Bit(Tok::kComma))) break;
      if (Is(Tok::kRBracket)) break;
      if (first && Is(Tok::kComma)) {
        Advance();
        break;
      }
      first = false;
      if (Is(Tok::kQuestion)) {
        int32_t q = tok_.offset;
        Advance();
        if (!options_.enable_optional_syntax) {
          ReportError(q, "unsupported syntax '?'");
        } else {
          optional.push_back(static_cast<int32_t>(elems.size()));
        }
      }
      elems.push_back(ParseExpr());
      if (!Accept(Tok::kComma)) break;
    }
    Match(Tok::kRBracket);
    int d = 0;
    for (const auto& el : elems) d = std::max(d, VisitDepth(el));
    ExprPtr e = CheckHeight(factory_.NewList(at, std::move(elems), std::move(optional)));
    SetVisitDepth(e, d);
    return e;
  }

  ExprPtr ParseMap(int32_t at) {
    std::vector<Entry> entries;
    bool first = true;
    while (!aborted_) {
      if (!Sync(first ? kMapStart : kMapStart & ~Bit(Tok::kComma))) break;
      if (Is(Tok::kRBrace)) break;
      if (first && Is(Tok::kComma)) {
        Advance();
        break;
      }
      first = false;
      Entry en;
      int32_t opt_at = tok_.offset;
      if (Is(Tok::kQuestion)) {
        en.optional = true;
        Advance();
      }
      size_t mark = issues_.size();
      en.key = ParseExpr();
      int32_t colon_at = tok_.offset;
      if (!Match(Tok::kColon)) break;
      en.id = factory_.NextId();
      en.offset = colon_at;
      en.value = ParseExpr();
      if (en.optional && !options_.enable_optional_syntax) {
        DropSemanticIssuesSince(mark);
        ReportError(opt_at, "unsupported syntax '?'");
      } else {
        entries.push_back(std::move(en));
      }
      if (!Accept(Tok::kComma)) break;
    }
    Match(Tok::kRBrace);
    int d = 0;
    for (const auto& en : entries) d = std::max({d, VisitDepth(en.key), VisitDepth(en.value)});
    ExprPtr e = CheckHeight(factory_.NewMap(at, std::move(entries)));
    SetVisitDepth(e, d);
    return e;
  }

  ExprPtr ParsePrimary(TokSet expected) {
    int32_t at = tok_.offset;
    if (!In(tok_, kExprStart)) {
      if (!Sync(expected) || !In(tok_, kExprStart)) return factory_.NewConst(at, Value());
      at = tok_.offset;
    }
    switch (TypeOf(tok_)) {
      case Tok::kInt:
      case Tok::kUint:
      case Tok::kFloat:
        return ParseNumber(at, false);
      case Tok::kString:
      case Tok::kBytes: {
        const bool bytes = Is(Tok::kBytes);
        Token t = tok_;
        Advance();
        if (!t.error.empty()) return ReportError(at, t.error);
        return factory_.NewConst(at, bytes ? Value::Bytes(t.text) : Value::String(t.text));
      }
      case Tok::kTrue:
      case Tok::kFalse: {
        bool b = Is(Tok::kTrue);
        Advance();
        return factory_.NewConst(at, Value::Bool(b));
      }
      case Tok::kNull:
        Advance();
        return factory_.NewConst(at, Value::Null());
      case Tok::kLParen: {
        Advance();
        ExprPtr e = ParseExpr();
        Match(Tok::kRParen);
        return e;
      }
      case Tok::kLBracket:
        Advance();
        return ParseList(at);
      case Tok::kLBrace:
        Advance();
        return ParseMap(at);
      case Tok::kDot:
      case Tok::kIdent: {
        const bool leading_dot = Is(Tok::kDot);
        if (leading_dot) {
          if (TypeOf(next_) != Tok::kIdent) {
            NoViableAfterDot();
            return factory_.NewConst(at, Value());
          }
          Advance();
        }
        std::string name = tok_.text;
        Advance();
        if (IsReservedId(name)) return ReportError(at, "reserved identifier: " + name);
        if (leading_dot) name = "." + name;
        if (Is(Tok::kLParen)) {
          int32_t call_at = tok_.offset;
          Advance();
          std::vector<ExprPtr> args = ParseArgs();
          return MakeCall(call_at, name, nullptr, std::move(args));
        }
        return factory_.NewIdent(leading_dot ? at + 1 : at, std::move(name));
      }
      default:
        return factory_.NewConst(at, Value());
    }
  }

  const ParserOptions& options_;
  MacroSet macros_;
  Lexer lexer_;
  Token tok_, next_;
  ExprFactory factory_;
  std::vector<Issue> issues_;
  std::vector<int> visit_depth_;  // by node id (ids are dense)
  bool recovering_ = false;
  bool aborted_ = false;
  bool visit_overflow_ = false;
  bool height_reported_ = false;
  int expr_depth_ = 0;
  int relation_depth_ = 0;
  int calc_depth_ = 0;
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
