#include "cel/common/json_value.h"

#include <string>
#include <vector>

#include "cel/common/containers.h"

namespace haru::cel {

Value ValueFromJson(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return Value::Null();
    case Json::value_t::boolean: return Value::Bool(j.get<bool>());
    case Json::value_t::number_integer: return Value::Int(j.get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value::Uint(u);
      return Value::Int(static_cast<int64_t>(u));
    }
    case Json::value_t::number_float: return Value::Double(j.get<double>());
    case Json::value_t::string: return Value::String(j.get_ref<const std::string&>());
    case Json::value_t::array: {
      std::vector<Value> items;
      items.reserve(j.size());
      for (const Json& e : j) items.push_back(ValueFromJson(e));
      return Value::List(new ValueList(std::move(items)));
    }
    case Json::value_t::object: {
      auto* m = new ValueMap();
      Value out = Value::Map(m);
      for (const auto& [k, v] : j.items()) m->Insert(Value::String(k), ValueFromJson(v));
      return out;
    }
    default:
      return Value::Error("unsupported JSON value");
  }
}

}  // namespace haru::cel
