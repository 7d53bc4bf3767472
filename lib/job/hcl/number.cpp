// Numbers beyond int64 use Boost.Multiprecision's cpp_bin_float with a 512-bit mantissa, the
// precision go-cty gives big.Float when it parses a number.
#include "warden/job/hcl/number.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <charconv>
#include <cmath>
#include <limits>

namespace warden::hcl {

namespace mp = boost::multiprecision;
using BigFloat = mp::number<mp::cpp_bin_float<512, mp::digit_base_2>, mp::et_off>;

struct Number::Big {
  BigFloat v;
};

namespace {

constexpr size_t kMaxLiteral = 4096;  // longer literals are not numbers a job would hold

BigFloat to_big(const Number& n, const std::shared_ptr<const Number::Big>& big, int64_t small) {
  (void)n;
  if (big) return big->v;
  return BigFloat(small);
}

bool fits_int64(const BigFloat& v) {
  static const BigFloat lo(std::numeric_limits<int64_t>::min());
  static const BigFloat hi(std::numeric_limits<int64_t>::max());
  return v >= lo && v <= hi;
}

}  // namespace

Number::Number(std::shared_ptr<const Big> big) : big_(std::move(big)) {}

Number Number::normalize(Big&& b) {
  if (!mp::isinf(b.v) && !mp::isnan(b.v) && b.v == mp::trunc(b.v) && fits_int64(b.v)) {
    return Number(b.v.convert_to<int64_t>());
  }
  return Number(std::make_shared<const Big>(std::move(b)));
}

std::optional<Number> Number::parse(std::string_view s) {
  if (s.empty() || s.size() > kMaxLiteral) return std::nullopt;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  // Validate the syntax ourselves: digits [. digits] [e [+-] digits], or . digits.
  size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++int_digits;
  bool has_point = false, has_exp = false;
  if (i < body.size() && body[i] == '.') {
    has_point = true;
    ++i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  long exponent = 0;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    has_exp = true;
    ++i;
    bool eneg = false;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) eneg = body[i++] == '-';
    size_t start = i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
      if (exponent < 100000000) exponent = exponent * 10 + (body[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    if (eneg) exponent = -exponent;
  }
  if (i != body.size()) return std::nullopt;

  if (!has_point && !has_exp && int_digits <= 18) {
    int64_t v = 0;
    std::from_chars(body.data(), body.data() + body.size(), v);
    return Number(neg ? -v : v);
  }
  if (exponent > 1000000 || exponent < -1000000) return std::nullopt;
  Big b;
  try {
    b.v = BigFloat(std::string(body));
  } catch (...) {
    return std::nullopt;
  }
  if (neg) b.v = -b.v;
  return normalize(std::move(b));
}

Number Number::from_double(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
    return Number(static_cast<int64_t>(d));
  Big b;
  b.v = BigFloat(d);
  return normalize(std::move(b));
}

Number Number::infinity(bool negative) {
  Big b;
  b.v = std::numeric_limits<BigFloat>::infinity();
  if (negative) b.v = -b.v;
  return Number(std::make_shared<const Big>(std::move(b)));
}

bool Number::is_whole() const {
  if (!big_) return true;
  return !mp::isinf(big_->v) && big_->v == mp::trunc(big_->v);
}

bool Number::is_infinite() const {
  return big_ && mp::isinf(big_->v);
}

int Number::sign() const {
  if (!big_) return small_ < 0 ? -1 : small_ > 0 ? 1 : 0;
  return big_->v.sign();
}

std::optional<int64_t> Number::to_int64() const {
  if (!big_) return small_;
  return std::nullopt;  // normalized: a whole big number never fits int64
}

double Number::to_double() const {
  if (!big_) return static_cast<double>(small_);
  return big_->v.convert_to<double>();
}

std::string Number::to_string() const {
  if (!big_) return std::to_string(small_);
  const BigFloat& v = big_->v;
  if (mp::isinf(v)) return v.sign() < 0 ? "-Inf" : "+Inf";
  // Below 2^512 a whole number is exact and its digits are the shortest form; beyond, the
  // mantissa no longer reaches the units and the shortest form ends in zeros ("1e300" is a 1 and
  // 300 zeros, not the binary value's digits).
  static const BigFloat exact_limit = mp::ldexp(BigFloat(1), 512);
  if (v == mp::trunc(v) && mp::abs(v) < exact_limit) {
    mp::cpp_int i = v.convert_to<mp::cpp_int>();
    return i.str();
  }
  // The shortest number of significant digits that reads back as the same value. Round-tripping
  // is monotonic in the digit count, so a binary search finds it. (str(d) in the default format
  // means d significant digits; scientific format would treat 0 as "all digits".)
  auto text = [&](int digits) { return v.str(digits); };
  int lo = 1, hi = 160;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (BigFloat(text(mid)) == v)
      hi = mid;
    else
      lo = mid + 1;
  }
  // Rewrite "d.ddde-x" / "ddd.dd" into positional notation, as Go's 'f' format prints.
  std::string s = text(lo);
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  long exp10 = 0;
  if (size_t e = s.find_first_of("eE"); e != std::string::npos) {
    exp10 = std::stol(s.substr(e + 1));
    s.resize(e);
  }
  size_t point = s.find('.');
  std::string digits = point == std::string::npos ? s : s.substr(0, point) + s.substr(point + 1);
  long int_len = static_cast<long>(point == std::string::npos ? s.size() : point) + exp10;
  size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) return "0";
  int_len -= static_cast<long>(lead);
  digits.erase(0, lead);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  if (int_len <= 0) {
    out = "0." + std::string(static_cast<size_t>(-int_len), '0') + digits;
  } else if (static_cast<size_t>(int_len) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(int_len) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(int_len)) + "." +
          digits.substr(static_cast<size_t>(int_len));
  }
  return neg ? "-" + out : out;
}

Number Number::operator-() const {
  if (!big_ && small_ != std::numeric_limits<int64_t>::min()) return Number(-small_);
  Big b{-to_big(*this, big_, small_)};
  return normalize(std::move(b));
}

Number operator+(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_add_overflow(a.small_, b.small_, &r)) return Number(r);
  Number::Big x{to_big(a, a.big_, a.small_) + to_big(b, b.big_, b.small_)};
  return Number::normalize(std::move(x));
}

Number operator-(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_sub_overflow(a.small_, b.small_, &r)) return Number(r);
  Number::Big x{to_big(a, a.big_, a.small_) - to_big(b, b.big_, b.small_)};
  return Number::normalize(std::move(x));
}

Number operator*(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_mul_overflow(a.small_, b.small_, &r)) return Number(r);
  Number::Big x{to_big(a, a.big_, a.small_) * to_big(b, b.big_, b.small_)};
  return Number::normalize(std::move(x));
}

std::optional<Number> Number::divide(const Number& a, const Number& b) {
  if (b.sign() == 0) {
    if (a.sign() == 0) return std::nullopt;
    return infinity(a.sign() < 0);
  }
  if (!a.big_ && !b.big_ && b.small_ != 0 && a.small_ % b.small_ == 0 &&
      !(a.small_ == std::numeric_limits<int64_t>::min() && b.small_ == -1)) {
    return Number(a.small_ / b.small_);
  }
  BigFloat x = to_big(a, a.big_, a.small_), y = to_big(b, b.big_, b.small_);
  if (mp::isinf(x) && mp::isinf(y)) return std::nullopt;
  Big r{x / y};
  return normalize(std::move(r));
}

std::optional<Number> Number::modulo(const Number& a, const Number& b) {
  // cty checks infinities first and abuses multiply to get an infinity of the right sign; zero
  // times infinity is its "can't use modulo with zero and infinity" error.
  if (a.is_infinite() || b.is_infinite()) {
    if (a.sign() == 0 || b.sign() == 0) return std::nullopt;
    return a * b;
  }
  if (b.sign() == 0) return a;
  if (!a.big_ && !b.big_) {
    if (b.small_ == -1) return Number(0);
    return Number(a.small_ % b.small_);
  }
  BigFloat x = to_big(a, a.big_, a.small_), y = to_big(b, b.big_, b.small_);
  BigFloat q = mp::trunc(x / y);
  Big r{x - y * q};
  return normalize(std::move(r));
}

Number Number::abs() const {
  return sign() < 0 ? -*this : *this;
}

Number Number::floor() const {
  if (!big_ || mp::isinf(big_->v)) return *this;
  Big b{mp::floor(big_->v)};
  return normalize(std::move(b));
}

Number Number::ceil() const {
  if (!big_ || mp::isinf(big_->v)) return *this;
  Big b{mp::ceil(big_->v)};
  return normalize(std::move(b));
}

std::strong_ordering Number::compare(const Number& o) const {
  if (!big_ && !o.big_) return small_ <=> o.small_;
  BigFloat x = to_big(*this, big_, small_), y = to_big(o, o.big_, o.small_);
  if (x < y) return std::strong_ordering::less;
  if (x > y) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace warden::hcl
