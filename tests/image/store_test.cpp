// The image store end to end, against real servers over loopback: warden's registry server and
// Debian's nginx (each over HTTP and HTTPS with a test CA), file:// registries, and a scriptable
// server for faults. Every failure case checks that the cache is left as it was.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "support.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/server.hpp"
#include "warden/image/store.hpp"

namespace wi = warden::image;
using namespace std::chrono_literals;

namespace {

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// A registry directory, a store, and a registry server that counts requests per path.
class Fixture {
 public:
  Fixture() {
    ::mkdir(reg().c_str(), 0755);
    auto s = wi::ImageStore::open(dir / "store");
    if (!s) throw std::runtime_error(s.error().message());
    store = std::move(*s);
    before = cache_state();
  }

  std::string reg() const { return dir / "reg"; }

  void serve(const wi::ServerOptions& base = {}) {
    wi::ServerOptions o = base;
    o.access_log = [this](const wi::AccessLogEntry& e) {
      std::lock_guard lk(mu);
      if (e.method == "GET") ++gets[e.target];
    };
    auto s = wi::RegistryServer::start(reg(), o);
    if (!s) throw std::runtime_error(s.error().message());
    server = std::move(*s);
    url = server->url();
  }
  int get_count(const std::string& target) {
    std::lock_guard lk(mu);
    return gets[target];
  }

  // The cache's visible state: names, objects, staging and trash (not locks and resumable parts).
  std::vector<std::string> cache_state() const {
    std::vector<std::string> out;
    for (const auto& p : wt::list_tree(dir / "store")) {
      if (p.rfind("names/", 0) == 0 || p.rfind("objects/", 0) == 0 || p.rfind("staging/", 0) == 0 ||
          p.rfind("trash/", 0) == 0)
        out.push_back(p);
    }
    return out;
  }
  void expect_cache_unchanged() const {
    EXPECT_EQ(cache_state(), before);
    // And nothing appeared beside the store and the registry.
    auto top = wt::list_tree(dir.path);
    for (const auto& p : top) {
      EXPECT_TRUE(p.rfind("store", 0) == 0 || p.rfind("reg", 0) == 0 || p.rfind("tls", 0) == 0 ||
                  p.rfind("nginx", 0) == 0 || p.rfind("keys", 0) == 0)
          << "unexpected " << p;
    }
  }

  void publish(const std::string& pot, const std::string& tag,
               const std::vector<wt::TarEntry>& entries,
               const std::optional<std::string>& meta = std::string("-\n")) {
    wt::publish(reg(), pot, tag, wt::make_tar(entries, "xz"), meta);
  }

  wt::TempDir dir;
  std::unique_ptr<wi::ImageStore> store;
  std::string url;
  std::vector<std::string> before;
  std::mutex mu;
  std::map<std::string, int> gets;
  // Last, so that it stops (and its log callback ends) before the members it logs into go.
  std::unique_ptr<wi::RegistryServer> server;
};

wi::FetchOptions quick_options() {
  wi::FetchOptions o;
  o.transfer.connect_timeout = 2000ms;
  o.transfer.read_timeout = 2000ms;
  o.transfer.retry_backoff = 10ms;
  return o;
}

struct Event {
  std::string image;
  wi::FetchStep step;
  uint64_t done, total;
};

void expect_sample_tree(const std::string& root) {
  EXPECT_EQ(wt::read_file(root + "/etc/motd"), "hello from warden\n");
  struct stat st {};
  ASSERT_EQ(::lstat((root + "/bin/tool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(::lstat((root + "/etc/motd.link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

}  // namespace

// ---- a correct image from each kind of server ----

enum class Backend { registry, registry_tls, nginx, nginx_tls };

class FetchFrom : public ::testing::TestWithParam<Backend> {};

TEST_P(FetchFrom, CorrectImage) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  std::optional<wt::Certs> certs;
  std::unique_ptr<wt::Nginx> nginx;
  Backend b = GetParam();
  if (b == Backend::registry_tls || b == Backend::nginx_tls) {
    ::mkdir((f.dir / "tls").c_str(), 0700);
    certs = wt::make_certs(f.dir / "tls");
  }
  if (b == Backend::registry || b == Backend::registry_tls) {
    wi::ServerOptions o;
    if (certs) {
      o.tls_cert = certs->server_cert;
      o.tls_key = certs->server_key;
    }
    f.serve(o);
  } else {
    if (!wt::exists("/usr/sbin/nginx")) GTEST_SKIP() << "nginx not installed";
    nginx = std::make_unique<wt::Nginx>(f.reg(), f.dir / "nginx", certs ? &*certs : nullptr);
    ASSERT_TRUE(nginx->ok()) << nginx->error();
    f.url = nginx->url();
  }
  auto o = quick_options();
  if (certs) o.transfer.ca_file = certs->ca_cert;
  std::vector<Event> events;
  o.progress = [&](const wi::FetchProgress& p) {
    events.push_back({std::string(p.image), p.step, p.done, p.total});
    return true;
  };
  std::string xz = wt::read_file(f.reg() + "/web_1.0.xz");
  auto img = f.store->fetch({f.url + "/", "web", "1.0"}, o);
  ASSERT_TRUE(img) << img.error().message();
  EXPECT_EQ(img->name, "web_1_0");
  EXPECT_EQ(img->algorithm, wi::DigestAlgorithm::skein1024);
  EXPECT_EQ(img->digest, wt::skein_hex(xz + "-\n"));
  EXPECT_EQ(img->object, "skein1024-" + img->digest.substr(0, 64));
  EXPECT_EQ(img->meta, "-");
  EXPECT_EQ(img->parent, "");
  EXPECT_EQ(img->archive_bytes, xz.size());
  EXPECT_EQ(img->entries, wt::sample_entries().size());
  EXPECT_EQ(img->layers, std::vector<std::string>{img->rootfs});
  EXPECT_EQ(img->rootfs, f.dir / "store/objects/" + img->object + "/rootfs");
  expect_sample_tree(img->rootfs);

  // Progress: resolve, download (monotonic, ending at the size), verify, done.
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().step, wi::FetchStep::resolve);
  EXPECT_EQ(events.back().step, wi::FetchStep::done);
  uint64_t last = 0;
  bool saw_total = false;
  for (const auto& e : events) {
    if (e.step != wi::FetchStep::download) continue;
    EXPECT_GE(e.done, last);
    last = e.done;
    if (e.total == xz.size()) saw_total = true;
  }
  EXPECT_EQ(last, xz.size());
  EXPECT_TRUE(saw_total);

  // Looked up, listed, and fetched again from the cache without any request.
  auto again = f.store->lookup("web_1_0");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rootfs, img->rootfs);
  auto all = f.store->list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].url, f.url + "/");
  f.server.reset();
  nginx.reset();
  auto cached = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_TRUE(cached) << cached.error().message();
  EXPECT_EQ(cached->rootfs, img->rootfs);
  EXPECT_TRUE(wt::list_tree(f.dir / "store/staging").empty());
  EXPECT_TRUE(wt::list_tree(f.dir / "store/partial").empty());
}

INSTANTIATE_TEST_SUITE_P(Servers, FetchFrom,
                         ::testing::Values(Backend::registry, Backend::registry_tls, Backend::nginx,
                                           Backend::nginx_tls),
                         [](const auto& info) {
                           switch (info.param) {
                             case Backend::registry:
                               return std::string("RegistryServeHttp");
                             case Backend::registry_tls:
                               return std::string("RegistryServeHttps");
                             case Backend::nginx:
                               return std::string("NginxHttp");
                             case Backend::nginx_tls:
                               return std::string("NginxHttps");
                           }
                           return std::string("x");
                         });

TEST(Store, NginxRejectsAnUntrustedCertificate) {
  if (!wt::exists("/usr/sbin/nginx")) GTEST_SKIP() << "nginx not installed";
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  ::mkdir((f.dir / "tls").c_str(), 0700);
  auto certs = wt::make_certs(f.dir / "tls");
  wt::Nginx nginx(f.reg(), f.dir / "nginx", &certs);
  ASSERT_TRUE(nginx.ok()) << nginx.error();
  auto img = f.store->fetch({nginx.url(), "web", "1.0"}, quick_options());
  ASSERT_FALSE(img);
  EXPECT_NE(img.error().message().find("certificate"), std::string::npos) << img.error().message();
  f.expect_cache_unchanged();
}

// ---- verification ----

TEST(Store, WrongSkeinIsRetriedOnceThenFailsNamingBothHashes) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  std::string wrong = wt::skein_hex("something else");
  wt::write_file(f.reg() + "/web_1.0.xz.skein", wrong + "\n");
  f.serve();
  std::vector<wi::FetchStep> steps;
  auto o = quick_options();
  o.progress = [&](const wi::FetchProgress& p) {
    steps.push_back(p.step);
    return true;
  };
  auto img = f.store->fetch({f.url, "web", "1.0"}, o);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::verify);
  const std::string& m = img.error().message();
  std::string actual = wt::skein_hex(wt::read_file(f.reg() + "/web_1.0.xz") + "-\n");
  EXPECT_NE(m.find("hash mismatch for " + f.url + "/web_1.0.xz"), std::string::npos) << m;
  EXPECT_NE(m.find("expected skein1024 " + wrong), std::string::npos) << m;
  EXPECT_NE(m.find("got " + actual), std::string::npos) << m;
  EXPECT_EQ(f.get_count("/web_1.0.xz"), 2) << "retried once";
  EXPECT_EQ(f.get_count("/web_1.0.xz.skein"), 2) << "the digest is fetched again for the retry";
  EXPECT_EQ(std::count(steps.begin(), steps.end(), wi::FetchStep::retry), 1);
  f.expect_cache_unchanged();
  EXPECT_TRUE(wt::list_tree(f.dir / "store/partial").empty()) << "downloaded bytes are deleted too";
  EXPECT_FALSE(f.store->lookup("web_1_0"));
}

TEST(Store, TamperedPayloadByteFailsWithTheHashErrorAndKeepsTheCache) {
  Fixture f;
  f.publish("good", "1", wt::sample_entries());
  auto entries = wt::sample_entries();
  entries.push_back({"./etc/version", 'f', "web 1.0\n"});  // other content than good_1
  f.publish("web", "1.0", entries);
  f.serve();
  ASSERT_TRUE(f.store->fetch({f.url, "good", "1"}, quick_options()));
  auto before = f.cache_state();
  std::string xz = wt::read_file(f.reg() + "/web_1.0.xz");
  xz[xz.size() / 2] ^= 0x01;
  wt::write_file(f.reg() + "/web_1.0.xz", xz);
  auto img = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_FALSE(img);
  EXPECT_NE(img.error().message().find("hash mismatch"), std::string::npos)
      << img.error().message();
  EXPECT_EQ(f.cache_state(), before);
  EXPECT_TRUE(f.store->lookup("good_1"));
}

TEST(Store, MissingMetaCountsAsEmpty) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries(), std::nullopt);
  f.serve();
  auto img = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_TRUE(img) << img.error().message();
  EXPECT_EQ(img->meta, "");
  EXPECT_EQ(img->digest, wt::skein_hex(wt::read_file(f.reg() + "/web_1.0.xz")));
  expect_sample_tree(img->rootfs);
}

TEST(Store, Sha256Registries) {
  Fixture f;
  std::string xz = wt::make_tar(wt::sample_entries(), "xz");
  // SHA-256 of .xz + .meta (pot's rule) ...
  wt::write_file(f.reg() + "/a_1.xz", xz);
  wt::write_file(f.reg() + "/a_1.xz.meta", "-\n");
  std::string out;
  ASSERT_EQ(wt::run("cd " + wt::shell_quote(f.reg()) +
                        " && cat a_1.xz a_1.xz.meta | sha256sum > a_1.xz.sha256",
                    &out),
            0);
  // ... or of the .xz alone, as `sha256sum file` writes it.
  wt::write_file(f.reg() + "/b_1.xz", xz);
  ASSERT_EQ(
      wt::run("cd " + wt::shell_quote(f.reg()) + " && sha256sum b_1.xz > b_1.xz.sha256", &out), 0);
  f.serve();
  auto a = f.store->fetch({f.url, "a", "1"}, quick_options());
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->algorithm, wi::DigestAlgorithm::sha256);
  EXPECT_EQ(a->object.rfind("sha256-", 0), 0u);
  auto b = f.store->fetch({f.url, "b", "1"}, quick_options());
  ASSERT_TRUE(b) << b.error().message();
  expect_sample_tree(b->rootfs);
  // Neither digest file: refused.
  wt::write_file(f.reg() + "/c_1.xz", xz);
  auto c = f.store->fetch({f.url, "c", "1"}, quick_options());
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("no digest file"), std::string::npos);
}

class Signed : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!wt::have_program("signify-openbsd")) GTEST_SKIP() << "signify-openbsd missing";
    ::mkdir((f.dir / "keys").c_str(), 0700);
    keys = wt::make_signify_keys(f.dir / "keys", "registry");
    other = wt::make_signify_keys(f.dir / "keys", "other");
    f.publish("web", "1.0", wt::sample_entries());
    f.serve();
    opts = quick_options();
    opts.public_key = keys.pub;
  }
  Fixture f;
  wt::SignifyKeys keys, other;
  wi::FetchOptions opts;
};

TEST_F(Signed, GoodSignature) {
  wt::signify_sign_file(keys, f.reg() + "/web_1.0.xz.skein");
  auto img = f.store->fetch({f.url, "web", "1.0"}, opts);
  ASSERT_TRUE(img) << img.error().message();
  EXPECT_TRUE(img->signature_verified);
  // The key may also be given as text.
  opts.public_key = wt::read_file(keys.pub);
  opts.refresh = true;
  ASSERT_TRUE(f.store->fetch({f.url, "web", "1.0"}, opts));
}

TEST_F(Signed, BadSignatureIsRefusedBeforeDownloading) {
  wt::signify_sign_file(other, f.reg() + "/web_1.0.xz.skein");
  auto img = f.store->fetch({f.url, "web", "1.0"}, opts);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::verify);
  EXPECT_NE(img.error().message().find("different key"), std::string::npos)
      << img.error().message();
  EXPECT_EQ(f.get_count("/web_1.0.xz"), 0);
  f.expect_cache_unchanged();
  // A .skein changed after signing.
  wt::signify_sign_file(keys, f.reg() + "/web_1.0.xz.skein");
  wt::write_file(f.reg() + "/web_1.0.xz.skein", wt::skein_hex("forged") + "\n");
  auto forged = f.store->fetch({f.url, "web", "1.0"}, opts);
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().message().find("signature verification failed"), std::string::npos);
  f.expect_cache_unchanged();
}

TEST_F(Signed, MissingSignatureIsRefusedWhenAKeyIsConfigured) {
  auto img = f.store->fetch({f.url, "web", "1.0"}, opts);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::verify);
  EXPECT_NE(img.error().message().find("is not signed"), std::string::npos)
      << img.error().message();
  f.expect_cache_unchanged();
  // Without a key, signatures are not required.
  ASSERT_TRUE(f.store->fetch({f.url, "web", "1.0"}, quick_options()));
}

// ---- layers ----

TEST(Store, LayeredImageFetchesItsBaseFirst) {
  Fixture f;
  f.publish("base", "1.0", wt::sample_entries());
  f.publish("app", "2.1", {{"./", 'd', "", "", 0755}, {"./srv/app", 'f', "app v2\n"}},
            "base:1.0@1690000000\n");
  f.serve();
  std::vector<std::pair<std::string, wi::FetchStep>> steps;
  auto o = quick_options();
  o.progress = [&](const wi::FetchProgress& p) {
    if (p.step == wi::FetchStep::done) steps.emplace_back(std::string(p.image), p.step);
    return true;
  };
  auto app = f.store->fetch({f.url, "app", "2.1"}, o);
  ASSERT_TRUE(app) << app.error().message();
  EXPECT_EQ(app->meta, "base:1.0@1690000000");
  EXPECT_EQ(app->parent, "base_1_0");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].first, "base_1_0");
  EXPECT_EQ(steps[1].first, "app_2_1");
  auto base = f.store->lookup("base_1_0");
  ASSERT_TRUE(base);
  EXPECT_EQ(app->layers, (std::vector<std::string>{app->rootfs, base->rootfs}));
  EXPECT_EQ(wt::read_file(app->rootfs + "/srv/app"), "app v2\n");
  expect_sample_tree(base->rootfs);
  // The base cannot be removed while the layer uses it.
  auto rm = f.store->remove("base_1_0");
  ASSERT_FALSE(rm);
  EXPECT_NE(rm.error().message().find("is the base of \"app_2_1\""), std::string::npos);
  ASSERT_TRUE(f.store->remove("app_2_1"));
  ASSERT_TRUE(f.store->remove("base_1_0"));
  EXPECT_TRUE(wt::list_tree(f.dir / "store/objects").empty());
}

TEST(Store, LayerCyclesAreDetected) {
  Fixture f;
  f.publish("a", "1", wt::sample_entries(), "b:1@1\n");
  f.publish("b", "1", wt::sample_entries(), "c:1@1\n");
  f.publish("c", "1", wt::sample_entries(), "a:1@1\n");
  f.publish("self", "1", wt::sample_entries(), "self:1@1\n");
  f.serve();
  auto r = f.store->fetch({f.url, "a", "1"}, quick_options());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("layered image cycle: a_1 -> b_1 -> c_1 -> a_1"),
            std::string::npos)
      << r.error().message();
  EXPECT_EQ(f.get_count("/a_1.xz") + f.get_count("/b_1.xz") + f.get_count("/c_1.xz"), 0);
  auto s = f.store->fetch({f.url, "self", "1"}, quick_options());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("cycle"), std::string::npos);
  f.expect_cache_unchanged();
}

TEST(Store, MissingBaseIsReportedAsSuch) {
  Fixture f;
  f.publish("app", "1", wt::sample_entries(), "gone:1@1\n");
  f.serve();
  auto r = f.store->fetch({f.url, "app", "1"}, quick_options());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("base image gone_1 of app_1"), std::string::npos)
      << r.error().message();
  f.expect_cache_unchanged();
}

// ---- network faults, through the whole pipeline ----

TEST(Store, TruncatedDownloadResumesWithRange) {
  Fixture f;
  std::vector<wt::TarEntry> entries = {{"./", 'd'}, {"./big", 'f', random_bytes(600 * 1024, 1)}};
  f.publish("web", "1.0", entries);
  std::atomic<int> xz_requests{0};
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        if (req.target == "/web_1.0.xz" && xz_requests++ == 0) {
          wt::serve_file(f.reg(), req, c, 0, 0, 250 * 1024);  // the first answer breaks off
          return;
        }
        wt::serve_file(f.reg(), req, c);
      });
  auto img = f.store->fetch({server.url(), "web", "1.0"}, quick_options());
  ASSERT_TRUE(img) << img.error().message();
  EXPECT_EQ(wt::read_file(img->rootfs + "/big"), entries[1].data);
  std::vector<std::string> ranges;
  for (const auto& r : server.requests()) {
    if (r.target == "/web_1.0.xz")
      ranges.push_back(r.headers.count("range") ? r.headers.at("range") : "");
  }
  EXPECT_EQ(ranges, (std::vector<std::string>{"", "bytes=256000-"}));
}

TEST(Store, InterruptedFetchResumesFromThePartialFileLater) {
  Fixture f;
  std::vector<wt::TarEntry> entries = {{"./", 'd'}, {"./big", 'f', random_bytes(800 * 1024, 2)}};
  f.publish("web", "1.0", entries);
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        wt::serve_file(f.reg(), req, c, 64 * 1024, 10);  // ~6 MB/s
      });
  auto o = quick_options();
  o.progress = [](const wi::FetchProgress& p) {
    return !(p.step == wi::FetchStep::download && p.done > 300 * 1024);
  };
  auto first = f.store->fetch({server.url(), "web", "1.0"}, o);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code(), wi::errc::cancelled);
  f.expect_cache_unchanged();
  struct stat st {};
  ASSERT_EQ(::stat((f.dir / "store/partial/web_1_0.xz.part").c_str(), &st), 0);
  uint64_t kept = static_cast<uint64_t>(st.st_size);
  EXPECT_GT(kept, 300u * 1024);

  auto second = f.store->fetch({server.url(), "web", "1.0"}, quick_options());
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(wt::read_file(second->rootfs + "/big"), entries[1].data);
  auto reqs = server.requests();
  std::string last_range;
  for (const auto& r : reqs) {
    if (r.target == "/web_1.0.xz")
      last_range = r.headers.count("range") ? r.headers.at("range") : "";
  }
  EXPECT_EQ(last_range, "bytes=" + std::to_string(kept) + "-");
  EXPECT_TRUE(wt::list_tree(f.dir / "store/partial").empty());
}

TEST(Store, ServerDroppingEveryConnectionFailsCleanly) {
  Fixture f;
  f.publish("web", "1.0", {{"./", 'd'}, {"./big", 'f', random_bytes(300 * 1024, 3)}});
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        if (req.target == "/web_1.0.xz") return;  // accept, read the request, hang up
        wt::serve_file(f.reg(), req, c);
      });
  auto o = quick_options();
  o.transfer.retries = 2;
  auto img = f.store->fetch({server.url(), "web", "1.0"}, o);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::network);
  EXPECT_NE(img.error().message().find("after 3 attempts"), std::string::npos)
      << img.error().message();
  EXPECT_EQ(server.hits("/web_1.0.xz"), 3);
  f.expect_cache_unchanged();
}

TEST(Store, RedirectLoopFailsCleanly) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        if (req.target == "/web_1.0.xz") return c.respond(302, "", {{"Location", "/loop.xz"}});
        if (req.target == "/loop.xz") return c.respond(302, "", {{"Location", "/web_1.0.xz"}});
        wt::serve_file(f.reg(), req, c);
      });
  auto img = f.store->fetch({server.url(), "web", "1.0"}, quick_options());
  ASSERT_FALSE(img);
  EXPECT_NE(img.error().message().find("too many redirects"), std::string::npos)
      << img.error().message();
  f.expect_cache_unchanged();
}

TEST(Store, ReadAndTotalTimeouts) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  std::atomic<bool> release{false};
  wt::TestHttpServer server(
      [&](const wt::TestHttpServer::Request& req, wt::TestHttpServer::Conn& c) {
        if (req.target == "/web_1.0.xz") {
          c.write("HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\nxyz");
          while (!release) std::this_thread::sleep_for(10ms);
          return;
        }
        wt::serve_file(f.reg(), req, c);
      });
  auto o = quick_options();
  o.transfer.read_timeout = 300ms;
  o.transfer.retries = 0;
  auto img = f.store->fetch({server.url(), "web", "1.0"}, o);
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::timeout);
  EXPECT_NE(img.error().message().find("timed out after 300 ms"), std::string::npos)
      << img.error().message();
  f.expect_cache_unchanged();

  auto t = quick_options();
  t.transfer.read_timeout = 5000ms;
  t.transfer.total_timeout = 400ms;
  auto start = std::chrono::steady_clock::now();
  auto img2 = f.store->fetch({server.url(), "web", "1.0"}, t);
  release = true;
  ASSERT_FALSE(img2);
  EXPECT_EQ(img2.error().code(), wi::errc::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  f.expect_cache_unchanged();
}

// ---- concurrency ----

TEST(Store, ConcurrentFetchesInThreadsAndProcessesDownloadOnce) {
  Fixture f;
  f.publish("web", "1.0", {{"./", 'd'}, {"./big", 'f', random_bytes(1 << 20, 4)}});
  wi::ServerOptions so;
  so.rate_limit = 3 << 20;  // ~0.35 s for the payload: the fetches overlap
  f.serve(so);
  std::string helper = std::string(WARDEN_BINARY_DIR) + "/image_fetch_helper";
  std::vector<pid_t> children;
  for (int i = 0; i < 3; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::execl(helper.c_str(), "image_fetch_helper", (f.dir / "store").c_str(), f.url.c_str(), "web",
              "1.0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    children.push_back(pid);
  }
  std::vector<std::thread> threads;
  std::vector<std::string> roots(6);
  std::atomic<int> failures{0}, waited{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto o = quick_options();
      o.progress = [&](const wi::FetchProgress& p) {
        if (p.step == wi::FetchStep::wait) ++waited;
        return true;
      };
      auto img = f.store->fetch({f.url, "web", "1.0"}, o);
      if (!img) {
        ++failures;
        ADD_FAILURE() << img.error().message();
        return;
      }
      roots[i] = img->rootfs;
    });
  }
  for (auto& t : threads) t.join();
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a fetching process failed";
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(f.get_count("/web_1.0.xz"), 1) << "exactly one download";
  EXPECT_GE(waited, 1) << "someone waited for the lock";
  for (const auto& r : roots) EXPECT_EQ(r, roots[0]);
  EXPECT_EQ(wt::list_tree(f.dir / "store/objects").size(), wt::list_tree(roots[0]).size() + 3)
      << "one object (its dir, object.json, rootfs/ and the tree)";
}

TEST(Store, CancelAllStopsFetchesInProgress) {
  Fixture f;
  f.publish("web", "1.0", {{"./", 'd'}, {"./big", 'f', random_bytes(1 << 20, 5)}});
  wi::ServerOptions so;
  so.rate_limit = 1 << 20;
  f.serve(so);
  std::thread t([&] {
    std::this_thread::sleep_for(200ms);
    f.store->cancel_all();
  });
  auto start = std::chrono::steady_clock::now();
  auto img = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  t.join();
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), wi::errc::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s)
      << "the 1 MiB download at 1 MiB/s was cut short";
  f.expect_cache_unchanged();
  // Later fetches are not affected.
  f.server.reset();
  f.serve();
  ASSERT_TRUE(f.store->fetch({f.url, "web", "1.0"}, quick_options()));
}

// ---- hostile archives through the store ----

TEST(Store, HostileArchivesAreRefusedAndNothingIsCached) {
  struct Case {
    std::vector<wt::TarEntry> entries;
    std::string words;
  };
  std::vector<Case> cases = {
      {{{"../escaped", 'f', "x"}}, "\"..\""},
      {{{"/tmp/warden-store-abs-escape", 'f', "x"}}, "absolute"},
      {{{"evil", 'l', "", "../../../..", 0777}}, "leads outside"},
      {{{"esc", 'l', "", "/tmp", 0777}, {"esc/warden-store-through-link", 'f', "x"}},
       "symlink or not a directory"},
      {{{"h", 'h', "", "../reg/victim"}}, "\"..\""},
      {{{"dev/kmem", 'c', "", "", 0600, 0, 0, 1700000000, 1, 2}}, "character device"},
      {{{"fifo", 'p', "", "", 0600}}, "FIFO"},
      {{{"bin/su", 'f', "x", "", 04755}}, "setuid"},
      {{{"bin/sg", 'f', "x", "", 02755}}, "setgid"},
      {{{"zeros", 'f', std::string(8 << 20, '\0')}}, "bytes of file data"},
  };
  Fixture f;
  wt::write_file(f.reg() + "/victim", "victim\n");
  f.serve();
  for (size_t i = 0; i < cases.size(); ++i) {
    f.publish("bad", std::to_string(i), cases[i].entries);
    auto o = quick_options();
    o.extract.max_bytes = 1 << 20;
    auto img = f.store->fetch({f.url, "bad", std::to_string(i)}, o);
    ASSERT_FALSE(img) << "case " << i;
    EXPECT_EQ(img.error().code(), wi::errc::refused) << img.error().message();
    EXPECT_NE(img.error().message().find(cases[i].words), std::string::npos)
        << img.error().message();
    EXPECT_EQ(f.get_count("/bad_" + std::to_string(i) + ".xz"), 1) << "a refusal is not retried";
    f.expect_cache_unchanged();
  }
  EXPECT_FALSE(wt::exists("/tmp/warden-store-abs-escape"));
  EXPECT_FALSE(wt::exists("/tmp/warden-store-through-link"));
  EXPECT_FALSE(wt::exists(f.dir / "escaped"));
  EXPECT_EQ(wt::read_file(f.reg() + "/victim"), "victim\n");
  EXPECT_TRUE(wt::list_tree(f.dir / "store/partial").empty());
}

TEST(Store, ZfsImagesNeedFreeBSD) {
  Fixture f;
  std::string zfs(4096, '\0');
  const unsigned char magic[8] = {0xac, 0xcb, 0xba, 0xf5, 0x02, 0, 0, 0};
  std::memcpy(zfs.data() + 8, magic, 8);
  wt::publish(f.reg(), "nginx-nomad-amd64-13_1", "1.1.13", wt::xz_compress(zfs));
  f.serve();
  auto img = f.store->fetch({f.url, "nginx-nomad-amd64-13_1", "1.1.13"}, quick_options());
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), warden::ErrorCode::unsupported);
  EXPECT_NE(img.error().message().find("ZFS image, needs FreeBSD"), std::string::npos)
      << img.error().message();
  f.expect_cache_unchanged();
}

// ---- the cache ----

TEST(Store, ContentAddressedAcrossNamesAndRemoval) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  std::string other = f.dir / "reg/mirror";
  ::mkdir(other.c_str(), 0755);
  wt::publish(other, "web", "1.0", wt::read_file(f.reg() + "/web_1.0.xz"));
  wt::publish(other, "copy", "1.0", wt::read_file(f.reg() + "/web_1.0.xz"));
  f.serve();
  auto a = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_TRUE(a);
  auto b = f.store->fetch({f.url + "/mirror", "copy", "1.0"}, quick_options());
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(a->object, b->object);
  EXPECT_EQ(f.get_count("/mirror/copy_1.0.xz"), 0) << "the content was already there";
  ASSERT_TRUE(f.store->remove("web_1_0"));
  EXPECT_TRUE(wt::exists(b->rootfs)) << "still used by copy_1_0";
  EXPECT_FALSE(f.store->lookup("web_1_0"));
  ASSERT_TRUE(f.store->remove("copy_1_0"));
  EXPECT_FALSE(wt::exists(b->rootfs));
  EXPECT_TRUE(wt::list_tree(f.dir / "store/objects").empty());
  EXPECT_TRUE(wt::list_tree(f.dir / "store/trash").empty());
  auto missing = f.store->remove("copy_1_0");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), warden::ErrorCode::not_found);
  EXPECT_FALSE(f.store->remove("../etc"));
}

TEST(Store, RefreshPicksUpANewVersion) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  f.serve();
  auto a = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_TRUE(a);
  f.publish("web", "1.0", {{"./", 'd'}, {"./new", 'f', "v2"}});
  auto cached = f.store->fetch({f.url, "web", "1.0"}, quick_options());
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->object, a->object);
  auto o = quick_options();
  o.refresh = true;
  auto fresh = f.store->fetch({f.url, "web", "1.0"}, o);
  ASSERT_TRUE(fresh) << fresh.error().message();
  EXPECT_NE(fresh->object, a->object);
  EXPECT_EQ(wt::read_file(fresh->rootfs + "/new"), "v2");
}

TEST(Store, FileRegistries) {
  Fixture f;
  f.publish("web", "1.0", wt::sample_entries());
  auto img = f.store->fetch({"file://" + f.reg(), "web", "1.0"}, quick_options());
  ASSERT_TRUE(img) << img.error().message();
  expect_sample_tree(img->rootfs);
  auto bad = f.store->fetch({"file://" + f.reg(), "none", "1"}, quick_options());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), warden::ErrorCode::not_found);
  auto invalid = f.store->fetch({"ftp://x", "web", "1"}, quick_options());
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code(), warden::ErrorCode::invalid_argument);
}
