#pragma once
// The compact text format in which haru declares its types (src/api/types/*.cc), and its
// parser. One declaration source looks like:
//
//   package io.k8s.api.core.v1                    # definition-name prefix of the types below
//   use meta io.k8s.apimachinery.pkg.apis.meta.v1 # "meta.ObjectMeta" names a type there
//
//   type Pod gvk=v1/Pod "A group of containers."  # gvk=<group>/<version>/<Kind>; core: v1/Pod
//     metadata meta.ObjectMeta
//     spec     PodSpec "What should run."
//     hostUsers bool
//         "A description may also sit on the next line(s), in quotes."
//     containers []Container required merge=name strategy=merge listType=map keys=name
//     restartPolicy string enum=Always|OnFailure|Never
//
// Field lines are indented: `<jsonName> <type> [flags] ["description"]`.
// Types: string int32 int64 bool double bytes quantity intorstring time microtime any,
//   []T, map[string]T, a type of this package (Name), of a `use`d one (alias.Name), or a full
//   definition name (io.k8s....Name).
// Flags: required, merge=<key> (patch merge key), strategy=<merge|retainKeys|merge,retainKeys>,
//   listType=<atomic|set|map>, keys=<a,b> (list map keys), enum=<A|B>, format=<f>,
//   proto=<N> (the field number in upstream's generated.proto, for protobuf request bodies;
//   proto=<outer>.<inner> for a field of a Go-embedded struct, which protobuf nests).
// `#` starts a comment outside quotes. Errors name the place: "core_v1:12:5: unknown type ...".

#include <string>
#include <string_view>
#include <vector>

#include "api/schema/schema.h"
#include "common/status.h"

namespace haru::api {

struct DeclarationSource {
  std::string name;       // shown in errors, e.g. "core_v1"
  std::string_view text;
};

// Well-known definition names of the built-in scalar types.
inline constexpr std::string_view kQuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";
inline constexpr std::string_view kIntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
inline constexpr std::string_view kTimeName = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
inline constexpr std::string_view kMicroTimeName = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
inline constexpr std::string_view kRawExtensionName = "io.k8s.apimachinery.pkg.runtime.RawExtension";

// Parses every source into `registry` (all sources together, so types may refer to each other
// across sources in any order). On error the registry may hold a partial result.
Status ParseDeclarations(const std::vector<DeclarationSource>& sources, SchemaRegistry* registry);

}  // namespace haru::api
