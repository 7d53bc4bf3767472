#include "warden/core/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "warden/core/unicode.hpp"

namespace warden {

void JsonWriter::newline() {
  out_ += '\n';
  for (size_t i = 0; i < stack_.size(); ++i) out_ += indent_;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Frame& f = stack_.back();
  if (!f.empty) out_ += ',';
  f.empty = false;
  if (!indent_.empty()) newline();
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({false, true});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  bool was_empty = stack_.back().empty;
  stack_.pop_back();
  if (!indent_.empty() && !was_empty) newline();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  bool was_empty = stack_.back().empty;
  stack_.pop_back();
  if (!indent_.empty() && !was_empty) newline();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  append_quoted(out_, k);
  out_ += indent_.empty() ? ":" : ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t i) {
  before_value();
  out_ += std::to_string(i);
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(uint64_t u) {
  before_value();
  out_ += std::to_string(u);
  return *this;
}

JsonWriter& JsonWriter::number(double d) {
  before_value();
  out_ += format_double(d);
  return *this;
}

JsonWriter& JsonWriter::raw_number(std::string_view digits) {
  before_value();
  out_ += digits;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_value();
  append_quoted(out_, s);
  return *this;
}

std::string JsonWriter::format_double(double d) {
  if (!std::isfinite(d)) return "null";
  char buf[64];
  double a = std::fabs(d);
  bool exp = a != 0 && (a < 1e-6 || a >= 1e21);
  auto r = std::to_chars(buf, buf + sizeof buf, d,
                         exp ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (exp) {
    // Go writes e-07 as e-7 (json only cleans up the two-digit negative case).
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
  }
  return s;
}

void JsonWriter::append_quoted(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '<':
        case '>':
        case '&':
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    size_t start = i;
    char32_t cp = unicode::decode(s, i);
    if (cp == unicode::kReplacement && i - start == 1) {
      out += "\\ufffd";  // invalid UTF-8, as Go does
    } else if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  out += '"';
}

}  // namespace warden
