#include "printf_number.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>

namespace warden::hcl::fn {

namespace {

namespace mp = boost::multiprecision;
// The representation number.cpp uses: parsing a number's text at this precision gives back the
// exact binary value, whose exact decimal expansion Go rounds when it prints with a precision.
using BigFloat = mp::number<mp::cpp_bin_float<512, mp::digit_base_2>, mp::et_off>;

// A decimal 0.mant × 10^exp with no trailing zeros in mant (Go's math/big decimal).
struct Decimal {
  std::string mant;
  int exp = 0;
  char at(int i) const {
    return i >= 0 && i < static_cast<int>(mant.size()) ? mant[static_cast<size_t>(i)] : '0';
  }
};

void trim(Decimal& d) {
  while (!d.mant.empty() && d.mant.back() == '0') d.mant.pop_back();
  if (d.mant.empty()) d.exp = 0;
}

// Digits "ddd" with the decimal point `point` places from the left.
Decimal make_decimal(std::string digits, long point) {
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  Decimal d;
  d.mant = digits.substr(lead);
  d.exp = static_cast<int>(point - static_cast<long>(lead));
  trim(d);
  return d;
}

// The shortest decimal that reads back as the number (what Go uses without a precision).
Decimal shortest_decimal(const Number& n) {
  std::string s = n.abs().to_string();
  size_t dot = s.find('.');
  if (dot == std::string::npos) return make_decimal(s, static_cast<long>(s.size()));
  return make_decimal(s.substr(0, dot) + s.substr(dot + 1), static_cast<long>(dot));
}

// The exact decimal expansion of the number's binary value.
Decimal exact_decimal(const Number& n) {
  if (n.is_small()) return shortest_decimal(n);
  BigFloat v(n.abs().to_string());
  if (v == 0) return {};
  int e = 0;
  BigFloat m = mp::frexp(v, &e);  // v = m × 2^e, 0.5 <= m < 1
  mp::cpp_int mant = mp::ldexp(m, 512).convert_to<mp::cpp_int>();
  long e2 = static_cast<long>(e) - 512;
  if (e2 >= 0) {
    mp::cpp_int shifted = mant << static_cast<unsigned>(e2);
    std::string digits = shifted.str();
    return make_decimal(digits, static_cast<long>(digits.size()));
  }
  // mant × 2^e2 = mant × 5^-e2 × 10^e2
  mp::cpp_int scaled = mant * mp::pow(mp::cpp_int(5), static_cast<unsigned>(-e2));
  std::string digits = scaled.str();
  return make_decimal(digits, static_cast<long>(digits.size()) + e2);
}

// Go's decimal rounding: to n digits, half to even only on an exact tie.
void round_to(Decimal& d, int n) {
  if (n < 0 || n >= static_cast<int>(d.mant.size())) return;
  auto un = static_cast<size_t>(n);
  bool up;
  if (d.mant[un] == '5' && un + 1 == d.mant.size()) {
    up = n > 0 && ((d.mant[un - 1] - '0') & 1) != 0;
  } else {
    up = d.mant[un] >= '5';
  }
  if (!up) {
    d.mant.resize(un);
    trim(d);
    return;
  }
  while (un > 0 && d.mant[un - 1] == '9') --un;
  if (un == 0) {
    d.mant = "1";
    ++d.exp;
    return;
  }
  d.mant[un - 1]++;
  d.mant.resize(un);
}

std::string fmt_e(const Decimal& d, char verb, int prec) {
  std::string out(1, d.mant.empty() ? '0' : d.mant[0]);
  if (prec > 0) {
    out += '.';
    for (int i = 1; i <= prec; ++i) out += d.at(i);
  }
  out += verb;
  long exp = d.mant.empty() ? 0 : d.exp - 1;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  if (exp < 10) out += '0';
  return out + std::to_string(exp);
}

std::string fmt_f(const Decimal& d, int prec) {
  std::string out;
  if (d.exp > 0) {
    for (int i = 0; i < d.exp; ++i) out += d.at(i);
  } else {
    out = "0";
  }
  if (prec > 0) {
    out += '.';
    for (int i = 0; i < prec; ++i) out += d.at(d.exp + i);
  }
  return out;
}

// big.Float.Text(verb, prec) without the sign; prec < 0 means shortest.
std::string float_text(const Number& n, char verb, int prec) {
  if (n.is_infinite()) return "Inf";
  bool shortest = prec < 0;
  Decimal d = shortest ? shortest_decimal(n) : exact_decimal(n);
  char lower = static_cast<char>(verb | 0x20);
  if (shortest) {
    int len = static_cast<int>(d.mant.size());
    prec = lower == 'e' ? len - 1 : lower == 'f' ? std::max(len - d.exp, 0) : len;
  } else if (lower == 'e') {
    round_to(d, 1 + prec);
  } else if (lower == 'f') {
    round_to(d, d.exp + prec);
  } else {
    if (prec == 0) prec = 1;
    round_to(d, prec);
  }
  if (lower == 'e') return fmt_e(d, verb, prec);
  if (lower == 'f') return fmt_f(d, prec);
  int len = static_cast<int>(d.mant.size());
  int eprec = prec;
  if (eprec > len && len >= d.exp) eprec = len;
  if (shortest) eprec = 6;
  int exp = d.exp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > len) prec = len;
    return fmt_e(d, verb == 'G' ? 'E' : 'e', prec - 1);
  }
  if (prec > d.exp) prec = len;
  return fmt_f(d, std::max(prec - d.exp, 0));
}

std::string repeat(char c, int n) {
  return n > 0 ? std::string(static_cast<size_t>(n), c) : std::string();
}

}  // namespace

std::string shortest_g(const Number& n) {
  return float_text(n, 'g', -1);
}

// Go's fmt with a *big.Float: sign, then padding as Float.Format does it.
std::string printf_float(const PrintfSpec& v, char verb, const Number& n) {
  // Without a precision Go prints %e and %f with six digits and %g as short as possible.
  int prec = v.prec >= 0 ? v.prec : (verb == 'g' || verb == 'G') ? -1 : 6;
  std::string body = float_text(n, verb, prec);
  std::string sign;
  if (n.sign() < 0) {
    sign = "-";
  } else if (n.is_infinite()) {
    sign = v.space ? " " : "+";
  } else if (v.plus) {
    sign = "+";
  } else if (v.space) {
    sign = " ";
  }
  int pad = v.width > static_cast<int>(sign.size() + body.size())
                ? v.width - static_cast<int>(sign.size() + body.size())
                : 0;
  if (v.zero && !n.is_infinite()) return sign + repeat('0', pad) + body;
  if (v.minus) return sign + body + repeat(' ', pad);
  return repeat(' ', pad) + sign + body;
}

// Go's fmt with a *big.Int.
std::string printf_int(const PrintfSpec& v, char verb, const Number& n) {
  mp::cpp_int i(n.abs().to_string());
  std::string digits;
  int base = verb == 'b' ? 2 : verb == 'o' ? 8 : verb == 'd' ? 10 : 16;
  if (i == 0) {
    digits = "0";
  } else {
    const char* alphabet = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    while (i > 0) {
      digits += alphabet[static_cast<int>(i % base)];
      i /= base;
    }
    std::reverse(digits.begin(), digits.end());
  }
  std::string sign = n.sign() < 0 ? "-" : v.plus ? "+" : v.space ? " " : "";
  std::string prefix;
  if (v.sharp) {
    prefix = verb == 'b' ? "0b" : verb == 'o' ? "0" : verb == 'x' ? "0x" : verb == 'X' ? "0X" : "";
  }
  int zeros = 0, left = 0, right = 0;
  if (v.prec >= 0) {
    if (static_cast<int>(digits.size()) < v.prec) {
      zeros = v.prec - static_cast<int>(digits.size());
    } else if (digits == "0" && v.prec == 0) {
      return "";  // zero with precision 0 prints nothing
    }
  }
  int length = static_cast<int>(sign.size() + prefix.size() + digits.size()) + zeros;
  if (v.width > length) {
    int d = v.width - length;
    if (v.minus) {
      right = d;
    } else if (v.zero && v.prec < 0) {
      zeros = d;
    } else {
      left = d;
    }
  }
  return repeat(' ', left) + sign + prefix + repeat('0', zeros) + digits + repeat(' ', right);
}

}  // namespace warden::hcl::fn
