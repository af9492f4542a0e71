// The HTTPS Client: HTTP/1.1 keep-alive over TLS (Boost.Beast on OpenSSL), JSON bodies.
//
// Each connection owns a single-threaded io_context, and the thread that uses a connection
// drives it: an operation starts async, then that thread runs the connection's io_context
// until the operation completes or its deadline (beast::tcp_stream's expiry) closes the
// socket. So a request blocks only its caller, every network step has a timeout, and there is
// no shared I/O thread that a callback could starve. Idle connections wait in a pool and are
// reused; concurrent requests each take their own.
//
// A watch holds its own connection and thread: it reads the chunked stream of
// {"type":...,"object":...} lines and runs the callback on that thread between reads. Stop()
// posts a close to the connection's io_context (thread-safe), which ends the pending read.
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/x509v3.h>

#include "client/client.h"
#include "client/https/kubeconfig.h"
#include "client/https/rest.h"

namespace haru::client {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kRequestTimeout = std::chrono::seconds(60);
// The server ends a watch after timeoutSeconds; reads wait that long plus this margin.
constexpr int kWatchTimeoutSeconds = 600;
constexpr auto kWatchReadMargin = std::chrono::seconds(60);
// An idle connection older than this is closed rather than reused (the server's idle timeout
// is 90 s; a connection it is about to close would fail the request).
constexpr auto kMaxIdle = std::chrono::seconds(45);
constexpr size_t kMaxIdleConnections = 256;
constexpr uint64_t kMaxResponseBytes = 1ull << 31;
constexpr size_t kMaxWatchLine = 64u << 20;

std::string NetworkError(std::string_view what, const error_code& ec) {
  if (ec == beast::error::timeout) return std::string(what) + ": timed out";
  return std::string(what) + ": " + ec.message();
}

struct Connection {
  asio::io_context ioc;  // run only by the connection's user; Stop() may post to it
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;

  explicit Connection(ssl::context& ctx) : stream(ioc, ctx) {}

  // Runs the io_context until `done` (set by the started operation's handler).
  void RunUntil(const bool& done) {
    ioc.restart();
    while (!done) {
      if (ioc.run_one() == 0) break;
    }
  }
  // Writes a whole request within `timeout`; the error, if any.
  error_code Write(bhttp::request<bhttp::string_body>& req, std::chrono::seconds timeout) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    bool done = false;
    error_code ec;
    bhttp::async_write(stream, req, [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    });
    RunUntil(done);
    return ec;
  }
  void Close() {
    error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream).close();
  }
};

// Reads the next piece of a buffer_body response into buf; returns the bytes read. need_buffer
// (the buffer filled up) is not an error.
size_t ReadSome(Connection& conn, bhttp::response_parser<bhttp::buffer_body>& parser, char* buf,
                size_t size, std::chrono::seconds timeout, error_code& ec) {
  parser.get().body().data = buf;
  parser.get().body().size = size;
  beast::get_lowest_layer(conn.stream).expires_after(timeout);
  bool done = false;
  // read_some: returns as soon as some of the body arrived (a watch's stream never ends).
  bhttp::async_read_some(conn.stream, conn.buffer, parser, [&](const error_code& e, size_t) {
    ec = e;
    done = true;
  });
  conn.RunUntil(done);
  if (ec == bhttp::error::need_buffer) ec = {};
  return size - parser.get().body().size;
}

class HttpsWatch : public WatchHandle {
 public:
  struct State {
    std::unique_ptr<Connection> conn;
    bhttp::response_parser<bhttp::buffer_body> parser;
    std::atomic<bool> stopping{false};
  };

  HttpsWatch(std::shared_ptr<State> state, std::thread thread)
      : state_(std::move(state)), thread_(std::move(thread)) {}
  ~HttpsWatch() override { Stop(); }

  void Stop() override {
    if (!state_->stopping.exchange(true)) {
      Connection* conn = state_->conn.get();
      asio::post(conn->ioc, [conn] { conn->Close(); });
    }
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // from inside a callback: the thread ends when it returns
    } else {
      thread_.join();
    }
  }

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
};

class HttpsClient : public Client {
 public:
  explicit HttpsClient(KubeconfigCredentials creds)
      : creds_(std::move(creds)), ctx_(ssl::context::tls_client) {}

  Status Init() {
    error_code ec;
    ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (creds_.insecure_skip_tls_verify) {
      ctx_.set_verify_mode(ssl::verify_none);
    } else {
      ctx_.set_verify_mode(ssl::verify_peer);
      if (!creds_.ca_pem.empty()) {
        ctx_.add_certificate_authority(asio::buffer(creds_.ca_pem), ec);
        if (ec) return Status::BadRequest("kubeconfig: certificate authority: " + ec.message());
      } else {
        ctx_.set_default_verify_paths(ec);
      }
    }
    if (!creds_.client_cert_pem.empty()) {
      ctx_.use_certificate_chain(asio::buffer(creds_.client_cert_pem), ec);
      if (ec) return Status::BadRequest("kubeconfig: client certificate: " + ec.message());
      ctx_.use_private_key(asio::buffer(creds_.client_key_pem), ssl::context::pem, ec);
      if (ec) return Status::BadRequest("kubeconfig: client key: " + ec.message());
    }
    host_header_ = creds_.host.find(':') != std::string::npos ? "[" + creds_.host + "]" : creds_.host;
    if (creds_.port != "443") host_header_ += ":" + creds_.port;
    return Status::OK();
  }

  StatusOr<Json> Get(const Resource& r, std::string_view ns, std::string_view name) override {
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    return Call(bhttp::verb::get, ResourcePath(r, ns, name), "", "");
  }

  StatusOr<ObjectList> List(const Resource& r, std::string_view ns, const ListOptions& options) override {
    HARU_ASSIGN_OR_RETURN(Json list, Call(bhttp::verb::get, ResourcePath(r, ns) + ListQuery(options), "", ""));
    ObjectList out;
    if (auto items = list.find("items"); items != list.end() && items->is_array()) {
      out.items.reserve(items->size());
      for (Json& item : *items) out.items.push_back(std::move(item));
    }
    if (auto meta = list.find("metadata"); meta != list.end() && meta->is_object()) {
      out.resource_version = meta->value("resourceVersion", "");
      out.continue_token = meta->value("continue", "");
    }
    return out;
  }

  StatusOr<Json> Create(const Resource& r, std::string_view ns, const Json& object) override {
    return Call(bhttp::verb::post, ResourcePath(r, ns), ToJson(object), "application/json");
  }

  StatusOr<Json> Update(const Resource& r, std::string_view ns, const Json& object,
                        std::string_view subresource) override {
    std::string name;
    if (object.is_object() && object.contains("metadata") && object["metadata"].is_object()) {
      name = object["metadata"].value("name", "");
    }
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    return Call(bhttp::verb::put, ResourcePath(r, ns, name, subresource), ToJson(object),
                "application/json");
  }

  StatusOr<Json> Patch(const Resource& r, std::string_view ns, std::string_view name, PatchType type,
                       std::string_view patch, std::string_view subresource) override {
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    const char* content_type = type == PatchType::kJson    ? "application/json-patch+json"
                               : type == PatchType::kMerge ? "application/merge-patch+json"
                                                           : "application/strategic-merge-patch+json";
    return Call(bhttp::verb::patch, ResourcePath(r, ns, name, subresource), std::string(patch),
                content_type);
  }

  Status Delete(const Resource& r, std::string_view ns, std::string_view name,
                const DeleteOptions& options) override {
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    Json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
    if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
    if (options.grace_period_seconds >= 0) body["gracePeriodSeconds"] = options.grace_period_seconds;
    if (!options.precondition_uid.empty()) body["preconditions"] = {{"uid", options.precondition_uid}};
    auto result = Call(bhttp::verb::delete_, ResourcePath(r, ns, name), ToJson(body), "application/json");
    return result.ok() ? Status::OK() : result.status();
  }

  StatusOr<Json> CreateSubresource(const Resource& r, std::string_view ns, std::string_view name,
                                   std::string_view subresource, const Json& body) override {
    if (name.empty()) return Status::BadRequest("resource name may not be empty");
    return Call(bhttp::verb::post, ResourcePath(r, ns, name, subresource), ToJson(body),
                "application/json");
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const Resource& r, std::string_view ns,
                                               const ListOptions& options, WatchCallback on_event,
                                               WatchClosed on_closed) override;

 private:
  struct Response {
    int code = 0;
    std::string body;
  };

  bhttp::request<bhttp::string_body> NewRequest(bhttp::verb verb, const std::string& target,
                                                std::string body, const char* content_type) {
    bhttp::request<bhttp::string_body> req(verb, creds_.path_prefix + target, 11);
    req.set(bhttp::field::host, host_header_);
    req.set(bhttp::field::user_agent, "haru-client");
    req.set(bhttp::field::accept, "application/json");
    if (!creds_.token.empty()) req.set(bhttp::field::authorization, "Bearer " + creds_.token);
    if (content_type != nullptr && *content_type != '\0') {
      req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
    }
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }

  // A fresh connection: resolve, connect, TLS handshake with SNI and name checks.
  StatusOr<std::unique_ptr<Connection>> Connect() {
    auto conn = std::make_unique<Connection>(ctx_);
    SSL* ssl_handle = conn->stream.native_handle();
    const std::string& verify_name = creds_.tls_server_name.empty() ? creds_.host : creds_.tls_server_name;
    error_code addr_ec;
    asio::ip::make_address(verify_name, addr_ec);
    const bool is_ip = !addr_ec;
    if (!is_ip) SSL_set_tlsext_host_name(ssl_handle, verify_name.c_str());
    if (!creds_.insecure_skip_tls_verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
      int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), verify_name.size());
      if (ok != 1) return Status::Internal("cannot verify server name " + verify_name);
    }

    bool done = false;
    error_code ec;
    tcp::resolver resolver(conn->ioc);
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(creds_.host, creds_.port,
                           [&](const error_code& e, tcp::resolver::results_type results) {
                             ec = e;
                             endpoints = std::move(results);
                             done = true;
                           });
    conn->ioc.restart();
    conn->ioc.run_for(kConnectTimeout);
    if (!done) {
      resolver.cancel();
      conn->ioc.restart();
      conn->ioc.run();
      return Status::ServiceUnavailable("resolve " + creds_.host + ": timed out");
    }
    if (ec) return Status::ServiceUnavailable(NetworkError("resolve " + creds_.host, ec));

    auto& lowest = beast::get_lowest_layer(conn->stream);
    lowest.expires_after(kConnectTimeout);
    done = false;
    lowest.async_connect(endpoints, [&](const error_code& e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    conn->RunUntil(done);
    if (ec) return Status::ServiceUnavailable(NetworkError("connect to " + creds_.server, ec));
    lowest.socket().set_option(tcp::no_delay(true), ec);

    lowest.expires_after(kConnectTimeout);
    done = false;
    conn->stream.async_handshake(ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      done = true;
    });
    conn->RunUntil(done);
    if (ec) return Status::ServiceUnavailable(NetworkError("TLS handshake with " + creds_.server, ec));
    return conn;
  }

  // An idle pooled connection, or a new one. `reused` says which.
  StatusOr<std::unique_ptr<Connection>> Acquire(bool& reused) {
    {
      std::lock_guard lock(pool_mu_);
      auto now = Clock::now();
      while (!idle_.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_.back());
        idle_.pop_back();
        if (now - conn->idle_since < kMaxIdle) {
          reused = true;
          return conn;
        }
        conn->Close();
      }
    }
    reused = false;
    return Connect();
  }

  void Release(std::unique_ptr<Connection> conn) {
    conn->idle_since = Clock::now();
    std::lock_guard lock(pool_mu_);
    if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(conn));
  }

  // One exchange on conn. `sent_nothing` tells whether a failure happened before the server
  // could have acted (a stale keep-alive connection), so the request may be retried.
  StatusOr<Response> Exchange(Connection& conn, bhttp::request<bhttp::string_body>& req,
                              bool& keep_alive, bool& retryable) {
    auto& lowest = beast::get_lowest_layer(conn.stream);
    error_code ec = conn.Write(req, kRequestTimeout);
    if (ec) {
      retryable = true;
      return Status::ServiceUnavailable(NetworkError("write request", ec));
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    lowest.expires_after(kRequestTimeout);
    bool done = false;
    bhttp::async_read(conn.stream, conn.buffer, parser, [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    });
    conn.RunUntil(done);
    if (ec) {
      retryable = !parser.got_some() && ec != beast::error::timeout;
      return Status::ServiceUnavailable(NetworkError("read response", ec));
    }
    auto& res = parser.get();
    keep_alive = res.keep_alive();
    return Response{static_cast<int>(res.result_int()), std::move(res.body())};
  }

  StatusOr<Response> Send(bhttp::request<bhttp::string_body>& req) {
    for (int attempt = 0;; ++attempt) {
      bool reused = false;
      HARU_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire(reused));
      bool keep_alive = false, retryable = false;
      auto response = Exchange(*conn, req, keep_alive, retryable);
      if (response.ok()) {
        if (keep_alive) {
          Release(std::move(conn));
        } else {
          conn->Close();
        }
        return response;
      }
      conn->Close();
      // A pooled connection the server had already closed: try once more on a fresh one.
      if (!(reused && retryable && attempt == 0)) return response.status();
    }
  }

  StatusOr<Json> Call(bhttp::verb verb, const std::string& target, std::string body,
                      const char* content_type) {
    auto req = NewRequest(verb, target, std::move(body), content_type);
    HARU_ASSIGN_OR_RETURN(Response res, Send(req));
    if (res.code < 200 || res.code >= 300) return StatusFromResponse(res.code, res.body);
    if (res.body.empty()) return Json::object();
    auto parsed = ParseJson(res.body);
    if (!parsed.ok()) return Status::Internal("decoding the server's response: " + parsed.status().message());
    return parsed;
  }

  const KubeconfigCredentials creds_;
  ssl::context ctx_;
  std::string host_header_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(pool_mu_)
};

// Parses one watch line into an event; a Status for ERROR events and malformed lines.
// Returns true with `event` filled, false with `error` set.
bool ParseWatchLine(std::string_view line, bool shared_only, WatchEvent& event, Status& error) {
  auto parsed = ParseJson(line);
  if (!parsed.ok() || !parsed->is_object()) {
    error = Status::Internal("malformed watch event: " + std::string(line.substr(0, 200)));
    return false;
  }
  std::string type = parsed->value("type", "");
  auto object = parsed->find("object");
  if (object == parsed->end()) {
    error = Status::Internal("watch event without an object");
    return false;
  }
  if (type == "ERROR") {
    error = StatusFromJson(*object, 500);
    return false;
  }
  if (type == "ADDED") {
    event.type = WatchEventType::kAdded;
  } else if (type == "MODIFIED") {
    event.type = WatchEventType::kModified;
  } else if (type == "DELETED") {
    event.type = WatchEventType::kDeleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEventType::kBookmark;
  } else {
    error = Status::Internal("unknown watch event type \"" + type + "\"");
    return false;
  }
  if (shared_only) {
    event.shared_object = std::make_shared<const Json>(std::move(*object));
  } else {
    event.object = std::move(*object);
  }
  return true;
}

// The watch thread: reads the stream and delivers events until it ends or Stop().
void RunWatch(std::shared_ptr<HttpsWatch::State> state, bool shared_only, WatchCallback on_event,
              WatchClosed on_closed) {
  Connection& conn = *state->conn;
  auto& parser = state->parser;
  auto finish = [&](Status s) {
    conn.Close();
    if (!state->stopping && on_closed) on_closed(s);
  };
  std::string pending;  // bytes not yet split into lines
  std::vector<char> buf(64 * 1024);
  while (!state->stopping && !parser.is_done()) {
    error_code ec;
    size_t got = ReadSome(conn, parser, buf.data(), buf.size(),
                          std::chrono::seconds(kWatchTimeoutSeconds) + kWatchReadMargin, ec);
    pending.append(buf.data(), got);
    if (ec) {
      if (state->stopping) return;
      return finish(Status::ServiceUnavailable(NetworkError("watch stream", ec)));
    }
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(pending.data() + start, nl - start);
      if (line.empty() || line == "\r") continue;
      WatchEvent event;
      Status error;
      if (!ParseWatchLine(line, shared_only, event, error)) return finish(error);
      if (state->stopping) return;
      if (!on_event(event)) {
        conn.Close();  // the caller ended the watch: no on_closed
        return;
      }
    }
    pending.erase(0, start);
    if (pending.size() > kMaxWatchLine) return finish(Status::Internal("watch event too large"));
  }
  if (!state->stopping) finish(Status::OK());  // the server ended the stream (its timeout)
}

StatusOr<std::unique_ptr<WatchHandle>> HttpsClient::Watch(const Resource& r, std::string_view ns,
                                                          const ListOptions& options,
                                                          WatchCallback on_event, WatchClosed on_closed) {
  if (!on_event) return Status::BadRequest("watch needs an event callback");
  ListOptions o = options;
  o.limit = 0;
  o.continue_token.clear();
  std::string query = ListQuery(o);
  query += query.empty() ? "?" : "&";
  query += "watch=true&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(kWatchTimeoutSeconds);
  auto state = std::make_shared<HttpsWatch::State>();
  state->parser.body_limit(boost::none);
  HARU_ASSIGN_OR_RETURN(state->conn, Connect());
  Connection& conn = *state->conn;

  // The request and the response head on the caller's thread, so a rejected watch (bad
  // selector, unknown resource, 401) fails here, as it does in-process.
  auto req = NewRequest(bhttp::verb::get, ResourcePath(r, ns) + query, "", nullptr);
  auto& lowest = beast::get_lowest_layer(conn.stream);
  error_code ec = conn.Write(req, kRequestTimeout);
  if (ec) return Status::ServiceUnavailable(NetworkError("write watch request", ec));
  lowest.expires_after(kRequestTimeout);
  bool done = false;
  bhttp::async_read_header(conn.stream, conn.buffer, state->parser, [&](const error_code& e, size_t) {
    ec = e;
    done = true;
  });
  conn.RunUntil(done);
  if (ec) return Status::ServiceUnavailable(NetworkError("read watch response", ec));
  const int code = static_cast<int>(state->parser.get().result_int());
  if (code != 200) {
    std::string body;
    std::vector<char> buf(16 * 1024);
    while (!state->parser.is_done() && body.size() < (1u << 20)) {
      size_t got = ReadSome(conn, state->parser, buf.data(), buf.size(),
                            std::chrono::duration_cast<std::chrono::seconds>(kRequestTimeout), ec);
      body.append(buf.data(), got);
      if (ec) break;
    }
    conn.Close();
    return StatusFromResponse(code, body);
  }
  std::thread thread(RunWatch, state, options.shared_objects_only, std::move(on_event), std::move(on_closed));
  return std::unique_ptr<WatchHandle>(new HttpsWatch(std::move(state), std::move(thread)));
}

}  // namespace

StatusOr<std::unique_ptr<Client>> NewHttpsClient(const std::string& kubeconfig_path) {
  HARU_ASSIGN_OR_RETURN(KubeconfigCredentials creds, LoadKubeconfig(kubeconfig_path));
  auto client = std::make_unique<HttpsClient>(std::move(creds));
  HARU_RETURN_IF_ERROR(client->Init());
  return std::unique_ptr<Client>(std::move(client));
}

}  // namespace haru::client
