#include "api/resource/resource.h"

namespace haru::api::resource {

void RegisterResourceKinds(std::vector<const KindSpec*>& out) {
  out.push_back(&DeviceClassKind());
  out.push_back(&ResourceClaimKind());
  out.push_back(&ResourceClaimTemplateKind());
  out.push_back(&ResourceSliceKind());
  out.push_back(&DeviceTaintRuleKind());
}

}  // namespace haru::api::resource
