// The in-process Client: every verb goes to the Registry, so writes pass the same decoding
// checks, defaulting, validation, admission and optimistic concurrency as an HTTP request.
//
// Watches: the store calls our sink on its delivery thread, which must never block, so the
// sink only appends the shared event to this watch's queue. A thread per watch drains the
// queue, applies the selectors (an object leaving or entering the selection becomes DELETED
// or ADDED, as the HTTP watch does), parses the bytes and runs the callback. The store hands
// every watcher the same bytes, so for watches that take shared objects (shared_objects_only)
// a small process-wide cache keyed by them lets the first such watcher of an event parse it
// and the others share the result; other watches parse their own copy, as before. A watcher that
// falls more than kMaxQueuedEvents behind is closed with 503; the informer resumes it.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "api/kinds.h"
#include "api/patch/json_patch.h"
#include "api/patch/merge_patch.h"
#include "api/patch/strategic_merge_patch.h"
#include "api/schema/schema.h"
#include "apiserver/handlers/decode.h"
#include "client/client.h"
#include "registry/binding.h"
#include "registry/keys.h"
#include "registry/registry.h"

namespace haru::client {

namespace {

constexpr size_t kMaxQueuedEvents = 200000;

StatusOr<const api::KindSpec*> ResolveKind(const Resource& r) {
  const api::KindSpec* kind = api::FindKindByResource(r.group, r.version, r.plural);
  if (kind == nullptr) {
    return Status::NotFound("the server could not find the requested resource (" + r.plural +
                            (r.group.empty() ? "" : "." + r.group) + " " + r.version + ")");
  }
  return kind;
}

std::string NamespaceFor(const api::KindSpec& kind, std::string_view ns) {
  return kind.scope == api::Scope::kNamespaced ? std::string(ns) : std::string();
}

StatusOr<Json> ParseObject(const storage::Bytes& bytes) {
  if (bytes == nullptr) return Status::Internal("stored object has no value");
  return ParseJson(*bytes);
}

// Parsed objects of recent watch events, keyed by the identity of their stored bytes (a weak
// reference proves the bytes are the same ones, not a new string at a reused address). The
// first watcher to reach an event parses it, watchers arriving meanwhile wait for that parse,
// later ones share it. Bounded: the newest kStripes * kPerStripe events stay.
class ParsedEventCache {
 public:
  // The parsed object, or null when the bytes are not JSON.
  std::shared_ptr<const Json> Parse(const storage::Bytes& bytes) {
    if (bytes == nullptr) return nullptr;
    std::shared_ptr<Slot> slot;
    Stripe& stripe = stripes_[std::hash<const void*>{}(bytes.get()) / 64 % kStripes];
    {
      std::lock_guard lock(stripe.mu);
      auto [it, inserted] = stripe.entries.try_emplace(bytes.get());
      if (!inserted && it->second.bytes.lock() != bytes) inserted = true;  // a different string
      if (inserted) {
        it->second.bytes = bytes;
        it->second.slot = std::make_shared<Slot>();
        stripe.order.push_back(bytes.get());
      }
      slot = it->second.slot;
      if (stripe.order.size() > kPerStripe) {
        // A stale order entry may drop a newer slot at a reused address: only a lost share.
        stripe.entries.erase(stripe.order.front());
        stripe.order.pop_front();
      }
    }
    std::call_once(slot->once, [&] {
      auto parsed = ParseJson(*bytes);
      if (parsed.ok()) slot->json = std::make_shared<const Json>(std::move(parsed).value());
    });
    return slot->json;
  }

 private:
  static constexpr size_t kStripes = 16;
  static constexpr size_t kPerStripe = 128;
  struct Slot {
    std::once_flag once;
    std::shared_ptr<const Json> json;  // written once under `once`
  };
  struct Entry {
    std::weak_ptr<const std::string> bytes;
    std::shared_ptr<Slot> slot;
  };
  struct Stripe {
    std::mutex mu;
    std::unordered_map<const std::string*, Entry> entries;  // GUARDED_BY(mu)
    std::deque<const std::string*> order;                    // GUARDED_BY(mu), oldest first
  };
  Stripe stripes_[kStripes];
};

ParsedEventCache& EventCache() {
  static auto* cache = new ParsedEventCache();  // never destroyed: watch threads may outlive main
  return *cache;
}

StatusOr<int64_t> ParseResourceVersion(const std::string& rv) {
  if (rv.empty()) return int64_t{0};
  int64_t n = 0;
  for (char c : rv) {
    if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) {
      return Status::BadRequest("invalid resource version: " + rv);
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

// managedFields manager for this client's writes: "haru-<component>" from the user name.
std::string ManagerFor(const std::string& user) {
  std::string_view u = user;
  size_t colon = u.rfind(':');
  if (colon != std::string_view::npos) u = u.substr(colon + 1);
  if (u.rfind("haru-", 0) == 0) return std::string(u);
  return "haru-" + std::string(u.empty() ? "client" : u);
}

// State shared by a watch's handle, its store sink and its delivery thread.
struct WatchState {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::shared_ptr<const storage::Event>> queue;  // GUARDED_BY(mu)
  bool stopping = false;                                     // GUARDED_BY(mu)
  bool overflow = false;                                     // GUARDED_BY(mu)
  std::unique_ptr<storage::WatchHandle> store_handle;        // GUARDED_BY(mu)
  std::thread::id thread_id;

  // The store sink: appends, never blocks for long.
  bool Push(const std::shared_ptr<const storage::Event>& e) {
    std::lock_guard lock(mu);
    if (stopping || overflow) return false;
    if (queue.size() >= kMaxQueuedEvents) {
      overflow = true;
      cv.notify_one();
      return false;
    }
    queue.push_back(e);
    if (queue.size() == 1) cv.notify_one();
    return true;
  }

  void CancelStoreWatch() {
    std::unique_ptr<storage::WatchHandle> h;
    {
      std::lock_guard lock(mu);
      h = std::move(store_handle);
    }
    if (h) h->Cancel();
  }
};

class InProcessWatch : public WatchHandle {
 public:
  InProcessWatch(std::shared_ptr<WatchState> state, std::thread thread)
      : state_(std::move(state)), thread_(std::move(thread)) {}
  ~InProcessWatch() override { Stop(); }

  void Stop() override {
    {
      std::lock_guard lock(state_->mu);
      state_->stopping = true;
      state_->cv.notify_all();
    }
    state_->CancelStoreWatch();
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // Stop() from inside a callback: the thread ends after it returns
    } else {
      thread_.join();
    }
  }

 private:
  std::shared_ptr<WatchState> state_;
  std::thread thread_;
};

WatchEventType ToClientType(storage::EventType t) {
  switch (t) {
    case storage::EventType::kAdded: return WatchEventType::kAdded;
    case storage::EventType::kModified: return WatchEventType::kModified;
    case storage::EventType::kDeleted: return WatchEventType::kDeleted;
    case storage::EventType::kBookmark: return WatchEventType::kBookmark;
  }
  return WatchEventType::kModified;
}

// Runs on the watch's thread until it is stopped, the callback ends it, or it overflows.
void DeliverEvents(std::shared_ptr<WatchState> state, const api::KindSpec* kind,
                   std::function<bool(const storage::KeyValue&)> filter, bool match_all,
                   bool shared_only, WatchCallback on_event, WatchClosed on_closed) {
  std::deque<std::shared_ptr<const storage::Event>> batch;
  bool overflowed = false;
  while (true) {
    {
      std::unique_lock lock(state->mu);
      state->cv.wait(lock, [&] { return state->stopping || state->overflow || !state->queue.empty(); });
      if (state->stopping) return;
      if (state->queue.empty() && state->overflow) {
        overflowed = true;
        break;
      }
      batch.swap(state->queue);
    }
    for (const auto& event : batch) {
      WatchEvent out;
      if (event->type == storage::EventType::kBookmark) {
        out.type = WatchEventType::kBookmark;
        Json bookmark = {{"kind", kind->gvk.kind},
                         {"apiVersion", kind->gvk.GroupVersion()},
                         {"metadata", {{"resourceVersion", std::to_string(event->kv.mod_revision)}}}};
        if (shared_only) {
          out.shared_object = std::make_shared<const Json>(std::move(bookmark));
        } else {
          out.object = std::move(bookmark);
        }
      } else {
        out.type = ToClientType(event->type);
        if (!match_all) {
          bool now_matches = filter(event->kv);
          if (event->type == storage::EventType::kModified && event->prev_value) {
            storage::KeyValue prev{event->kv.key, event->prev_value, 0, 0, nullptr};
            bool was_matching = filter(prev);
            if (!now_matches && !was_matching) continue;
            if (!now_matches) out.type = WatchEventType::kDeleted;  // left the selection
            else if (!was_matching) out.type = WatchEventType::kAdded;
          } else if (!now_matches) {
            continue;
          }
        }
        // The store holds only JSON the registry wrote: what does not parse is skipped.
        if (shared_only) {
          out.shared_object = EventCache().Parse(event->kv.value);
          if (out.shared_object == nullptr) continue;
        } else {
          auto parsed = ParseObject(event->kv.value);
          if (!parsed.ok()) continue;
          out.object = std::move(parsed).value();
        }
      }
      {
        std::lock_guard lock(state->mu);
        if (state->stopping) return;
      }
      if (!on_event(out)) {
        // The caller ended the watch: no on_closed.
        state->CancelStoreWatch();
        return;
      }
    }
    batch.clear();
  }
  state->CancelStoreWatch();
  {
    std::lock_guard lock(state->mu);
    if (state->stopping) return;
  }
  if (overflowed && on_closed) {
    on_closed(Status::ServiceUnavailable("watch closed: the client fell more than " +
                                         std::to_string(kMaxQueuedEvents) + " events behind"));
  }
}

class InProcessClient : public Client {
 public:
  InProcessClient(registry::Registry* registry, std::string user)
      : registry_(registry), user_(std::move(user)), manager_(ManagerFor(user_)) {}

  StatusOr<Json> Get(const Resource& r, std::string_view ns, std::string_view name) override {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    HARU_ASSIGN_OR_RETURN(storage::KeyValue kv,
                          registry_->Get(*kind, NamespaceFor(*kind, ns), std::string(name)));
    return ParseObject(kv.value);
  }

  StatusOr<ObjectList> List(const Resource& r, std::string_view ns, const ListOptions& options) override {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    registry::ListRequest request;
    HARU_ASSIGN_OR_RETURN(request.label_selector, LabelSelector::Parse(options.label_selector));
    HARU_ASSIGN_OR_RETURN(request.field_selector, FieldSelector::Parse(options.field_selector));
    request.limit = options.limit < 0 ? 0 : options.limit;
    request.continue_token = options.continue_token;
    request.resource_version = options.resource_version;
    HARU_ASSIGN_OR_RETURN(registry::ListResult listed,
                          registry_->List(*kind, NamespaceFor(*kind, ns), request));
    ObjectList out;
    out.items.reserve(listed.items.size());
    for (const storage::KeyValue& kv : listed.items) {
      HARU_ASSIGN_OR_RETURN(Json obj, ParseObject(kv.value));
      out.items.push_back(std::move(obj));
    }
    out.resource_version = std::to_string(listed.revision);
    out.continue_token = std::move(listed.continue_token);
    return out;
  }

  StatusOr<Json> Create(const Resource& r, std::string_view ns, const Json& object) override {
    HARU_ASSIGN_OR_RETURN(registry::WriteResult result, DoCreate(r, ns, object));
    return ParseObject(result.object);
  }
  Status CreateNoResult(const Resource& r, std::string_view ns, const Json& object) override {
    return DoCreate(r, ns, object).status();
  }

  StatusOr<Json> Update(const Resource& r, std::string_view ns, const Json& object,
                        std::string_view subresource) override {
    HARU_ASSIGN_OR_RETURN(registry::WriteResult result, DoUpdate(r, ns, object, subresource));
    return ParseObject(result.object);
  }
  Status UpdateNoResult(const Resource& r, std::string_view ns, const Json& object,
                        std::string_view subresource) override {
    return DoUpdate(r, ns, object, subresource).status();
  }

  StatusOr<Json> Patch(const Resource& r, std::string_view ns, std::string_view name, PatchType type,
                       std::string_view patch, std::string_view subresource) override {
    HARU_ASSIGN_OR_RETURN(registry::WriteResult result, DoPatch(r, ns, name, type, patch, subresource));
    return ParseObject(result.object);
  }
  Status PatchNoResult(const Resource& r, std::string_view ns, std::string_view name, PatchType type,
                       std::string_view patch, std::string_view subresource) override {
    return DoPatch(r, ns, name, type, patch, subresource).status();
  }

 private:
  // The writes, up to the stored result.
  StatusOr<registry::WriteResult> DoCreate(const Resource& r, std::string_view ns, const Json& object) {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    registry::WriteOptions options = Options();
    Json body = object;
    HARU_RETURN_IF_ERROR(apiserver::CheckObject(body, *kind, options));
    return 
                          registry_->Create(*kind, NamespaceFor(*kind, ns), std::move(body), options);
  }

  StatusOr<registry::WriteResult> DoUpdate(const Resource& r, std::string_view ns, const Json& object,
                                           std::string_view subresource) {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    HARU_RETURN_IF_ERROR(CheckSubresource(*kind, subresource));
    if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) {
      return Status::BadRequest("the request body must be a JSON object with metadata");
    }
    std::string name = object["metadata"].value("name", "");
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    registry::WriteOptions options = Options();
    Json body = object;
    HARU_RETURN_IF_ERROR(apiserver::CheckObject(body, *kind, options));
    return 
                          registry_->Update(*kind, NamespaceFor(*kind, ns), name,
                                            std::string(subresource), std::move(body), options);
  }

  StatusOr<registry::WriteResult> DoPatch(const Resource& r, std::string_view ns, std::string_view name,
                                          PatchType type, std::string_view patch, std::string_view subresource) {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    HARU_RETURN_IF_ERROR(CheckSubresource(*kind, subresource));
    auto parsed = ParseJson(patch);
    if (!parsed.ok()) {
      return Status::BadRequest("error decoding patch: " + parsed.status().message());
    }
    const Json& patch_doc = *parsed;
    const api::Schema* schema = api::BuiltinSchemas().Find(kind->schema);
    registry::WriteOptions options = Options();
    auto mutate = [&](const Json* current) -> StatusOr<Json> {
      StatusOr<Json> next = Status::Internal("unknown patch type");
      switch (type) {
        case PatchType::kJson: next = api::patch::ApplyJsonPatch(*current, patch_doc); break;
        case PatchType::kMerge: next = api::patch::ApplyMergePatch(*current, patch_doc); break;
        case PatchType::kStrategicMerge:
          next = api::patch::ApplyStrategicMergePatch(*current, patch_doc, schema);
          break;
      }
      if (!next.ok()) return next;
      HARU_RETURN_IF_ERROR(apiserver::CheckObject(*next, *kind, options));
      return next;
    };
    return 
                          registry_->GuaranteedUpdate(*kind, NamespaceFor(*kind, ns), std::string(name),
                                                      std::string(subresource), mutate, options);
  }

 public:
  Status Delete(const Resource& r, std::string_view ns, std::string_view name,
                const DeleteOptions& options) override {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    registry::DeleteOptions del;
    if (options.grace_period_seconds >= 0) del.grace_period_seconds = options.grace_period_seconds;
    del.propagation_policy = options.propagation_policy;
    if (!del.propagation_policy.empty() && del.propagation_policy != "Orphan" &&
        del.propagation_policy != "Background" && del.propagation_policy != "Foreground") {
      return Status::Invalid("propagationPolicy: Unsupported value: \"" + del.propagation_policy +
                             "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    del.precondition_uid = options.precondition_uid;
    registry::WriteOptions write = Options();
    auto result = registry_->Delete(*kind, NamespaceFor(*kind, ns), std::string(name), del, write);
    return result.ok() ? Status::OK() : result.status();
  }

  StatusOr<Json> CreateSubresource(const Resource& r, std::string_view ns, std::string_view name,
                                   std::string_view subresource, const Json& body) override {
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    if (subresource != "binding" || kind->gvk.kind != "Pod") {
      return Status::MethodNotAllowed("the server does not allow this method on the requested resource");
    }
    registry::WriteOptions options = Options();
    HARU_ASSIGN_OR_RETURN(registry::WriteResult result,
                          registry::BindPod(*registry_, *kind, NamespaceFor(*kind, ns),
                                            std::string(name), body, options));
    (void)result;
    // The API answers a binding with a Success Status, as upstream.
    return Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
                {"status", "Success"}, {"code", 201}};
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const Resource& r, std::string_view ns,
                                               const ListOptions& options, WatchCallback on_event,
                                               WatchClosed on_closed) override {
    if (!on_event) return Status::BadRequest("watch needs an event callback");
    HARU_ASSIGN_OR_RETURN(const api::KindSpec* kind, ResolveKind(r));
    HARU_ASSIGN_OR_RETURN(LabelSelector labels, LabelSelector::Parse(options.label_selector));
    HARU_ASSIGN_OR_RETURN(FieldSelector fields, FieldSelector::Parse(options.field_selector));
    HARU_ASSIGN_OR_RETURN(auto filter, registry::Registry::MakeFilter(*kind, labels, fields));
    HARU_ASSIGN_OR_RETURN(int64_t rv, ParseResourceVersion(options.resource_version));

    storage::WatchOptions watch;
    watch.prefix = registry::ListPrefix(*kind, NamespaceFor(*kind, ns));
    if (rv == 0) {
      watch.send_initial_events = true;
    } else {
      watch.after_revision = rv;
    }
    auto state = std::make_shared<WatchState>();
    auto handle = registry_->store()->Watch(
        watch, [state](const std::shared_ptr<const storage::Event>& e) { return state->Push(e); });
    if (!handle.ok()) {
      Status s = handle.status();
      if (s.code() == StatusCode::kGone) return Status::Expired(s.message());
      return s;
    }
    {
      std::lock_guard lock(state->mu);
      state->store_handle = std::move(handle).value();
    }
    const bool match_all = labels.empty() && fields.empty();
    std::thread thread(DeliverEvents, state, kind, std::move(filter), match_all, options.shared_objects_only,
                       std::move(on_event), std::move(on_closed));
    return std::unique_ptr<WatchHandle>(new InProcessWatch(state, std::move(thread)));
  }

 private:
  registry::WriteOptions Options() const {
    registry::WriteOptions o;
    o.user = user_;
    o.field_manager = manager_;
    return o;
  }

  static Status CheckSubresource(const api::KindSpec& kind, std::string_view sub) {
    if (sub.empty() || (sub == "status" && kind.has_status)) return Status::OK();
    return Status::NotFound("the server could not find the requested resource");
  }

  registry::Registry* const registry_;
  const std::string user_;
  const std::string manager_;
};

}  // namespace

std::unique_ptr<Client> NewInProcessClient(registry::Registry* registry, std::string user) {
  return std::make_unique<InProcessClient>(registry, std::move(user));
}

}  // namespace haru::client
