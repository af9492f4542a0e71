#include "cmd/server_command.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
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
#include "client/client.h"
#include "cmd/stop_signals.h"
#include "controllers/controllers.h"
#include "registry/object_index.h"
#include "registry/registry.h"
#include "scheduler/scheduler.h"
#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/watch_cache/watch_cache.h"

namespace haru::cmd {

namespace {

// How long a stop waits for open connections (watches above all) before exiting regardless.
constexpr std::chrono::seconds kShutdownGrace{10};

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
    sqlite.max_page_count = options.storage_max_db_pages;
    sqlite.retain_revisions = options.storage_retain_revisions;
    sqlite.maintenance_interval =
        std::chrono::milliseconds(std::max<int64_t>(1, options.storage_maintenance_interval_ms));
    HARU_ASSIGN_OR_RETURN(backend, storage::OpenSqliteStore(sqlite));
  }
  return storage::NewWatchCache(std::move(backend), &registry::IndexStoredObject);
}

// Fails unless an empty file can be created, synced and removed in dir. A read-only or
// foreign-owned data dir would leave the server unable to write anything; like etcd
// (fileutil.IsDirWriteable), refuse to start then, naming the cause. The probe writes no
// bytes on purpose: a full disk is not a reason to refuse reads, so it starts and fails
// writes with 500 until space returns.
Status CheckDirWritable(const std::string& dir) {
  const std::string probe = (std::filesystem::path(dir) / ".touch").string();
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal(std::strerror(errno));
  Status result;
  if (::fsync(fd) != 0) result = Status::Internal(std::strerror(errno));
  ::close(fd);
  if (::unlink(probe.c_str()) != 0 && result.ok()) result = Status::Internal(std::strerror(errno));
  return result;
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
  app.add_option("--scheduler", o.scheduler,
                 "run the scheduler in this process (false: run `haru scheduler` separately)")
      ->capture_default_str();
  // Hidden (empty group): tuning and fault-injection knobs, not part of the documented CLI.
  app.add_option("--storage-max-db-pages", o.storage_max_db_pages,
                 "cap the SQLite database at this many pages (0 = no cap)")
      ->check(CLI::NonNegativeNumber)
      ->group("");
  app.add_option("--storage-retain-revisions", o.storage_retain_revisions,
                 "revisions of history kept before automatic compaction (0 = never compact)")
      ->check(CLI::NonNegativeNumber)
      ->group("");
  app.add_option("--storage-maintenance-interval-ms", o.storage_maintenance_interval_ms,
                 "period of automatic compaction and WAL checkpoints, in milliseconds")
      ->check(CLI::PositiveNumber)
      ->group("");
}

int RunServer(const ServerOptions& options) {
  const sigset_t stop_signals = BlockStopSignals();

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Fail("cannot create data dir " + options.data_dir, Status::Internal(ec.message()));
  if (Status w = CheckDirWritable(options.data_dir); !w.ok()) {
    return Fail("data dir " + options.data_dir + " is not writable", w);
  }
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
  // Named as upstream's storage check, so probes written for kube-apiserver keep working.
  health.Add("etcd", [&] {
    auto probe = (*store)->Get("/registry/core/namespaces/default");
    if (probe.ok() || probe.status().code() == StatusCode::kNotFound) return Status::OK();
    return probe.status();
  });
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
  // The scheduler is an in-process client like the controllers: its writes (claim allocations,
  // bindings, conditions, events) go through validation and admission.
  std::unique_ptr<client::Client> scheduler_client;
  std::unique_ptr<scheduler::Scheduler> pod_scheduler;
  if (options.scheduler) {
    scheduler_client = client::NewInProcessClient(&registry, "system:kube-scheduler");
    pod_scheduler = scheduler::StartScheduler(scheduler_client.get());
  }

  std::string url_host = host.empty() || host == "0.0.0.0" ? "127.0.0.1" : host;
  if (url_host.find(':') != std::string::npos) url_host = "[" + url_host + "]";
  std::string url = "https://" + url_host + ":" + std::to_string(bound_port);
  std::string kubeconfig = (std::filesystem::path(options.data_dir) / "admin.kubeconfig").string();
  Status written = auth::WriteKubeconfig(kubeconfig, url, *pki);
  if (!written.ok()) {
    // On a full disk an earlier start's kubeconfig still works (same certificates; the address
    // only differs when --listen did): keep serving reads rather than exit.
    if (!std::filesystem::exists(kubeconfig)) return Fail("kubeconfig", written);
    std::cerr << "haru server: warning: could not rewrite " << kubeconfig << ": "
              << written.ToString() << "; keeping the existing file\n";
  }
  std::cout << "haru server listening on " << url << "\n"
            << "  export KUBECONFIG=" << std::filesystem::absolute(kubeconfig).string() << "\n"
            << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "haru server: stopping (signal " << signal_number << ")\n" << std::flush;
  // Stop() answers the requests in flight and ends open watches. A client that stopped reading
  // a watch can hold its connection open forever, though; like upstream's watch termination
  // grace period, give such streams a bounded time, then exit anyway. Skipping the store's
  // close is safe: every acknowledged write is already durable, and the next start recovers
  // the WAL as after a crash.
  std::atomic<bool> drained{false};
  std::thread watchdog([&] {
    const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    while (!drained.load()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        std::cout << "haru server: connections still open " << kShutdownGrace.count()
                  << "s after the stop signal; exiting without waiting for them\n"
                  << std::flush;
        std::_Exit(0);
      }
      // A second stop signal means "now", as upstream's (exit status 1).
      timespec slice{0, 100 * 1000 * 1000};
      if (sigtimedwait(&stop_signals, nullptr, &slice) > 0) {
        std::cout << "haru server: second stop signal; exiting now\n" << std::flush;
        std::_Exit(1);
      }
    }
  });
  if (pod_scheduler) pod_scheduler->Stop();
  controllers->Stop();
  (*server)->Stop();
  (*server)->Wait();
  server->reset();  // joins the request workers, inside the grace period
  drained.store(true);
  watchdog.join();
  std::cout << "haru server: stopped\n" << std::flush;
  return 0;
}

}  // namespace haru::cmd
