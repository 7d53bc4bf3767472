#include "warden/core/duration.hpp"

#include <cstring>

namespace warden {
namespace {

struct Unit {
  const char* name;
  uint64_t nanos;
};

constexpr Unit kUnits[] = {
    {"ns", 1},           {"us", 1000},      {"\xc2\xb5s", 1000},  // U+00B5 micro sign
    {"\xce\xbcs", 1000},                                          // U+03BC Greek mu
    {"ms", 1000000},     {"s", 1000000000}, {"m", 60ull * 1000000000}, {"h", 3600ull * 1000000000},
};

bool fail(std::string* err, const char* what, std::string_view orig) {
  if (err) *err = std::string("time: ") + what + " \"" + std::string(orig) + "\"";
  return false;
}

}  // namespace

std::optional<Nanos> parse_duration(std::string_view orig, std::string* err) {
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) {
    fail(err, "invalid duration", orig);
    return std::nullopt;
  }
  uint64_t total = 0;
  while (!s.empty()) {
    uint64_t v = 0;
    uint64_t frac = 0;
    double scale = 1;
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) {
      fail(err, "invalid duration", orig);
      return std::nullopt;
    }
    size_t i = 0;
    bool overflow = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (v > (UINT64_MAX - 9) / 10) overflow = true;
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      ++i;
    }
    if (overflow) {
      fail(err, "invalid duration", orig);
      return std::nullopt;
    }
    bool pre = i > 0;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (frac < UINT64_MAX / 100) {
          frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
          scale *= 10;
        }
        ++i;
      }
      post = i > start;
    }
    if (!pre && !post) {
      fail(err, "invalid duration", orig);
      return std::nullopt;
    }
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9')) ++u;
    if (u == 0) {
      fail(err, "missing unit in duration", orig);
      return std::nullopt;
    }
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    const Unit* found = nullptr;
    for (const auto& k : kUnits) {
      if (unit == k.name) found = &k;
    }
    if (!found) {
      if (err)
        *err = "time: unknown unit \"" + std::string(unit) + "\" in duration \"" +
               std::string(orig) + "\"";
      return std::nullopt;
    }
    if (v > (1ull << 63) / found->nanos) {
      fail(err, "invalid duration", orig);
      return std::nullopt;
    }
    v *= found->nanos;
    if (frac > 0) {
      v += static_cast<uint64_t>(static_cast<double>(frac) *
                                 (static_cast<double>(found->nanos) / scale));
    }
    total += v;
    if (total > (1ull << 63)) {
      fail(err, "invalid duration", orig);
      return std::nullopt;
    }
  }
  if (!neg && total > static_cast<uint64_t>(INT64_MAX)) {
    fail(err, "invalid duration", orig);
    return std::nullopt;
  }
  return neg ? -static_cast<Nanos>(total) : static_cast<Nanos>(total);
}

std::string format_duration(Nanos d) {
  // Mirrors time.Duration.String().
  char buf[32];
  int w = sizeof buf;
  uint64_t u = d < 0 ? static_cast<uint64_t>(-(d + 1)) + 1 : static_cast<uint64_t>(d);
  bool neg = d < 0;

  auto fmt_frac = [&](uint64_t v, int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      int digit = static_cast<int>(v % 10);
      print = print || digit != 0;
      if (print) buf[--w] = static_cast<char>('0' + digit);
      v /= 10;
    }
    if (print) buf[--w] = '.';
    return v;
  };
  auto fmt_int = [&](uint64_t v) {
    if (v == 0) {
      buf[--w] = '0';
    } else {
      while (v > 0) {
        buf[--w] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
    }
  };

  if (u < static_cast<uint64_t>(kSecond)) {
    int prec = 0;
    buf[--w] = 's';
    --w;
    if (u == 0) return "0s";
    if (u < static_cast<uint64_t>(kMicrosecond)) {
      prec = 0;
      buf[w] = 'n';
    } else if (u < static_cast<uint64_t>(kMillisecond)) {
      prec = 3;
      // U+00B5 'µ' is two bytes.
      --w;
      std::memcpy(&buf[w], "\xc2\xb5", 2);
    } else {
      prec = 6;
      buf[w] = 'm';
    }
    u = fmt_frac(u, prec);
    fmt_int(u);
  } else {
    buf[--w] = 's';
    u = fmt_frac(u, 9);
    fmt_int(u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      fmt_int(u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        fmt_int(u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof buf - static_cast<size_t>(w));
}

}  // namespace warden
