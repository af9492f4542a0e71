#pragma once
// What a kubelet checks before it starts a pod that uses DRA claims, and what the built-in
// driver `gpu.haru.dev` records when it "prepares" a device. A pod may start once every claim
// it references exists, is allocated, lists the pod in status.reservedFor, and every result of
// our driver comes from this node's pool.
//
// Pure functions except PublishDeviceStatus (one API write): thread-safe.

#include <string>
#include <vector>

#include "client/client.h"
#include "common/json.h"

namespace haru::node::sim {

enum class ClaimsVerdict {
  kReady,    // every claim is allocated and reserved for the pod here: start it
  kWaiting,  // a claim name, allocation or reservation is not there yet: check again later
  kFailed,   // a claim is allocated to another node's devices: the pod cannot run here
};

struct ClaimsCheck {
  ClaimsVerdict verdict = ClaimsVerdict::kReady;
  std::string message;       // why it waits or failed
  std::vector<Json> claims;  // the pod's claims, when kReady
};

// The claim names the pod uses: spec.resourceClaims[].resourceClaimName, or for a template the
// generated name in status.resourceClaimStatuses. Sets `waiting` when a generated name is not
// recorded yet. Entries whose status names no claim need none and are skipped.
std::vector<std::string> PodClaimNames(const Json& pod, bool* waiting, std::string* why);

// Whether `claim` lets `pod` start on `node` (allocated, reserved for it, our results local).
ClaimsVerdict CheckClaim(const Json& claim, const Json& pod, const std::string& node, std::string* why);

// Reads the pod's claims and checks each.
ClaimsCheck CheckPodClaims(client::Client& client, const Json& pod, const std::string& node);

// Records status.devices for `claim`'s results of our driver (Ready condition), unless already
// there. A merge patch on resourceclaims/status.
Status PublishDeviceStatus(client::Client& client, const Json& claim, const std::string& node);

}  // namespace haru::node::sim
