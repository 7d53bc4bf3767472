#include "gotime.hpp"

#include <cstdio>

#include "common.hpp"

namespace warden::hcl::fn {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

int days_in(int month, int64_t year) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

bool digit(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// Go's ParseError, reduced to what go-cty looks at.
struct ParseFailure {
  std::string layout_elem;
  std::string value_elem;
  std::string message;  // ": month out of range", ...
};

// The layouts this file needs differ only in these respects.
struct Layout {
  bool fixed;      // two-digit month, day, minute, second (RFC 3339) or one-or-two (YAML)
  char separator;  // between date and time; 0 for a date only
  bool zone;       // a Z07:00 zone follows the time
};

// A port of the parts of Go's time.Parse these layouts exercise.
std::optional<GoTime> parse_layout(std::string_view value, const Layout& layout,
                                   ParseFailure& fail) {
  // Go's getnum: one or two digits, exactly two when fixed.
  auto getnum = [](std::string_view& v, bool fixed, int& out) {
    if (!digit(v, 0)) return false;
    if (!digit(v, 1)) {
      if (fixed) return false;
      out = v[0] - '0';
      v.remove_prefix(1);
      return true;
    }
    out = (v[0] - '0') * 10 + (v[1] - '0');
    v.remove_prefix(2);
    return true;
  };
  auto bad = [&](std::string elem, std::string_view rest, std::string message = "") {
    fail = ParseFailure{std::move(elem), std::string(rest), std::move(message)};
    return std::nullopt;
  };
  auto literal = [&](char c) {
    if (value.empty() || value[0] != c) return false;
    value.remove_prefix(1);
    return true;
  };

  int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int32_t nanos = 0, offset = 0;
  std::string_view hold = value;
  if (value.size() < 4 || !digit(value, 0) || !digit(value, 1) || !digit(value, 2) ||
      !digit(value, 3)) {
    return bad("2006", hold);
  }
  year =
      (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
  value.remove_prefix(4);
  if (!literal('-')) return bad("-", value);
  hold = value;
  if (!getnum(value, layout.fixed, month)) return bad(layout.fixed ? "01" : "1", hold);
  if (month < 1 || month > 12) return bad(layout.fixed ? "01" : "1", value, ": month out of range");
  if (!literal('-')) return bad("-", value);
  hold = value;
  if (!getnum(value, layout.fixed, day)) return bad(layout.fixed ? "02" : "2", hold);
  if (layout.separator) {
    if (!literal(layout.separator)) return bad(std::string(1, layout.separator), value);
    hold = value;
    if (!getnum(value, false, hour)) return bad("15", hold);
    if (hour >= 24) return bad("15", value, ": hour out of range");
    if (!literal(':')) return bad(":", value);
    hold = value;
    if (!getnum(value, layout.fixed, minute)) return bad(layout.fixed ? "04" : "4", hold);
    if (minute >= 60) return bad(layout.fixed ? "04" : "4", value, ": minute out of range");
    if (!literal(':')) return bad(":", value);
    hold = value;
    if (!getnum(value, layout.fixed, second)) return bad(layout.fixed ? "05" : "5", hold);
    if (second >= 60) return bad(layout.fixed ? "05" : "5", value, ": second out of range");
    // A fractional second is accepted after the seconds whether or not the layout has one.
    if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') && digit(value, 1)) {
      size_t n = 1;
      int64_t frac = 0;
      int digits = 0;
      while (digit(value, n)) {
        if (digits < 9) {
          frac = frac * 10 + (value[n] - '0');
          ++digits;
        }
        ++n;
      }
      while (digits++ < 9) frac *= 10;
      nanos = static_cast<int32_t>(frac);
      value.remove_prefix(n);
    }
    if (layout.zone) {
      hold = value;
      if (!value.empty() && value[0] == 'Z') {
        value.remove_prefix(1);
      } else {
        if (value.size() < 6 || value[3] != ':') return bad("Z07:00", hold);
        std::string_view hh = value.substr(1, 2), mm = value.substr(4, 2);
        char sign = value[0];
        value.remove_prefix(6);
        int h = 0, m = 0;
        if (!getnum(hh, true, h) || !getnum(mm, true, m)) return bad("Z07:00", hold);
        if (h > 24) return bad("Z07:00", value, ": time zone offset hour out of range");
        if (m > 60) return bad("Z07:00", value, ": time zone offset minute out of range");
        offset = (h * 60 + m) * 60;
        if (sign == '-') {
          offset = -offset;
        } else if (sign != '+') {
          return bad("Z07:00", hold);
        }
      }
    }
  }
  if (!value.empty()) return bad("", value, ": extra text: " + std::string(value));
  if (day < 1 || day > days_in(month, year)) return bad("", value, ": day out of range");
  GoTime t;
  t.seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  t.nanos = nanos;
  t.offset = offset;
  return t;
}

}  // namespace

Civil civil(const GoTime& t) {
  int64_t local = t.seconds + t.offset;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;
  Civil c{};
  civil_from_days(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  return c;
}

std::string format_offset(int32_t offset, bool colon) {
  char sign = offset < 0 ? '-' : '+';
  int32_t a = offset < 0 ? -offset : offset;
  char buf[16];
  std::snprintf(buf, sizeof buf, colon ? "%c%02d:%02d" : "%c%02d%02d", sign, a / 3600, a / 60 % 60);
  return buf;
}

std::string format_rfc3339(const GoTime& t) {
  Civil c = civil(t);
  char buf[64];
  // Go pads years to four digits and keeps a sign for negative ones.
  if (c.year < 0) {
    std::snprintf(buf, sizeof buf, "-%04lld", static_cast<long long>(-c.year));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(c.year));
  }
  std::string out = buf;
  std::snprintf(buf, sizeof buf, "-%02d-%02dT%02d:%02d:%02d", c.month, c.day, c.hour, c.minute,
                c.second);
  out += buf;
  out += t.offset == 0 ? "Z" : format_offset(t.offset, true);
  return out;
}

std::optional<GoTime> parse_rfc3339(std::string_view s, std::string& err) {
  ParseFailure f;
  auto t = parse_layout(s, Layout{true, 'T', true}, f);
  if (t) return t;
  const std::string prefix = "not a valid RFC3339 timestamp";
  if (f.layout_elem.empty() && f.value_elem.empty() && !f.message.empty()) {
    err = prefix + f.message;
    return std::nullopt;
  }
  std::string what;
  const std::string& e = f.layout_elem;
  if (e == "2006")
    what = "year";
  else if (e == "01")
    what = "month";
  else if (e == "02")
    what = "day of month";
  else if (e == "15")
    what = "hour";
  else if (e == "04")
    what = "minute";
  else if (e == "05")
    what = "second";
  else if (e == "Z07:00")
    what = "UTC offset";
  else if (e == "T") {
    err = prefix + ": missing required time introducer 'T'";
    return std::nullopt;
  } else if (e == ":" || e == "-") {
    err = f.value_elem.empty()
              ? prefix + ": end of string where \"" + e + "\" is expected"
              : prefix + ": found " + go_quote(f.value_elem) + " where \"" + e + "\" is expected";
    return std::nullopt;
  } else {
    what = "timestamp segment";
  }
  err = f.value_elem.empty() ? prefix + ": end of string before " + what
                             : prefix + ": cannot use " + go_quote(f.value_elem) + " as " + what;
  return std::nullopt;
}

std::optional<GoTime> parse_yaml_timestamp(std::string_view s) {
  // All the forms start with four digits and a dash.
  if (s.size() < 5 || !digit(s, 0) || !digit(s, 1) || !digit(s, 2) || !digit(s, 3) || s[4] != '-')
    return std::nullopt;
  ParseFailure f;
  for (Layout l : {Layout{false, 'T', true}, Layout{false, 't', true}, Layout{false, ' ', false},
                   Layout{false, 0, false}}) {
    if (auto t = parse_layout(s, l, f)) return t;
  }
  return std::nullopt;
}

}  // namespace warden::hcl::fn
