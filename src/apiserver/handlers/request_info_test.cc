#include "apiserver/handlers/request_info.h"

#include <gtest/gtest.h>

namespace haru::apiserver {
namespace {

RequestInfo Parse(std::string method, std::string path, std::string query = "") {
  http::Request r;
  r.method = method;
  r.path = path;
  r.query = http::ParseQuery(query);
  return ParseRequestInfo(r);
}

TEST(RequestInfo, NamespacedResources) {
  auto i = Parse("GET", "/api/v1/namespaces/team-a/pods/p1");
  EXPECT_TRUE(i.is_resource_request);
  EXPECT_EQ(i.verb, "get");
  EXPECT_EQ(i.ns, "team-a");
  EXPECT_EQ(i.resource, "pods");
  EXPECT_EQ(i.name, "p1");
  i = Parse("GET", "/api/v1/namespaces/team-a/pods", "watch=True");
  EXPECT_EQ(i.verb, "watch");
  i = Parse("PUT", "/api/v1/namespaces/team-a/pods/p1/status");
  EXPECT_EQ(i.subresource, "status");
  EXPECT_EQ(i.verb, "update");
  i = Parse("DELETE", "/apis/coordination.k8s.io/v1/namespaces/x/leases");
  EXPECT_EQ(i.verb, "deletecollection");
  EXPECT_EQ(i.api_group, "coordination.k8s.io");
}

TEST(RequestInfo, Namespaces) {
  auto i = Parse("GET", "/api/v1/namespaces");
  EXPECT_EQ(i.resource, "namespaces");
  EXPECT_EQ(i.verb, "list");
  i = Parse("GET", "/api/v1/namespaces/team-a");
  EXPECT_EQ(i.resource, "namespaces");
  EXPECT_EQ(i.name, "team-a");
  EXPECT_EQ(i.ns, "");
  i = Parse("PUT", "/api/v1/namespaces/team-a/finalize");
  EXPECT_EQ(i.resource, "namespaces");
  EXPECT_EQ(i.name, "team-a");
  EXPECT_EQ(i.subresource, "finalize");
}

TEST(RequestInfo, NonResource) {
  EXPECT_FALSE(Parse("GET", "/api").is_resource_request);
  EXPECT_FALSE(Parse("GET", "/apis/events.k8s.io/v1").is_resource_request);
  EXPECT_FALSE(Parse("GET", "/healthz").is_resource_request);
  auto i = Parse("GET", "/api/v1/watch/namespaces/a/pods");
  EXPECT_EQ(i.verb, "watch");
  EXPECT_EQ(i.resource, "pods");
}

}  // namespace
}  // namespace haru::apiserver
