// image_fetch_bench: fetch + verify + unpack of a pot image over loopback, side by side with
// pot's sequential way (curl the .xz and .meta, hash them, compare, `tar -xJf`).
//
// The dataset (by default ~280 MB in 25,000 small files, compressed like `pot export` does:
// tar | xz -6 -T0) is generated once under --work and reused. nginx (Debian's) serves it on
// loopback, once unlimited and once limited to 100 Mbit/s (limit_rate). Each side's time is the
// median of --runs runs; warden's fetch runs in a child process so that its peak memory (max
// RSS) can be reported.
//
//   build/release/bench/image_fetch_bench [--work DIR] [--files N] [--mb N] [--runs N]
//                                         [--no-limited] [--server nginx|warden]
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "warden/image/digest.hpp"
#include "warden/image/server.hpp"
#include "warden/image/store.hpp"

namespace fs = std::filesystem;
namespace wi = warden::image;
using Clock = std::chrono::steady_clock;

namespace {

struct Config {
  std::string work = "/tmp/warden-image-bench";
  int files = 25000;
  int mb = 268;  // MiB of file data: ~280 MB
  int runs = 3;
  bool limited = true;
  std::string server = "nginx";
};

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int sh(const std::string& cmd) {
  int s = std::system(cmd.c_str());
  return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

std::string q(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

double best(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string skein_of_files(const std::vector<std::string>& paths) {
  wi::Skein1024 h;
  std::vector<char> buf(1 << 20);
  for (const auto& p : paths) {
    FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) return "";
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.update(buf.data(), n);
    std::fclose(f);
  }
  return wi::to_hex(h.final());
}

// ---- the dataset ----

// Text-like content from a fixed vocabulary with a share of random bytes: xz -6 compresses it
// about 3.5:1, like a FreeBSD userland.
void generate(const Config& c, const std::string& root) {
  std::mt19937_64 rng(20240601);
  std::vector<std::string> words;
  for (int i = 0; i < 1200; ++i) {
    std::string w;
    int len = 2 + static_cast<int>(rng() % 9);
    for (int k = 0; k < len; ++k) w += static_cast<char>('a' + rng() % 26);
    words.push_back(w);
  }
  uint64_t total = static_cast<uint64_t>(c.mb) << 20;
  uint64_t per_file = total / static_cast<uint64_t>(c.files);
  int per_dir = 50;
  for (int i = 0; i < c.files; ++i) {
    int d = i / per_dir;
    std::string dir = root + "/usr/d" + std::to_string(d / 20) + "/s" + std::to_string(d % 20);
    if (i % per_dir == 0) fs::create_directories(dir);
    uint64_t size = per_file / 2 + rng() % per_file;  // average per_file
    std::string content;
    content.reserve(size + 64);
    while (content.size() < size) {
      if (rng() % 1000 < 5) {
        for (int k = 0; k < 512; ++k) content += static_cast<char>(rng());
      } else {
        for (int k = 0; k < 10; ++k) {
          content += words[rng() % words.size()];
          content += ' ';
        }
        content += '\n';
      }
    }
    content.resize(size);
    std::ofstream(dir + "/f" + std::to_string(i), std::ios::binary)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
  }
}

bool ensure_dataset(const Config& c) {
  std::string stamp = c.work + "/dataset." + std::to_string(c.files) + "x" + std::to_string(c.mb);
  std::string reg = c.work + "/reg";
  if (fs::exists(stamp)) return true;
  std::printf(
      "generating the dataset (%d files, %d MB) and exporting it with tar | xz -6 -T0 ...\n",
      c.files, c.mb);
  std::fflush(stdout);
  fs::remove_all(c.work);
  fs::create_directories(reg);
  std::string root = c.work + "/rootfs";
  auto t = Clock::now();
  generate(c, root);
  std::printf("  generated in %.1f s\n", since(t));
  t = Clock::now();
  std::string xz = reg + "/bench_1.0.xz";
  if (sh("tar --numeric-owner -C " + q(root) + " -cf - . | xz -6 -T0 > " + q(xz)) != 0)
    return false;
  std::printf("  compressed in %.1f s\n", since(t));
  std::ofstream(reg + "/bench_1.0.xz.meta") << "-\n";
  std::ofstream(reg + "/bench_1.0.xz.skein")
      << skein_of_files({xz, reg + "/bench_1.0.xz.meta"}) << "\n";
  // The generated root stays: deleting 25,000 files would slow down file creation on ext4 for
  // minutes afterwards (its inode allocator skips recently deleted inodes), skewing the runs.
  std::ofstream(stamp) << "ok\n";
  return true;
}

// ---- servers ----

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

struct Nginx {
  pid_t pid = -1;
  std::string url;
  Nginx(const std::string& root, const std::string& prefix, uint64_t limit_rate) {
    fs::create_directories(prefix + "/tmp");
    uint16_t port = free_port();
    std::ofstream conf(prefix + "/nginx.conf");
    conf << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << prefix
         << "/nginx.pid;\n"
         << "error_log " << prefix << "/error.log;\nevents { worker_connections 64; }\nhttp {\n"
         << "  access_log off;\n";
    for (const char* t : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
      conf << "  " << t << "_temp_path " << prefix << "/tmp/" << t << ";\n";
    conf << "  default_type application/octet-stream;\n  sendfile on;\n  server {\n    listen "
            "127.0.0.1:"
         << port << ";\n    root " << root << ";\n";
    if (limit_rate) conf << "    limit_rate " << limit_rate << ";\n";
    conf << "  }\n}\n";
    conf.close();
    pid = ::fork();
    if (pid == 0) {
      std::string err = prefix + "/error.log", cf = prefix + "/nginx.conf";
      ::execl("/usr/sbin/nginx", "nginx", "-p", prefix.c_str(), "-e", err.c_str(), "-c", cf.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    url = "http://127.0.0.1:" + std::to_string(port);
    for (int i = 0; i < 250; ++i) {
      if (sh("curl -s -o /dev/null " + q(url + "/")) == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::fprintf(stderr, "nginx did not start (see %s/error.log)\n", prefix.c_str());
  }
  ~Nginx() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

// A server for the dataset: nginx, or warden's registry server (--server warden).
struct Server {
  std::unique_ptr<Nginx> nginx;
  std::unique_ptr<wi::RegistryServer> warden;
  std::string url;
  Server(const Config& c, const std::string& name, uint64_t limit_rate) {
    if (c.server == "warden") {
      wi::ServerOptions o;
      o.rate_limit = limit_rate;
      auto s = wi::RegistryServer::start(c.work + "/reg", o);
      if (s) {
        warden = std::move(*s);
        url = warden->url();
      }
    } else {
      nginx = std::make_unique<Nginx>(c.work + "/reg", c.work + "/" + name, limit_rate);
      url = nginx->url;
    }
  }
};

// ---- the two ways ----

struct PotRun {
  double download = 0, hash = 0, unpack = 0, total = 0;
  bool ok = false;
};

// Before each timed run: dirty pages of the previous run written out, and a moment for the
// file system (trees are only deleted at the end: on this VM's ext4 with online discard, file
// creation right after deleting 25,000 files costs several times more, for whoever comes next).
void settle() {
  ::sync();
  std::this_thread::sleep_for(std::chrono::seconds(2));
}

PotRun pot_way(const Config& c, const std::string& url, int run) {
  PotRun r;
  std::string dir = c.work + "/runs/pot-cache-" + std::to_string(run),
              dest = c.work + "/runs/pot-root-" + std::to_string(run);
  fs::create_directories(dir);
  fs::create_directories(dest);
  std::string f = dir + "/bench_1.0.xz";
  auto t0 = Clock::now();
  bool ok = sh("curl -sf -o " + q(f) + " " + q(url + "/bench_1.0.xz")) == 0 &&
            sh("curl -sf -o " + q(f + ".skein") + " " + q(url + "/bench_1.0.xz.skein")) == 0 &&
            sh("curl -sf -o " + q(f + ".meta") + " " + q(url + "/bench_1.0.xz.meta")) == 0;
  r.download = since(t0);
  auto t1 = Clock::now();
  std::string got = skein_of_files({f, f + ".meta"});
  std::ifstream in(f + ".skein");
  std::string want;
  in >> want;
  ok = ok && got == want;
  r.hash = since(t1);
  auto t2 = Clock::now();
  ok = ok && sh("tar -xJf " + q(f) + " -C " + q(dest)) == 0;
  r.unpack = since(t2);
  r.total = since(t0);
  r.ok = ok;
  return r;
}

struct WardenRun {
  double total = 0;
  long max_rss_kb = 0;
  bool ok = false;
  uint64_t entries = 0;
};

// In a child process, for its own max RSS.
WardenRun warden_way(const Config& c, const std::string& url, const std::string& tag) {
  WardenRun r;
  std::string store = c.work + "/runs/warden-store-" + tag;
  int pipefd[2];
  if (::pipe(pipefd) != 0) return r;
  auto t0 = Clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipefd[0]);
    auto s = wi::ImageStore::open(store);
    uint64_t entries = 0;
    int rc = 1;
    if (s) {
      auto img = (*s)->fetch({url, "bench", "1.0"}, {});
      if (img) {
        entries = img->entries;
        rc = 0;
      } else {
        std::fprintf(stderr, "warden fetch failed: %s\n", img.error().message().c_str());
      }
    }
    if (::write(pipefd[1], &entries, sizeof entries) < 0) rc = 1;
    ::_exit(rc);
  }
  ::close(pipefd[1]);
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  r.total = since(t0);
  if (::read(pipefd[0], &r.entries, sizeof r.entries) != sizeof r.entries) r.entries = 0;
  ::close(pipefd[0]);
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  r.max_rss_kb = ru.ru_maxrss;
  return r;
}

double bare_download(const Config& c, const std::string& url) {
  std::string f = c.work + "/bare.xz";
  auto t = Clock::now();
  sh("curl -sf -o " + q(f) + " " + q(url + "/bench_1.0.xz"));
  double s = since(t);
  fs::remove(f);
  return s;
}

double hash_speed(wi::DigestAlgorithm a) {
  std::string data(256 << 20, 'x');
  std::mt19937_64 rng(3);
  for (auto& ch : data) ch = static_cast<char>(rng());
  auto t = Clock::now();
  wi::Hasher h(a);
  for (size_t off = 0; off < data.size(); off += 256 * 1024)
    h.update(data.data() + off, 256 * 1024);
  (void)h.final();
  return 256.0 / since(t);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--work") {
      c.work = next();
    } else if (a == "--files") {
      c.files = std::atoi(next().c_str());
    } else if (a == "--mb") {
      c.mb = std::atoi(next().c_str());
    } else if (a == "--runs") {
      c.runs = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--no-limited") {
      c.limited = false;
    } else if (a == "--server") {
      c.server = next();
    } else {
      std::fprintf(stderr,
                   "usage: %s [--work DIR] [--files N] [--mb N] [--runs N] [--no-limited] "
                   "[--server nginx|warden]\n",
                   argv[0]);
      return 2;
    }
  }
  if (sh("command -v curl >/dev/null && command -v xz >/dev/null && command -v tar >/dev/null") !=
          0 ||
      (c.server == "nginx" && !fs::exists("/usr/sbin/nginx"))) {
    std::fprintf(stderr, "needs curl, xz, tar and (for --server nginx) nginx\n");
    return 2;
  }
  if (!ensure_dataset(c)) {
    std::fprintf(stderr, "cannot build the dataset\n");
    return 1;
  }
  std::string xz = c.work + "/reg/bench_1.0.xz";
  double xz_mb = static_cast<double>(fs::file_size(xz)) / 1e6;
  std::string blocks =
      capture("xz --robot -l " + q(xz) +
              " | awk '$1==\"totals\"{print $3\" blocks, \"$5/1e6\" MB unpacked\"}'");
  if (!blocks.empty() && blocks.back() == '\n') blocks.pop_back();
  unsigned cpus = std::thread::hardware_concurrency();

  double load[3] = {0, 0, 0};
  ::getloadavg(load, 3);
  std::printf("\nimage fetch bench: %d files, %.1f MB xz (-6 -T0: %s), %u CPUs, %s on loopback\n",
              c.files, xz_mb, blocks.c_str(), cpus,
              c.server == "nginx" ? "nginx" : "warden registry serve");
  std::printf("load average at the start: %.2f (other work on the machine skews the numbers)\n\n",
              load[0]);
  std::fflush(stdout);

  Server fast(c, "nginx-fast", 0);
  std::vector<double> pd, ph, pu, pt, wt;
  long rss = 0;
  uint64_t entries = 0;
  fs::remove_all(c.work + "/runs");
  settle();
  for (int i = 0; i < c.runs; ++i) {
    // Alternate who goes first.
    WardenRun w;
    if (i % 2 == 1) {
      w = warden_way(c, fast.url, std::to_string(i));
      settle();
    }
    PotRun p = pot_way(c, fast.url, i);
    settle();
    if (i % 2 == 0) {
      w = warden_way(c, fast.url, std::to_string(i));
      settle();
    }
    if (!p.ok) std::fprintf(stderr, "pot's way failed in run %d\n", i + 1);
    pd.push_back(p.download);
    ph.push_back(p.hash);
    pu.push_back(p.unpack);
    pt.push_back(p.total);
    if (!w.ok) std::fprintf(stderr, "warden fetch failed in run %d\n", i + 1);
    wt.push_back(w.total);
    rss = std::max(rss, w.max_rss_kb);
    entries = w.entries;
    std::printf("  run %d: pot's way %.2f s, warden %.2f s\n", i + 1, p.total, w.total);
    std::fflush(stdout);
  }
  double pot_total = median(pt), warden_total = median(wt);
  std::printf("\n%-44s %8s %9s %8s %8s\n", "loopback, unlimited (median of runs)", "total",
              "download", "hash", "unpack");
  std::printf("%-44s %7.2fs %8.2fs %7.2fs %7.2fs\n", "pot's way: curl x3, skein1024, tar -xJf",
              pot_total, median(pd), median(ph), median(pu));
  std::printf("%-44s %7.2fs %9s %8s %8s\n", "warden: one streaming pass", warden_total,
              "overlapped", "", "");
  std::printf("%-44s %7.2f   (target <= 0.60)\n", "ratio warden / pot", warden_total / pot_total);
  std::printf("%-44s %7.2fs / %.2fs = %.2f\n", "best runs: warden / pot", best(wt), best(pt),
              best(wt) / best(pt));

  if (c.limited) {
    Server slow(c, "nginx-slow", 12'500'000);  // 100 Mbit/s
    double bare = bare_download(c, slow.url);
    settle();
    WardenRun w = warden_way(c, slow.url, "limited");
    rss = std::max(rss, w.max_rss_kb);
    std::printf("\n%-44s %7.2fs\n", "100 Mbit/s: bare download of the .xz (curl)", bare);
    std::printf("%-44s %7.2fs   (+%.1f%%, target <= +10%%)\n",
                "100 Mbit/s: warden fetch+verify+unpack", w.total, (w.total / bare - 1) * 100);
  }
  std::printf("\n%-44s %7.0f MB/s\n", "hashing: skein1024 (ours)",
              hash_speed(wi::DigestAlgorithm::skein1024));
  std::printf("%-44s %7.0f MB/s\n", "hashing: sha256 (OpenSSL)",
              hash_speed(wi::DigestAlgorithm::sha256));
  std::printf("%-44s %7.0f MB\n", "warden fetch: peak memory (max RSS)",
              static_cast<double>(rss) / 1024);
  std::printf("%-44s %7llu\n", "entries unpacked", static_cast<unsigned long long>(entries));

  if (::getloadavg(load, 3) == 3)
    std::printf("%-44s %7.2f\n", "load average (1 min) at the end", load[0]);
  fs::remove_all(c.work + "/runs");
  return 0;
}
