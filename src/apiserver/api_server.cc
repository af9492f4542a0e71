#include "apiserver/api_server.h"

#include <chrono>
#include <string>
#include <unordered_map>

#include "api/kinds.h"
#include "api/schema/schema.h"
#include "apiserver/discovery/discovery.h"
#include "apiserver/filters/authentication.h"
#include "apiserver/handlers/request_info.h"
#include "apiserver/handlers/status_writer.h"
#include "apiserver/handlers/verbs.h"
#include "apiserver/openapi/openapi.h"
#include "apiserver/server/health.h"
#include "apiserver/version_info.h"
#include "common/metrics.h"
#include "registry/keys.h"
#include "registry/registry.h"

namespace haru::apiserver {

namespace {

http::Response NotFoundResponse() {
  return StatusResponse(Status::NotFound("the server could not find the requested resource"));
}

http::Response ServeResource(http::Request& request, const RequestInfo& info,
                             registry::Registry& registry) {
  const api::KindSpec* kind =
      api::FindKindByResource(info.api_group, info.api_version, info.resource);
  if (kind == nullptr) return NotFoundResponse();
  const bool namespaced = kind->scope == api::Scope::kNamespaced;
  if (!namespaced && !info.ns.empty()) return NotFoundResponse();
  if (namespaced && info.ns.empty() && info.verb != "list" && info.verb != "watch") {
    return NotFoundResponse();
  }
  if (!info.subresource.empty()) {
    bool known = (info.subresource == "status" && kind->has_status) ||
                 (info.subresource == "finalize" && kind->gvk.kind == "Namespace");
    for (const api::Subresource& s : kind->extra_subresources) known |= s.name == info.subresource;
    if (!known) return NotFoundResponse();
  }
  VerbContext ctx{request, info, *kind, registry};
  const std::string& verb = info.verb;
  if (verb == "get") return HandleGet(ctx);
  if (verb == "list") return HandleList(ctx);
  if (verb == "watch") return HandleWatch(ctx);
  if (verb == "create") return HandleCreate(ctx);
  if (verb == "update") return HandleUpdate(ctx);
  if (verb == "patch") return HandlePatch(ctx);
  if (verb == "delete") return HandleDelete(ctx);
  if (verb == "deletecollection") return HandleDeleteCollection(ctx);
  return StatusResponse(Status::MethodNotAllowed(
      "the server does not allow this method on the requested resource"));
}

http::Response ServeNonResource(http::Request& request, const ApiServerDeps& deps) {
  const std::string& path = request.path;
  if (path == "/version" || path == "/version/") {
    return JsonResponse(200, VersionJson());
  }
  if (server::HealthChecks::IsHealthPath(path)) return deps.health->Serve(path, request.query);
  if (path == "/metrics") {
    http::Response r;
    r.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.SetBody(metrics::DefaultRegistry().RenderPrometheusText());
    return r;
  }
  if (path.rfind("/openapi/", 0) == 0) {
    auto served = openapi::Serve(path, request.query, request.headers.Get("Accept"));
    return served ? std::move(*served) : NotFoundResponse();
  }
  if (path == "/api" || path == "/apis" || path.rfind("/api/", 0) == 0 ||
      path.rfind("/apis/", 0) == 0) {
    auto served = discovery::Serve(path, request.headers.Get("Accept"));
    return served ? std::move(*served) : NotFoundResponse();
  }
  return NotFoundResponse();
}

std::string MetricVerb(const RequestInfo& info) {
  if (!info.is_resource_request) return info.verb == "get" ? "GET" : info.verb;
  std::string v = info.verb;
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (v == "DELETECOLLECTION") return "DELETE";
  if (v == "CREATE") return "POST";
  if (v == "UPDATE") return "PUT";
  return v;
}

// The request counter and latency histogram cells of one (verb, resource, code), looked up in
// the metric families (a mutex and a map of label vectors each) once per thread, not per request.
struct RequestMetricCells {
  metrics::Counter* count;
  metrics::Histogram* latency;
};

RequestMetricCells CellsFor(metrics::CounterVec* requests, metrics::HistogramVec* latency,
                            const std::string& verb, const std::string& resource, int status) {
  struct Cache {
    const void* requests = nullptr;
    const void* latency = nullptr;
    std::unordered_map<std::string, RequestMetricCells> cells;
  };
  thread_local Cache cache;
  if (cache.requests != requests || cache.latency != latency) {
    cache.cells.clear();
    cache.requests = requests;
    cache.latency = latency;
  }
  thread_local std::string key;
  key.clear();
  key += verb;
  key += '\0';
  key += resource;
  key += '\0';
  key += std::to_string(status);
  auto it = cache.cells.find(key);
  if (it != cache.cells.end()) return it->second;
  RequestMetricCells cells{requests->WithLabels({verb, resource, std::to_string(status)}),
                           latency->WithLabels({verb, resource})};
  if (cache.cells.size() < 4096) cache.cells.emplace(key, cells);
  return cells;
}

}  // namespace

http::Handler BuildApiHandler(ApiServerDeps deps) {
  // Stored objects by resource ("pods", "leases.coordination.k8s.io"), counted from the watch
  // cache at scrape time as upstream's apiserver_storage_objects.
  registry::Registry* registry = deps.registry;
  metrics::DefaultRegistry().AddGaugeCallback(
      "apiserver_storage_objects", "Number of stored objects at the time of last check split by kind.",
      {"resource"}, [registry] {
        std::vector<metrics::GaugeSample> out;
        for (const api::KindSpec* kind : api::BuiltinKinds()) {
          std::string resource = kind->plural;
          if (!kind->gvk.group.empty()) resource += "." + kind->gvk.group;
          out.push_back({{resource}, static_cast<double>(registry->store()->Count(
                                         registry::ResourcePrefix(*kind)))});
        }
        return out;
      });
  auto* requests = metrics::Apiserver().request_total;
  auto* latency = metrics::Apiserver().request_duration_seconds;

  return [deps, requests, latency](http::Request& request) -> http::Response {
    auto start = std::chrono::steady_clock::now();
    // Authentication: anonymous requests may read only the public info paths.
    if (filters::Authenticator::IsAnonymous(request) &&
        filters::Authenticator::IsPublicInfoPath(request.path)) {
      request.user = filters::Authenticator::AnonymousUser();
    } else {
      auto user = deps.authenticator->Authenticate(request);
      if (!user.ok()) return StatusResponse(user.status());
      request.user = std::move(user).value();
    }

    RequestInfo info = ParseRequestInfo(request);
    http::Response response = info.is_resource_request
                                  ? ServeResource(request, info, *deps.registry)
                                  : ServeNonResource(request, deps);

    std::string verb = MetricVerb(info);
    if (info.verb == "watch") verb = "WATCH";  // open watches: see watch.cc's gauge
    RequestMetricCells cells = CellsFor(requests, latency, verb, info.resource, response.status);
    cells.count->Inc();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    cells.latency->Observe(took.count());
    return response;
  };
}

}  // namespace haru::apiserver
