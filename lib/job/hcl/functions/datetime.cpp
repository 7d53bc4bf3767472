// formatdate and timeadd: go-cty's stdlib datetime.go.
#include <cstdio>

#include "common.hpp"
#include "gotime.hpp"
#include "warden/core/duration.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

bool is_verb_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Splits a date format into tokens: a run of one repeated letter (a verb), a quoted literal
// ('' inside it is a quote), or a run of other characters.
std::vector<std::string_view> date_tokens(std::string_view f) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < f.size()) {
    size_t start = i;
    char c = f[i];
    if (c == '\'') {
      if (i + 1 < f.size() && f[i + 1] == '\'') {
        i += 2;
      } else {
        ++i;
        while (i < f.size()) {
          if (f[i] == '\'') {
            if (i + 1 < f.size() && f[i + 1] == '\'') {
              i += 2;  // doubled quotes are an escaped quote
              continue;
            }
            ++i;
            break;
          }
          ++i;
        }
      }
    } else if (is_verb_char(c)) {
      while (i < f.size() && f[i] == c) ++i;
    } else {
      while (i < f.size() && f[i] != '\'' && !is_verb_char(f[i])) ++i;
    }
    out.push_back(f.substr(start, i - start));
  }
  return out;
}

std::string num(int64_t v, bool pad2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, pad2 ? "%02lld" : "%lld", static_cast<long long>(v));
  return buf;
}

CallResult formatdate(std::span<const Value> a) {
  std::string err;
  auto t = parse_rfc3339(a[1].as_string(), err);
  if (!t) return CallResult::bad_arg(1, err);
  Civil c = civil(*t);
  std::string out;
  auto bad = [](std::string_view tok, std::string_view why) {
    std::string msg = "invalid date format verb " + go_quote(tok);
    if (!why.empty()) msg += ": " + std::string(why);
    return CallResult::bad_arg(0, msg);
  };
  for (std::string_view tok : date_tokens(a[0].as_string())) {
    size_t n = tok.size();
    if (tok[0] == '\'') {
      if (n == 1 || tok.back() != '\'') return CallResult::bad_arg(0, "unterminated literal '");
      if (n == 2) {
        out += '\'';
        continue;
      }
      std::string_view raw = tok.substr(1, n - 2);
      for (size_t i = 0; i < raw.size(); ++i) {
        out += raw[i];
        if (raw[i] == '\'') ++i;  // skip the second quote of an escaped pair
      }
      continue;
    }
    if (!is_verb_char(tok[0])) {
      out += tok;
      continue;
    }
    switch (tok[0]) {
      case 'Y':
        if (n == 2)
          out += num(c.year % 100, true);
        else if (n == 4) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(c.year));
          out += buf;
        } else
          return bad(tok, "year must either be \"YY\" or \"YYYY\"");
        break;
      case 'M':
        if (n == 1 || n == 2)
          out += num(c.month, n == 2);
        else if (n == 3)
          out += std::string(kMonths[c.month - 1]).substr(0, 3);
        else if (n == 4)
          out += kMonths[c.month - 1];
        else
          return bad(tok, "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"");
        break;
      case 'D':
        if (n > 2) return bad(tok, "day of month must either be \"D\" or \"DD\"");
        out += num(c.day, n == 2);
        break;
      case 'E':
        if (n == 3)
          out += std::string(kDays[c.weekday]).substr(0, 3);
        else if (n == 4)
          out += kDays[c.weekday];
        else
          return bad(tok, "day of week must either be \"EEE\" or \"EEEE\"");
        break;
      case 'h':
        if (n > 2) return bad(tok, "24-hour must either be \"h\" or \"hh\"");
        out += num(c.hour, n == 2);
        break;
      case 'H':
        if (n > 2) return bad(tok, "12-hour must either be \"H\" or \"HH\"");
        out += num(c.hour % 12 == 0 ? 12 : c.hour % 12, n == 2);
        break;
      case 'A':
      case 'a': {
        if (n != 2) return bad(tok, "must be \"" + std::string(2, tok[0]) + "\"");
        bool upper = tok[0] == 'A';
        out += c.hour < 12 ? (upper ? "AM" : "am") : (upper ? "PM" : "pm");
        break;
      }
      case 'm':
        if (n > 2) return bad(tok, "minute must either be \"m\" or \"mm\"");
        out += num(c.minute, n == 2);
        break;
      case 's':
        if (n > 2) return bad(tok, "second must either be \"s\" or \"ss\"");
        out += num(c.second, n == 2);
        break;
      case 'Z':
        if (n == 1)
          out += t->offset == 0 ? "Z" : format_offset(t->offset, true);
        else if (n == 3)
          out += t->offset == 0 ? "UTC" : format_offset(t->offset, false);
        else if (n == 4)
          out += format_offset(t->offset, false);
        else if (n == 5)
          out += format_offset(t->offset, true);
        else
          return bad(tok, "timezone must be Z, ZZZZ, or ZZZZZ");
        break;
      default:
        return bad(tok, "");
    }
  }
  return CallResult::ok(Value::string(out));
}

CallResult timeadd(std::span<const Value> a) {
  std::string err;
  auto t = parse_rfc3339(a[0].as_string(), err);
  if (!t) return CallResult::fail(err);
  auto d = parse_duration(a[1].as_string(), &err);
  if (!d) return CallResult::fail(err);
  int64_t nanos = t->nanos + *d % kSecond;
  int64_t secs = t->seconds + *d / kSecond;
  if (nanos < 0) {
    nanos += kSecond;
    --secs;
  } else if (nanos >= kSecond) {
    nanos -= kSecond;
    ++secs;
  }
  GoTime r{secs, static_cast<int32_t>(nanos), t->offset};
  return CallResult::ok(Value::string(format_rfc3339(r)));
}

}  // namespace

void add_datetime_functions(FunctionTable& t) {
  const Type s = Type::string();
  t.add("formatdate", fixed({param("format", s), param("time", s)}, formatdate));
  t.add("timeadd", fixed({param("timestamp", s), param("duration", s)}, timeadd));
}

}  // namespace warden::hcl
