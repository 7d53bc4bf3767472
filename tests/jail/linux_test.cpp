// Real jails from a busybox-static root, as root: isolation, the seed's argument quoting, env,
// mounts, copy-in, logs and rotation, exec, signals and exit codes, stop with a timeout, the
// memory and pids limits, bridge networking with port_map, recovery after the managing process
// is killed, and a leak test.
#include <sys/wait.h>

#include <fstream>

#include "jail_test_util.hpp"
#include "warden/jail/jail.hpp"
#include "warden/job/jobspec.hpp"

namespace {

using namespace warden;
using namespace warden::jail;
using namespace jailtest;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string field(const std::string& json, const std::string& key) {
  std::string k = "\"" + key + "\": ";
  size_t at = json.find(k);
  if (at == std::string::npos) return "";
  at += k.size();
  size_t end = json.find_first_of(",\n}", at);
  std::string v = json.substr(at, end - at);
  if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

class JailLinuxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() == 0) janitor();
  }

  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "real jails need root";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_ = scratch() + "/data-" + info->name();
    options_ = test_options(data_);
    auto d = make_driver(options_);
    ASSERT_TRUE(d) << d.error().message();
    driver_ = std::move(*d);
    auto fp = driver_->fingerprint();
    ASSERT_TRUE(fp.healthy) << fp.description;
  }

  void TearDown() override {
    if (!driver_) return;
    if (auto list = driver_->list()) {
      for (const auto& i : *list) {
        if (auto j = driver_->open(i.name)) (void)(*j)->destroy(true);
      }
    }
    auto r = driver_->teardown();
    EXPECT_TRUE(r) << r.error().message();
    for (const char* h : {"memory", "cpu", "pids", "cpuacct"}) {
      std::string dir = std::string("/sys/fs/cgroup/") + h + "/" + options_.cgroup_parent;
      EXPECT_NE(::access(dir.c_str(), F_OK), 0) << dir << " is left after teardown";
    }
    sh("rm -rf " + data_);
  }

  JailSpec spec(const std::string& command, std::vector<std::string> args = {}) {
    JailSpec s;
    s.alloc_id = "0c9f6a1e-7b2d-4c55-9e1a-" + std::to_string(100000000000 + counter_++);
    s.task_name = "task";
    s.config.image = "https://potluck.honeyguide.net/busybox";
    s.config.pot = "busybox";
    s.config.tag = "1.0";
    s.config.command = command;
    s.config.args = std::move(args);
    s.rootfs = shared_root();
    s.resources.memory_mb = 64;
    s.logs.max_file_size_mb = 1;
    s.logs.max_files = 3;
    s.kill_timeout = 2 * kSecond;
    return s;
  }

  std::shared_ptr<Jail> run(const JailSpec& s) {
    auto j = driver_->create(s);
    EXPECT_TRUE(j) << j.error().message();
    if (!j) return nullptr;
    auto r = (*j)->start();
    EXPECT_TRUE(r) << r.error().message();
    return *j;
  }

  ExitResult wait(Jail& j, Nanos timeout = 30 * kSecond) {
    auto w = j.wait(timeout);
    EXPECT_TRUE(w) << w.error().message();
    EXPECT_TRUE(w && *w) << "the jail did not end in time";
    return w && *w ? **w : ExitResult{};
  }

  static std::string logs(Jail& j, LogStream s = LogStream::out, uint64_t offset = 0) {
    auto r = j.logs(s, offset);
    EXPECT_TRUE(r);
    if (!r) return "";
    std::string out;
    char buf[65536];
    for (;;) {
      auto n = r->read(buf, sizeof buf, false, 0);
      if (!n || *n == 0) break;
      out.append(buf, *n);
    }
    return out;
  }

  ExecResult exec(Jail& j, std::vector<std::string> argv, std::string input = "") {
    ExecOptions o;
    o.argv = std::move(argv);
    o.input = std::move(input);
    o.timeout = 20 * kSecond;
    auto r = j.exec(o);
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : ExecResult{};
  }

  // Nothing of the driver's jails is left on the host.
  void expect_no_leftovers(const std::vector<pid_t>& shims = {}) {
    std::string mountinfo = read("/proc/self/mountinfo");
    EXPECT_EQ(mountinfo.find(data_), std::string::npos) << "a mount is left";
    // No veth of the pool ("wv" + the address in hex).
    std::string pool_hex;
    {
      unsigned a, b, c;
      std::sscanf(options_.address_pool.c_str(), "%u.%u.%u", &a, &b, &c);
      char hex[16];
      std::snprintf(hex, sizeof hex, "wv%02x%02x%02x", a, b, c);
      pool_hex = hex;
    }
    EXPECT_EQ(sh("ls /sys/class/net").find(pool_hex), std::string::npos) << "a link is left";
    for (const char* h : {"memory", "cpu", "pids", "cpuacct"}) {
      std::string dir = std::string("/sys/fs/cgroup/") + h + "/" + options_.cgroup_parent;
      // The driver's spare cgroups (.warm-*) are not jails' (they go with teardown()).
      EXPECT_EQ(
          sh("find " + dir + " -mindepth 1 -maxdepth 1 -type d ! -name '.warm-*' 2>/dev/null"), "")
          << "a cgroup is left in " << dir;
    }
    std::string map = sh("nft list map ip " + options_.nft_table + " ports 2>/dev/null");
    EXPECT_EQ(map.find("elements"), std::string::npos) << "a forwarding rule is left:\n" << map;
    std::string leases = read(data_ + "/network/" + options_.bridge + ".leases");
    EXPECT_EQ(leases, "") << "an address is still leased";
    EXPECT_EQ(sh("ls " + data_ + "/jails 2>/dev/null"), "") << "a jail directory is left";
    for (pid_t p : shims) EXPECT_FALSE(pid_alive(p)) << "supervisor " << p << " is alive";
  }

  std::string data_;
  DriverOptions options_;
  std::unique_ptr<Driver> driver_;
  int counter_ = 0;
};

TEST_F(JailLinuxTest, ExitCodesAndTrue) {
  auto t = run(spec("/bin/true"));
  ASSERT_TRUE(t);
  auto e = wait(*t);
  EXPECT_EQ(e.exit_code, 0);
  EXPECT_EQ(e.signal, 0);
  EXPECT_TRUE(e.successful());
  auto three = run(spec("sh", {"-c", "'exit 3'"}));
  ASSERT_TRUE(three);
  EXPECT_EQ(wait(*three).exit_code, 3);
  EXPECT_EQ(three->status(), JailStatus::exited);
  ASSERT_TRUE(three->destroy(false));
  ASSERT_TRUE(t->destroy(false));
  expect_no_leftovers();
}

TEST_F(JailLinuxTest, SeedArgumentQuoting) {
  // The seed job: command = "nginx", args = ["-g", "'daemon off;'"], with an "nginx" that prints
  // its arguments, copied in as pot's copy-in does.
  std::string script = scratch() + "/showargs-" + std::to_string(counter_);
  write(script, "#!/bin/sh\necho \"argc=$#\"\nfor a in \"$@\"; do echo \"arg=[$a]\"; done\n", 0755);
  auto s = spec("nginx", {"-g", "'daemon off;'"});
  s.config.copy = {{script, "/usr/local/sbin/nginx"}};
  auto j = run(s);
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  EXPECT_EQ(logs(*j), "argc=2\narg=[-g]\narg=[daemon off;]\n");
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, Isolation) {
  std::string marker = scratch() + "/host-only-file";
  write(marker, "secret");
  auto j =
      run(spec("sh", {"-c", "'hostname; ps -o pid,comm | tail -n +2 | wc -l; test -e " + marker +
                                " && echo visible || echo hidden; ls /proc/1/root "
                                ">/dev/null 2>&1 && echo root-open || echo root-closed; "
                                "cat /proc/self/cgroup | grep -c memory:/$; id -u'"}));
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  std::istringstream out(logs(*j));
  std::string hostname, procs, visible, root, cgroup, uid;
  out >> hostname >> procs >> visible >> root >> cgroup >> uid;
  EXPECT_EQ(hostname, j->name().substr(0, 64));
  // The supervisor (PID 1), sh and ps (and the pipeline's tail and wc): nothing of the host.
  EXPECT_LE(std::stoi(procs), 5);
  EXPECT_EQ(visible, "hidden");
  EXPECT_EQ(root, "root-closed");  // PID 1 is the supervisor: its root is not the jail's
  EXPECT_EQ(cgroup, "1") << "the jail sees its own cgroup as /";
  EXPECT_EQ(uid, "0");
  // The host's own hostname is untouched.
  char host[256] = {};
  ::gethostname(host, sizeof host);
  EXPECT_NE(std::string(host), j->name());
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, Environment) {
  auto s = spec("sh", {"-c", "'echo \"$GREETING\"; echo \"$PATH\"'"});
  s.env = {{"GREETING", "hello world"}, {"NOMAD_TASK_NAME", "task"}};
  auto j = run(s);
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  EXPECT_EQ(logs(*j),
            "hello world\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, MountsReadWriteAndReadOnly) {
  std::string rw = scratch() + "/rw-" + std::to_string(::getpid());
  std::string ro = scratch() + "/ro-" + std::to_string(::getpid());
  std::string task = scratch() + "/task-" + std::to_string(::getpid());
  ::mkdir(rw.c_str(), 0755);
  ::mkdir(ro.c_str(), 0755);
  ::mkdir(task.c_str(), 0755);
  ::mkdir((task + "/local").c_str(), 0755);
  write(ro + "/data.txt", "read me\n");
  write(task + "/local/config", "local config\n");
  auto s = spec("sh", {"-c",
                       "'echo written > /mnt/rw/out.txt; cat /data/ro/data.txt; "
                       "echo nope > /data/ro/x 2>/dev/null && echo ro-writable || echo ro-refused; "
                       "cat /local/config; test -d /secrets && echo secrets'"});
  s.config.mount = {{rw, "/mnt/rw"}};
  s.config.mount_read_only = {{ro, "/data/ro"}};
  s.task_dir = task;
  auto j = run(s);
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  EXPECT_EQ(logs(*j), "read me\nro-refused\nlocal config\nsecrets\n");
  EXPECT_EQ(read(rw + "/out.txt"), "written\n");
  EXPECT_FALSE(jailtest::read(ro + "/x").size());
  ASSERT_TRUE(j->destroy(false));
  // The image itself is untouched: the overlay's upper layer took the writes.
  EXPECT_FALSE(::access((shared_root() + "/mnt").c_str(), F_OK) == 0);
  expect_no_leftovers();
}

TEST_F(JailLinuxTest, HostsResolvAndCopy) {
  std::string file = scratch() + "/copied-" + std::to_string(::getpid());
  write(file, "copied content\n");
  auto s = spec("sh", {"-c", "'cat /etc/hosts; cat /etc/resolv.conf; cat /opt/app/file.txt'"});
  s.config.extra_hosts = {"db.internal:10.1.2.3"};
  s.config.copy = {{file, "/opt/app/file.txt"}};
  auto j = run(s);
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  std::string out = logs(*j);
  EXPECT_NE(out.find("127.0.0.1\tlocalhost " + j->name()), std::string::npos) << out;
  EXPECT_NE(out.find("10.1.2.3\tdb.internal"), std::string::npos) << out;
  EXPECT_NE(out.find("nameserver 127.0.0.1"), std::string::npos) << out;
  EXPECT_NE(out.find("copied content"), std::string::npos) << out;
  // The image's own /etc is untouched.
  EXPECT_EQ(::access((shared_root() + "/etc/hosts").c_str(), F_OK), -1);
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, LogsRotateAndReadFromOffsets) {
  // 3.5 MB of output with 1 MB files, at most 3 kept: files 1, 2 and 3 remain.
  auto s = spec("sh", {"-c", "'yes 0123456789abcde | head -c 3670016; echo err >&2'"});
  auto j = run(s);
  ASSERT_TRUE(j);
  EXPECT_EQ(wait(*j).exit_code, 0);
  std::string dir = data_ + "/jails/" + j->name() + "/logs/";
  struct stat st;
  EXPECT_NE(::stat((dir + "task.stdout.0").c_str(), &st), 0) << "the oldest file was kept";
  ASSERT_EQ(::stat((dir + "task.stdout.1").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 1 << 20);
  ASSERT_EQ(::stat((dir + "task.stdout.3").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 3670016 - 3 * (1 << 20));
  // From offset 0: starts at the oldest file kept (offset 1 MB).
  auto reader = j->logs(LogStream::out, 0);
  ASSERT_TRUE(reader);
  std::string all;
  char buf[65536];
  while (auto n = reader->read(buf, sizeof buf, true, 5 * kSecond)) {
    if (*n == 0) break;
    all.append(buf, *n);
  }
  EXPECT_TRUE(reader->at_end());
  EXPECT_EQ(all.size(), 3670016u - (1u << 20));
  EXPECT_EQ(all.substr(0, 16), std::string("0123456789abcde\n").substr((1 << 20) % 16) +
                                   std::string("0123456789abcde\n").substr(0, (1 << 20) % 16));
  // From an offset inside the newest file.
  std::string tail = logs(*j, LogStream::out, 3670016 - 32);
  EXPECT_EQ(tail, "0123456789abcde\n0123456789abcde\n");
  EXPECT_EQ(logs(*j, LogStream::err), "err\n");
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, FollowLogs) {
  auto j = run(spec("sh", {"-c", "'for i in 1 2 3; do echo line $i; sleep 0.2; done'"}));
  ASSERT_TRUE(j);
  auto reader = j->logs(LogStream::out, 0);
  ASSERT_TRUE(reader);
  std::string got;
  char buf[256];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!reader->at_end() && std::chrono::steady_clock::now() < deadline) {
    auto n = reader->read(buf, sizeof buf, true, kSecond);
    ASSERT_TRUE(n);
    got.append(buf, *n);
  }
  EXPECT_EQ(got, "line 1\nline 2\nline 3\n");
  EXPECT_TRUE(reader->at_end());
  ASSERT_TRUE(j->destroy(true));
}

TEST_F(JailLinuxTest, Exec) {
  auto j = run(spec("sleep", {"60"}));
  ASSERT_TRUE(j);
  auto host = exec(*j, {"hostname"});
  EXPECT_EQ(host.stdout_data, j->name().substr(0, 64) + "\n");
  auto code = exec(*j, {"sh", "-c", "echo out; echo err >&2; exit 4"});
  EXPECT_EQ(code.exit_code, 4);
  EXPECT_EQ(code.stdout_data, "out\n");
  EXPECT_EQ(code.stderr_data, "err\n");
  EXPECT_EQ(exec(*j, {"cat"}, "from stdin").stdout_data, "from stdin");
  // Exec'd processes share the jail's PID namespace: sleep is there, the host is not.
  auto ps = exec(*j, {"ps", "-o", "comm"});
  EXPECT_NE(ps.stdout_data.find("sleep"), std::string::npos) << ps.stdout_data;
  EXPECT_EQ(ps.stdout_data.find("jail_linux_test"), std::string::npos) << ps.stdout_data;
  ExecOptions o;
  o.argv = {"nonexistent-command"};
  auto missing = j->exec(o);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::not_found);
  // With a terminal from the jail's own devpts.
  ExecOptions t;
  t.argv = {"sh", "-c", "tty; test -t 0 && echo is-a-tty"};
  t.tty = true;
  t.timeout = 10 * kSecond;
  auto tty = j->exec(t);
  ASSERT_TRUE(tty) << tty.error().message();
  EXPECT_NE(tty->stdout_data.find("/dev/pts/0"), std::string::npos) << tty->stdout_data;
  EXPECT_NE(tty->stdout_data.find("is-a-tty"), std::string::npos) << tty->stdout_data;
  ASSERT_TRUE(j->stop("SIGTERM", 5 * kSecond));
  EXPECT_EQ(wait(*j).signal, SIGTERM);
  ASSERT_FALSE(j->exec(o));  // not running
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, SignalsAndExitCodes) {
  auto j = run(
      spec("sh", {"-c", "'trap \"echo got HUP; exit 7\" HUP; while true; do sleep 0.05; done'"}));
  ASSERT_TRUE(j);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(j->signal("SIGHUP"));
  auto e = wait(*j);
  EXPECT_EQ(e.exit_code, 7);
  EXPECT_EQ(e.signal, 0);
  EXPECT_EQ(logs(*j), "got HUP\n");
  auto k = run(spec("sleep", {"60"}));
  ASSERT_TRUE(k);
  ASSERT_TRUE(k->signal("TERM"));
  auto ke = wait(*k);
  EXPECT_EQ(ke.signal, SIGTERM);
  EXPECT_EQ(ke.exit_code, 128 + SIGTERM);
  EXPECT_FALSE(ke.oom_killed);
  EXPECT_FALSE(k->signal("NOSUCHSIGNAL"));
  ASSERT_TRUE(j->destroy(false));
  ASSERT_TRUE(k->destroy(false));
}

TEST_F(JailLinuxTest, StopWithTimeout) {
  // SIGTERM is ignored: SIGKILL follows after the timeout.
  auto j = run(spec("sh", {"-c", "'trap \"\" TERM; while true; do sleep 0.05; done'"}));
  ASSERT_TRUE(j);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(j->stop("SIGTERM", 700 * kMillisecond));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(650));
  EXPECT_LT(took, std::chrono::seconds(5));
  auto e = wait(*j, 0);
  EXPECT_EQ(e.signal, SIGKILL);
  // A command that obeys stops at once; the spec's kill signal and timeout by default.
  auto k = run(spec("sleep", {"60"}));
  ASSERT_TRUE(k);
  start = std::chrono::steady_clock::now();
  ASSERT_TRUE(k->stop("", -1));  // SIGINT, 2 s
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(wait(*k, 0).signal, SIGINT);
  // Destroying a running jail needs force.
  auto r = run(spec("sleep", {"60"}));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->destroy(false));
  ASSERT_TRUE(r->destroy(true));
  ASSERT_TRUE(j->destroy(false));
  ASSERT_TRUE(k->destroy(false));
  expect_no_leftovers();
}

TEST_F(JailLinuxTest, MemoryHogIsKilledInsideItsLimit) {
  auto s = spec("dd", {"if=/dev/zero", "of=/dev/null", "bs=96M", "count=1"});
  s.resources.memory_mb = 32;
  auto j = run(s);
  ASSERT_TRUE(j);
  auto e = wait(*j);
  EXPECT_TRUE(e.oom_killed);
  EXPECT_EQ(e.signal, SIGKILL);
  auto stats = j->stats();
  ASSERT_TRUE(stats);
  EXPECT_LE(stats->memory_max_usage, 32u << 20);
  // The host is unaffected: this process lives on and can still allocate.
  std::vector<char> mine(64 << 20, 1);
  EXPECT_EQ(mine[12345], 1);
  ASSERT_TRUE(j->destroy(false));
}

TEST_F(JailLinuxTest, ForkBombStopsAtThePidsLimit) {
  auto s = spec("sh", {"-c", "'(f() { f & f; }; f) 2>/dev/null; echo survived; sleep 30'"});
  s.resources.pids_limit = 32;
  auto j = run(s);
  ASSERT_TRUE(j);
  // The bomb runs into the limit, collapses, and the jail's shell carries on.
  auto reader = j->logs(LogStream::out, 0);
  ASSERT_TRUE(reader);
  std::string out;
  char buf[256];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (out.find("survived") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    auto n = reader->read(buf, sizeof buf, true, kSecond);
    ASSERT_TRUE(n);
    out.append(buf, *n);
  }
  EXPECT_EQ(out, "survived\n");
  std::string pids_dir;
  for (const auto& d :
       split_lines(sh("find /sys/fs/cgroup -maxdepth 3 -type d -name " + j->name())))
    if (d.find("/pids/") != std::string::npos || d.find("/unified/") == std::string::npos)
      if (::access((d + "/pids.events").c_str(), F_OK) == 0) pids_dir = d;
  ASSERT_FALSE(pids_dir.empty());
  EXPECT_EQ(read(pids_dir + "/pids.max"), "32\n");
  std::string events = read(pids_dir + "/pids.events");
  EXPECT_NE(events, "max 0\n") << "no fork was refused";
  auto stats = j->stats();
  ASSERT_TRUE(stats);
  EXPECT_LE(stats->pids, 32u);
  // The host can still fork.
  EXPECT_EQ(sh("echo host-alive"), "host-alive\n");
  ASSERT_TRUE(j->stop("SIGKILL", 0));
  ASSERT_TRUE(j->destroy(false));
  expect_no_leftovers();
}

TEST_F(JailLinuxTest, Stats) {
  auto j = run(spec("sh", {"-c", "'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 30'"}));
  ASSERT_TRUE(j);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto a = j->stats();
  ASSERT_TRUE(a);
  EXPECT_GT(a->memory_usage, 0u);
  EXPECT_GT(a->cpu_total_ns, 0u);
  EXPECT_GE(a->pids, 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto b = j->stats();
  ASSERT_TRUE(b);
  EXPECT_GE(b->cpu_total_ns, a->cpu_total_ns);
  ASSERT_TRUE(j->destroy(true));
}

TEST_F(JailLinuxTest, BridgeNetworkingWithPortMap) {
  uint16_t port = free_port();
  auto s = spec("httpd", {"-f", "-p", "80", "-h", "/www"});
  s.config.port_map = {{"http", 80}};
  s.host_ports = {{"http", port}};
  auto j = run(s);
  ASSERT_TRUE(j);
  auto info = j->info();
  EXPECT_EQ(info.network_mode, "public-bridge");
  EXPECT_FALSE(info.address.empty());
  EXPECT_EQ(info.ports["http"], std::to_string(port) + ":80");
  EXPECT_NE(http_wait("127.0.0.1", port, "hello from the jail").find("200 OK"), std::string::npos);
  std::string host = host_address();
  ASSERT_FALSE(host.empty());
  EXPECT_NE(http_wait(host, port, "hello from the jail").find("hello from the jail"),
            std::string::npos);
  // The jail has its own network: its address, a default route through the bridge.
  auto ip = exec(*j, {"ip", "-4", "addr", "show", "eth0"});
  EXPECT_NE(ip.stdout_data.find(info.address), std::string::npos) << ip.stdout_data;
  auto shim = std::stoi(field(j->state_json(), "ShimPid"));
  ASSERT_TRUE(j->stop("SIGTERM", 2 * kSecond));
  ASSERT_TRUE(j->destroy(false));
  EXPECT_EQ(http_get("127.0.0.1", port), "");
  expect_no_leftovers({shim});
}

TEST_F(JailLinuxTest, PortInUseIsRefused) {
  uint16_t port = free_port();
  auto s = spec("sleep", {"30"});
  s.config.port_map = {{"http", 80}};
  s.host_ports = {{"http", port}};
  auto a = run(s);
  ASSERT_TRUE(a);
  auto b = driver_->create(s);
  ASSERT_TRUE(b);
  auto r = (*b)->start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("already forwarded"), std::string::npos)
      << r.error().message();
  ASSERT_TRUE((*b)->destroy(false));
  ASSERT_TRUE(a->destroy(true));
  expect_no_leftovers();
}

TEST_F(JailLinuxTest, RecoverAfterTheAgentIsKilled) {
  uint16_t port = free_port();
  int pipe_fd[2];
  ASSERT_EQ(::pipe(pipe_fd), 0);
  pid_t agent = ::fork();
  if (agent == 0) {
    // The "agent": creates two jails, reports their names, and waits to be killed.
    ::close(pipe_fd[0]);
    auto d = make_driver(options_);
    auto s = spec("sh", {"-c", "'while true; do echo tick; sleep 0.1; done'"});
    s.config.port_map = {{"http", 80}};
    s.host_ports = {{"http", port}};
    auto lasting = (*d)->create(s);
    auto quick = (*d)->create(spec("sh", {"-c", "'sleep 0.3; exit 5'"}));
    if (!lasting || !quick || !(*lasting)->start() || !(*quick)->start()) ::_exit(1);
    std::string names = (*lasting)->name() + " " + (*quick)->name() + "\n";
    if (::write(pipe_fd[1], names.data(), names.size()) < 0) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(pipe_fd[1]);
  char buf[512] = {};
  ASSERT_GT(::read(pipe_fd[0], buf, sizeof buf - 1), 0);
  ::close(pipe_fd[0]);
  std::istringstream names(buf);
  std::string lasting, quick;
  names >> lasting >> quick;
  ::kill(agent, SIGKILL);
  int st;
  ::waitpid(agent, &st, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // quick ends meanwhile

  auto report = driver_->recover();
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->running, std::vector<std::string>{lasting});
  ASSERT_EQ(report->cleaned.size(), 1u);
  EXPECT_EQ(report->cleaned[0].first, quick);
  EXPECT_EQ(report->cleaned[0].second.exit_code, 5);
  EXPECT_TRUE(report->errors.empty());

  auto j = driver_->open(lasting);
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)->status(), JailStatus::running);
  // The supervisor kept logging while nobody watched.
  std::string out = logs(**j);
  EXPECT_GE(std::count(out.begin(), out.end(), '\n'), 4) << out;
  EXPECT_EQ(exec(**j, {"echo", "still here"}).stdout_data, "still here\n");
  auto shim = std::stoi(field((*j)->state_json(), "ShimPid"));
  ASSERT_TRUE((*j)->stop("SIGTERM", 2 * kSecond));
  EXPECT_EQ(wait(**j, 0).signal, SIGTERM);
  ASSERT_TRUE((*j)->destroy(false));
  expect_no_leftovers({shim});
}

TEST_F(JailLinuxTest, Errors) {
  auto bad = spec("true");
  bad.rootfs = scratch();  // no /bin/sh
  auto r = driver_->create(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::invalid_argument);
  auto alias = spec("true");
  alias.config.network_mode = "alias";
  r = driver_->create(alias);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::unsupported);
  auto noport = spec("true");
  noport.config.port_map = {{"http", 80}};
  r = driver_->create(noport);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::invalid_argument);
  auto missing = spec("true");
  missing.config.mount = {{"/nonexistent/dir", "/mnt"}};
  EXPECT_FALSE(driver_->create(missing));
  EXPECT_EQ(driver_->open("no-such-jail").error().code(), ErrorCode::not_found);
  // Created but not started: wait is refused, destroy is fine.
  auto j = driver_->create(spec("true"));
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)->status(), JailStatus::created);
  EXPECT_FALSE((*j)->wait(0));
  auto again = spec("true");
  again.alloc_id = (*j)->info().alloc_id;
  again.invocation = field((*j)->state_json(), "Invocation");
  EXPECT_FALSE(driver_->create(again));  // same name
  ASSERT_TRUE((*j)->destroy(false));
  expect_no_leftovers();
}

// The acceptance: the seed's hello-web task, with an nginx-like busybox httpd image, runs as a
// jail with its port mapped, answers on the host port, shows its output in the logs, and is
// destroyed without a trace.
TEST_F(JailLinuxTest, SeedHelloWebTask) {
  std::string text = read(std::string(WARDEN_SOURCE_DIR) + "/examples/jobs/hello-web.nomad");
  auto job = job::parse_job(text, "hello-web.nomad");
  ASSERT_TRUE(job) << job.error().format();
  job::canonicalize(*job);
  const job::Task& task = (*(*job->task_groups)[0].tasks)[0];
  auto s =
      spec_from_task(task, "7f3b2c1a-0d4e-4f5a-9b8c-" + std::to_string(::getpid() + 100000000000L));
  ASSERT_TRUE(s) << s.error().format();
  EXPECT_EQ(s->resources.memory_mb, 64);
  EXPECT_EQ(s->resources.cpu_mhz, 200);
  // An nginx-like image: busybox httpd behind an "nginx" that takes nginx's arguments.
  std::string image = scratch() + "/nginx-image";
  busybox_root(image);
  write(image + "/usr/local/sbin/nginx",
        "#!/bin/sh\necho \"nginx-like: $# args: [$1] [$2]\"\nexec httpd -f -v -p 80 -h /www\n",
        0755);
  write(image + "/www/index.html", "hello-web\n");
  s->rootfs = image;
  uint16_t port = free_port();
  s->host_ports = {{"http", port}};
  auto j = run(*s);
  ASSERT_TRUE(j);
  EXPECT_NE(http_wait("127.0.0.1", port, "hello-web").find("hello-web"), std::string::npos);
  EXPECT_NE(http_wait(host_address(), port, "hello-web").find("hello-web"), std::string::npos);
  EXPECT_EQ(logs(*j), "nginx-like: 2 args: [-g] [daemon off;]\n");
  auto shim = std::stoi(field(j->state_json(), "ShimPid"));
  ASSERT_TRUE(j->stop("", -1));
  ASSERT_TRUE(j->destroy(false));
  expect_no_leftovers({shim});
}

TEST_F(JailLinuxTest, LeakTest200Jails) {
  // 200 create/start/wait/destroy cycles, every other one on the bridge with a mapped port.
  std::vector<pid_t> shims;
  for (int i = 0; i < 200; ++i) {
    auto s = spec("/bin/true");
    if (i % 2) {
      s.config.port_map = {{"http", 80}};
      s.host_ports = {{"http", uint16_t(40000 + i)}};
    }
    auto j = run(s);
    ASSERT_TRUE(j);
    auto e = wait(*j);
    ASSERT_EQ(e.exit_code, 0) << e.error;
    shims.push_back(std::stoi(field(j->state_json(), "ShimPid")));
    ASSERT_TRUE(j->destroy(false));
  }
  expect_no_leftovers(shims);
  // And no process of the jails' cgroups: they are all gone.
  EXPECT_EQ(sh("cat /sys/fs/cgroup/pids/" + options_.cgroup_parent + "/cgroup.procs 2>/dev/null"),
            "");
}

}  // namespace
