#pragma once
// A response is status + headers + a body made of parts, so a LIST can hand out the stored
// object buffers without copying them (scatter-gather write), or a stream for watches.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "apiserver/http/request.h"

namespace haru::http {

// The write side of a streaming response (watch). Implemented by the server per connection.
// Thread-safe. Write never blocks: it queues the chunk and returns false when the stream is
// closed or its queue is over its limit (the caller then ends the watch, as upstream closes
// slow watchers).
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  virtual bool Write(std::string chunk) = 0;
  // Queues an immutable chunk shared with other streams (a watch event line encoded once for
  // every watcher) without copying it. The default copies; the server's writer shares it.
  virtual bool Write(std::shared_ptr<const std::string> chunk) {
    return chunk ? Write(std::string(*chunk)) : !IsClosed();
  }
  // Ends the response (last chunk). Safe to call more than once.
  virtual void Close() = 0;
  virtual bool IsClosed() const = 0;
  // Runs once when the client goes away or Close() is called. Replaces an earlier callback.
  virtual void OnClose(std::function<void()> callback) = 0;
};

struct Response {
  using Part = std::variant<std::string, std::shared_ptr<const std::string>>;

  int status = 200;
  Headers headers;  // Content-Type etc. Content-Length is set by the server.
  std::vector<Part> body;

  // When set, the server sends the headers with chunked encoding and calls this once with the
  // connection's writer; `body` is sent first as the first chunk when not empty.
  std::function<void(std::shared_ptr<StreamWriter>)> stream;

  void SetBody(std::string text) {
    body.clear();
    body.emplace_back(std::move(text));
  }
  void Append(std::string text) { body.emplace_back(std::move(text)); }
  void Append(std::shared_ptr<const std::string> shared) { body.emplace_back(std::move(shared)); }
  size_t BodySize() const;
  std::string BodyString() const;  // concatenation (tests, small bodies)
};

// The request handler the server calls, on a worker thread (may block on storage).
using Handler = std::function<Response(Request&)>;

}  // namespace haru::http
