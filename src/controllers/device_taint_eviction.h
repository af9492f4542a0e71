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
//
// Work follows changes: the slice taints are re-read only when slices change; while no
// NoExecute taint exists anywhere a pod or claim change costs nothing; otherwise only claims
// allocated on changed or tainted devices (an index device -> claims) and the pods reserved
// in them are looked at. Every resync pass looks at everything again.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "controllers/internal/cache_controller.h"
#include "controllers/internal/event_recorder.h"

namespace haru::controllers {

class DeviceTaintEvictionController : public CacheController {
 public:
  explicit DeviceTaintEvictionController(client::Client* client, NowFn now = nullptr);
  ~DeviceTaintEvictionController() override { Stop(); }
  void Sync() override;

  // A device taint as the controller reads it (public for the helpers in the .cc file).
  struct Taint {
    std::string key, value, effect;
    int64_t time_added = -1;  // resolved from first_seen_ when the taint has none
    std::string rule_uid;  // "" for a taint published in a ResourceSlice
  };
  struct ClaimEviction {
    int64_t at = INT64_MAX;
    std::set<std::string> rules;
    bool operator==(const ClaimEviction&) const = default;
  };
  struct PendingPod {
    std::string uid, ns;
    std::set<std::string> rules;
  };
  struct AllocatedDevice {
    std::string driver, pool, device;
    std::set<std::string> claims;  // "ns/name"
  };

 private:

  // Re-reads the taints of the published devices (the newest generation of each pool).
  void RebuildSliceTaints(int64_t now);
  void IndexClaim(const ObjectPtr& before, const ObjectPtr& after);
  bool DeviceHasNoExecute(const AllocatedDevice& d, const std::vector<ObjectPtr>& rules) const;
  ClaimEviction ComputeEviction(const Json& claim, const std::vector<ObjectPtr>& rules, int64_t now);
  void SyncPod(const std::string& key, int64_t now);
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
  // NoExecute-relevant state, kept between passes.
  std::map<std::string, std::vector<Taint>> slice_taints_;  // by "<driver>/<pool>/<device>"
  bool slice_no_execute_ = false;
  std::unordered_map<std::string, AllocatedDevice> allocated_;  // by device key
  std::map<std::string, ClaimEviction> claim_eviction_;        // claims whose users must go
  // Pods with an eviction pending ("ns/name"), to announce a cancellation.
  std::map<std::string, PendingPod> pending_;
  // Pods evicted since the controller started, by rule uid.
  std::map<std::string, int64_t> evicted_by_rule_;
};

}  // namespace haru::controllers
