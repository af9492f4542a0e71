#pragma once
// The /version document (version.Info), reporting the Kubernetes release haru speaks.

#include <string>

namespace haru::apiserver {

inline constexpr const char* kGitVersion = "v1.36.3+haru";
std::string VersionJson();

}  // namespace haru::apiserver
