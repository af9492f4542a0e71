#pragma once
// The cluster's own PKI, created on first start under <data_dir>/pki and reused afterwards:
// a CA, the API server's serving certificate and an admin client certificate, plus a
// kubeconfig that embeds them. ECDSA P-256 keys (PKCS#8 PEM, mode 0600), SHA-256 signatures.
// Not thread-safe against another process creating the same files at the same time.

#include <string>
#include <vector>

#include "common/status.h"

namespace haru::auth {

// Paths of the PEM files.
struct PkiFiles {
  std::string ca_cert, ca_key;            // CN=haru-ca
  std::string serving_cert, serving_key;  // serverAuth; SANs: hosts + 127.0.0.1, ::1, localhost
  std::string admin_cert, admin_key;      // CN=kubernetes-admin, O=system:masters; clientAuth
};

// Creates what is missing under <data_dir>/pki. An existing CA is kept; the serving
// certificate is re-issued when it lacks one of `serving_hosts` or expires within 30 days,
// the admin certificate when it expires within 30 days.
StatusOr<PkiFiles> EnsurePki(const std::string& data_dir,
                             const std::vector<std::string>& serving_hosts);

// Writes a kubeconfig (mode 0600) with cluster "haru" (server_url, certificate-authority-data),
// user "admin" (client-certificate-data, client-key-data) and current context "haru".
Status WriteKubeconfig(const std::string& path, const std::string& server_url,
                       const PkiFiles& files);

}  // namespace haru::auth
