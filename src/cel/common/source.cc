#include "cel/common/source.h"

#include <algorithm>

namespace haru::cel {

Source::Source(std::string text, std::string description)
    : text_(std::move(text)), description_(std::move(description)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<int32_t>(i + 1));
  }
}

void Source::Location(int32_t offset, int* line, int* column) const {
  offset = std::clamp<int32_t>(offset, 0, static_cast<int32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  int idx = static_cast<int>(it - line_starts_.begin()) - 1;
  *line = idx + 1;
  int col = 1;
  for (int32_t i = line_starts_[idx]; i < offset; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
  }
  *column = col;
}

std::string_view Source::Line(int line) const {
  if (line < 1 || line > static_cast<int>(line_starts_.size())) return {};
  size_t start = line_starts_[line - 1];
  size_t end = line < static_cast<int>(line_starts_.size()) ? line_starts_[line] - 1 : text_.size();
  return std::string_view(text_).substr(start, end - start);
}

std::string FormatIssue(const Source& source, const Issue& issue) {
  if (issue.offset < 0) {
    // No position (e.g. a recursion limit): cel-go prints line -1, column 0 and no snippet.
    return "ERROR: " + source.description() + ":-1:0: " + issue.message;
  }
  int line, column;
  source.Location(issue.offset, &line, &column);
  std::string out = "ERROR: " + source.description() + ":" + std::to_string(line) + ":" +
                    std::to_string(column) + ": " + issue.message;
  std::string_view text = source.Line(line);
  constexpr size_t kMaxSnippetBytes = 16384;  // longer lines get no snippet
  if (text.size() > kMaxSnippetBytes) return out;
  out += "\n | ";
  // Tabs print as single spaces so the marker line below stays aligned (as cel-go does).
  for (char c : text) out += c == '\t' ? ' ' : c;
  // One dot per code point before the column, and the caret; multi-byte code points get
  // their full-width forms (U+FF0E, U+FF3E) so the marker lines up in most terminals.
  out += "\n | ";
  size_t i = 0;
  auto code_point_size = [&](size_t at) {
    size_t n = 1;
    while (at + n < text.size() && (static_cast<unsigned char>(text[at + n]) & 0xC0) == 0x80) ++n;
    return n;
  };
  for (int c = 1; c < column && i < text.size(); ++c) {
    size_t n = code_point_size(i);
    out += n > 1 ? "\uff0e" : ".";
    i += n;
  }
  out += i < text.size() && code_point_size(i) > 1 ? "\uff3e" : "^";
  return out;
}

std::string FormatIssues(const Source& source, const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& issue : issues) {
    if (!out.empty()) out += "\n";
    out += FormatIssue(source, issue);
  }
  return out;
}

}  // namespace haru::cel
