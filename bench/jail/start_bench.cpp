// Jail start latency, warden's linux backend side by side with crun (Debian's crun package) on
// the same busybox-static root, in one run:
//
//   true          create + start + wait + destroy of `/bin/sh -c "exec /bin/true"` with limits
//                 applied (memory, pids, cpu), back to back
//   true/lone     the same with 200 ms of quiet between runs (the first write of a PID into a
//                 cgroup v1 hierarchy after a pause costs an RCU grace period)
//   httpd         from nothing to the first HTTP response of busybox httpd through a mapped port
//                 (warden: public-bridge, veth, nftables DNAT from 127.0.0.1:<host port>);
//                 crun gets the host's network and httpd listening on the port directly, as it
//                 has no networking of its own; 200 ms of quiet before each start, as for a
//                 service started on an idle host
//
// warden's data directory (jail state, the overlay's writable layer) is on tmpfs by default, as
// crun's state is (/run/crun; crun's root here is read-only, with no writable layer at all).
// WARDEN_BENCH_DATA=<dir> puts it elsewhere, e.g. on disk.
//
// Needs root. crun refuses hybrid cgroups ("drop all controllers from cgroupv2"), so the
// benchmark runs in a private mount namespace where the empty v2 mount is unmounted; warden
// runs in that same namespace (it uses the v1 controllers either way). Without crun installed
// its rows are skipped. Build with the release preset:
//   cmake --build --preset release --target jail_bench && sudo build/release/bench/jail_bench
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "warden/jail/jail.hpp"

namespace {

using namespace warden;
using namespace warden::jail;
using Clock = std::chrono::steady_clock;

std::string g_dir, g_root, g_crun;
std::unique_ptr<Driver> g_driver;
std::map<std::string, std::vector<double>> g_samples;  // ms
int g_counter = 0;

std::string sh(const std::string& cmd) {
  std::string out;
  if (FILE* f = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    ::pclose(f);
  }
  return out;
}

int run(const std::vector<std::string>& argv, bool quiet = true) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (quiet) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    ::execvp(a[0], a.data());
    ::_exit(127);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

uint16_t free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// Polls until GET / answers 200 (at most 10 s).
bool first_response(uint16_t port) {
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      const char req[] = "GET / HTTP/1.0\r\n\r\n";
      ::send(s, req, sizeof req - 1, MSG_NOSIGNAL);
      char buf[64] = {};
      ssize_t n = ::recv(s, buf, sizeof buf - 1, 0);
      ::close(s);
      if (n > 0 && std::string(buf).find(" 200 ") != std::string::npos) return true;
    } else {
      ::close(s);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return false;
}

void setup() {
  std::string base =
      std::getenv("WARDEN_BENCH_DATA") ? std::getenv("WARDEN_BENCH_DATA") : "/dev/shm";
  std::string tmpl = base + "/warden-jail-bench-XXXXXX";
  g_dir = ::mkdtemp(tmpl.data());
  g_root = g_dir + "/rootfs";
  for (const char* d : {"", "/bin", "/etc", "/proc", "/dev", "/tmp", "/www", "/sys"})
    ::mkdir((g_root + d).c_str(), 0755);
  sh("cp /bin/busybox " + g_root + "/bin/ && cd " + g_root +
     "/bin && for a in $(./busybox --list); do [ -e $a ] || ln -s busybox $a; done");
  std::ofstream(g_root + "/www/index.html") << "hello\n";
  // crun refuses hybrid cgroups: hide the empty v2 mount, in our own mount namespace only.
  if (::unshare(CLONE_NEWNS) == 0) {
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    ::umount2("/sys/fs/cgroup/unified", MNT_DETACH);
  }
  g_crun = sh("command -v crun");
  while (!g_crun.empty() && g_crun.back() == '\n') g_crun.pop_back();
  DriverOptions o;
  o.data_dir = g_dir + "/data";
  std::string pid = std::to_string(::getpid());
  o.cgroup_parent = "warden-bench-" + pid;
  o.bridge = "wb" + pid;
  o.nft_table = "warden_b" + pid;
  o.ip_forward = false;
  o.dns_servers = {"127.0.0.1"};
  // A /24 nobody uses.
  std::string taken = sh("cat /proc/net/route /etc/resolv.conf; ip -4 addr");
  for (int n = 0; n < 16384; ++n) {
    int k = (::getpid() + n * 7919) % 16384;
    std::string prefix =
        "10." + std::to_string(192 + (k >> 8)) + "." + std::to_string(k & 255) + ".";
    if (taken.find(prefix) == std::string::npos) {
      o.address_pool = prefix + "0/24";
      break;
    }
  }
  auto d = make_driver(o);
  if (!d) {
    std::fprintf(stderr, "jail driver: %s\n", d.error().message().c_str());
    std::exit(1);
  }
  g_driver = std::move(*d);
}

JailSpec spec(const std::string& command, std::vector<std::string> args) {
  JailSpec s;
  s.alloc_id = "b0000000-0000-4000-8000-" + std::to_string(100000000000 + g_counter++);
  s.task_name = "bench";
  s.config.image = "i";
  s.config.pot = "p";
  s.config.tag = "t";
  s.config.command = command;
  s.config.args = std::move(args);
  s.rootfs = g_root;
  s.resources.memory_mb = 64;
  s.resources.pids_limit = 4096;
  return s;
}

void record(benchmark::State& state, const std::string& key, double ms) {
  state.SetIterationTime(ms / 1000.0);
  g_samples[key].push_back(ms);
}

double since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void warden_true(benchmark::State& state, const std::string& key, int gap_ms) {
  for (auto _ : state) {
    if (gap_ms) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
    auto t = Clock::now();
    auto j = g_driver->create(spec("/bin/true", {}));
    if (!j || !(*j)->start()) {
      state.SkipWithError("warden: create/start failed");
      return;
    }
    auto w = (*j)->wait(-1);
    if (!w || !*w || (*w)->exit_code != 0 || !(*j)->destroy(false)) {
      state.SkipWithError("warden: run failed");
      return;
    }
    record(state, key, since(t));
  }
}

void BM_WardenTrue(benchmark::State& s) {
  warden_true(s, "true|warden", 0);
}
void BM_WardenTrueLone(benchmark::State& s) {
  warden_true(s, "true/lone|warden", 200);
}

std::string crun_bundle(const std::string& id, const std::vector<std::string>& args, bool cgroups) {
  std::string b = g_dir + "/bundles/" + id;
  sh("mkdir -p " + b);
  std::string caps =
      "[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\",\"CAP_KILL\","
      "\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\","
      "\"CAP_SYS_CHROOT\",\"CAP_MKNOD\",\"CAP_AUDIT_WRITE\",\"CAP_SETFCAP\"]";
  std::string argv = "[";
  for (size_t i = 0; i < args.size(); ++i) argv += (i ? ",\"" : "\"") + args[i] + "\"";
  argv += "]";
  std::ofstream(b + "/config.json")
      << "{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},"
         "\"args\":"
      << argv << ",\"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":" << caps
      << ",\"effective\":" << caps << ",\"permitted\":" << caps
      << "},\"noNewPrivileges\":true},\"root\":{\"path\":\"" << g_root
      << "\",\"readonly\":true},\"hostname\":\"crun\",\"mounts\":["
         "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
         "{\"destination\":\"/"
         "dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\","
         "\"strictatime\",\"mode=755\",\"size=65536k\"]},"
         "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":["
         "\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\"]},"
         "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":["
         "\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
         "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":["
         "\"nosuid\",\"nodev\",\"mode=1777\"]}],"
         "\"linux\":{"
      << (cgroups
              ? "\"cgroupsPath\":\"/warden-bench-crun/" + id +
                    "\",\"resources\":{\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":4096},"
                    "\"cpu\":{\"shares\":100}},"
              : std::string())
      << "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":"
         "\"mount\"}],"
         "\"maskedPaths\":[\"/proc/kcore\",\"/proc/keys\",\"/proc/timer_list\"],"
         "\"readonlyPaths\":[\"/proc/sys\",\"/proc/sysrq-trigger\",\"/proc/irq\",\"/proc/bus\"]}}";
  return b;
}

void crun_true(benchmark::State& state, const std::string& key, int gap_ms, bool cgroups) {
  if (g_crun.empty()) {
    state.SkipWithError("crun is not installed (Debian package crun)");
    return;
  }
  for (auto _ : state) {
    std::string id = "wb" + std::to_string(g_counter++);
    std::string bundle = crun_bundle(id, {"/bin/sh", "-c", "exec /bin/true"}, cgroups);
    if (gap_ms) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
    std::vector<std::string> mgr;
    if (!cgroups) mgr = {"--cgroup-manager=disabled"};
    auto t = Clock::now();
    std::vector<std::string> runv = {g_crun};
    runv.insert(runv.end(), mgr.begin(), mgr.end());
    runv.insert(runv.end(), {"run", "--bundle", bundle, id});
    int rc = run(runv);
    std::vector<std::string> del = {g_crun};
    del.insert(del.end(), mgr.begin(), mgr.end());
    del.insert(del.end(), {"delete", "-f", id});
    run(del);
    double ms = since(t);
    if (rc != 0) {
      state.SkipWithError("crun run failed");
      return;
    }
    record(state, key, ms);
  }
}

void BM_CrunTrue(benchmark::State& s) {
  crun_true(s, "true|crun", 0, true);
}
void BM_CrunTrueLone(benchmark::State& s) {
  crun_true(s, "true/lone|crun", 200, true);
}
void BM_CrunTrueNoCgroups(benchmark::State& s) {
  crun_true(s, "true|crun (no cgroups)", 0, false);
}

void warden_httpd(benchmark::State& state, const std::string& key, bool bridge) {
  for (auto _ : state) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    uint16_t port = free_port();
    JailSpec s = bridge ? spec("httpd", {"-f", "-p", "80", "-h", "/www"})
                        : spec("httpd", {"-f", "-p", std::to_string(port), "-h", "/www"});
    if (bridge) {
      s.config.port_map = {{"http", 80}};
      s.host_ports = {{"http", port}};
    }
    auto t = Clock::now();
    auto j = g_driver->create(s);
    if (!j || !(*j)->start() || !first_response(port)) {
      state.SkipWithError("warden: httpd did not answer");
      return;
    }
    double ms = since(t);
    (void)(*j)->destroy(true);
    record(state, key, ms);
  }
}

void BM_WardenHttpdBridge(benchmark::State& s) {
  warden_httpd(s, "httpd|warden", true);
}
void BM_WardenHttpdHost(benchmark::State& s) {
  warden_httpd(s, "httpd/host-net|warden", false);
}

void BM_CrunHttpd(benchmark::State& state) {
  if (g_crun.empty()) {
    state.SkipWithError("crun is not installed (Debian package crun)");
    return;
  }
  for (auto _ : state) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    uint16_t port = free_port();
    std::string id = "wh" + std::to_string(g_counter++);
    std::string bundle =
        crun_bundle(id, {"/bin/httpd", "-f", "-p", std::to_string(port), "-h", "/www"}, true);
    auto t = Clock::now();
    int rc = run({g_crun, "run", "--detach", "--bundle", bundle, id});
    bool ok = rc == 0 && first_response(port);
    double ms = since(t);
    run({g_crun, "delete", "-f", id});
    if (!ok) {
      state.SkipWithError("crun: httpd did not answer");
      return;
    }
    record(state, "httpd|crun", ms);
    record(state, "httpd/host-net|crun", ms);
  }
}

BENCHMARK(BM_WardenTrue)->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CrunTrue)->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CrunTrueNoCgroups)->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_WardenTrueLone)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_CrunTrueLone)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_WardenHttpdBridge)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(30);
BENCHMARK(BM_WardenHttpdHost)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(30);
BENCHMARK(BM_CrunHttpd)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(30);

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void summary() {
  std::printf("\nmedian milliseconds       %10s %10s %12s\n", "warden", "crun", "warden/crun");
  for (const char* row : {"true", "true/lone", "httpd", "httpd/host-net"}) {
    double w = median(g_samples[std::string(row) + "|warden"]);
    double c = median(g_samples[std::string(row) + "|crun"]);
    std::printf("%-25s %10.2f %10s %12s\n", row, w,
                c ? std::to_string(c).substr(0, 6).c_str() : "n/a",
                c ? std::to_string(w / c).substr(0, 5).c_str() : "-");
  }
  double nc = median(g_samples["true|crun (no cgroups)"]);
  if (nc) std::printf("%-25s %10s %10.2f\n", "true (crun, no cgroups)", "", nc);
  if (g_crun.empty()) std::printf("(crun is not installed: install the Debian package crun)\n");
  std::printf(
      "httpd: warden through public-bridge + port_map (nftables DNAT from 127.0.0.1);\n"
      "crun with the host's network, httpd listening on the port itself.\n"
      "warden's data directory: %s\n",
      g_dir.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::fprintf(stderr, "jail_bench needs root\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  setup();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  summary();
  if (auto list = g_driver->list()) {
    for (const auto& i : *list) {
      if (auto j = g_driver->open(i.name)) (void)(*j)->destroy(true);
    }
  }
  (void)g_driver->teardown();
  sh("rmdir /sys/fs/cgroup/*/warden-bench-crun 2>/dev/null; rm -rf " + g_dir);
  return 0;
}
