#pragma once
// The CEL standard library, one family per file (cel-cpp's runtime/standard layout).

#include "cel/runtime/function_registry.h"

namespace haru::cel {

void RegisterArithmeticFunctions(FunctionRegistry& r);   // arithmetic.cc
void RegisterComparisonFunctions(FunctionRegistry& r);   // comparison.cc
void RegisterConversionFunctions(FunctionRegistry& r);   // conversions.cc
void RegisterStringFunctions(FunctionRegistry& r);       // strings.cc
void RegisterContainerFunctions(FunctionRegistry& r);    // containers.cc
void RegisterTimeFunctions(FunctionRegistry& r);         // time.cc
void RegisterOptionalFunctions(FunctionRegistry& r);     // optional.cc
void RegisterEncoderFunctions(FunctionRegistry& r);      // encoders.cc (extension)

inline void RegisterStandardLibrary(FunctionRegistry& r) {
  RegisterArithmeticFunctions(r);
  RegisterComparisonFunctions(r);
  RegisterConversionFunctions(r);
  RegisterStringFunctions(r);
  RegisterContainerFunctions(r);
  RegisterTimeFunctions(r);
  RegisterOptionalFunctions(r);
  RegisterEncoderFunctions(r);
}

}  // namespace haru::cel
