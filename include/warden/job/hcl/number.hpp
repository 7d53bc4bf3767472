// HCL numbers: arbitrary-precision like cty's (binary floating point with a 512-bit mantissa),
// with a fast path for the small integers job files are made of.
//
// The precision matters: the HCL spec suite checks 60-digit literals and arithmetic, and a job
// file's `3.14159265358979323846264338327950288419716939937510582097494459` must survive a round
// trip. The big representation lives behind a pointer so that only number.cpp sees
// Boost.Multiprecision.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace warden::hcl {

class Number {
 public:
  Number() = default;
  explicit Number(int64_t v) : small_(v) {}

  // Parses a decimal number as cty does: optional sign, digits, optional fraction and exponent.
  // Rejects anything else (hex, inf, nan, empty).
  static std::optional<Number> parse(std::string_view text);
  static Number from_double(double d);
  static Number infinity(bool negative);

  bool is_small() const { return !big_; }
  bool is_whole() const;
  bool is_infinite() const;
  int sign() const;  // -1, 0, 1
  // The value as an int64 if it is whole and in range.
  std::optional<int64_t> to_int64() const;
  double to_double() const;
  // Go's big.Float.Text('f', -1): the shortest decimal text that reads back as the same number,
  // never in exponent form ("1.5", "100000000000000000000", "0.1").
  std::string to_string() const;

  Number operator-() const;
  friend Number operator+(const Number& a, const Number& b);
  friend Number operator-(const Number& a, const Number& b);
  friend Number operator*(const Number& a, const Number& b);
  // Division by zero gives an infinity, as big.Float does; 0/0 gives nullopt.
  static std::optional<Number> divide(const Number& a, const Number& b);
  // cty's modulo: a - b * trunc(a / b); modulo by zero gives a.
  static std::optional<Number> modulo(const Number& a, const Number& b);
  Number abs() const;
  Number floor() const;
  Number ceil() const;

  std::strong_ordering compare(const Number& o) const;
  friend bool operator==(const Number& a, const Number& b) { return a.compare(b) == 0; }
  friend std::strong_ordering operator<=>(const Number& a, const Number& b) { return a.compare(b); }

  struct Big;  // defined in number.cpp

 private:
  explicit Number(std::shared_ptr<const Big> big);
  static Number normalize(Big&& b);

  int64_t small_ = 0;
  std::shared_ptr<const Big> big_;  // set when the value is not a small integer
};

}  // namespace warden::hcl
