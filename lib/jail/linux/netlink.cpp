#include "netlink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace warden::jail::detail::nl {
namespace {

size_t align4(size_t n) {
  return (n + 3) & ~size_t(3);
}

Result<void> in(Result<void> r, const std::string& what) {
  if (r) return r;
  return Error(r.error().code(), what + ": " + r.error().message());
}

}  // namespace

Message::Message(uint16_t type, uint16_t flags) : buf_(sizeof(nlmsghdr), '\0') {
  auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
  h->nlmsg_type = type;
  h->nlmsg_flags = uint16_t(flags | NLM_F_REQUEST);
}

void Message::put_raw(const void* data, size_t len) {
  size_t at = buf_.size();
  buf_.resize(at + align4(len), '\0');
  std::memcpy(buf_.data() + at, data, len);
}

void Message::put(uint16_t type, const void* data, size_t len) {
  nlattr a{};
  a.nla_len = uint16_t(NLA_HDRLEN + len);
  a.nla_type = type;
  size_t at = buf_.size();
  buf_.resize(at + NLA_HDRLEN + align4(len), '\0');
  std::memcpy(buf_.data() + at, &a, sizeof a);
  if (len) std::memcpy(buf_.data() + at + NLA_HDRLEN, data, len);
}

void Message::put_str(uint16_t type, const std::string& s) {
  put(type, s.c_str(), s.size() + 1);
}

void Message::put_u32(uint16_t type, uint32_t v) {
  put(type, &v, sizeof v);
}

size_t Message::begin(uint16_t type) {
  size_t at = buf_.size();
  nlattr a{};
  a.nla_type = uint16_t(type | NLA_F_NESTED);
  buf_.resize(at + NLA_HDRLEN, '\0');
  std::memcpy(buf_.data() + at, &a, sizeof a);
  return at;
}

void Message::end(size_t at) {
  uint16_t len = uint16_t(buf_.size() - at);
  std::memcpy(buf_.data() + at, &len, sizeof len);
}

void Message::set_seq(uint32_t seq) {
  reinterpret_cast<nlmsghdr*>(buf_.data())->nlmsg_seq = seq;
}

const std::string& Message::bytes() {
  reinterpret_cast<nlmsghdr*>(buf_.data())->nlmsg_len = uint32_t(buf_.size());
  return buf_;
}

Result<Socket> Socket::open(int protocol) {
  Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
  if (!fd) return sys_error("netlink socket");
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return sys_error("bind netlink socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  return Socket(std::move(fd));
}

Result<Socket> Socket::open_in(int protocol, int nsfd) {
  // A netlink socket belongs to the namespace it was created in: create it on a short-lived
  // thread that enters the namespace, so the caller's thread never leaves its own.
  std::optional<Result<Socket>> out;
  std::thread t([&] {
    if (::setns(nsfd, CLONE_NEWNET) != 0) {
      out.emplace(sys_error("enter the jail's network namespace"));
      return;
    }
    out.emplace(open(protocol));
  });
  t.join();
  return std::move(*out);
}

Result<void> Socket::request(Message m) {
  std::vector<Message> ms;
  ms.push_back(std::move(m));
  return request(ms, false);
}

Result<void> Socket::request(std::vector<Message>& messages, bool batch) {
  std::vector<char> out;
  std::vector<uint32_t> pending;
  auto append = [&](const std::string& b) { out.insert(out.end(), b.begin(), b.end()); };
  if (batch) {
    Message begin(NFNL_MSG_BATCH_BEGIN, 0);
    nfgenmsg g{};
    g.nfgen_family = AF_UNSPEC;
    g.version = NFNETLINK_V0;
    g.res_id = htons(NFNL_SUBSYS_NFTABLES);
    begin.put_raw(&g, sizeof g);
    begin.set_seq(seq_++);
    append(begin.bytes());
  }
  for (auto& m : messages) {
    uint32_t seq = seq_++;
    m.set_seq(seq);
    auto& b = m.bytes();
    reinterpret_cast<nlmsghdr*>(const_cast<char*>(b.data()))->nlmsg_flags |= NLM_F_ACK;
    append(m.bytes());
    pending.push_back(seq);
  }
  if (batch) {
    Message end(NFNL_MSG_BATCH_END, 0);
    nfgenmsg g{};
    g.nfgen_family = AF_UNSPEC;
    g.version = NFNETLINK_V0;
    g.res_id = htons(NFNL_SUBSYS_NFTABLES);
    end.put_raw(&g, sizeof g);
    end.set_seq(seq_++);
    append(end.bytes());
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_.get(), out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0)
    return sys_error("netlink send");
  Result<void> result;
  std::vector<char> buf(65536);
  while (!pending.empty()) {
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("netlink receive");
    }
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, size_t(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
      for (auto it = pending.begin(); it != pending.end(); ++it) {
        if (*it == h->nlmsg_seq) {
          pending.erase(it);
          break;
        }
      }
      if (e->error != 0 && result) result = sys_error("netlink", -e->error);
    }
  }
  return result;
}

Result<std::vector<std::vector<char>>> Socket::query(Message m) {
  uint32_t seq = seq_++;
  m.set_seq(seq);
  auto& b = m.bytes();
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_.get(), b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0)
    return sys_error("netlink send");
  bool dump = (reinterpret_cast<const nlmsghdr*>(b.data())->nlmsg_flags & NLM_F_DUMP) != 0;
  std::vector<std::vector<char>> out;
  std::vector<char> buf(65536);
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("netlink receive");
    }
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, size_t(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) return out;
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        if (e->error == 0) return out;
        return sys_error("netlink", -e->error);
      }
      out.emplace_back(reinterpret_cast<char*>(h), reinterpret_cast<char*>(h) + h->nlmsg_len);
      if (!dump) return out;
    }
  }
}

Result<int> link_index(Socket& s, const std::string& name) {
  Message m(RTM_GETLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  m.put_raw(&ifi, sizeof ifi);
  m.put_str(IFLA_IFNAME, name);
  auto r = s.query(std::move(m));
  if (!r) {
    if (r.error().message().find(std::strerror(ENODEV)) != std::string::npos)
      return Error(ErrorCode::not_found, "no link " + name);
    return std::move(r).error();
  }
  if (r->empty()) return Error(ErrorCode::not_found, "no link " + name);
  auto* h = reinterpret_cast<const nlmsghdr*>((*r)[0].data());
  return static_cast<const ifinfomsg*>(NLMSG_DATA(h))->ifi_index;
}

Result<void> create_bridge(Socket& s, const std::string& name) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  m.put_raw(&ifi, sizeof ifi);
  m.put_str(IFLA_IFNAME, name);
  size_t info = m.begin(IFLA_LINKINFO);
  m.put_str(IFLA_INFO_KIND, "bridge");
  m.end(info);
  auto r = s.request(std::move(m));
  if (!r && r.error().message().find(std::strerror(EEXIST)) == std::string::npos)
    return in(std::move(r), "create bridge " + name);
  return {};
}

Result<void> set_link_up(Socket& s, int index) {
  Message m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = index;
  ifi.ifi_flags = IFF_UP;
  ifi.ifi_change = IFF_UP;
  m.put_raw(&ifi, sizeof ifi);
  return in(s.request(std::move(m)), "set link " + std::to_string(index) + " up");
}

Result<void> add_address(Socket& s, int index, uint32_t addr, int prefix) {
  Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  ifa.ifa_prefixlen = uint8_t(prefix);
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  ifa.ifa_index = uint32_t(index);
  m.put_raw(&ifa, sizeof ifa);
  uint32_t a = htonl(addr);
  m.put(IFA_LOCAL, &a, 4);
  m.put(IFA_ADDRESS, &a, 4);
  if (prefix < 31) {
    uint32_t bcast = htonl(addr | (prefix == 0 ? ~0U : (~0U >> prefix)));
    m.put(IFA_BROADCAST, &bcast, 4);
  }
  auto r = s.request(std::move(m));
  if (!r && r.error().message().find(std::strerror(EEXIST)) == std::string::npos)
    return in(std::move(r), "add address " + format_ipv4(addr));
  return {};
}

Result<void> add_default_route(Socket& s, uint32_t gateway, int index) {
  Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  rtmsg rt{};
  rt.rtm_family = AF_INET;
  rt.rtm_table = RT_TABLE_MAIN;
  rt.rtm_protocol = RTPROT_BOOT;
  rt.rtm_scope = RT_SCOPE_UNIVERSE;
  rt.rtm_type = RTN_UNICAST;
  m.put_raw(&rt, sizeof rt);
  uint32_t gw = htonl(gateway);
  m.put(RTA_GATEWAY, &gw, 4);
  m.put_u32(RTA_OIF, uint32_t(index));
  return in(s.request(std::move(m)), "add default route via " + format_ipv4(gateway));
}

Result<void> create_veth(Socket& s, const std::string& host, const std::string& peer, int nsfd,
                         int master) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_flags = IFF_UP;
  ifi.ifi_change = IFF_UP;
  m.put_raw(&ifi, sizeof ifi);
  m.put_str(IFLA_IFNAME, host);
  m.put_u32(IFLA_MASTER, uint32_t(master));
  size_t info = m.begin(IFLA_LINKINFO);
  m.put_str(IFLA_INFO_KIND, "veth");
  size_t data = m.begin(IFLA_INFO_DATA);
  size_t p = m.begin(VETH_INFO_PEER);
  ifinfomsg peer_ifi{};
  peer_ifi.ifi_family = AF_UNSPEC;
  m.put_raw(&peer_ifi, sizeof peer_ifi);
  m.put_str(IFLA_IFNAME, peer);
  // Created right in the jail's namespace: never visible on the host.
  m.put_u32(IFLA_NET_NS_FD, uint32_t(nsfd));
  m.end(p);
  m.end(data);
  m.end(info);
  return in(s.request(std::move(m)), "create veth " + host);
}

Result<void> delete_link(Socket& s, const std::string& name) {
  Message m(RTM_DELLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  m.put_raw(&ifi, sizeof ifi);
  m.put_str(IFLA_IFNAME, name);
  auto r = s.request(std::move(m));
  if (!r && r.error().message().find(std::strerror(ENODEV)) == std::string::npos)
    return in(std::move(r), "delete link " + name);
  return {};
}

namespace {

constexpr uint16_t nft_type(int msg) {
  return uint16_t((NFNL_SUBSYS_NFTABLES << 8) | msg);
}

void put_nfgen(Message& m) {
  nfgenmsg g{};
  g.nfgen_family = NFPROTO_IPV4;
  g.version = NFNETLINK_V0;
  g.res_id = 0;
  m.put_raw(&g, sizeof g);
}

void put_key(Message& m, uint16_t host_port) {
  size_t key = m.begin(NFTA_SET_ELEM_KEY);
  uint16_t k = htons(host_port);
  m.put(NFTA_DATA_VALUE, &k, sizeof k);
  m.end(key);
}

// Walks the attributes in [p, p + len).
template <class F>
void each_attr(const char* p, size_t len, F&& f) {
  while (len >= NLA_HDRLEN) {
    nlattr a;
    std::memcpy(&a, p, sizeof a);
    if (a.nla_len < NLA_HDRLEN || a.nla_len > len) return;
    f(uint16_t(a.nla_type & NLA_TYPE_MASK), p + NLA_HDRLEN, size_t(a.nla_len - NLA_HDRLEN));
    size_t step = align4(a.nla_len);
    if (step > len) return;
    p += step;
    len -= step;
  }
}

}  // namespace

Result<void> map_add(Socket& s, const std::string& table, const std::string& map,
                     const std::vector<PortForward>& elements) {
  if (elements.empty()) return {};
  std::vector<Message> ms;
  ms.emplace_back(nft_type(NFT_MSG_NEWSETELEM), NLM_F_CREATE | NLM_F_EXCL);
  Message& m = ms.back();
  put_nfgen(m);
  m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
  m.put_str(NFTA_SET_ELEM_LIST_SET, map);
  size_t list = m.begin(NFTA_SET_ELEM_LIST_ELEMENTS);
  for (const auto& e : elements) {
    size_t el = m.begin(NFTA_LIST_ELEM);
    put_key(m, e.host_port);
    size_t data = m.begin(NFTA_SET_ELEM_DATA);
    // ipv4_addr . inet_service: each part in its own 32-bit register.
    unsigned char v[8] = {};
    uint32_t a = htonl(e.address);
    uint16_t p = htons(e.port);
    std::memcpy(v, &a, 4);
    std::memcpy(v + 4, &p, 2);
    m.put(NFTA_DATA_VALUE, v, sizeof v);
    m.end(data);
    m.end(el);
  }
  m.end(list);
  return in(s.request(ms, true), "add to nftables map " + table + " " + map);
}

Result<void> map_delete(Socket& s, const std::string& table, const std::string& map,
                        const std::vector<uint16_t>& host_ports) {
  // One batch per element: an nf_tables batch is a transaction, and a missing element would
  // abort the removal of the others.
  for (uint16_t port : host_ports) {
    std::vector<Message> ms;
    ms.emplace_back(nft_type(NFT_MSG_DELSETELEM), 0);
    Message& m = ms.back();
    put_nfgen(m);
    m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
    m.put_str(NFTA_SET_ELEM_LIST_SET, map);
    size_t list = m.begin(NFTA_SET_ELEM_LIST_ELEMENTS);
    size_t el = m.begin(NFTA_LIST_ELEM);
    put_key(m, port);
    m.end(el);
    m.end(list);
    auto r = s.request(ms, true);
    if (!r && r.error().message().find(std::strerror(ENOENT)) == std::string::npos) return r;
  }
  return {};
}

Result<std::vector<PortForward>> map_list(Socket& s, const std::string& table,
                                          const std::string& map) {
  Message m(nft_type(NFT_MSG_GETSETELEM), NLM_F_DUMP);
  put_nfgen(m);
  m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
  m.put_str(NFTA_SET_ELEM_LIST_SET, map);
  auto r = s.query(std::move(m));
  if (!r) return std::move(r).error();
  std::vector<PortForward> out;
  for (const auto& msg : *r) {
    auto* h = reinterpret_cast<const nlmsghdr*>(msg.data());
    const char* p = static_cast<const char*>(NLMSG_DATA(h)) + NLMSG_ALIGN(sizeof(nfgenmsg));
    size_t len = h->nlmsg_len - NLMSG_LENGTH(sizeof(nfgenmsg));
    each_attr(p, len, [&](uint16_t type, const char* v, size_t vlen) {
      if (type != NFTA_SET_ELEM_LIST_ELEMENTS) return;
      each_attr(v, vlen, [&](uint16_t, const char* e, size_t elen) {
        PortForward f;
        each_attr(e, elen, [&](uint16_t et, const char* d, size_t dlen) {
          each_attr(d, dlen, [&](uint16_t vt, const char* val, size_t vl) {
            if (vt != NFTA_DATA_VALUE) return;
            if (et == NFTA_SET_ELEM_KEY && vl >= 2) {
              uint16_t k;
              std::memcpy(&k, val, 2);
              f.host_port = ntohs(k);
            } else if (et == NFTA_SET_ELEM_DATA && vl >= 6) {
              uint32_t a;
              uint16_t port;
              std::memcpy(&a, val, 4);
              std::memcpy(&port, val + 4, 2);
              f.address = ntohl(a);
              f.port = ntohs(port);
            }
          });
        });
        out.push_back(f);
      });
    });
  }
  return out;
}

std::string format_ipv4(uint32_t addr) {
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 255) + "." +
         std::to_string((addr >> 8) & 255) + "." + std::to_string(addr & 255);
}

bool parse_ipv4(const std::string& s, uint32_t& addr) {
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return false;
  addr = ntohl(a.s_addr);
  return true;
}

}  // namespace warden::jail::detail::nl
