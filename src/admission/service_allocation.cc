#include "admission/service_allocation.h"

#include <arpa/inet.h>

#include <mutex>
#include <set>

#include "api/kinds.h"
#include "api/meta/field_errors.h"

namespace haru::admission {

namespace {

constexpr uint32_t kCidrBase = 0x0A600000;  // 10.96.0.0
constexpr uint32_t kCidrSize = 1u << 20;     // /12
constexpr int kNodePortMin = 30000;
constexpr int kNodePortMax = 32767;

std::string IpString(uint32_t ip) {
  in_addr a;
  a.s_addr = htonl(ip);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

bool ParseIp(const std::string& s, uint32_t& out) {
  in_addr a;
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return false;
  out = ntohl(a.s_addr);
  return true;
}

struct InUse {
  std::set<uint32_t> ips;
  std::set<int> node_ports;
};

InUse Collect(registry::Registry* registry, const api::KindSpec& kind) {
  InUse used;
  auto all = registry->List(kind, "", {});
  if (!all.ok()) return used;
  for (const auto& kv : all->items) {
    Json svc = Json::parse(*kv.value, nullptr, false);
    if (!svc.is_object() || !svc.contains("spec")) continue;
    const Json& spec = svc["spec"];
    uint32_t ip;
    if (ParseIp(spec.value("clusterIP", ""), ip)) used.ips.insert(ip);
    for (const Json& p : spec.value("ports", Json::array())) {
      if (p.contains("nodePort") && p["nodePort"].is_number_integer()) {
        used.node_ports.insert(p["nodePort"].get<int>());
      }
    }
  }
  return used;
}

}  // namespace

registry::MutationStep ServiceAllocation(registry::Registry* registry) {
  auto mu = std::make_shared<std::mutex>();
  auto next_ip = std::make_shared<uint32_t>(10);
  return [registry, mu, next_ip](const api::KindSpec& kind, const std::string& operation,
                                 Json& obj, const Json* old, bool dry_run) -> Status {
    if (kind.gvk.kind != "Service" || !kind.gvk.group.empty()) return Status::OK();
    Json& spec = obj["spec"];
    if (!spec.is_object()) return Status::OK();
    std::string type = spec.value("type", "ClusterIP");
    std::string name = obj["metadata"].value("name", "");
    std::lock_guard lock(*mu);
    if (operation == "UPDATE" && old != nullptr) {
      // Allocations are immutable: keep the old ones when the update leaves them out.
      const Json& old_spec = (*old)["spec"];
      if (spec.value("clusterIP", "").empty() && old_spec.contains("clusterIP")) {
        spec["clusterIP"] = old_spec["clusterIP"];
        if (old_spec.contains("clusterIPs")) spec["clusterIPs"] = old_spec["clusterIPs"];
      }
      return Status::OK();
    }
    if (operation != "CREATE") return Status::OK();
    InUse used = Collect(registry, kind);
    if (type != "ExternalName") {
      std::string requested = spec.value("clusterIP", "");
      if (requested.empty()) {
        for (uint32_t i = 0; i < kCidrSize - 2; ++i) {
          uint32_t offset = 2 + (*next_ip - 2 + i) % (kCidrSize - 2);
          if (!used.ips.count(kCidrBase + offset)) {
            spec["clusterIP"] = IpString(kCidrBase + offset);
            if (!dry_run) *next_ip = offset + 1;
            break;
          }
        }
        if (spec.value("clusterIP", "").empty()) {
          return Status::Internal("failed to allocate a serviceIP: range is full");
        }
      } else if (requested != "None") {
        uint32_t ip;
        if (!ParseIp(requested, ip) || ip < kCidrBase || ip >= kCidrBase + kCidrSize) {
          return api::InvalidStatus("", "Service", name,
                                    {api::Invalid("spec.clusterIPs", "[]string{\"" + requested + "\"}",
                                                  "failed to allocate IP " + requested +
                                                      ": the provided IP (" + requested +
                                                      ") is not in the valid range. The range "
                                                      "of valid IPs is 10.96.0.0/12")});
        }
        if (used.ips.count(ip)) {
          return api::InvalidStatus("", "Service", name,
                                    {api::Invalid("spec.clusterIPs", "[]string{\"" + requested + "\"}",
                                                  "failed to allocate IP " + requested +
                                                      ": provided IP is already allocated")});
        }
      }
      std::string ip = spec.value("clusterIP", "");
      if (!ip.empty()) spec["clusterIPs"] = Json::array({ip});
    }
    if (type == "NodePort" || type == "LoadBalancer") {
      int candidate = kNodePortMin;
      for (Json& port : spec["ports"]) {
        if (port.contains("nodePort") && port["nodePort"].is_number_integer() &&
            port["nodePort"].get<int>() != 0) {
          int wanted = port["nodePort"].get<int>();
          if (used.node_ports.count(wanted)) {
            return api::InvalidStatus(
                "", "Service", name,
                {api::Invalid("spec.ports[0].nodePort", std::to_string(wanted),
                              "provided port is already allocated")});
          }
          used.node_ports.insert(wanted);
          continue;
        }
        while (candidate <= kNodePortMax && used.node_ports.count(candidate)) ++candidate;
        if (candidate > kNodePortMax) return Status::Internal("failed to allocate a nodePort: range is full");
        port["nodePort"] = candidate;
        used.node_ports.insert(candidate);
      }
    }
    return Status::OK();
  };
}

}  // namespace haru::admission
