#include "common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "warden/core/unicode.hpp"

namespace warden::hcl::fn {

std::optional<int64_t> to_int(const Value& v) {
  if (v.is_null() || v.type().kind() != Type::Kind::number) return std::nullopt;
  return v.as_number().to_int64();
}

Number from_float64(double d) {
  if (std::isinf(d)) return Number::infinity(d < 0);
  if (d == std::trunc(d) && std::fabs(d) < 9.2e18) return Number(static_cast<int64_t>(d));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  (void)ec;
  if (auto n = Number::parse(std::string_view(buf, static_cast<size_t>(end - buf)))) return *n;
  return Number::from_double(d);
}

namespace {

// Go's unicode.IsPrint, approximated: graphic characters and the ASCII space, but not other
// spaces, format characters, private use or surrogates.
bool is_print(char32_t c) {
  if (c < 0x7F) return c >= 0x20;
  if (c < 0xA0) return false;
  switch (c) {
    case 0xA0:
    case 0xAD:
    case 0x061C:
    case 0x06DD:
    case 0x070F:
    case 0x1680:
    case 0x180E:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
    case 0x110BD:
    case 0xE0001:
      return false;
    default:
      break;
  }
  if ((c >= 0x0600 && c <= 0x0605) || (c >= 0x2000 && c <= 0x200F) ||
      (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) ||
      (c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF ||
      (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0020 && c <= 0xE007F) || c >= 0xF0000) {
    return false;
  }
  return true;
}

void append_escaped(std::string& out, char32_t r, char quote) {
  static const char* hex = "0123456789abcdef";
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (is_print(r)) {
    unicode::append_utf8(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    out += hex[(r >> 4) & 0xF];
    out += hex[r & 0xF];
  } else if (r < 0x10000) {
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4) out += hex[(r >> s) & 0xF];
  } else {
    out += "\\U";
    for (int s = 28; s >= 0; s -= 4) out += hex[(r >> s) & 0xF];
  }
}

}  // namespace

std::string go_quote(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t r = unicode::decode(s, i);
    if (r == unicode::kReplacement && i - start == 1 &&
        static_cast<unsigned char>(s[start]) >= 0x80) {
      // An invalid byte: Go shows it as \xNN.
      auto b = static_cast<unsigned char>(s[start]);
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 0xF];
      continue;
    }
    append_escaped(out, r, '"');
  }
  return out + "\"";
}

std::string go_quote_rune(char32_t c) {
  std::string out = "'";
  append_escaped(out, c, '\'');
  return out + "'";
}

Value string_list(const std::vector<std::string>& items) {
  std::vector<Value> vals;
  vals.reserve(items.size());
  for (const auto& s : items) vals.push_back(Value::string(s));
  return Value::list(std::move(vals), Type::string());
}

}  // namespace warden::hcl::fn
