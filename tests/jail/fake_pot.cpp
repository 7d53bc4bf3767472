// fake_pot: a stand-in for FreeBSD's `pot` (https://github.com/bsdpot/pot), for testing the pot
// backend on Linux. It is NOT pot: it records every invocation's argv, one JSON array per line,
// in $FAKE_POT_LOG, and answers the commands nomad-pot-driver uses as pot documents them:
//
//   version                       "pot version: 0.16.0"
//   prepare ... -a A -n N ...     creates the pot N_A ('.' -> '_'); -c "<cmd>" is its command
//   set-attribute, copy-in, mount-in, set-env, set-hosts, set-rss
//                                 succeed for an existing pot (-p), fail otherwise
//   start <name>                  runs the pot's command in the foreground (here: on the host,
//                                 with /bin/sh -c "exec <cmd>", as pot's tinirc does in the
//                                 jail); exit 0 when it succeeded, else 125 with the code in
//                                 last-run-stats
//   stop <name>                   ends a running start
//   signal -s SIG -p <name>       signals the pot's main process
//   exec -p <name> cmd...         runs cmd (on the host)
//   get-rss -p <name> -J          prints pot's JSON resource usage
//   last-run-stats -p <name>      prints {"ExitCode": N} of the last run, or {}
//   destroy -p <name> [-F]        removes the pot
//
// Pots live as directories under $FAKE_POT_DIR. $FAKE_POT_FAIL=<command> makes that command fail.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void record(int argc, char** argv) {
  std::string log = env("FAKE_POT_LOG");
  if (log.empty()) return;
  std::string line = "[";
  for (int i = 1; i < argc; ++i) line += (i > 1 ? "," : "") + quote(argv[i]);
  line += "]\n";
  std::ofstream(log, std::ios::app) << line;
}

std::string dir_of(const std::string& pot) {
  return env("FAKE_POT_DIR", "/tmp/fake-pot") + "/" + pot;
}

bool is_pot(const std::string& pot) {
  struct stat st;
  return !pot.empty() && ::stat(dir_of(pot).c_str(), &st) == 0;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void put(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// getopt-like: the value of -x.
std::string opt(const std::vector<std::string>& a, const std::string& flag) {
  for (size_t i = 0; i + 1 < a.size(); ++i) {
    if (a[i] == flag) return a[i + 1];
  }
  return "";
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "###> %s\n", msg.c_str());
  return 1;
}

int start(const std::string& pot) {
  if (!is_pot(pot)) return fail("pot " + pot + " is not valid");
  std::string cmd = slurp(dir_of(pot) + "/cmd");
  if (cmd.empty()) cmd = "true";
  pid_t child = ::fork();
  if (child == 0) {
    std::string line = "exec " + cmd;
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  put(dir_of(pot) + "/running", std::to_string(child));
  int st = 0;
  while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  ::unlink((dir_of(pot) + "/running").c_str());
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  put(dir_of(pot) + "/.last_run_stats", "{ \"ExitCode\": " + std::to_string(code) + " }\n");
  return code == 0 ? 0 : 125;
}

pid_t running(const std::string& pot) {
  std::string pid = slurp(dir_of(pot) + "/running");
  return pid.empty() ? 0 : pid_t(std::atoi(pid.c_str()));
}

}  // namespace

int main(int argc, char** argv) {
  record(argc, argv);
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty()) return fail("usage: pot <command>");
  const std::string& cmd = a[0];
  if (env("FAKE_POT_FAIL") == cmd) return fail(cmd + " failed (FAKE_POT_FAIL)");
  ::mkdir(env("FAKE_POT_DIR", "/tmp/fake-pot").c_str(), 0755);

  if (cmd == "version") {
    std::printf("pot version: 0.16.0\n");
    return 0;
  }
  if (cmd == "prepare") {
    std::string alloc = opt(a, "-a"), name = opt(a, "-n");
    if (alloc.empty()) return fail("An allocation id is mandatory");
    if (name.empty()) name = opt(a, "-p") + "_" + opt(a, "-t");
    std::string pot = name + "_" + alloc;
    for (char& c : pot) c = c == '.' ? '_' : c;
    if (is_pot(pot)) return fail("A pot with name " + pot + " already exists");
    ::mkdir(dir_of(pot).c_str(), 0755);
    std::string c = opt(a, "-c");
    // set-cmd strips the surrounding quotes nomad-pot-driver adds.
    if (c.size() >= 2 && c.front() == '"' && c.back() == '"') c = c.substr(1, c.size() - 2);
    put(dir_of(pot) + "/cmd", c);
    std::printf("Prepared the pot %s\n", pot.c_str());
    return 0;
  }
  if (cmd == "start") return a.size() < 2 ? fail("A pot name is mandatory") : start(a.back());
  if (cmd == "stop") {
    std::string pot = a.size() > 1 ? a.back() : "";
    if (!is_pot(pot)) return fail("pot " + pot + " is not valid");
    if (pid_t p = running(pot)) ::kill(p, SIGTERM);
    return 0;
  }
  std::string pot = opt(a, "-p");
  if (cmd == "destroy") {
    if (!is_pot(pot)) return fail("pot " + pot + " not found");
    if (pid_t p = running(pot)) ::kill(p, SIGKILL);
    std::string rm = "rm -rf '" + dir_of(pot) + "'";
    return std::system(rm.c_str()) == 0 ? 0 : 1;
  }
  if (!is_pot(pot)) return fail("pot " + pot + " is not valid");
  if (cmd == "set-attribute" || cmd == "copy-in" || cmd == "mount-in" || cmd == "set-env" ||
      cmd == "set-hosts" || cmd == "set-rss")
    return 0;
  if (cmd == "signal") {
    std::string sig = opt(a, "-s");
    pid_t p = running(pot);
    if (!p) return fail("The pot is not running");
    static const std::map<std::string, int> sigs = {{"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},
                                                    {"SIGTERM", SIGTERM}, {"SIGUSR1", SIGUSR1},
                                                    {"SIGUSR2", SIGUSR2}, {"SIGKILL", SIGKILL}};
    auto it = sigs.find(sig);
    if (it == sigs.end()) return fail("Invalid signal");
    return ::kill(p, it->second) == 0 ? 0 : fail("Sending signal failed");
  }
  if (cmd == "exec") {
    if (!running(pot)) return fail("The pot is not running");
    size_t i = 1;
    while (i < a.size() && a[i][0] == '-') i += (a[i] == "-p" || a[i] == "-e") ? 2 : 1;
    if (i >= a.size()) return fail("A command is mandatory");
    std::vector<char*> args;
    for (size_t k = i; k < a.size(); ++k) args.push_back(a[k].data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    return 127;
  }
  if (cmd == "get-rss") {
    std::printf(
        "{ \"ResourceUsage\": { \"MemoryStats\": { \"RSS\" : 4194304, \"Swap\" : 0 }, "
        "\"CpuStats\": { \"TotalTicks\": 12.5, \"Percent\": 3 } } } \n");
    return 0;
  }
  if (cmd == "last-run-stats") {
    std::string s = slurp(dir_of(pot) + "/.last_run_stats");
    std::printf("%s", s.empty() ? "{}\n" : s.c_str());
    return 0;
  }
  return fail("unknown command " + cmd);
}
