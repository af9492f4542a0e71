#include "cel/checker/environments.h"

#include <string_view>
#include <utility>
#include <vector>

#include "cel/library/k8s.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

TypePtr String() { return Primitive(K::kString); }
TypePtr StringList() { return ListType(String()); }
TypePtr StringMap(TypePtr value) { return MapType(String(), std::move(value)); }

}  // namespace

TypePtr DraDeviceType(bool consumable_capacity) {
  // Attribute values are int, bool, string or a semver (lists too with
  // DRAListTypeAttributes); upstream gives them its `any` type.
  std::map<std::string, TypePtr> fields = {
      {"driver", String()},
      {"attributes", StringMap(StringMap(AnyType()))},
      {"capacity", StringMap(StringMap(OpaqueType(kQuantityType)))},
  };
  if (consumable_capacity) fields["allowMultipleAllocations"] = Primitive(K::kBool);
  return ObjectType(kDraDeviceTypeName, std::move(fields));
}

TypeEnv DraSelectorEnvironment(bool consumable_capacity) {
  TypeEnv env;
  env.variables["device"] = DraDeviceType(consumable_capacity);
  env.require_bool = true;
  return env;
}

TypePtr AdmissionRequestType() {
  TypePtr gvk = ObjectType("kubernetes.GroupVersionKind",
                           {{"group", String()}, {"version", String()}, {"kind", String()}});
  TypePtr gvr = ObjectType("kubernetes.GroupVersionResource",
                           {{"group", String()}, {"version", String()}, {"resource", String()}});
  TypePtr user = ObjectType("kubernetes.UserInfo", {
                                                       {"username", String()},
                                                       {"uid", String()},
                                                       {"groups", StringList()},
                                                       {"extra", StringMap(StringList())},
                                                   });
  return ObjectType(kAdmissionRequestTypeName, {
                                                   {"kind", gvk},
                                                   {"resource", gvr},
                                                   {"subResource", String()},
                                                   {"requestKind", gvk},
                                                   {"requestResource", gvr},
                                                   {"requestSubResource", String()},
                                                   {"name", String()},
                                                   {"namespace", String()},
                                                   {"operation", String()},
                                                   {"userInfo", user},
                                                   {"dryRun", Primitive(K::kBool)},
                                                   {"options", DynType()},
                                               });
}

TypePtr NamespaceObjectType() {
  TypePtr timestamp = Primitive(K::kTimestamp);
  TypePtr spec = ObjectType("kubernetes.NamespaceSpec", {{"finalizers", StringList()}});
  TypePtr condition = ObjectType("kubernetes.NamespaceCondition", {
                                                                      {"status", String()},
                                                                      {"type", String()},
                                                                      {"lastTransitionTime", timestamp},
                                                                      {"message", String()},
                                                                      {"reason", String()},
                                                                  });
  TypePtr status = ObjectType("kubernetes.NamespaceStatus",
                              {{"conditions", ListType(condition)}, {"phase", String()}});
  // "UID" is upstream's spelling (not ObjectMeta's "uid").
  TypePtr metadata = ObjectType("kubernetes.NamespaceMetadata", {
                                                                    {"name", String()},
                                                                    {"generateName", String()},
                                                                    {"namespace", String()},
                                                                    {"labels", StringMap(String())},
                                                                    {"annotations", StringMap(String())},
                                                                    {"UID", String()},
                                                                    {"creationTimestamp", timestamp},
                                                                    {"deletionGracePeriodSeconds", Primitive(K::kInt)},
                                                                    {"deletionTimestamp", timestamp},
                                                                    {"generation", Primitive(K::kInt)},
                                                                    {"resourceVersion", String()},
                                                                    {"finalizers", StringList()},
                                                                });
  return ObjectType(kNamespaceTypeName, {{"metadata", metadata}, {"spec", spec}, {"status", status}});
}

TypeEnv AdmissionEnvironment(TypePtr object_type, TypePtr params_type,
                             std::map<std::string, TypePtr> variables) {
  if (!object_type) object_type = DynType();
  if (!params_type) params_type = DynType();
  for (auto& [name, type] : variables) {
    if (!type) type = DynType();
  }
  TypeEnv env;
  env.variables["object"] = object_type;
  env.variables["oldObject"] = object_type;
  env.variables["params"] = params_type;
  env.variables["request"] = AdmissionRequestType();
  env.variables["namespaceObject"] = NamespaceObjectType();
  env.variables["authorizer"] = OpaqueType(kAuthorizerTypeName);
  env.variables["authorizer.requestResource"] = OpaqueType(kResourceCheckTypeName);
  env.variables["variables"] = ObjectType(kVariablesTypeName, std::move(variables));
  env.require_bool = false;
  return env;
}

bool LookupEnvironment(std::string_view name, TypeEnv* env) {
  if (name == "dra") {
    *env = DraSelectorEnvironment();
    return true;
  }
  if (name == "admission") {
    *env = AdmissionEnvironment(nullptr, nullptr);
    env->variables["variables"] = StringMap(DynType());
    return true;
  }
  return false;
}

std::vector<std::string> EnvironmentVariables(std::string_view name) {
  TypeEnv env;
  std::vector<std::string> out;
  if (!LookupEnvironment(name, &env)) return out;
  for (const auto& [n, t] : env.variables) out.push_back(n);
  return out;
}

}  // namespace haru::cel
