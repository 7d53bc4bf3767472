// The CIDR functions of go-cty-funcs/cidr, over Go's net.ParseCIDR and apparentlymart/go-cidr
// v1.0.1's arithmetic. Addresses are 128-bit integers; IPv4 ones use the low 32 bits.
#include <cstdio>

#include "common.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

using u128 = unsigned __int128;

struct Net {
  u128 addr = 0;  // the network address (host bits cleared)
  int bits = 32;  // 32 or 128
  int prefix = 0;
};

u128 all_ones(int bits) {
  return bits >= 128 ? ~u128(0) : (u128(1) << bits) - 1;
}

u128 mask_of(int prefix, int bits) {
  if (prefix <= 0) return 0;
  if (prefix >= bits) return all_ones(bits);
  return (all_ones(bits) << (bits - prefix)) & all_ones(bits);
}

// Go's netip.ParseAddr for dotted quads: four fields of 1-3 digits, no leading zeros, <= 255.
std::optional<uint32_t> parse_ipv4(std::string_view s) {
  uint32_t out = 0;
  int fields = 0;
  size_t i = 0;
  while (fields < 4) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (v > 255) return std::nullopt;
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || (len > 1 && s[start] == '0')) return std::nullopt;
    out = (out << 8) | static_cast<uint32_t>(v);
    ++fields;
    if (fields < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

// Go's netip.ParseAddr for IPv6 (groups of up to four hex digits, one "::", an optional trailing
// dotted quad); zones are refused, as net.ParseCIDR refuses them.
std::optional<u128> parse_ipv6(std::string_view s) {
  uint8_t ip[16] = {};
  int ellipsis = -1;
  int i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
  }
  while (!s.empty() && i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    while (off < s.size() && off < 5) {
      char c = s[off];
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0) break;
      acc = acc * 16 + static_cast<uint32_t>(d);
      ++off;
    }
    if (off < s.size() && s[off] == '.') {
      // An embedded IPv4 address ends the text.
      if (ellipsis < 0 && i != 12) return std::nullopt;
      if (i + 4 > 16) return std::nullopt;
      auto v4 = parse_ipv4(s);
      if (!v4) return std::nullopt;
      for (int k = 0; k < 4; ++k) ip[i + k] = static_cast<uint8_t>(*v4 >> (24 - 8 * k));
      i += 4;
      s = {};
      break;
    }
    if (off == 0 || off > 4) return std::nullopt;
    ip[i] = static_cast<uint8_t>(acc >> 8);
    ip[i + 1] = static_cast<uint8_t>(acc);
    i += 2;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return std::nullopt;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return std::nullopt;
      ellipsis = i;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return std::nullopt;
  if (i < 16) {
    if (ellipsis < 0) return std::nullopt;
    int n = 16 - i;
    for (int j = i - 1; j >= ellipsis; --j) ip[j + n] = ip[j];
    for (int j = ellipsis + n - 1; j >= ellipsis; --j) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return std::nullopt;  // "::" must stand for at least one group
  }
  u128 v = 0;
  for (uint8_t b : ip) v = (v << 8) | b;
  return v;
}

// Go's net.ParseCIDR; the error is net.ParseError's text.
std::optional<Net> parse_cidr(std::string_view s, std::string& err) {
  err = "invalid CIDR address: " + std::string(s);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view addr = s.substr(0, slash), len = s.substr(slash + 1);
  Net n;
  size_t kind = addr.find_first_of(".:%");
  if (kind == std::string_view::npos || addr[kind] == '%') return std::nullopt;
  if (addr[kind] == '.') {
    auto v4 = parse_ipv4(addr);
    if (!v4) return std::nullopt;
    n.addr = *v4;
    n.bits = 32;
  } else {
    auto v6 = parse_ipv6(addr);
    if (!v6) return std::nullopt;
    n.addr = *v6;
    n.bits = 128;
  }
  if (len.empty() || len.size() > 8) return std::nullopt;
  int prefix = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > n.bits) return std::nullopt;
  n.prefix = prefix;
  n.addr &= mask_of(prefix, n.bits);  // host bits may be set in the text; they are dropped
  return n;
}

// Go's net.IP.String(): dotted quads, or RFC 5952 IPv6 with "::" for the longest zero run
// (IPv4-mapped addresses print as dotted quads).
std::string ip_string(u128 v, int bits) {
  char buf[64];
  auto dotted = [&](uint32_t a) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                  a & 255);
    return std::string(buf);
  };
  if (bits == 32) return dotted(static_cast<uint32_t>(v));
  if ((v >> 32) == 0xffff) return dotted(static_cast<uint32_t>(v));
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(v >> (112 - 16 * i));
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string net_string(const Net& n) {
  return ip_string(n.addr, n.bits) + "/" + std::to_string(n.prefix);
}

CallResult cidrhost(std::span<const Value> a) {
  auto num = to_int(a[1]);
  if (!num) return CallResult::fail(std::string(kWholeNumber));
  std::string err;
  auto net = parse_cidr(a[0].as_string(), err);
  if (!net) return CallResult::fail("invalid CIDR expression: " + err);
  int host_bits = net->bits - net->prefix;
  u128 max_host = all_ones(host_bits);
  // Negative numbers count back from the end of the range: -1 is the last address.
  u128 magnitude = *num >= 0 ? u128(static_cast<uint64_t>(*num)) : u128(-(*num + 1));
  if (magnitude > max_host) {
    return CallResult::fail("prefix of " + std::to_string(net->prefix) +
                            " does not accommodate a host numbered " + std::to_string(*num));
  }
  u128 host = *num >= 0 ? magnitude : max_host - magnitude;
  return CallResult::ok(Value::string(ip_string(net->addr | host, net->bits)));
}

CallResult cidrnetmask(std::span<const Value> a) {
  std::string err;
  auto net = parse_cidr(a[0].as_string(), err);
  if (!net) return CallResult::fail("invalid CIDR expression: " + err);
  return CallResult::ok(Value::string(ip_string(mask_of(net->prefix, net->bits), net->bits)));
}

// go-cidr's Subnet: netnum placed in the bits just after the prefix.
std::optional<Net> subnet(const Net& base, int newbits, int64_t num, std::string& err) {
  int new_prefix = base.prefix + newbits;
  if (new_prefix > base.bits) {
    err = "insufficient address space to extend prefix of " + std::to_string(base.prefix) + " by " +
          std::to_string(newbits);
    return std::nullopt;
  }
  uint64_t max_num = newbits >= 64 ? ~uint64_t(0) : (uint64_t(1) << newbits) - 1;
  if (static_cast<uint64_t>(num) > max_num) {
    err = "prefix extension of " + std::to_string(newbits) +
          " does not accommodate a subnet numbered " + std::to_string(num);
    return std::nullopt;
  }
  Net n = base;
  n.prefix = new_prefix;
  int shift = base.bits - new_prefix;
  n.addr = (base.addr | (shift >= 128 ? 0 : u128(static_cast<uint64_t>(num)) << shift)) &
           all_ones(base.bits);
  return n;
}

CallResult cidrsubnet(std::span<const Value> a) {
  auto newbits = to_int(a[1]);
  if (!newbits) return CallResult::fail(std::string(kWholeNumber));
  auto netnum = to_int(a[2]);
  if (!netnum) return CallResult::fail(std::string(kWholeNumber));
  std::string err;
  auto net = parse_cidr(a[0].as_string(), err);
  if (!net) return CallResult::fail("invalid CIDR expression: " + err);
  if (*newbits > 32) return CallResult::fail("may not extend prefix by more than 32 bits");
  // go-cidr does not guard against a negative extension; its results there are meaningless.
  if (*newbits < 0) return CallResult::fail("must extend prefix by at least zero bits");
  auto sub = subnet(*net, static_cast<int>(*newbits), *netnum, err);
  if (!sub) return CallResult::fail(err);
  return CallResult::ok(Value::string(net_string(*sub)));
}

// The last address of a network.
u128 last_address(const Net& n) {
  return n.addr | (~mask_of(n.prefix, n.bits) & all_ones(n.bits));
}

CallResult cidrsubnets(std::span<const Value> a) {
  std::string err;
  auto base = parse_cidr(a[0].as_string(), err);
  if (!base) return CallResult::bad_arg(0, "invalid CIDR expression: " + err);
  std::vector<std::string> out;
  if (a.size() == 1) return CallResult::ok(string_list(out));
  std::optional<Net> current;
  for (size_t i = 1; i < a.size(); ++i) {
    int arg = static_cast<int>(i);
    auto n = to_int(a[i]);
    if (!n) return CallResult::bad_arg(arg, std::string(kWholeNumber));
    if (*n < 1) return CallResult::bad_arg(arg, "must extend prefix by at least one bit");
    if (*n > 32) return CallResult::bad_arg(arg, "may not extend prefix by more than 32 bits");
    int len = base->prefix + static_cast<int>(*n);
    if (len > base->bits) {
      return CallResult::bad_arg(arg, "would extend prefix to " + std::to_string(len) +
                                          " bits, which is too long for an " +
                                          (base->bits == 32 ? "IPv4" : "IPv6") + " address");
    }
    if (!current) {
      // Allocation starts from the subnet of the first size just below the base network.
      Net prev = *base;
      prev.prefix = len;
      prev.addr = (base->addr - 1) & all_ones(base->bits) & mask_of(len, base->bits);
      current = prev;
    }
    // go-cidr's NextSubnet: the first `len`-bit network after the current one's last address.
    u128 mask = mask_of(len, base->bits);
    Net widened{last_address(*current) & mask, base->bits, len};
    u128 next_addr = (last_address(widened) + 1) & all_ones(base->bits);
    Net next{next_addr & mask, base->bits, len};
    bool rollover = next_addr == 0;
    bool inside = (next.addr & mask_of(base->prefix, base->bits)) == base->addr;
    if (rollover || !inside) {
      return CallResult::bad_arg(
          arg, "not enough remaining address space for a subnet with a prefix of " +
                   std::to_string(len) + " bits after " + net_string(*current));
    }
    current = next;
    out.push_back(net_string(next));
  }
  return CallResult::ok(string_list(out));
}

}  // namespace

void add_cidr_functions(FunctionTable& t) {
  const Type s = Type::string(), n = Type::number();
  t.add("cidrhost", fixed({param("prefix", s), param("hostnum", n)}, cidrhost));
  t.add("cidrnetmask", fixed({param("prefix", s)}, cidrnetmask));
  t.add("cidrsubnet",
        fixed({param("prefix", s), param("newbits", n), param("netnum", n)}, cidrsubnet));
  t.add("cidrsubnets", variadic({param("prefix", s)}, param("newbits", n), cidrsubnets));
}

}  // namespace warden::hcl
