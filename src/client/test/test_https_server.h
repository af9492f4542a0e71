#pragma once
// A real HttpsServer + API handler in the test process, on a Registry over the memory store,
// with the cluster PKI and the admin kubeconfig the server command writes: what HTTPS
// clients (the HTTPS client's own tests, `haru sim` over HTTPS) are tested against.
// Header-only, for tests.

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "apiserver/api_server.h"
#include "apiserver/filters/authentication.h"
#include "apiserver/server/health.h"
#include "apiserver/server/https_server.h"
#include "auth/pki.h"
#include "auth/token_file.h"
#include "client/test/test_registry.h"

namespace haru::client::test {

class TestHttpsServer {
 public:
  ~TestHttpsServer() {
    Stop();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // Starts on a free port; `tokens` is a --token-auth-file CSV ("" for certificates only).
  Status Start(int worker_threads, const std::string& tokens = "", size_t event_window = 10000) {
    std::string tmpl = ::testing::TempDir() + "haru_https_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return Status::Internal("mkdtemp failed");
    dir_ = tmpl;
    env_ = NewTestRegistry(event_window);
    HARU_ASSIGN_OR_RETURN(pki_, auth::EnsurePki(dir_, {}));
    std::optional<auth::TokenFile> token_file;
    if (!tokens.empty()) {
      HARU_ASSIGN_OR_RETURN(auto parsed, auth::TokenFile::Parse(tokens, "test"));
      token_file = std::move(parsed);
    }
    authenticator_ = std::make_unique<filters::Authenticator>(std::move(token_file));
    server::HttpsServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.cert_file = pki_.serving_cert;
    opt.key_file = pki_.serving_key;
    opt.client_ca_file = pki_.ca_cert;
    opt.worker_threads = worker_threads;
    HARU_ASSIGN_OR_RETURN(server_, server::StartHttpsServer(
                                       opt, apiserver::BuildApiHandler({env_->registry(), authenticator_.get(), &health_})));
    url_ = "https://127.0.0.1:" + std::to_string(server_->port());
    kubeconfig_ = dir_ + "/admin.kubeconfig";
    return auth::WriteKubeconfig(kubeconfig_, url_, pki_);
  }

  // Stops serving (open connections and watches end); idempotent.
  void Stop() {
    if (!server_) return;
    server_->Stop();
    server_->Wait();
    server_.reset();
  }

  const std::string& dir() const { return dir_; }
  const std::string& url() const { return url_; }
  const std::string& kubeconfig() const { return kubeconfig_; }
  const auth::PkiFiles& pki() const { return pki_; }
  TestRegistry& env() { return *env_; }

 private:
  std::string dir_, url_, kubeconfig_;
  std::unique_ptr<TestRegistry> env_;
  auth::PkiFiles pki_;
  std::unique_ptr<filters::Authenticator> authenticator_;
  server::HealthChecks health_;
  std::unique_ptr<server::HttpsServer> server_;
};

}  // namespace haru::client::test
