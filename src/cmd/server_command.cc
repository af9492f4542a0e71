#include "cmd/server_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace haru::cmd {

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
  std::cerr << "haru server: not yet wired\n";
  return 1;
}

}  // namespace haru::cmd
