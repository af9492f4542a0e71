#include "controllers/internal/event_recorder.h"

#include <chrono>
#include <cstdio>

#include "controllers/internal/controller_util.h"

namespace haru::controllers {

void EventRecorder::Record(const Json& object, std::string_view type, std::string_view reason,
                           std::string_view message) {
  std::string ns = Namespace(object);
  std::string name = Name(object);
  {
    std::string key = Uid(object) + '\0' + std::string(type) + '\0' + std::string(reason) + '\0' +
                      std::string(message);
    std::lock_guard lock(mu_);
    if (seen_.size() > 100000) seen_.clear();
    if (!seen_.insert(std::move(key)).second) return;
  }
  // Upstream names events "<object>.<unix nanoseconds in hex>".
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos));
  std::string now = FormatTime(SystemNow());
  Json involved = {{"kind", Str(object, "kind")},
                   {"namespace", ns},
                   {"name", name},
                   {"uid", Uid(object)},
                   {"apiVersion", Str(object, "apiVersion")},
                   {"resourceVersion", Str(Field(object, "metadata"), "resourceVersion")}};
  if (ns.empty()) involved.erase("namespace");
  std::string event_ns = ns.empty() ? "default" : ns;
  Json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", name + suffix}, {"namespace", event_ns}}},
                {"involvedObject", std::move(involved)},
                {"reason", std::string(reason)},
                {"message", std::string(message)},
                {"source", {{"component", component_}}},
                {"firstTimestamp", now},
                {"lastTimestamp", now},
                {"count", 1},
                {"type", std::string(type)},
                {"reportingComponent", component_},
                {"reportingInstance", ""}};
  (void)client_->Create(kEvents, event_ns, event);
}

}  // namespace haru::controllers
