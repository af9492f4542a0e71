#pragma once
// EventRecorder: writes core/v1 Events about an object, as upstream's record.EventRecorder
// does for controllers (source.component, involvedObject, count 1). Failures are ignored: an
// event is best effort and never blocks a controller. Identical events (same object, type,
// reason and message) are written once.

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "client/client.h"
#include "common/json.h"

namespace haru::controllers {

class EventRecorder {
 public:
  EventRecorder(client::Client* client, std::string component)
      : client_(client), component_(std::move(component)) {}

  // `type` is "Normal" or "Warning".
  void Record(const Json& object, std::string_view type, std::string_view reason,
              std::string_view message);

 private:
  client::Client* client_;
  std::string component_;
  std::mutex mu_;
  std::set<std::string> seen_;  // GUARDED_BY(mu_)
};

}  // namespace haru::controllers
