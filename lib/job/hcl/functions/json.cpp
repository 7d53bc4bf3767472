// jsonencode and jsondecode, as go-cty's stdlib json.go with cty/json.
//
// jsondecode uses a small parser of its own rather than simdjson: cty reads JSON through Go's
// json.Decoder token stream, and users see that decoder's messages ("invalid character 'x'
// looking for beginning of value", "unexpected EOF", even a bare "EOF" for empty input), which
// only a parser that walks the input the same way can reproduce. Numbers keep their full text and
// go through Number::parse, as cty's ParseNumberVal keeps 512 bits.
#include "common.hpp"
#include "warden/core/json_writer.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

// cty's JSON encoding: compact, keys sorted (maps and objects are), numbers as Text('f', -1)
// (so infinities come out as +Inf and -Inf, which is not JSON but is what cty writes).
void write_json(JsonWriter& w, const Value& v) {
  if (v.is_null()) {
    w.null();
    return;
  }
  switch (v.type().kind()) {
    case Type::Kind::string:
      w.string(v.as_string());
      return;
    case Type::Kind::number:
      w.raw_number(v.as_number().to_string());
      return;
    case Type::Kind::boolean:
      w.boolean(v.as_bool());
      return;
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::tuple:
      w.begin_array();
      for (const auto& e : v.elements()) write_json(w, e);
      w.end_array();
      return;
    case Type::Kind::map:
    case Type::Kind::object:
      w.begin_object();
      for (const auto& [k, e] : v.entries()) {
        w.key(k);
        write_json(w, e);
      }
      w.end_object();
      return;
    case Type::Kind::dynamic:
      w.null();
      return;
  }
}

struct JsonError {
  std::string message;
};

// Reads a document the way cty does: json.Decoder.Token() for structure, Decode() for scalars.
class GoJsonReader {
 public:
  explicit GoJsonReader(std::string_view s) : s_(s) {}

  // The whole document, or the decoder's error.
  std::optional<Value> document(std::string& err) {
    try {
      Value v = value(Context::top, 0);
      // dec.More(): anything but a closing bracket after the value is extraneous.
      skip_space();
      if (p_ < s_.size() && s_[p_] != ']' && s_[p_] != '}')
        throw JsonError{"extraneous data after JSON object"};
      return v;
    } catch (const JsonError& e) {
      err = e.message;
      return std::nullopt;
    }
  }

 private:
  // What the decoder expects next, which decides the wording of "invalid character" errors.
  enum class Context {
    top,
    value,
    array_comma,
    object_start,
    object_key,
    object_colon,
    object_comma
  };

  static constexpr int kMaxDepth = 1000;

  static std::string quote_char(char c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    std::string cp;
    unicode::append_utf8(cp, static_cast<unsigned char>(c));
    std::string q = go_quote(cp);
    return "'" + q.substr(1, q.size() - 2) + "'";
  }

  [[noreturn]] void invalid(char c, Context ctx) const {
    static const char* const suffix[] = {" looking for beginning of value",
                                         " looking for beginning of value",
                                         " after array element",
                                         "",
                                         " looking for beginning of object key string",
                                         " after object key",
                                         " after object key:value pair"};
    throw JsonError{"invalid character " + quote_char(c) + suffix[static_cast<int>(ctx)]};
  }
  [[noreturn]] static void scan_error(char c, const char* context) {
    throw JsonError{"invalid character " + quote_char(c) + " " + context};
  }

  void skip_space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }
  // The next significant byte; at the end Token() reports a plain EOF.
  char peek() {
    skip_space();
    if (p_ >= s_.size()) throw JsonError{"EOF"};
    return s_[p_];
  }
  // A byte inside a scalar; running out there is an unexpected EOF.
  char need() {
    if (p_ >= s_.size()) throw JsonError{"unexpected EOF"};
    return s_[p_];
  }

  Value value(Context ctx, int depth) {
    char c = peek();
    switch (c) {
      case '[':
        ++p_;
        return array(depth + 1);
      case '{':
        ++p_;
        return object(depth + 1);
      case '"':
        return Value::string(string());
      case ']':
      case '}':
      case ',':
      case ':':
        invalid(c, ctx);
      default:
        return scalar();
    }
  }

  Value array(int depth) {
    if (depth > kMaxDepth) throw JsonError{"exceeded max depth"};
    std::vector<Value> out;
    if (peek() == ']') {
      ++p_;
      return Value::tuple({});
    }
    for (;;) {
      out.push_back(value(Context::value, depth));
      char c = peek();
      if (c == ']') {
        ++p_;
        return Value::tuple(std::move(out));
      }
      if (c != ',') invalid(c, Context::array_comma);
      ++p_;
      c = peek();
      if (c == ']') invalid(c, Context::value);
    }
  }

  Value object(int depth) {
    if (depth > kMaxDepth) throw JsonError{"exceeded max depth"};
    std::vector<Value::Entry> out;
    Context key_ctx = Context::object_start;
    char c = peek();
    if (c == '}') {
      ++p_;
      return Value::object({});
    }
    for (;;) {
      if (c != '"') invalid(c, key_ctx);
      std::string key = string();
      c = peek();
      if (c != ':') invalid(c, Context::object_colon);
      ++p_;
      out.emplace_back(std::move(key), value(Context::value, depth));
      c = peek();
      if (c == '}') {
        ++p_;
        return Value::object(std::move(out));  // a repeated key keeps its last value
      }
      if (c != ',') invalid(c, Context::object_comma);
      ++p_;
      key_ctx = Context::object_key;
      c = peek();
    }
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  char32_t read_u4() {
    char32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = need();
      int h = hex(c);
      if (h < 0) scan_error(c, "in \\u hexadecimal character escape");
      v = v * 16 + static_cast<char32_t>(h);
      ++p_;
    }
    return v;
  }

  std::string string() {
    ++p_;  // opening quote
    std::string out;
    for (;;) {
      char c = need();
      ++p_;
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) scan_error(c, "in string literal");
      if (c != '\\') {
        out += c;
        continue;
      }
      char e = need();
      ++p_;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          char32_t r = read_u4();
          if (r >= 0xD800 && r < 0xDC00) {
            // A surrogate pair if a low surrogate escape follows; a lone half becomes U+FFFD.
            if (p_ + 1 < s_.size() && s_[p_] == '\\' && s_[p_ + 1] == 'u') {
              size_t save = p_;
              p_ += 2;
              char32_t lo = read_u4();
              if (lo >= 0xDC00 && lo < 0xE000) {
                r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
              } else {
                p_ = save;
                r = unicode::kReplacement;
              }
            } else {
              r = unicode::kReplacement;
            }
          } else if (r >= 0xDC00 && r < 0xE000) {
            r = unicode::kReplacement;
          }
          unicode::append_utf8(out, r);
          break;
        }
        default:
          scan_error(e, "in string escape code");
      }
    }
  }

  bool digit_at() const { return p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9'; }

  Value scalar() {
    size_t start = p_;
    char c = s_[p_];
    auto literal = [&](std::string_view word, const char* name) {
      for (size_t i = 1; i < word.size(); ++i) {
        ++p_;
        char got = need();
        if (got != word[i]) {
          throw JsonError{"invalid character " + quote_char(got) + " in literal " + name +
                          " (expecting " + quote_char(word[i]) + ")"};
        }
      }
      ++p_;
    };
    if (c == 't') {
      literal("true", "true");
      return Value::boolean(true);
    }
    if (c == 'f') {
      literal("false", "false");
      return Value::boolean(false);
    }
    if (c == 'n') {
      literal("null", "null");
      return Value();
    }
    if (c != '-' && !(c >= '0' && c <= '9')) invalid(c, Context::value);
    if (c == '-') {
      ++p_;
      char d = need();
      if (!(d >= '0' && d <= '9')) scan_error(d, "in numeric literal");
    }
    if (s_[p_] == '0') {
      ++p_;
    } else {
      while (digit_at()) ++p_;
    }
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      char d = need();
      if (!(d >= '0' && d <= '9')) scan_error(d, "after decimal point in numeric literal");
      while (digit_at()) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      char d = need();
      if (d == '+' || d == '-') {
        ++p_;
        d = need();
      }
      if (!(d >= '0' && d <= '9')) scan_error(d, "in exponent of numeric literal");
      while (digit_at()) ++p_;
    }
    std::string_view text = s_.substr(start, p_ - start);
    auto n = Number::parse(text);
    if (!n) throw JsonError{"cannot parse " + go_quote(text) + " as a number"};
    return Value::number(*n);
  }

  std::string_view s_;
  size_t p_ = 0;
};

}  // namespace

namespace fn {

void add_json_functions(FunctionTable& t) {
  t.add("jsonencode", fixed({param("val", Type::dynamic(), true)}, [](std::span<const Value> a) {
          JsonWriter w;
          write_json(w, a[0]);
          return CallResult::ok(Value::string(w.str()));
        }));
  t.add("jsondecode", fixed({param("str", Type::string())}, [](std::span<const Value> a) {
          std::string err;
          auto v = GoJsonReader(a[0].as_string()).document(err);
          if (!v) return CallResult::fail(err);
          return CallResult::ok(*v);
        }));
}

}  // namespace fn

}  // namespace warden::hcl
