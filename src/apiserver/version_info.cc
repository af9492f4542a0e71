#include "apiserver/version_info.h"

#include "common/json.h"

namespace haru::apiserver {

std::string VersionJson() {
  Json v = {{"major", "1"},
            {"minor", "36"},
            {"emulationMajor", "1"},
            {"emulationMinor", "36"},
            {"minCompatibilityMajor", "1"},
            {"minCompatibilityMinor", "35"},
            {"gitVersion", kGitVersion},
            {"gitCommit", "haru"},
            {"gitTreeState", "clean"},
            {"buildDate", __DATE__ " " __TIME__},
            {"goVersion", "n/a (C++20)"},
            {"compiler", "gcc"},
            {"platform", "linux/amd64"}};
  return v.dump(2);
}

}  // namespace haru::apiserver
