#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with its contents when destroyed. For
// tests.

#include <cstdlib>
#include <filesystem>
#include <string>

namespace haru::storage {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/haru-storage-XXXXXX";
    char* p = mkdtemp(tmpl.data());
    path_ = p ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace haru::storage
