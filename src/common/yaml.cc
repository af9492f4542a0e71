#include "common/yaml.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace haru {

namespace {

// Collections nested deeper than this are refused while parsing. The check runs on the start
// event, so yaml-cpp's own recursion (SingleDocParser::HandleNode) stops here too. yaml-cpp
// 0.7 has a guard of its own that trips at 250 to 500 levels depending on the syntax, with the
// unhelpful message "bad file"; this limit is below it, so clients get a clear message. Real
// manifests nest a few dozen levels. Far below ParseJson's 1000, so a decoded body re-parses.
constexpr int kMaxDepth = 200;

// Aliases are expanded into copies (JSON has no references), so `&a [*b, *b, ...]` chains
// ("billion laughs") would grow exponentially. Every copy made for an anchor or an alias is
// charged kNodeCost per node plus its scalar bytes, against kCopyBudgetBase plus
// kCopyBudgetPerByte per input byte: ordinary manifests with a few anchors stay far below it.
constexpr size_t kNodeCost = 8;
constexpr size_t kCopyBudgetBase = size_t{1} << 20;
constexpr size_t kCopyBudgetPerByte = 8;

bool ParseInt(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  auto r = std::from_chars(b, e, out);
  return r.ec == std::errc() && r.ptr == e;
}

bool ParseFloat(const std::string& s, double& out) {
  if (s.empty()) return false;
  bool has_digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) has_digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') return false;
  }
  if (!has_digit) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Json Scalar(const std::string& tag, const std::string& s) {
  // yaml-cpp tags quoted and block scalars "!" (non-specific, non-plain).
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return s;
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  int64_t i;
  if (ParseInt(s, i)) return i;
  double d;
  if (ParseFloat(s, d)) return d;
  return s;
}

// Thrown from event callbacks (which cannot return a Status) and caught in ParseYaml.
struct YamlError {
  YAML::Mark mark;
  std::string message;
};

// A finished node with what alias expansion needs to know about it.
struct Built {
  Json json;
  size_t nodes = 1;   // nodes in the subtree
  size_t bytes = 0;   // scalar bytes in the subtree
  int height = 0;     // collections nested in the subtree (0 for a scalar)
  bool is_scalar = false;
  std::string raw;    // the scalar's text, for use as a map key
};

// Builds the Json of the first document from yaml-cpp's parse events, without recursion
// and without yaml-cpp's node graph (where aliases are shared, not copied).
class JsonBuilder : public YAML::EventHandler {
 public:
  explicit JsonBuilder(size_t copy_budget) : copy_budget_(copy_budget) {}

  Json TakeResult() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Built b;
    b.json = nullptr;
    Add(mark, std::move(b), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Built b;
    b.json = Scalar(tag, value);
    b.bytes = value.size();
    b.is_scalar = true;
    b.raw = value;
    Add(mark, std::move(b), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // yaml-cpp names an anchor when its node starts, so `&a [*a]` refers to an open node.
      throw YamlError{mark, "anchor value contains itself"};
    }
    const Built& target = it->second;
    if (stack_.size() + target.height > kMaxDepth) {
      throw YamlError{mark, "document nested too deeply"};
    }
    Charge(mark, target);
    Add(mark, Built(target), YAML::NullAnchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor, Json::array());
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor, Json::object());
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::Mark mark;
    YAML::anchor_t anchor;
    Built built;
    bool has_key = false;
    std::string key;
  };

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, Json empty) {
    if (stack_.size() >= static_cast<size_t>(kMaxDepth)) {
      throw YamlError{mark, "document nested too deeply"};
    }
    Frame f{mark, anchor, Built{}};
    f.built.json = std::move(empty);
    f.built.height = 1;
    stack_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Add(f.mark, std::move(f.built), f.anchor);
  }

  void Charge(const YAML::Mark& mark, const Built& b) {
    size_t cost = b.nodes * kNodeCost + b.bytes;
    if (cost > copy_budget_ - spent_) throw YamlError{mark, "document contains excessive aliasing"};
    spent_ += cost;
  }

  void Add(const YAML::Mark& mark, Built b, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      Charge(mark, b);
      anchors_[anchor] = b;
    }
    if (stack_.empty()) {
      root_ = std::move(b.json);
      return;
    }
    Frame& top = stack_.back();
    top.built.nodes += b.nodes;
    top.built.bytes += b.bytes;
    top.built.height = std::max(top.built.height, b.height + 1);
    Json& parent = top.built.json;
    if (parent.is_array()) {
      parent.push_back(std::move(b.json));
    } else if (!top.has_key) {
      if (!b.is_scalar) throw YamlError{mark, "map keys must be strings"};
      top.key = std::move(b.raw);
      top.has_key = true;
    } else {
      parent[top.key] = std::move(b.json);  // a repeated key: the last value wins
      top.has_key = false;
    }
  }

  size_t copy_budget_;
  size_t spent_ = 0;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Built> anchors_;
  Json root_;
};

std::string Where(const YAML::Mark& mark) {
  return "yaml: line " + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
         ": ";
}

}  // namespace

StatusOr<Json> ParseYaml(std::string_view text) {
  size_t budget = kCopyBudgetBase + kCopyBudgetPerByte * text.size();
  JsonBuilder builder(budget);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);  // only the first document, like YAML::Load
    return builder.TakeResult();
  } catch (const YamlError& e) {
    return Status::BadRequest(Where(e.mark) + e.message);
  } catch (const YAML::DeepRecursion& e) {
    return Status::BadRequest(Where(e.mark) + "document nested too deeply");
  } catch (const YAML::Exception& e) {
    return Status::BadRequest(Where(e.mark) + e.msg);
  } catch (const std::exception& e) {
    return Status::BadRequest(std::string("yaml: ") + e.what());
  }
}

}  // namespace haru
