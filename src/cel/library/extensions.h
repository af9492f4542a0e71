#pragma once
// The CEL extension libraries Kubernetes enables (cel-go ext.*), one family per file.

#include "cel/runtime/function_registry.h"

namespace haru::cel {

void RegisterStringExtensions(FunctionRegistry& r);  // strings_ext.cc
void RegisterStringFormat(FunctionRegistry& r);      // strings_format.cc
void RegisterMathExtensions(FunctionRegistry& r);    // math_ext.cc
void RegisterListExtensions(FunctionRegistry& r);    // lists_ext.cc
void RegisterSetExtensions(FunctionRegistry& r);     // sets_ext.cc

inline void RegisterExtensionLibraries(FunctionRegistry& r) {
  RegisterStringExtensions(r);
  RegisterMathExtensions(r);
  RegisterListExtensions(r);
  RegisterSetExtensions(r);
}

}  // namespace haru::cel
