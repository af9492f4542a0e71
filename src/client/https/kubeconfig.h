#pragma once
// The parts of a kubeconfig a client needs, for its current context: the server URL split
// into host/port, the CA to trust and the credentials (client certificate and key, or a
// bearer token). Inline *-data fields win over file paths; relative paths are resolved
// against the kubeconfig's directory, as client-go does.

#include <string>

#include "common/status.h"

namespace haru::client {

struct KubeconfigCredentials {
  std::string server;           // as written: https://127.0.0.1:6443
  std::string host;             // 127.0.0.1, ::1 (no brackets), example.com
  std::string port = "443";
  std::string path_prefix;      // a server URL path ("/k8s"); "" usually
  std::string tls_server_name;  // name to verify instead of host ("" = host)
  std::string ca_pem;           // "" = the system's trust store
  bool insecure_skip_tls_verify = false;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;
  std::string ns;               // the context's namespace ("" = unset)
};

StatusOr<KubeconfigCredentials> LoadKubeconfig(const std::string& path);
// The same from the file's text; `dir` resolves relative paths.
StatusOr<KubeconfigCredentials> ParseKubeconfig(std::string_view text, const std::string& dir);

}  // namespace haru::client
