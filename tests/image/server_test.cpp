// `minipot registry serve`'s server, checked with curl as an independent client.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.hpp"
#include "warden/image/server.hpp"

namespace wi = warden::image;

namespace {

struct Served {
  Served(bool tls = false) {
    wt::write_file(dir / "reg/img_1.0.xz", "0123456789");
    wt::write_file(dir / "reg/img_1.0.xz.meta", "-\n");
    wt::write_file(dir / "reg/sub/dir/x", "x");
    wt::write_file(dir / "reg/a <b>&.txt", "odd name");
    wt::write_file(dir / "secret", "outside\n");
    ::symlink((dir / "secret").c_str(), (dir / "reg/leak").c_str());
    ::symlink("img_1.0.xz.meta", (dir / "reg/inner-link").c_str());
    wi::ServerOptions o;
    if (tls) {
      certs = wt::make_certs(dir.path);
      o.tls_cert = certs.server_cert;
      o.tls_key = certs.server_key;
    }
    auto s = wi::RegistryServer::start(dir / "reg", o);
    if (!s) throw std::runtime_error(s.error().message());
    server = std::move(*s);
  }
  // curl's output: headers (-i) and body.
  std::string curl(const std::string& args, int* status = nullptr) {
    std::string out;
    int rc = wt::run(
        "curl -s -i --path-as-is " +
            std::string(certs.ca_cert.empty() ? "" : "--cacert " + certs.ca_cert + " ") + args,
        &out);
    if (status) *status = rc;
    return out;
  }
  wt::TempDir dir;
  wt::Certs certs;
  std::unique_ptr<wi::RegistryServer> server;
};

}  // namespace

TEST(RegistryServer, ServesFilesWithRanges) {
  if (!wt::have_program("curl")) GTEST_SKIP() << "curl missing";
  Served s;
  std::string u = s.server->url();
  std::string full = s.curl(u + "/img_1.0.xz");
  EXPECT_NE(full.find("HTTP/1.1 200"), std::string::npos) << full;
  EXPECT_NE(full.find("Accept-Ranges: bytes"), std::string::npos);
  EXPECT_NE(full.find("Content-Length: 10"), std::string::npos);
  EXPECT_EQ(full.substr(full.size() - 10), "0123456789");

  std::string part = s.curl("-r 3-5 " + u + "/img_1.0.xz");
  EXPECT_NE(part.find("HTTP/1.1 206"), std::string::npos) << part;
  EXPECT_NE(part.find("Content-Range: bytes 3-5/10"), std::string::npos);
  EXPECT_EQ(part.substr(part.size() - 3), "345");

  std::string suffix = s.curl("-H 'Range: bytes=-4' " + u + "/img_1.0.xz");
  EXPECT_EQ(suffix.substr(suffix.size() - 4), "6789");
  std::string open_end = s.curl("-H 'Range: bytes=8-' " + u + "/img_1.0.xz");
  EXPECT_EQ(open_end.substr(open_end.size() - 2), "89");
  std::string past = s.curl("-H 'Range: bytes=10-' " + u + "/img_1.0.xz");
  EXPECT_NE(past.find("HTTP/1.1 416"), std::string::npos);
  EXPECT_NE(past.find("Content-Range: bytes */10"), std::string::npos);

  // If-Range with a stale validator: the whole file.
  std::string stale = s.curl("-H 'Range: bytes=5-' -H 'If-Range: \"nope\"' " + u + "/img_1.0.xz");
  EXPECT_NE(stale.find("HTTP/1.1 200"), std::string::npos);
  // HEAD: headers only.
  std::string head = s.curl("-I " + u + "/img_1.0.xz");
  EXPECT_NE(head.find("Content-Length: 10"), std::string::npos);
  EXPECT_EQ(head.find("0123456789"), std::string::npos);
  std::string post = s.curl("-X POST " + u + "/img_1.0.xz");
  EXPECT_NE(post.find("HTTP/1.1 405"), std::string::npos);
}

TEST(RegistryServer, ListsDirectoriesAndStaysInsideTheRoot) {
  if (!wt::have_program("curl")) GTEST_SKIP() << "curl missing";
  Served s;
  std::string u = s.server->url();
  std::string index = s.curl(u + "/");
  EXPECT_NE(index.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(index.find("<a href=\"img_1.0.xz\">img_1.0.xz</a>"), std::string::npos) << index;
  EXPECT_NE(index.find("<a href=\"sub/\">sub/</a>"), std::string::npos);
  EXPECT_NE(index.find("a &lt;b&gt;&amp;.txt"), std::string::npos) << "names are escaped";
  std::string redirect = s.curl(u + "/sub");
  EXPECT_NE(redirect.find("HTTP/1.1 301"), std::string::npos);
  EXPECT_NE(redirect.find("Location: /sub/"), std::string::npos);
  EXPECT_NE(s.curl(u + "/sub/dir/").find("<a href=\"x\">x</a>"), std::string::npos);

  EXPECT_NE(s.curl(u + "/../secret").find("HTTP/1.1 400"), std::string::npos);
  EXPECT_NE(s.curl(u + "/sub/%2e%2e/%2e%2e/secret").find("HTTP/1.1 400"), std::string::npos);
  std::string leak = s.curl(u + "/leak");
  EXPECT_NE(leak.find("HTTP/1.1 404"), std::string::npos);
  EXPECT_EQ(leak.find("outside"), std::string::npos);
  EXPECT_NE(s.curl(u + "/inner-link").find("-\n"), std::string::npos) << "symlinks inside are fine";
  EXPECT_NE(s.curl(u + "/missing").find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(s.curl(u + "/a%00b").find("HTTP/1.1 400"), std::string::npos);
}

TEST(RegistryServer, Tls) {
  if (!wt::have_program("curl")) GTEST_SKIP() << "curl missing";
  Served s(true);
  ASSERT_EQ(s.server->url().rfind("https://", 0), 0u);
  std::string r = s.curl(s.server->url() + "/img_1.0.xz.meta");
  EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_EQ(r.substr(r.size() - 2), "-\n");
}

TEST(RegistryServer, RefusesBadOptions) {
  wt::TempDir d;
  EXPECT_FALSE(wi::RegistryServer::start(d / "missing"));
  wi::ServerOptions o;
  o.listen = "not-an-address:1";
  EXPECT_FALSE(wi::RegistryServer::start(d.path, o));
  o.listen = "127.0.0.1:0";
  o.tls_cert = d / "cert.pem";
  EXPECT_FALSE(wi::RegistryServer::start(d.path, o)) << "a certificate without a key";
}
