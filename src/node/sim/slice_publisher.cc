#include "node/sim/slice_publisher.h"

#include <algorithm>
#include <set>

#include "node/gpu/resource_slices.h"

namespace haru::node::sim {

namespace {

const client::Resource kResourceSlices{"resource.k8s.io", "v1", "resourceslices"};

std::string NameOf(const Json& obj) {
  auto m = obj.find("metadata");
  return m != obj.end() && m->is_object() ? m->value("name", "") : "";
}

int64_t GenerationOf(const Json& slice) {
  auto s = slice.find("spec");
  if (s == slice.end() || !s->is_object()) return 0;
  auto p = s->find("pool");
  if (p == s->end() || !p->is_object()) return 0;
  auto g = p->find("generation");
  return g != p->end() && g->is_number_integer() ? g->get<int64_t>() : 0;
}

const Json& SpecOf(const Json& obj) {
  static const Json kNull;
  auto s = obj.find("spec");
  return s != obj.end() ? *s : kNull;
}

}  // namespace

StatusOr<std::map<std::string, std::vector<Json>>> ListDriverSlices(client::Client& client) {
  client::ListOptions options;
  options.field_selector = std::string("spec.driver=") + gpu::kDriverName;
  HARU_ASSIGN_OR_RETURN(client::ObjectList list, client.List(kResourceSlices, "", options));
  std::map<std::string, std::vector<Json>> out;
  for (Json& item : list.items) {
    std::string node = SpecOf(item).is_object() ? SpecOf(item).value("nodeName", "") : "";
    out[node].push_back(std::move(item));
  }
  return out;
}

StatusOr<std::vector<Json>> ListNodeSlices(client::Client& client, const std::string& node) {
  client::ListOptions options;
  options.field_selector = std::string("spec.driver=") + gpu::kDriverName + ",spec.nodeName=" + node;
  HARU_ASSIGN_OR_RETURN(client::ObjectList list, client.List(kResourceSlices, "", options));
  return std::move(list.items);
}

StatusOr<int> PublishSlices(client::Client& client, const std::vector<Json>& existing,
                            const std::function<std::vector<Json>(int64_t generation)>& build) {
  int64_t generation = 1;
  for (const Json& s : existing) generation = std::max(generation, GenerationOf(s));
  std::vector<Json> desired = build(generation);

  std::map<std::string, const Json*> by_name;
  for (const Json& s : existing) by_name[NameOf(s)] = &s;
  bool changed = false;
  for (const Json& d : desired) {
    auto it = by_name.find(NameOf(d));
    if (it == by_name.end() || SpecOf(*it->second) != SpecOf(d)) changed = true;
  }
  // A changed pool is republished whole under a new generation; extra slices alone are just
  // deleted.
  if (changed && !existing.empty()) desired = build(generation + 1);

  int writes = 0;
  std::set<std::string> wanted;
  for (Json& d : desired) {
    std::string name = NameOf(d);
    wanted.insert(name);
    if (!changed) continue;
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      StatusOr<Json> created = client.Create(kResourceSlices, "", d);
      if (created.status().code() == StatusCode::kAlreadyExists) {
        // Listed before someone else created it: update the stored one.
        HARU_ASSIGN_OR_RETURN(Json current, client.Get(kResourceSlices, "", name));
        d["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"];
        HARU_RETURN_IF_ERROR(client.Update(kResourceSlices, "", d).status());
      } else {
        HARU_RETURN_IF_ERROR(created.status());
      }
    } else {
      Json next = *it->second;
      next["spec"] = d["spec"];
      HARU_RETURN_IF_ERROR(client.Update(kResourceSlices, "", next).status());
    }
    ++writes;
  }
  for (const Json& s : existing) {
    std::string name = NameOf(s);
    if (wanted.count(name)) continue;
    client::DeleteOptions options;
    options.precondition_uid = s["metadata"].value("uid", "");
    Status st = client.Delete(kResourceSlices, "", name, options);
    if (!st.ok() && st.code() != StatusCode::kNotFound) return st;
    ++writes;
  }
  return writes;
}

}  // namespace haru::node::sim
