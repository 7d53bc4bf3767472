// pot's public-bridge network on Linux: a bridge whose address is the first of a pool, a veth
// pair per jail, addresses leased from the pool (in a file under the data directory, shared by
// every process using it), outbound NAT and port forwarding in an nftables table:
//
//   table ip <table> {
//     map ports { type inet_service : ipv4_addr . inet_service }   # host port -> jail addr . port
//     chain prerouting  { nat hook prerouting: fib daddr type local dnat to tcp dport map @ports }
//     chain output      { nat hook output:     fib daddr type local dnat to tcp dport map @ports }
//     chain postrouting { masquerade: the pool going out, 127.0.0.1 going into the bridge,
//                         jails reaching jails through host ports }
//   }
//
// The table is created once (with the nft program); each jail then only adds and removes map
// elements over netlink. The bridge has route_localnet on, so that 127.0.0.1:<host port> reaches
// the jails too.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "netlink.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

struct Pool {
  uint32_t network = 0;
  int prefix = 0;
  uint32_t gateway() const { return network + 1; }
  uint32_t first() const { return network + 2; }
  uint32_t last() const;  // the last host address (before broadcast)
  bool contains(uint32_t a) const;
  std::string cidr() const;
};
Result<Pool> parse_pool(const std::string& cidr);

class BridgeNetwork {
 public:
  explicit BridgeNetwork(const DriverOptions& options);

  const Pool& pool() const { return pool_; }
  // Sets up the bridge, its address, sysctls and the nftables table (idempotent; safe across
  // processes). Refuses a pool that overlaps the host's routes, addresses or name servers.
  Result<void> ensure();

  Result<uint32_t> lease(const std::string& jail);
  Result<void> release(const std::string& jail);
  Result<std::map<std::string, uint32_t>> leases();

  static std::string veth_name(uint32_t address);
  // `pid` and `pidfd` are the supervisor's (which holds the jail's network namespace).
  Result<void> attach(const std::string& veth, pid_t pid, int pidfd, uint32_t address);
  Result<void> detach(const std::string& veth);
  Result<void> forward(const std::vector<nl::PortForward>& ports);
  Result<void> unforward(const std::vector<uint16_t>& host_ports);
  Result<std::vector<nl::PortForward>> forwards();

  // Deletes the table and the bridge (when no jail is left).
  Result<void> teardown();

 private:
  Result<void> check_pool();
  Result<void> ensure_table();
  std::string lock_path() const;
  std::string leases_path() const;

  DriverOptions options_;
  Pool pool_;
  std::optional<Error> pool_error_;
  std::mutex mu_;
  std::optional<nl::Socket> rt_;
  std::optional<nl::Socket> nf_;
  int bridge_index_ = -1;
  bool ready_ = false;
};

}  // namespace warden::jail::detail
