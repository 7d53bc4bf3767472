// The pot backend against tests/jail/fake_pot.cpp, a STAND-IN FOR FREEBSD'S POT: it records
// the argv of every invocation and answers as pot's documented commands do (it is not pot; on
// FreeBSD the backend runs the real /usr/local/bin/pot). The tests check the exact command lines
// nomad-pot-driver would run — for the seed job and for every config field — and the
// lifecycle built on them: start in the foreground with its output as logs, exit status 125
// meaning "read last-run-stats", signal, exec, get-rss, stop, destroy, recover.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "jail_test_util.hpp"
#include "warden/jail/jail.hpp"
#include "warden/jail/pot.hpp"
#include "warden/job/jobspec.hpp"

namespace {

using namespace warden;
using namespace warden::jail;
using Argv = std::vector<std::string>;

const std::string kAlloc = "5f0c7b0e-8d2a-4b8e-9c71-2b1a7c9e4d30";

// The fake's log: one JSON array of strings per invocation.
std::vector<Argv> recorded(const std::string& log) {
  std::vector<Argv> out;
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    Argv argv;
    size_t i = 1;
    while (i < line.size() && line[i] == '"') {
      std::string s;
      ++i;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\') ++i;
        s += line[i++];
      }
      argv.push_back(s);
      i += 2;  // closing quote and , or ]
    }
    out.push_back(argv);
  }
  return out;
}

std::string join(const Argv& a) {
  std::string out;
  for (const auto& s : a) out += (out.empty() ? "" : " ") + ("<" + s + ">");
  return out;
}

class JailPotBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = jailtest::scratch() + "/pot-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    jailtest::sh("rm -rf " + dir_ + " && mkdir -p " + dir_ + "/pots " + dir_ + "/task");
    log_ = dir_ + "/pot.log";
    ::setenv("FAKE_POT_LOG", log_.c_str(), 1);
    ::setenv("FAKE_POT_DIR", (dir_ + "/pots").c_str(), 1);
    ::unsetenv("FAKE_POT_FAIL");
    DriverOptions o;
    o.backend = Backend::pot;
    o.data_dir = dir_ + "/data";
    o.pot_binary = FAKE_POT;
    auto d = make_driver(o);
    ASSERT_TRUE(d) << d.error().message();
    driver_ = std::move(*d);
  }

  void TearDown() override { jailtest::sh("rm -rf " + dir_); }

  JailSpec seed_spec() {
    std::string text =
        jailtest::read(std::string(WARDEN_SOURCE_DIR) + "/examples/jobs/hello-web.nomad");
    auto job = job::parse_job(text, "hello-web.nomad");
    EXPECT_TRUE(job);
    job::canonicalize(*job);
    auto s = spec_from_task((*(*job->task_groups)[0].tasks)[0], kAlloc);
    EXPECT_TRUE(s) << s.error().format();
    s->invocation = "a1b2c3d4";
    s->task_dir = dir_ + "/task";
    s->host_ports = {{"http", 21234}};
    return *s;
  }

  JailSpec simple(const std::string& command) {
    JailSpec s;
    s.alloc_id = kAlloc;
    s.task_name = "job";
    s.invocation = "0badc0de";
    s.config.image = "https://example.org/pots";
    s.config.pot = "busy";
    s.config.tag = "1.0";
    s.config.command = command;
    s.resources.memory_mb = 32;
    return s;
  }

  void clear_log() { std::ofstream(log_, std::ios::trunc); }

  std::string dir_, log_;
  std::unique_ptr<Driver> driver_;
};

TEST_F(JailPotBackendTest, SeedJobCommandLines) {
  JailSpec s = seed_spec();
  std::string name = "www1_a1b2c3d4_" + kAlloc;
  auto cmds = pot::commands(s);
  ASSERT_TRUE(cmds) << cmds.error().message();
  EXPECT_EQ(cmds->name, name);
  EXPECT_EQ(join(cmds->prepare), join({"prepare",
                                       "-U",
                                       "https://potluck.honeyguide.net/nginx-nomad",
                                       "-p",
                                       "nginx-nomad-amd64-13_1",
                                       "-t",
                                       "1.1.13",
                                       "-c",
                                       "\"nginx -g 'daemon off;'\"",
                                       "-N",
                                       "public-bridge",
                                       "-i",
                                       "auto",
                                       "-e",
                                       "80:21234",
                                       "-a",
                                       "a1b2c3d4_" + kAlloc,
                                       "-n",
                                       "www1",
                                       "-v"}));

  auto j = driver_->create(s);
  ASSERT_TRUE(j) << j.error().message();
  EXPECT_EQ((*j)->name(), name);
  std::vector<Argv> want = {
      cmds->prepare,
      {"mount-in", "-p", name, "-d", dir_ + "/task/local", "-m", "/local"},
      {"mount-in", "-p", name, "-d", dir_ + "/task/secrets", "-m", "/secrets"},
      {"set-rss", "-M", "64M", "-p", name},
  };
  auto got = recorded(log_);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(join(got[i]), join(want[i])) << i;
  ASSERT_TRUE((*j)->destroy(false));
  EXPECT_EQ(join(recorded(log_).back()), join({"destroy", "-p", name, "-F"}));
}

TEST_F(JailPotBackendTest, EveryConfigField) {
  JailSpec s = simple("/usr/local/bin/app");
  s.config.args = {"--listen", "0.0.0.0:8080", "'two words'"};
  s.config.network_mode = "host";
  s.config.port_map = {{"http", 8080}};  // not forwarded in host mode
  s.host_ports = {{"http", 30000}};
  s.config.attributes = {{"devfs_ruleset", "4"}, {"procfs", "YES"}};
  s.config.copy = {{"/etc/app.conf", "/usr/local/etc/app.conf"}};
  s.config.mount = {{"/srv/data", "/data"}};
  s.config.mount_read_only = {{"/srv/static", "/static"}};
  s.config.extra_hosts = {"db:10.0.0.5", "cache:10.0.0.6"};
  s.env = {{"B", "two words"}, {"A", "1"}};
  s.task_dir = "/alloc/task";
  auto cmds = pot::commands(s);
  ASSERT_TRUE(cmds);
  std::string n = "job_0badc0de_" + kAlloc;
  EXPECT_EQ(join(cmds->prepare),
            join({"prepare", "-U", "https://example.org/pots", "-p", "busy", "-t", "1.0", "-c",
                  "\"/usr/local/bin/app --listen 0.0.0.0:8080 'two words'\"", "-N", "host", "-a",
                  "0badc0de_" + kAlloc, "-n", "job", "-v"}));
  std::vector<Argv> want = {
      {"set-attribute", "-p", n, "-A", "devfs_ruleset", "-V", "4"},
      {"set-attribute", "-p", n, "-A", "procfs", "-V", "YES"},
      {"copy-in", "-p", n, "-s", "/etc/app.conf", "-d", "/usr/local/etc/app.conf"},
      {"mount-in", "-p", n, "-d", "/alloc/task/local", "-m", "/local"},
      {"mount-in", "-p", n, "-d", "/alloc/task/secrets", "-m", "/secrets"},
      {"mount-in", "-p", n, "-d", "/srv/data", "-m", "/data"},
      {"mount-in", "-p", n, "-d", "/srv/static", "-m", "/static", "-r"},
      {"set-env", "-p", n, "-E", "A=1", "-E", "B=two words"},
      {"set-hosts", "-p", n, "-H", "db:10.0.0.5", "-H", "cache:10.0.0.6"},
      {"set-rss", "-M", "32M", "-p", n},
  };
  ASSERT_EQ(cmds->setup.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(join(cmds->setup[i]), join(want[i])) << i;
  EXPECT_EQ(join(cmds->start), join({"start", n}));
  EXPECT_EQ(join(cmds->stop), join({"stop", n}));
  EXPECT_EQ(join(cmds->destroy), join({"destroy", "-p", n, "-F"}));
  EXPECT_EQ(join(cmds->get_rss), join({"get-rss", "-p", n, "-J"}));
  EXPECT_EQ(join(cmds->last_run_stats), join({"last-run-stats", "-p", n}));
  EXPECT_EQ(join(pot::signal_command(n, "SIGHUP")), join({"signal", "-s", "SIGHUP", "-p", n}));
  EXPECT_EQ(join(pot::exec_command(n, {"ls", "-l"})), join({"exec", "-p", n, "ls", "-l"}));

  // No command: no -c; a network mode other than host forwards ports; no network mode and no
  // port_map: no -N at all.
  JailSpec bare = simple("");
  auto b = pot::commands(bare);
  ASSERT_TRUE(b);
  EXPECT_EQ(join(b->prepare), join({"prepare", "-U", "https://example.org/pots", "-p", "busy", "-t",
                                    "1.0", "-a", "0badc0de_" + kAlloc, "-n", "job", "-v"}));
  bare.config.network_mode = "public-bridge";
  bare.config.port_map = {{"b", 443}, {"a", 80}};
  bare.host_ports = {{"a", 1080}, {"b", 1443}};
  std::sort(bare.config.port_map.begin(), bare.config.port_map.end(),
            [](const PortMapping& x, const PortMapping& y) { return x.label < y.label; });
  b = pot::commands(bare);
  ASSERT_TRUE(b);
  EXPECT_NE(join(b->prepare).find("<-N> <public-bridge> <-e> <80:1080> <-e> <443:1443>"),
            std::string::npos)
      << join(b->prepare);
  // Errors: args without command, a port label without a host port.
  JailSpec bad = simple("");
  bad.config.args = {"x"};
  EXPECT_FALSE(pot::commands(bad));
  bad = simple("x");
  bad.config.port_map = {{"http", 80}};
  EXPECT_FALSE(pot::commands(bad));
}

TEST_F(JailPotBackendTest, LifecycleWithExitStatus125) {
  auto j = driver_->create(simple("sh -c 'echo hello from pot; echo oops >&2; exit 3'"));
  ASSERT_TRUE(j) << j.error().message();
  std::string n = (*j)->name();
  clear_log();
  ASSERT_TRUE((*j)->start());
  auto w = (*j)->wait(20 * kSecond);
  ASSERT_TRUE(w);
  ASSERT_TRUE(*w);
  // pot start exits 125; the code comes from last-run-stats.
  EXPECT_EQ((*w)->exit_code, 3);
  EXPECT_EQ((*w)->error, "");
  auto got = recorded(log_);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(join(got[0]), join({"start", n}));
  EXPECT_EQ(join(got[1]), join({"last-run-stats", "-p", n}));
  // Its output is the task's log.
  auto r = (*j)->logs(LogStream::out, 0);
  ASSERT_TRUE(r);
  char buf[256];
  auto k = r->read(buf, sizeof buf, false, 0);
  ASSERT_TRUE(k);
  EXPECT_EQ(std::string(buf, *k), "hello from pot\n");
  ASSERT_TRUE((*j)->destroy(false));
  EXPECT_EQ(join(recorded(log_).back()), join({"destroy", "-p", n, "-F"}));
  EXPECT_EQ(jailtest::sh("ls " + dir_ + "/data/jails"), "");
}

TEST_F(JailPotBackendTest, SignalExecStatsStop) {
  auto s = simple("sh -c 'trap \"echo got HUP\" HUP; while true; do sleep 0.05; done'");
  s.env = {{"A", "1"}};
  auto j = driver_->create(s);
  ASSERT_TRUE(j) << j.error().message();
  std::string n = (*j)->name();
  ASSERT_TRUE((*j)->start());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  clear_log();
  ASSERT_TRUE((*j)->signal("HUP"));
  EXPECT_EQ(join(recorded(log_).back()), join({"signal", "-s", "SIGHUP", "-p", n}));
  ExecOptions e;
  e.argv = {"echo", "in the pot"};
  auto ex = (*j)->exec(e);
  ASSERT_TRUE(ex) << ex.error().message();
  EXPECT_EQ(ex->stdout_data, "in the pot\n");
  EXPECT_EQ(ex->exit_code, 0);
  EXPECT_EQ(join(recorded(log_).back()), join({"exec", "-p", n, "echo", "in the pot"}));
  auto st = (*j)->stats();
  ASSERT_TRUE(st) << st.error().message();
  EXPECT_EQ(st->memory_rss, 4194304u);
  EXPECT_EQ(st->cpu_percent, 3.0);
  EXPECT_EQ(join(recorded(log_).back()), join({"get-rss", "-p", n, "-J"}));
  clear_log();
  ASSERT_TRUE((*j)->stop("SIGINT", 5 * kSecond));
  EXPECT_EQ(join(recorded(log_)[0]), join({"stop", n}));
  auto w = (*j)->wait(0);
  ASSERT_TRUE(w && *w);
  EXPECT_EQ((*j)->status(), JailStatus::exited);
  ASSERT_TRUE((*j)->destroy(false));
}

TEST_F(JailPotBackendTest, FailedPrepareIsDestroyed) {
  ::setenv("FAKE_POT_FAIL", "set-rss", 1);
  auto j = driver_->create(simple("true"));
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message().find("pot set-rss failed with status 1"), std::string::npos)
      << j.error().message();
  auto got = recorded(log_);
  EXPECT_EQ(got.back()[0], "destroy");
  EXPECT_EQ(jailtest::sh("ls " + dir_ + "/data/jails"), "");
}

TEST_F(JailPotBackendTest, RecoverAfterRestart) {
  auto lasting = driver_->create(simple("sleep 30"));
  auto quick = (*driver_).create([&] {
    auto s = simple("sh -c 'exit 9'");
    s.invocation = "feedbeef";
    return s;
  }());
  ASSERT_TRUE(lasting && quick);
  ASSERT_TRUE((*lasting)->start());
  ASSERT_TRUE((*quick)->start());
  std::string ln = (*lasting)->name(), qn = (*quick)->name();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  lasting->reset();
  quick->reset();
  driver_.reset();  // the agent goes away; the supervisors stay

  DriverOptions o;
  o.backend = Backend::pot;
  o.data_dir = dir_ + "/data";
  o.pot_binary = FAKE_POT;
  auto d = make_driver(o);
  ASSERT_TRUE(d);
  clear_log();
  auto report = (*d)->recover();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->running, std::vector<std::string>{ln});
  ASSERT_EQ(report->cleaned.size(), 1u);
  EXPECT_EQ(report->cleaned[0].first, qn);
  EXPECT_EQ(report->cleaned[0].second.exit_code, 9);
  auto got = recorded(log_);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(join(got[0]), join({"last-run-stats", "-p", qn}));
  EXPECT_EQ(join(got[1]), join({"destroy", "-p", qn, "-F"}));
  auto j = (*d)->open(ln);
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)->status(), JailStatus::running);
  ASSERT_TRUE((*j)->destroy(true));
}

TEST_F(JailPotBackendTest, Fingerprint) {
  auto f = driver_->fingerprint();
  EXPECT_TRUE(f.healthy) << f.description;
  EXPECT_EQ(f.version, "0.16.0");
  EXPECT_EQ(f.attributes["driver.pot"], "true");
  EXPECT_EQ(f.attributes["driver.pot.backend"], "pot");
  EXPECT_EQ(f.attributes["driver.pot.version"], "0.16.0");
  DriverOptions o;
  o.backend = Backend::pot;
  o.data_dir = dir_ + "/data";
  o.pot_binary = "/nonexistent/pot";
  auto missing = make_driver(o);
  ASSERT_TRUE(missing);
  EXPECT_FALSE((*missing)->fingerprint().healthy);
}

TEST_F(JailPotBackendTest, ParsesPotOutput) {
  EXPECT_EQ(*pot::parse_last_run_stats("{ \"ExitCode\": 42 }\n"), 42);
  EXPECT_FALSE(pot::parse_last_run_stats("{}"));
  EXPECT_FALSE(pot::parse_last_run_stats("not json"));
  auto s = pot::parse_get_rss(
      "{ \"ResourceUsage\": { \"MemoryStats\": { \"RSS\" : 100, \"Swap\" : 5 }, \"CpuStats\": { "
      "\"TotalTicks\": 1.5, \"Percent\": 50 } } } ");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->memory_rss, 100u);
  EXPECT_EQ(s->memory_swap, 5u);
  EXPECT_EQ(s->cpu_percent, 50.0);
}

}  // namespace
