#include "api/patch/json_patch.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/patch/internal/patch_util.h"
#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

using internal::UnprocessablePatch;

constexpr std::string_view kMissing = "missing value";
constexpr std::string_view kInvalidIndex = "invalid index referenced";

// An operation failed: the specific error that upstream puts in the 422's cause.
struct OpError {
  std::string message;
};

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// RFC 6901 token decoding, one left-to-right pass: "~1" -> "/", then "~0" -> "~".
std::string DecodeToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out.push_back(token[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      out.push_back(token[i]);
    }
  }
  return out;
}

// Go's strconv.Atoi: an optional sign and decimal digits that fit an int64.
std::optional<OpError> ParseIndex(std::string_view s, int64_t* out) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(),
                                     [](char c) { return c >= '0' && c <= '9'; })) {
    return OpError{"strconv.Atoi: parsing " + Quote(s) + ": invalid syntax"};
  }
  uint64_t value = 0;
  for (char c : digits) {
    uint64_t next = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - 9) / 10 || next > static_cast<uint64_t>(INT64_MAX) + (negative ? 1 : 0)) {
      return OpError{"strconv.Atoi: parsing " + Quote(s) + ": value out of range"};
    }
    value = next;
  }
  *out = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  return std::nullopt;
}

OpError InvalidIndex(int64_t idx) {
  return OpError{"Unable to access invalid index: " + std::to_string(idx) + ": " +
                 std::string(kInvalidIndex)};
}

// Resolves an index into an array of `size` for get/set/remove (negative counts from the end).
std::optional<OpError> ElementIndex(std::string_view key, size_t size, size_t* out) {
  int64_t idx = 0;
  if (auto err = ParseIndex(key, &idx)) return err;
  int64_t n = static_cast<int64_t>(size);
  if (idx >= n) return InvalidIndex(idx);
  if (idx < 0) {
    if (idx < -n) return InvalidIndex(idx);
    idx += n;
  }
  *out = static_cast<size_t>(idx);
  return std::nullopt;
}

// A location: the container (object or array) and the last, decoded, token of the path.
struct Location {
  Json* container = nullptr;
  std::string key;
  int depth = 0;  // tokens in the path: how deep a value placed here sits
};

// upstream's findObject: walks every token but the last; null when any step is missing,
// null, a scalar, or a bad index.
Location FindContainer(Json& doc, std::string_view path) {
  Location loc;
  if (path.empty() || path[0] != '/' || !doc.is_structured()) return loc;
  Json* cur = &doc;
  size_t start = 1;
  int depth = 1;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    std::string token = DecodeToken(path.substr(start, slash - start));
    Json* next = nullptr;
    if (cur->is_object()) {
      auto it = cur->find(token);
      if (it != cur->end()) next = &*it;
    } else {
      size_t i = 0;
      if (!ElementIndex(token, cur->size(), &i)) next = &(*cur)[i];
    }
    if (next == nullptr || !next->is_structured()) return loc;
    cur = next;
    start = slash + 1;
    ++depth;
  }
  loc.container = cur;
  loc.key = DecodeToken(path.substr(start));
  loc.depth = depth;
  return loc;
}

// Get: nullptr without error for a missing object member (upstream returns a nil node).
std::optional<OpError> Get(Json& container, const std::string& key, Json** out) {
  *out = nullptr;
  if (container.is_object()) {
    auto it = container.find(key);
    if (it != container.end()) *out = &*it;
    return std::nullopt;
  }
  size_t i = 0;
  if (auto err = ElementIndex(key, container.size(), &i)) return err;
  *out = &container[i];
  return std::nullopt;
}

std::optional<OpError> Add(Json& container, const std::string& key, Json value) {
  if (container.is_object()) {
    container[key] = std::move(value);
    return std::nullopt;
  }
  if (key == "-") {
    container.push_back(std::move(value));
    return std::nullopt;
  }
  int64_t idx = 0;
  if (auto err = ParseIndex(key, &idx)) {
    return OpError{"value was not a proper array index: '" + key + "': " + err->message};
  }
  int64_t n = static_cast<int64_t>(container.size()) + 1;
  if (idx >= n) return InvalidIndex(idx);
  if (idx < 0) {
    if (idx < -n) return InvalidIndex(idx);
    idx += n;
  }
  container.insert(container.begin() + idx, std::move(value));
  return std::nullopt;
}

std::optional<OpError> Remove(Json& container, const std::string& key, Json* removed) {
  if (container.is_object()) {
    auto it = container.find(key);
    if (it == container.end()) {
      return OpError{"Unable to remove nonexistent key: " + key + ": " + std::string(kMissing)};
    }
    if (removed != nullptr) *removed = std::move(*it);
    container.erase(it);
    return std::nullopt;
  }
  size_t i = 0;
  if (auto err = ElementIndex(key, container.size(), &i)) return err;
  if (removed != nullptr) *removed = std::move(container[i]);
  container.erase(container.begin() + static_cast<std::ptrdiff_t>(i));
  return std::nullopt;
}

// Reads a string member ("op", "path", "from"). Absent or null: nullopt with *present false.
// Present but not a string: nullopt with *type_error set.
std::optional<std::string> StringMember(const Json& op, const char* name, std::string* type_error) {
  type_error->clear();
  auto it = op.find(name);
  if (it == op.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    *type_error = "json: cannot unmarshal " + std::string(internal::GoJsonKind(*it)) +
                  " into Go value of type string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

class Applier {
 public:
  explicit Applier(Json doc) : doc_(std::move(doc)) {
    depth_bound_ = internal::NestingDepth(doc_, kMaxNestingDepth);
  }

  std::optional<OpError> Apply(const Json& op) {
    std::string type_error;
    std::optional<std::string> kind;
    if (op.is_object()) kind = StringMember(op, "op", &type_error);
    std::string k = kind.value_or("unknown");
    if (!op.is_object()) return OpError{"Unexpected kind: unknown"};
    if (k == "add") return DoAdd(op);
    if (k == "remove") return DoRemove(op);
    if (k == "replace") return DoReplace(op);
    if (k == "move") return DoMove(op);
    if (k == "test") return DoTest(op);
    if (k == "copy") return DoCopy(op);
    return OpError{"Unexpected kind: " + k};
  }

  Json& doc() { return doc_; }

 private:
  static const Json& ValueOf(const Json& op) {
    static const Json kNull;
    auto it = op.find("value");
    return it == op.end() ? kNull : *it;
  }

  // Keeps the document's nesting bounded while operations run: `depth_bound_` is an upper
  // bound of the real depth; when an operation would push it past the limit, the real depth
  // is measured before failing.
  std::optional<OpError> Grow(int new_bound) {
    if (new_bound <= depth_bound_) return std::nullopt;
    depth_bound_ = new_bound;
    if (depth_bound_ <= kMaxNestingDepth) return std::nullopt;
    depth_bound_ = internal::NestingDepth(doc_, kMaxNestingDepth);
    if (depth_bound_ <= kMaxNestingDepth) return std::nullopt;
    return OpError{"the patched document exceeds the maximum nesting depth of " +
                   std::to_string(kMaxNestingDepth)};
  }

  // Would placing a value of depth `value_depth` at `loc` nest too deep? Checked before the
  // placement so no recursive copy or comparison ever runs on a too-deep document.
  std::optional<OpError> CheckPlacement(const Location& loc, int value_depth) {
    int bound = loc.depth + value_depth;
    if (bound > kMaxNestingDepth) {
      return OpError{"the patched document exceeds the maximum nesting depth of " +
                     std::to_string(kMaxNestingDepth)};
    }
    return Grow(bound);
  }

  std::optional<OpError> DoAdd(const Json& op) {
    std::string terr;
    auto path = StringMember(op, "path", &terr);
    if (!path) return OpError{"add operation failed to decode path: " + std::string(kMissing)};
    Location loc = FindContainer(doc_, *path);
    if (loc.container == nullptr) {
      return OpError{"add operation does not apply: doc is missing path: " + Quote(*path) + ": " +
                     std::string(kMissing)};
    }
    const Json& value = ValueOf(op);
    if (auto err = CheckPlacement(loc, internal::NestingDepth(value, kMaxNestingDepth))) return err;
    if (auto err = Add(*loc.container, loc.key, value)) {
      return OpError{"error in add for path: '" + *path + "': " + err->message};
    }
    return std::nullopt;
  }

  std::optional<OpError> DoRemove(const Json& op) {
    std::string terr;
    auto path = StringMember(op, "path", &terr);
    if (!path) return OpError{"remove operation failed to decode path: " + std::string(kMissing)};
    Location loc = FindContainer(doc_, *path);
    if (loc.container == nullptr) {
      return OpError{"remove operation does not apply: doc is missing path: " + Quote(*path) +
                     ": " + std::string(kMissing)};
    }
    if (auto err = Remove(*loc.container, loc.key, nullptr)) {
      return OpError{"error in remove for path: '" + *path + "': " + err->message};
    }
    return std::nullopt;
  }

  std::optional<OpError> DoReplace(const Json& op) {
    std::string terr;
    auto path = StringMember(op, "path", &terr);
    if (!path) {
      return OpError{"replace operation failed to decode path: " +
                     (terr.empty() ? "operation missing path field: " + std::string(kMissing) : terr)};
    }
    const Json& value = ValueOf(op);
    if (path->empty()) {
      if (!value.is_structured()) {
        return OpError{"replace operation value must be object or array"};
      }
      doc_ = value;
      depth_bound_ = internal::NestingDepth(doc_, kMaxNestingDepth);
      return std::nullopt;
    }
    Location loc = FindContainer(doc_, *path);
    if (loc.container == nullptr) {
      return OpError{"replace operation does not apply: doc is missing path: " + *path + ": " +
                     std::string(kMissing)};
    }
    Json* current = nullptr;
    if (Get(*loc.container, loc.key, &current)) {
      return OpError{"replace operation does not apply: doc is missing key: " + *path + ": " +
                     std::string(kMissing)};
    }
    if (auto err = CheckPlacement(loc, internal::NestingDepth(value, kMaxNestingDepth))) return err;
    if (loc.container->is_object()) {
      (*loc.container)[loc.key] = value;  // upstream: a missing member is simply set
    } else {
      *current = value;
    }
    return std::nullopt;
  }

  std::optional<OpError> DoMove(const Json& op) {
    std::string terr;
    auto from = StringMember(op, "from", &terr);
    if (!from) {
      return OpError{"move operation failed to decode from: " +
                     (terr.empty() ? "operation, missing from field: " + std::string(kMissing) : terr)};
    }
    Location src = FindContainer(doc_, *from);
    if (src.container == nullptr) {
      return OpError{"move operation does not apply: doc is missing from path: " + *from + ": " +
                     std::string(kMissing)};
    }
    Json* current = nullptr;
    if (auto err = Get(*src.container, src.key, &current)) {
      return OpError{"error in move for path: '" + src.key + "': " + err->message};
    }
    Json value;
    if (auto err = Remove(*src.container, src.key, &value)) {
      return OpError{"error in move for path: '" + src.key + "': " + err->message};
    }
    auto path = StringMember(op, "path", &terr);
    if (!path) {
      return OpError{"move operation failed to decode path: " +
                     (terr.empty() ? "operation missing path field: " + std::string(kMissing) : terr)};
    }
    Location dst = FindContainer(doc_, *path);
    if (dst.container == nullptr) {
      return OpError{"move operation does not apply: doc is missing destination path: " + *path +
                     ": " + std::string(kMissing)};
    }
    // The moved value sat at least src.depth levels down, so it is at most
    // depth_bound_ - src.depth deep; measure only when that bound is not good enough.
    int value_bound = std::max(0, depth_bound_ - src.depth);
    if (dst.depth + value_bound > kMaxNestingDepth) {
      value_bound = internal::NestingDepth(value, kMaxNestingDepth);
    }
    if (auto err = CheckPlacement(dst, value_bound)) return err;
    if (auto err = Add(*dst.container, dst.key, std::move(value))) {
      return OpError{"error in move for path: '" + *path + "': " + err->message};
    }
    return std::nullopt;
  }

  std::optional<OpError> DoTest(const Json& op) {
    std::string terr;
    auto path = StringMember(op, "path", &terr);
    if (!path) {
      return OpError{"test operation failed to decode path: " +
                     (terr.empty() ? "operation missing path field: " + std::string(kMissing) : terr)};
    }
    auto value_it = op.find("value");
    bool has_value = value_it != op.end() && !value_it->is_null();
    if (path->empty()) {
      if (has_value && doc_ == *value_it) return std::nullopt;
      return OpError{"testing value " + *path + " failed: test failed"};
    }
    Location loc = FindContainer(doc_, *path);
    if (loc.container == nullptr) {
      return OpError{"test operation does not apply: is missing path: " + *path + ": " +
                     std::string(kMissing)};
    }
    Json* current = nullptr;
    if (auto err = Get(*loc.container, loc.key, &current)) {
      return OpError{"error in test for path: '" + *path + "': " + err->message};
    }
    bool current_nil = current == nullptr || current->is_null();
    if (current_nil) {
      if (!has_value) return std::nullopt;
      return OpError{"testing value " + *path + " failed: test failed"};
    }
    if (!has_value || *current != *value_it) {
      return OpError{"testing value " + *path + " failed: test failed"};
    }
    return std::nullopt;
  }

  std::optional<OpError> DoCopy(const Json& op) {
    std::string terr;
    auto from = StringMember(op, "from", &terr);
    if (!from) {
      return OpError{"copy operation failed to decode from: " +
                     (terr.empty() ? "operation, missing from field: " + std::string(kMissing) : terr)};
    }
    Location src = FindContainer(doc_, *from);
    if (src.container == nullptr) {
      return OpError{"copy operation does not apply: doc is missing from path: " + *from + ": " +
                     std::string(kMissing)};
    }
    Json* current = nullptr;
    if (auto err = Get(*src.container, src.key, &current)) {
      return OpError{"error in copy for from: '" + *from + "': " + err->message};
    }
    auto path = StringMember(op, "path", &terr);
    if (!path) return OpError{"copy operation failed to decode path: " + std::string(kMissing)};
    Location dst = FindContainer(doc_, *path);
    if (dst.container == nullptr) {
      return OpError{"copy operation does not apply: doc is missing destination path: " + *path +
                     ": " + std::string(kMissing)};
    }
    static const Json kNull;
    const Json& source = current == nullptr ? kNull : *current;
    if (auto err = CheckPlacement(dst, internal::NestingDepth(source, kMaxNestingDepth))) return err;
    Json copy = source;
    copied_bytes_ += static_cast<int64_t>(ToJson(copy).size());
    if (copied_bytes_ > kMaxJsonPatchCopyBytes) {
      return OpError{"Unable to complete the copy, the accumulated size increase of copy is " +
                     std::to_string(copied_bytes_) + ", exceeding the limit " +
                     std::to_string(kMaxJsonPatchCopyBytes)};
    }
    if (auto err = Add(*dst.container, dst.key, std::move(copy))) {
      return OpError{"error while adding value during copy: " + err->message};
    }
    return std::nullopt;
  }

  Json doc_;
  int depth_bound_ = 0;
  int64_t copied_bytes_ = 0;
};

}  // namespace

StatusOr<Json> ApplyJsonPatch(const Json& original, const Json& patch_ops) {
  try {
    if (patch_ops.is_null()) return original;  // Go decodes null into an empty patch
    if (!patch_ops.is_array()) {
      return Status::BadRequest("json: cannot unmarshal " +
                                std::string(internal::GoJsonKind(patch_ops)) +
                                " into Go value of type jsonpatch.Patch");
    }
    for (const Json& op : patch_ops) {
      if (!op.is_object() && !op.is_null()) {
        return Status::BadRequest("json: cannot unmarshal " +
                                  std::string(internal::GoJsonKind(op)) +
                                  " into Go value of type jsonpatch.Operation");
      }
    }
    if (static_cast<int64_t>(patch_ops.size()) > kMaxJsonPatchOperations) {
      return Status::RequestEntityTooLarge(
          "The allowed maximum operations in a JSON patch is " +
          std::to_string(kMaxJsonPatchOperations) + ", got " + std::to_string(patch_ops.size()));
    }
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(patch_ops, kMaxNestingDepth, "the patch"));
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(original, kMaxNestingDepth, "the object"));
    Applier applier(original);
    for (const Json& op : patch_ops) {
      if (auto err = applier.Apply(op)) return UnprocessablePatch(std::move(err->message));
    }
    return std::move(applier.doc());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("json patch: ") + e.what());
  }
}

}  // namespace haru::api::patch
