#include "api/meta/validation.h"

#include <gtest/gtest.h>

#include "api/meta/columns.h"

namespace haru::api {
namespace {

std::string Messages(const FieldErrors& errs) {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : "\n") + e.Message();
  return out;
}

TEST(FieldErrors, PrintAsUpstream) {
  EXPECT_EQ(Required("spec.containers[0].image").Message(), "spec.containers[0].image: Required value");
  EXPECT_EQ(NotSupported("spec.securityContext.seLinuxChangePolicy", "Mount",
                         {"MountOption", "Recursive"})
                .Message(),
            "spec.securityContext.seLinuxChangePolicy: Unsupported value: \"Mount\": supported "
            "values: \"MountOption\", \"Recursive\"");
  EXPECT_EQ(Forbidden("spec.HostPID", "when `pod.Spec.HostUsers` is false").Message(),
            "spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false");
  EXPECT_EQ(TooLong("metadata.annotations", 262144).Message(),
            "metadata.annotations: Too long: may not be more than 262144 bytes");
  EXPECT_EQ(Duplicate("spec.containers[1].name", QuoteValue("a")).Message(),
            "spec.containers[1].name: Duplicate value: \"a\"");
  EXPECT_EQ(TooMany("spec.x", 5, 3).Message(), "spec.x: Too many: 5: must have at most 3 items");
  EXPECT_EQ(InvalidString("f", "", "must not be empty").Message(), "f: Invalid value: \"\": must not be empty");
  EXPECT_EQ(QuoteValue("a\"b\n"), "\"a\\\"b\\n\"");
}

TEST(FieldErrors, InvalidStatusAggregates) {
  Status one = InvalidStatus("", "Pod", "p", {Required("spec.containers[0].image")});
  EXPECT_EQ(one.code(), StatusCode::kInvalid);
  EXPECT_EQ(one.message(), "Pod \"p\" is invalid: spec.containers[0].image: Required value");
  Status two = InvalidStatus("", "Pod", "p", {Required("a"), Required("b"), Required("a")});
  EXPECT_EQ(two.message(), "Pod \"p\" is invalid: [a: Required value, b: Required value]");
  ASSERT_NE(two.details(), nullptr);
  EXPECT_EQ(two.details()->kind, "Pod");
  EXPECT_EQ(two.details()->name, "p");
  ASSERT_EQ(two.details()->causes.size(), 3u);
  EXPECT_EQ(two.details()->causes[0].type, "FieldValueRequired");
  EXPECT_EQ(two.details()->causes[0].message, "Required value");
  EXPECT_EQ(two.details()->causes[0].field, "a");
  Status grouped = InvalidStatus("coordination.k8s.io", "Lease", "l", {Required("x")});
  EXPECT_EQ(grouped.message(), "Lease.coordination.k8s.io \"l\" is invalid: x: Required value");
}

TEST(Validation, NameMessages) {
  Json obj = {{"metadata", {{"name", "Bad_Name"}, {"namespace", "default"}}}};
  EXPECT_EQ(Messages(ValidateObjectMeta(obj, true, NameRule::kDnsSubdomain)),
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must "
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  EXPECT_EQ(IsDns1123Label("a.b"), std::vector<std::string>{"must not contain dots"});
  EXPECT_EQ(IsDns1123Label("A")[0],
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  EXPECT_EQ(IsDns1123Label(std::string(64, 'a'))[0], "must be no more than 63 characters");
  EXPECT_EQ(ValidatePathSegmentName("..", false), std::vector<std::string>{"may not be '..'"});
  EXPECT_EQ(ValidatePathSegmentName("a/b%", false),
            (std::vector<std::string>{"may not contain '/'", "may not contain '%'"}));
  // generateName may end with '-'.
  EXPECT_TRUE(NameIsDnsSubdomain("web-", true).empty());
  Json gen = {{"metadata", {{"generateName", "web-"}}}};
  EXPECT_EQ(Messages(ValidateObjectMeta(gen, false, NameRule::kDnsSubdomain)),
            "metadata.name: Required value: name or generateName is required");
  Json ns_on_cluster = {{"metadata", {{"name", "n"}, {"namespace", "x"}}}};
  EXPECT_EQ(Messages(ValidateObjectMeta(ns_on_cluster, false, NameRule::kDnsSubdomain)),
            "metadata.namespace: Forbidden: not allowed on this type");
}

TEST(Validation, LabelsAndAnnotations) {
  EXPECT_TRUE(IsQualifiedName("example.com/MyName").empty());
  EXPECT_EQ(IsQualifiedName("/a")[0], "prefix part must be non-empty");
  EXPECT_EQ(IsQualifiedName("a/b/c")[0],
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
            "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
            "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  EXPECT_EQ(IsValidLabelValue("-x")[0],
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', "
            " or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  Json big = {{"metadata",
               {{"name", "n"}, {"annotations", {{"a", std::string(256 * 1024, 'x')}}}}}};
  EXPECT_EQ(Messages(ValidateObjectMeta(big, false, NameRule::kDnsSubdomain)),
            "metadata.annotations: Too long: may not be more than 262144 bytes");
  Json labels = {{"metadata", {{"name", "n"}, {"labels", {{"k", "-bad"}}}}}};
  EXPECT_EQ(ValidateObjectMeta(labels, false, NameRule::kDnsSubdomain).at(0).field, "metadata.labels");
}

TEST(Validation, RegexErrorFormat) {
  EXPECT_EQ(RegexError("msg", "re", {"a", "b"}),
            "msg (e.g. 'a',  or 'b', regex used for validation is 're')");
  EXPECT_EQ(RegexError("msg", "re", {}), "msg (regex used for validation is 're')");
}

TEST(Validation, ObjectMetaUpdateImmutables) {
  Json old = {{"metadata", {{"name", "a"}, {"uid", "u1"}, {"resourceVersion", "1"}}}};
  Json now = {{"metadata", {{"name", "b"}, {"uid", "u1"}, {"resourceVersion", "1"}}}};
  EXPECT_EQ(Messages(ValidateObjectMetaUpdate(now, old)),
            "metadata.name: Invalid value: \"b\": field is immutable");
  Json deleting = old;
  deleting["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  Json add_finalizer = deleting;
  add_finalizer["metadata"]["finalizers"] = {"x/y"};
  EXPECT_EQ(Messages(ValidateObjectMetaUpdate(add_finalizer, deleting)),
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is "
            "being deleted, found new finalizers []string{\"x/y\"}");
}

TEST(Columns, HumanDuration) {
  EXPECT_EQ(HumanDuration(5), "5s");
  EXPECT_EQ(HumanDuration(119), "119s");
  EXPECT_EQ(HumanDuration(182), "3m2s");
  EXPECT_EQ(HumanDuration(600), "10m");
  EXPECT_EQ(HumanDuration(3 * 3600 + 60), "3h1m");
  EXPECT_EQ(HumanDuration(10 * 3600), "10h");
  EXPECT_EQ(HumanDuration(2 * 86400), "2d");
  EXPECT_EQ(HumanDuration(3 * 86400 + 3600), "3d1h");
  EXPECT_EQ(HumanDuration(30 * 86400), "30d");
  EXPECT_EQ(HumanDuration(-5), "<invalid>");
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:01:00Z").value_or(-1), 60);
  EXPECT_EQ(TranslateTimestampSince(nullptr, 0), "<unknown>");
}

TEST(Validation, ProtocolIsRequiredAndOneOfTheSupported) {
  EXPECT_TRUE(ValidateProtocol("SCTP", "spec.ports[0].protocol").empty());
  FieldErrors missing = ValidateProtocol("", "spec.ports[0].protocol");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].Message(), "spec.ports[0].protocol: Required value");
  FieldErrors bad = ValidateProtocol("HTTP", "spec.ports[0].protocol");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].Message(),
            "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", "
            "\"TCP\", \"UDP\"");
}

}  // namespace
}  // namespace haru::api
