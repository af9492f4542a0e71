#pragma once
// System metadata the server owns (upstream's FillObjectMetaSystemFields and friends), and the
// byte encoding of stored objects.

#include <string>

#include "common/json.h"
#include "storage/store.h"

namespace haru::registry {

std::string NewUid();
// RFC 3339 UTC with seconds, as metav1.Time marshals: "2026-11-25T17:23:00Z".
std::string NowRfc3339();
std::string RfcTime(int64_t unix_seconds);
// Five characters from upstream's generateName alphabet (no vowels, no confusable digits).
std::string RandomNameSuffix();

// Encodes obj for storage with its resourceVersion left to the store: the returned ValueFn
// writes the revision into metadata.resourceVersion. Serializes once; splicing is a memcpy.
storage::ValueFn EncodeWithRevision(Json obj);

// The object bytes with metadata.resourceVersion removed (dry-run responses).
std::string EncodeWithoutRevision(Json obj);

}  // namespace haru::registry
