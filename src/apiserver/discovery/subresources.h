#pragma once
// What each known subresource serves: the kind it takes or returns and its verbs, as upstream's
// discovery reports them (pods/status: Pod get/patch/update; pods/binding: Binding create ...).

#include <string>
#include <string_view>
#include <vector>

#include "api/kind_spec.h"

namespace haru::apiserver {

struct SubresourceInfo {
  api::GroupVersionKind gvk;        // the kind sent to / returned by the subresource
  std::vector<std::string> verbs;   // sorted, as discovery lists them
};

SubresourceInfo DescribeSubresource(const api::KindSpec& kind, std::string_view subresource);

// The kind's verbs: KindSpec::verbs, or the default set; sorted.
std::vector<std::string> KindVerbs(const api::KindSpec& kind);

// "status" (when has_status) followed by extra_subresources.
std::vector<std::string> SubresourceNames(const api::KindSpec& kind);

}  // namespace haru::apiserver
