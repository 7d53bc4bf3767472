// Helpers for the jail tests: a busybox-static root file system (what an unpacked image would
// give the driver), a driver with names of its own (bridge, nftables table, cgroup parent,
// address pool) so that test processes running in parallel never share anything, and checks
// that nothing is left behind.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "warden/jail/jail.hpp"

namespace jailtest {

inline std::string sh(const std::string& cmd) {
  std::string out;
  if (FILE* f = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    ::pclose(f);
  }
  return out;
}

inline void write(const std::string& path, const std::string& text, mode_t mode = 0644) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
}

inline std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Alive and not a zombie (init reaps orphans when it gets to it).
inline bool pid_alive(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
         stat[close + 2] != 'X';
}

// A per-process scratch directory, removed at exit (by the process that made it).
inline const std::string& scratch() {
  struct Dir {
    std::string path;
    pid_t owner = ::getpid();
    Dir() {
      char tmpl[] = "/tmp/warden-jail-test-XXXXXX";
      path = ::mkdtemp(tmpl);
      ::chmod(path.c_str(), 0755);
    }
    ~Dir() {
      if (::getpid() == owner) sh("rm -rf '" + path + "'");
    }
  };
  static const Dir dir;
  return dir.path;
}

// A root file system made of busybox-static and its applets, like an unpacked image.
inline std::string busybox_root(const std::string& where) {
  std::string root = where;
  for (const char* d : {"", "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/etc", "/proc",
                        "/dev", "/tmp", "/www", "/root", "/var", "/usr/local", "/usr/local/sbin"})
    ::mkdir((root + d).c_str(), 0755);
  ::chmod((root + "/tmp").c_str(), 01777);
  sh("cp /bin/busybox " + root + "/bin/busybox");
  std::istringstream applets(sh("/bin/busybox --list"));
  std::string a;
  while (applets >> a) {
    std::string link = root + "/bin/" + a;
    if (a != "busybox") (void)::symlink("busybox", link.c_str());
  }
  write(root + "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
  write(root + "/etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
  write(root + "/www/index.html", "hello from the jail\n");
  return root;
}

inline const std::string& shared_root() {
  static const std::string root = busybox_root(scratch() + "/rootfs");
  return root;
}

// A /24 of 10.192.0.0/10 that no route, address or name server of this host uses.
inline std::string free_pool() {
  std::string routes = read("/proc/net/route") + sh("ip -4 addr") + read("/etc/resolv.conf");
  unsigned seed = unsigned(::getpid());
  for (unsigned i = 0; i < 16384; ++i) {
    unsigned n = (seed + i * 7919) % 16384;
    std::string prefix =
        "10." + std::to_string(192 + (n >> 8)) + "." + std::to_string(n & 255) + ".";
    char hex[16];
    // /proc/net/route shows the network as little-endian hex.
    std::snprintf(hex, sizeof hex, "%02X%02X%02X", n & 255, 192 + (n >> 8), 10);
    if (routes.find(prefix) == std::string::npos && routes.find(hex) == std::string::npos)
      return prefix + "0/24";
  }
  return "10.250.250.0/24";
}

// Removes what crashed test processes (whose PID is gone) left behind.
inline void janitor() {
  std::istringstream links(sh("ls /sys/class/net"));
  std::string l;
  while (links >> l) {
    if (l.rfind("wt", 0) == 0 && l.size() > 2 &&
        l.find_first_not_of("0123456789", 2) == std::string::npos &&
        !pid_alive(std::atoi(l.c_str() + 2)))
      sh("ip link del " + l + " 2>/dev/null");
  }
  std::istringstream tables(sh("nft list tables 2>/dev/null"));
  std::string line;
  while (std::getline(tables, line)) {
    auto at = line.find("warden_t");
    if (at == std::string::npos) continue;
    std::string name = line.substr(at);
    if (!pid_alive(std::atoi(name.c_str() + 8))) sh("nft delete table ip " + name + " 2>/dev/null");
  }
  for (const char* h : {"memory", "cpu", "cpuacct", "pids", "unified", ""}) {
    std::string base = std::string("/sys/fs/cgroup/") + h;
    std::istringstream dirs(sh("ls " + base + " 2>/dev/null"));
    std::string d;
    while (dirs >> d) {
      if (d.rfind("warden-test-", 0) != 0 || pid_alive(std::atoi(d.c_str() + 12))) continue;
      sh("for c in " + base + "/" + d +
         "/*/; do [ -d \"$c\" ] && { cat \"$c/cgroup.procs\" | xargs -r kill -9; rmdir \"$c\"; }; "
         "done 2>/dev/null; rmdir " +
         base + "/" + d + " 2>/dev/null");
    }
  }
}

inline warden::jail::DriverOptions test_options(const std::string& data_dir) {
  warden::jail::DriverOptions o;
  o.backend = warden::jail::Backend::linux_native;
  o.data_dir = data_dir;
  std::string pid = std::to_string(::getpid());
  o.cgroup_parent = "warden-test-" + pid;
  o.bridge = "wt" + pid;
  o.nft_table = "warden_t" + pid;
  o.address_pool = free_pool();
  o.ip_forward = false;  // the tests only reach jails from this host
  o.dns_servers = {"127.0.0.1"};
  return o;
}

// A free TCP port on the host.
inline uint16_t free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// The host's first non-loopback IPv4 address that is not one of the test bridges.
inline std::string host_address() {
  std::string out;
  ifaddrs* ifs = nullptr;
  if (::getifaddrs(&ifs) != 0) return out;
  for (ifaddrs* i = ifs; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    std::string name = i->ifa_name;
    if (name == "lo" || name.rfind("wt", 0) == 0 || name.rfind("warden", 0) == 0) continue;
    char buf[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
    out = buf;
    break;
  }
  ::freeifaddrs(ifs);
  return out;
}

// GET / over HTTP/1.0; "" if nothing answers.
inline std::string http_get(const std::string& addr, uint16_t port, const std::string& path = "/") {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, addr.c_str(), &a.sin_addr);
  timeval tv{2, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string req = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
    if (::send(s, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(s, buf, sizeof buf, 0)) > 0) out.append(buf, size_t(n));
    }
  }
  ::close(s);
  return out;
}

// Retries until the answer contains `want` (httpd needs a moment to start).
inline std::string http_wait(const std::string& addr, uint16_t port, const std::string& want,
                             int seconds = 20) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::string r;
  while (std::chrono::steady_clock::now() < deadline) {
    r = http_get(addr, port);
    if (r.find(want) != std::string::npos) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return r;
}

}  // namespace jailtest
