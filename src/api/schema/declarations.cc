#include "api/schema/declarations.h"

#include <cctype>
#include <map>
#include <memory>
#include <utility>

namespace haru::api {
namespace {

struct Token {
  std::string text;
  int col = 0;          // 1-based
  bool quoted = false;  // a "description"
};

struct Place {
  const DeclarationSource* source = nullptr;
  int line = 0;
  int col = 0;
};

Status ErrorAt(const Place& p, const std::string& what) {
  return Status::Internal(p.source->name + ":" + std::to_string(p.line) + ":" +
                          std::to_string(p.col) + ": " + what);
}

// Splits one line into tokens; a `#` outside quotes ends the line.
Status Tokenize(std::string_view line, Place place, std::vector<Token>* out) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') break;
    Token t;
    t.col = static_cast<int>(i) + 1;
    if (c == '"') {
      t.quoted = true;
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char d = line[i++];
        if (d == '\\' && i < line.size()) {
          t.text.push_back(line[i++]);
        } else if (d == '"') {
          closed = true;
          break;
        } else {
          t.text.push_back(d);
        }
      }
      if (!closed) {
        place.col = t.col;
        return ErrorAt(place, "unterminated description (missing closing quote)");
      }
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
             line[i] != '"') {
        t.text.push_back(line[i++]);
      }
    }
    out->push_back(std::move(t));
  }
  return Status::OK();
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '$')) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

// A protobuf field number: 1 .. 2^29-1.
bool ParseTag(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int tag = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    tag = tag * 10 + (c - '0');
  }
  if (tag <= 0 || tag >= (1 << 29)) return false;
  *out = tag;
  return true;
}

struct PendingField {
  Schema* owner = nullptr;
  size_t index = 0;
  std::string type_expr;
  Place type_place;
  std::string package;
  const std::map<std::string, std::string>* uses = nullptr;
  std::vector<std::string> enum_values;
  std::string format;
};

class Parser {
 public:
  explicit Parser(SchemaRegistry* registry) : registry_(registry) {}

  Status Run(const std::vector<DeclarationSource>& sources) {
    AddBuiltins();
    // Keep the `use` tables alive for the resolution pass.
    uses_.reserve(sources.size());
    for (const DeclarationSource& source : sources) {
      uses_.push_back(std::make_unique<std::map<std::string, std::string>>());
      HARU_RETURN_IF_ERROR(ParseSource(source, uses_.back().get()));
    }
    for (PendingField& p : pending_) {
      HARU_ASSIGN_OR_RETURN(const Schema* s, Resolve(p.type_expr, p, p.type_place));
      p.owner->properties[p.index].schema = s;
    }
    for (Schema* s : declared_) FillDefaults(s);
    return Status::OK();
  }

 private:
  void AddBuiltins() {
    auto scalar = [&](std::string_view keyword, SchemaType type, std::string format) {
      auto s = std::make_unique<Schema>();
      s->type = type;
      s->format = std::move(format);
      primitives_[std::string(keyword)] = registry_->Add(std::move(s));
    };
    scalar("string", SchemaType::kString, "");
    scalar("int32", SchemaType::kInteger, "int32");
    scalar("int64", SchemaType::kInteger, "int64");
    scalar("bool", SchemaType::kBoolean, "");
    scalar("double", SchemaType::kNumber, "double");
    scalar("bytes", SchemaType::kString, "byte");
    auto named = [&](std::string_view keyword, std::string_view name, SchemaType type,
                     std::string format, std::string description) {
      const Schema* existing = registry_->Find(name);
      if (existing == nullptr) {
        auto s = std::make_unique<Schema>();
        s->name = std::string(name);
        s->type = type;
        s->format = std::move(format);
        s->description = std::move(description);
        existing = registry_->Add(std::move(s));
      }
      primitives_[std::string(keyword)] = existing;
    };
    named("quantity", kQuantityName, SchemaType::kQuantity, "",
          "A fixed-point decimal amount with an optional unit suffix, such as 500m, 2, 1.5Gi or "
          "1e3. Accepted as a string or a number; written as a string in canonical form.");
    named("intorstring", kIntOrStringName, SchemaType::kIntOrString, "int-or-string",
          "A value that is either an integer or a string, such as a port number or a port name, "
          "or a count or a percentage.");
    named("time", kTimeName, SchemaType::kTime, "date-time",
          "A point in time in RFC 3339 form with second precision, e.g. 2026-01-02T15:04:05Z.");
    named("microtime", kMicroTimeName, SchemaType::kTime, "date-time",
          "A point in time in RFC 3339 form with microsecond precision, e.g. "
          "2026-01-02T15:04:05.000001Z.");
    named("any", kRawExtensionName, SchemaType::kAny, "",
          "An embedded JSON value of any shape, kept as given.");
  }

  Status ParseSource(const DeclarationSource& source, std::map<std::string, std::string>* uses) {
    std::string package;
    Schema* current = nullptr;
    Field* last_field = nullptr;
    int line_no = 0;
    size_t pos = 0;
    std::string_view text = source.text;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      Place place{&source, line_no, 1};
      std::vector<Token> tokens;
      HARU_RETURN_IF_ERROR(Tokenize(line, place, &tokens));
      if (tokens.empty()) {
        if (end == text.size()) break;
        continue;
      }
      auto at = [&](const Token& t) { return Place{&source, line_no, t.col}; };
      bool indented = tokens[0].col > 1;
      if (!indented) {
        const Token& kw = tokens[0];
        if (kw.quoted) return ErrorAt(at(kw), "a description must follow a type or field");
        if (kw.text == "package") {
          if (tokens.size() != 2 || tokens[1].quoted || !IsIdentifier(tokens[1].text)) {
            return ErrorAt(at(kw), "expected: package <definition-name prefix>");
          }
          package = tokens[1].text;
          current = nullptr;
          last_field = nullptr;
        } else if (kw.text == "use") {
          if (tokens.size() != 3 || tokens[1].quoted || tokens[2].quoted) {
            return ErrorAt(at(kw), "expected: use <alias> <definition-name prefix>");
          }
          (*uses)[tokens[1].text] = tokens[2].text;
        } else if (kw.text == "type") {
          if (package.empty()) return ErrorAt(at(kw), "type before any package line");
          if (tokens.size() < 2 || tokens[1].quoted || !IsIdentifier(tokens[1].text) ||
              tokens[1].text.find('.') != std::string::npos) {
            return ErrorAt(at(tokens.size() < 2 ? kw : tokens[1]), "expected a type name after 'type'");
          }
          std::string full = package + "." + tokens[1].text;
          if (registry_->Find(full) != nullptr) {
            return ErrorAt(at(tokens[1]), "type \"" + full + "\" is declared twice");
          }
          auto s = std::make_unique<Schema>();
          s->name = full;
          s->type = SchemaType::kObject;
          for (size_t i = 2; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.quoted) {
              if (i + 1 != tokens.size()) return ErrorAt(at(tokens[i + 1]), "nothing may follow the description");
              s->description = t.text;
            } else if (t.text.rfind("gvk=", 0) == 0) {
              std::vector<std::string> parts = Split(std::string_view(t.text).substr(4), '/');
              if (parts.size() == 2) parts.insert(parts.begin(), "");
              if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
                return ErrorAt(at(t), "gvk must be <group>/<version>/<Kind> or <version>/<Kind>");
              }
              s->gvks.push_back({parts[0], parts[1], parts[2]});
            } else {
              return ErrorAt(at(t), "unknown type flag \"" + t.text + "\"");
            }
          }
          current = registry_->Add(std::move(s));
          declared_.push_back(current);
          last_field = nullptr;
        } else {
          return ErrorAt(at(kw), "expected 'package', 'use' or 'type', found \"" + kw.text + "\"");
        }
        continue;
      }
      // Indented: a field, or a description continuation.
      if (current == nullptr) return ErrorAt(at(tokens[0]), "field outside a type");
      if (tokens[0].quoted) {
        std::string& target = last_field ? last_field->description : current->description;
        for (const Token& t : tokens) {
          if (!t.quoted) return ErrorAt(at(t), "expected only a description on this line");
          if (!target.empty()) target.push_back(' ');
          target += t.text;
        }
        continue;
      }
      const Token& name = tokens[0];
      if (!IsIdentifier(name.text)) return ErrorAt(at(name), "bad field name \"" + name.text + "\"");
      if (current->FindField(name.text) != nullptr) {
        return ErrorAt(at(name), "field \"" + name.text + "\" is declared twice");
      }
      if (tokens.size() < 2 || tokens[1].quoted) {
        return ErrorAt(Place{&source, line_no, static_cast<int>(name.col + name.text.size())},
                       "expected a type after field \"" + name.text + "\"");
      }
      Field f;
      f.name = name.text;
      PendingField pending;
      pending.owner = current;
      pending.index = current->properties.size();
      pending.type_expr = tokens[1].text;
      pending.type_place = at(tokens[1]);
      pending.package = package;
      pending.uses = uses;
      for (size_t i = 2; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.quoted) {
          if (i + 1 != tokens.size()) return ErrorAt(at(tokens[i + 1]), "nothing may follow the description");
          f.description = t.text;
          continue;
        }
        size_t eq = t.text.find('=');
        std::string key = t.text.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : t.text.substr(eq + 1);
        if (key == "required" && eq == std::string::npos) {
          f.required = true;
        } else if (eq == std::string::npos || value.empty()) {
          return ErrorAt(at(t), "unknown or incomplete flag \"" + t.text + "\"");
        } else if (key == "merge") {
          f.patch_merge_key = value;
        } else if (key == "strategy") {
          if (value != "merge" && value != "retainKeys" && value != "merge,retainKeys" && value != "replace") {
            return ErrorAt(at(t), "strategy must be merge, retainKeys, merge,retainKeys or replace");
          }
          f.patch_strategy = value;
        } else if (key == "listType") {
          if (value != "atomic" && value != "set" && value != "map") {
            return ErrorAt(at(t), "listType must be atomic, set or map");
          }
          f.list_type = value;
        } else if (key == "keys") {
          f.list_map_keys = Split(value, ',');
        } else if (key == "enum") {
          pending.enum_values = Split(value, '|');
        } else if (key == "format") {
          pending.format = value;
        } else if (key == "proto") {
          std::vector<std::string> parts = Split(value, '.');
          int tags[2] = {0, 0};
          bool ok = parts.size() <= 2;
          for (size_t j = 0; ok && j < parts.size(); ++j) ok = ParseTag(parts[j], &tags[j]);
          if (!ok) return ErrorAt(at(t), "proto must be <N> or <outer>.<inner>, positive field numbers");
          f.proto_tag = tags[0];
          f.proto_inner_tag = tags[1];
        } else {
          return ErrorAt(at(t), "unknown flag \"" + key + "\"");
        }
      }
      if (f.list_type == "map" && f.list_map_keys.empty()) {
        return ErrorAt(at(name), "listType=map needs keys=<a,b>");
      }
      current->properties.push_back(std::move(f));
      last_field = &current->properties.back();
      pending_.push_back(std::move(pending));
    }
    return Status::OK();
  }

  StatusOr<const Schema*> Resolve(std::string_view expr, const PendingField& p, const Place& place) {
    if (expr.rfind("[]", 0) == 0) {
      HARU_ASSIGN_OR_RETURN(const Schema* item, Resolve(expr.substr(2), p, place));
      return Wrap(SchemaType::kArray, item);
    }
    if (expr.rfind("map[", 0) == 0) {
      if (expr.rfind("map[string]", 0) != 0) return ErrorAt(place, "map keys must be string");
      HARU_ASSIGN_OR_RETURN(const Schema* value, Resolve(expr.substr(11), p, place));
      return Wrap(SchemaType::kMap, value);
    }
    const Schema* base = nullptr;
    auto prim = primitives_.find(std::string(expr));
    if (prim != primitives_.end()) {
      base = prim->second;
    } else {
      std::string full;
      size_t dot = expr.find('.');
      if (dot == std::string_view::npos) {
        full = p.package + "." + std::string(expr);
      } else {
        auto alias = p.uses->find(std::string(expr.substr(0, dot)));
        full = alias != p.uses->end() ? alias->second + std::string(expr.substr(dot)) : std::string(expr);
      }
      base = registry_->Find(full);
      if (base == nullptr) return ErrorAt(place, "unknown type \"" + std::string(expr) + "\"");
    }
    if (p.enum_values.empty() && p.format.empty()) return base;
    if (!base->name.empty() || base->type == SchemaType::kObject) {
      return ErrorAt(place, "enum and format apply only to string, integer and number fields");
    }
    auto s = std::make_unique<Schema>(*base);
    if (!p.enum_values.empty()) s->enum_values = p.enum_values;
    if (!p.format.empty()) s->format = p.format;
    return static_cast<const Schema*>(registry_->Add(std::move(s)));
  }

  const Schema* Wrap(SchemaType type, const Schema* inner) {
    auto& cache = type == SchemaType::kArray ? arrays_ : maps_;
    auto it = cache.find(inner);
    if (it != cache.end()) return it->second;
    auto s = std::make_unique<Schema>();
    s->type = type;
    if (type == SchemaType::kArray) {
      s->items = inner;
    } else {
      s->additional_properties = inner;
    }
    const Schema* raw = registry_->Add(std::move(s));
    cache[inner] = raw;
    return raw;
  }

  // apiVersion and kind carry the same description everywhere; declarations leave it out.
  static void FillDefaults(Schema* s) {
    for (Field& f : s->properties) {
      if (!f.description.empty()) continue;
      if (f.name == "apiVersion") {
        f.description =
            "The versioned schema of this object: group/version, or just the version for the "
            "core group. Servers convert versions they know and may reject others.";
      } else if (f.name == "kind") {
        f.description =
            "The type of this object in CamelCase, e.g. Pod. Servers may infer it from the "
            "endpoint the request was sent to. Cannot be updated.";
      }
    }
  }

  SchemaRegistry* registry_;
  std::map<std::string, const Schema*> primitives_;
  std::map<const Schema*, const Schema*> arrays_;
  std::map<const Schema*, const Schema*> maps_;
  std::vector<std::unique_ptr<std::map<std::string, std::string>>> uses_;
  std::vector<PendingField> pending_;
  std::vector<Schema*> declared_;
};

}  // namespace

Status ParseDeclarations(const std::vector<DeclarationSource>& sources, SchemaRegistry* registry) {
  Parser parser(registry);
  return parser.Run(sources);
}

}  // namespace haru::api
