#pragma once
// Brings one node's ResourceSlices of driver gpu.haru.dev to the desired state: creates the
// missing, updates the changed (a new pool generation for all of them, as a driver republishing
// its pool does), deletes stale ones. Unchanged slices cost no write.
//
// Thread-safe for different nodes.

#include <map>
#include <string>
#include <vector>

#include "client/client.h"
#include "common/json.h"

namespace haru::node::sim {

// Every slice of our driver, grouped by spec.nodeName (one List).
StatusOr<std::map<std::string, std::vector<Json>>> ListDriverSlices(client::Client& client);
// Slices of our driver for one node (a List with a field selector).
StatusOr<std::vector<Json>> ListNodeSlices(client::Client& client, const std::string& node);

// `build(generation)` returns the desired slices at that generation; `existing` are the
// node's current slices of our driver. Returns how many writes were made.
StatusOr<int> PublishSlices(client::Client& client, const std::vector<Json>& existing,
                            const std::function<std::vector<Json>(int64_t generation)>& build);

}  // namespace haru::node::sim
