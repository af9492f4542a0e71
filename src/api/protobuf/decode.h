#pragma once
// Decodes a Kubernetes protobuf request body (Content-Type application/vnd.kubernetes.protobuf)
// into the same JSON document a JSON body would have produced, driven by the declared schemas
// and their protobuf field numbers (Field::proto_tag). client-go sends protobuf for built-in
// types and does not fall back to JSON on a 415, so haru has to read it.
//
// The body is the envelope `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw, ...};
// `raw` is the object's message, decoded by the schema whose gvks name (apiVersion, kind).
//
// Like Go's JSON encoding of the decoded struct (omitempty), empty strings, zero numbers and
// the zero time are left out; booleans are kept, since *bool fields (e.g.
// automountServiceAccountToken: false) mean something when false. Unknown field numbers are
// skipped. Malformed input is a BadRequest Status.

#include <string_view>

#include "api/schema/schema.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::api {

inline constexpr std::string_view kProtobufMagic{"k8s\0", 4};

StatusOr<Json> DecodeKubernetesProtobuf(std::string_view body, const SchemaRegistry& schemas);

}  // namespace haru::api
