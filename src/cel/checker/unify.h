#pragma once
// Type unification for the checker: which type can stand where another is expected, binding
// type parameters on the way, following cel-go's checker/types.go rules (dyn and error
// unify with anything; null with nullable types; lists, maps and abstract types by
// parameter; a type parameter with any type that does not contain it).

#include <map>
#include <string>
#include <vector>

#include "cel/checker/types.h"

namespace haru::cel {

// Bindings of type parameters, by parameter name.
using Substitutions = std::map<std::string, TypePtr>;

bool IsDynOrError(const TypePtr& t);
// Whether `t1` and `t2` unify, in cel-go's argument order (mostly symmetric; null and
// wrappers are not): on success `subs` holds the bindings made, on failure it is unchanged.
bool IsAssignable(Substitutions& subs, const TypePtr& t1, const TypePtr& t2);
bool IsAssignableList(Substitutions& subs, const std::vector<TypePtr>& t1,
                      const std::vector<TypePtr>& t2);
// Replaces bound type parameters (transitively); unbound ones become dyn when `free_to_dyn`.
TypePtr Substitute(const Substitutions& subs, const TypePtr& t, bool free_to_dyn);
// The more general of two types known to unify (dyn or a parameter beats a concrete type).
TypePtr MostGeneral(const TypePtr& a, const TypePtr& b);

}  // namespace haru::cel
