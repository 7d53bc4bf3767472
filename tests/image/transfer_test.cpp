// The registry client against real servers over loopback: warden's registry server (HTTP and
// HTTPS with a CA made by openssl), and a scriptable server for redirects, drops and stalls.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "support.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/server.hpp"
#include "warden/image/transfer.hpp"

namespace wi = warden::image;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7919) >> 3);
  return s;
}

wi::TransferOptions quick() {
  wi::TransferOptions o;
  o.connect_timeout = 2000ms;
  o.read_timeout = 2000ms;
  o.retry_backoff = 10ms;
  return o;
}

warden::Result<std::string> get(const std::string& url, wi::TransferOptions o = quick(),
                                uint64_t offset = 0, wi::ResourceInfo* info = nullptr) {
  wi::Session s(o);
  std::string body;
  auto r = s.download(url, offset, [&](const char* p, size_t n) {
    body.append(p, n);
    return true;
  });
  if (!r) return std::move(r).error();
  if (info) *info = *r;
  return body;
}

}  // namespace

TEST(Transfer, RegistryServerHttpRangeAndKeepAlive) {
  wt::TempDir dir;
  std::string data = pattern(3 * 1024 * 1024 + 17);
  wt::write_file(dir / "blob.xz", data);
  wt::write_file(dir / "small.txt", "small\n");
  std::mutex mu;
  std::vector<wi::AccessLogEntry> log;
  wi::ServerOptions so;
  so.access_log = [&](const wi::AccessLogEntry& e) {
    std::lock_guard lk(mu);
    log.push_back(e);
  };
  auto server = wi::RegistryServer::start(dir.path, so);
  ASSERT_TRUE(server) << server.error().message();
  std::string base = (*server)->url();

  wi::Session s(quick());
  auto small = s.fetch_small(base + "/small.txt");
  ASSERT_TRUE(small) << small.error().message();
  EXPECT_EQ(*small, "small\n");
  std::string body;
  auto r = s.download(base + "/blob.xz", 1000, [&](const char* p, size_t n) {
    body.append(p, n);
    return true;
  });
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(body, data.substr(1000));
  EXPECT_EQ(r->size, static_cast<int64_t>(data.size()));
  EXPECT_FALSE(r->etag.empty());

  {
    std::lock_guard lk(mu);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].remote, log[1].remote) << "one kept-alive connection";
    EXPECT_EQ(log[1].status, 206u);
    EXPECT_EQ(log[1].bytes, data.size() - 1000);
  }
  auto missing = s.fetch_small(base + "/nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), warden::ErrorCode::not_found);
  EXPECT_NE(missing.error().message().find("404"), std::string::npos);
  auto big = s.fetch_small(base + "/blob.xz", 1024);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message().find("larger than"), std::string::npos);
}

TEST(Transfer, HttpsWithATestCa) {
  wt::TempDir dir;
  wt::Certs certs = wt::make_certs(dir.path);
  wt::write_file(dir / "www/file", "over tls\n");
  wi::ServerOptions so;
  so.tls_cert = certs.server_cert;
  so.tls_key = certs.server_key;
  auto server = wi::RegistryServer::start(dir / "www", so);
  ASSERT_TRUE(server) << server.error().message();
  std::string url = (*server)->url() + "/file";
  ASSERT_EQ(url.rfind("https://127.0.0.1:", 0), 0u);

  // Without the CA: the system store does not know it.
  auto untrusted = get(url);
  ASSERT_FALSE(untrusted);
  EXPECT_NE(untrusted.error().message().find("certificate"), std::string::npos)
      << untrusted.error().message();

  auto o = quick();
  o.ca_file = certs.ca_cert;
  auto ok = get(url, o);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(*ok, "over tls\n");

  // The name must match too: the certificate is for 127.0.0.1 and localhost, not ::1 or other.
  auto wrong_ca = quick();
  wrong_ca.ca_file = certs.other_ca_cert;
  EXPECT_FALSE(get(url, wrong_ca));

  auto insecure = quick();
  insecure.insecure_skip_verify = true;
  auto skipped = get(url, insecure);
  ASSERT_TRUE(skipped) << skipped.error().message();
  EXPECT_EQ(*skipped, "over tls\n");

  auto bad_ca = quick();
  bad_ca.ca_file = dir / "missing.pem";
  auto bad = get(url, bad_ca);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("CA file"), std::string::npos);
}

TEST(Transfer, HostNameIsVerified) {
  wt::TempDir dir;
  wt::Certs certs = wt::make_certs(dir.path);
  // A certificate for another name only.
  std::string script =
      "cd " + wt::shell_quote(dir.path) +
      " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout o.key -out o.csr"
      " -subj /CN=example.org && printf 'subjectAltName=DNS:example.org\\n' > o.cnf"
      " && openssl x509 -req -in o.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out o.pem -days 2 "
      "-extfile o.cnf";
  std::string out;
  ASSERT_EQ(wt::run("sh -c " + wt::shell_quote(script), &out), 0) << out;
  wt::write_file(dir / "www/file", "x");
  wi::ServerOptions so;
  so.tls_cert = dir / "o.pem";
  so.tls_key = dir / "o.key";
  auto server = wi::RegistryServer::start(dir / "www", so);
  ASSERT_TRUE(server);
  auto o = quick();
  o.ca_file = certs.ca_cert;
  auto r = get((*server)->url() + "/file", o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("certificate"), std::string::npos) << r.error().message();
}

TEST(Transfer, FollowsRedirectsAndStopsLoops) {
  wt::TempDir dir;
  wt::write_file(dir / "real/file", "found me\n");
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        if (req.target == "/a") return c.respond(302, "", {{"Location", "/b"}});
        if (req.target == "/b") return c.respond(301, "", {{"Location", "real/file"}});
        if (req.target == "/loop1") return c.respond(307, "", {{"Location", "/loop2"}});
        if (req.target == "/loop2") return c.respond(308, "", {{"Location", "/loop1"}});
        wt::serve_file(dir.path, req, c);
      });
  wi::ResourceInfo info;
  auto ok = get(server.url() + "/a", quick(), 0, &info);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(*ok, "found me\n");
  EXPECT_EQ(info.redirects, 2);
  EXPECT_EQ(info.url, server.url() + "/real/file");

  auto loop = get(server.url() + "/loop1");
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().code(), wi::errc::network);
  EXPECT_NE(loop.error().message().find("too many redirects"), std::string::npos);
  EXPECT_EQ(server.hits("/loop1") + server.hits("/loop2"), 6)
      << "the first request and 5 redirects";
}

TEST(Transfer, ResumesAfterTheServerDropsTheConnection) {
  std::string data = pattern(1 << 20);
  std::atomic<int> drops{0};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request& req,
                                wt::TestHttpServer::Conn& c) {
    auto range = req.headers.find("range");
    size_t from = range == req.headers.end() ? 0 : std::stoull(range->second.substr(6));
    std::string head = from == 0
                           ? "HTTP/1.1 200 OK\r\n"
                           : "HTTP/1.1 206 Partial\r\nContent-Range: bytes " +
                                 std::to_string(from) + "-" + std::to_string(data.size() - 1) +
                                 "/" + std::to_string(data.size()) + "\r\n";
    head += "Content-Length: " + std::to_string(data.size() - from) + "\r\nETag: \"v1\"\r\n\r\n";
    c.write(head);
    // The first two responses break off after 300 KB.
    if (drops < 2) {
      ++drops;
      c.write(data.substr(from, 300 * 1024));
      return;  // closes the connection mid-body
    }
    c.write(data.substr(from));
  });
  wi::ResourceInfo info;
  auto r = get(server.url() + "/img.xz", quick(), 0, &info);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, data);
  EXPECT_EQ(info.resumes, 2);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].headers.count("range"), 0u);
  EXPECT_EQ(reqs[1].headers["range"], "bytes=307200-");
  EXPECT_EQ(reqs[1].headers["if-range"], "\"v1\"");
  EXPECT_EQ(reqs[2].headers["range"], "bytes=614400-");
}

TEST(Transfer, ServerIgnoringRangeIsHandled) {
  std::string data = pattern(200000);
  std::atomic<int> n{0};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    // Always the whole file with 200; the first time only half of it.
    c.write("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(data.size()) + "\r\n\r\n");
    c.write(n++ == 0 ? data.substr(0, 100000) : data);
  });
  auto r = get(server.url() + "/x");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, data);
}

TEST(Transfer, RetriesTransientErrorsWithBackoffThenGivesUp) {
  std::atomic<int> calls{0};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    if (calls++ < 2) return c.respond(503, "busy\n");
    c.respond(200, "finally\n");
  });
  auto o = quick();
  o.retries = 3;
  o.retry_backoff = 50ms;
  auto start = Clock::now();
  auto r = get(server.url() + "/x", o);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, "finally\n");
  EXPECT_GE(Clock::now() - start, 50ms + 100ms - 40ms) << "two pauses: ~50 ms then ~100 ms";

  wt::TestHttpServer always([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    c.respond(500, "broken\n");
  });
  o.retries = 2;
  o.retry_backoff = 5ms;
  auto bad = get(always.url() + "/x", o);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("HTTP 500"), std::string::npos);
  EXPECT_NE(bad.error().message().find("after 3 attempts"), std::string::npos);
  EXPECT_EQ(always.hits("/x"), 3);

  // 4xx other than 408/429 is not retried.
  wt::TestHttpServer forbidden([&](const wt::TestHttpServer::Request&,
                                   wt::TestHttpServer::Conn& c) { c.respond(403, "no\n"); });
  EXPECT_FALSE(get(forbidden.url() + "/x", o));
  EXPECT_EQ(forbidden.hits("/x"), 1);
}

TEST(Transfer, ReadTimeoutOnAStalledServer) {
  std::atomic<bool> release{false};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
    while (!release) std::this_thread::sleep_for(10ms);
  });
  auto o = quick();
  o.read_timeout = 300ms;
  o.retries = 1;
  auto start = Clock::now();
  auto r = get(server.url() + "/x", o);
  release = true;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), wi::errc::timeout);
  EXPECT_NE(r.error().message().find("timed out after 300 ms"), std::string::npos)
      << r.error().message();
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_EQ(server.hits("/x"), 2) << "one retry";
}

TEST(Transfer, TotalTimeoutOnATricklingServer) {
  std::atomic<bool> release{false};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    c.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    for (int i = 0; i < 1000 && !release; ++i) {
      if (!c.write("x")) break;
      std::this_thread::sleep_for(20ms);
    }
  });
  auto o = quick();
  o.read_timeout = 1000ms;  // never reached: a byte arrives every 20 ms
  o.total_timeout = 400ms;
  auto start = Clock::now();
  auto r = get(server.url() + "/x", o);
  release = true;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), wi::errc::timeout);
  EXPECT_NE(r.error().message().find("total timeout 400 ms"), std::string::npos)
      << r.error().message();
  auto took = Clock::now() - start;
  EXPECT_GE(took, 350ms);
  EXPECT_LT(took, 2s);
}

TEST(Transfer, ConnectTimeoutWhenNobodyAccepts) {
  // A listening socket whose backlog is full: the kernel drops further SYNs, so connect()
  // hangs until our timeout.
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(l, 0), 0);
  socklen_t len = sizeof a;
  ::getsockname(l, reinterpret_cast<sockaddr*>(&a), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(f, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(50ms);
  auto o = quick();
  o.connect_timeout = 300ms;
  o.retries = 0;
  auto start = Clock::now();
  auto r = get("http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/x", o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), wi::errc::timeout);
  EXPECT_NE(r.error().message().find("connecting"), std::string::npos) << r.error().message();
  EXPECT_LT(Clock::now() - start, 2s);
  for (int f : fillers) ::close(f);
  ::close(l);

  // Nobody listening at all: a clear connection error.
  auto refused = get("http://127.0.0.1:" + std::to_string(wt::free_port()) + "/x", o);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("cannot connect"), std::string::npos)
      << refused.error().message();
}

TEST(Transfer, CancellationStopsAWaitingDownload) {
  std::atomic<bool> release{false};
  wt::TestHttpServer server([&](const wt::TestHttpServer::Request&, wt::TestHttpServer::Conn& c) {
    c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    while (!release) std::this_thread::sleep_for(10ms);
  });
  wi::CancelToken parent;
  wi::CancelToken token(&parent);
  auto o = quick();
  o.read_timeout = 10000ms;
  o.cancel = &token;
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    parent.cancel();
  });
  auto start = Clock::now();
  auto r = get(server.url() + "/x", o);
  canceller.join();
  release = true;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), wi::errc::cancelled);
  EXPECT_NE(r.error().message().find("cancelled"), std::string::npos);
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST(Transfer, FileUrls) {
  wt::TempDir dir;
  wt::write_file(dir / "a b/file.xz", "local bytes");
  auto r = get("file://" + dir.path + "/a%20b/file.xz", quick(), 6);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, "bytes");
  auto missing = get("file://" + dir.path + "/none");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), warden::ErrorCode::not_found);
}

TEST(Transfer, ResolvesRedirectLocations) {
  EXPECT_EQ(wi::resolve_url("http://h:1/a/b/c.xz", "d.xz"), "http://h:1/a/b/d.xz");
  EXPECT_EQ(wi::resolve_url("http://h:1/a/b/c.xz", "../d.xz"), "http://h:1/a/d.xz");
  EXPECT_EQ(wi::resolve_url("http://h:1/a/b/c.xz", "/x/./y"), "http://h:1/x/y");
  EXPECT_EQ(wi::resolve_url("https://h/a", "//other/z"), "https://other/z");
  EXPECT_EQ(wi::resolve_url("https://h/a", "http://o/z"), "http://o/z");
}
