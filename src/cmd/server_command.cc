#include "cmd/server_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "admission/namespace_lifecycle.h"
#include "admission/service_allocation.h"
#include "apiserver/api_server.h"
#include "apiserver/filters/authentication.h"
#include "apiserver/server/health.h"
#include "apiserver/server/https_server.h"
#include "auth/pki.h"
#include "auth/token_file.h"
#include "controllers/controllers.h"
#include "registry/object_index.h"
#include "registry/registry.h"
#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/watch_cache/watch_cache.h"

namespace haru::cmd {

namespace {

// Splits "host:port" / "[v6]:port" / ":port" into host and port.
bool SplitListen(const std::string& listen, std::string& host, std::string& port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return !port.empty();
}

StatusOr<std::unique_ptr<storage::Store>> OpenStore(const ServerOptions& options) {
  std::unique_ptr<storage::Store> backend;
  if (options.storage == "memory") {
    backend = storage::NewMemoryStore();
  } else {
    storage::SqliteOptions sqlite;
    sqlite.path = (std::filesystem::path(options.data_dir) / "haru.db").string();
    HARU_ASSIGN_OR_RETURN(backend, storage::OpenSqliteStore(sqlite));
  }
  return storage::NewWatchCache(std::move(backend), &registry::IndexStoredObject);
}

int Fail(const std::string& what, const Status& s) {
  std::cerr << "haru server: " << what << ": " << s.ToString() << "\n";
  return 1;
}

}  // namespace

void AddServerFlags(CLI::App& app, ServerOptions& o) {
  app.add_option("--listen", o.listen, "address:port to serve HTTPS on")->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "directory for the store, certificates and kubeconfig")
      ->capture_default_str();
  app.add_option("--token-auth-file", o.token_auth_file,
                 "static bearer tokens, CSV: token,user,uid,\"group1,group2\"");
  app.add_option("--storage", o.storage, "storage backend: sqlite or memory")
      ->check(CLI::IsMember({"sqlite", "memory"}))
      ->capture_default_str();
  app.add_option("--worker-threads", o.worker_threads, "request worker threads (0 = automatic)");
}

int RunServer(const ServerOptions& options) {
  // Block the stop signals in every thread; one thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Fail("cannot create data dir " + options.data_dir, Status::Internal(ec.message()));
  std::string host, port;
  if (!SplitListen(options.listen, host, port)) {
    return Fail("bad --listen", Status::BadRequest(options.listen));
  }
  std::vector<std::string> hosts;
  if (!host.empty() && host != "0.0.0.0" && host != "::") hosts.push_back(host);
  auto pki = auth::EnsurePki(options.data_dir, hosts);
  if (!pki.ok()) return Fail("certificates", pki.status());

  std::optional<auth::TokenFile> tokens;
  if (!options.token_auth_file.empty()) {
    auto loaded = auth::LoadTokenFile(options.token_auth_file);
    if (!loaded.ok()) return Fail("--token-auth-file", loaded.status());
    tokens = std::move(loaded).value();
  }

  auto store = OpenStore(options);
  if (!store.ok()) return Fail("storage", store.status());
  registry::Registry registry(store->get());
  registry.AddAdmission(admission::NamespaceLifecycle(&registry));
  registry.AddMutation(admission::ServiceAllocation(&registry));

  filters::Authenticator authenticator(std::move(tokens));
  server::HealthChecks health;
  health.Add("etcd", [&] { return Status::OK(); });  // the store answered at start-up
  server::HttpsServerOptions http_options;
  http_options.listen = options.listen;
  http_options.cert_file = pki->serving_cert;
  http_options.key_file = pki->serving_key;
  http_options.client_ca_file = pki->ca_cert;
  if (options.worker_threads > 0) http_options.worker_threads = options.worker_threads;
  auto server = server::StartHttpsServer(
      http_options, apiserver::BuildApiHandler({&registry, &authenticator, &health}));
  if (!server.ok()) return Fail("listen on " + options.listen, server.status());
  int bound_port = (*server)->port();

  controllers::Bootstrap(&registry, bound_port);
  auto controllers = controllers::StartControllers(&registry);

  std::string url_host = host.empty() || host == "0.0.0.0" ? "127.0.0.1" : host;
  if (url_host.find(':') != std::string::npos) url_host = "[" + url_host + "]";
  std::string url = "https://" + url_host + ":" + std::to_string(bound_port);
  std::string kubeconfig = (std::filesystem::path(options.data_dir) / "admin.kubeconfig").string();
  Status written = auth::WriteKubeconfig(kubeconfig, url, *pki);
  if (!written.ok()) return Fail("kubeconfig", written);
  std::cout << "haru server listening on " << url << "\n"
            << "  export KUBECONFIG=" << std::filesystem::absolute(kubeconfig).string() << "\n"
            << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "haru server: stopping (signal " << signal_number << ")\n" << std::flush;
  controllers->Stop();
  (*server)->Stop();
  (*server)->Wait();
  return 0;
}

}  // namespace haru::cmd
