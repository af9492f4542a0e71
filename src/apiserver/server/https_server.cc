// HttpsServer on Boost.Beast + Asio C++20 coroutines.
//
// Threads: `io_threads` run the io_context; every connection (and the acceptor) lives on its
// own strand. Handlers and stream callbacks run on a thread_pool of `worker_threads`; the
// connection coroutine waits for the handler's Response and resumes on its strand.
//
// One connection = one coroutine (Connection::Run): TLS handshake, then per request: read the
// header (idle timeout), reject a too-large Content-Length with 413, read the body, run the
// handler, write header + body parts as one gather write. A streaming response switches the
// connection to chunked mode until the stream ends; the connection is then closed.

#include "apiserver/server/https_server.h"

#include <sys/resource.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace haru::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SslStream = beast::ssl_stream<beast::tcp_stream>;
using Executor = asio::strand<asio::io_context::executor_type>;
template <typename T>
using Awaitable = asio::awaitable<T>;
using asio::use_awaitable;

constexpr std::string_view kTooLargeBody =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
    R"("message":"Request entity too large: limit is %zu","reason":"RequestEntityTooLarge",)"
    R"("code":413})";

std::string OpenSslError(std::string_view what) {
  std::string out(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

// "Content-Type" from "content-type".
std::string CanonicalHeaderName(std::string_view lower) {
  std::string out(lower);
  bool upper = true;
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    upper = c == '-';
  }
  return out;
}

void AppendHeaderValue(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c != '\r' && c != '\n') out.push_back(c);  // no response splitting
  }
}

// The Date header value; formatted once per second per thread, not per response.
const std::string& HttpDate() {
  thread_local std::time_t last = -1;
  thread_local std::string text;
  std::time_t now = std::time(nullptr);
  if (now != last) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    text.assign(buf, n);
    last = now;
  }
  return text;
}

std::string FormatEndpoint(const tcp::endpoint& ep) {
  std::string addr = ep.address().to_string();
  if (ep.address().is_v6()) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(ep.port());
}

// Status line + headers (without the blank line).
std::string StatusLineAndHeaders(const http::Response& resp) {
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  out += std::to_string(resp.status);
  out += ' ';
  std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(resp.status));
  out += reason.empty() ? std::string_view("Unknown") : reason;
  out += "\r\n";
  for (const auto& [name, value] : resp.headers.entries()) {
    if (name == "content-length" || name == "transfer-encoding" || name == "connection") continue;
    out += CanonicalHeaderName(name);
    out += ": ";
    AppendHeaderValue(out, value);
    out += "\r\n";
  }
  if (!resp.headers.Has("date")) {
    out += "Date: ";
    out += HttpDate();
    out += "\r\n";
  }
  return out;
}

asio::const_buffer PartBuffer(const http::Response::Part& p) {
  if (const auto* s = std::get_if<std::string>(&p)) return asio::buffer(*s);
  const auto& shared = std::get<std::shared_ptr<const std::string>>(p);
  return shared ? asio::buffer(*shared) : asio::const_buffer();
}

std::string ChunkHeader(size_t n) {
  char buf[32];
  int len = std::snprintf(buf, sizeof(buf), "%zx\r\n", n);
  return std::string(buf, static_cast<size_t>(len));
}

// Subject CN and O values of a verified peer certificate.
void ReadClientIdentity(SSL* ssl, std::optional<std::string>* cn, std::vector<std::string>* orgs) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    X509_NAME* name = X509_get_subject_name(cert);
    auto read = [&](int nid, auto&& sink) {
      for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
           i = X509_NAME_get_index_by_NID(name, nid, i)) {
        ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        unsigned char* utf8 = nullptr;
        int len = ASN1_STRING_to_UTF8(&utf8, data);
        if (len >= 0) sink(std::string(reinterpret_cast<char*>(utf8), static_cast<size_t>(len)));
        OPENSSL_free(utf8);
      }
    };
    read(NID_commonName, [&](std::string v) {
      if (!cn->has_value()) *cn = std::move(v);
    });
    read(NID_organizationName, [&](std::string v) { orgs->push_back(std::move(v)); });
  }
  X509_free(cert);
}

// Completes with the handler's Response after running it on `pool`; resumes on the
// awaiting coroutine's executor.
template <typename Token>
auto RunOnPool(asio::thread_pool& pool, const http::Handler& handler, http::Request& request,
               Token&& token) {
  return asio::async_initiate<Token, void(http::Response)>(
      [&pool, &handler, &request](auto completion) {
        auto work = asio::make_work_guard(asio::get_associated_executor(completion));
        asio::post(pool, [&handler, &request, completion = std::move(completion),
                          work = std::move(work)]() mutable {
          http::Response resp;
          try {
            resp = handler(request);
          } catch (...) {
            resp = http::Response();
            resp.status = 500;
            resp.headers.Set("Content-Type", "application/json");
            resp.SetBody(
                R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                R"("message":"Internal error occurred: unexpected exception in handler",)"
                R"("reason":"InternalError","code":500})");
          }
          auto ex = work.get_executor();
          asio::post(ex, [completion = std::move(completion), resp = std::move(resp)]() mutable {
            completion(std::move(resp));
          });
          work.reset();
        });
      },
      token);
}

// ---------------------------------------------------------------------------------------
// StreamWriter for one connection. Producers (any thread) queue chunks under mu_; the
// connection coroutine takes them in batches. `wake_` posts a wake-up to the connection's
// strand; it is dropped by Detach() so nothing touches Asio once the connection has ended.
class ConnectionStreamWriter : public http::StreamWriter {
 public:
  struct Batch {
    std::vector<http::Response::Part>* chunks = nullptr;  // the caller's, refilled by Take
    bool finish = false;  // Close() called and the queue is drained: send the last chunk
    bool abort = false;   // client gone or queue overflow: drop the connection
  };

  ConnectionStreamWriter(size_t limit, std::function<void()> wake)
      : limit_(limit), wake_(std::move(wake)) {}

  bool Write(std::string chunk) override { return Push(http::Response::Part(std::move(chunk))); }

  bool Write(std::shared_ptr<const std::string> chunk) override {
    if (!chunk) return !IsClosed();
    return Push(http::Response::Part(std::move(chunk)));
  }

  void Close() override {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    finish_ = true;
    WakeLocked();
  }

  bool IsClosed() const override {
    std::lock_guard lock(mu_);
    return closed_;
  }

  void OnClose(std::function<void()> callback) override {
    std::unique_lock lock(mu_);
    if (callback_fired_) {
      lock.unlock();
      if (callback) callback();
      return;
    }
    callback_ = std::move(callback);
  }

  // Connection side (on its strand).
  // Swaps the queued chunks into `out` (cleared first), so the two vectors' capacity is
  // recycled between wake-ups instead of allocating a queue per batch.
  Batch Take(std::vector<http::Response::Part>& out) {
    out.clear();
    std::lock_guard lock(mu_);
    wake_pending_ = false;
    Batch b;
    b.chunks = &out;
    out.swap(queue_);
    queued_bytes_ = 0;
    b.abort = abort_;
    b.finish = finish_ && out.empty();
    return b;
  }

  void ClientGone() {
    std::lock_guard lock(mu_);
    closed_ = true;
    abort_ = true;
    queue_.clear();
    queued_bytes_ = 0;
  }

  // Ends the writer for good; returns the OnClose callback to run (once).
  std::function<void()> Detach() {
    std::lock_guard lock(mu_);
    closed_ = true;
    wake_ = nullptr;
    queue_.clear();
    queued_bytes_ = 0;
    if (callback_fired_) return nullptr;
    callback_fired_ = true;
    return std::move(callback_);
  }

 private:
  static size_t PartSize(const http::Response::Part& part) {
    if (const auto* text = std::get_if<std::string>(&part)) return text->size();
    return std::get<std::shared_ptr<const std::string>>(part)->size();
  }

  bool Push(http::Response::Part chunk) {
    const size_t size = PartSize(chunk);
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (size == 0) return true;  // a zero-length chunk would end the stream
    if (queued_bytes_ + size > limit_) {
      closed_ = true;
      abort_ = true;
      queue_.clear();
      queued_bytes_ = 0;
      WakeLocked();
      return false;
    }
    queued_bytes_ += size;
    queue_.push_back(std::move(chunk));
    WakeLocked();  // no-op while a wake-up is already pending
    return true;
  }

  void WakeLocked() {
    if (wake_pending_ || !wake_) return;
    wake_pending_ = true;
    wake_();
  }

  const size_t limit_;
  mutable std::mutex mu_;
  std::vector<http::Response::Part> queue_;
  size_t queued_bytes_ = 0;
  bool closed_ = false;
  bool finish_ = false;
  bool abort_ = false;
  bool wake_pending_ = false;
  bool callback_fired_ = false;
  std::function<void()> wake_;
  std::function<void()> callback_;
};

class HttpsServerImpl;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class Phase { kHandshake, kIdle, kReading, kHandling, kWriting, kStreaming, kDone };

  Connection(HttpsServerImpl* server, Executor executor, tcp::socket socket,
             asio::ssl::context& ctx);
  Awaitable<void> Run();
  // On the strand: the server is stopping.
  void OnStop();
  Executor executor() { return executor_; }

 private:
  Awaitable<bool> ServeOne(bool* keep_alive);
  Awaitable<void> WriteTooLarge();
  Awaitable<void> WriteResponse(const http::Response& resp, bool keep_alive, bool head);
  Awaitable<void> Stream(http::Response& resp);
  Awaitable<void> WatchForDisconnect();
  // Arms write_watchdog_ to close the socket after `timeout` unless the write finishes first.
  void ArmWriteWatchdog(std::chrono::seconds timeout);
  Awaitable<void> StreamWrite(const std::vector<asio::const_buffer>& buffers,
                              boost::system::error_code& ec);
  void CloseSocket();

  HttpsServerImpl* server_;
  Executor executor_;
  SslStream stream_;
  beast::flat_buffer buffer_;
  asio::steady_timer wake_timer_;
  // Bounds each streaming write: a watch client that stops reading is disconnected instead of
  // holding the connection (and a graceful stop) forever.
  asio::steady_timer write_watchdog_;
  bool stream_write_pending_ = false;
  Phase phase_ = Phase::kHandshake;
  bool client_gone_ = false;
  std::shared_ptr<ConnectionStreamWriter> writer_;
  std::string remote_;
  std::optional<std::string> cert_cn_;
  std::vector<std::string> cert_orgs_;
};

class HttpsServerImpl : public HttpsServer {
 public:
  HttpsServerImpl(const HttpsServerOptions& options, http::Handler handler)
      : options_(options),
        handler_(std::move(handler)),
        ssl_ctx_(asio::ssl::context::tls_server),
        pool_(static_cast<size_t>(std::max(1, options.worker_threads))),
        acceptor_(asio::make_strand(ioc_)) {}

  ~HttpsServerImpl() override {
    Stop();
    Wait();
    pool_.join();
  }

  Status Init();
  void StartThreads();

  uint16_t port() const override { return port_; }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
    });
    std::lock_guard lock(mu_);
    for (auto& [ptr, weak] : connections_) {
      if (auto conn = weak.lock()) {
        asio::post(conn->executor(), [conn] { conn->OnStop(); });
      }
    }
  }

  void Wait() override {
    std::lock_guard lock(wait_mu_);
    for (auto& t : io_threads_) {
      if (t.joinable()) t.join();
    }
  }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  const HttpsServerOptions& options() const { return options_; }
  const http::Handler& handler() const { return handler_; }
  asio::thread_pool& pool() { return pool_; }

  void Register(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mu_);
    connections_[c.get()] = c;
  }
  void Unregister(Connection* c) {
    std::lock_guard lock(mu_);
    connections_.erase(c);
  }

 private:
  Awaitable<void> AcceptLoop();

  HttpsServerOptions options_;
  http::Handler handler_;
  asio::io_context ioc_;
  asio::ssl::context ssl_ctx_;
  asio::thread_pool pool_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> io_threads_;
  std::mutex wait_mu_;
  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
};

// ---------------------------------------------------------------------------------------
Connection::Connection(HttpsServerImpl* server, Executor executor, tcp::socket socket,
                       asio::ssl::context& ctx)
    : server_(server),
      executor_(std::move(executor)),
      stream_(beast::tcp_stream(std::move(socket)), ctx),
      wake_timer_(executor_),
      write_watchdog_(executor_) {
  boost::system::error_code ec;
  auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (!ec) remote_ = FormatEndpoint(ep);
}

void Connection::CloseSocket() {
  boost::system::error_code ec;
  beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(stream_).close();
}

void Connection::OnStop() {
  switch (phase_) {
    case Phase::kHandshake:
    case Phase::kIdle:
    case Phase::kReading:
      CloseSocket();
      break;
    case Phase::kStreaming:
      if (writer_) writer_->Close();
      if (stream_write_pending_) ArmWriteWatchdog(std::chrono::seconds(2));
      break;
    default:  // in flight: the loop sees stopping() after the response is written
      break;
  }
}

Awaitable<void> Connection::Run() {
  auto self = shared_from_this();
  const auto& opt = server_->options();
  boost::system::error_code ec;
  auto& tcp_layer = beast::get_lowest_layer(stream_);
  if (!server_->stopping()) {
    tcp_layer.expires_after(std::chrono::seconds(opt.handshake_timeout_seconds));
    co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                     asio::redirect_error(use_awaitable, ec));
    if (!ec) {
      ReadClientIdentity(stream_.native_handle(), &cert_cn_, &cert_orgs_);
      bool keep_alive = true;
      while (keep_alive && !server_->stopping()) {
        if (!co_await ServeOne(&keep_alive)) break;
      }
    }
  }
  phase_ = Phase::kDone;
  CloseSocket();
  server_->Unregister(this);
}

Awaitable<bool> Connection::ServeOne(bool* keep_alive) {
  const auto& opt = server_->options();
  auto& tcp_layer = beast::get_lowest_layer(stream_);
  boost::system::error_code ec;

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  parser.body_limit(opt.max_body_bytes);

  phase_ = Phase::kIdle;
  tcp_layer.expires_after(std::chrono::seconds(opt.idle_timeout_seconds));
  co_await bhttp::async_read_header(stream_, buffer_, parser,
                                    asio::redirect_error(use_awaitable, ec));
  phase_ = Phase::kReading;
  // Beast reports a Content-Length over body_limit as soon as the header is complete.
  if (ec == bhttp::error::body_limit ||
      (!ec && parser.content_length() && *parser.content_length() > opt.max_body_bytes)) {
    co_await WriteTooLarge();
    co_return false;
  }
  if (ec) co_return false;  // closed, idle timeout, malformed header
  if (!parser.is_done()) {
    tcp_layer.expires_after(std::chrono::seconds(opt.read_timeout_seconds));
    if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(stream_, asio::buffer(kContinue),
                                 asio::redirect_error(use_awaitable, ec));
      if (ec) co_return false;
    }
    co_await bhttp::async_read(stream_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    if (ec == bhttp::error::body_limit) {
      co_await WriteTooLarge();
      co_return false;
    }
    if (ec) co_return false;
  }
  tcp_layer.expires_never();

  auto& msg = parser.get();
  *keep_alive = msg.keep_alive();
  bool head = msg.method() == bhttp::verb::head;
  http::Request req;
  req.method = std::string(msg.method_string());
  std::string_view target(msg.target().data(), msg.target().size());
  size_t q = target.find('?');
  req.path = http::PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    req.raw_query = std::string(target.substr(q + 1));
    req.query = http::ParseQuery(req.raw_query);
  }
  for (const auto& field : msg) {
    req.headers.Add(std::string_view(field.name_string().data(), field.name_string().size()),
                    std::string_view(field.value().data(), field.value().size()));
  }
  req.body = std::move(msg.body());
  req.remote_address = remote_;
  req.client_cert_common_name = cert_cn_;
  req.client_cert_organizations = cert_orgs_;

  phase_ = Phase::kHandling;
  http::Response resp = co_await RunOnPool(server_->pool(), server_->handler(), req, use_awaitable);

  if (resp.stream) {
    if (head) *keep_alive = false;
    co_await Stream(resp);
    co_return false;  // a stream ends the connection
  }
  if (server_->stopping()) *keep_alive = false;
  phase_ = Phase::kWriting;
  co_await WriteResponse(resp, *keep_alive, head);
  co_return !client_gone_;
}

Awaitable<void> Connection::WriteResponse(const http::Response& resp, bool keep_alive, bool head) {
  std::string header = StatusLineAndHeaders(resp);
  bool bodyless = resp.status == 204 || resp.status == 304 || resp.status < 200;
  if (!bodyless) {
    header += "Content-Length: ";
    header += std::to_string(resp.BodySize());
    header += "\r\n";
  }
  if (!keep_alive) header += "Connection: close\r\n";
  header += "\r\n";
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(1 + (head ? 0 : resp.body.size()));
  buffers.push_back(asio::buffer(header));
  if (!head && !bodyless) {
    for (const auto& part : resp.body) {
      auto b = PartBuffer(part);
      if (b.size() > 0) buffers.push_back(b);
    }
  }
  boost::system::error_code ec;
  auto& tcp_layer = beast::get_lowest_layer(stream_);
  tcp_layer.expires_after(std::chrono::seconds(server_->options().write_timeout_seconds));
  co_await asio::async_write(stream_, buffers, asio::redirect_error(use_awaitable, ec));
  tcp_layer.expires_never();
  if (ec) client_gone_ = true;
}

Awaitable<void> Connection::WriteTooLarge() {
  char body[512];
  int n = std::snprintf(body, sizeof(body), kTooLargeBody.data(), server_->options().max_body_bytes);
  http::Response resp;
  resp.status = 413;
  resp.headers.Set("Content-Type", "application/json");
  resp.SetBody(std::string(body, static_cast<size_t>(n)));
  phase_ = Phase::kWriting;
  co_await WriteResponse(resp, /*keep_alive=*/false, /*head=*/false);
  // Lingering close: stop sending, then drain what the client still sends for a moment, so
  // that closing with unread data does not reset the connection before it reads the 413.
  auto& tcp_layer = beast::get_lowest_layer(stream_);
  boost::system::error_code ec;
  tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink;
  size_t drained = 0;
  tcp_layer.expires_after(std::chrono::seconds(2));
  while (!ec && drained < 4 * server_->options().max_body_bytes + (1 << 20)) {
    size_t n2 = co_await tcp_layer.async_read_some(asio::buffer(sink),
                                                   asio::redirect_error(use_awaitable, ec));
    drained += n2;
  }
}

void Connection::ArmWriteWatchdog(std::chrono::seconds timeout) {
  write_watchdog_.expires_after(timeout);  // cancels an earlier wait
  std::weak_ptr<Connection> weak = shared_from_this();
  write_watchdog_.async_wait([weak](boost::system::error_code ec) {
    if (ec) return;  // re-armed or the write finished
    if (auto c = weak.lock()) c->CloseSocket();
  });
}

Awaitable<void> Connection::StreamWrite(const std::vector<asio::const_buffer>& buffers,
                                        boost::system::error_code& ec) {
  const auto& opt = server_->options();
  stream_write_pending_ = true;
  ArmWriteWatchdog(std::chrono::seconds(server_->stopping() ? 2 : opt.write_timeout_seconds));
  co_await asio::async_write(stream_, buffers, asio::redirect_error(use_awaitable, ec));
  stream_write_pending_ = false;
  write_watchdog_.cancel();
}

Awaitable<void> Connection::WatchForDisconnect() {
  auto self = shared_from_this();
  std::array<char, 512> sink;
  boost::system::error_code ec;
  while (!ec) {
    co_await stream_.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
  }
  client_gone_ = true;
  if (writer_) writer_->ClientGone();
  wake_timer_.cancel();
}

Awaitable<void> Connection::Stream(http::Response& resp) {
  auto self = shared_from_this();
  phase_ = Phase::kStreaming;
  auto& tcp_layer = beast::get_lowest_layer(stream_);
  tcp_layer.expires_never();
  std::weak_ptr<Connection> weak = self;
  auto exec = executor_;
  writer_ = std::make_shared<ConnectionStreamWriter>(
      server_->options().max_stream_queue_bytes, [weak, exec] {
        asio::post(exec, [weak] {
          if (auto c = weak.lock()) c->wake_timer_.cancel();
        });
      });

  boost::system::error_code ec;
  std::string header = StatusLineAndHeaders(resp);
  header += "Transfer-Encoding: chunked\r\n\r\n";
  std::vector<asio::const_buffer> buffers;
  buffers.push_back(asio::buffer(header));
  size_t first = resp.BodySize();
  std::string first_header = ChunkHeader(first);
  if (first > 0) {
    buffers.push_back(asio::buffer(first_header));
    for (const auto& part : resp.body) buffers.push_back(PartBuffer(part));
    buffers.push_back(asio::buffer("\r\n", 2));
  }
  co_await asio::async_write(stream_, buffers, asio::redirect_error(use_awaitable, ec));

  if (!ec) {
    asio::co_spawn(executor_, WatchForDisconnect(), [](std::exception_ptr) {});
    // The stream callback may block (it registers a watch): run it on the pool.
    if (server_->stopping()) writer_->Close();
    asio::post(server_->pool(), [fn = std::move(resp.stream), w = writer_] { fn(w); });

    std::vector<std::string> headers;
    std::vector<http::Response::Part> chunks;
    while (true) {
      auto batch = writer_->Take(chunks);
      if (batch.abort || client_gone_) break;
      if (!chunks.empty()) {
        buffers.clear();
        headers.clear();
        // One HTTP chunk for the whole batch: the shared event lines go out as they are
        // (no copy here); the TLS layer packs them into as few records as fit.
        size_t total = 0;
        buffers.push_back(asio::const_buffer());  // the chunk header, set below
        for (const auto& c : chunks) {
          buffers.push_back(PartBuffer(c));
          total += buffers.back().size();
        }
        buffers.push_back(asio::buffer("\r\n", 2));
        headers.push_back(ChunkHeader(total));
        buffers.front() = asio::buffer(headers.front());
        co_await StreamWrite(buffers, ec);
        if (ec) break;
        continue;
      }
      if (batch.finish) {
        static constexpr std::string_view kLast = "0\r\n\r\n";
        const std::vector<asio::const_buffer> last{asio::buffer(kLast.data(), kLast.size())};
        co_await StreamWrite(last, ec);
        break;
      }
      wake_timer_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
      ec.clear();
    }
  }
  if (auto callback = writer_->Detach()) asio::post(server_->pool(), std::move(callback));
  phase_ = Phase::kDone;
  CloseSocket();  // also ends WatchForDisconnect
}

// ---------------------------------------------------------------------------------------
StatusOr<tcp::endpoint> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::BadRequest("listen address needs a port: " + listen);
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(port_text, &used);
    if (used != port_text.size() || port < 0 || port > 65535) throw std::out_of_range("port");
  } catch (...) {
    return Status::BadRequest("bad port in listen address: " + listen);
  }
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return Status::BadRequest("listen host must be an IP address or localhost: " + host);
  return tcp::endpoint(addr, static_cast<unsigned short>(port));
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  static constexpr std::string_view kHttp11 = "http/1.1";
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (std::string_view(reinterpret_cast<const char*>(in + i + 1), len) == kHttp11) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

Status HttpsServerImpl::Init() {
  SSL_CTX* ctx = ssl_ctx_.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);  // less memory per idle connection
  if (SSL_CTX_use_certificate_chain_file(ctx, options_.cert_file.c_str()) != 1) {
    return Status::BadRequest(OpenSslError("cannot load serving certificate " + options_.cert_file));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, options_.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::BadRequest(OpenSslError("cannot load serving key " + options_.key_file));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Status::BadRequest(OpenSslError("serving key does not match the certificate"));
  }
  if (!options_.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, options_.client_ca_file.c_str(), nullptr) != 1) {
      return Status::BadRequest(OpenSslError("cannot load client CA " + options_.client_ca_file));
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options_.client_ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
    // Request a certificate, never require one; an unverifiable one only gives no identity
    // (ReadClientIdentity checks SSL_get_verify_result), as upstream's RequestClientCert.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  SSL_CTX_set_alpn_select_cb(ctx, &SelectAlpn, nullptr);

  HARU_ASSIGN_OR_RETURN(tcp::endpoint ep, ParseListen(options_.listen));
  boost::system::error_code ec;
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::ServiceUnavailable("cannot listen on " + options_.listen + ": " + ec.message());
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::OK();
}

Awaitable<void> HttpsServerImpl::AcceptLoop() {
  while (!stopping()) {
    Executor strand = asio::make_strand(ioc_);
    auto [ec, socket] = co_await acceptor_.async_accept(strand, asio::as_tuple(use_awaitable));
    if (ec) {
      if (stopping() || !acceptor_.is_open()) break;
      // Out of descriptors and similar: back off instead of spinning.
      asio::steady_timer t(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(asio::as_tuple(use_awaitable));
      continue;
    }
    boost::system::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);  // watch events go out at once
    auto conn = std::make_shared<Connection>(this, strand, std::move(socket), ssl_ctx_);
    Register(conn);
    asio::co_spawn(conn->executor(), conn->Run(), [](std::exception_ptr) {});
  }
}

void HttpsServerImpl::StartThreads() {
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), [](std::exception_ptr) {});
  int n = std::max(1, options_.io_threads);
  for (int i = 0; i < n; ++i) {
    io_threads_.emplace_back([this] {
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (...) {
          // A handler threw: keep serving the others.
        }
      }
    });
  }
}

}  // namespace

StatusOr<std::unique_ptr<HttpsServer>> StartHttpsServer(const HttpsServerOptions& options,
                                                        http::Handler handler) {
  if (!handler) return Status::BadRequest("StartHttpsServer: no handler");
  // Each watch holds a descriptor: lift the soft limit to the hard one (as Go does at start).
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  auto server = std::make_unique<HttpsServerImpl>(options, std::move(handler));
  HARU_RETURN_IF_ERROR(server->Init());
  server->StartThreads();
  return std::unique_ptr<HttpsServer>(std::move(server));
}

}  // namespace haru::server
