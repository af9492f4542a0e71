#pragma once
// Where the conformance runners find the cel-spec data that scripts/install-test-tools.sh
// dumps to JSON ($HARU_TOOLS/cel-spec/out, default ~/.cache/haru-tools/cel-spec/out).

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace haru::cel::conformance {

inline std::string DataDir() {
  const char* tools = std::getenv("HARU_TOOLS");
  const char* home = std::getenv("HOME");
  std::string base = tools ? tools : std::string(home ? home : "") + "/.cache/haru-tools";
  return base + "/cel-spec/out/";
}

inline bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace haru::cel::conformance
