#pragma once
// JSON documents as CEL values, the way callers hand inputs to a program: objects become
// maps with string keys (insertion order kept), arrays lists, integers int (uint when they
// exceed int64), other numbers double.

#include "cel/common/value.h"
#include "common/json.h"

namespace haru::cel {

Value ValueFromJson(const Json& json);

}  // namespace haru::cel
