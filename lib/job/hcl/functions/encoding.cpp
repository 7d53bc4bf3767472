// The encoding functions: base64 and URL encoding (go-cty-funcs/encoding), plus the JSON, CSV
// and YAML families, which live in their own files.
#include "common.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

// Go's url.QueryEscape: unreserved characters stay, space becomes '+', every other byte %XX.
std::string query_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

void add_encoding_functions(FunctionTable& t) {
  const Type s = Type::string();
  t.add("base64encode", fixed({param("str", s)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::string(base64_encode(a[0].as_string())));
        }));
  t.add("base64decode", fixed({param("str", s)}, [](std::span<const Value> a) {
          const std::string& in = a[0].as_string();
          auto out = base64_decode(in);
          if (!out) return CallResult::fail("failed to decode base64 data '" + in + "'");
          if (!unicode::is_valid_utf8(*out)) {
            return CallResult::fail(
                "the result of decoding the the provided string is not valid UTF-8");
          }
          return CallResult::ok(Value::string(*out));
        }));
  t.add("urlencode", fixed({param("str", s)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::string(query_escape(a[0].as_string())));
        }));
  add_json_functions(t);
  add_csv_functions(t);
  add_yaml_functions(t);
}

}  // namespace warden::hcl
