// core/v1 Secret (pkg/registry/core/secret): type default Opaque, stringData folded into
// data (as the v1 conversion does), base64 values, per-type required keys, 1 MiB limit.

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "common/base64.h"

namespace haru::api::core {

namespace {

constexpr int kMaxSecretSize = 1024 * 1024;

void DefaultSecret(Json& secret) {
  if (GetString(secret, {"type"}).empty()) secret["type"] = "Opaque";
  auto sd = secret.find("stringData");
  if (sd != secret.end()) {
    if (sd->is_object()) {
      Json& data = secret["data"];
      if (!data.is_object()) data = Json::object();
      for (auto it = sd->begin(); it != sd->end(); ++it) {
        if (it->is_string()) data[it.key()] = Base64Encode(it->get<std::string>());
      }
    }
    secret.erase("stringData");
  }
}

FieldErrors ValidateSecret(const Json& secret) {
  FieldErrors errs = ValidateObjectMeta(secret, true, NameRule::kDnsSubdomain);
  size_t total = 0;
  const Json* data = FindPath(secret, {"data"});
  auto has = [&](const char* key) { return data && data->is_object() && data->contains(key); };
  if (data && data->is_object()) {
    for (auto it = data->begin(); it != data->end(); ++it) {
      Append(errs, InvalidEach(Key("data", it.key()), it.key(), IsConfigMapKey(it.key())));
      std::optional<std::string> decoded;
      if (it->is_string()) decoded = Base64Decode(it->get<std::string>());
      if (!decoded) {
        errs.push_back(Invalid(Key("data", it.key()), "\"<secret contents redacted>\"",
                               "must be a base64-encoded string"));
      } else {
        total += decoded->size();
      }
    }
  }
  if (total > static_cast<size_t>(kMaxSecretSize)) errs.push_back(TooLong("data", kMaxSecretSize));
  std::string type = GetString(secret, {"type"});
  if (type == "kubernetes.io/service-account-token") {
    if (GetString(secret, {"metadata", "annotations", "kubernetes.io/service-account.name"}).empty()) {
      errs.push_back(Required("metadata.annotations[kubernetes.io/service-account.name]"));
    }
  } else if (type == "kubernetes.io/dockercfg" || type == "kubernetes.io/dockerconfigjson") {
    const char* key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
    if (!has(key)) {
      errs.push_back(Required(Key("data", key)));
    } else {
      auto decoded = (*data)[key].is_string() ? Base64Decode((*data)[key].get<std::string>())
                                              : std::nullopt;
      if (decoded && Json::parse(*decoded, nullptr, false).is_discarded()) {
        errs.push_back(Invalid(Key("data", key), "\"<secret contents redacted>\"",
                               "invalid character in JSON"));
      }
    }
  } else if (type == "kubernetes.io/basic-auth") {
    if (!has("username") && !has("password")) {
      errs.push_back(Required("data[username]"));
      errs.push_back(Required("data[password]"));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    if (!has("ssh-privatekey") || (*data)["ssh-privatekey"] == "") {
      errs.push_back(Required("data[ssh-privatekey]"));
    }
  } else if (type == "kubernetes.io/tls") {
    if (!has("tls.crt")) errs.push_back(Required("data[tls.crt]"));
    if (!has("tls.key")) errs.push_back(Required("data[tls.key]"));
  }
  return errs;
}

FieldErrors ValidateSecretUpdate(const Json& secret, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(secret, old);
  Append(errs, ValidateImmutableField(FindPath(secret, {"type"}), FindPath(old, {"type"}), "type"));
  if (GetBool(old, {"immutable"})) {
    if (!GetBool(secret, {"immutable"})) {
      errs.push_back(Forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    const Json* a = FindPath(secret, {"data"});
    const Json* b = FindPath(old, {"data"});
    bool a_empty = !a || a->is_null() || (a->is_object() && a->empty());
    bool b_empty = !b || b->is_null() || (b->is_object() && b->empty());
    if (!(a_empty && b_empty) && (a_empty != b_empty || *a != *b)) {
      errs.push_back(Forbidden("data", "field is immutable when `immutable` is set"));
    }
  }
  Append(errs, ValidateSecret(secret));
  return errs;
}

}  // namespace

const KindSpec& SecretKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Secret"};
    s.plural = "secrets";
    s.singular = "secret";
    s.schema = "io.k8s.api.core.v1.Secret";
    s.default_fields = &DefaultSecret;
    s.validate = &ValidateSecret;
    s.validate_update = &ValidateSecretUpdate;
    s.columns = {NameColumn(),
                 StringColumn("Type", "The type of the secret", "type"),
                 {"Data", "integer", "", "The number of entries in the secret data", 0,
                  [](const Json& o) {
                    const Json* d = FindPath(o, {"data"});
                    return Json(d && d->is_object() ? d->size() : 0);
                  }},
                 AgeColumn()};
    s.selectable_fields = {
        {"type", [](const Json& o) { return GetString(o, {"type"}); }, "type"}};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
