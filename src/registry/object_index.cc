#include "registry/object_index.h"

#include <algorithm>

#include "common/json.h"
#include "registry/keys.h"

namespace haru::registry {
namespace {

// One selectable field the SAX pass reads: the path split into object keys.
struct PathField {
  size_t slot;                     // index into ObjectIndex::fields
  std::vector<std::string> path;   // {"spec", "nodeName"}
  bool as_bool;                    // "true"/"false" (GetBool), else the string (GetString)
};

// Streams the stored value once and keeps only what ObjectIndex needs (no DOM). Semantics
// match the DOM version: the last duplicate key wins, non-string labels are skipped, a
// selectable field is "" (or "false") unless the value has the right type.
class IndexSax final : public nlohmann::json_sax<Json> {
 public:
  IndexSax(ObjectIndex& index, const std::vector<PathField>& paths)
      : index_(index), paths_(paths) {}

  bool null() override { return Scalar(Kind::kNull, nullptr, false); }
  bool boolean(bool v) override { return Scalar(Kind::kBool, nullptr, v); }
  bool number_integer(number_integer_t) override { return Scalar(Kind::kOther, nullptr, false); }
  bool number_unsigned(number_unsigned_t) override { return Scalar(Kind::kOther, nullptr, false); }
  bool number_float(number_float_t, const string_t&) override {
    return Scalar(Kind::kOther, nullptr, false);
  }
  bool string(string_t& v) override { return Scalar(Kind::kString, &v, false); }
  bool binary(binary_t&) override { return Scalar(Kind::kOther, nullptr, false); }

  bool start_object(std::size_t) override {
    Container(/*object=*/true);
    return true;
  }
  bool key(string_t& k) override {
    // stack_.back() is this object's frame; its key becomes k.
    Frame& f = stack_.back();
    f.key.assign(k);
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    Container(/*object=*/false);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    failed_ = true;
    return false;
  }

  bool failed() const { return failed_ || !top_is_object_; }

  // Whether the fast walker must descend into a container about to start at the current
  // position (all other containers only matter as "a value is here").
  bool WantsChildren(bool object) const {
    if (stack_.empty()) return object;
    if (!InObjects()) return false;
    if (stack_.size() == 1 && stack_[0].key == "metadata") return object;
    if (stack_.size() == 2 && stack_[0].key == "metadata") {
      return (object && stack_[1].key == "labels") || (!object && stack_[1].key == "ownerReferences");
    }
    if (!object) return false;
    for (const PathField& p : paths_) {
      if (p.path.size() <= stack_.size()) continue;
      bool prefix = true;
      for (size_t i = 0; i < stack_.size() && prefix; ++i) prefix = stack_[i].key == p.path[i];
      if (prefix) return true;
    }
    return false;
  }

 private:
  enum class Kind { kNull, kBool, kString, kOther };
  struct Frame {
    bool object;
    std::string key;  // current member key (objects only)
  };

  // The value about to be seen sits at path stack_[0].key, stack_[1].key, ... (all objects).
  size_t Depth() const { return stack_.size(); }
  bool InObjects() const {
    for (const Frame& f : stack_) {
      if (!f.object) return false;
    }
    return true;
  }
  bool At(std::string_view a) const {
    return stack_.size() == 1 && stack_[0].object && stack_[0].key == a;
  }
  bool At(std::string_view a, std::string_view b) const {
    return stack_.size() == 2 && stack_[0].object && stack_[1].object && stack_[0].key == a &&
           stack_[1].key == b;
  }
  bool AtPath(const std::vector<std::string>& path) const {
    if (stack_.size() != path.size()) return false;
    for (size_t i = 0; i < path.size(); ++i) {
      if (!stack_[i].object || stack_[i].key != path[i]) return false;
    }
    return true;
  }

  // A value (scalar or container start) at the current position.
  void Value(Kind kind, string_t* s, bool b, bool is_object, bool is_array) {
    if (stack_.empty()) {
      top_is_object_ = is_object;
      return;
    }
    if (!stack_[0].object) return;
    if (stack_.size() == 1 && stack_[0].key == "metadata") {
      meta_is_object_ = is_object;
      ResetMeta();
      return;
    }
    if (At("metadata", "labels")) {
      index_.labels.clear();  // a later duplicate "labels" replaces the earlier one
      labels_open_ = is_object;
    } else if (At("metadata", "namespace")) {
      index_.ns = kind == Kind::kString ? *s : std::string();
    } else if (At("metadata", "name")) {
      index_.name = kind == Kind::kString ? *s : std::string();
    } else if (At("metadata", "uid")) {
      index_.uid = kind == Kind::kString ? *s : std::string();
    } else if (At("metadata", "ownerReferences")) {
      index_.has_owner_references = false;
      owner_refs_open_ = is_array;
    } else if (At("metadata", "deletionTimestamp")) {
      index_.deleting = kind != Kind::kNull;
    } else if (stack_.size() == 3 && labels_open_ && At3Labels()) {
      if (kind == Kind::kString) {
        auto it = index_.labels.find(stack_[2].key);
        if (it != index_.labels.end()) {
          it->second = *s;
        } else {
          index_.labels.emplace(stack_[2].key, *s);
        }
      } else {
        index_.labels.erase(stack_[2].key);  // DOM: last duplicate wins, non-strings skipped
      }
    } else if (stack_.size() == 3 && owner_refs_open_ && stack_[0].key == "metadata" &&
               stack_[1].object && stack_[1].key == "ownerReferences" && !stack_[2].object) {
      index_.has_owner_references = true;
    }
    for (const PathField& p : paths_) {
      if (!AtPath(p.path)) continue;
      std::string& out = index_.fields[p.slot].second;
      if (p.as_bool) {
        out = kind == Kind::kBool && b ? "true" : "false";
      } else {
        out = kind == Kind::kString ? *s : std::string();
      }
    }
  }
  bool At3Labels() const {
    return stack_[0].key == "metadata" && stack_[1].object && stack_[1].key == "labels" &&
           stack_[2].object;
  }
  void ResetMeta() {
    // A later duplicate "metadata" replaces the earlier one entirely.
    index_.ns.clear();
    index_.name.clear();
    index_.uid.clear();
    index_.labels.clear();
    index_.has_owner_references = false;
    index_.deleting = false;
    labels_open_ = false;
    owner_refs_open_ = false;
  }

  bool Scalar(Kind kind, string_t* s, bool b) {
    Value(kind, s, b, false, false);
    return true;
  }
  void Container(bool object) {
    Value(Kind::kOther, nullptr, false, object, !object);
    stack_.push_back(Frame{object, {}});
  }

  ObjectIndex& index_;
  const std::vector<PathField>& paths_;
  std::vector<Frame> stack_;
  bool top_is_object_ = false;
  bool meta_is_object_ = false;
  bool labels_open_ = false;
  bool owner_refs_open_ = false;
  bool failed_ = false;
};

// A JSON walker that descends only where IndexSax needs to look and skips everything else
// (strings with a byte scan, containers by bracket depth): the stored values are the server's
// own encoding, mostly payload the index never reads. Anything it does not expect (a syntax
// error, a string it cannot decode) makes it give up; the caller then runs the full SAX parse.
class FastWalker {
 public:
  FastWalker(std::string_view text, IndexSax& sax)
      : p_(text.data()), end_(text.data() + text.size()), sax_(sax) {}

  bool Run() {
    if (!Value()) return false;
    Ws();
    return p_ == end_;
  }

 private:
  void Ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  // p_ at the opening quote; leaves p_ after the closing one. raw = the bytes between.
  bool SkipString(std::string_view* raw, bool* escaped) {
    const char* start = ++p_;
    *escaped = false;
    while (p_ < end_) {
      const char c = *p_;
      if (c == '"') {
        *raw = std::string_view(start, p_ - start);
        ++p_;
        return true;
      }
      if (c == '\\') {
        *escaped = true;
        p_ += 2;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      ++p_;
    }
    return false;
  }
  bool String(std::string* out) {
    std::string_view raw;
    bool escaped;
    const char* quote = p_;
    if (!SkipString(&raw, &escaped)) return false;
    if (!escaped) {
      out->assign(raw);
      return true;
    }
    Json j = Json::parse(std::string_view(quote, p_ - quote), nullptr, false);
    if (!j.is_string()) return false;
    *out = j.get<std::string>();
    return true;
  }
  // Skips one value of any kind (p_ at its first byte).
  bool Skip() {
    int depth = 0;
    do {
      Ws();
      if (p_ >= end_) return false;
      const char c = *p_;
      if (c == '"') {
        std::string_view raw;
        bool escaped;
        if (!SkipString(&raw, &escaped)) return false;
      } else if (c == '{' || c == '[') {
        ++depth;
        ++p_;
      } else if (c == '}' || c == ']') {
        if (--depth < 0) return false;
        ++p_;
      } else if (c == ',' || c == ':') {
        if (depth == 0) return false;
        ++p_;
      } else {
        if (!Scalar(/*report=*/false)) return false;
      }
    } while (depth > 0);
    return true;
  }
  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }
  bool Scalar(bool report) {
    const char c = *p_;
    if (c == 't') return Literal("true") && (!report || sax_.boolean(true));
    if (c == 'f') return Literal("false") && (!report || sax_.boolean(false));
    if (c == 'n') return Literal("null") && (!report || sax_.null());
    if (c != '-' && (c < '0' || c > '9')) return false;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '-' || *p_ == '+' || *p_ == '.' ||
                         *p_ == 'e' || *p_ == 'E')) {
      ++p_;
    }
    return !report || sax_.number_integer(0);
  }
  bool Value() {
    Ws();
    if (p_ >= end_) return false;
    const char c = *p_;
    if (c == '"') {
      if (!String(&buf_)) return false;
      return sax_.string(buf_);
    }
    if (c != '{' && c != '[') return Scalar(/*report=*/true);
    const bool object = c == '{';
    if (!sax_.WantsChildren(object)) {
      if (!Skip()) return false;
      // Only the presence and type of the container matter here.
      return object ? sax_.start_object(0) && sax_.end_object()
                    : sax_.start_array(0) && sax_.end_array();
    }
    if (++depth_ > 8) return false;
    ++p_;
    if (object ? !sax_.start_object(0) : !sax_.start_array(0)) return false;
    Ws();
    const char close = object ? '}' : ']';
    if (p_ < end_ && *p_ == close) {
      ++p_;
    } else {
      for (;;) {
        if (object) {
          Ws();
          if (p_ >= end_ || *p_ != '"' || !String(&key_)) return false;
          if (!sax_.key(key_)) return false;
          Ws();
          if (p_ >= end_ || *p_ != ':') return false;
          ++p_;
        }
        if (!Value()) return false;
        Ws();
        if (p_ >= end_) return false;
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ != close) return false;
        ++p_;
        break;
      }
    }
    --depth_;
    return object ? sax_.end_object() : sax_.end_array();
  }

  const char* p_;
  const char* end_;
  IndexSax& sax_;
  int depth_ = 0;
  std::string buf_;
  std::string key_;
};

std::vector<std::string> SplitPath(std::string_view p) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t dot = p.find('.', start);
    out.emplace_back(p.substr(start, dot == std::string_view::npos ? p.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

}  // namespace

std::shared_ptr<const void> IndexStoredObject(std::string_view key, const std::string& value) {
  auto index = std::make_shared<ObjectIndex>();
  const api::KindSpec* kind = KindOfKey(key);
  std::vector<PathField> paths;
  bool need_dom = false;
  if (kind != nullptr && !kind->selectable_fields.empty()) {
    index->fields.reserve(kind->selectable_fields.size());
    for (const api::SelectableField& f : kind->selectable_fields) {
      if (!f.json_path.empty()) {
        paths.push_back(PathField{index->fields.size(), SplitPath(f.json_path), f.json_bool});
        index->fields.emplace_back(f.name, f.json_bool ? "false" : "");
      } else {
        need_dom |= static_cast<bool>(f.value);
        index->fields.emplace_back(f.name, "");
      }
    }
  }
  // The fast walk first; the full SAX parse (which also rejects malformed input exactly like
  // the DOM did) only where it gives up.
  const auto fresh_fields = index->fields;
  bool ok;
  {
    IndexSax sax(*index, paths);
    ok = FastWalker(value, sax).Run() && !sax.failed();
  }
  if (!ok) {
    *index = ObjectIndex{};
    index->fields = fresh_fields;
    IndexSax sax(*index, paths);
    ok = Json::sax_parse(value, &sax, nlohmann::detail::input_format_t::json, /*strict=*/true) &&
         !sax.failed();
  }
  // Not a JSON object: like the DOM version, an empty index without fields.
  if (!ok) return std::make_shared<ObjectIndex>();
  if (need_dom) {
    Json obj = Json::parse(value, nullptr, /*allow_exceptions=*/false);
    const auto& specs = kind->selectable_fields;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].json_path.empty() && specs[i].value) index->fields[i].second = specs[i].value(obj);
    }
  }
  return index;
}

std::shared_ptr<const ObjectIndex> IndexOf(const storage::KeyValue& kv) {
  if (kv.index) return std::static_pointer_cast<const ObjectIndex>(kv.index);
  if (!kv.value) return std::make_shared<ObjectIndex>();
  return std::static_pointer_cast<const ObjectIndex>(IndexStoredObject(kv.key, *kv.value));
}

}  // namespace haru::registry
