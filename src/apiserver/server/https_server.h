#pragma once
// The HTTPS front door: TLS (OpenSSL 3), HTTP/1.1 keep-alive, optional client certificates,
// chunked streaming for watches. Requests are parsed into http::Request and handed to the
// handler on a worker thread pool (handlers may block); I/O threads never run handlers.
// Boost.Beast and Asio stay inside https_server.cc. All methods are thread-safe.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "apiserver/http/response.h"
#include "common/status.h"

namespace haru::server {

struct HttpsServerOptions {
  // "host:port", "[::1]:port" or ":port" (all interfaces). Port 0 picks a free port.
  std::string listen = "127.0.0.1:6443";
  std::string cert_file;       // PEM serving certificate (chain). REQUIRED.
  std::string key_file;        // PEM private key. REQUIRED.
  std::string client_ca_file;  // PEM CA bundle; when set, client certificates are requested
                               // (optional for the client) and verified against it.
  int io_threads = 1;
  int worker_threads = 96;  // handler threads; many, so requests can wait on one group commit
  size_t max_body_bytes = 3 * 1024 * 1024;  // upstream's MaxRequestBodyBytes; larger → 413
  size_t max_header_bytes = 1024 * 1024;    // upstream's MaxHeaderBytes
  int handshake_timeout_seconds = 10;
  int idle_timeout_seconds = 90;     // keep-alive wait for the next request
  int read_timeout_seconds = 60;     // reading one request once its first byte arrived
  int write_timeout_seconds = 60;    // writing one non-streaming response
  size_t max_stream_queue_bytes = 16 * 1024 * 1024;  // a watch queue past this is cut off
};

class HttpsServer {
 public:
  virtual ~HttpsServer() = default;  // Stop() + Wait()
  // The bound port (the chosen one when the option said 0).
  virtual uint16_t port() const = 0;
  // Graceful: stops accepting, closes idle connections and open streams (final chunk), lets
  // in-flight requests finish and answers them with "Connection: close". Returns at once.
  virtual void Stop() = 0;
  // Blocks until the server has stopped (after Stop(), from any thread).
  virtual void Wait() = 0;
};

// Binds, loads the certificates and starts the I/O and worker threads.
StatusOr<std::unique_ptr<HttpsServer>> StartHttpsServer(const HttpsServerOptions& options,
                                                        http::Handler handler);

}  // namespace haru::server
