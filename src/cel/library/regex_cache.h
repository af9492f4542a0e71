#pragma once
// RE2 patterns compiled once per thread (a selector evaluated over many devices compiles its
// pattern once); shared by matches() and the Kubernetes regex library.

#include <string>
#include <string_view>

#include <re2/re2.h>

namespace haru::cel {

// The compiled pattern, or null with *error set when RE2 rejects it. Valid until this
// thread compiles more than a handful of other patterns: use it at once.
const RE2* CompiledPattern(std::string_view pattern, std::string* error);

}  // namespace haru::cel
