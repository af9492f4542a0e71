#pragma once
// The device-taint eviction controller (upstream pkg/controller/devicetainteviction), over the
// Client. A pod that is scheduled, not finished, and reserved in an allocated ResourceClaim
// whose devices carry a NoExecute taint its requests do not tolerate is evicted: it gets the
// DisruptionTarget condition (reason DeletionByDeviceTaintManager), a DeviceTaintManagerEviction
// event, and is deleted (UID precondition). Taints come from the ResourceSlices (the newest
// generation of each pool) and from DeviceTaintRules (resource.k8s.io/v1beta2) selecting by
// driver, pool and device. A toleration with tolerationSeconds delays the eviction to
// timeAdded + tolerationSeconds; one without it tolerates forever. Tolerations are those the
// allocator copied into status.allocation.devices.results[], else the claim's request ones.
//
// Each DeviceTaintRule gets the EvictionInProgress condition with upstream's reasons and
// messages (PodsPendingEviction, Completed, NotStarted, NoEffect for effect None, OtherEffect).

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "client/client.h"
#include "controllers/internal/cache_controller.h"
#include "controllers/internal/event_recorder.h"

namespace haru::controllers {

class DeviceTaintEvictionController : public CacheController {
 public:
  explicit DeviceTaintEvictionController(client::Client* client, NowFn now = nullptr);
  ~DeviceTaintEvictionController() override { Stop(); }
  void Sync() override;

 private:
  // Deletes the pod after marking it; returns whether it is gone or going.
  bool Evict(const Json& pod);
  void UpdateRuleStatus(const Json& rule, int64_t pending_pods, int64_t pending_namespaces,
                        int64_t slice_devices, int64_t allocated_devices);

  ObjectCache* pods_;
  ObjectCache* claims_;
  ObjectCache* slices_;
  ObjectCache* rules_;
  EventRecorder events_;
  // When a taint without timeAdded was first seen, by "<driver>/<pool>/<device>/<taint>".
  std::map<std::string, int64_t> first_seen_;
  // Pods with an eviction pending (uid), to announce a cancellation.
  std::set<std::string> pending_;
  // Pods evicted since the controller started, by rule uid.
  std::map<std::string, int64_t> evicted_by_rule_;
};

}  // namespace haru::controllers
