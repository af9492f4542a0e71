#include "cel/checker/decls.h"

#include <algorithm>
#include <cctype>

namespace haru::cel {
namespace {

using K = Type::Kind;

// A small recursive-descent reader over a signature string.
class SpellingReader {
 public:
  SpellingReader(std::string_view text, const std::vector<std::string>& type_params)
      : text_(text), type_params_(type_params) {}

  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool Consume(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }
  std::string Name() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  Status Error(std::string_view what) const {
    return Status::Invalid("signature '" + std::string(text_) + "': " + std::string(what));
  }

  StatusOr<TypePtr> ReadType(int depth = 0) {
    if (depth > 32) return Error("type nests too deeply");
    std::string name = Name();
    if (name.empty()) return Error("expected a type name");
    std::vector<TypePtr> params;
    if (Consume("(")) {
      do {
        HARU_ASSIGN_OR_RETURN(TypePtr p, ReadType(depth + 1));
        params.push_back(std::move(p));
      } while (Consume(","));
      if (!Consume(")")) return Error("expected ')'");
    }
    return Build(name, std::move(params));
  }

 private:
  StatusOr<TypePtr> Build(const std::string& name, std::vector<TypePtr> params) {
    auto arity = [&](size_t n) -> Status {
      return params.size() == n ? Status::OK() : Error("'" + name + "' takes " + std::to_string(n) + " parameters");
    };
    if (std::find(type_params_.begin(), type_params_.end(), name) != type_params_.end()) {
      HARU_RETURN_IF_ERROR(arity(0));
      return TypeParam(name);
    }
    static const std::map<std::string, K, std::less<>> kPrimitives = {
        {"bool", K::kBool}, {"int", K::kInt}, {"uint", K::kUint}, {"double", K::kDouble},
        {"string", K::kString}, {"bytes", K::kBytes}, {"null_type", K::kNull}, {"null", K::kNull},
        {"google.protobuf.Duration", K::kDuration}, {"duration", K::kDuration},
        {"google.protobuf.Timestamp", K::kTimestamp}, {"timestamp", K::kTimestamp},
    };
    if (auto it = kPrimitives.find(name); it != kPrimitives.end()) {
      HARU_RETURN_IF_ERROR(arity(0));
      return Primitive(it->second);
    }
    if (name == "dyn" || name == "any") {
      HARU_RETURN_IF_ERROR(arity(0));
      return name == "dyn" ? DynType() : AnyType();
    }
    if (name == "list") {
      HARU_RETURN_IF_ERROR(arity(1));
      return ListType(params[0]);
    }
    if (name == "map") {
      HARU_RETURN_IF_ERROR(arity(2));
      return MapType(params[0], params[1]);
    }
    if (name == "optional_type") {
      HARU_RETURN_IF_ERROR(arity(1));
      return OptionalType(params[0]);
    }
    if (name == "type") {
      if (params.size() > 1) return Error("'type' takes at most one parameter");
      return TypeType(params.empty() ? nullptr : params[0]);
    }
    return OpaqueType(name, std::move(params));
  }

  std::string_view text_;
  size_t pos_ = 0;
  const std::vector<std::string>& type_params_;
};

}  // namespace

StatusOr<TypePtr> ParseTypeSpelling(std::string_view text, const std::vector<std::string>& type_params) {
  SpellingReader r(text, type_params);
  HARU_ASSIGN_OR_RETURN(TypePtr t, r.ReadType());
  if (!r.AtEnd()) return r.Error("unexpected text after the type");
  return t;
}

StatusOr<OverloadDecl> ParseOverload(const OverloadSpec& spec) {
  OverloadDecl o;
  o.id = spec.id;
  o.member = spec.member;
  std::string_view sig = spec.signature;
  // The type parameters come first; they must be known before the types are read.
  SpellingReader head(sig, o.type_params);
  if (head.Consume("<")) {
    do {
      std::string p = head.Name();
      if (p.empty()) return head.Error("expected a type parameter");
      o.type_params.push_back(std::move(p));
    } while (head.Consume(","));
    if (!head.Consume(">")) return head.Error("expected '>'");
  }
  size_t open = sig.find('(');
  if (open == std::string_view::npos) return head.Error("expected '('");
  SpellingReader r(sig.substr(open), o.type_params);
  r.Consume("(");
  if (!r.Consume(")")) {
    do {
      HARU_ASSIGN_OR_RETURN(TypePtr p, r.ReadType());
      o.params.push_back(std::move(p));
    } while (r.Consume(","));
    if (!r.Consume(")")) return r.Error("expected ')'");
  }
  if (!r.Consume("->")) return r.Error("expected '->'");
  HARU_ASSIGN_OR_RETURN(o.result, r.ReadType());
  if (!r.AtEnd()) return r.Error("unexpected text after the result type");
  if (o.member && o.params.empty()) return r.Error("a member overload needs a receiver");
  return o;
}

void Declarations::AddOverload(const std::string& name, OverloadDecl overload) {
  FunctionDecl& fn = functions_[name];
  fn.name = name;
  for (OverloadDecl& existing : fn.overloads) {
    if (existing.id == overload.id) {
      existing = std::move(overload);
      return;
    }
  }
  fn.overloads.push_back(std::move(overload));
}

Status Declarations::AddSpecs(std::span<const OverloadSpec> specs) {
  for (const OverloadSpec& spec : specs) {
    HARU_ASSIGN_OR_RETURN(OverloadDecl o, ParseOverload(spec));
    AddOverload(spec.function, std::move(o));
  }
  return Status::OK();
}

const TypePtr* Declarations::FindVariable(const std::string& name) const {
  auto it = variables_.find(name);
  return it == variables_.end() ? nullptr : &it->second;
}

const FunctionDecl* Declarations::FindFunction(const std::string& name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<std::string> Declarations::Candidates(std::string_view name) const {
  if (!name.empty() && name[0] == '.') return {std::string(name.substr(1))};
  std::vector<std::string> out;
  std::string prefix = container_;
  while (!prefix.empty()) {
    out.push_back(prefix + "." + std::string(name));
    size_t dot = prefix.rfind('.');
    prefix = dot == std::string::npos ? "" : prefix.substr(0, dot);
  }
  out.emplace_back(name);
  return out;
}

TypePtr BuiltinTypeIdent(std::string_view name) {
  static const std::map<std::string, TypePtr, std::less<>> kTypes = {
      {"bool", TypeType(Primitive(K::kBool))},
      {"bytes", TypeType(Primitive(K::kBytes))},
      {"double", TypeType(Primitive(K::kDouble))},
      {"int", TypeType(Primitive(K::kInt))},
      {"uint", TypeType(Primitive(K::kUint))},
      {"string", TypeType(Primitive(K::kString))},
      {"null_type", TypeType(Primitive(K::kNull))},
      {"type", TypeType(TypeType())},
      {"dyn", TypeType(DynType())},
      {"list", TypeType(ListType(DynType()))},
      {"map", TypeType(MapType(DynType(), DynType()))},
      {"google.protobuf.Duration", TypeType(Primitive(K::kDuration))},
      {"google.protobuf.Timestamp", TypeType(Primitive(K::kTimestamp))},
      {"optional_type", TypeType(OptionalType(DynType()))},
  };
  auto it = kTypes.find(name);
  return it == kTypes.end() ? nullptr : it->second;
}

}  // namespace haru::cel

namespace haru::cel {

Declarations Declarations::Standard() {
  static const Declarations* const kStandard = [] {
    auto* d = new Declarations();
    // The table is ours and fixed; a bad row is caught by the checker tests.
    (void)d->AddSpecs(StandardOverloads());
    return d;
  }();
  return *kStandard;
}

Declarations Declarations::Kubernetes() {
  static const Declarations* const kAll = [] {
    auto* d = new Declarations(Standard());
    (void)d->AddSpecs(ExtensionOverloads());
    (void)d->AddSpecs(KubernetesOverloads());
    return d;
  }();
  return *kAll;
}

}  // namespace haru::cel
