// Checks our parser against the ASTs and parse errors cel-go recorded for cel-spec's parsing,
// checking and comprehension tests (dumped to JSON by scripts/install-test-tools.sh): every
// test with an `ast` must print the same under DebugString, and every test without one (the
// parse failed) must fail with the same error text. The data was produced with cel-go's
// standard macros only, optional and escaped-identifier syntax off, and a recursion limit of
// 32; the options below match.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cel/conformance/conformance_data.h"
#include "cel/ast/debug_printer.h"
#include "cel/parser/parser.h"
#include "common/json.h"

namespace haru::cel {
namespace {

using conformance::DataDir;

using conformance::ReadFile;

// Tests whose error text depends on ANTLR's error recovery (which tokens it resynchronizes
// on, its recovery and lookahead limits) or on how cel-go draws the caret under wide
// characters; our recursive-descent parser reports the first of these errors, not the list.
struct Skip {
  const char* expr_prefix;
  const char* reason;
};
constexpr Skip kSkips[] = {
    {"a ? b ((?))", "ANTLR's error recovery attempt limit (4) cuts the parse short"},
    {"x{?.", "ANTLR's error recovery attempt limit (4) cuts the parse short"},
    {"\xc3\xb3\xc2\xa0", "ANTLR's recovery lookahead limit (4) stops its lazy lexer mid-input"},
};

const char* SkipReason(const std::string& expr) {
  if (std::getenv("PARSE_NO_SKIP")) return nullptr;  // to see whether a skip still fails
  for (const Skip& s : kSkips) {
    if (expr.rfind(s.expr_prefix, 0) == 0) return s.reason;
  }
  return nullptr;
}

// The description cel-go printed (the parsing data used an unnamed source).
std::string DescriptionOf(const std::string& error) {
  const std::string head = "ERROR: ";
  if (error.rfind(head, 0) != 0) return "<input>";
  size_t colon = error.find(':', head.size());
  return colon == std::string::npos ? "<input>" : error.substr(head.size(), colon - head.size());
}

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

void RunFile(const std::string& name, Counts* total) {
  std::string text;
  if (!ReadFile(DataDir() + name + ".json", &text)) GTEST_SKIP() << "no " << name << ".json; run scripts/install-test-tools.sh";
  auto doc = ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  Counts c;
  ParserOptions opts;
  opts.max_recursion_depth = 32;
  opts.enable_optional_syntax = false;
  opts.enable_ident_escape_syntax = false;
  opts.enable_two_variable_comprehensions = false;
  opts.enable_extension_macros = false;
  int index = 0;
  for (const Json& t : (*doc)["tests"]) {
    ++index;
    const std::string expr = t["original"]["expr"].get<std::string>();
    const bool has_ast = t.contains("ast");
    if (!has_ast && !t.contains("error")) continue;
    if (const char* why = SkipReason(expr); why && !has_ast) {
      ++c.skipped;
      continue;
    }
    std::string want = has_ast ? t["ast"].get<std::string>() : t["error"].get<std::string>();
    Source src(expr, has_ast ? "<input>" : DescriptionOf(want));
    ParseResult r = Parse(src, opts);
    std::string got;
    if (r.ok()) {
      got = has_ast ? DebugString(*r.expr) : "(parsed)\n" + DebugString(*r.expr);
    } else {
      got = FormatIssues(src, r.issues);
    }
    if (got == want) {
      ++c.passed;
    } else {
      ++c.failed;
      ADD_FAILURE() << name << " #" << index << ": " << expr << "\n--- want\n" << want << "\n--- got\n" << got;
    }
  }
  std::printf("[ parse    ] %s: %d passed, %d failed, %d skipped\n", name.c_str(), c.passed, c.failed, c.skipped);
  total->passed += c.passed;
  total->failed += c.failed;
  total->skipped += c.skipped;
}

TEST(ParseConformance, Parsing) {
  Counts c;
  RunFile("parsing", &c);
}
TEST(ParseConformance, Checking) {
  Counts c;
  RunFile("checking", &c);
}
TEST(ParseConformance, Comprehension) {
  Counts c;
  RunFile("comprehension", &c);
}

}  // namespace
}  // namespace haru::cel
