#pragma once
// `haru server`: flags and the run loop.

#include <string>

namespace CLI {
class App;
}

namespace haru::cmd {

struct ServerOptions {
  std::string listen = "127.0.0.1:6443";
  std::string data_dir = "./data";
  std::string token_auth_file;
  std::string storage = "sqlite";  // sqlite | memory
  int worker_threads = 0;          // 0 = automatic
};

void AddServerFlags(CLI::App& app, ServerOptions& options);
int RunServer(const ServerOptions& options);

}  // namespace haru::cmd
