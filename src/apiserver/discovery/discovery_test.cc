#include "apiserver/discovery/discovery.h"

#include <gtest/gtest.h>

namespace haru::apiserver {
namespace {

struct Fakes {
  api::KindSpec pod, node, lease, event;
  Fakes() {
    pod.gvk = {"", "v1", "Pod"};
    pod.plural = "pods";
    pod.singular = "pod";
    pod.short_names = {"po"};
    pod.categories = {"all"};
    pod.has_status = true;
    pod.extra_subresources = {{"binding"}, {"eviction"}};
    node.gvk = {"", "v1", "Node"};
    node.plural = "nodes";
    node.singular = "node";
    node.scope = api::Scope::kCluster;
    node.has_status = true;
    lease.gvk = {"coordination.k8s.io", "v1", "Lease"};
    lease.plural = "leases";
    lease.singular = "lease";
    event.gvk = {"events.k8s.io", "v1", "Event"};
    event.plural = "events";
    event.singular = "event";
    event.short_names = {"ev"};
  }
  std::vector<const api::KindSpec*> all() { return {&pod, &node, &lease, &event}; }
};

constexpr std::string_view kKubectlAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

TEST(DiscoveryTest, LegacyDocuments) {
  Fakes f;
  Discovery d(f.all(), "10.0.0.1:6443");
  Json versions = d.ApiVersions();
  EXPECT_EQ(versions["kind"], "APIVersions");
  EXPECT_EQ(versions["versions"], Json::array({"v1"}));
  EXPECT_EQ(versions["serverAddressByClientCIDRs"][0]["serverAddress"], "10.0.0.1:6443");
  Json groups = d.ApiGroupList();
  ASSERT_EQ(groups["groups"].size(), 2u);
  EXPECT_EQ(groups["groups"][0]["name"], "coordination.k8s.io");
  EXPECT_EQ(groups["groups"][0]["preferredVersion"],
            (Json{{"groupVersion", "coordination.k8s.io/v1"}, {"version", "v1"}}));
  Json list = *d.ResourceList("", "v1");
  EXPECT_EQ(list["groupVersion"], "v1");
  std::vector<std::string> names;
  for (const Json& r : list["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"nodes", "nodes/status", "pods", "pods/binding", "pods/eviction", "pods/status"}));
  const Json& pods = list["resources"][2];
  EXPECT_EQ(pods["kind"], "Pod");
  EXPECT_EQ(pods["namespaced"], true);
  EXPECT_EQ(pods["singularName"], "pod");
  EXPECT_EQ(pods["shortNames"], Json::array({"po"}));
  EXPECT_EQ(pods["categories"], Json::array({"all"}));
  EXPECT_EQ(pods["storageVersionHash"], "xPOwRZ+Yhw8=");
  EXPECT_EQ(pods["verbs"], Json::array({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}));
  EXPECT_EQ(list["resources"][3]["kind"], "Binding");
  EXPECT_EQ(list["resources"][3]["verbs"], Json::array({"create"}));
  EXPECT_EQ(list["resources"][4]["group"], "policy");
  EXPECT_EQ(list["resources"][5]["verbs"], Json::array({"get", "patch", "update"}));
  EXPECT_EQ(list["resources"][0]["namespaced"], false);
  EXPECT_FALSE(d.ResourceList("", "v2").has_value());
  EXPECT_EQ((*d.ApiGroup("events.k8s.io"))["kind"], "APIGroup");
}

TEST(DiscoveryTest, AggregatedWhenAsked) {
  Fakes f;
  Discovery d(f.all());
  EXPECT_EQ(AggregatedDiscoveryVersion(kKubectlAccept), "v2");
  EXPECT_EQ(AggregatedDiscoveryVersion("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"), "v2beta1");
  EXPECT_EQ(AggregatedDiscoveryVersion("application/json, */*"), "");

  auto r = d.Serve("/api", kKubectlAccept);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->headers.Get("Content-Type"), kAggregatedDiscoveryV2ContentType);
  Json doc = Json::parse(r->BodyString());
  EXPECT_EQ(doc["kind"], "APIGroupDiscoveryList");
  EXPECT_EQ(doc["apiVersion"], "apidiscovery.k8s.io/v2");
  ASSERT_EQ(doc["items"].size(), 1u);
  const Json& v1 = doc["items"][0]["versions"][0];
  EXPECT_EQ(v1["version"], "v1");
  EXPECT_EQ(v1["freshness"], "Current");
  const Json& pods = v1["resources"][0];
  EXPECT_EQ(pods["resource"], "pods");
  EXPECT_EQ(pods["scope"], "Namespaced");
  EXPECT_EQ(pods["singularResource"], "pod");
  EXPECT_EQ(pods["responseKind"], (Json{{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}));
  EXPECT_EQ(pods["subresources"][0]["subresource"], "status");
  EXPECT_EQ(pods["subresources"][1]["responseKind"]["kind"], "Binding");
  EXPECT_EQ(v1["resources"][1]["scope"], "Cluster");

  Json apis = Json::parse(d.Serve("/apis", kKubectlAccept)->BodyString());
  ASSERT_EQ(apis["items"].size(), 2u);
  EXPECT_EQ(apis["items"][0]["metadata"]["name"], "coordination.k8s.io");
  EXPECT_EQ(apis["items"][1]["versions"][0]["resources"][0]["shortNames"], Json::array({"ev"}));

  auto legacy = d.Serve("/apis", "application/json, */*");
  EXPECT_EQ(legacy->headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(Json::parse(legacy->BodyString())["kind"], "APIGroupList");
  EXPECT_EQ(Json::parse(d.Serve("/apis/coordination.k8s.io/v1", "")->BodyString())["resources"][0]["name"], "leases");
  EXPECT_EQ(Json::parse(d.Serve("/apis/coordination.k8s.io", "")->BodyString())["name"], "coordination.k8s.io");
  EXPECT_FALSE(d.Serve("/apis/nope/v1", "").has_value());
  EXPECT_FALSE(d.Serve("/api/v1/pods", "").has_value());
}

}  // namespace
}  // namespace haru::apiserver
