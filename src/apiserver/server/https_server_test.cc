// End-to-end tests of HttpsServer with a small blocking TLS client (Asio + Beast, sync).

#include "apiserver/server/https_server.h"

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include "auth/pki.h"

namespace haru::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::string TempDir() {
  std::string tmpl = ::testing::TempDir() + "haru_server_XXXXXX";
  EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

struct TlsClient {
  asio::io_context ioc;
  asio::ssl::context ctx{asio::ssl::context::tls_client};
  std::unique_ptr<asio::ssl::stream<tcp::socket>> stream;
  beast::flat_buffer buffer;

  TlsClient(uint16_t port, const auth::PkiFiles& trust, const std::string& cert = "",
            const std::string& key = "") {
    ctx.load_verify_file(trust.ca_cert);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    if (!cert.empty()) {
      ctx.use_certificate_chain_file(cert);
      ctx.use_private_key_file(key, asio::ssl::context::pem);
    }
    stream = std::make_unique<asio::ssl::stream<tcp::socket>>(ioc, ctx);
    static const unsigned char kProtos[] = "\x02h2\x08http/1.1";
    SSL_set_alpn_protos(stream->native_handle(), kProtos, sizeof(kProtos) - 1);
    stream->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream->handshake(asio::ssl::stream_base::client);
  }

  std::string Alpn() {
    const unsigned char* data = nullptr;
    unsigned int len = 0;
    SSL_get0_alpn_selected(stream->native_handle(), &data, &len);
    return std::string(reinterpret_cast<const char*>(data), len);
  }

  bhttp::response<bhttp::string_body> Do(bhttp::verb verb, const std::string& target,
                                         const std::string& body = "") {
    bhttp::request<bhttp::string_body> req(verb, target, 11);
    req.set(bhttp::field::host, "localhost");
    req.body() = body;
    if (!body.empty() || verb == bhttp::verb::post) req.prepare_payload();
    bhttp::write(*stream, req);
    bhttp::response<bhttp::string_body> resp;
    bhttp::read(*stream, buffer, resp);
    return resp;
  }
};

// A handler with a few test routes; "/stream" hands its writer to the test.
struct TestHandler {
  std::mutex mu;
  std::condition_variable cv;
  std::shared_ptr<http::StreamWriter> writer;
  bool closed = false;
  std::atomic<int> in_block{0};
  int block_target = 0;
  std::vector<std::shared_ptr<http::StreamWriter>> many;

  http::Response operator()(http::Request& req) {
    http::Response resp;
    resp.headers.Set("Content-Type", "text/plain");
    if (req.path == "/stream") {
      resp.SetBody("first\n");
      resp.stream = [this](std::shared_ptr<http::StreamWriter> w) {
        w->OnClose([this] {
          std::lock_guard lock(mu);
          closed = true;
          cv.notify_all();
        });
        w->Write("a\n");
        w->Write("b\n");
        w->Write("");
        w->Write("c\n");
        std::lock_guard lock(mu);
        writer = w;
        cv.notify_all();
      };
      return resp;
    }
    if (req.path == "/many") {
      resp.stream = [this](std::shared_ptr<http::StreamWriter> w) {
        std::lock_guard lock(mu);
        many.push_back(w);
        cv.notify_all();
      };
      return resp;
    }
    if (req.path == "/block") {
      // Waits until `block_target` requests are in the handler at once.
      std::unique_lock lock(mu);
      ++in_block;
      cv.notify_all();
      bool all = cv.wait_for(lock, 10s, [&] { return in_block.load() >= block_target; });
      resp.status = all ? 200 : 503;
      return resp;
    }
    resp.Append("method=" + req.method + "\n");
    resp.Append(std::make_shared<const std::string>("path=" + req.path + "\n"));
    resp.Append("query=" + req.raw_query + "\n");
    resp.Append("a=" + std::string(req.Query("a")) + "\n");
    resp.Append("body=" + req.body + "\n");
    resp.Append("cn=" + req.client_cert_common_name.value_or("<none>") + "\n");
    std::string orgs;
    for (const auto& o : req.client_cert_organizations) orgs += o + ";";
    resp.Append("o=" + orgs + "\n");
    resp.Append(std::string("remote=") + (req.remote_address.empty() ? "no" : "yes") + "\n");
    resp.Append("ua=" + std::string(req.headers.Get("user-agent")) + "\n");
    return resp;
  }

  std::shared_ptr<http::StreamWriter> WaitWriter() {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 10s, [&] { return writer != nullptr; });
    return writer;
  }
  bool WaitClosed() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 10s, [&] { return closed; });
  }
};

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto pki = auth::EnsurePki(dir_ + "/a", {});
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = *pki;
    auto other = auth::EnsurePki(dir_ + "/b", {});  // a different CA
    ASSERT_TRUE(other.ok());
    other_ = *other;
    HttpsServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.cert_file = pki_.serving_cert;
    opt.key_file = pki_.serving_key;
    opt.client_ca_file = pki_.ca_cert;
    opt.worker_threads = 40;
    opt.max_body_bytes = 1024;
    auto server = StartHttpsServer(opt, [this](http::Request& r) { return handler_(r); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  auth::PkiFiles pki_, other_;
  TestHandler handler_;
  std::unique_ptr<HttpsServer> server_;
};

TEST_F(HttpsServerTest, KeepAliveGetAndPost) {
  TlsClient c(server_->port(), pki_);
  EXPECT_EQ(c.Alpn(), "http/1.1");
  auto r1 = c.Do(bhttp::verb::get, "/api/v1/name%20space?a=hello%20world&b=2");
  EXPECT_EQ(r1.result_int(), 200);
  EXPECT_EQ(r1[bhttp::field::content_type], "text/plain");
  EXPECT_NE(r1.body().find("method=GET\npath=/api/v1/name space\nquery=a=hello%20world&b=2\n"
                           "a=hello world\n"),
            std::string::npos)
      << r1.body();
  EXPECT_NE(r1.body().find("cn=<none>\n"), std::string::npos);
  EXPECT_NE(r1.body().find("remote=yes\n"), std::string::npos);
  EXPECT_TRUE(r1.keep_alive());
  auto r2 = c.Do(bhttp::verb::post, "/x", "{\"kind\":\"Pod\"}");
  EXPECT_EQ(r2.result_int(), 200);
  EXPECT_NE(r2.body().find("method=POST\n"), std::string::npos);
  EXPECT_NE(r2.body().find("body={\"kind\":\"Pod\"}\n"), std::string::npos);
  auto r3 = c.Do(bhttp::verb::get, "/again");
  EXPECT_NE(r3.body().find("path=/again\n"), std::string::npos);
}

TEST_F(HttpsServerTest, TooLargeBodyIs413WithoutReadingIt) {
  TlsClient c(server_->port(), pki_);
  std::string head =
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
  asio::write(*c.stream, asio::buffer(head + std::string(100, 'x')));
  bhttp::response<bhttp::string_body> resp;
  bhttp::read(*c.stream, c.buffer, resp);
  EXPECT_EQ(resp.result_int(), 413);
  EXPECT_EQ(resp.body(),
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
            R"("message":"Request entity too large: limit is 1024","reason":"RequestEntityTooLarge",)"
            R"("code":413})");
  EXPECT_FALSE(resp.keep_alive());
}

TEST_F(HttpsServerTest, TooLargeChunkedBodyIs413) {
  TlsClient c(server_->port(), pki_);
  std::string chunk(2000, 'y');
  std::string msg = "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" +
                    chunk + "\r\n0\r\n\r\n";
  asio::write(*c.stream, asio::buffer(msg));
  bhttp::response<bhttp::string_body> resp;
  bhttp::read(*c.stream, c.buffer, resp);
  EXPECT_EQ(resp.result_int(), 413);
}

TEST_F(HttpsServerTest, ClientCertificateIdentity) {
  {
    TlsClient c(server_->port(), pki_, pki_.admin_cert, pki_.admin_key);
    auto r = c.Do(bhttp::verb::get, "/whoami");
    EXPECT_NE(r.body().find("cn=kubernetes-admin\no=system:masters;\n"), std::string::npos)
        << r.body();
  }
  {
    // Signed by another CA: the connection works, but carries no identity.
    TlsClient c(server_->port(), pki_, other_.admin_cert, other_.admin_key);
    auto r = c.Do(bhttp::verb::get, "/whoami");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_NE(r.body().find("cn=<none>\no=\n"), std::string::npos) << r.body();
  }
}

TEST_F(HttpsServerTest, MalformedRequestClosesConnection) {
  {
    TlsClient c(server_->port(), pki_);
    asio::write(*c.stream, asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
    char buf[64];
    boost::system::error_code ec;
    c.stream->read_some(asio::buffer(buf), ec);
    EXPECT_TRUE(ec);
  }
  TlsClient c(server_->port(), pki_);
  EXPECT_EQ(c.Do(bhttp::verb::get, "/still-serving").result_int(), 200);
}

TEST_F(HttpsServerTest, StreamsChunksAndEndsOnClose) {
  TlsClient c(server_->port(), pki_);
  bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/stream?watch=1", 11);
  req.set(bhttp::field::host, "x");
  bhttp::write(*c.stream, req);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  bhttp::read_header(*c.stream, c.buffer, parser);
  EXPECT_EQ(parser.get().result_int(), 200);
  EXPECT_TRUE(parser.chunked());
  while (parser.get().body() != "first\na\nb\nc\n") {
    bhttp::read_some(*c.stream, c.buffer, parser);
    ASSERT_LE(parser.get().body().size(), 12u);
  }
  auto writer = handler_.WaitWriter();
  ASSERT_TRUE(writer);
  EXPECT_TRUE(writer->Write("d\n"));
  while (parser.get().body().size() < 14) bhttp::read_some(*c.stream, c.buffer, parser);
  EXPECT_EQ(parser.get().body(), "first\na\nb\nc\nd\n");
  writer->Close();
  EXPECT_FALSE(writer->Write("late"));
  while (!parser.is_done()) bhttp::read_some(*c.stream, c.buffer, parser);
  EXPECT_EQ(parser.get().body(), "first\na\nb\nc\nd\n");
  EXPECT_TRUE(handler_.WaitClosed());
}

TEST_F(HttpsServerTest, StreamNoticesClientDisconnect) {
  {
    TlsClient c(server_->port(), pki_);
    bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/stream", 11);
    req.set(bhttp::field::host, "x");
    bhttp::write(*c.stream, req);
    ASSERT_TRUE(handler_.WaitWriter());
    c.stream->next_layer().close();
  }
  EXPECT_TRUE(handler_.WaitClosed());
  auto writer = handler_.WaitWriter();
  for (int i = 0; i < 100 && !writer->IsClosed(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(writer->IsClosed());
  EXPECT_FALSE(writer->Write("x"));
}

TEST_F(HttpsServerTest, HandlersRunConcurrentlyOnWorkers) {
  constexpr int kClients = 32;
  handler_.block_target = kClients;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&] {
      TlsClient c(server_->port(), pki_);
      if (c.Do(bhttp::verb::get, "/block").result_int() == 200) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients);
}

TEST_F(HttpsServerTest, ManyConcurrentStreams) {
  constexpr size_t kStreams = 500;
  std::vector<std::unique_ptr<TlsClient>> clients;
  std::vector<std::unique_ptr<bhttp::response_parser<bhttp::string_body>>> parsers;
  for (size_t i = 0; i < kStreams; ++i) {
    clients.push_back(std::make_unique<TlsClient>(server_->port(), pki_));
    bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/many", 11);
    req.set(bhttp::field::host, "x");
    bhttp::write(*clients.back()->stream, req);
  }
  {
    std::unique_lock lock(handler_.mu);
    ASSERT_TRUE(handler_.cv.wait_for(lock, 30s, [&] { return handler_.many.size() == kStreams; }));
  }
  for (auto& w : handler_.many) EXPECT_TRUE(w->Write("event\n"));
  for (auto& c : clients) {
    bhttp::response_parser<bhttp::string_body> parser;
    bhttp::read_header(*c->stream, c->buffer, parser);
    while (parser.get().body().size() < 6) bhttp::read_some(*c->stream, c->buffer, parser);
    EXPECT_EQ(parser.get().body(), "event\n");
  }
}

TEST_F(HttpsServerTest, StopEndsOpenStreamsAndIdleConnections) {
  TlsClient idle(server_->port(), pki_);
  EXPECT_EQ(idle.Do(bhttp::verb::get, "/x").result_int(), 200);
  TlsClient c(server_->port(), pki_);
  bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/stream", 11);
  req.set(bhttp::field::host, "x");
  bhttp::write(*c.stream, req);
  ASSERT_TRUE(handler_.WaitWriter());
  server_->Stop();
  bhttp::response_parser<bhttp::string_body> parser;
  boost::system::error_code ec;
  while (!parser.is_done() && !ec) bhttp::read_some(*c.stream, c.buffer, parser, ec);
  EXPECT_TRUE(parser.is_done()) << ec.message();
  EXPECT_TRUE(handler_.WaitClosed());
  char buf[16];
  idle.stream->read_some(asio::buffer(buf), ec);
  EXPECT_TRUE(ec);  // closed by the server
  server_->Wait();
}

}  // namespace
}  // namespace haru::server
