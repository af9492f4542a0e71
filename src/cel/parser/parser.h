#pragma once
// Recursive-descent parser for the full CEL grammar (cel-spec langdef "Syntax"), with macro
// expansion and optional syntax (`a.?b`, `a[?i]`, `[?x]`, `{?k: v}`). Errors are data: each
// Issue points at a byte offset; the parser never throws and bounds its recursion.

#include <string>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/common/source.h"

namespace haru::cel {

struct ParserOptions {
  // Deepest allowed nesting of the expression tree; deeper input is an error, not a crash.
  int max_recursion_depth = 250;
  // Longest accepted expression, in bytes.
  size_t max_expression_size = 100 * 1024;
  bool enable_optional_syntax = true;
};

struct ParseResult {
  ExprPtr expr;  // null when issues is not empty
  int64_t next_id = 0;
  std::vector<Issue> issues;
  bool ok() const { return issues.empty(); }
};

ParseResult Parse(const Source& source, const ParserOptions& options = {});

}  // namespace haru::cel
