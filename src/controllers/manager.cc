#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "api/kinds.h"
#include "client/client.h"
#include "common/json.h"
#include "controllers/controllers.h"
#include "controllers/device_taint_eviction.h"
#include "controllers/garbage_collector.h"
#include "controllers/job_controller.h"
#include "controllers/namespace_controller.h"
#include "controllers/reconcile_loop.h"
#include "controllers/resourceclaim_controller.h"
#include "controllers/serviceaccount_controller.h"
#include "registry/registry.h"

namespace haru::controllers {

namespace {

using std::chrono::milliseconds;

// Runs `pass` only when something was written since its last run: an idle cluster, or one
// with 100k objects, should not pay for a full scan every period.
std::function<void()> OnChange(registry::Registry* registry, std::function<void()> pass) {
  auto seen = std::make_shared<int64_t>(-1);
  return [registry, pass = std::move(pass), seen] {
    int64_t now = registry->store()->Revision();
    if (now == *seen) return;
    pass();
    // Revisions written by the pass itself are picked up by the next run, which then
    // confirms the state settled.
    *seen = now;
  };
}

class Manager : public ControllerManager {
 public:
  explicit Manager(registry::Registry* registry) {
    loops_.push_back(std::make_unique<ReconcileLoop>(
        milliseconds(200), [registry] { ReconcileNamespaces(*registry); }));
    loops_.push_back(std::make_unique<ReconcileLoop>(
        milliseconds(200), OnChange(registry, [registry] { ReconcileServiceAccounts(*registry); })));
    gc_ = StartGarbageCollector(registry);
    // Client-based controllers: each with its own identity, like upstream's per-controller
    // service accounts, so their writes go through admission and show in managedFields.
    auto client_for = [&](const char* name) {
      clients_.push_back(client::NewInProcessClient(
          registry, std::string("system:serviceaccount:kube-system:") + name));
      return clients_.back().get();
    };
    client_controllers_.push_back(std::make_unique<ResourceClaimController>(client_for("resourceclaim-controller")));
    client_controllers_.push_back(
        std::make_unique<DeviceTaintEvictionController>(client_for("device-taint-eviction-controller")));
    client_controllers_.push_back(std::make_unique<JobController>(client_for("job-controller")));
    for (auto& c : client_controllers_) c->Start();
  }
  ~Manager() override { Stop(); }
  void Stop() override {
    for (auto& loop : loops_) loop->Stop();
    if (gc_) gc_->Stop();
    for (auto& c : client_controllers_) c->Stop();
  }

 private:
  std::vector<std::unique_ptr<ReconcileLoop>> loops_;
  std::unique_ptr<GarbageCollector> gc_;
  std::vector<std::unique_ptr<client::Client>> clients_;  // outlive the controllers below
  std::vector<std::unique_ptr<CacheController>> client_controllers_;
};

void CreateIfMissing(registry::Registry* registry, const char* plural, const std::string& ns,
                     Json object) {
  const api::KindSpec* kind = api::FindKindByResource("", "v1", plural);
  if (kind == nullptr) return;
  std::string name = object["metadata"]["name"];
  if (registry->Get(*kind, ns, name).ok()) return;
  registry::WriteOptions write;
  (void)registry->Create(*kind, ns, std::move(object), write);
}

}  // namespace

std::unique_ptr<ControllerManager> StartControllers(registry::Registry* registry) {
  return std::make_unique<Manager>(registry);
}

void Bootstrap(registry::Registry* registry, int api_port) {
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    CreateIfMissing(registry, "namespaces", "",
                    {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
  }
  CreateIfMissing(registry, "services", "default",
                  {{"apiVersion", "v1"},
                   {"kind", "Service"},
                   {"metadata",
                    {{"name", "kubernetes"},
                     {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
                   {"spec",
                    {{"clusterIP", "10.96.0.1"},
                     {"ports",
                      Json::array({{{"name", "https"}, {"port", 443}, {"protocol", "TCP"},
                                    {"targetPort", api_port}}})}}}});
  const api::KindSpec* endpoints = api::FindKindByResource("", "v1", "endpoints");
  if (endpoints == nullptr) return;
  Json ep = {{"apiVersion", "v1"},
             {"kind", "Endpoints"},
             {"metadata", {{"name", "kubernetes"}, {"labels", {{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}},
             {"subsets",
              Json::array({{{"addresses", Json::array({{{"ip", "127.0.0.1"}}})},
                            {"ports", Json::array({{{"name", "https"}, {"port", api_port},
                                                    {"protocol", "TCP"}}})}}})}};
  registry::WriteOptions write;
  (void)registry->GuaranteedUpdate(
      *endpoints, "default", "kubernetes", "",
      [&](const Json*) -> StatusOr<Json> { return ep; }, write, /*create_if_missing=*/true);
}

}  // namespace haru::controllers
