#pragma once
// For tests of the client-based controllers: a Registry on the memory store, an in-process
// Client over it, a clock the test moves, and short-hands for objects and checks.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "client/client.h"
#include "common/json.h"
#include "controllers/internal/controller_util.h"
#include "registry/registry.h"
#include "storage/memory/memory_store.h"

namespace haru::controllers::testing {

class ControllerTestEnv {
 public:
  ControllerTestEnv()
      : store_(storage::NewMemoryStore()),
        registry_(std::make_unique<registry::Registry>(store_.get())),
        client_(client::NewInProcessClient(registry_.get(), "system:serviceaccount:kube-system:test")) {}

  client::Client* client() { return client_.get(); }
  registry::Registry* registry() { return registry_.get(); }
  NowFn clock() {
    return [this] { return now_; };
  }
  int64_t now() const { return now_; }
  void Advance(int64_t seconds) { now_ += seconds; }

  Json Create(const client::Resource& r, const std::string& ns, const Json& obj) {
    StatusOr<Json> created = client_->Create(r, ns, obj);
    EXPECT_TRUE(created.ok()) << created.status().ToString() << "\n" << obj.dump();
    return created.ok() ? *created : Json();
  }
  // Null when absent.
  Json Get(const client::Resource& r, const std::string& ns, const std::string& name) {
    StatusOr<Json> got = client_->Get(r, ns, name);
    return got.ok() ? *got : Json();
  }
  std::vector<Json> List(const client::Resource& r, const std::string& ns = "") {
    StatusOr<client::ObjectList> listed = client_->List(r, ns, {});
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    return listed.ok() ? listed->items : std::vector<Json>{};
  }
  Json MergeStatus(const client::Resource& r, const std::string& ns, const std::string& name,
                   const Json& status) {
    StatusOr<Json> patched =
        client_->Patch(r, ns, name, client::PatchType::kMerge, Json{{"status", status}}.dump(), "status");
    EXPECT_TRUE(patched.ok()) << patched.status().ToString();
    return patched.ok() ? *patched : Json();
  }
  // Events about the named object with that reason.
  std::vector<Json> Events(const std::string& ns, const std::string& object, const std::string& reason) {
    std::vector<Json> out;
    for (Json& e : List(kEvents, ns)) {
      if (Str(Field(e, "involvedObject"), "name") == object && Str(e, "reason") == reason) out.push_back(e);
    }
    return out;
  }

  static Json Pod(const std::string& name, Json spec_extra = Json::object()) {
    Json spec = {{"containers", Json::array({{{"name", "c"}, {"image", "busybox"}}})}};
    for (auto it = spec_extra.begin(); it != spec_extra.end(); ++it) spec[it.key()] = it.value();
    return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", name}}}, {"spec", spec}};
  }

 private:
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<client::Client> client_;
  int64_t now_ = 1'800'000'000;
};

}  // namespace haru::controllers::testing
