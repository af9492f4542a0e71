#pragma once

namespace haru::cmd {

inline constexpr const char* kHaruVersion = "0.1.0";
// The Kubernetes release haru speaks; /version reports it as gitVersion.
inline constexpr const char* kKubernetesVersion = "v1.36.3";
inline constexpr const char* kKubernetesMajor = "1";
inline constexpr const char* kKubernetesMinor = "36";

}  // namespace haru::cmd
