#pragma once
// Source text with line offsets, and compile issues rendered the way upstream prints them:
//   ERROR: <input>:1:5: undeclared reference to 'devise'
//    | devise.x
//    | ....^

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haru::cel {

class Source {
 public:
  explicit Source(std::string text, std::string description = "<input>");
  const std::string& text() const { return text_; }
  const std::string& description() const { return description_; }
  // 1-based line and column (in code points) of a byte offset.
  void Location(int32_t offset, int* line, int* column) const;
  std::string_view Line(int line) const;  // without the newline

 private:
  std::string text_;
  std::string description_;
  std::vector<int32_t> line_starts_;
};

struct Issue {
  int32_t offset = 0;
  std::string message;
};

// One issue in upstream's three-line shape.
std::string FormatIssue(const Source& source, const Issue& issue);
// All issues, one after another, joined by newlines.
std::string FormatIssues(const Source& source, const std::vector<Issue>& issues);

}  // namespace haru::cel
