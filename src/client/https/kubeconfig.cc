#include "client/https/kubeconfig.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/base64.h"
#include "common/yaml.h"

namespace haru::client {

namespace {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || dir.empty()) return path;
  return (std::filesystem::path(dir) / path).string();
}

// The entry of `list` (clusters, users, contexts) named `name`, its `field` object.
const Json* FindNamed(const Json& doc, const char* list, const std::string& name, const char* field) {
  auto it = doc.find(list);
  if (it == doc.end() || !it->is_array()) return nullptr;
  for (const Json& entry : *it) {
    if (entry.is_object() && entry.value("name", "") == name) {
      auto f = entry.find(field);
      return f != entry.end() && f->is_object() ? &*f : nullptr;
    }
  }
  return nullptr;
}

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Inline base64 data or a file.
StatusOr<std::string> DataOrFile(const Json& obj, const char* data_key, const char* file_key,
                                 const std::string& dir) {
  std::string data = Str(obj, data_key);
  if (!data.empty()) {
    auto decoded = Base64Decode(data);
    if (!decoded) return Status::BadRequest(std::string("kubeconfig: ") + data_key + " is not base64");
    return *decoded;
  }
  std::string file = Str(obj, file_key);
  if (file.empty()) return std::string();
  auto content = ReadFile(Resolve(dir, file));
  if (!content.ok()) return Status::BadRequest("kubeconfig: " + content.status().message());
  return content;
}

Status SplitServer(KubeconfigCredentials& out) {
  std::string_view url = out.server;
  if (url.rfind("https://", 0) != 0) {
    return Status::BadRequest("kubeconfig: server \"" + out.server + "\" is not an https:// URL");
  }
  url.remove_prefix(8);
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.path_prefix = std::string(url.substr(slash));
    while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  }
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::BadRequest("kubeconfig: bad server " + out.server);
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest[0] == ':') out.port = std::string(rest.substr(1));
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty()) {
    return Status::BadRequest("kubeconfig: bad server " + out.server);
  }
  return Status::OK();
}

}  // namespace

StatusOr<KubeconfigCredentials> ParseKubeconfig(std::string_view text, const std::string& dir) {
  auto doc = ParseYaml(text);
  if (!doc.ok()) return Status::BadRequest("kubeconfig: " + doc.status().message());
  if (!doc->is_object()) return Status::BadRequest("kubeconfig: not a mapping");
  std::string current = Str(*doc, "current-context");
  if (current.empty()) return Status::BadRequest("kubeconfig: current-context is not set");
  const Json* context = FindNamed(*doc, "contexts", current, "context");
  if (context == nullptr) return Status::BadRequest("kubeconfig: context \"" + current + "\" not found");
  KubeconfigCredentials out;
  out.ns = Str(*context, "namespace");
  std::string cluster_name = Str(*context, "cluster");
  const Json* cluster = FindNamed(*doc, "clusters", cluster_name, "cluster");
  if (cluster == nullptr) {
    return Status::BadRequest("kubeconfig: cluster \"" + cluster_name + "\" not found");
  }
  out.server = Str(*cluster, "server");
  HARU_RETURN_IF_ERROR(SplitServer(out));
  out.tls_server_name = Str(*cluster, "tls-server-name");
  auto insecure = cluster->find("insecure-skip-tls-verify");
  out.insecure_skip_tls_verify = insecure != cluster->end() && insecure->is_boolean() && insecure->get<bool>();
  HARU_ASSIGN_OR_RETURN(out.ca_pem, DataOrFile(*cluster, "certificate-authority-data",
                                               "certificate-authority", dir));
  std::string user_name = Str(*context, "user");
  if (!user_name.empty()) {
    const Json* user = FindNamed(*doc, "users", user_name, "user");
    if (user == nullptr) return Status::BadRequest("kubeconfig: user \"" + user_name + "\" not found");
    HARU_ASSIGN_OR_RETURN(out.client_cert_pem, DataOrFile(*user, "client-certificate-data",
                                                          "client-certificate", dir));
    HARU_ASSIGN_OR_RETURN(out.client_key_pem, DataOrFile(*user, "client-key-data", "client-key", dir));
    out.token = Str(*user, "token");
    std::string token_file = Str(*user, "tokenFile");
    if (out.token.empty() && !token_file.empty()) {
      auto token = ReadFile(Resolve(dir, token_file));
      if (!token.ok()) return Status::BadRequest("kubeconfig: " + token.status().message());
      out.token = *token;
      while (!out.token.empty() && (out.token.back() == '\n' || out.token.back() == '\r')) {
        out.token.pop_back();
      }
    }
  }
  if (out.client_cert_pem.empty() != out.client_key_pem.empty()) {
    return Status::BadRequest("kubeconfig: user \"" + user_name +
                              "\" needs both a client certificate and its key");
  }
  return out;
}

StatusOr<KubeconfigCredentials> LoadKubeconfig(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return Status::BadRequest("kubeconfig: " + text.status().message());
  return ParseKubeconfig(*text, std::filesystem::path(path).parent_path().string());
}

}  // namespace haru::client
