#include "apiserver/server/health.h"

#include <gtest/gtest.h>

namespace haru::server {
namespace {

std::multimap<std::string, std::string> Q(std::initializer_list<std::pair<const std::string, std::string>> l) {
  return std::multimap<std::string, std::string>(l);
}

TEST(HealthChecks, PlainOkAndVerboseListing) {
  HealthChecks h;
  h.Add("etcd", [] { return Status::OK(); });
  h.AddReadyz("informer-sync", [] { return Status::OK(); });
  auto plain = h.Serve("/livez", {});
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.BodyString(), "ok");
  EXPECT_EQ(plain.headers.Get("content-type"), "text/plain; charset=utf-8");
  auto verbose = h.Serve("/livez", Q({{"verbose", ""}}));
  EXPECT_EQ(verbose.BodyString(), "[+]ping ok\n[+]etcd ok\nlivez check passed\n");
  auto ready = h.Serve("/readyz", Q({{"verbose", "1"}}));
  EXPECT_EQ(ready.BodyString(),
            "[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\nreadyz check passed\n");
}

TEST(HealthChecks, FailureWithholdsReasonAnd500) {
  HealthChecks h;
  h.Add("etcd", [] { return Status::ServiceUnavailable("down"); });
  auto r = h.Serve("/healthz", {});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.BodyString(), "[+]ping ok\n[-]etcd failed: reason withheld\nhealthz check failed\n");
}

TEST(HealthChecks, ExcludeAndSingleCheck) {
  HealthChecks h;
  h.AddReadyz("shutdown", [] { return Status::ServiceUnavailable("shutting down"); });
  auto r = h.Serve("/readyz", Q({{"verbose", ""}, {"exclude", "shutdown"}, {"exclude", "nope"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.BodyString(),
            "[+]ping ok\n[+]shutdown excluded: ok\n"
            "warn: some health checks cannot be excluded: no matches for \"nope\"\n"
            "readyz check passed\n");
  EXPECT_EQ(h.Serve("/readyz/ping", {}).BodyString(), "ok");
  auto one = h.Serve("/readyz/shutdown", {});
  EXPECT_EQ(one.status, 500);
  EXPECT_EQ(one.BodyString(), "internal server error: shutting down\n");
  EXPECT_EQ(h.Serve("/readyz/unknown", {}).status, 404);
  EXPECT_EQ(h.Serve("/livez/shutdown", {}).status, 404);  // readyz only
  EXPECT_TRUE(HealthChecks::IsHealthPath("/readyz/ping"));
  EXPECT_FALSE(HealthChecks::IsHealthPath("/readyzz"));
}

}  // namespace
}  // namespace haru::server
