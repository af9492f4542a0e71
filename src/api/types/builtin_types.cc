#include "api/types/builtin_types.h"

#include <cstdio>
#include <cstdlib>

namespace haru::api {
namespace types {

std::vector<DeclarationSource> BuiltinDeclarationSources() {
  return {
      {"meta_v1", MetaV1Declarations()},
      {"core_v1", CoreV1Declarations()},
      {"events_v1", EventsV1Declarations()},
      {"coordination_v1", CoordinationV1Declarations()},
      {"batch_v1", BatchV1Declarations()},
      {"resource_v1", ResourceV1Declarations()},
      {"resource_v1beta2", ResourceV1beta2Declarations()},
  };
}

}  // namespace types

const SchemaRegistry& BuiltinSchemas() {
  static const SchemaRegistry* registry = [] {
    auto* r = new SchemaRegistry();
    Status s = ParseDeclarations(types::BuiltinDeclarationSources(), r);
    if (!s.ok()) {
      // The declarations are compiled in; a unit test parses them, so this is a build defect.
      std::fprintf(stderr, "haru: built-in type declarations are malformed: %s\n",
                   s.message().c_str());
      std::abort();
    }
    return r;
  }();
  return *registry;
}

}  // namespace haru::api
