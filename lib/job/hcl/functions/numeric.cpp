// The numeric functions: go-cty's stdlib number.go and sequence.go's range.
#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>

#include "common.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

const Type kNumber = Type::number();

// pow and log compute in float64; Go panics when the result is NaN (big.Float cannot hold it).
CallResult float_result(double d) {
  if (std::isnan(d))
    return CallResult::fail("panic in function implementation: Float.SetFloat64(NaN)");
  return CallResult::ok(Value::number(from_float64(d)));
}

CallResult extreme(std::span<const Value> a, bool want_max) {
  if (a.empty()) return CallResult::fail("must pass at least one number");
  const Value* best = &a[0];
  for (const auto& v : a.subspan(1)) {
    auto c = v.as_number() <=> best->as_number();
    if (want_max ? c > 0 : c < 0) best = &v;
  }
  return CallResult::ok(*best);
}

// Go's big.Int.SetString(s, base) for 2 <= base <= 62.
std::optional<Number> parse_int(std::string_view s, int base) {
  namespace mp = boost::multiprecision;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  mp::cpp_int v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      d = base <= 36 ? c - 'A' + 10 : c - 'A' + 36;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    v = v * base + d;
  }
  if (neg) v = -v;
  if (v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max()) {
    return Number(v.convert_to<int64_t>());
  }
  return Number::parse(v.str());
}

CallResult parseint(std::span<const Value> a) {
  if (a[0].type().kind() != Type::Kind::string) {
    return CallResult::bad_arg(
        0, "first argument must be a string, not " + a[0].type().friendly_name());
  }
  auto base = to_int(a[1]);
  if (!base) return CallResult::bad_arg(1, std::string(kWholeNumber));
  if (*base < 2 || *base > 62)
    return CallResult::bad_arg(1, "base must be a whole number between 2 and 62 inclusive");
  const std::string& s = a[0].as_string();
  auto n = parse_int(s, static_cast<int>(*base));
  if (!n)
    return CallResult::bad_arg(
        0, "cannot parse " + go_quote(s) + " as a base " + std::to_string(*base) + " integer");
  return CallResult::ok(Value::number(*n));
}

CallResult range(std::span<const Value> a) {
  Number start(0), end(0), step(1);
  switch (a.size()) {
    case 1:
      end = a[0].as_number();
      if (end.sign() < 0) step = Number(-1);
      break;
    case 2:
      start = a[0].as_number();
      end = a[1].as_number();
      if (end < start) step = Number(-1);
      break;
    case 3:
      start = a[0].as_number();
      end = a[1].as_number();
      step = a[2].as_number();
      break;
    default:
      return CallResult::fail("must have one, two, or three arguments");
  }
  if (step.sign() == 0) return CallResult::bad_arg(2, "step must not be zero");
  bool down = step.sign() < 0;
  if (down && end > start)
    return CallResult::bad_arg(1, "end must be less than start when step is negative");
  if (!down && end < start)
    return CallResult::bad_arg(1, "end must be greater than start when step is positive");

  std::vector<Value> out;
  for (Number v = start; down ? v > end : v < end; v = v + step) {
    if (out.size() >= 1024) {
      return CallResult::fail(
          "more than 1024 values were generated; either decrease the difference between start and "
          "end or use a "
          "smaller step");
    }
    out.push_back(Value::number(v));
  }
  return CallResult::ok(Value::list(std::move(out), kNumber));
}

}  // namespace

void add_numeric_functions(FunctionTable& t) {
  t.add("abs", fixed({param("num", kNumber)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::number(a[0].as_number().abs()));
        }));
  t.add("ceil", fixed({param("num", kNumber)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::number(a[0].as_number().ceil()));
        }));
  t.add("floor", fixed({param("num", kNumber)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::number(a[0].as_number().floor()));
        }));
  t.add("log", fixed({param("num", kNumber), param("base", kNumber)}, [](std::span<const Value> a) {
          return float_result(std::log(a[0].as_number().to_double()) /
                              std::log(a[1].as_number().to_double()));
        }));
  t.add("pow",
        fixed({param("num", kNumber), param("power", kNumber)}, [](std::span<const Value> a) {
          return float_result(std::pow(a[0].as_number().to_double(), a[1].as_number().to_double()));
        }));
  t.add("signum", fixed({param("num", kNumber)}, [](std::span<const Value> a) {
          auto n = to_int(a[0]);
          if (!n) return CallResult::fail(std::string(kWholeNumber));
          return CallResult::ok(Value::number(*n < 0 ? -1 : *n > 0 ? 1 : 0));
        }));
  t.add("max", variadic({}, param("numbers", kNumber),
                        [](std::span<const Value> a) { return extreme(a, true); }));
  t.add("min", variadic({}, param("numbers", kNumber),
                        [](std::span<const Value> a) { return extreme(a, false); }));
  t.add("parseint", fixed({param("number", Type::dynamic()), param("base", kNumber)}, parseint));
  t.add("range", variadic({}, param("params", kNumber), range));
}

}  // namespace warden::hcl
