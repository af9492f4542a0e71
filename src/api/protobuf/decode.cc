#include "api/protobuf/decode.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "api/protobuf/wire.h"
#include "api/schema/declarations.h"
#include "common/base64.h"

namespace haru::api {
namespace {

using protobuf::WireReader;
using protobuf::WireType;

// Deeper nesting than any real object; bounds the recursion on hostile input.
constexpr int kMaxDepth = 100;
// Go's zero time.Time, as protobuf seconds since the Unix epoch (0001-01-01T00:00:00Z).
constexpr int64_t kZeroTimeSeconds = -62135596800;

Status Malformed(const std::string& what) {
  return Status::BadRequest("error decoding protobuf body: " + what);
}

Status WrongWireType(std::string_view field, int wire_type) {
  return Malformed("field \"" + std::string(field) + "\" has the wrong wire type " +
                   std::to_string(wire_type));
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): gmtime would depend on
// the platform's time_t range and locale-free formatting is all that is needed here.
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

StatusOr<std::string> FormatTime(int64_t seconds, int64_t nanos, bool micro) {
  // Years 0001..9999, the range RFC 3339 can write.
  if (seconds < kZeroTimeSeconds || seconds > 253402300799 || nanos < 0 || nanos > 999999999) {
    return Malformed("time out of range");
  }
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t rem = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                        static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  std::string out(buf, n);
  if (micro) {
    n = std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(nanos / 1000));
    out.append(buf, n);
  }
  out.push_back('Z');
  return out;
}

// Scalars that repeated fields may carry packed (one length-delimited run of values).
bool IsPackable(const Schema& s) {
  return s.type == SchemaType::kInteger || s.type == SchemaType::kNumber ||
         s.type == SchemaType::kBoolean;
}

// Whether Go's omitempty would leave the decoded value out of the JSON.
bool IsEmptyScalar(const Json& v) {
  if (v.is_null()) return true;
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  if (v.is_number_integer()) return v.get<int64_t>() == 0;
  if (v.is_number_float()) return v.get<double>() == 0.0;
  return false;
}

class Decoder {
 public:
  explicit Decoder(const SchemaRegistry& schemas) : schemas_(schemas) {}

  StatusOr<Json> DecodeEnvelope(std::string_view body, int depth) {
    if (depth > kMaxDepth) return Malformed("nesting too deep");
    if (body.size() < kProtobufMagic.size() || body.substr(0, 4) != kProtobufMagic) {
      return Malformed("missing the k8s\\0 prefix");
    }
    WireReader r(body.substr(4));
    std::string api_version, kind, content_encoding;
    std::string_view raw;
    while (!r.done()) {
      int field, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&field, &wt));
      if (field == 1 && wt == WireType::kLengthDelimited) {
        std::string_view type_meta;
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&type_meta));
        WireReader t(type_meta);
        while (!t.done()) {
          int f, w;
          HARU_RETURN_IF_ERROR(t.ReadKey(&f, &w));
          std::string_view s;
          if ((f == 1 || f == 2) && w == WireType::kLengthDelimited) {
            HARU_RETURN_IF_ERROR(t.ReadLengthDelimited(&s));
            (f == 1 ? api_version : kind) = std::string(s);
          } else {
            HARU_RETURN_IF_ERROR(t.Skip(w));
          }
        }
      } else if ((field == 2 || field == 3) && wt == WireType::kLengthDelimited) {
        std::string_view s;
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&s));
        if (field == 2) {
          raw = s;
        } else {
          content_encoding = std::string(s);
        }
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));
      }
    }
    if (!content_encoding.empty()) {
      return Malformed("unsupported content encoding \"" + content_encoding + "\"");
    }
    if (api_version.empty() || kind.empty()) {
      return Malformed("the envelope names no apiVersion and kind");
    }
    const Schema* schema = FindKind(api_version, kind);
    if (schema == nullptr) {
      return Status::BadRequest("no kind \"" + kind + "\" is registered for version \"" +
                                api_version + "\"");
    }
    Json out = Json::object();
    HARU_RETURN_IF_ERROR(DecodeMessage(raw, *schema, &out, depth + 1));
    out["apiVersion"] = api_version;
    out["kind"] = kind;
    return out;
  }

 private:
  const Schema* FindKind(std::string_view api_version, std::string_view kind) const {
    for (const auto& [name, schema] : schemas_.all()) {
      for (const GroupVersionKind& gvk : schema->gvks) {
        if (gvk.kind == kind && gvk.GroupVersion() == api_version) return schema;
      }
    }
    return nullptr;
  }

  // Decodes one message into the object `out`. With `embedded_tag` set, only the fields
  // flattened from the Go-embedded struct at that number are considered (proto=<outer>.<inner>).
  Status DecodeMessage(std::string_view data, const Schema& schema, Json* out, int depth,
                       int embedded_tag = 0) {
    if (depth > kMaxDepth) return Malformed("nesting too deep");
    if (!out->is_object()) *out = Json::object();
    WireReader r(data);
    while (!r.done()) {
      int tag, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&tag, &wt));
      const Field* direct = nullptr;
      bool embedded = false;
      for (const Field& f : schema.properties) {
        if (embedded_tag != 0) {
          if (f.proto_tag == embedded_tag && f.proto_inner_tag == tag) direct = &f;
        } else if (f.proto_tag == tag) {
          if (f.proto_inner_tag == 0) {
            direct = &f;
          } else {
            embedded = true;
          }
        }
        if (direct) break;
      }
      if (direct != nullptr) {
        HARU_RETURN_IF_ERROR(DecodeField(*direct, wt, &r, out, depth));
      } else if (embedded) {
        if (wt != WireType::kLengthDelimited) return WrongWireType(schema.name, wt);
        std::string_view sub;
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&sub));
        HARU_RETURN_IF_ERROR(DecodeMessage(sub, schema, out, depth + 1, tag));
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));  // a field this version does not know
      }
    }
    return Status::OK();
  }

  Status DecodeField(const Field& f, int wt, WireReader* r, Json* obj, int depth) {
    const Schema& s = *f.schema;
    if (s.type == SchemaType::kArray) {
      Json& list = (*obj)[f.name];
      if (!list.is_array()) list = Json::array();
      const Schema& item = *s.items;
      if (wt == WireType::kLengthDelimited && IsPackable(item)) {
        std::string_view packed;
        HARU_RETURN_IF_ERROR(r->ReadLengthDelimited(&packed));
        WireReader p(packed);
        int item_wt = item.type == SchemaType::kNumber ? WireType::kFixed64 : WireType::kVarint;
        while (!p.done()) {
          Json v;
          HARU_RETURN_IF_ERROR(DecodeValue(item, f.name, item_wt, &p, &v, depth));
          list.push_back(std::move(v));
        }
        return Status::OK();
      }
      Json v;
      HARU_RETURN_IF_ERROR(DecodeValue(item, f.name, wt, r, &v, depth));
      list.push_back(std::move(v));
      return Status::OK();
    }
    if (s.type == SchemaType::kMap) {
      if (wt != WireType::kLengthDelimited) return WrongWireType(f.name, wt);
      std::string_view entry;
      HARU_RETURN_IF_ERROR(r->ReadLengthDelimited(&entry));
      const Schema& value_schema = *s.additional_properties;
      std::string key;
      Json value;
      bool has_value = false;
      WireReader e(entry);
      while (!e.done()) {
        int tag, ewt;
        HARU_RETURN_IF_ERROR(e.ReadKey(&tag, &ewt));
        if (tag == 1) {
          if (ewt != WireType::kLengthDelimited) return WrongWireType(f.name, ewt);
          std::string_view k;
          HARU_RETURN_IF_ERROR(e.ReadLengthDelimited(&k));
          key = std::string(k);
        } else if (tag == 2) {
          HARU_RETURN_IF_ERROR(DecodeValue(value_schema, f.name, ewt, &e, &value, depth + 1));
          has_value = true;
        } else {
          HARU_RETURN_IF_ERROR(e.Skip(ewt));
        }
      }
      if (!has_value) value = EmptyValue(value_schema);
      Json& map = (*obj)[f.name];
      if (!map.is_object()) map = Json::object();
      map[key] = std::move(value);
      return Status::OK();
    }
    Json v;
    HARU_RETURN_IF_ERROR(DecodeValue(s, f.name, wt, r, &v, depth));
    if (IsEmptyScalar(v)) {
      obj->erase(f.name);  // a later occurrence of the field replaces an earlier one
    } else {
      (*obj)[f.name] = std::move(v);
    }
    return Status::OK();
  }

  // The value a map entry without a value field stands for (protobuf's default).
  static Json EmptyValue(const Schema& s) {
    switch (s.type) {
      case SchemaType::kObject: return Json::object();
      case SchemaType::kInteger: return 0;
      case SchemaType::kNumber: return 0.0;
      case SchemaType::kBoolean: return false;
      case SchemaType::kQuantity: return "0";
      case SchemaType::kAny: return nullptr;
      default: return "";
    }
  }

  Status DecodeValue(const Schema& s, std::string_view name, int wt, WireReader* r, Json* out,
                     int depth) {
    if (depth > kMaxDepth) return Malformed("nesting too deep");
    uint64_t u = 0;
    std::string_view bytes;
    switch (s.type) {
      case SchemaType::kInteger:
        if (wt != WireType::kVarint) return WrongWireType(name, wt);
        HARU_RETURN_IF_ERROR(r->ReadVarint(&u));
        // int32 negatives arrive sign-extended to 64 bits; the cast keeps the low 32.
        if (s.format == "int32") {
          *out = static_cast<int32_t>(static_cast<uint32_t>(u));
        } else {
          *out = static_cast<int64_t>(u);
        }
        return Status::OK();
      case SchemaType::kBoolean:
        if (wt != WireType::kVarint) return WrongWireType(name, wt);
        HARU_RETURN_IF_ERROR(r->ReadVarint(&u));
        *out = u != 0;
        return Status::OK();
      case SchemaType::kNumber: {
        if (wt != WireType::kFixed64) return WrongWireType(name, wt);
        HARU_RETURN_IF_ERROR(r->ReadFixed64(&u));
        double d;
        std::memcpy(&d, &u, sizeof d);
        *out = d;
        return Status::OK();
      }
      default:
        break;
    }
    if (wt != WireType::kLengthDelimited) return WrongWireType(name, wt);
    HARU_RETURN_IF_ERROR(r->ReadLengthDelimited(&bytes));
    switch (s.type) {
      case SchemaType::kString:
        *out = s.format == "byte" ? Base64Encode(bytes) : std::string(bytes);
        return Status::OK();
      case SchemaType::kObject:
        *out = Json::object();
        return DecodeMessage(bytes, s, out, depth + 1);
      case SchemaType::kQuantity:
        return DecodeQuantity(bytes, out);
      case SchemaType::kTime:
        return DecodeTime(bytes, s.name == kMicroTimeName, out);
      case SchemaType::kIntOrString:
        return DecodeIntOrString(bytes, out);
      case SchemaType::kAny:
        return DecodeRaw(bytes, out, depth);
      default:
        return Malformed("field \"" + std::string(name) + "\" has a shape protobuf cannot carry");
    }
  }

  // resource.Quantity: {1: string}.
  static Status DecodeQuantity(std::string_view data, Json* out) {
    std::string value = "0";
    WireReader r(data);
    while (!r.done()) {
      int tag, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&tag, &wt));
      if (tag == 1 && wt == WireType::kLengthDelimited) {
        std::string_view s;
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&s));
        value = std::string(s);
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));
      }
    }
    *out = value;
    return Status::OK();
  }

  // metav1.Time / MicroTime: {1: seconds, 2: nanos}. Go's zero time becomes null (omitted).
  static Status DecodeTime(std::string_view data, bool micro, Json* out) {
    int64_t seconds = 0, nanos = 0;
    WireReader r(data);
    while (!r.done()) {
      int tag, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&tag, &wt));
      if ((tag == 1 || tag == 2) && wt == WireType::kVarint) {
        uint64_t u;
        HARU_RETURN_IF_ERROR(r.ReadVarint(&u));
        if (tag == 1) {
          seconds = static_cast<int64_t>(u);
        } else {
          nanos = static_cast<int32_t>(static_cast<uint32_t>(u));
        }
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));
      }
    }
    if (seconds == kZeroTimeSeconds && nanos == 0) {
      *out = nullptr;
      return Status::OK();
    }
    HARU_ASSIGN_OR_RETURN(std::string text, FormatTime(seconds, nanos, micro));
    *out = std::move(text);
    return Status::OK();
  }

  // intstr.IntOrString: {1: type (0 int, 1 string), 2: intVal, 3: strVal}.
  static Status DecodeIntOrString(std::string_view data, Json* out) {
    uint64_t type = 0;
    int32_t int_val = 0;
    std::string str_val;
    WireReader r(data);
    while (!r.done()) {
      int tag, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&tag, &wt));
      uint64_t u;
      std::string_view s;
      if (tag == 1 && wt == WireType::kVarint) {
        HARU_RETURN_IF_ERROR(r.ReadVarint(&type));
      } else if (tag == 2 && wt == WireType::kVarint) {
        HARU_RETURN_IF_ERROR(r.ReadVarint(&u));
        int_val = static_cast<int32_t>(static_cast<uint32_t>(u));
      } else if (tag == 3 && wt == WireType::kLengthDelimited) {
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&s));
        str_val = std::string(s);
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));
      }
    }
    if (type == 1) {
      *out = std::move(str_val);
    } else {
      *out = int_val;
    }
    return Status::OK();
  }

  // runtime.RawExtension / FieldsV1: {1: raw}. The raw bytes are JSON, or a nested protobuf
  // envelope (an embedded object written by a protobuf client).
  Status DecodeRaw(std::string_view data, Json* out, int depth) {
    std::string_view raw;
    WireReader r(data);
    while (!r.done()) {
      int tag, wt;
      HARU_RETURN_IF_ERROR(r.ReadKey(&tag, &wt));
      if (tag == 1 && wt == WireType::kLengthDelimited) {
        HARU_RETURN_IF_ERROR(r.ReadLengthDelimited(&raw));
      } else {
        HARU_RETURN_IF_ERROR(r.Skip(wt));
      }
    }
    if (raw.empty()) {
      *out = nullptr;
      return Status::OK();
    }
    if (raw.size() >= 4 && raw.substr(0, 4) == kProtobufMagic) {
      HARU_ASSIGN_OR_RETURN(*out, DecodeEnvelope(raw, depth + 1));
      return Status::OK();
    }
    auto parsed = ParseJson(raw);
    if (!parsed.ok()) return Malformed("embedded raw JSON: " + parsed.status().message());
    *out = std::move(parsed).value();
    return Status::OK();
  }

  const SchemaRegistry& schemas_;
};

}  // namespace

StatusOr<Json> DecodeKubernetesProtobuf(std::string_view body, const SchemaRegistry& schemas) {
  Decoder decoder(schemas);
  HARU_ASSIGN_OR_RETURN(Json doc, decoder.DecodeEnvelope(body, 0));
  // Raw JSON (fieldsV1, RawExtension) may nest up to ParseJson's limit on its own, below
  // message levels: the whole could not be parsed back once stored.
  if (NestedDeeperThan(doc, kMaxJsonDepth)) {
    return Malformed("the object is nested more than " + std::to_string(kMaxJsonDepth) +
                     " levels deep");
  }
  return doc;
}

}  // namespace haru::api
