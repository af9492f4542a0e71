// WATCH: a chunked stream of {"type":...,"object":...} lines fed by the watch cache.
//
// The cache calls the sink on its dispatch thread, once per event per watcher, in revision
// order. The sink never blocks: it queues bytes on the connection's StreamWriter. Ending a
// watch (client gone, timeout) cancels the cache subscription from the supervisor thread,
// never from inside a sink, so cancellation cannot wait on itself.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "apiserver/handlers/status_writer.h"
#include "apiserver/handlers/table.h"
#include "apiserver/handlers/verbs.h"
#include "common/metrics.h"
#include "registry/keys.h"
#include "registry/object_index.h"

namespace haru::apiserver {

namespace {

using Clock = std::chrono::steady_clock;

// Owns open watches' cache subscriptions and deadlines; ends them off the dispatch thread.
class WatchSupervisor {
 public:
  static WatchSupervisor& Get() {
    static WatchSupervisor* instance = new WatchSupervisor();  // lives for the process
    return *instance;
  }

  uint64_t Add(std::shared_ptr<http::StreamWriter> writer, Clock::time_point deadline,
              std::string resource) {
    std::lock_guard lock(mu_);
    uint64_t id = ++next_id_;
    OpenWatches(resource)->Inc();
    watches_[id] = Entry{std::move(writer), nullptr, deadline, std::move(resource)};
    cv_.notify_one();
    return id;
  }

  void SetHandle(uint64_t id, std::unique_ptr<storage::WatchHandle> handle) {
    std::unique_lock lock(mu_);
    auto it = watches_.find(id);
    if (it == watches_.end()) {
      lock.unlock();
      handle.reset();  // already ended
      return;
    }
    it->second.handle = std::move(handle);
  }

  // Ends a watch soon (from any thread, including the dispatch thread).
  void End(uint64_t id) {
    std::lock_guard lock(mu_);
    ending_.push_back(id);
    cv_.notify_one();
  }

 private:
  struct Entry {
    std::shared_ptr<http::StreamWriter> writer;
    std::unique_ptr<storage::WatchHandle> handle;
    Clock::time_point deadline;
    std::string resource;
  };

  WatchSupervisor() : thread_([this] { Run(); }) { thread_.detach(); }

  // Open watches, under upstream's metric name.
  static metrics::Gauge* OpenWatches(const std::string& resource) {
    return metrics::Apiserver().longrunning_requests->WithLabels({"WATCH", resource});
  }

  void Run() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait_for(lock, std::chrono::milliseconds(500));
      auto now = Clock::now();
      std::vector<Entry> done;
      for (uint64_t id : ending_) {
        auto it = watches_.find(id);
        if (it != watches_.end()) {
          done.push_back(std::move(it->second));
          watches_.erase(it);
        }
      }
      ending_.clear();
      for (auto it = watches_.begin(); it != watches_.end();) {
        if (it->second.deadline <= now || it->second.writer->IsClosed()) {
          done.push_back(std::move(it->second));
          it = watches_.erase(it);
        } else {
          ++it;
        }
      }
      if (done.empty()) continue;
      for (const Entry& e : done) OpenWatches(e.resource)->Dec();
      lock.unlock();
      for (Entry& e : done) {
        if (e.handle) e.handle->Cancel();
        e.writer->Close();
      }
      done.clear();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Entry> watches_;
  std::vector<uint64_t> ending_;
  std::thread thread_;
};

const char* EventTypeName(storage::EventType t) {
  switch (t) {
    case storage::EventType::kAdded: return "ADDED";
    case storage::EventType::kModified: return "MODIFIED";
    case storage::EventType::kDeleted: return "DELETED";
    case storage::EventType::kBookmark: return "BOOKMARK";
  }
  return "ERROR";
}

std::string EventLine(std::string_view type, std::string_view object) {
  std::string line;
  line.reserve(object.size() + 32);
  line += "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  line += object;
  line += "}\n";
  return line;
}

// The JSON line of an event, encoded once and shared by every watcher that receives it: the
// cache delivers one event to all its watchers before the next, on one thread.
// The line is handed to every writer as one shared immutable buffer (no copy per watcher).
const std::shared_ptr<const std::string>& SharedEventLine(
    const std::shared_ptr<const storage::Event>& event, std::string_view type) {
  // Held (not just its address), so a later event cannot reuse the address of a freed one.
  thread_local std::shared_ptr<const storage::Event> last_event;
  thread_local std::string_view last_type;
  thread_local std::shared_ptr<const std::string> last_line;
  if (last_event.get() != event.get() || last_type != type) {
    last_line = std::make_shared<const std::string>(EventLine(type, *event->kv.value));
    last_event = event;
    last_type = type;
  }
  return last_line;
}

struct WatchParams {
  int64_t after_revision = 0;
  bool send_initial = false;
  bool bookmarks = false;
  bool initial_end_bookmark = false;
  std::chrono::seconds timeout{0};
};

StatusOr<WatchParams> ParseWatchParams(const http::Request& req, registry::Registry& registry) {
  WatchParams p;
  std::string rv(req.Query("resourceVersion"));
  p.bookmarks = ParseBool(req.Query("allowWatchBookmarks"));
  int64_t rv_number = 0;
  if (!rv.empty()) {
    try {
      size_t used = 0;
      rv_number = std::stoll(rv, &used);
      if (used != rv.size() || rv_number < 0) throw std::invalid_argument(rv);
    } catch (...) {
      return Status::BadRequest("invalid resource version: " + rv);
    }
  }
  const bool has_send_initial = req.HasQuery("sendInitialEvents");
  if (has_send_initial && ParseBool(req.Query("sendInitialEvents"))) {
    // Watch-list (ParseListRequest checked resourceVersionMatch=NotOlderThan): the state at
    // least as new as rv, then a bookmark marking the end of the initial events.
    p.send_initial = true;
    p.initial_end_bookmark = true;
    for (int i = 0; i < 300 && registry.store()->Revision() < rv_number; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (registry.store()->Revision() < rv_number) {
      return registry::TooLargeResourceVersion(rv_number, registry.store()->Revision());
    }
  } else if (!has_send_initial && rv_number == 0) {
    // Legacy semantics: a watch without a resourceVersion (or "0") starts with the current
    // state as synthetic ADDED events.
    p.send_initial = true;
  } else {
    // From rv; with sendInitialEvents=false and no rv, from now.
    p.after_revision = rv_number;
  }
  std::string_view timeout = req.Query("timeoutSeconds");
  if (!timeout.empty()) {
    try {
      p.timeout = std::chrono::seconds(std::stoll(std::string(timeout)));
    } catch (...) {
      return Status::BadRequest("invalid timeoutSeconds: " + std::string(timeout));
    }
  }
  if (p.timeout.count() <= 0) {
    // Upstream picks a random timeout between the minimum request timeout and twice it.
    static thread_local std::mt19937 rng(std::random_device{}());
    p.timeout = std::chrono::seconds(1800 + rng() % 1800);
  }
  return p;
}

}  // namespace

http::Response HandleWatch(VerbContext& ctx) {
  auto list_request = ParseListRequest(ctx.request, /*watch=*/true);
  if (!list_request.ok()) return StatusResponse(list_request.status());
  auto filter = registry::Registry::MakeFilter(ctx.kind, list_request->label_selector,
                                               list_request->field_selector);
  if (!filter.ok()) return StatusResponse(filter.status());
  auto params = ParseWatchParams(ctx.request, ctx.registry);
  if (!params.ok()) return StatusResponse(params.status());

  const bool as_table = WantsTable(ctx.request.headers.Get("Accept"));
  const IncludeObject include = ParseIncludeObject(ctx.request.Query("includeObject"));
  const api::KindSpec* kind = &ctx.kind;
  const std::string ns = ctx.info.ns;
  // A watch on one object (kubectl wait/delete use fieldSelector=metadata.name=<n>; the
  // /watch/.../<name> form names it in the path).
  std::string only_name = ctx.info.name;

  storage::WatchOptions options;
  options.prefix = registry::ListPrefix(ctx.kind, ns);
  options.after_revision = params->after_revision;
  options.send_initial_events = params->send_initial;
  options.bookmark_after_initial_events = params->initial_end_bookmark;

  http::Response response;
  response.status = 200;
  response.headers.Set("Content-Type", as_table ? kTableContentType : "application/json");
  registry::Registry* registry = &ctx.registry;
  auto selector = *filter;
  // No name and no selector: every event of the prefix goes out as it is (no per-watcher
  // look at the object or its previous value).
  const bool match_all = only_name.empty() && list_request->label_selector.empty() &&
                         list_request->field_selector.empty();
  bool bookmarks = params->bookmarks;
  auto deadline = Clock::now() + params->timeout;

  response.stream = [=](std::shared_ptr<http::StreamWriter> writer) {
    WatchSupervisor& supervisor = WatchSupervisor::Get();
    uint64_t id = supervisor.Add(writer, deadline, kind->plural);
    writer->OnClose([id] { WatchSupervisor::Get().End(id); });

    auto matches = [=](const storage::KeyValue& kv) {
      if (!only_name.empty() && registry::IndexOf(kv)->name != only_name) return false;
      return selector(kv);
    };
    auto encode_table = [=](std::string_view type, const storage::Bytes& value) {
      Json obj = Json::parse(*value, nullptr, false);
      Json table = {{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", {{"resourceVersion", obj["metadata"].value("resourceVersion", "")}}},
                    {"columnDefinitions", TableColumnDefinitions(*kind)},
                    {"rows", Json::array({TableRow(*kind, obj, include)})}};
      return EventLine(type, ToJson(table));
    };
    auto bookmark_line = [kind](int64_t revision, bool initial_end) {
      Json meta = {{"resourceVersion", std::to_string(revision)}};
      if (initial_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
      Json obj = {{"kind", kind->gvk.kind}, {"apiVersion", kind->gvk.GroupVersion()},
                  {"metadata", std::move(meta)}};
      return EventLine("BOOKMARK", ToJson(obj));
    };

    bool initial_end = params->initial_end_bookmark;
    auto sink = [=](const std::shared_ptr<const storage::Event>& event) mutable -> bool {
      if (writer->IsClosed()) return false;
      if (event->type == storage::EventType::kBookmark) {
        bool is_initial_end = initial_end;
        initial_end = false;
        if (!bookmarks && !is_initial_end) return true;
        return writer->Write(bookmark_line(event->kv.mod_revision, is_initial_end));
      }
      std::string_view type = EventTypeName(event->type);
      if (match_all) {
        if (as_table) return writer->Write(encode_table(type, event->kv.value));
        return writer->Write(SharedEventLine(event, type));
      }
      bool now_matches = matches(event->kv);
      const storage::Bytes& value = event->kv.value;
      if (event->type == storage::EventType::kModified && event->prev_value) {
        storage::KeyValue prev{event->kv.key, event->prev_value, 0, 0, nullptr};
        bool was_matching = matches(prev);
        if (!now_matches && !was_matching) return true;
        if (!now_matches) type = "DELETED";  // left the selection
        else if (!was_matching) type = "ADDED";
      } else if (!now_matches) {
        return true;
      }
      if (as_table) return writer->Write(encode_table(type, value));
      if (type != EventTypeName(event->type)) return writer->Write(EventLine(type, *value));
      return writer->Write(SharedEventLine(event, type));
    };

    auto handle = registry->store()->Watch(options, sink);
    if (!handle.ok()) {
      Status s = handle.status();
      if (s.code() == StatusCode::kGone) s = Status::Expired(s.message());
      writer->Write(EventLine("ERROR", StatusJson(s)));
      writer->Close();
      supervisor.End(id);
      return;
    }
    supervisor.SetHandle(id, std::move(handle).value());
  };
  return response;
}

}  // namespace haru::apiserver
