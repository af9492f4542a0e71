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
  // cel-go's recursion limit: the deepest nesting of sub-expressions (parentheses, list and map
  // elements, arguments, indexes) and of operator, select, index and member-call chains.
  // Deeper input is an error, not a crash.
  int max_recursion_depth = 250;
  // Highest allowed expression tree (Expr::depth, macro expansions included), so that every
  // later pass may recurse over the tree safely.
  int max_tree_height = 250;
  // Longest accepted expression, in bytes.
  size_t max_expression_size = 100 * 1024;
  // `a.?b`, `a[?i]`, `[?x]`, `{?k: v}`; when false these are reported as unsupported syntax.
  bool enable_optional_syntax = true;
  // Backquoted field names (a.`b-c`); when false these are reported as unsupported syntax.
  bool enable_ident_escape_syntax = true;
  // The two-variable forms all/exists/existsOne/exists_one(k, v, p) and
  // transformList/transformMap(k, v, [filter,] f); when false these stay plain calls.
  bool enable_two_variable_comprehensions = true;
  // Macros outside cel-spec's standard set: cel.bind, cel.block (and cel.index, cel.iterVar,
  // cel.accuVar), optMap, optFlatMap and sortBy; when false these stay plain calls.
  bool enable_extension_macros = true;
};

struct ParseResult {
  ExprPtr expr;  // null when issues is not empty
  int64_t next_id = 0;
  std::vector<Issue> issues;
  bool ok() const { return issues.empty(); }
};

ParseResult Parse(const Source& source, const ParserOptions& options = {});

}  // namespace haru::cel
