// nomad's constraint operators (scheduler/feasible.go checkConstraint) over resolved values.
//
// Everything here mirrors the Go code nomad runs, quirks included, because a job that places on a
// nomad cluster must place the same way here:
//   - ordering parses like strconv.ParseInt / strconv.ParseFloat (signs, underscores in floats,
//     hex floats, "Inf"/"NaN", range errors) before falling back to byte-wise string order;
//   - `version` is hashicorp/go-version (NewVersion + NewConstraint), `semver` is nomad's
//     helper/constraints/semver (go-version's NewSemver grammar and Compare, no prerelease rule);
//   - set elements are trimmed as strings.TrimSpace (Unicode white space, not only ASCII);
//   - `regexp` translates Go's RE2 syntax to ECMAScript where the two differ (see
//     translate_go_regexp) and rejects what Go rejects, such as backreferences and lookarounds.
#include "warden/sched/constraint.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <regex>
#include <string>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace warden::sched {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Go's strconv
// ---------------------------------------------------------------------------------------------

// strconv.ParseInt(s, 10, 64). `value` is what Go returns alongside an error too (0 for a syntax
// error, the clamped bound for a range error): go-version's prerelease comparison reads it.
struct GoInt {
  std::int64_t value = 0;
  bool ok = false;
};

GoInt go_parse_int(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return {};

  // As ParseUint: the first overflow ends the scan, so "99999999999999999999x" is a range error
  // (value clamped), not a syntax error.
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  constexpr std::uint64_t kCutoff = kMax / 10 + 1;
  std::uint64_t n = 0;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) return {};
    if (n >= kCutoff) {
      n = kMax;
      break;
    }
    n *= 10;
    const std::uint64_t next = n + static_cast<std::uint64_t>(s[i] - '0');
    if (next < n) {
      n = kMax;
      break;
    }
    n = next;
  }

  constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
  if (!negative && n >= kLimit) return {std::numeric_limits<std::int64_t>::max(), false};
  if (negative && n > kLimit) return {std::numeric_limits<std::int64_t>::min(), false};
  return {negative ? static_cast<std::int64_t>(0 - n) : static_cast<std::int64_t>(n), true};
}

// strconv's underscoreOK: an underscore only between digits, or between a base prefix and a digit.
bool go_underscores_ok(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit or prefix, '_' underscore, '!' anything else
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (to_lower(s[1]) == 'b' || to_lower(s[1]) == 'o' || to_lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = to_lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c) || (hex && to_lower(c) >= 'a' && to_lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// strconv.ParseFloat(s, 64): nullopt where Go returns an error (syntax, or overflow to ±Inf).
// Underflow is not an error in Go; it rounds to a subnormal or to zero.
std::optional<double> go_parse_float(std::string_view s) {
  if (s.empty()) return std::nullopt;

  std::size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  const std::string_view body = s.substr(i);
  if (equals_ignore_case(body, "inf") || equals_ignore_case(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (i == 0 && equals_ignore_case(body, "nan")) return std::numeric_limits<double>::quiet_NaN();

  bool hex = false;
  if (i + 2 < s.size() && s[i] == '0' && to_lower(s[i + 1]) == 'x') {
    hex = true;
    i += 2;
  }

  // The digits without sign, prefix and underscores, for from_chars; and enough about the
  // magnitude to tell an overflow from an underflow when from_chars reports out of range.
  std::string clean;
  clean.reserve(s.size());
  bool underscores = false;
  bool saw_dot = false;
  bool saw_digits = false;
  long digits = 0;
  long digits_before_dot = -1;
  long first_nonzero = -1;
  int first_nonzero_value = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
      digits_before_dot = digits;
      clean.push_back(c);
      continue;
    }
    int value = -1;
    if (is_digit(c)) {
      value = c - '0';
    } else if (hex && to_lower(c) >= 'a' && to_lower(c) <= 'f') {
      value = to_lower(c) - 'a' + 10;
    }
    if (value < 0) break;
    saw_digits = true;
    if (value != 0 && first_nonzero < 0) {
      first_nonzero = digits;
      first_nonzero_value = value;
    }
    ++digits;
    clean.push_back(c);
  }
  if (!saw_digits) return std::nullopt;
  if (digits_before_dot < 0) digits_before_dot = digits;

  long exponent = 0;
  if (i < s.size() && to_lower(s[i]) == (hex ? 'p' : 'e')) {
    clean.push_back(hex ? 'p' : 'e');
    ++i;
    if (i >= s.size()) return std::nullopt;
    long sign = 1;
    if (s[i] == '+' || s[i] == '-') {
      if (s[i] == '-') {
        sign = -1;
        clean.push_back('-');
      }
      ++i;
    }
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    for (; i < s.size() && (is_digit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
        continue;
      }
      if (exponent < 10000) exponent = exponent * 10 + (s[i] - '0');
      clean.push_back(s[i]);
    }
    exponent *= sign;
  } else if (hex) {
    return std::nullopt;  // a hex mantissa needs a 'p' exponent
  }
  if (i != s.size()) return std::nullopt;
  if (underscores && !go_underscores_ok(s)) return std::nullopt;

  double value = 0;
  const char* first = clean.data();
  const char* last = clean.data() + clean.size();
  const auto [ptr, ec] = std::from_chars(first, last, value,
                                         hex ? std::chars_format::hex : std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    // Non-zero (a zero mantissa never overflows nor underflows): decide from the magnitude.
    long order = hex ? 4 * (digits_before_dot - first_nonzero - 1) +
                           static_cast<long>(std::ilogb(first_nonzero_value)) + exponent
                     : digits_before_dot - first_nonzero - 1 + exponent;
    if (order >= 0) return std::nullopt;  // overflow: Go's range error
    value = 0;                            // underflow
  } else if (ec != std::errc{} || ptr != last) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Ordering: checkOrder tries integers, then floats, then byte-wise strings.
// ---------------------------------------------------------------------------------------------

template <typename T>
bool ordered(Operator op, const T& left, const T& right) {
  switch (op) {
    case Operator::less:
      return left < right;
    case Operator::less_equal:
      return left <= right;
    case Operator::greater:
      return left > right;
    case Operator::greater_equal:
      return left >= right;
    default:
      return false;
  }
}

bool check_order(Operator op, std::string_view left, std::string_view right) {
  if (const GoInt l = go_parse_int(left); l.ok) {
    if (const GoInt r = go_parse_int(right); r.ok) return ordered(op, l.value, r.value);
  }
  if (const auto l = go_parse_float(left)) {
    if (const auto r = go_parse_float(right)) return ordered(op, *l, *r);  // NaN: always false
  }
  return ordered(op, left, right);  // char_traits<char> compares as unsigned bytes, as Go does
}

// ---------------------------------------------------------------------------------------------
// hashicorp/go-version
// ---------------------------------------------------------------------------------------------

// Numeric segments, kept inline for the usual handful so a comparison does not allocate.
class Segments {
 public:
  void push_back(std::int64_t value) {
    if (spill_.empty() && size_ < inline_.size()) {
      inline_[size_] = value;
    } else {
      if (spill_.empty()) spill_.assign(inline_.begin(), inline_.end());
      spill_.push_back(value);
    }
    ++size_;
  }
  std::size_t size() const { return size_; }
  std::int64_t operator[](std::size_t i) const { return spill_.empty() ? inline_[i] : spill_[i]; }

  friend bool operator==(const Segments& a, const Segments& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  std::array<std::int64_t, 6> inline_{};
  std::vector<std::int64_t> spill_;
  std::size_t size_ = 0;
};

struct Version {
  Segments segments;        // padded with zeros to at least three, as go-version does
  std::size_t written = 0;  // segments as written (go-version's `si`, used by "~>")
  std::string_view pre;     // prerelease, a view into the parsed string; metadata is dropped
};

enum class Grammar {
  lenient,  // version.NewVersion: "1.7rc2" and "1.0-" are versions
  semver,   // version.NewSemver: a prerelease needs its '-' ("1.7-rc2")
};

bool is_ident_char(char c) {
  return is_alnum(c) || c == '-' || c == '~';
}
bool is_pre_lead(char c) {
  return is_alpha(c) || c == '-' || c == '~';
}

// Past `[0-9A-Za-z-~]*(\.[0-9A-Za-z-~]+)*` from `i`.
std::size_t scan_identifiers(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ident_char(s[i])) ++i;
  while (i + 1 < s.size() && s[i] == '.' && is_ident_char(s[i + 1])) {
    i += 2;
    while (i < s.size() && is_ident_char(s[i])) ++i;
  }
  return i;
}

// go-version's VersionRegexpRaw / SemverRegexpRaw, anchored, as a hand-written scanner:
//   v?  N(.N)*  ( -[0-9]ID | -?[A-Za-z-~]ID )?  ( +ID )?     (semver: the '-' is not optional)
// where the segments must fit in an int64.
std::optional<Version> parse_version(std::string_view s, Grammar grammar) {
  Version v;
  std::size_t i = 0;
  if (i < s.size() && s[i] == 'v') ++i;
  for (;;) {
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    const GoInt segment = go_parse_int(s.substr(start, i - start));
    if (!segment.ok) return std::nullopt;
    v.segments.push_back(segment.value);
    ++v.written;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }

  if (i < s.size() && s[i] == '-') {
    std::size_t start = i + 1;
    if (start < s.size() && (is_digit(s[start]) || is_pre_lead(s[start]))) {
      i = scan_identifiers(s, start + 1);
    } else if (grammar == Grammar::lenient) {
      // `-?` matches nothing and the '-' itself opens the prerelease: "1.0-" has prerelease "-".
      start = i;
      i = scan_identifiers(s, i + 1);
    } else {
      return std::nullopt;
    }
    v.pre = s.substr(start, i - start);
  } else if (grammar == Grammar::lenient && i < s.size() && is_pre_lead(s[i])) {
    const std::size_t start = i;
    i = scan_identifiers(s, i + 1);
    v.pre = s.substr(start, i - start);
  }

  if (i < s.size() && s[i] == '+') {
    if (i + 1 >= s.size() || !is_ident_char(s[i + 1])) return std::nullopt;
    i = scan_identifiers(s, i + 2);
  }
  if (i != s.size()) return std::nullopt;

  while (v.segments.size() < 3) v.segments.push_back(0);
  return v;
}

// go-version's comparePart. Not semver 2.0 in one respect: an identifier compared with a missing
// one is smaller only when it is numeric, so "alpha" > "alpha.beta" (go-version's own tests
// assert this) while "alpha" < "alpha.1".
int compare_prerelease_part(std::string_view self, std::string_view other) {
  if (self == other) return 0;
  const GoInt self_int = go_parse_int(self);
  const GoInt other_int = go_parse_int(other);
  if (self.empty()) return other_int.ok ? -1 : 1;
  if (other.empty()) return self_int.ok ? 1 : -1;
  if (self_int.ok && !other_int.ok) return -1;
  if (!self_int.ok && other_int.ok) return 1;
  if (!self_int.ok && !other_int.ok && self > other) return 1;
  if (self_int.value > other_int.value) return 1;
  return -1;
}

int compare_prereleases(std::string_view self, std::string_view other) {
  if (self == other) return 0;
  for (;;) {
    const std::size_t self_dot = self.find('.');
    const std::size_t other_dot = other.find('.');
    const int c = compare_prerelease_part(self.substr(0, self_dot), other.substr(0, other_dot));
    if (c != 0) return c;
    if (self_dot == std::string_view::npos && other_dot == std::string_view::npos) return 0;
    self = self_dot == std::string_view::npos ? std::string_view{} : self.substr(self_dot + 1);
    other = other_dot == std::string_view::npos ? std::string_view{} : other.substr(other_dot + 1);
  }
}

bool all_zero_from(const Segments& segments, std::size_t from) {
  for (std::size_t i = from; i < segments.size(); ++i) {
    if (segments[i] != 0) return false;
  }
  return true;
}

// go-version's Version.Compare. Prereleases are only looked at when the padded segment lists are
// identical, so "1.2.0.0-beta" compares equal to "1.2.0" (as in go-version).
int compare(const Version& self, const Version& other) {
  if (self.segments == other.segments) {
    if (self.pre.empty() && other.pre.empty()) return 0;
    if (self.pre.empty()) return 1;
    if (other.pre.empty()) return -1;
    return compare_prereleases(self.pre, other.pre);
  }
  const std::size_t n = std::max(self.segments.size(), other.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= self.segments.size()) return all_zero_from(other.segments, i) ? 0 : -1;
    if (i >= other.segments.size()) return all_zero_from(self.segments, i) ? 0 : 1;
    if (self.segments[i] != other.segments[i]) return self.segments[i] < other.segments[i] ? -1 : 1;
  }
  return 0;
}

// go-version's prereleaseCheck: a prerelease version only satisfies an ordering constraint that
// names a prerelease of the same segments.
bool prerelease_allowed(const Version& v, const Version& c) {
  const bool v_pre = !v.pre.empty();
  const bool c_pre = !c.pre.empty();
  if (c_pre && v_pre) return v.segments == c.segments;
  if (!c_pre && v_pre) return false;
  return true;
}

// go-version's "~>": at least the constraint, and the same leading segments but the last one
// written ("~> 1.2" is >= 1.2, < 2; "~> 1.2.3" is >= 1.2.3, < 1.3; "~> 1" is >= 1).
bool pessimistic(const Version& v, const Version& c) {
  if (!prerelease_allowed(v, c) || (!c.pre.empty() && v.pre.empty())) return false;
  if (compare(v, c) < 0) return false;
  const std::size_t cs = c.segments.size();
  if (cs > v.segments.size()) return false;
  for (std::size_t i = 0; i + 1 < c.written; ++i) {
    if (v.segments[i] != c.segments[i]) return false;
  }
  return c.segments[cs - 1] <= v.segments[cs - 1];
}

enum class VersionOp { equal, not_equal, greater, less, greater_equal, less_equal, pessimistic };

// Go regexp's \s, which the constraint grammar `^\s*(op)\s*(version)\s*$` uses: no \v.
bool is_go_regexp_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

std::string_view trim_go_regexp_space(std::string_view s) {
  while (!s.empty() && is_go_regexp_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_go_regexp_space(s.back())) s.remove_suffix(1);
  return s;
}

// One element of a constraint list: `\s*(op)\s*(version)\s*`. The operators are
// =, !=, >, <, >=, <=, and "~>" for go-version only; none means "=".
bool satisfies_single(std::string_view text, const Version& v, Grammar grammar) {
  text = trim_go_regexp_space(text);
  VersionOp op = VersionOp::equal;
  const auto take = [&text](std::string_view token) {
    if (!text.starts_with(token)) return false;
    text.remove_prefix(token.size());
    return true;
  };
  if (take(">=")) {
    op = VersionOp::greater_equal;
  } else if (take("<=")) {
    op = VersionOp::less_equal;
  } else if (take("!=")) {
    op = VersionOp::not_equal;
  } else if (grammar == Grammar::lenient && take("~>")) {
    op = VersionOp::pessimistic;
  } else if (take(">")) {
    op = VersionOp::greater;
  } else if (take("<")) {
    op = VersionOp::less;
  } else {
    take("=");
  }
  text = trim_go_regexp_space(text);

  const auto c = parse_version(text, grammar);
  if (!c) return false;

  // nomad's semver constraints order prereleases plainly; go-version's add prereleaseCheck.
  const bool pre_ok = grammar == Grammar::semver || prerelease_allowed(v, *c);
  switch (op) {
    case VersionOp::equal:
      return compare(v, *c) == 0;
    case VersionOp::not_equal:
      return compare(v, *c) != 0;
    case VersionOp::greater:
      return pre_ok && compare(v, *c) > 0;
    case VersionOp::less:
      return pre_ok && compare(v, *c) < 0;
    case VersionOp::greater_equal:
      return pre_ok && compare(v, *c) >= 0;
    case VersionOp::less_equal:
      return pre_ok && compare(v, *c) <= 0;
    case VersionOp::pessimistic:
      return pessimistic(v, *c);
  }
  return false;
}

// NewConstraint(list).Check(version). Go parses the whole list before checking; a malformed
// element and an unsatisfied one both make the result false, so checking while parsing (and
// stopping early) gives the same answer without allocating.
bool check_version_constraint(std::string_view version, std::string_view constraints,
                              Grammar grammar) {
  // checkVersionMatch parses the left side with version.NewVersion for both operators.
  const auto v = parse_version(version, Grammar::lenient);
  if (!v) return false;
  for (;;) {
    const std::size_t comma = constraints.find(',');
    if (!satisfies_single(constraints.substr(0, comma), *v, grammar)) return false;
    if (comma == std::string_view::npos) return true;
    constraints.remove_prefix(comma + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// regexp
// ---------------------------------------------------------------------------------------------

struct TranslatedRegexp {
  std::string pattern;
  std::regex::flag_type flags = std::regex::ECMAScript;
};

void append_literal(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (is_alnum(static_cast<char>(c)) || c >= 0x80) {
    out.push_back(static_cast<char>(c));
    return;
  }
  // \xHH is a literal both inside and outside a bracket expression.
  out += "\\x";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xF]);
}

bool is_hex_digit(char c) {
  return is_digit(c) || (to_lower(c) >= 'a' && to_lower(c) <= 'f');
}
int hex_value(char c) {
  return is_digit(c) ? c - '0' : to_lower(c) - 'a' + 10;
}

// A Go repetition `{n}`, `{n,}` or `{n,m}` at re[i] == '{'; returns its length, 0 if `{` is a
// literal there (Go's rule), or -1 if Go rejects the counts (over 1000, or min > max).
long go_repeat_length(std::string_view re, std::size_t i) {
  std::size_t j = i + 1;
  const auto number = [&](long& out) {
    if (j >= re.size() || !is_digit(re[j])) return false;
    if (re[j] == '0' && j + 1 < re.size() && is_digit(re[j + 1])) return false;  // no leading 0
    out = 0;
    for (; j < re.size() && is_digit(re[j]); ++j) out = std::min(out * 10 + (re[j] - '0'), 100000L);
    return true;
  };
  long min = 0;
  long max = 0;
  if (!number(min)) return 0;
  if (j < re.size() && re[j] == ',') {
    ++j;
    if (j < re.size() && is_digit(re[j])) {
      if (!number(max)) return 0;
    } else {
      max = -1;
    }
  } else {
    max = min;
  }
  if (j >= re.size() || re[j] != '}') return 0;
  if (min > 1000 || max > 1000 || (max >= 0 && min > max)) return -1;
  return static_cast<long>(j - i + 1);
}

// Go's RE2 syntax as ECMAScript std::regex, or nullopt when Go rejects the pattern or it uses Go
// syntax this translation does not carry over. What differs and is handled:
//   - a leading flag group "(?i)", "(?s)", "(?m)" (combinations too) becomes regex flags;
//   - '.' does not match "\n" only (ECMAScript also excludes "\r"); with (?s) it matches all;
//   - \s is [\t\n\f\r ] (no \v), \A and \z are ^ and $ (without (?m)), \a, \Q...\E, octal and
//     \x{...} escapes, escaped punctuation, (?P<name>...) and (?<name>...) groups;
//   - '{', '}' and ']' that are not syntax are literals, "[]a]" and "[^]a]" start with a literal
//     ']', "[[:word:]]" and "[[:ascii:]]" exist;
//   - Go errors stay errors: backreferences, lookarounds, stacked repetitions ("a**"), counts
//     over 1000, unknown escapes, an unterminated class.
// Not supported (nullopt, so the constraint is false): flags after the start or scoped "(?i:...)",
// the U flag, Unicode classes \pN, non-ASCII escapes. Matching is on bytes, so '.' and classes see
// one byte of a multi-byte UTF-8 character where Go sees the character.
std::optional<TranslatedRegexp> translate_go_regexp(std::string_view re) {
  TranslatedRegexp out;
  out.pattern.reserve(re.size() + 8);
  bool dot_all = false;
  bool multi_line = false;
  std::size_t i = 0;

  if (re.starts_with("(?")) {
    std::size_t j = 2;
    bool icase = false;
    while (j < re.size() && (re[j] == 'i' || re[j] == 's' || re[j] == 'm')) {
      icase |= re[j] == 'i';
      dot_all |= re[j] == 's';
      multi_line |= re[j] == 'm';
      ++j;
    }
    if (j > 2 && j < re.size() && re[j] == ')') {
      if (icase) out.flags |= std::regex::icase;
      if (multi_line) out.flags |= std::regex::multiline;
      i = j + 1;
    } else {
      dot_all = multi_line = false;  // not a bare flag group: the loop decides about it
    }
  }

  bool in_class = false;
  bool after_repeat = false;  // Go rejects a repetition operator applied to a repetition
  while (i < re.size()) {
    const char c = re[i];
    const bool was_repeat = after_repeat;
    after_repeat = false;

    if (c == '\\') {
      if (i + 1 >= re.size()) return std::nullopt;
      const char e = re[i + 1];
      i += 2;
      if (static_cast<unsigned char>(e) >= 0x80) return std::nullopt;
      if (!is_alnum(e)) {
        append_literal(out.pattern, static_cast<unsigned char>(e));
        continue;
      }
      switch (e) {
        case 'A':
        case 'z':
          if (in_class || multi_line) return std::nullopt;
          out.pattern.push_back(e == 'A' ? '^' : '$');
          continue;
        case 'b':
        case 'B':
          if (in_class) return std::nullopt;
          out.pattern += e == 'b' ? "\\b" : "\\B";
          continue;
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 'f':
        case 't':
        case 'n':
        case 'r':
        case 'v':
          out.pattern.push_back('\\');
          out.pattern.push_back(e);
          continue;
        case 'a':
          out.pattern += "\\x07";
          continue;
        case 's':
          out.pattern += in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
          continue;
        case 'S':
          if (in_class) return std::nullopt;
          out.pattern += "[^\\t\\n\\f\\r ]";
          continue;
        case 'x': {
          unsigned value = 0;
          if (i < re.size() && re[i] == '{') {
            std::size_t j = i + 1;
            for (; j < re.size() && is_hex_digit(re[j]); ++j) {
              value = std::min(value * 16 + static_cast<unsigned>(hex_value(re[j])), 0x110000U);
            }
            if (j == i + 1 || j >= re.size() || re[j] != '}') return std::nullopt;
            i = j + 1;
          } else {
            if (i + 1 >= re.size() || !is_hex_digit(re[i]) || !is_hex_digit(re[i + 1])) {
              return std::nullopt;
            }
            value = static_cast<unsigned>(hex_value(re[i]) * 16 + hex_value(re[i + 1]));
            i += 2;
          }
          if (value >= 0x80) return std::nullopt;  // a UTF-8 character, not one byte
          append_literal(out.pattern, static_cast<unsigned char>(value));
          continue;
        }
        case 'Q': {
          const std::size_t end = re.find("\\E", i);
          const std::size_t stop = end == std::string_view::npos ? re.size() : end;
          for (; i < stop; ++i) append_literal(out.pattern, static_cast<unsigned char>(re[i]));
          if (end != std::string_view::npos) i = end + 2;
          continue;
        }
        default:
          break;
      }
      if (e >= '0' && e <= '7') {
        // A lone \1..\7 is a backreference, which Go rejects; \0 and \NN(N) are octal.
        if (e != '0' && (i >= re.size() || re[i] < '0' || re[i] > '7')) return std::nullopt;
        unsigned value = static_cast<unsigned>(e - '0');
        for (int k = 0; k < 2 && i < re.size() && re[i] >= '0' && re[i] <= '7'; ++k, ++i) {
          value = value * 8 + static_cast<unsigned>(re[i] - '0');
        }
        if (value >= 0x80) return std::nullopt;
        append_literal(out.pattern, static_cast<unsigned char>(value));
        continue;
      }
      return std::nullopt;  // \8, \9, \p, \P, \C, \E, and letters Go does not know
    }

    if (in_class) {
      if (c == ']') {
        in_class = false;
        out.pattern.push_back(']');
        ++i;
      } else if (c == '[' && i + 1 < re.size() && re[i + 1] == ':' &&
                 re.find(":]", i + 2) != std::string_view::npos) {
        const std::size_t end = re.find(":]", i + 2);
        const std::string_view name = re.substr(i + 2, end - i - 2);
        static constexpr std::array<std::string_view, 12> kShared = {
            "alnum", "alpha", "blank", "cntrl", "digit", "graph",
            "lower", "print", "punct", "space", "upper", "xdigit"};
        if (name == "word") {
          out.pattern += "\\w";
        } else if (name == "ascii") {
          out.pattern += "\\x00-\\x7F";
        } else if (std::find(kShared.begin(), kShared.end(), name) != kShared.end()) {
          out.pattern += "[:";
          out.pattern += name;
          out.pattern += ":]";
        } else {
          return std::nullopt;  // unknown to Go, or negated ("[:^alpha:]"), unsupported here
        }
        i = end + 2;
      } else if (c == '[') {
        out.pattern += "\\[";  // a literal in Go; "[." and "[=" mean collation in ECMAScript
        ++i;
      } else {
        out.pattern.push_back(c);
        ++i;
      }
      continue;
    }

    switch (c) {
      case '[':
        in_class = true;
        out.pattern.push_back('[');
        ++i;
        if (i < re.size() && re[i] == '^') {
          out.pattern.push_back('^');
          ++i;
        }
        if (i < re.size() && re[i] == ']') {
          out.pattern += "\\]";
          ++i;
        }
        break;
      case '.':
        out.pattern += dot_all ? "[\\s\\S]" : "[^\\n]";
        ++i;
        break;
      case '(':
        if (i + 1 < re.size() && re[i + 1] == '?') {
          if (i + 2 < re.size() && re[i + 2] == ':') {
            out.pattern += "(?:";
            i += 3;
            break;
          }
          std::size_t name = std::string_view::npos;
          if (re.substr(i + 2).starts_with("P<")) {
            name = i + 4;
          } else if (re.substr(i + 2).starts_with("<")) {
            name = i + 3;
          }
          if (name == std::string_view::npos) return std::nullopt;  // flags, lookaround, (?P=
          std::size_t j = name;
          while (j < re.size() && (is_alnum(re[j]) || re[j] == '_')) ++j;
          if (j == name || j >= re.size() || re[j] != '>') return std::nullopt;
          out.pattern.push_back('(');
          i = j + 1;
          break;
        }
        out.pattern.push_back('(');
        ++i;
        break;
      case '*':
      case '+':
      case '?':
        if (was_repeat) return std::nullopt;
        out.pattern.push_back(c);
        ++i;
        if (i < re.size() && re[i] == '?') {
          out.pattern.push_back('?');
          ++i;
        }
        after_repeat = true;
        break;
      case '{': {
        const long length = go_repeat_length(re, i);
        if (length < 0) return std::nullopt;
        if (length == 0) {
          out.pattern += "\\{";
          ++i;
          break;
        }
        if (was_repeat) return std::nullopt;
        out.pattern.append(re.substr(i, static_cast<std::size_t>(length)));
        i += static_cast<std::size_t>(length);
        if (i < re.size() && re[i] == '?') {
          out.pattern.push_back('?');
          ++i;
        }
        after_repeat = true;
        break;
      }
      case '}':
      case ']':
        out.pattern.push_back('\\');
        out.pattern.push_back(c);
        ++i;
        break;
      default:
        out.pattern.push_back(c);
        ++i;
        break;
    }
  }
  if (in_class) return std::nullopt;
  return out;
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Compiled patterns, per thread as nomad keeps one cache per scheduler context. Invalid patterns
// are cached too (as nullopt) so a bad job does not recompile them for every node. The map is
// bounded: it is dropped whole when full, which costs recompiling the patterns still in use.
constexpr std::size_t kRegexpCacheLimit = 256;

const std::regex* compiled_regexp(std::string_view pattern) {
  thread_local std::unordered_map<std::string, std::optional<std::regex>, StringHash,
                                  std::equal_to<>>
      cache;
  if (const auto it = cache.find(pattern); it != cache.end()) {
    return it->second ? &*it->second : nullptr;
  }
  if (cache.size() >= kRegexpCacheLimit) cache.clear();

  std::optional<std::regex> compiled;
  if (const auto translated = translate_go_regexp(pattern)) {
    try {
      compiled.emplace(translated->pattern, translated->flags);
    } catch (const std::regex_error&) {
      compiled.reset();
    }
  }
  const auto& entry = cache.emplace(std::string(pattern), std::move(compiled)).first->second;
  return entry ? &*entry : nullptr;
}

bool check_regexp(std::string_view value, std::string_view pattern) {
  const std::regex* re = compiled_regexp(pattern);
  if (re == nullptr) return false;
  try {
    return std::regex_search(value.begin(), value.end(), *re);
  } catch (const std::regex_error&) {
    return false;  // error_complexity / error_stack: no match rather than a failed scheduler
  }
}

// ---------------------------------------------------------------------------------------------
// Sets
// ---------------------------------------------------------------------------------------------

// Go's unicode.IsSpace beyond Latin-1 is the White_Space property; those characters are all
// three bytes long in UTF-8. Returns 3 for one of them, else 0.
std::size_t space_length_3(unsigned char a, unsigned char b, unsigned char c) {
  if (a == 0xE1 && b == 0x9A && c == 0x80) return 3;  // U+1680
  if (a == 0xE2 && b == 0x80) {
    // U+2000..U+200A, U+2028, U+2029, U+202F
    if ((c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF) return 3;
  }
  if (a == 0xE2 && b == 0x81 && c == 0x9F) return 3;  // U+205F
  if (a == 0xE3 && b == 0x80 && c == 0x80) return 3;  // U+3000
  return 0;
}

bool is_ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Length of the white space character (ASCII, U+0085, U+00A0 or the above) that starts or ends s.
std::size_t leading_space(std::string_view s) {
  const auto u = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.empty()) return 0;
  if (is_ascii_space(u(0))) return 1;
  if (s.size() >= 2 && u(0) == 0xC2 && (u(1) == 0x85 || u(1) == 0xA0)) return 2;
  if (s.size() >= 3) return space_length_3(u(0), u(1), u(2));
  return 0;
}

std::size_t trailing_space(std::string_view s) {
  const std::size_t n = s.size();
  const auto u = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (n == 0) return 0;
  if (is_ascii_space(u(n - 1))) return 1;
  if (n >= 2 && u(n - 2) == 0xC2 && (u(n - 1) == 0x85 || u(n - 1) == 0xA0)) return 2;
  if (n >= 3) return space_length_3(u(n - 3), u(n - 2), u(n - 1));
  return 0;
}

// strings.TrimSpace.
std::string_view go_trim_space(std::string_view s) {
  while (const std::size_t n = leading_space(s)) s.remove_prefix(n);
  while (const std::size_t n = trailing_space(s)) s.remove_suffix(n);
  return s;
}

// Calls f on each trimmed element of strings.Split(list, ",") until f returns false; returns
// whether it ran to the end.
template <typename F>
bool for_each_element(std::string_view list, F&& f) {
  for (;;) {
    const std::size_t comma = list.find(',');
    if (!f(go_trim_space(list.substr(0, comma)))) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

// checkSetContainsAll (any = false) and checkSetContainsAny (any = true). Small sets are scanned
// pairwise without allocating; large ones go through a hash set of the left side.
bool set_contains(std::string_view left, std::string_view right, bool any) {
  const std::size_t pairs =
      (static_cast<std::size_t>(std::count(left.begin(), left.end(), ',')) + 1) *
      (static_cast<std::size_t>(std::count(right.begin(), right.end(), ',')) + 1);
  std::unordered_set<std::string_view> lookup;
  const bool hashed = pairs > 256;
  if (hashed) {
    for_each_element(left, [&lookup](std::string_view e) {
      lookup.insert(e);
      return true;
    });
  }
  const auto in_left = [&](std::string_view wanted) {
    if (hashed) return lookup.contains(wanted);
    return !for_each_element(left, [wanted](std::string_view e) { return e != wanted; });
  };
  if (any) return !for_each_element(right, [&](std::string_view r) { return !in_left(r); });
  return for_each_element(right, [&](std::string_view r) { return in_left(r); });
}

}  // namespace

std::optional<Operator> parse_operator(std::string_view operand) {
  struct Spelling {
    std::string_view text;
    Operator op;
  };
  static constexpr Spelling kSpellings[] = {
      {"", Operator::equal},  // nomad's jobspec fills in "=" when the operator is left out
      {"=", Operator::equal},
      {"==", Operator::equal},
      {"is", Operator::equal},
      {"!=", Operator::not_equal},
      {"not", Operator::not_equal},
      {"<", Operator::less},
      {"<=", Operator::less_equal},
      {">", Operator::greater},
      {">=", Operator::greater_equal},
      {"regexp", Operator::regexp},
      {"version", Operator::version},
      {"semver", Operator::semver},
      {"set_contains", Operator::set_contains},
      {"set_contains_all", Operator::set_contains_all},
      {"set_contains_any", Operator::set_contains_any},
      {"is_set", Operator::is_set},
      {"is_not_set", Operator::is_not_set},
      {"distinct_hosts", Operator::distinct_hosts},
      {"distinct_property", Operator::distinct_property},
  };
  for (const Spelling& s : kSpellings) {
    if (s.text == operand) return s.op;
  }
  return std::nullopt;
}

const char* operator_name(Operator op) {
  switch (op) {
    case Operator::equal:
      return "=";
    case Operator::not_equal:
      return "!=";
    case Operator::less:
      return "<";
    case Operator::less_equal:
      return "<=";
    case Operator::greater:
      return ">";
    case Operator::greater_equal:
      return ">=";
    case Operator::regexp:
      return "regexp";
    case Operator::version:
      return "version";
    case Operator::semver:
      return "semver";
    case Operator::set_contains:
      return "set_contains";
    case Operator::set_contains_all:
      return "set_contains_all";
    case Operator::set_contains_any:
      return "set_contains_any";
    case Operator::is_set:
      return "is_set";
    case Operator::is_not_set:
      return "is_not_set";
    case Operator::distinct_hosts:
      return "distinct_hosts";
    case Operator::distinct_property:
      return "distinct_property";
  }
  return "?";
}

bool check_operator(Operator op, const std::optional<std::string>& left,
                    const std::optional<std::string>& right) {
  const bool both = left.has_value() && right.has_value();
  switch (op) {
    case Operator::distinct_hosts:
    case Operator::distinct_property:
      return true;
    case Operator::equal:
      return both && *left == *right;
    case Operator::not_equal: {
      // nomad resolves a missing target to "" and compares with reflect.DeepEqual, so missing
      // equals missing, and also equals a target that is set to "".
      const std::string_view l = left ? std::string_view(*left) : std::string_view();
      const std::string_view r = right ? std::string_view(*right) : std::string_view();
      return l != r;
    }
    case Operator::less:
    case Operator::less_equal:
    case Operator::greater:
    case Operator::greater_equal:
      return both && check_order(op, *left, *right);
    case Operator::is_set:
      return left.has_value();
    case Operator::is_not_set:
      return !left.has_value();
    case Operator::version:
      return both && check_version_constraint(*left, *right, Grammar::lenient);
    case Operator::semver:
      return both && check_version_constraint(*left, *right, Grammar::semver);
    case Operator::regexp:
      return both && check_regexp(*left, *right);
    case Operator::set_contains:
    case Operator::set_contains_all:
      return both && set_contains(*left, *right, /*any=*/false);
    case Operator::set_contains_any:
      return both && set_contains(*left, *right, /*any=*/true);
  }
  return false;
}

std::optional<int> compare_versions(std::string_view a, std::string_view b, bool strict) {
  const Grammar grammar = strict ? Grammar::semver : Grammar::lenient;
  const auto va = parse_version(a, grammar);
  if (!va) return std::nullopt;
  const auto vb = parse_version(b, grammar);
  if (!vb) return std::nullopt;
  return compare(*va, *vb);
}

}  // namespace warden::sched
