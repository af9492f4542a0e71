// Files under <data_dir>/pki:
//   ca.crt ca.key                CA, 10 years
//   apiserver.crt apiserver.key  serving certificate, 1 year
//   admin.crt admin.key          admin client certificate, 1 year
// Keys are PKCS#8 PEM written with mode 0600; every file is written to a temporary name and
// renamed, so a crash never leaves half a file.

#include "auth/pki.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace haru::auth {
namespace {

constexpr long kDay = 24 * 3600;
constexpr long kCaLifetime = 3650 * kDay;
constexpr long kLeafLifetime = 365 * kDay;
constexpr long kRenewBefore = 30 * kDay;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

Status SslError(std::string what) {
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    what += ": ";
    what += buf;
  }
  ERR_clear_error();
  return Status::Internal(std::move(what));
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::Internal("cannot create " + tmp + ": " + std::strerror(errno));
  ::fchmod(fd, mode);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::Internal("cannot write " + tmp + ": " + std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Status::Internal("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Internal("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status MakeDir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return Status::Internal("cannot create " + path + ": " + std::strerror(errno));
  }
  return Status::OK();
}

StatusOr<std::string> BioToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (n < 0) return SslError("BIO_get_mem_data");
  return std::string(data, static_cast<size_t>(n));
}

StatusOr<PkeyPtr> NewKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return SslError("cannot generate an EC key");
  return key;
}

Status WriteKey(const std::string& path, EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    return SslError("cannot encode key");
  }
  HARU_ASSIGN_OR_RETURN(std::string pem, BioToString(bio.get()));
  return WriteFileAtomic(path, pem, 0600);
}

Status WriteCert(const std::string& path, X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(bio.get(), cert)) return SslError("cannot encode certificate");
  HARU_ASSIGN_OR_RETURN(std::string pem, BioToString(bio.get()));
  return WriteFileAtomic(path, pem, 0644);
}

StatusOr<PkeyPtr> ReadKey(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return SslError("cannot open " + path);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return SslError("cannot parse key " + path);
  return key;
}

StatusOr<X509Ptr> ReadCert(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return SslError("cannot open " + path);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return SslError("cannot parse certificate " + path);
  return cert;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::vector<std::string> ServingHosts(const std::vector<std::string>& hosts) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& h : {std::string("localhost"), std::string("127.0.0.1"), std::string("::1")}) {
    if (seen.insert(h).second) out.push_back(h);
  }
  for (const auto& h : hosts) {
    if (!h.empty() && seen.insert(h).second) out.push_back(h);
  }
  return out;
}

struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;
  bool is_ca = false;
  std::string extended_key_usage;  // "serverAuth" / "clientAuth"
  std::vector<std::string> hosts;  // subjectAltName
  long lifetime = kLeafLifetime;
};

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) return SslError("bad certificate extension " + value);
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok ? Status::OK() : SslError("cannot add extension");
}

// Signs a certificate for `key`; self-signed when issuer is null.
StatusOr<X509Ptr> IssueCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer,
                            EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert) return SslError("X509_new");
  X509_set_version(cert.get(), X509_VERSION_3);
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) return SslError("RAND_bytes");
  serial_bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.lifetime);
  X509_set_pubkey(cert.get(), key);

  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& o : spec.organizations) {
    X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(o.c_str()), -1, -1, 0);
  }
  X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  if (spec.is_ca) {
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage,
                                      "critical,digitalSignature,keyCertSign,cRLSign"));
  } else {
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage,
                                      "critical,digitalSignature,keyEncipherment"));
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage, spec.extended_key_usage));
  }
  HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  if (issuer != nullptr) {
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  }
  if (!spec.hosts.empty()) {
    std::string san;
    for (const auto& h : spec.hosts) {
      if (!san.empty()) san += ",";
      san += (IsIpAddress(h) ? "IP:" : "DNS:") + h;
    }
    HARU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_alt_name, san));
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return SslError("cannot sign certificate " + spec.common_name);
  }
  return cert;
}

bool ExpiresWithin(X509* cert, long seconds) {
  time_t limit = std::time(nullptr) + seconds;
  return X509_cmp_time(X509_get0_notAfter(cert), &limit) <= 0;
}

bool CoversHosts(X509* cert, const std::vector<std::string>& hosts) {
  for (const auto& h : hosts) {
    int match = IsIpAddress(h) ? X509_check_ip_asc(cert, h.c_str(), 0)
                               : X509_check_host(cert, h.c_str(), h.size(), 0, nullptr);
    if (match != 1) return false;
  }
  return true;
}

// Issues (cert, key) signed by the CA unless an existing pair is still good.
Status EnsureLeaf(const std::string& cert_path, const std::string& key_path, const CertSpec& spec,
                  X509* ca, EVP_PKEY* ca_key) {
  if (FileExists(cert_path) && FileExists(key_path)) {
    auto cert = ReadCert(cert_path);
    auto key = ReadKey(key_path);
    if (cert.ok() && key.ok() && X509_check_private_key(cert->get(), key->get()) == 1 &&
        X509_verify(cert->get(), X509_get0_pubkey(ca)) == 1 &&
        !ExpiresWithin(cert->get(), kRenewBefore) && CoversHosts(cert->get(), spec.hosts)) {
      return Status::OK();
    }
    ERR_clear_error();
  }
  HARU_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  HARU_ASSIGN_OR_RETURN(X509Ptr cert, IssueCert(spec, key.get(), ca, ca_key));
  HARU_RETURN_IF_ERROR(WriteKey(key_path, key.get()));
  return WriteCert(cert_path, cert.get());
}

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

StatusOr<PkiFiles> EnsurePki(const std::string& data_dir,
                             const std::vector<std::string>& serving_hosts) {
  std::string dir = data_dir + "/pki";
  HARU_RETURN_IF_ERROR(MakeDir(data_dir, 0700));
  HARU_RETURN_IF_ERROR(MakeDir(dir, 0700));
  PkiFiles files{dir + "/ca.crt",    dir + "/ca.key",    dir + "/apiserver.crt",
                 dir + "/apiserver.key", dir + "/admin.crt", dir + "/admin.key"};

  X509Ptr ca;
  PkeyPtr ca_key;
  if (FileExists(files.ca_cert) && FileExists(files.ca_key)) {
    HARU_ASSIGN_OR_RETURN(ca, ReadCert(files.ca_cert));
    HARU_ASSIGN_OR_RETURN(ca_key, ReadKey(files.ca_key));
    if (X509_check_private_key(ca.get(), ca_key.get()) != 1) {
      return SslError(files.ca_key + " does not match " + files.ca_cert);
    }
  } else {
    CertSpec spec{.common_name = "haru-ca", .is_ca = true, .lifetime = kCaLifetime};
    HARU_ASSIGN_OR_RETURN(ca_key, NewKey());
    HARU_ASSIGN_OR_RETURN(ca, IssueCert(spec, ca_key.get(), nullptr, nullptr));
    HARU_RETURN_IF_ERROR(WriteKey(files.ca_key, ca_key.get()));
    HARU_RETURN_IF_ERROR(WriteCert(files.ca_cert, ca.get()));
  }

  CertSpec serving{.common_name = "kube-apiserver",
                   .extended_key_usage = "serverAuth",
                   .hosts = ServingHosts(serving_hosts)};
  HARU_RETURN_IF_ERROR(
      EnsureLeaf(files.serving_cert, files.serving_key, serving, ca.get(), ca_key.get()));
  CertSpec admin{.common_name = "kubernetes-admin",
                 .organizations = {"system:masters"},
                 .extended_key_usage = "clientAuth"};
  HARU_RETURN_IF_ERROR(EnsureLeaf(files.admin_cert, files.admin_key, admin, ca.get(), ca_key.get()));
  return files;
}

Status WriteKubeconfig(const std::string& path, const std::string& server_url,
                       const PkiFiles& files) {
  HARU_ASSIGN_OR_RETURN(std::string ca, ReadFile(files.ca_cert));
  HARU_ASSIGN_OR_RETURN(std::string cert, ReadFile(files.admin_cert));
  HARU_ASSIGN_OR_RETURN(std::string key, ReadFile(files.admin_key));
  std::string out;
  out += "apiVersion: v1\n";
  out += "kind: Config\n";
  out += "clusters:\n";
  out += "- name: haru\n";
  out += "  cluster:\n";
  out += "    server: " + server_url + "\n";
  out += "    certificate-authority-data: " + Base64(ca) + "\n";
  out += "users:\n";
  out += "- name: admin\n";
  out += "  user:\n";
  out += "    client-certificate-data: " + Base64(cert) + "\n";
  out += "    client-key-data: " + Base64(key) + "\n";
  out += "contexts:\n";
  out += "- name: haru\n";
  out += "  context:\n";
  out += "    cluster: haru\n";
  out += "    user: admin\n";
  out += "current-context: haru\n";
  out += "preferences: {}\n";
  // Unchanged (same port, same certificates): leave the file alone, so a restart on a full
  // disk does not fail here.
  if (auto existing = ReadFile(path); existing.ok() && *existing == out) return Status::OK();
  return WriteFileAtomic(path, out, 0600);
}

}  // namespace haru::auth
