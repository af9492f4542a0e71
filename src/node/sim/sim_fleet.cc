#include "node/sim/sim_fleet.h"

#include <condition_variable>
#include <mutex>

#include "node/gpu/gpu_model.h"
#include "node/gpu/resource_slices.h"
#include "node/sim/executor.h"
#include "node/sim/node_objects.h"
#include "node/sim/pod_runner.h"
#include "node/sim/slice_publisher.h"

namespace haru::node::sim {

namespace {

const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kLeases{"coordination.k8s.io", "v1", "leases"};

constexpr int kRegisterAttempts = 5;

struct FleetNode {
  NodeShape shape;
  std::string host_ip;
  std::mutex mu;
  std::string uid;          // GUARDED_BY(mu)
  std::string ready_since;  // GUARDED_BY(mu): the Ready condition's lastTransitionTime
};

std::string UidOf(const Json& obj) {
  auto m = obj.find("metadata");
  return m != obj.end() && m->is_object() ? m->value("uid", "") : "";
}

bool IsDnsLabelish(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return s.front() != '-' && s.front() != '.' && s.back() != '-' && s.back() != '.';
}

Status ValidateOptions(const SimOptions& o) {
  if (o.nodes < 0) return Status::BadRequest("--nodes must not be negative");
  if (o.first_index < 0) return Status::BadRequest("--first-index must not be negative");
  if (o.gpus_per_node < 0) return Status::BadRequest("--gpus-per-node must not be negative");
  if (o.gpus_per_node > 0 && gpu::FindGpuModel(o.gpu_model) == nullptr) {
    std::string known;
    for (const std::string& id : gpu::GpuModelIds()) known += (known.empty() ? "" : ", ") + id;
    return Status::BadRequest("unknown GPU model \"" + o.gpu_model + "\" (known: " + known + ")");
  }
  if (o.shared_gpus < 0 || o.shared_gpus > o.gpus_per_node) {
    return Status::BadRequest("--shared-gpus must be between 0 and --gpus-per-node");
  }
  if (o.max_pods <= 0) return Status::BadRequest("--max-pods must be positive");
  if (o.nodes > 0 && !IsDnsLabelish(o.name_prefix + std::to_string(o.first_index + o.nodes - 1))) {
    return Status::BadRequest("--name-prefix \"" + o.name_prefix +
                              "\" does not make valid node names (lowercase letters, digits, '-', '.')");
  }
  if (o.lease_duration_seconds <= 0) return Status::BadRequest("lease duration must be positive");
  return Status::OK();
}

class SimFleetImpl : public SimFleet {
 public:
  SimFleetImpl(client::Client* client, const SimOptions& options)
      : client_(client), options_(options), executor_(std::max(1, options.worker_threads)) {
    const gpu::GpuModel* model = options.gpus_per_node > 0 ? gpu::FindGpuModel(options.gpu_model) : nullptr;
    model_ = model;
    std::vector<PodRunner::Node> runner_nodes;
    for (int i = 0; i < options.nodes; ++i) {
      auto n = std::make_unique<FleetNode>();
      n->shape.index = options.first_index + i;
      n->shape.name = options.name_prefix + std::to_string(n->shape.index);
      n->shape.cpu = options.cpu;
      n->shape.memory = options.memory;
      n->shape.ephemeral_storage = options.ephemeral_storage;
      n->shape.max_pods = options.max_pods;
      n->shape.gpu_model = model ? options.gpu_model : "";
      n->shape.gpus = model ? options.gpus_per_node : 0;
      n->host_ip = NodeInternalIp(n->shape.index);
      runner_nodes.push_back({n->shape.name, n->shape.index, n->host_ip});
      nodes_.push_back(std::move(n));
    }
    runner_ = std::make_unique<PodRunner>(client, &executor_, options, runner_nodes);
  }

  ~SimFleetImpl() override { Stop(); }

  Status Register() {
    auto start = std::chrono::steady_clock::now();
    StatusOr<std::map<std::string, std::vector<Json>>> slices = ListDriverSlices(*client_);
    if (!slices.ok()) return slices.status();
    existing_slices_ = std::move(slices).value();

    std::mutex mu;
    std::condition_variable cv;
    size_t done = 0;
    Status first_error;
    for (auto& n : nodes_) {
      FleetNode* node = n.get();
      executor_.Post([this, node, &mu, &cv, &done, &first_error] {
        Status st;
        for (int attempt = 0; attempt < kRegisterAttempts && !stopping_; ++attempt) {
          if (attempt > 0) std::this_thread::sleep_for(options_.retry_initial * (1 << attempt));
          st = RegisterNode(*node, /*initial=*/true);
          if (st.ok()) break;
        }
        std::lock_guard lock(mu);
        if (!st.ok() && first_error.ok()) {
          first_error = Status(st.code(), "registering node " + node->shape.name + ": " + st.message());
        }
        ++done;
        cv.notify_all();
      });
    }
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return done == nodes_.size(); });
    }
    existing_slices_.clear();
    registration_time_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (!first_error.ok()) return first_error;

    runner_->Start();
    // Spread the timers over their periods so the API sees an even stream, not bursts.
    const size_t n = nodes_.size();
    for (size_t i = 0; i < n; ++i) {
      FleetNode* node = nodes_[i].get();
      auto lease_at = options_.lease_renew_interval * static_cast<int64_t>(i) / static_cast<int64_t>(n);
      auto status_at = options_.node_status_interval * static_cast<int64_t>(i) / static_cast<int64_t>(n);
      executor_.PostAfter(std::max(lease_at, std::chrono::milliseconds(1)),
                          [this, node] { LeaseLoop(node); });
      executor_.PostAfter(std::max(status_at, std::chrono::milliseconds(1)),
                          [this, node] { StatusLoop(node); });
    }
    Log("registered " + std::to_string(n) + " nodes in " + std::to_string(registration_time_.count()) +
        " ms");
    return Status::OK();
  }

  void Stop() override {
    stopping_ = true;
    runner_->Stop();
    executor_.Stop();
  }

  FleetStats Stats() const override {
    FleetStats s;
    s.nodes = static_cast<int64_t>(nodes_.size());
    s.slices_written = slices_written_;
    s.lease_renewals = lease_renewals_;
    s.heartbeats = heartbeats_;
    s.pods_started = runner_->stats().started;
    s.pods_succeeded = runner_->stats().succeeded;
    s.pods_deleted = runner_->stats().deleted;
    s.errors = errors_ + runner_->stats().errors;
    s.registration_time = registration_time_;
    return s;
  }

  std::vector<std::string> NodeNames() const override {
    std::vector<std::string> out;
    for (const auto& n : nodes_) out.push_back(n->shape.name);
    return out;
  }

  bool WaitForPodSync(std::chrono::milliseconds timeout) const override {
    return runner_->WaitForSync(timeout);
  }

 private:
  void Log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  // Node, Lease and ResourceSlices. `initial`: the slices come from the fleet-wide list made
  // before registration; otherwise (re-registration) from a per-node list.
  Status RegisterNode(FleetNode& node, bool initial) {
    const std::string now = NowRfc3339();
    Json desired = BuildNode(node.shape, now);
    std::string uid;
    StatusOr<Json> created = client_->Create(kNodes, "", desired);
    if (created.ok()) {
      uid = UidOf(*created);
      if (!created->contains("status") || !(*created)["status"].contains("conditions")) {
        HARU_RETURN_IF_ERROR(PatchNodeStatus(node.shape.name, desired["status"]));
      }
    } else if (created.status().code() == StatusCode::kAlreadyExists) {
      // A node of an earlier run: take it over (labels and status are ours).
      Json labels = {{"metadata", {{"labels", desired["metadata"]["labels"]}}}};
      HARU_ASSIGN_OR_RETURN(Json patched, client_->Patch(kNodes, "", node.shape.name,
                                                         client::PatchType::kMerge, ToJson(labels)));
      uid = UidOf(patched);
      HARU_RETURN_IF_ERROR(PatchNodeStatus(node.shape.name, desired["status"]));
    } else {
      return created.status();
    }
    {
      std::lock_guard lock(node.mu);
      node.uid = uid;
      node.ready_since = now;
    }
    HARU_RETURN_IF_ERROR(RenewLease(node));
    return PublishNodeSlices(node, initial);
  }

  Status PatchNodeStatus(const std::string& name, const Json& status) {
    return client_
        ->Patch(kNodes, "", name, client::PatchType::kMerge, ToJson(Json{{"status", status}}), "status")
        .status();
  }

  Status PublishNodeSlices(FleetNode& node, bool initial) {
    std::vector<Json> existing;
    if (initial) {
      auto it = existing_slices_.find(node.shape.name);  // read-only while registering
      if (it != existing_slices_.end()) existing = it->second;
    } else {
      HARU_ASSIGN_OR_RETURN(existing, ListNodeSlices(*client_, node.shape.name));
    }
    if (existing.empty() && model_ == nullptr) return Status::OK();
    HARU_ASSIGN_OR_RETURN(int writes, PublishSlices(*client_, existing, [&](int64_t generation) {
                            if (model_ == nullptr) return std::vector<Json>{};
                            return gpu::BuildResourceSlices(node.shape.name, *model_, node.shape.gpus,
                                                            generation, options_.shared_gpus);
                          }));
    slices_written_ += writes;
    return Status::OK();
  }

  Status RenewLease(FleetNode& node) {
    const std::string now = NowRfc3339Micro();
    Json patch = {{"spec",
                   {{"holderIdentity", node.shape.name},
                    {"leaseDurationSeconds", options_.lease_duration_seconds},
                    {"renewTime", now}}}};
    StatusOr<Json> renewed = client_->Patch(kLeases, kNodeLeaseNamespace, node.shape.name,
                                            client::PatchType::kMerge, ToJson(patch));
    if (renewed.ok()) return Status::OK();
    if (renewed.status().code() != StatusCode::kNotFound) return renewed.status();
    std::string uid;
    {
      std::lock_guard lock(node.mu);
      uid = node.uid;
    }
    StatusOr<Json> created = client_->Create(
        kLeases, kNodeLeaseNamespace, BuildLease(node.shape.name, uid, options_.lease_duration_seconds, now));
    if (created.status().code() == StatusCode::kAlreadyExists) return Status::OK();  // a racing renewal
    return created.status();
  }

  void LeaseLoop(FleetNode* node) {
    if (stopping_) return;
    Status st = RenewLease(*node);
    if (st.ok()) {
      ++lease_renewals_;
    } else {
      ++errors_;
      Log("renewing lease of " + node->shape.name + ": " + st.ToString());
    }
    executor_.PostAfter(options_.lease_renew_interval, [this, node] { LeaseLoop(node); });
  }

  void StatusLoop(FleetNode* node) {
    if (stopping_) return;
    std::string since;
    {
      std::lock_guard lock(node->mu);
      since = node->ready_since;
    }
    Status st = PatchNodeStatus(node->shape.name, Json{{"conditions", NodeConditions(NowRfc3339(), since)}});
    if (st.code() == StatusCode::kNotFound) {
      // Someone deleted the Node: register again, as a kubelet does.
      Log("node " + node->shape.name + " was deleted; registering it again");
      st = RegisterNode(*node, /*initial=*/false);
    }
    if (st.ok()) {
      ++heartbeats_;
    } else {
      ++errors_;
      Log("updating status of node " + node->shape.name + ": " + st.ToString());
    }
    executor_.PostAfter(options_.node_status_interval, [this, node] { StatusLoop(node); });
  }

  client::Client* client_;
  SimOptions options_;
  const gpu::GpuModel* model_ = nullptr;
  Executor executor_;
  std::vector<std::unique_ptr<FleetNode>> nodes_;  // fixed after construction
  std::unique_ptr<PodRunner> runner_;
  std::map<std::string, std::vector<Json>> existing_slices_;  // only during Register()
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> slices_written_{0};
  std::atomic<int64_t> lease_renewals_{0};
  std::atomic<int64_t> heartbeats_{0};
  std::atomic<int64_t> errors_{0};
  std::chrono::milliseconds registration_time_{0};
};

}  // namespace

StatusOr<std::unique_ptr<SimFleet>> StartSimFleet(client::Client* client, const SimOptions& options) {
  HARU_RETURN_IF_ERROR(ValidateOptions(options));
  auto fleet = std::make_unique<SimFleetImpl>(client, options);
  Status st = fleet->Register();
  if (!st.ok()) {
    fleet->Stop();
    return st;
  }
  return std::unique_ptr<SimFleet>(std::move(fleet));
}

}  // namespace haru::node::sim
