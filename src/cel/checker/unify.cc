#include "cel/checker/unify.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

// Recursion in these helpers follows the type's nesting, which the parser bounds; a cap
// keeps pathological substitution chains from looping.
constexpr int kMaxDepth = 200;

bool IsDynLike(const TypePtr& t) { return t->kind == K::kDyn || t->kind == K::kAny; }

const TypePtr* Find(const Substitutions& subs, const TypePtr& t) {
  if (t->kind != K::kTypeParam) return nullptr;
  auto it = subs.find(t->name);
  return it == subs.end() ? nullptr : &it->second;
}

// The primitive kind behind a wrapper, or the type's own kind.
K CoreKind(const TypePtr& t) { return t->kind == K::kWrapper ? t->params[0]->kind : t->kind; }

// cel-go's Type.IsAssignableType for the leaf kinds: `to` accepts `from`.
bool LeafAssignable(const TypePtr& to, const TypePtr& from) {
  if (to->kind == K::kWrapper && from->kind == K::kNull) return true;
  if (CoreKind(to) != CoreKind(from)) return false;
  if (to->kind == K::kObject) return to->name == from->name;
  return true;
}

// Types that accepted null before nullable wrappers existed.
bool Nullable(const TypePtr& t) {
  switch (t->kind) {
    case K::kOpaque: case K::kOptional: case K::kObject: case K::kAny: case K::kDuration:
    case K::kTimestamp: case K::kWrapper: case K::kNull:
      return true;
    default:
      return false;
  }
}

bool EqualOrLessSpecific(const TypePtr& a, const TypePtr& b, int depth) {
  if (IsDynLike(a) || a->kind == K::kTypeParam) return true;
  if (IsDynLike(b) || b->kind == K::kTypeParam) return false;
  if (a->kind != b->kind || depth > kMaxDepth) return false;
  switch (a->kind) {
    case K::kOpaque: case K::kOptional: case K::kList: case K::kMap:
      if (a->name != b->name || a->params.size() != b->params.size()) return false;
      for (size_t i = 0; i < a->params.size(); ++i) {
        if (!EqualOrLessSpecific(a->params[i], b->params[i], depth + 1)) return false;
      }
      return true;
    case K::kType: return true;
    default: return SameType(a, b);
  }
}

// The occurs check: whether type parameter `t` does not appear within `within`.
bool NotReferencedIn(const Substitutions& subs, const TypePtr& t, const TypePtr& within, int depth) {
  if (SameType(t, within)) return false;
  if (depth > kMaxDepth) return false;
  if (within->kind == K::kTypeParam) {
    const TypePtr* sub = Find(subs, within);
    return sub == nullptr || NotReferencedIn(subs, t, *sub, depth + 1);
  }
  for (const TypePtr& p : within->params) {
    if (!NotReferencedIn(subs, t, p, depth + 1)) return false;
  }
  return true;
}

bool Assignable(Substitutions& subs, const TypePtr& t1, const TypePtr& t2, int depth);

// Whether `param` (or its binding) can be a substitution for `t`; binds it when free.
// `had_binding` says whether `param` was already bound.
bool ValidSubstitution(Substitutions& subs, const TypePtr& t, const TypePtr& param, bool* had_binding,
                       int depth) {
  *had_binding = false;
  if (t->kind == param->kind && SameType(t, param)) return *had_binding = true, true;
  if (const TypePtr* bound = Find(subs, param)) {
    *had_binding = true;
    TypePtr current = *bound;
    if (t->kind == current->kind && SameType(t, current)) return true;
    if (Assignable(subs, t, current, depth + 1)) {
      TypePtr general = MostGeneral(t, current);
      if (NotReferencedIn(subs, param, general, 0)) subs[param->name] = general;
      return true;
    }
    return false;
  }
  if (NotReferencedIn(subs, param, t, 0)) {
    subs[param->name] = t;
    return true;
  }
  return false;
}

bool AssignableList(Substitutions& subs, const std::vector<TypePtr>& l1, const std::vector<TypePtr>& l2,
                    int depth) {
  if (l1.size() != l2.size()) return false;
  for (size_t i = 0; i < l1.size(); ++i) {
    if (!Assignable(subs, l1[i], l2[i], depth + 1)) return false;
  }
  return true;
}

// cel-go's internalIsAssignable, argument order included.
bool Assignable(Substitutions& subs, const TypePtr& t1, const TypePtr& t2, int depth) {
  if (depth > kMaxDepth) return false;
  if (t2->kind == K::kTypeParam) {
    bool had_binding;
    if (ValidSubstitution(subs, t1, t2, &had_binding, depth)) return true;
    if (had_binding) return false;
  }
  if (t1->kind == K::kTypeParam) {
    bool had_binding;
    return ValidSubstitution(subs, t2, t1, &had_binding, depth);
  }
  if (IsDynOrError(t1) || IsDynOrError(t2)) return true;
  if (t1->kind == K::kNull) return Nullable(t2);
  if (t2->kind == K::kNull) return Nullable(t1);
  switch (t1->kind) {
    case K::kBool: case K::kBytes: case K::kDouble: case K::kInt: case K::kString: case K::kUint:
    case K::kDuration: case K::kTimestamp: case K::kObject: case K::kWrapper:
      return LeafAssignable(t2, t1);
    case K::kType:
      return t2->kind == K::kType;
    case K::kOpaque: case K::kOptional: case K::kList: case K::kMap:
      return t1->kind == t2->kind && t1->name == t2->name && AssignableList(subs, t1->params, t2->params, depth);
    default:
      return false;
  }
}

}  // namespace

bool IsDynOrError(const TypePtr& t) { return IsDynLike(t) || t->kind == K::kError; }

bool IsAssignable(Substitutions& subs, const TypePtr& t1, const TypePtr& t2) {
  Substitutions trial = subs;
  if (!Assignable(trial, t1, t2, 0)) return false;
  subs = std::move(trial);
  return true;
}

bool IsAssignableList(Substitutions& subs, const std::vector<TypePtr>& t1, const std::vector<TypePtr>& t2) {
  Substitutions trial = subs;
  if (!AssignableList(trial, t1, t2, 0)) return false;
  subs = std::move(trial);
  return true;
}

namespace {

TypePtr SubstituteAt(const Substitutions& subs, const TypePtr& t, bool free_to_dyn, int depth) {
  if (depth > kMaxDepth) return DynType();
  if (const TypePtr* bound = Find(subs, t)) return SubstituteAt(subs, *bound, free_to_dyn, depth + 1);
  if (t->kind == K::kTypeParam) return free_to_dyn ? DynType() : t;
  if (t->params.empty() || t->kind == K::kWrapper) return t;
  auto copy = std::make_shared<Type>(*t);
  for (TypePtr& p : copy->params) p = SubstituteAt(subs, p, free_to_dyn, depth + 1);
  return copy;
}

}  // namespace

TypePtr Substitute(const Substitutions& subs, const TypePtr& t, bool free_to_dyn) {
  return SubstituteAt(subs, t, free_to_dyn, 0);
}

TypePtr MostGeneral(const TypePtr& a, const TypePtr& b) {
  // null joined with a nullable type keeps the nullable type ([optional.of(1), null]).
  if (b->kind == K::kNull && a->kind != K::kNull) return a;
  if (a->kind == K::kNull && b->kind != K::kNull && !IsDynLike(a)) return b;
  return EqualOrLessSpecific(a, b, 0) ? a : b;
}

}  // namespace haru::cel
