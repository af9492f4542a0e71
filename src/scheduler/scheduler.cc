// The scheduler: watches feeding the cache and the queue, the scheduling loop (one pod at a
// time: PreFilter, parallel Filter, Score, assume) and the bind workers.

#include "scheduler/scheduler.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "api/meta/object.h"
#include "scheduler/cache.h"
#include "scheduler/fit_error.h"
#include "scheduler/internal/api_writes.h"
#include "scheduler/internal/reflector.h"
#include "scheduler/internal/workers.h"
#include "scheduler/plugins/dynamic_resources.h"

namespace haru::scheduler {
namespace {

using client::WatchEventType;

const client::Resource kPods{"", "v1", "pods"};
const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};
const client::Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};
const client::Resource kClasses{"resource.k8s.io", "v1", "deviceclasses"};
const client::Resource kTaintRules{"resource.k8s.io", "v1beta2", "devicetaintrules"};

std::string Name(const Json& o) { return api::GetString(o, {"metadata", "name"}); }
std::string NsName(const Json& o) { return api::GetString(o, {"metadata", "namespace"}) + "/" + Name(o); }

// What a node change must alter to matter to pending pods.
bool SameForScheduling(const NodeInfo& a, const NodeInfo& b) {
  if (a.unschedulable != b.unschedulable || a.node.labels != b.node.labels) return false;
  if (a.taints.size() != b.taints.size()) return false;
  for (size_t i = 0; i < a.taints.size(); ++i) {
    if (a.taints[i].key != b.taints[i].key || a.taints[i].value != b.taints[i].value ||
        a.taints[i].effect != b.taints[i].effect) {
      return false;
    }
  }
  const ResourceList& x = a.allocatable;
  const ResourceList& y = b.allocatable;
  return x.milli_cpu == y.milli_cpu && x.memory == y.memory && x.ephemeral_storage == y.ephemeral_storage &&
         x.pods == y.pods && x.scalars == y.scalars;
}

// Filter threads: the configured parallelism, but no more than the machine's hardware threads
// (filters only compute; extra threads only add wake-ups and switches).
int FilterThreads(int configured) {
  int hw = static_cast<int>(std::thread::hardware_concurrency());
  int n = std::max(1, configured);
  return hw > 0 ? std::min(n, hw) : n;
}

class SchedulerImpl : public Scheduler {
 public:
  SchedulerImpl(client::Client* client, SchedulerOptions options)
      : client_(client),
        options_(std::move(options)),
        queue_(options_.queue),
        parallel_(FilterThreads(options_.parallelism)),
        binders_(std::max(1, options_.bind_workers)),
        events_(client, options_.scheduler_name),
        rng_(std::random_device{}()) {}

  ~SchedulerImpl() override { Stop(); }

  void Start() {
    auto add = [this](client::Resource r, auto replace, auto event) {
      reflectors_.push_back(std::make_unique<internal::Reflector>(client_, std::move(r), replace, event));
    };
    add(kNodes, [this](std::vector<Json>& items) { ReplaceNodes(items); },
        [this](WatchEventType t, const Json& o) { OnNode(t, o); });
    add(kPods, [this](std::vector<Json>& items) { ReplacePods(items); },
        [this](WatchEventType t, const Json& o) { OnPod(t, o); });
    add(kClaims, [this](std::vector<Json>& items) { ReplaceClaims(items); },
        [this](WatchEventType t, const Json& o) { OnClaim(t, o); });
    add(kSlices, [this](std::vector<Json>& items) { ReplaceInventory(items, &Cache::UpsertSlice, &Cache::DeleteSlice, &slice_names_); },
        [this](WatchEventType t, const Json& o) { OnInventory(t, o, &Cache::UpsertSlice, &Cache::DeleteSlice, &slice_names_); });
    add(kClasses, [this](std::vector<Json>& items) { ReplaceInventory(items, &Cache::UpsertClass, &Cache::DeleteClass, &class_names_); },
        [this](WatchEventType t, const Json& o) { OnInventory(t, o, &Cache::UpsertClass, &Cache::DeleteClass, &class_names_); });
    add(kTaintRules,
        [this](std::vector<Json>& items) { ReplaceInventory(items, &Cache::UpsertTaintRule, &Cache::DeleteTaintRule, &rule_names_); },
        [this](WatchEventType t, const Json& o) { OnInventory(t, o, &Cache::UpsertTaintRule, &Cache::DeleteTaintRule, &rule_names_); });
    for (auto& r : reflectors_) r->Start();
    loop_ = std::thread([this] { Loop(); });
  }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    queue_.Close();
    if (loop_.joinable()) loop_.join();
    for (auto& r : reflectors_) r->Stop();
    binders_.Stop();
  }

  bool HasSynced() const override {
    for (const auto& r : reflectors_) {
      if (!r->synced()) return false;
    }
    return !reflectors_.empty();
  }

  Stats stats() const override { return {bound_.load(), unschedulable_.load(), errors_.load()}; }
  SchedulingQueue::Counts queue_counts() const override { return queue_.counts(); }

 private:
  // ---- watch handlers -------------------------------------------------------------------

  void ReplaceNodes(std::vector<Json>& items) {
    {
      std::lock_guard lock(cache_.mu());
      std::unordered_set<std::string> names;
      for (const Json& n : items) {
        names.insert(Name(n));
        cache_.UpsertNode(n);
      }
      std::vector<std::string> gone;
      for (NodeInfo* n : cache_.Nodes()) {
        if (!names.count(n->name)) gone.push_back(n->name);
      }
      for (const auto& n : gone) cache_.DeleteNode(n);
    }
    queue_.OnClusterEvent(kHelpsAll);
  }

  void OnNode(WatchEventType type, const Json& node) {
    bool relevant = true;
    {
      std::lock_guard lock(cache_.mu());
      if (type == WatchEventType::kDeleted) {
        cache_.DeleteNode(Name(node));
        relevant = false;
      } else {
        NodeInfo* old = cache_.FindNode(Name(node));
        if (old) {
          NodeInfo before = *old;
          cache_.UpsertNode(node);
          relevant = !SameForScheduling(before, *cache_.FindNode(Name(node)));
        } else {
          cache_.UpsertNode(node);
        }
      }
    }
    if (relevant) queue_.OnClusterEvent(kHelpsAll);
  }

  void ReplacePods(std::vector<Json>& items) {
    std::unordered_set<std::string> keys;
    for (const Json& p : items) {
      keys.insert(NsName(p));
      OnPod(WatchEventType::kModified, p);
    }
    std::vector<std::string> gone;
    {
      std::lock_guard lock(cache_.mu());
      for (const auto& k : pod_keys_) {
        if (!keys.count(k)) gone.push_back(k);
      }
    }
    for (const auto& k : gone) {
      auto slash = k.find('/');
      Json stub = {{"metadata", {{"namespace", k.substr(0, slash)}, {"name", k.substr(slash + 1)}}}};
      OnPod(WatchEventType::kDeleted, stub);
    }
  }

  void OnPod(WatchEventType type, const Json& obj) {
    std::string key = NsName(obj);
    if (type == WatchEventType::kDeleted) {
      {
        std::lock_guard lock(cache_.mu());
        cache_.DeletePod(key);
        pod_keys_.erase(key);
        waiting_for_claims_.erase(key);
      }
      queue_.Delete(key);
      events_.Forget(key);
      queue_.OnClusterEvent(kHelpsResources);
      return;
    }
    std::shared_ptr<PodInfo> pod = ParsePod(obj);
    if (!pod->node_name.empty()) {
      {
        std::lock_guard lock(cache_.mu());
        cache_.UpsertAssignedPod(pod);
        pod_keys_.insert(key);
      }
      queue_.Delete(key);
      if (pod->IsTerminal()) queue_.OnClusterEvent(kHelpsResources);
      return;
    }
    bool assumed;
    bool waits_for_claims = false;
    {
      std::lock_guard lock(cache_.mu());
      pod_keys_.insert(key);
      assumed = cache_.IsAssumedOrBound(key);
      if (!assumed) waits_for_claims = WaitForClaimCreation(key, pod);
    }
    if (assumed) return;  // our binding is on its way
    if (pod->scheduler_name != options_.scheduler_name || pod->deleting || pod->IsTerminal() || pod->gated) {
      queue_.Delete(key);
      return;
    }
    if (waits_for_claims) {
      queue_.Delete(key);
      // The claim's watch runs on another thread: if it released the pod between the check
      // above and this Delete, the Delete just dropped it from the queue; put it back.
      bool released;
      {
        std::lock_guard lock(cache_.mu());
        released = !waiting_for_claims_.count(key) && pod_keys_.count(key) && !cache_.IsAssumedOrBound(key);
      }
      if (released) queue_.AddOrUpdate(std::move(pod));
      return;
    }
    queue_.AddOrUpdate(std::move(pod));
  }

  // Upstream's DynamicResources PreEnqueue: a pod whose claims from templates the resourceclaim
  // controller has not created yet is not tried at all (no condition, no event, no retries)
  // until the controller records the claim in the pod's status and the claim is seen. Returns
  // true (and remembers the pod) when it must wait. REQUIRES: cache_.mu() held.
  bool WaitForClaimCreation(const std::string& key, const std::shared_ptr<PodInfo>& pod) {
    std::string missing_claim;
    bool waits = false;
    for (const PodClaimRef& ref : pod->claims) {
      if (ref.not_needed || !ref.from_template) continue;
      if (ref.not_created_yet) {
        waits = true;  // the pod's own update (resourceClaimStatuses) brings it back
        break;
      }
      std::string claim_key = pod->ns + "/" + ref.claim_name;
      if (cache_.FindClaim(claim_key) == nullptr) {
        waits = true;
        missing_claim = std::move(claim_key);  // the claim's arrival brings it back
        break;
      }
    }
    if (!waits) {
      waiting_for_claims_.erase(key);
      return false;
    }
    waiting_for_claims_[key] = pod;
    if (!missing_claim.empty()) waiting_by_claim_[missing_claim].insert(key);
    return true;
  }

  // Pods that waited for `claim_key` to appear. REQUIRES: cache_.mu() held.
  std::vector<std::shared_ptr<PodInfo>> TakeWaitingFor(const std::string& claim_key) {
    std::vector<std::shared_ptr<PodInfo>> ready;
    auto it = waiting_by_claim_.find(claim_key);
    if (it == waiting_by_claim_.end()) return ready;
    for (const std::string& pod_key : it->second) {
      auto w = waiting_for_claims_.find(pod_key);
      if (w == waiting_for_claims_.end()) continue;
      std::shared_ptr<PodInfo> pod = w->second;
      if (WaitForClaimCreation(pod_key, pod)) continue;  // still another claim to come
      ready.push_back(std::move(pod));
    }
    waiting_by_claim_.erase(claim_key);
    return ready;
  }

  void ReplaceClaims(std::vector<Json>& items) {
    std::vector<std::shared_ptr<PodInfo>> ready;
    {
      std::lock_guard lock(cache_.mu());
      std::unordered_set<std::string> keys;
      for (const Json& c : items) {
        std::string key = NsName(c);
        cache_.UpsertClaim(c);
        for (auto& pod : TakeWaitingFor(key)) ready.push_back(std::move(pod));
        keys.insert(std::move(key));
      }
      for (const auto& k : claim_keys_) {
        if (!keys.count(k)) cache_.DeleteClaim(k);
      }
      claim_keys_ = std::move(keys);
    }
    for (auto& pod : ready) queue_.AddOrUpdate(std::move(pod));
    queue_.OnClusterEvent(kHelpsDra);
  }

  void OnClaim(WatchEventType type, const Json& claim) {
    std::vector<std::shared_ptr<PodInfo>> ready;
    {
      std::lock_guard lock(cache_.mu());
      std::string key = NsName(claim);
      if (type == WatchEventType::kDeleted) {
        cache_.DeleteClaim(key);
        claim_keys_.erase(key);
      } else {
        cache_.UpsertClaim(claim);
        claim_keys_.insert(key);
        ready = TakeWaitingFor(key);
      }
    }
    for (auto& pod : ready) queue_.AddOrUpdate(std::move(pod));
    queue_.OnClusterEvent(kHelpsDra);
  }

  using Upsert = void (Cache::*)(const Json&);
  using Remove = void (Cache::*)(const std::string&);
  void ReplaceInventory(std::vector<Json>& items, Upsert upsert, Remove remove, std::unordered_set<std::string>* names) {
    {
      std::lock_guard lock(cache_.mu());
      std::unordered_set<std::string> now;
      for (const Json& o : items) {
        now.insert(Name(o));
        (cache_.*upsert)(o);
      }
      for (const auto& n : *names) {
        if (!now.count(n)) (cache_.*remove)(n);
      }
      *names = std::move(now);
    }
    queue_.OnClusterEvent(kHelpsDra);
  }

  void OnInventory(WatchEventType type, const Json& obj, Upsert upsert, Remove remove,
                   std::unordered_set<std::string>* names) {
    {
      std::lock_guard lock(cache_.mu());
      if (type == WatchEventType::kDeleted) {
        (cache_.*remove)(Name(obj));
        names->erase(Name(obj));
      } else {
        (cache_.*upsert)(obj);
        names->insert(Name(obj));
      }
    }
    queue_.OnClusterEvent(kHelpsDra);
  }

  // ---- the scheduling loop ----------------------------------------------------------------

  void Loop() {
    while (!stopped_ && !HasSynced()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    while (true) {
      SchedulingQueue::Popped popped = queue_.Pop();
      if (!popped.pod) return;
      ScheduleOne(popped);
    }
  }

  int NumFeasibleNodesToFind(int n) const {
    if (n < 100) return n;
    int pct = options_.percentage_of_nodes_to_score;
    if (pct <= 0) pct = std::max(5, 50 - n / 125);
    if (pct >= 100) return n;
    return std::max(100, n * pct / 100);
  }

  struct BindJob {
    SchedulingQueue::Popped popped;
    std::string node;
    struct ClaimWrite {
      std::string key, ns, name;
      Json cached;
      Json allocation;  // null: already allocated
    };
    std::vector<ClaimWrite> claims;
  };

  void ScheduleOne(const SchedulingQueue::Popped& popped) {
    const PodInfo& pod = *popped.pod;
    if (!pod.parse_error.empty()) {
      Fail(popped, "SchedulerError", pod.parse_error, kHelpsNone, /*error=*/true);
      return;
    }
    BindJob job;
    job.popped = popped;
    Diagnosis diag;
    std::string error;
    uint32_t mask = kHelpsNodes | kHelpsResources | (pod.claims.empty() ? 0u : static_cast<uint32_t>(kHelpsDra));
    {
      std::lock_guard lock(cache_.mu());
      if (cache_.IsAssumedOrBound(pod.Key())) {
        queue_.Done(pod.Key());
        return;
      }
      const std::vector<NodeInfo*>& nodes = cache_.Nodes();
      int n = static_cast<int>(nodes.size());
      diag.num_all_nodes = n;
      if (n == 0) {
        error = kNoNodesAvailable;
      }
      DraCycleState dra;
      if (error.empty() && !pod.claims.empty()) {
        FilterStatus pre = DynamicResourcesPreFilter(pod, cache_, &dra);
        if (!pre.ok()) {
          diag.prefilter_message = pre.reasons.empty() ? "" : pre.reasons[0];
        } else {
          diag.pod_has_claims = !dra.claims.empty();
          if (!dra.to_allocate.empty()) {
            dra.allocator = cache_.Allocator();
            dra.generation = cache_.dra_generation();
            dra.allocations.resize(n);
          }
        }
      }
      std::vector<int> feasible;
      if (error.empty() && diag.prefilter_message.empty()) {
        feasible = FindFeasible(pod, nodes, &dra, &diag);
        // As upstream's framework words a filter plugin's error.
        if (feasible.empty() && !dra.fatal.empty()) error = "running \"DynamicResources\" filter plugin: " + dra.fatal;
      }
      if (error.empty() && !feasible.empty()) {
        int best = feasible.size() == 1 ? feasible[0] : SelectHost(pod, nodes, feasible);
        NodeInfo* node = nodes[best];
        job.node = node->name;
        cache_.AssumePod(popped.pod, node->name);
        const std::vector<Json>* allocs = nullptr;
        if (!dra.to_allocate.empty() && static_cast<size_t>(best) < dra.allocations.size()) {
          allocs = dra.allocations[best].get();
        }
        for (const CachedClaim* c : dra.claims) {
          Json allocation;
          if (!c->EffectiveAllocation()) {
            for (size_t i = 0; i < dra.to_allocate.size(); ++i) {
              if (dra.to_allocate[i] == c && allocs && i < allocs->size()) allocation = (*allocs)[i];
            }
          }
          bool reserved = std::find(c->reserved_uids.begin(), c->reserved_uids.end(), pod.uid) != c->reserved_uids.end();
          if (allocation.is_null() && reserved && c->allocated) continue;
          job.claims.push_back({c->Key(), c->ns, c->name, c->object, allocation});
        }
        for (const auto& w : job.claims) {
          if (!w.allocation.is_null()) cache_.AssumeClaimAllocation(w.key, w.allocation);
        }
      }
    }
    if (!error.empty()) {
      Fail(popped, error == kNoNodesAvailable ? "Unschedulable" : "SchedulerError", error, mask,
           error != kNoNodesAvailable);
      return;
    }
    if (job.node.empty()) {
      Fail(popped, "Unschedulable", FitErrorMessage(diag), mask, false);
      return;
    }
    binders_.Submit([this, job = std::move(job)] { Bind(job); });
  }

  // Runs the filters over nodes from a rotating start, stopping once enough fit.
  std::vector<int> FindFeasible(const PodInfo& pod, const std::vector<NodeInfo*>& nodes, DraCycleState* dra,
                                Diagnosis* diag) {
    int n = static_cast<int>(nodes.size());
    int want = NumFeasibleNodesToFind(n);
    int start = static_cast<int>(next_start_ % n);
    std::vector<FilterStatus> statuses(n);
    std::vector<char> processed(n, 0), fits(n, 0);
    std::atomic<int> found{0};
    const dra::AllocatedState& allocated = cache_.allocated_state();
    bool has_claims = !dra->claims.empty();
    parallel_.For(n, [&](int i) {
      if (found.load(std::memory_order_relaxed) >= want) return;
      int idx = (start + i) % n;
      const NodeInfo& node = *nodes[idx];
      FilterStatus s = NodeUnschedulableFilter(pod, node);
      if (s.ok()) s = NodeNameFilter(pod, node);
      if (s.ok()) s = TaintTolerationFilter(pod, node);
      if (s.ok()) s = NodeAffinityFilter(pod, node);
      if (s.ok()) s = NodeResourcesFitFilter(pod, node);
      if (s.ok() && has_claims) s = DynamicResourcesFilter(pod, node, idx, allocated, dra);
      processed[i] = 1;
      if (s.ok()) {
        fits[idx] = 1;
        found.fetch_add(1, std::memory_order_relaxed);
      } else {
        statuses[idx] = std::move(s);
      }
    });
    int count = 0;
    for (char p : processed) count += p;
    next_start_ = (start + count) % n;
    std::vector<int> feasible;
    for (int i = 0; i < n; ++i) {
      if (fits[i]) feasible.push_back(i);
    }
    if (feasible.empty()) {
      for (int i = 0; i < n; ++i) {
        const FilterStatus& s = statuses[i];
        if (s.ok()) continue;
        for (const auto& r : s.reasons) diag->reasons[r]++;
        if (s.code == FilterCode::kUnschedulable) {
          diag->resolvable_nodes++;
        } else {
          diag->unresolvable_nodes++;
        }
      }
    }
    return feasible;
  }

  int SelectHost(const PodInfo& pod, const std::vector<NodeInfo*>& nodes, const std::vector<int>& feasible) {
    size_t m = feasible.size();
    std::vector<int64_t> taint(m), affinity(m);
    bool has_pref = !pod.preferred_affinity.empty();
    for (size_t i = 0; i < m; ++i) {
      taint[i] = TaintTolerationRawScore(pod, *nodes[feasible[i]]);
      if (has_pref) affinity[i] = NodeAffinityRawScore(pod, *nodes[feasible[i]]);
    }
    NormalizeScores(taint, true);
    if (has_pref) NormalizeScores(affinity, false);
    int64_t best_score = -1;
    int best = feasible[0];
    int ties = 0;
    for (size_t i = 0; i < m; ++i) {
      const NodeInfo& node = *nodes[feasible[i]];
      int64_t score = NodeResourcesFitScore(pod, node, options_.scoring) + BalancedAllocationScore(pod, node) +
                      3 * taint[i] + 2 * affinity[i];
      if (score > best_score) {
        best_score = score;
        best = feasible[i];
        ties = 1;
      } else if (score == best_score) {
        // Reservoir sampling: each tied node wins with equal chance.
        if (std::uniform_int_distribution<int>(0, ties)(rng_) == 0) best = feasible[i];
        ++ties;
      }
    }
    return best;
  }

  void Fail(const SchedulingQueue::Popped& popped, const std::string& reason, const std::string& message,
            uint32_t mask, bool error) {
    if (error) {
      errors_++;
      queue_.AddBackoff(popped);
    } else {
      unschedulable_++;
      queue_.AddUnschedulable(popped, mask);
    }
    internal::PodRef ref{popped.pod->ns, popped.pod->name, popped.pod->uid};
    binders_.Submit([this, ref, reason, message] {
      Status s = internal::SetUnschedulableCondition(client_, ref, reason, message);
      if (!s.ok()) std::fprintf(stderr, "scheduler: pod %s/%s condition: %s\n", ref.ns.c_str(), ref.name.c_str(), s.message().c_str());
      if (options_.record_events) events_.Record(ref, "Warning", "FailedScheduling", message);
    });
  }

  // ---- binding (bind workers) -------------------------------------------------------------

  void Bind(const BindJob& job) {
    const PodInfo& pod = *job.popped.pod;
    internal::PodRef ref{pod.ns, pod.name, pod.uid};
    Status s;
    std::string stage;
    size_t written = 0;
    for (const auto& w : job.claims) {
      s = internal::AllocateAndReserveClaim(client_, w.cached, w.allocation, ref);
      if (!s.ok()) {
        stage = "running PreBind plugin \"DynamicResources\": ";
        break;
      }
      ++written;
    }
    if (s.ok()) {
      s = internal::BindPod(client_, ref, job.node);
      if (!s.ok()) stage = "binding rejected: ";
    }
    if (s.ok()) {
      bound_++;
      queue_.Done(pod.Key());
      if (options_.record_events) {
        events_.Forget(pod.Key());
        events_.Record(ref, "Normal", "Scheduled", "Successfully assigned " + pod.ns + "/" + pod.name + " to " + job.node);
      }
      return;
    }
    // Undo: forget the assumption, release what this attempt reserved, retry after backoff.
    {
      std::lock_guard lock(cache_.mu());
      cache_.ForgetPod(pod.Key());
      for (const auto& w : job.claims) cache_.ForgetClaimAllocation(w.key);
    }
    for (size_t i = 0; i < written; ++i) internal::UnreserveClaim(client_, job.claims[i].ns, job.claims[i].name, ref);
    if (s.code() == StatusCode::kNotFound) {  // the pod is gone
      queue_.Done(pod.Key());
      return;
    }
    errors_++;
    queue_.AddBackoff(job.popped);
    queue_.OnClusterEvent(kHelpsResources | kHelpsDra);
    std::string message = stage + s.message();
    Status c = internal::SetUnschedulableCondition(client_, ref, "SchedulerError", message);
    (void)c;
    if (options_.record_events) events_.Record(ref, "Warning", "FailedScheduling", message);
  }

  client::Client* client_;
  SchedulerOptions options_;
  Cache cache_;
  SchedulingQueue queue_;
  internal::Parallelizer parallel_;
  internal::TaskPool binders_;
  internal::EventRecorder events_;
  std::vector<std::unique_ptr<internal::Reflector>> reflectors_;
  std::thread loop_;
  std::atomic<bool> stopped_{false};
  std::mt19937 rng_;
  int64_t next_start_ = 0;

  // Guarded by cache_.mu(): the names each watch has delivered (for relists).
  std::unordered_set<std::string> pod_keys_, claim_keys_, slice_names_, class_names_, rule_names_;
  // Pods held back until the resourceclaim controller's claims exist (WaitForClaimCreation),
  // and, by claim key, the pods each missing claim would release. Guarded by cache_.mu().
  std::unordered_map<std::string, std::shared_ptr<PodInfo>> waiting_for_claims_;
  std::unordered_map<std::string, std::unordered_set<std::string>> waiting_by_claim_;

  std::atomic<int64_t> bound_{0}, unschedulable_{0}, errors_{0};
};

}  // namespace

std::unique_ptr<Scheduler> StartScheduler(client::Client* client, SchedulerOptions options) {
  auto s = std::make_unique<SchedulerImpl>(client, std::move(options));
  s->Start();
  return s;
}

}  // namespace haru::scheduler
