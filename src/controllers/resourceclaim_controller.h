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

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "controllers/internal/cache_controller.h"
#include "controllers/internal/event_recorder.h"
#include "controllers/internal/work_queue.h"

namespace haru::controllers {

inline constexpr char kPodClaimNameAnnotation[] = "resource.kubernetes.io/pod-claim-name";
inline constexpr char kClaimDeleteProtectionFinalizer[] = "resource.kubernetes.io/delete-protection";

class ResourceClaimController : public CacheController {
 public:
  explicit ResourceClaimController(client::Client* client, NowFn now = nullptr);
  ~ResourceClaimController() override { Stop(); }
  void Sync() override;

 private:
  // Each returns false when a write failed and the object should be looked at again.
  bool SyncPod(const Json& pod);
  bool SyncClaim(const Json& claim);
  // Keeps the indexes below current and queues the pods and claims a change concerns.
  void OnPod(const ObjectPtr& before, const ObjectPtr& after);
  void OnClaim(const ObjectPtr& before, const ObjectPtr& after);
  // Whether the pod with that name and uid is gone; asks the API when the cache lacks it,
  // since the cache may not have seen a new pod yet.
  bool PodGone(const std::string& ns, const std::string& name, const std::string& uid);

  // Generated claims ("ns/name") by the uid of their owning pod.
  std::unordered_map<std::string, std::set<std::string>> claims_by_pod_;
  // Pods ("ns/name") by the claims ("ns/name") their spec or status names.
  std::unordered_map<std::string, std::set<std::string>> pods_by_claim_;
  // Claims by the pods ("ns/name") in their status.reservedFor.
  std::unordered_map<std::string, std::set<std::string>> claims_by_reserved_pod_;
  WorkQueue pod_queue_;
  WorkQueue claim_queue_;
  ObjectCache* pods_;
  ObjectCache* claims_;
  ObjectCache* templates_;
  EventRecorder events_;
};

}  // namespace haru::controllers
