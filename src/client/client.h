#pragma once
// Client is how haru's own components (scheduler, controllers, the simulated node agent) talk
// to the API: the verbs kubectl and client-go use, on JSON objects. Two implementations:
// in-process (over the Registry, so every write goes through defaulting, validation and
// admission like any request) and HTTPS (a kubeconfig, for `haru scheduler` and `haru sim`
// running as separate processes). Errors are Status values with the API's code and reason
// (NotFound, AlreadyExists, Conflict, Invalid, Gone, ...), the metav1.Status message intact.
//
// Thread-safe: all methods may be called concurrently.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace haru::registry {
class Registry;
}

namespace haru::client {

// A served resource: {"", "v1", "pods"}, {"resource.k8s.io", "v1", "resourceclaims"}.
struct Resource {
  std::string group;
  std::string version;
  std::string plural;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;  // e.g. "spec.nodeName=node-1"
  int64_t limit = 0;           // 0 = everything
  std::string continue_token;
  std::string resource_version;  // "" = most recent
  // Watch only: deliver each event's object only as WatchEvent::shared_object, leaving
  // WatchEvent::object null; saves a copy per event for watchers that keep shared objects.
  // Read events through WatchEvent::Object(), which works either way.
  bool shared_objects_only = false;
};

struct ObjectList {
  std::vector<Json> items;
  std::string resource_version;  // the list's metadata.resourceVersion
  std::string continue_token;
};

enum class PatchType { kMerge, kStrategicMerge, kJson };

struct DeleteOptions {
  std::string propagation_policy;  // "", "Background", "Foreground", "Orphan"
  int64_t grace_period_seconds = -1;  // -1 = the object's default
  std::string precondition_uid;
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark };

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  Json object;  // the object (for kBookmark only metadata.resourceVersion)
  // The same object, immutable and shareable, set instead of `object` when the watch asked for
  // shared_objects_only: the in-process client then parses an event once for all such
  // watchers. Null otherwise (and from fakes): read events through Object().
  std::shared_ptr<const Json> shared_object;

  const Json& Object() const { return shared_object ? *shared_object : object; }
};

// Called on the watch's own thread, in resourceVersion order; keep it short. Return false to
// end the watch.
using WatchCallback = std::function<bool(const WatchEvent&)>;
// Called once when a watch ends on its own (server closed it, 410 Gone, connection lost);
// not called after Stop().
using WatchClosed = std::function<void(const Status&)>;

class WatchHandle {
 public:
  virtual ~WatchHandle() = default;
  // Ends the watch; after it returns no callback runs again. Also done by the destructor.
  virtual void Stop() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  virtual StatusOr<Json> Get(const Resource& r, std::string_view ns, std::string_view name) = 0;
  virtual StatusOr<ObjectList> List(const Resource& r, std::string_view ns, const ListOptions& options) = 0;
  virtual StatusOr<Json> Create(const Resource& r, std::string_view ns, const Json& object) = 0;
  // PUT of the whole object; metadata.resourceVersion is the precondition (Conflict on mismatch).
  // `subresource` "" or "status".
  virtual StatusOr<Json> Update(const Resource& r, std::string_view ns, const Json& object,
                                std::string_view subresource = "") = 0;
  virtual StatusOr<Json> Patch(const Resource& r, std::string_view ns, std::string_view name,
                               PatchType type, std::string_view patch, std::string_view subresource = "") = 0;
  virtual Status Delete(const Resource& r, std::string_view ns, std::string_view name,
                        const DeleteOptions& options = {}) = 0;
  // POST to a subresource, e.g. pods/binding (a v1 Binding) or pods/eviction.
  virtual StatusOr<Json> CreateSubresource(const Resource& r, std::string_view ns, std::string_view name,
                                           std::string_view subresource, const Json& body) = 0;
  // Create, Update and Patch for callers that need only the outcome, not the written object:
  // the in-process client then skips decoding it. The defaults call the verbs above.
  virtual Status CreateNoResult(const Resource& r, std::string_view ns, const Json& object) {
    return Create(r, ns, object).status();
  }
  virtual Status UpdateNoResult(const Resource& r, std::string_view ns, const Json& object,
                                std::string_view subresource = "") {
    return Update(r, ns, object, subresource).status();
  }
  virtual Status PatchNoResult(const Resource& r, std::string_view ns, std::string_view name, PatchType type,
                               std::string_view patch, std::string_view subresource = "") {
    return Patch(r, ns, name, type, patch, subresource).status();
  }
  // Watches from options.resource_version ("" or "0": first an ADDED event per existing object,
  // then changes). Selectors in options filter events as the API does.
  virtual StatusOr<std::unique_ptr<WatchHandle>> Watch(const Resource& r, std::string_view ns,
                                                       const ListOptions& options, WatchCallback on_event,
                                                       WatchClosed on_closed = nullptr) = 0;
};

// Over the Registry in this process. `user` is recorded like an authenticated user (admission,
// managedFields manager "haru-<component>").
std::unique_ptr<Client> NewInProcessClient(registry::Registry* registry, std::string user);

// HTTPS with the server, CA and client credentials of a kubeconfig (its current context).
StatusOr<std::unique_ptr<Client>> NewHttpsClient(const std::string& kubeconfig_path);

}  // namespace haru::client
