// Unit tests of the jail layer's pieces that need no jail: the pot config schema, names, signals,
// log files, persisted state, address pools, cgroup weights, path resolution in a root.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "jail_test_util.hpp"
#include "linux/cgroups.hpp"
#include "linux/network.hpp"
#include "state.hpp"
#include "util.hpp"
#include "warden/jail/config.hpp"
#include "warden/jail/jail.hpp"
#include "warden/jail/logs.hpp"
#include "warden/job/jobspec.hpp"

namespace {

using namespace warden;
using namespace warden::jail;

// The `config` value of a task, as the job layer decodes it.
Result<PotConfig> decode(const std::string& body) {
  std::string text =
      "job \"j\" {\n group \"g\" {\n  network {\n   port \"http\" {}\n  }\n"
      "  task \"t\" {\n   driver = \"pot\"\n   config {\n" +
      body + "\n   }\n  }\n }\n}\n";
  auto job = job::parse_job(text, "test.nomad");
  EXPECT_TRUE(job) << (job ? "" : job.error().format());
  if (!job) return job.error();
  return decode_config(*(*(*job->task_groups)[0].tasks)[0].config);
}

const char* kBase = "image = \"https://r\"\npot = \"p\"\ntag = \"1\"\n";

TEST(JailPotConfig, SeedShape) {
  auto c = decode(std::string(kBase) +
                  "command = \"nginx\"\nargs = [\"-g\", \"'daemon off;'\"]\n"
                  "port_map = { http = \"80\" }\n");
  ASSERT_TRUE(c) << c.error().format();
  EXPECT_EQ(c->image, "https://r");
  EXPECT_EQ(c->command, "nginx");
  EXPECT_EQ(c->args, (std::vector<std::string>{"-g", "'daemon off;'"}));
  ASSERT_EQ(c->port_map.size(), 1u);
  EXPECT_EQ(c->port_map[0], (PortMapping{"http", 80}));
  EXPECT_EQ(command_line(*c), "nginx -g 'daemon off;'");
  EXPECT_EQ(effective_network_mode(*c), "public-bridge");
}

TEST(JailPotConfig, EveryField) {
  auto c = decode(std::string(kBase) +
                  "command = \"app\"\nnetwork_mode = \"host\"\nport_map = { b = 81, a = \"80\" }\n"
                  "mount = [\"/a:/b\"]\nmount_read_only = [\"/c:/d\"]\ncopy = [\"/e:/f/g\"]\n"
                  "extra_hosts = [\"db:10.0.0.1\"]\nattributes = [\"devfs_ruleset:4\", \"k:v:w\"]\n"
                  "ip = \"10.0.0.9\"\n");
  ASSERT_TRUE(c) << c.error().format();
  EXPECT_EQ(c->port_map, (std::vector<PortMapping>{{"a", 80}, {"b", 81}}));  // by label
  EXPECT_EQ(c->mount, (std::vector<PathPair>{{"/a", "/b"}}));
  EXPECT_EQ(c->mount_read_only, (std::vector<PathPair>{{"/c", "/d"}}));
  EXPECT_EQ(c->copy, (std::vector<PathPair>{{"/e", "/f/g"}}));
  EXPECT_EQ(c->extra_hosts, (std::vector<std::string>{"db:10.0.0.1"}));
  EXPECT_EQ(c->attributes, (std::vector<Attribute>{{"devfs_ruleset", "4"}, {"k", "v:w"}}));
  EXPECT_EQ(effective_network_mode(*c), "inherit");
}

TEST(JailPotConfig, Errors) {
  auto expect_error = [](const std::string& body, const std::string& want) {
    auto c = decode(body);
    ASSERT_FALSE(c) << body;
    EXPECT_EQ(c.error().code(), ErrorCode::invalid_job);
    EXPECT_NE(c.error().format().find(want), std::string::npos) << c.error().format();
  };
  expect_error("pot = \"p\"\ntag = \"1\"", "needs config.image");
  expect_error(std::string(kBase) + "args = [\"x\"]", "args is set without config.command");
  expect_error(std::string(kBase) + "comand = \"x\"", "Did you mean \"command\"?");
  expect_error(std::string(kBase) + "port_map = { http = \"eighty\" }", "port number");
  expect_error(std::string(kBase) + "mount = [\"/only-source\"]", "source:destination");
  expect_error(std::string(kBase) + "copy = [\"/a:relative\"]", "absolute path");
  expect_error(std::string(kBase) + "extra_hosts = [\"nocolon\"]", "hostname:IP");
  expect_error(std::string(kBase) + "attributes = [\":v\"]", "key:value");
  expect_error(std::string(kBase) + "network_mode = \"wifi\"", "is not one of");
}

TEST(JailPotConfig, NetworkModesAndNames) {
  PotConfig c;
  EXPECT_EQ(effective_network_mode(c), "inherit");
  c.port_map = {{"http", 80}};
  EXPECT_EQ(effective_network_mode(c), "public-bridge");
  c.network_mode = "host";
  EXPECT_EQ(effective_network_mode(c), "inherit");
  c.network_mode = "alias";
  EXPECT_EQ(effective_network_mode(c), "alias");
  EXPECT_EQ(jail_name("www1", "a1b2c3d4", "5f0c"), "www1_a1b2c3d4_5f0c");
  EXPECT_EQ(jail_name("web.v2", "ab", "x/y"), "web_v2_ab_x_y");  // as pot: '.' -> '_'
}

TEST(JailSignals, NamesAndNumbers) {
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("term"), SIGTERM);
  EXPECT_EQ(parse_signal("9"), SIGKILL);
  EXPECT_FALSE(parse_signal("SIGNOPE"));
  EXPECT_FALSE(parse_signal(""));
  EXPECT_EQ(signal_name(SIGHUP), "SIGHUP");
  EXPECT_EQ(signal_name(SIGUSR2), "SIGUSR2");
}

TEST(JailSpecFromTask, DefaultsAndOverrides) {
  std::string text =
      "job \"j\" {\n group \"g\" {\n  task \"t\" {\n   driver = \"pot\"\n   kill_timeout = "
      "\"9s\"\n   kill_signal = \"SIGTERM\"\n   env { A = \"1\" }\n   logs {\n    max_files = 3\n"
      "    max_file_size = 2\n   }\n   config {\n    image = \"i\"\n    pot = \"p\"\n    tag = "
      "\"t\"\n   }\n   resources {\n    cpu = 300\n    memory = 128\n    memory_max = 256\n   }\n"
      "  }\n }\n}\n";
  auto job = job::parse_job(text, "t.nomad");
  ASSERT_TRUE(job) << job.error().format();
  auto s = spec_from_task((*(*job->task_groups)[0].tasks)[0], "alloc");
  ASSERT_TRUE(s) << s.error().format();
  EXPECT_EQ(s->alloc_id, "alloc");
  EXPECT_EQ(s->task_name, "t");
  EXPECT_EQ(s->resources.cpu_mhz, 300);
  EXPECT_EQ(s->resources.memory_mb, 128);
  EXPECT_EQ(s->resources.memory_max_mb, 256);
  EXPECT_EQ(s->env.at("A"), "1");
  EXPECT_EQ(s->logs.max_files, 3);
  EXPECT_EQ(s->logs.max_file_size_mb, 2);
  EXPECT_EQ(s->kill_timeout, 9 * kSecond);
  EXPECT_EQ(s->kill_signal, "SIGTERM");
}

class JailLogFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = jailtest::scratch() + "/logs-" + std::to_string(counter_++);
    ::mkdir(dir_.c_str(), 0755);
  }
  void TearDown() override { jailtest::sh("rm -rf " + dir_); }
  std::string all(LogReader& r) {
    std::string out;
    char buf[7];  // small, to cross file boundaries
    for (;;) {
      auto n = r.read(buf, sizeof buf, false, 0);
      if (!n || *n == 0) break;
      out.append(buf, *n);
    }
    return out;
  }
  std::string dir_;
  static inline int counter_ = 0;
};

TEST_F(JailLogFiles, OffsetsAcrossRotatedFiles) {
  jailtest::write(dir_ + "/t.stdout.0", "0123456789");
  jailtest::write(dir_ + "/t.stdout.1", "abcdefghij");
  jailtest::write(dir_ + "/t.stdout.2", "KLMNO");
  EXPECT_EQ(log_file_name("t", LogStream::err, 4), "t.stderr.4");
  LogReader r(
      dir_, "t", LogStream::out, 10, 0, [] { return false; }, -1);
  EXPECT_EQ(all(r), "0123456789abcdefghijKLMNO");
  EXPECT_EQ(r.offset(), 25u);
  EXPECT_TRUE(r.at_end());
  LogReader mid(
      dir_, "t", LogStream::out, 10, 13, [] { return false; }, -1);
  EXPECT_EQ(all(mid), "defghijKLMNO");
  // The oldest file rotated away: reading from 0 starts at the oldest kept.
  ::unlink((dir_ + "/t.stdout.0").c_str());
  LogReader old(
      dir_, "t", LogStream::out, 10, 0, [] { return false; }, -1);
  EXPECT_EQ(all(old), "abcdefghijKLMNO");
  EXPECT_EQ(old.offset(), 25u);
  // Nothing written yet.
  LogReader none(
      dir_, "t", LogStream::err, 10, 0, [] { return false; }, -1);
  EXPECT_EQ(all(none), "");
}

TEST_F(JailLogFiles, FollowWaitsWhileAlive) {
  jailtest::write(dir_ + "/t.stdout.0", "first\n");
  bool alive = true;
  LogReader r(
      dir_, "t", LogStream::out, 1 << 20, 0, [&] { return alive; }, -1);
  char buf[64];
  auto n = r.read(buf, sizeof buf, true, kSecond);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), "first\n");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ofstream(dir_ + "/t.stdout.0", std::ios::app) << "second\n";
  });
  n = r.read(buf, sizeof buf, true, 5 * kSecond);
  writer.join();
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), "second\n");
  n = r.read(buf, sizeof buf, true, 50 * kMillisecond);  // times out
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0u);
  EXPECT_FALSE(r.at_end());
  alive = false;
  n = r.read(buf, sizeof buf, true, 5 * kSecond);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0u);
  EXPECT_TRUE(r.at_end());
}

TEST(JailStateJson, RoundTrip) {
  detail::JailState s;
  s.name = "t_a_b";
  s.backend = "linux";
  s.status = "running";
  s.env = {"A=1", "B=two words \"quoted\""};
  s.ports = {{"http", 8080, 80}};
  s.mounts = {{"/src", "/dst", true}};
  s.cgroups = {"/sys/fs/cgroup/memory/w/t_a_b"};
  s.shim_pid = 1234;
  s.shim_start = 99887766;
  s.exit = ExitResult{137, 9, true, "", 42};
  auto back = detail::parse_state(detail::to_json(s, true));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(detail::to_json(*back), detail::to_json(s));
  EXPECT_TRUE(back->exit->oom_killed);
  EXPECT_FALSE(detail::parse_state("{"));
}

TEST(JailAddressPool, ParseAndNames) {
  auto p = detail::parse_pool("10.192.0.0/10");
  ASSERT_TRUE(p);
  EXPECT_EQ(detail::nl::format_ipv4(p->gateway()), "10.192.0.1");
  EXPECT_EQ(detail::nl::format_ipv4(p->first()), "10.192.0.2");
  EXPECT_EQ(detail::nl::format_ipv4(p->last()), "10.255.255.254");
  uint32_t a = 0;
  ASSERT_TRUE(detail::nl::parse_ipv4("10.200.1.2", a));
  EXPECT_TRUE(p->contains(a));
  EXPECT_EQ(detail::BridgeNetwork::veth_name(a), "wv0ac80102");
  EXPECT_FALSE(detail::parse_pool("10.0.0.0"));
  EXPECT_FALSE(detail::parse_pool("10.0.0.0/31"));
  EXPECT_EQ(detail::parse_pool("192.168.7.9/24")->cidr(), "192.168.7.0/24");
}

TEST(JailCgroups, CpuWeight) {
  EXPECT_EQ(detail::cpu_weight_from_shares(2), 1);
  EXPECT_EQ(detail::cpu_weight_from_shares(1024), 39);
  EXPECT_EQ(detail::cpu_weight_from_shares(262144), 10000);
  EXPECT_EQ(detail::cpu_weight_from_shares(100), 4);
}

TEST(JailPaths, ResolveInRoot) {
  std::string root = jailtest::scratch() + "/resolve";
  jailtest::sh("rm -rf " + root + " && mkdir -p " + root + "/usr/real/etc " + root + "/etc");
  ::symlink("real", (root + "/usr/local").c_str());
  ::symlink("/etc", (root + "/usr/real/conf").c_str());
  ::symlink("../../../../../../", (root + "/escape").c_str());
  auto r = detail::resolve_in_root(root, "/usr/local/etc/nginx/nginx.conf");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "/usr/real/etc/nginx/nginx.conf");
  EXPECT_EQ(*detail::resolve_in_root(root, "/usr/local/conf/hosts"), "/etc/hosts");
  EXPECT_EQ(*detail::resolve_in_root(root, "/escape/etc/passwd"), "/etc/passwd");
  EXPECT_EQ(*detail::resolve_in_root(root, "/../../x"), "/x");
}

}  // namespace
