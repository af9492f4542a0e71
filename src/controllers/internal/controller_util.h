#pragma once
// Small helpers shared by the client-based controllers: resources, object metadata,
// conditions, pods' lifecycle, and a read-modify-write that survives conflicts.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "client/client.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::controllers {

// Seconds since the epoch; injectable so tests can move time.
using NowFn = std::function<int64_t()>;
int64_t SystemNow();

inline const client::Resource kPods{"", "v1", "pods"};
inline const client::Resource kEvents{"", "v1", "events"};
inline const client::Resource kJobs{"batch", "v1", "jobs"};
inline const client::Resource kResourceClaims{"resource.k8s.io", "v1", "resourceclaims"};
inline const client::Resource kResourceClaimTemplates{"resource.k8s.io", "v1", "resourceclaimtemplates"};
inline const client::Resource kResourceSlices{"resource.k8s.io", "v1", "resourceslices"};
inline const client::Resource kDeviceTaintRules{"resource.k8s.io", "v1beta2", "devicetaintrules"};

// Field access that never throws on a missing or mistyped member.
const Json& Field(const Json& obj, std::string_view key);  // null Json when absent
std::string Str(const Json& obj, std::string_view key);
const Json& Arr(const Json& obj, std::string_view key);  // empty array when absent
std::string Namespace(const Json& obj);
std::string Name(const Json& obj);
std::string Uid(const Json& obj);
bool IsDeleting(const Json& obj);
bool HasFinalizer(const Json& obj, std::string_view finalizer);
// Returns whether the list changed.
bool AddFinalizer(Json& obj, std::string_view finalizer);
bool RemoveFinalizer(Json& obj, std::string_view finalizer);
// The ownerReference with controller=true, or null Json.
const Json& ControllerRef(const Json& obj);

// Pod lifecycle.
std::string PodPhase(const Json& pod);
bool IsPodTerminal(const Json& pod);  // Succeeded or Failed
bool IsPodReady(const Json& pod);
// The condition of that type in status.conditions, or null Json.
const Json& FindCondition(const Json& obj, std::string_view type);
bool IsConditionTrue(const Json& obj, std::string_view type);

// RFC 3339 seconds, and its parse (nullopt-like -1 when unparsable).
std::string FormatTime(int64_t unix_seconds);
int64_t ParseTime(std::string_view text);

// Update (PUT) of `current` changed by `mutate`, retried with a fresh GET on Conflict. `mutate`
// returns false when nothing needs to change; then no write happens and the current object
// is returned.
StatusOr<Json> UpdateWithRetry(client::Client& client, const client::Resource& resource,
                               const Json& current, std::string_view subresource,
                               const std::function<bool(Json&)>& mutate);

}  // namespace haru::controllers
