// Just enough netlink for jail networking: rtnetlink (bridge, veth pairs into a jail's network
// namespace, addresses, routes) and nf_tables set elements (the port forwarding map), so that
// setting up a jail's network costs a few system calls instead of several `ip`/`nft` processes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../util.hpp"
#include "warden/core/error.hpp"

namespace warden::jail::detail::nl {

class Message {
 public:
  Message(uint16_t type, uint16_t flags);
  // The family header that follows the netlink header (ifinfomsg, ifaddrmsg, nfgenmsg, ...).
  void put_raw(const void* data, size_t len);
  void put(uint16_t type, const void* data, size_t len);
  void put_str(uint16_t type, const std::string& s);
  void put_u32(uint16_t type, uint32_t v);
  size_t begin(uint16_t type);  // a nested attribute
  void end(size_t at);
  void set_seq(uint32_t seq);
  const std::string& bytes();

 private:
  // A string, not a vector<char>: GCC 12 at -O3 reports a bogus array-bounds overflow in
  // vector<char>::resize.
  std::string buf_;
};

class Socket {
 public:
  // A socket in the caller's network namespace.
  static Result<Socket> open(int protocol);
  // A socket in a network namespace (a namespace file or a pidfd).
  static Result<Socket> open_in(int protocol, int nsfd);

  // Sends the messages (as one batch when `batch`, for nf_tables) and waits for every ack.
  Result<void> request(std::vector<Message>& messages, bool batch = false);
  Result<void> request(Message m);
  // A dump or a get: every response message (netlink header included).
  Result<std::vector<std::vector<char>>> query(Message m);

 private:
  explicit Socket(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
  uint32_t seq_ = 1;
};

// rtnetlink.
Result<int> link_index(Socket& s, const std::string& name);      // error not_found if absent
Result<void> create_bridge(Socket& s, const std::string& name);  // ok if it exists
Result<void> set_link_up(Socket& s, int index);
Result<void> add_address(Socket& s, int index, uint32_t addr, int prefix);  // ok if present
Result<void> add_default_route(Socket& s, uint32_t gateway, int index);
// A veth pair: `host` attached to the bridge `master` and up; its peer `peer` created in the
// network namespace `nsfd` (a /proc/<pid>/ns/net file).
Result<void> create_veth(Socket& s, const std::string& host, const std::string& peer, int nsfd,
                         int master);
Result<void> delete_link(Socket& s, const std::string& name);  // ok if absent

// nf_tables: elements of a map "inet_service : ipv4_addr . inet_service" in a table of family ip.
struct PortForward {
  uint16_t host_port = 0;
  uint32_t address = 0;  // host byte order
  uint16_t port = 0;
};
Result<void> map_add(Socket& s, const std::string& table, const std::string& map,
                     const std::vector<PortForward>& elements);
Result<void> map_delete(Socket& s, const std::string& table, const std::string& map,
                        const std::vector<uint16_t>& host_ports);  // absent ones are ignored
Result<std::vector<PortForward>> map_list(Socket& s, const std::string& table,
                                          const std::string& map);

std::string format_ipv4(uint32_t addr);  // host byte order
bool parse_ipv4(const std::string& s, uint32_t& addr);

}  // namespace warden::jail::detail::nl
