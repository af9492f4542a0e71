// Table tests for the Kubernetes CEL libraries. Expected results are the examples that the
// Kubernetes documentation ("CEL in Kubernetes") and the library doc comments give.

#include <gtest/gtest.h>

#include <string>

#include "cel/runtime/program.h"

namespace haru::cel {
namespace {

std::string Show(const std::string& expr) {
  CompileResult r = Compile(Env::Standard({}), expr);
  if (!r.ok()) return "compile: " + r.ErrorText();
  Activation act(*r.program);
  StatusOr<Value> v = r.program->Evaluate(act);
  if (!v.ok()) return "aborted: " + v.status().message();
  return v->DebugString();
}

struct Case {
  const char* expr;
  const char* want;
};

void RunTable(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Show(c.expr), c.want) << c.expr;
}

TEST(K8sLibraryTest, Quantity) {
  RunTable({
      {"quantity('50M').isInteger()", "true"},
      {"quantity('50.5').isInteger()", "false"},
      {"isQuantity('1.3G')", "true"},
      {"isQuantity('1.3Gi')", "true"},
      {"isQuantity('1,3Gi')", "false"},
  });
}

TEST(K8sLibraryTest, QuantityArithmeticAndComparison) {
  RunTable({
      {"quantity('50k').isGreaterThan(quantity('100M'))", "false"},
      {"quantity('50M').isLessThan(quantity('100M'))", "true"},
      {"quantity('200M').compareTo(quantity('0.2G'))", "0"},
      {"quantity('50M').compareTo(quantity('50Mi'))", "-1"},
      {"quantity('50Mi').compareTo(quantity('50M'))", "1"},
      {"quantity('50k').add(20).asInteger()", "50020"},
      {"quantity('50k').add(quantity('20k')) == quantity('70k')", "true"},
      {"quantity('50k').sub(20000) == quantity('30k')", "true"},
      {"quantity('50k').sub(quantity('20k')).asInteger()", "30000"},
      {"quantity('50.703k').sign()", "1"},
      {"quantity('-50k').sign()", "-1"},
      {"quantity('0').sign()", "0"},
      {"sign(quantity('-1m'))", "-1"},
      {"sign(quantity('2Ki'))", "1"},
      {"quantity('50k').asApproximateFloat()", "50000"},
      {"quantity('1.5').asInteger()", "error: cannot convert value to integer"},
      {"quantity('1Gi').asInteger()", "1073741824"},
      {"quantity('10Gi') == quantity('10240Mi')", "true"},
      {"quantity('1.3Z')",
       "error: quantity: quantities must match the regular expression "
       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"},
  });
}

TEST(K8sLibraryTest, Url) {
  RunTable({
      {"url('https://example.com:80/').getHost()", "\"example.com:80\""},
      {"url('https://[::1]:80/').getHost()", "\"[::1]:80\""},
      {"url('https://example.com/').getHostname()", "\"example.com\""},
      {"url('https://[::1]/').getHostname()", "\"::1\""},
      {"url('https://example.com:80/').getPort()", "\"80\""},
      {"url('https://example.com/').getPort()", "\"\""},
      {"url('https://example.com/path').getScheme()", "\"https\""},
      {"url('/absolute-path').getScheme()", "\"\""},
      {"url('https://example.com/path').getEscapedPath()", "\"/path\""},
      {"url('https://example.com/with space/').getEscapedPath()", "\"/with%20space/\""},
      {"url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()",
       "{\"k1\": [\"a\"], \"k2\": [\"b\", \"c\"]}"},
      {"isURL('https://example.com/')", "true"},
      {"isURL('example.com')", "false"},
      {"isURL('/absolute-path')", "true"},
  });
}

TEST(K8sLibraryTest, IpAndCidr) {
  RunTable({
      {"isIP('127.0.0.1')", "true"},
      {"isIP('::1')", "true"},
      {"isIP('127.0.0.256')", "false"},
      {"isIP('127.0.0.01')", "false"},
      {"isIP('::ffff:127.0.0.1')", "false"},
      {"isIP('fe80::1%eth0')", "false"},
      {"ip('127.0.0.1').family()", "4"},
      {"ip('::1').family()", "6"},
      {"ip('0.0.0.0').isUnspecified()", "true"},
      {"ip('::').isUnspecified()", "true"},
      {"ip('127.0.0.1').isLoopback()", "true"},
      {"ip('::1').isLoopback()", "true"},
      {"ip('224.0.0.1').isLinkLocalMulticast()", "true"},
      {"ip('ff02::1').isLinkLocalMulticast()", "true"},
      {"ip('169.254.169.254').isLinkLocalUnicast()", "true"},
      {"ip('fe80::1').isLinkLocalUnicast()", "true"},
      {"ip('192.168.0.1').isGlobalUnicast()", "true"},
      {"ip('255.255.255.255').isGlobalUnicast()", "false"},
      {"ip('2001:db8::abcd').isGlobalUnicast()", "true"},
      {"string(ip('2001:0db8:0:0:0:0:0:1'))", "\"2001:db8::1\""},
      {"ip.isCanonical('127.0.0.1')", "true"},
      {"ip.isCanonical('2001:db8::abcd')", "true"},
      {"ip.isCanonical('2001:DB8::ABCD')", "false"},
      {"ip.isCanonical('2001:db8:0:0:0:0:2:1')", "false"},
      {"ip('127.0.0.1') == ip('127.0.0.1')", "true"},
      {"isCIDR('192.168.0.0/24')", "true"},
      {"isCIDR('192.168.0.0/33')", "false"},
      {"isCIDR('192.168.0.0')", "false"},
      {"cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", "true"},
      {"cidr('192.168.0.0/24').containsIP('192.168.1.1')", "false"},
      {"cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", "true"},
      {"cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", "true"},
      {"cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')", "false"},
      {"cidr('2001:db8::/32').containsIP(ip('2001:db8::1'))", "true"},
      {"cidr('192.168.0.0/24').prefixLength()", "24"},
      {"cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", "true"},
      {"cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", "true"},
      {"string(cidr('::1/128'))", "\"::1/128\""},
  });
}

// Found by cel_fuzz: a long run of prefix digits overflowed the prefix accumulator (UBSan).
TEST(K8sLibraryTest, CidrWithHugePrefixIsRejected) {
  RunTable({
      {"isCIDR('10.0.0.0/99999999999')", "false"},
      {"isCIDR('10.0.0.0/1234')", "false"},
  });
}

TEST(K8sLibraryTest, Semver) {
  RunTable({
      {"isSemver('1.0.0')", "true"},
      {"isSemver('v1.0')", "false"},
      {"isSemver('v1.0', true)", "true"},
      {"isSemver('1.0.0-alpha.1+build.5')", "true"},
      {"isSemver('01.0.0')", "false"},
      {"semver('1.2.3').major()", "1"},
      {"semver('1.2.3').minor()", "2"},
      {"semver('1.2.3').patch()", "3"},
      {"semver('v01.01', true) == semver('1.1.0')", "true"},
      {"semver('1.0.0').isGreaterThan(semver('0.1.0'))", "true"},
      {"semver('1.0.0').isLessThan(semver('1.0.1'))", "true"},
      {"semver('1.0.0').compareTo(semver('1.0.0'))", "0"},
      {"semver('1.0.0-alpha').compareTo(semver('1.0.0'))", "-1"},
      {"semver('1.0.0-alpha.1').compareTo(semver('1.0.0-alpha.beta'))", "-1"},
      {"semver('1.0.0-beta.11').compareTo(semver('1.0.0-beta.2'))", "1"},
      {"semver('1.0.0+build1') == semver('1.0.0+build2')", "true"},
      {"semver('1.2')", "error: could not parse semver: 1.2"},
  });
}

TEST(K8sLibraryTest, RegexAndLists) {
  RunTable({
      {"'abc 123'.find('[0-9]+')", "\"123\""},
      {"'abc'.find('[0-9]+')", "\"\""},
      {"'123 abc 456'.findAll('[0-9]+')", "[\"123\", \"456\"]"},
      {"'123 abc 456'.findAll('[0-9]+', 1)", "[\"123\"]"},
      {"'abc'.find('[')", "error: invalid regular expression: missing ]: ["},
      {"[1, 2, 3].isSorted()", "true"},
      {"['b', 'a'].isSorted()", "false"},
      {"[1, 2, 3].sum()", "6"},
      {"[1.5, 2.5].sum()", "4"},
      {"[duration('1s'), duration('2.5s')].sum()", "duration(\"3.5s\")"},
      {"[].sum()", "0"},
      {"[1, 2, 3].min()", "1"},
      {"[1, 2, 3].max()", "3"},
      {"['a', 'c', 'b'].max()", "\"c\""},
      {"[].min()", "error: min called on empty list"},
      {"[1, 2, 2, 3].indexOf(2)", "1"},
      {"[1, 2, 2, 3].lastIndexOf(2)", "2"},
      {"[1, 2].indexOf(5)", "-1"},
  });
}

TEST(K8sLibraryTest, Format) {
  RunTable({
      {"format.dns1123Label().validate('my-name')", "optional.none()"},
      {"format.named('dns1123Label').value().validate('my-name')", "optional.none()"},
      {"format.named('unknown').hasValue()", "false"},
      {"format.dns1123Label().validate('My_Name').value().size()", "1"},
      {"format.dns1123Subdomain().validate('example.com')", "optional.none()"},
      {"format.dns1035Label().validate('1abc').hasValue()", "true"},
      {"format.qualifiedName().validate('example.com/MyName')", "optional.none()"},
      {"format.qualifiedName().validate('a/b/c').hasValue()", "true"},
      {"format.dns1123LabelPrefix().validate('my-name-')", "optional.none()"},
      {"format.labelValue().validate('')", "optional.none()"},
      {"format.labelValue().validate('-bad').hasValue()", "true"},
      {"format.uri().validate('https://example.com')", "optional.none()"},
      {"format.uuid().validate('123e4567-e89b-12d3-a456-426614174000')", "optional.none()"},
      {"format.byte().validate('aGVsbG8=')", "optional.none()"},
      {"format.date().validate('2024-01-31')", "optional.none()"},
      {"format.date().validate('2024-13-01').hasValue()", "true"},
      {"format.datetime().validate('2024-01-31T10:00:00Z')", "optional.none()"},
  });
}

}  // namespace
}  // namespace haru::cel
