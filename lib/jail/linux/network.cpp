#include "network.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

#include "warden/core/strings.hpp"

namespace warden::jail::detail {
namespace {

constexpr const char* kMap = "ports";

uint32_t mask_of(int prefix) {
  return prefix == 0 ? 0 : ~0U << (32 - prefix);
}

bool overlaps(uint32_t a, int pa, uint32_t b, int pb) {
  uint32_t m = mask_of(std::min(pa, pb));
  return (a & m) == (b & m);
}

}  // namespace

uint32_t Pool::last() const {
  return (network | ~mask_of(prefix)) - 1;
}

bool Pool::contains(uint32_t a) const {
  return (a & mask_of(prefix)) == network;
}

std::string Pool::cidr() const {
  return nl::format_ipv4(network) + "/" + std::to_string(prefix);
}

Result<Pool> parse_pool(const std::string& cidr) {
  size_t slash = cidr.find('/');
  Pool p;
  uint32_t addr = 0;
  if (slash == std::string::npos || !nl::parse_ipv4(cidr.substr(0, slash), addr))
    return Error(ErrorCode::invalid_argument, "address pool \"" + cidr + "\" is not an IPv4 CIDR");
  p.prefix = std::atoi(cidr.c_str() + slash + 1);
  if (p.prefix < 8 || p.prefix > 29)
    return Error(ErrorCode::invalid_argument,
                 "address pool \"" + cidr + "\" must have a prefix between /8 and /29");
  p.network = addr & mask_of(p.prefix);
  return p;
}

BridgeNetwork::BridgeNetwork(const DriverOptions& options) : options_(options) {
  auto p = parse_pool(options.address_pool);
  if (p)
    pool_ = *p;
  else
    pool_error_ = p.error();
}

std::string BridgeNetwork::lock_path() const {
  return options_.data_dir + "/network/" + options_.bridge + ".lock";
}

std::string BridgeNetwork::leases_path() const {
  return options_.data_dir + "/network/" + options_.bridge + ".leases";
}

std::string BridgeNetwork::veth_name(uint32_t address) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "wv%08x", address);
  return buf;
}

Result<void> BridgeNetwork::check_pool() {
  std::vector<std::string> problems;
  // Routes (other than the default route and our own bridge's).
  if (auto routes = read_file("/proc/net/route")) {
    std::istringstream in(*routes);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string iface, dst, gw, flags, refcnt, use, metric, mask;
      f >> iface >> dst >> gw >> flags >> refcnt >> use >> metric >> mask;
      if (iface == options_.bridge) continue;
      uint32_t d = ntohl(uint32_t(std::strtoul(dst.c_str(), nullptr, 16)));
      uint32_t m = ntohl(uint32_t(std::strtoul(mask.c_str(), nullptr, 16)));
      if (m == 0) continue;
      int prefix = __builtin_popcount(m);
      if (overlaps(d, prefix, pool_.network, pool_.prefix))
        problems.push_back("the route " + nl::format_ipv4(d) + "/" + std::to_string(prefix) +
                           " on " + iface);
    }
  }
  // Addresses of other interfaces.
  ifaddrs* ifs = nullptr;
  if (::getifaddrs(&ifs) == 0) {
    for (ifaddrs* i = ifs; i; i = i->ifa_next) {
      if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
      if (options_.bridge == i->ifa_name) continue;
      uint32_t a = ntohl(reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr);
      if (pool_.contains(a))
        problems.push_back("the address " + nl::format_ipv4(a) + " of " + i->ifa_name);
    }
    ::freeifaddrs(ifs);
  }
  // Name servers: a route to the pool would capture them.
  if (auto resolv = read_file("/etc/resolv.conf")) {
    std::istringstream in(*resolv);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string key, value;
      f >> key >> value;
      uint32_t a = 0;
      if (key == "nameserver" && nl::parse_ipv4(value, a) && pool_.contains(a))
        problems.push_back("the name server " + value + " of /etc/resolv.conf");
    }
  }
  if (problems.empty()) return {};
  return Error(ErrorCode::invalid_argument,
               "the address pool " + pool_.cidr() + " overlaps " + join(problems, ", ") +
                   "; choose another pool (DriverOptions::address_pool)");
}

Result<void> BridgeNetwork::ensure_table() {
  if (auto r = nl::map_list(*nf_, options_.nft_table, kMap); r) return {};
  std::string br = options_.bridge;
  std::string pool = pool_.cidr();
  std::string ruleset = "table ip " + options_.nft_table +
                        " {\n"
                        "  map ports { type inet_service : ipv4_addr . inet_service; }\n"
                        "  chain prerouting {\n"
                        "    type nat hook prerouting priority dstnat; policy accept;\n"
                        "    fib daddr type local dnat ip addr . port to tcp dport map @ports\n"
                        "  }\n"
                        "  chain output {\n"
                        "    type nat hook output priority -100; policy accept;\n"
                        "    fib daddr type local dnat ip addr . port to tcp dport map @ports\n"
                        "  }\n"
                        "  chain postrouting {\n"
                        "    type nat hook postrouting priority srcnat; policy accept;\n"
                        "    ip saddr " +
                        pool + " oifname != \"" + br +
                        "\" masquerade\n"
                        "    ip saddr 127.0.0.0/8 oifname \"" +
                        br +
                        "\" masquerade\n"
                        "    ip saddr " +
                        pool + " oifname \"" + br +
                        "\" ct status dnat masquerade\n"
                        "  }\n"
                        "}\n";
  RunOptions ro;
  ro.input = ruleset;
  ro.timeout = 30 * kSecond;
  auto r = run({options_.nft_binary, "-f", "-"}, ro);
  if (!r) return std::move(r).error();
  if (r->status != 0)
    return Error(ErrorCode::io, "creating the nftables table " + options_.nft_table +
                                    " failed: " + std::string(trim(r->err)));
  return {};
}

Result<void> BridgeNetwork::ensure() {
  std::lock_guard<std::mutex> lock(mu_);
  if (ready_) return {};
  if (pool_error_) return *pool_error_;
  if (auto r = make_dirs(options_.data_dir + "/network", 0700); !r) return r;
  auto flock = FileLock::acquire(lock_path());
  if (!flock) return std::move(flock).error();
  if (!rt_) {
    auto s = nl::Socket::open(NETLINK_ROUTE);
    if (!s) return std::move(s).error();
    rt_.emplace(std::move(*s));
  }
  if (!nf_) {
    auto s = nl::Socket::open(NETLINK_NETFILTER);
    if (!s) return std::move(s).error();
    nf_.emplace(std::move(*s));
  }
  auto idx = nl::link_index(*rt_, options_.bridge);
  if (!idx) {
    if (auto r = check_pool(); !r) return r;
    if (auto r = nl::create_bridge(*rt_, options_.bridge); !r) return r;
    idx = nl::link_index(*rt_, options_.bridge);
    if (!idx) return std::move(idx).error();
  }
  bridge_index_ = *idx;
  if (auto r = nl::add_address(*rt_, bridge_index_, pool_.gateway(), pool_.prefix); !r) return r;
  if (auto r = nl::set_link_up(*rt_, bridge_index_); !r) return r;
  std::string conf = "/proc/sys/net/ipv4/conf/" + options_.bridge;
  // 127.0.0.1:<host port> is forwarded into the bridge: allow the loopback source there.
  if (auto r = write_file(conf + "/route_localnet", "1"); !r) return r;
  (void)write_file(conf + "/forwarding", "1");
  if (options_.ip_forward) {
    if (auto r = write_file("/proc/sys/net/ipv4/ip_forward", "1"); !r) return r;
  }
  if (auto r = ensure_table(); !r) return r;
  ready_ = true;
  return {};
}

Result<std::map<std::string, uint32_t>> BridgeNetwork::leases() {
  std::map<std::string, uint32_t> out;
  auto text = read_file(leases_path());
  if (!text) return out;
  std::istringstream in(*text);
  std::string addr, name;
  while (in >> addr >> name) {
    uint32_t a = 0;
    if (nl::parse_ipv4(addr, a)) out[name] = a;
  }
  return out;
}

Result<uint32_t> BridgeNetwork::lease(const std::string& jail) {
  if (pool_error_) return *pool_error_;
  if (auto r = make_dirs(options_.data_dir + "/network", 0700); !r) return std::move(r).error();
  auto flock = FileLock::acquire(lock_path());
  if (!flock) return std::move(flock).error();
  auto current = leases();
  if (!current) return std::move(current).error();
  if (auto it = current->find(jail); it != current->end()) return it->second;
  std::set<uint32_t> used;
  for (const auto& [n, a] : *current) used.insert(a);
  uint32_t pick = 0;
  for (uint32_t a = pool_.first(); a <= pool_.last(); ++a) {
    if (!used.count(a)) {
      pick = a;
      break;
    }
  }
  if (!pick) return Error(ErrorCode::io, "the address pool " + pool_.cidr() + " is exhausted");
  (*current)[jail] = pick;
  std::string text;
  for (const auto& [n, a] : *current) text += nl::format_ipv4(a) + " " + n + "\n";
  if (auto r = write_file_atomic(leases_path(), text, 0600); !r) return std::move(r).error();
  return pick;
}

Result<void> BridgeNetwork::release(const std::string& jail) {
  auto flock = FileLock::acquire(lock_path());
  if (!flock) return std::move(flock).error();
  auto current = leases();
  if (!current) return std::move(current).error();
  if (!current->erase(jail)) return {};
  std::string text;
  for (const auto& [n, a] : *current) text += nl::format_ipv4(a) + " " + n + "\n";
  return write_file_atomic(leases_path(), text, 0600);
}

Result<void> BridgeNetwork::attach(const std::string& veth, pid_t pid, int pidfd,
                                   uint32_t address) {
  // rtnetlink wants a namespace file (not a pidfd); the supervisor is waiting for us, so the PID
  // cannot have been reused — checked again through the pidfd once the file is open.
  Fd ns(::open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) return sys_error("open the jail's network namespace");
  if (wait_readable(pidfd, 0)) return Error(ErrorCode::io, "the jail's supervisor died");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto r = nl::create_veth(*rt_, veth, "eth0", ns.get(), bridge_index_); !r) return r;
  }
  auto inside = nl::Socket::open_in(NETLINK_ROUTE, ns.get());
  if (!inside) return std::move(inside).error();
  if (auto r = nl::set_link_up(*inside, 1); !r) return r;  // lo is always 1 in a new namespace
  auto eth = nl::link_index(*inside, "eth0");
  if (!eth) return std::move(eth).error();
  if (auto r = nl::add_address(*inside, *eth, address, pool_.prefix); !r) return r;
  if (auto r = nl::set_link_up(*inside, *eth); !r) return r;
  return nl::add_default_route(*inside, pool_.gateway(), *eth);
}

Result<void> BridgeNetwork::detach(const std::string& veth) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!rt_) {
    auto s = nl::Socket::open(NETLINK_ROUTE);
    if (!s) return std::move(s).error();
    rt_.emplace(std::move(*s));
  }
  return nl::delete_link(*rt_, veth);
}

Result<void> BridgeNetwork::forward(const std::vector<nl::PortForward>& ports) {
  std::lock_guard<std::mutex> lock(mu_);
  auto r = nl::map_add(*nf_, options_.nft_table, kMap, ports);
  if (!r && r.error().message().find(std::strerror(EEXIST)) != std::string::npos) {
    std::string list;
    for (const auto& p : ports) list += (list.empty() ? "" : ", ") + std::to_string(p.host_port);
    return Error(ErrorCode::conflict, "host port " + list + " is already forwarded");
  }
  return r;
}

Result<void> BridgeNetwork::unforward(const std::vector<uint16_t>& host_ports) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!nf_) {
    auto s = nl::Socket::open(NETLINK_NETFILTER);
    if (!s) return std::move(s).error();
    nf_.emplace(std::move(*s));
  }
  auto r = nl::map_delete(*nf_, options_.nft_table, kMap, host_ports);
  if (!r && r.error().message().find(std::strerror(ENOENT)) != std::string::npos) return {};
  return r;
}

Result<std::vector<nl::PortForward>> BridgeNetwork::forwards() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!nf_) {
    auto s = nl::Socket::open(NETLINK_NETFILTER);
    if (!s) return std::move(s).error();
    nf_.emplace(std::move(*s));
  }
  return nl::map_list(*nf_, options_.nft_table, kMap);
}

Result<void> BridgeNetwork::teardown() {
  std::lock_guard<std::mutex> lock(mu_);
  auto rt = nl::Socket::open(NETLINK_ROUTE);
  if (!rt) return std::move(rt).error();
  auto nf = nl::Socket::open(NETLINK_NETFILTER);
  if (!nf) return std::move(nf).error();
  std::vector<nl::Message> ms;
  ms.emplace_back(uint16_t((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELTABLE), 0);
  nfgenmsg g{};
  g.nfgen_family = NFPROTO_IPV4;
  g.version = NFNETLINK_V0;
  ms.back().put_raw(&g, sizeof g);
  ms.back().put_str(NFTA_TABLE_NAME, options_.nft_table);
  auto r = nf->request(ms, true);
  if (!r && r.error().message().find(std::strerror(ENOENT)) == std::string::npos) return r;
  if (auto d = nl::delete_link(*rt, options_.bridge); !d) return d;
  (void)remove_tree(leases_path());
  (void)remove_tree(lock_path());
  ready_ = false;
  rt_.reset();
  nf_.reset();
  return {};
}

}  // namespace warden::jail::detail
