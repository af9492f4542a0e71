#include "api/schema/decode_check.h"

#include <cmath>
#include <cstdint>
#include <optional>

namespace haru::api {
namespace {

void WalkUnknown(const Json& value, const Schema& schema, const std::string& path, bool top,
                 std::vector<std::string>* out) {
  if (value.is_null()) return;
  switch (schema.type) {
    case SchemaType::kObject: {
      if (!value.is_object()) return;  // CheckTypes reports this
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string& key = it.key();
        std::string child = path.empty() ? key : path + "." + key;
        const Field* f = schema.FindField(key);
        if (f == nullptr) {
          if (top && (key == "apiVersion" || key == "kind")) continue;
          out->push_back(std::move(child));
        } else if (f->schema != nullptr) {
          WalkUnknown(it.value(), *f->schema, child, false, out);
        }
      }
      return;
    }
    case SchemaType::kArray:
      if (!value.is_array() || schema.items == nullptr) return;
      for (size_t i = 0; i < value.size(); ++i) {
        WalkUnknown(value[i], *schema.items, path + "[" + std::to_string(i) + "]", false, out);
      }
      return;
    case SchemaType::kMap:
      if (!value.is_object() || schema.additional_properties == nullptr) return;
      for (auto it = value.begin(); it != value.end(); ++it) {
        WalkUnknown(it.value(), *schema.additional_properties, path + "." + it.key(), false, out);
      }
      return;
    default:
      return;
  }
}

// The Go type name upstream's decoder would print for a value of this schema.
std::string GoTypeName(const Schema& s) {
  if (!s.name.empty()) {
    std::string_view n = s.name;
    size_t last = n.rfind('.');
    size_t prev = last == std::string_view::npos || last == 0 ? std::string_view::npos : n.rfind('.', last - 1);
    std::string_view pkg = prev == std::string_view::npos ? "" : n.substr(prev + 1, last - prev - 1);
    return std::string(pkg) + "." + std::string(n.substr(last + 1));
  }
  switch (s.type) {
    case SchemaType::kArray:
      return "[]" + (s.items ? GoTypeName(*s.items) : std::string("interface {}"));
    case SchemaType::kMap:
      return "map[string]" + (s.additional_properties ? GoTypeName(*s.additional_properties) : std::string("interface {}"));
    case SchemaType::kString:
      return s.format == "byte" ? "[]uint8" : "string";
    case SchemaType::kInteger:
      return s.format == "int32" ? "int32" : "int64";
    case SchemaType::kNumber:
      return "float64";
    case SchemaType::kBoolean:
      return "bool";
    default:
      return "interface {}";
  }
}

// Go's name for the JSON value kind in UnmarshalTypeError ("string", "number 1.5", ...).
std::string JsonValueName(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "number";
}

std::string StructName(const std::string& definition) {
  size_t dot = definition.rfind('.');
  return dot == std::string::npos ? definition : definition.substr(dot + 1);
}

struct TypeError {
  std::string value;    // "string", "number 1.5"
  std::string go_type;  // "bool"
};

// Walks `value`; on mismatch fills *err and returns false. `path` is the dotted JSON field
// path (no indexes, as Go prints it) and `owner` the innermost struct's name.
bool WalkTypes(const Json& value, const Schema& schema, TypeError* err) {
  if (value.is_null()) return true;
  auto fail = [&](std::string value_name) {
    err->value = std::move(value_name);
    err->go_type = GoTypeName(schema);
    return false;
  };
  switch (schema.type) {
    case SchemaType::kObject:
    case SchemaType::kMap:
      if (!value.is_object()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kArray:
      if (!value.is_array()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kString:
      if (schema.format == "byte") {
        if (!value.is_string()) return fail(JsonValueName(value));
        return true;
      }
      if (!value.is_string()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kTime:
      if (!value.is_string()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kBoolean:
      if (!value.is_boolean()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kNumber:
      if (!value.is_number()) return fail(JsonValueName(value));
      return true;
    case SchemaType::kInteger: {
      if (!value.is_number()) return fail(JsonValueName(value));
      bool is32 = schema.format == "int32";
      if (value.is_number_float()) {
        double d = value.get<double>();
        std::string text = Json(d).dump();
        if (d != std::floor(d) || !std::isfinite(d)) return fail("number " + text);
        if (is32 && (d < INT32_MIN || d > INT32_MAX)) return fail("number " + text);
        if (!is32 && (d < -9.2233720368547758e18 || d >= 9.2233720368547758e18)) return fail("number " + text);
        return true;
      }
      if (value.is_number_unsigned()) {
        uint64_t u = value.get<uint64_t>();
        if ((is32 && u > static_cast<uint64_t>(INT32_MAX)) || u > static_cast<uint64_t>(INT64_MAX)) {
          return fail("number " + std::to_string(u));
        }
        return true;
      }
      int64_t i = value.get<int64_t>();
      if (is32 && (i < INT32_MIN || i > INT32_MAX)) return fail("number " + std::to_string(i));
      return true;
    }
    case SchemaType::kIntOrString:
      if (value.is_string() || value.is_number_integer()) return true;
      if (value.is_number_float() && value.get<double>() == std::floor(value.get<double>())) return true;
      return fail(JsonValueName(value));
    case SchemaType::kQuantity:
      if (value.is_string() || value.is_number()) return true;
      return fail(JsonValueName(value));
    case SchemaType::kAny:
      return true;
  }
  return true;
}

struct Mismatch {
  std::string struct_name;
  std::string field_path;
  TypeError error;
};

std::optional<Mismatch> FindMismatch(const Json& value, const Schema& schema,
                                     const std::string& owner, const std::string& path) {
  if (value.is_null()) return std::nullopt;
  TypeError err;
  if (!WalkTypes(value, schema, &err)) return Mismatch{owner, path, std::move(err)};
  switch (schema.type) {
    case SchemaType::kObject: {
      std::string struct_name = schema.name.empty() ? owner : StructName(schema.name);
      for (auto it = value.begin(); it != value.end(); ++it) {
        const Field* f = schema.FindField(it.key());
        if (f == nullptr || f->schema == nullptr) continue;
        std::string child = path.empty() ? it.key() : path + "." + it.key();
        if (auto m = FindMismatch(it.value(), *f->schema, struct_name, child)) return m;
      }
      return std::nullopt;
    }
    case SchemaType::kArray:
      if (schema.items == nullptr) return std::nullopt;
      for (const Json& item : value) {
        if (auto m = FindMismatch(item, *schema.items, owner, path)) return m;
      }
      return std::nullopt;
    case SchemaType::kMap:
      if (schema.additional_properties == nullptr) return std::nullopt;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (auto m = FindMismatch(it.value(), *schema.additional_properties, owner, path)) return m;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> FindUnknownFields(const Json& obj, const Schema& schema) {
  std::vector<std::string> out;
  WalkUnknown(obj, schema, "", true, &out);
  return out;
}

std::string StrictDecodingErrorMessage(const std::vector<std::string>& unknown_fields) {
  std::string msg = "strict decoding error: ";
  for (size_t i = 0; i < unknown_fields.size(); ++i) {
    if (i > 0) msg += ", ";
    msg += "unknown field \"" + unknown_fields[i] + "\"";
  }
  return msg;
}

std::vector<std::string> UnknownFieldWarnings(const std::vector<std::string>& unknown_fields) {
  std::vector<std::string> out;
  out.reserve(unknown_fields.size());
  for (const std::string& f : unknown_fields) out.push_back("unknown field \"" + f + "\"");
  return out;
}

Status DecodeError(const GroupVersionKind& gvk, std::string_view detail) {
  return Status::BadRequest(gvk.kind + " in version \"" + gvk.version + "\" cannot be handled as a " +
                            gvk.kind + ": " + std::string(detail));
}

Status CheckTypes(const Json& obj, const Schema& schema, const GroupVersionKind& gvk) {
  if (!obj.is_object()) {
    return DecodeError(gvk, "json: cannot unmarshal " + JsonValueName(obj) +
                                " into Go value of type " + GoTypeName(schema));
  }
  std::optional<Mismatch> m = FindMismatch(obj, schema, StructName(schema.name), "");
  if (!m) return Status::OK();
  return DecodeError(gvk, "json: cannot unmarshal " + m->error.value + " into Go struct field " +
                              m->struct_name + "." + m->field_path + " of type " + m->error.go_type);
}

}  // namespace haru::api
