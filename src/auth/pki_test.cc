#include "auth/pki.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace haru::auth {
namespace {

std::string TempDir() {
  std::string tmpl = ::testing::TempDir() + "haru_pki_XXXXXX";
  char* dir = mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return tmpl;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

X509* LoadCert(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return nullptr;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return cert;
}

TEST(Pki, CreatesOnceAndReuses) {
  std::string dir = TempDir();
  auto first = EnsurePki(dir, {"haru.example", "10.0.0.7"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::string ca = Slurp(first->ca_cert);
  std::string serving = Slurp(first->serving_cert);
  std::string admin_key = Slurp(first->admin_key);
  ASSERT_FALSE(ca.empty());

  struct stat st;
  ASSERT_EQ(stat(first->ca_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(stat(first->serving_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto second = EnsurePki(dir, {"haru.example", "10.0.0.7"});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Slurp(second->ca_cert), ca);
  EXPECT_EQ(Slurp(second->serving_cert), serving);
  EXPECT_EQ(Slurp(second->admin_key), admin_key);

  // A new host re-issues the serving certificate with the same CA.
  auto third = EnsurePki(dir, {"other.example"});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(Slurp(third->ca_cert), ca);
  EXPECT_NE(Slurp(third->serving_cert), serving);
  std::filesystem::remove_all(dir);
}

TEST(Pki, CertificatesHaveExpectedIdentities) {
  std::string dir = TempDir();
  auto files = EnsurePki(dir, {"haru.example", "10.0.0.7"});
  ASSERT_TRUE(files.ok());
  X509* ca = LoadCert(files->ca_cert);
  X509* serving = LoadCert(files->serving_cert);
  X509* admin = LoadCert(files->admin_cert);
  ASSERT_TRUE(ca && serving && admin);
  EXPECT_EQ(X509_check_ca(ca), 1);
  EXPECT_EQ(X509_check_host(serving, "haru.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(serving, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(serving, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(serving, "::1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(serving, "10.0.0.7", 0), 1);
  EXPECT_EQ(X509_check_purpose(serving, X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_EQ(X509_check_purpose(admin, X509_PURPOSE_SSL_CLIENT, 0), 1);
  char buf[256];
  X509_NAME_get_text_by_NID(X509_get_subject_name(admin), NID_commonName, buf, sizeof(buf));
  EXPECT_STREQ(buf, "kubernetes-admin");
  X509_NAME_get_text_by_NID(X509_get_subject_name(admin), NID_organizationName, buf, sizeof(buf));
  EXPECT_STREQ(buf, "system:masters");
  EXPECT_EQ(X509_verify(admin, X509_get0_pubkey(ca)), 1);
  X509_free(ca);
  X509_free(serving);
  X509_free(admin);
  std::filesystem::remove_all(dir);
}

TEST(Pki, WritesKubeconfig) {
  std::string dir = TempDir();
  auto files = EnsurePki(dir, {});
  ASSERT_TRUE(files.ok());
  std::string path = dir + "/admin.kubeconfig";
  ASSERT_TRUE(WriteKubeconfig(path, "https://127.0.0.1:6443", *files).ok());
  std::string text = Slurp(path);
  EXPECT_NE(text.find("server: https://127.0.0.1:6443\n"), std::string::npos);
  EXPECT_NE(text.find("certificate-authority-data: LS0t"), std::string::npos);
  EXPECT_NE(text.find("client-certificate-data: LS0t"), std::string::npos);
  EXPECT_NE(text.find("client-key-data: LS0t"), std::string::npos);
  EXPECT_NE(text.find("current-context: haru\n"), std::string::npos);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haru::auth
