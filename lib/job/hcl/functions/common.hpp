// Helpers shared by the function families (private to lib/job/hcl/functions).
#pragma once

#include "warden/core/base64.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/job/hcl/function.hpp"

namespace warden::hcl::fn {

inline Param param(std::string name, Type type, bool allow_null = false) {
  return Param{std::move(name), std::move(type), allow_null};
}

// A function of fixed parameters.
inline Function fixed(std::vector<Param> params,
                      std::function<CallResult(std::span<const Value>)> impl) {
  return Function{std::move(params), std::nullopt, std::move(impl), false};
}

// A function with a variadic tail.
inline Function variadic(std::vector<Param> params, Param var,
                         std::function<CallResult(std::span<const Value>)> impl) {
  return Function{std::move(params), std::move(var), std::move(impl), false};
}

// What gocty says when a number does not fit a Go int.
inline constexpr std::string_view kWholeNumber =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

// The number as a Go int, if it is whole and in range.
std::optional<int64_t> to_int(const Value& v);

// cty's NumberFloatVal: Go keeps the 53-bit precision of a float64 result (pow, log), so its
// text is the shortest that reads back as the same double ("1.4142135623730951").
Number from_float64(double d);

// Go's strconv.Quote (what %q formats a string as).
std::string go_quote(std::string_view s);
// Go's strconv.QuoteRune (what %q formats a rune as): 'x', '\n', '\u00a0'.
std::string go_quote_rune(char32_t c);

// Extended grapheme clusters (UAX #29), the "characters" cty counts in strlen, substr, ...
std::vector<std::string_view> graphemes(std::string_view s);
size_t grapheme_count(std::string_view s);

// A list(string) value (empty lists keep the string element type).
Value string_list(const std::vector<std::string>& items);

// Standard base64, as Go's base64.StdEncoding (shared with the rest of warden).
using warden::base64_decode;
using warden::base64_encode;

// Families split across several files; each is registered by the add_*_functions of its family.
void add_format_functions(FunctionTable& t);  // format.cpp: format, formatlist
void add_set_functions(FunctionTable& t);     // sets.cpp: setunion, setintersection, setproduct
void add_json_functions(FunctionTable& t);    // json.cpp: jsonencode, jsondecode
void add_csv_functions(FunctionTable& t);     // csv.cpp: csvdecode
void add_yaml_functions(FunctionTable& t);    // yaml.cpp: yamlencode, yamldecode
void add_crypto_functions(FunctionTable& t);  // crypto.cpp: bcrypt, rsadecrypt

}  // namespace warden::hcl::fn
