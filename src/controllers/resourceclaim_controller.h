#pragma once
// The resourceclaim controller (upstream pkg/controller/resourceclaim), over the Client:
//  - a pod's spec.resourceClaims entry that names a resourceClaimTemplateName gets a
//    ResourceClaim made from the template (generateName "<pod>-<claim>-", the pod as its
//    controlling owner, annotation resource.kubernetes.io/pod-claim-name), recorded in
//    pod.status.resourceClaimStatuses; an existing claim of the pod is reused;
//  - a scheduled pod's allocated claim gets the pod in status.reservedFor when missing;
//  - status.reservedFor loses pods that are gone or done; a claim that stops being used is
//    deallocated (status.allocation cleared) and loses the resource.kubernetes.io/
//    delete-protection finalizer; a claim generated for a pod that is done is deleted.
//  - the delete-protection finalizer is added to an allocated claim that lacks it (upstream's
//    scheduler adds it when it allocates; haru also does it here so no writer can skip it).

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "controllers/internal/cache_controller.h"
#include "controllers/internal/event_recorder.h"

namespace haru::controllers {

inline constexpr char kPodClaimNameAnnotation[] = "resource.kubernetes.io/pod-claim-name";
inline constexpr char kClaimDeleteProtectionFinalizer[] = "resource.kubernetes.io/delete-protection";

class ResourceClaimController : public CacheController {
 public:
  explicit ResourceClaimController(client::Client* client, NowFn now = nullptr);
  ~ResourceClaimController() override { Stop(); }
  void Sync() override;

 private:
  void SyncPod(const Json& pod);
  void SyncClaim(const Json& claim);
  // Whether the pod with that name and uid is gone; asks the API when the cache lacks it,
  // since the cache may not have seen a new pod yet.
  bool PodGone(const std::string& ns, const std::string& name, const std::string& uid);

  // Generated claims by the uid of their owning pod, rebuilt each pass.
  std::unordered_map<std::string, std::vector<ObjectPtr>> claims_by_pod_;
  ObjectCache* pods_;
  ObjectCache* claims_;
  ObjectCache* templates_;
  EventRecorder events_;
};

}  // namespace haru::controllers
