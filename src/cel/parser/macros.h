#pragma once
// Parse-time macro expansion (cel-spec "Macros"): has, all, exists, exists_one, map, filter,
// the two-variable forms, cel.bind and the optional helpers optMap/optFlatMap. Each macro
// becomes a comprehension (or a select/ternary), so the planner only sees core nodes.

#include <string>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/parser/expr_factory.h"

namespace haru::cel {

// The accumulator name the expansions use; not a legal identifier, so users cannot clash.
inline constexpr char kAccumulatorName[] = "@result";

// cel-go's traditional accumulator name; still refused as an iteration variable.
inline constexpr char kLegacyAccumulatorName[] = "__result__";

enum class MacroResult { kNotAMacro, kExpanded, kError };

// Which macros beyond cel-spec's standard set (has, all, exists, exists_one/existsOne, map,
// filter) are expanded.
struct MacroSet {
  bool two_variable_comprehensions = true;
  bool extensions = true;  // cel.bind, cel.block & co, optMap, optFlatMap, sortBy
};

// Tries to expand `target.function(args)` (target may be null for a global call). On
// kExpanded, *out holds the expansion; on kError, *error holds the message and *error_offset
// where to point. On kNotAMacro, `target` and `args` are left untouched.
MacroResult ExpandMacro(ExprFactory& factory, int32_t offset, const std::string& function,
                        ExprPtr& target, std::vector<ExprPtr>& args, ExprPtr* out,
                        std::string* error, int32_t* error_offset, const MacroSet& set = {});

}  // namespace haru::cel
