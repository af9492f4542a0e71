#include "cel/checker/schema_types.h"

#include <array>

namespace haru::cel {
namespace {

using K = Type::Kind;

constexpr std::array<std::string_view, 21> kReservedWords = {
    "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function",
    "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
};

bool IsReserved(std::string_view name) {
  for (std::string_view w : kReservedWords) {
    if (w == name) return true;
  }
  return false;
}

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The schema's type keyword; OpenAPI 3.1 style lists take their first non-null entry.
std::string SchemaType(const Json& s) {
  auto it = s.find("type");
  if (it == s.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    for (const Json& t : *it) {
      if (t.is_string() && t.get<std::string>() != "null") return t.get<std::string>();
    }
  }
  return "";
}

bool Flag(const Json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_boolean() && it->get<bool>();
}

std::string StringField(const Json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json* ObjectField(const Json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_object() ? &*it : nullptr;
}

bool HasStringProperty(const Json& props, const char* name) {
  const Json* p = ObjectField(props, name);
  return p && SchemaType(*p) == "string";
}

// Upstream's WithTypeAndObjectMeta: a resource root always exposes apiVersion, kind and
// metadata.{name, generateName}; when any is missing all three are set to that minimum.
Json WithTypeAndObjectMeta(const Json& s) {
  const Json* props = ObjectField(s, "properties");
  if (props && HasStringProperty(*props, "kind") && HasStringProperty(*props, "apiVersion")) {
    const Json* meta = ObjectField(*props, "metadata");
    const Json* meta_props = meta ? ObjectField(*meta, "properties") : nullptr;
    if (meta && SchemaType(*meta) == "object" && meta_props && HasStringProperty(*meta_props, "name") &&
        HasStringProperty(*meta_props, "generateName")) {
      return s;
    }
  }
  Json out = s;
  Json string_schema = {{"type", "string"}};
  Json& out_props = out["properties"];
  if (!out_props.is_object()) out_props = Json::object();
  out_props["kind"] = string_schema;
  out_props["apiVersion"] = string_schema;
  out_props["metadata"] = {{"type", "object"},
                           {"properties", {{"name", string_schema}, {"generateName", string_schema}}}};
  return out;
}

class Converter {
 public:
  explicit Converter(SchemaSizes* sizes) : sizes_(sizes) {}

  // Null when the schema has no CEL type.
  TypePtr Convert(const Json& schema, const std::string& path, bool resource_root, int depth) {
    if (!schema.is_object() || depth > kMaxJsonDepth) return nullptr;
    if (Flag(schema, "x-kubernetes-int-or-string") || StringField(schema, "format") == "int-or-string") {
      RecordLimit(schema, "maxLength", path);
      return DynType();
    }
    // No type but alternatives (native Quantity in OpenAPI v3: oneOf string | number): any of
    // them may come, so dyn, rather than dropping the field.
    if (!schema.contains("type") && schema.contains("oneOf")) return DynType();
    if (resource_root) {
      Json with_meta = WithTypeAndObjectMeta(schema);
      return ConvertTyped(with_meta, path, depth);
    }
    return ConvertTyped(schema, path, depth);
  }

 private:
  TypePtr ConvertTyped(const Json& schema, const std::string& path, int depth) {
    std::string type = SchemaType(schema);
    const Json* props = ObjectField(schema, "properties");
    const Json* additional = ObjectField(schema, "additionalProperties");
    if (Flag(schema, "x-kubernetes-preserve-unknown-fields") && (type.empty() || type == "object") &&
        !props && !additional) {
      return DynType();
    }
    if (type == "array") {
      const Json* items = ObjectField(schema, "items");
      if (!items) return nullptr;
      TypePtr elem = Convert(*items, path + ".@idx", Flag(*items, "x-kubernetes-embedded-resource"), depth + 1);
      if (!elem) return nullptr;
      RecordLimit(schema, "maxItems", path);
      return ListType(std::move(elem));
    }
    if (type == "object") {
      if (additional) {
        TypePtr value = Convert(*additional, path + ".@elem",
                                Flag(*additional, "x-kubernetes-embedded-resource"), depth + 1);
        if (!value) return nullptr;
        RecordLimit(schema, "maxProperties", path);
        return MapType(Primitive(K::kString), std::move(value));
      }
      std::map<std::string, TypePtr> fields;
      if (props) {
        for (const auto& [name, prop] : props->items()) {
          std::string field;
          if (!EscapeFieldName(name, &field)) continue;
          TypePtr t = Convert(prop, path + "." + field, prop.is_object() && Flag(prop, "x-kubernetes-embedded-resource"),
                              depth + 1);
          if (!t) continue;
          // Upstream's provider also resolves a reserved word by its plain spelling.
          if (IsReserved(name)) fields[name] = t;
          fields[field] = std::move(t);
        }
      }
      return ObjectType(path, std::move(fields));
    }
    if (type == "string") {
      std::string format = StringField(schema, "format");
      if (format == "byte") {
        RecordLimit(schema, "maxLength", path);
        return Primitive(K::kBytes);
      }
      if (format == "duration") return Primitive(K::kDuration);
      if (format == "date" || format == "date-time") return Primitive(K::kTimestamp);
      RecordLimit(schema, "maxLength", path);
      return Primitive(K::kString);
    }
    if (type == "boolean") return Primitive(K::kBool);
    if (type == "number") return Primitive(K::kDouble);
    if (type == "integer") return Primitive(K::kInt);
    return nullptr;
  }

  void RecordLimit(const Json& schema, const char* key, const std::string& path) {
    if (!sizes_) return;
    auto it = schema.find(key);
    if (it == schema.end() || !it->is_number_integer()) return;
    int64_t v = it->get<int64_t>();
    sizes_->max_elements[path] = v < 0 ? 0 : v;
  }

  SchemaSizes* sizes_;
};

}  // namespace

bool EscapeFieldName(std::string_view name, std::string* out) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  if (IsReserved(name)) {
    *out = "__" + std::string(name) + "__";
    return true;
  }
  std::string s;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' && i + 1 < name.size() && name[i + 1] == '_') {
      s += "__underscores__";
      ++i;
    } else if (c == '.') {
      s += "__dot__";
    } else if (c == '-') {
      s += "__dash__";
    } else if (c == '/') {
      s += "__slash__";
    } else if (IsIdentChar(c)) {
      s += c;
    } else {
      return false;
    }
  }
  *out = std::move(s);
  return true;
}

TypePtr TypeFromSchema(const Json& schema, std::string_view type_name, const SchemaTypeOptions& options) {
  Converter c(options.sizes);
  TypePtr t = c.Convert(schema, std::string(type_name), options.resource_root, 0);
  return t ? t : DynType();
}

}  // namespace haru::cel
