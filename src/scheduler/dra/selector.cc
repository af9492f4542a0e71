// The CEL environment of device selectors and the compiled-expression cache.

#include "scheduler/dra/selector.h"

#include "cel/common/containers.h"
#include "cel/library/k8s.h"
#include "cel/runtime/program.h"

namespace haru::scheduler::dra {
namespace {

const cel::Env& DeviceEnv() {
  static const cel::Env env = cel::Env::Standard({"device"});
  return env;
}

// semver values come from the library's own constructor, compiled once.
cel::Value SemverValue(const std::string& text) {
  static const cel::CompileResult kSemver = cel::Compile(cel::Env::Standard({"v"}), "semver(v)");
  if (!kSemver.ok()) return cel::Value::Error("semver unavailable");
  cel::Activation act(*kSemver.program);
  act.Bind("v", cel::Value::StringView(text));
  auto v = kSemver.program->Evaluate(act);
  if (!v.ok()) return cel::Value::Error(v.status().message());
  return *v;  // owns its data (parsed into the library value)
}

// attributes/capacity: a map of domains whose unknown keys read as an empty map, as
// upstream's DRA CEL type provider does.
class DomainMap final : public cel::MapValue {
 public:
  DomainMap() : empty_(new cel::ValueMap()) {}
  ~DomainMap() override { empty_->Unref(); }
  cel::ValueMap& Domain(const std::string& name) {
    for (auto& [k, m] : domains_) {
      if (k == name) return *m;
    }
    auto* m = new cel::ValueMap();
    domains_.emplace_back(name, m);
    values_.push_back(cel::Value::Map(m));
    keys_.push_back(cel::Value::String(name));
    return *m;
  }
  size_t size() const override { return domains_.size(); }
  bool Find(const cel::Value& key, cel::Value* out) const override {
    if (!key.Is(cel::ValueKind::kString)) return false;
    return FindString(key.string_value(), out);
  }
  bool FindString(std::string_view key, cel::Value* out) const override {
    for (size_t i = 0; i < domains_.size(); ++i) {
      if (domains_[i].first == key) {
        *out = values_[i].Borrowed();
        return true;
      }
    }
    *out = cel::Value::MapView(empty_);
    return true;
  }
  cel::Value KeyAt(size_t i) const override { return keys_[i]; }
  cel::Value ValueAt(size_t i) const override { return values_[i]; }

 private:
  std::vector<std::pair<std::string, cel::ValueMap*>> domains_;  // owned through values_
  std::vector<cel::Value> values_;
  std::vector<cel::Value> keys_;
  cel::ValueMap* empty_;
};

void SplitQualified(const std::string& driver, const std::string& name, std::string* domain,
                    std::string* id) {
  size_t slash = name.find('/');
  if (slash == std::string::npos) {
    *domain = driver, *id = name;
  } else {
    *domain = name.substr(0, slash), *id = name.substr(slash + 1);
  }
}

}  // namespace

CelDevice::CelDevice(const std::string& driver, const Device& device) {
  auto* attrs = new DomainMap();
  std::string domain, id;
  for (const auto& [name, a] : device.attributes) {
    cel::Value v;
    switch (a.kind) {
      case AttributeValue::Kind::kInt: v = cel::Value::Int(a.int_value); break;
      case AttributeValue::Kind::kBool: v = cel::Value::Bool(a.bool_value); break;
      case AttributeValue::Kind::kString: v = cel::Value::String(a.text); break;
      case AttributeValue::Kind::kVersion: v = SemverValue(a.text); break;
      case AttributeValue::Kind::kUnknown: continue;
    }
    SplitQualified(driver, name, &domain, &id);
    attrs->Domain(domain).Insert(cel::Value::String(id), std::move(v));
  }
  auto* caps = new DomainMap();
  for (const auto& c : device.capacity) {
    SplitQualified(driver, c.name, &domain, &id);
    caps->Domain(domain).Insert(cel::Value::String(id), cel::QuantityFromString(c.value.ToString()));
  }
  auto* root = new cel::ValueMap();
  root->Insert(cel::Value::String("driver"), cel::Value::String(driver));
  root->Insert(cel::Value::String("attributes"), cel::Value::Map(attrs));
  root->Insert(cel::Value::String("capacity"), cel::Value::Map(caps));
  root->Insert(cel::Value::String("allowMultipleAllocations"),
               cel::Value::Bool(device.allow_multiple_allocations));
  value_ = cel::Value::Map(root);
}

SelectorCache::SelectorCache() = default;
SelectorCache::~SelectorCache() = default;

size_t SelectorCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return compiled_.size();
}

const CompiledSelector& SelectorCache::GetOrCompile(std::string_view expression) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = compiled_.find(std::string(expression));
  if (it != compiled_.end()) return *it->second;
  auto c = std::make_unique<CompiledSelector>();
  cel::CompileResult r = cel::Compile(DeviceEnv(), expression);
  if (r.ok()) {
    c->program = std::move(r.program);
  } else {
    c->error = r.ErrorText();
  }
  auto& slot = compiled_[std::string(expression)];
  slot = std::move(c);
  return *slot;
}

StatusOr<bool> EvaluateSelector(const CompiledSelector& selector, const CelDevice& device) {
  if (!selector.program) return Status::Invalid(selector.error);
  cel::Activation act(*selector.program);
  act.Bind("device", device.value().Borrowed());
  StatusOr<cel::Value> v = selector.program->Evaluate(act);
  if (!v.ok()) return Status::Invalid(v.status().message());
  if (v->IsError()) return Status::Invalid(v->error_message());
  if (!v->Is(cel::ValueKind::kBool)) {
    return Status::Invalid("CEL result of type " + std::string(v->TypeName()) +
                           " could not be converted to bool");
  }
  return v->bool_value();
}

}  // namespace haru::scheduler::dra
