#pragma once
// `haru server`: flags and the run loop.

#include <cstdint>
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
  // Runs the scheduler in-process (off: pods wait for an external `haru scheduler`).
  bool scheduler = true;

  // Hidden storage knobs, for fault tests and operators who need them (upstream has the
  // equivalents --etcd-compaction-interval and etcd's --quota-backend-bytes).
  // Caps the SQLite database at this many pages (4 KiB each); 0 = no cap. A full database
  // fails writes with 500 InternalError the way a full disk does.
  int64_t storage_max_db_pages = 0;
  // History kept before automatic compaction (revisions); 0 turns compaction off.
  int64_t storage_retain_revisions = 10000;
  // How often compaction and the WAL checkpoint run, in milliseconds.
  int64_t storage_maintenance_interval_ms = 5000;
};

void AddServerFlags(CLI::App& app, ServerOptions& options);
int RunServer(const ServerOptions& options);

}  // namespace haru::cmd
