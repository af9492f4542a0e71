// Durability under kill -9: a child process writes from many threads and reports each
// acknowledged write on a pipe the moment the write returns; the parent kills it mid-storm,
// reopens the database and checks every acknowledged write is there with its revision.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_store.h"
#include "storage/testing/temp_dir.h"

namespace haru::storage {
namespace {

constexpr int kWriters = 32;
constexpr int kAcksBeforeKill = 3000;

[[noreturn]] void RunChild(const std::string& path, int fd) {
  alarm(60);  // never outlive a parent that died
  auto store = OpenSqliteStore(SqliteOptions{.path = path});
  if (!store.ok()) _exit(2);
  Store* s = store->get();
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([s, fd, t] {
      const std::string value(512, 'd');
      const std::string shared = "/kill9/shared/" + std::to_string(t % 4);
      for (int i = 0;; ++i) {
        // Mostly creates; every fourth write is an unconditional update of a shared key.
        const bool update = i % 4 == 3;
        std::string key = update ? shared : "/kill9/" + std::to_string(t) + "/" + std::to_string(i);
        auto r = update ? s->Update(key, 0, [&](int64_t) { return value; })
                        : s->Create(key, [&](int64_t) { return value; });
        if (r.status().Is(StatusCode::kNotFound)) r = s->Create(key, [&](int64_t) { return value; });
        if (!r.ok()) continue;
        char line[160];
        int n = std::snprintf(line, sizeof line, "%c %s %lld\n", update ? 'u' : 'c', key.c_str(),
                              static_cast<long long>(*r));
        // One write() below PIPE_BUF is atomic, so lines never interleave.
        if (write(fd, line, n) != n) _exit(3);
      }
    });
  }
  for (auto& th : threads) th.join();
  _exit(0);
}

TEST(SqliteDurabilityTest, AcknowledgedWritesSurviveKill9) {
  TempDir dir;
  const std::string path = dir.File("db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    RunChild(path, fds[1]);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  ASSERT_NE(in, nullptr);
  std::map<std::string, int64_t> created;
  std::map<std::string, int64_t> updated;  // newest acknowledged revision per shared key
  int64_t max_acked = 0;
  int acks = 0;
  bool killed = false;
  char kind;
  char key[128];
  long long rev;
  while (std::fscanf(in, " %c %127s %lld", &kind, key, &rev) == 3) {
    auto& m = kind == 'c' ? created : updated;
    m[key] = std::max<int64_t>(m[key], rev);
    max_acked = std::max<int64_t>(max_acked, rev);
    if (++acks == kAcksBeforeKill && !killed) {
      ASSERT_EQ(kill(pid, SIGKILL), 0);
      killed = true;  // keep reading: acks already in the pipe count too
    }
  }
  fclose(in);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(killed) << "child exited early, status " << status;
  ASSERT_TRUE(WIFSIGNALED(status));

  auto reopened = OpenSqliteStore(SqliteOptions{.path = path});
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  Store& s = **reopened;
  int missing = 0;
  for (const auto& [k, r] : created) {
    auto kv = s.Get(k);
    if (!kv.ok() || kv->mod_revision != r) ++missing;
  }
  for (const auto& [k, r] : updated) {
    auto kv = s.Get(k);  // a later, unacknowledged update may also have landed
    if (!kv.ok() || kv->mod_revision < r) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << acks << " acknowledged writes";
  EXPECT_GE(s.Revision(), max_acked);
  auto next = s.Create("/kill9/after", [](int64_t) { return std::string("x"); });
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*next, max_acked);
  std::printf("kill9: %d acknowledged writes checked, max revision %lld\n", acks,
              static_cast<long long>(max_acked));
}

}  // namespace
}  // namespace haru::storage
