// uuidv4 and uuidv5 (go-cty-funcs/uuid; namespaces parsed as google/uuid's Parse does).
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "common.hpp"
#include "warden/core/uuid.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool hex_byte(std::string_view s, size_t at, uint8_t& out) {
  int hi = hex_value(s[at]), lo = hex_value(s[at + 1]);
  if (hi < 0 || lo < 0) return false;
  out = static_cast<uint8_t>(hi * 16 + lo);
  return true;
}

// google/uuid's Parse, with its error texts.
std::optional<UuidBytes> parse_google_uuid(std::string_view s, std::string& err) {
  UuidBytes u{};
  switch (s.size()) {
    case 36:
      break;
    case 36 + 9: {
      std::string prefix(s.substr(0, 9));
      for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (prefix != "urn:uuid:") {
        err = "invalid urn prefix: " + go_quote(s.substr(0, 9));
        return std::nullopt;
      }
      s.remove_prefix(9);
      break;
    }
    case 36 + 2:
      s.remove_prefix(1);  // google/uuid does not check the braces themselves
      break;
    case 32:
      for (size_t i = 0; i < 16; ++i) {
        if (!hex_byte(s, i * 2, u[i])) {
          err = "invalid UUID format";
          return std::nullopt;
        }
      }
      return u;
    default:
      err = "invalid UUID length: " + std::to_string(s.size());
      return std::nullopt;
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    err = "invalid UUID format";
    return std::nullopt;
  }
  static const size_t offsets[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (size_t i = 0; i < 16; ++i) {
    if (!hex_byte(s, offsets[i], u[i])) {
      err = "invalid UUID format";
      return std::nullopt;
    }
  }
  return u;
}

CallResult uuidv5(std::span<const Value> a) {
  const std::string& ns = a[0].as_string();
  // The RFC 4122 name spaces, which differ only in their first byte.
  UuidBytes space{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  if (ns == "dns") {
    space[3] = 0x10;
  } else if (ns == "url") {
    space[3] = 0x11;
  } else if (ns == "oid") {
    space[3] = 0x12;
  } else if (ns == "x500") {
    space[3] = 0x14;
  } else {
    std::string err;
    auto parsed = parse_google_uuid(ns, err);
    if (!parsed)
      return CallResult::fail("uuidv5() doesn't support namespace " + ns + " (" + err + ")");
    space = *parsed;
  }
  std::string data(space.begin(), space.end());
  data += a[1].as_string();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha1(), nullptr) != 1) {
    return CallResult::fail("sha1 failed");
  }
  UuidBytes u;
  std::copy(digest, digest + 16, u.begin());
  u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x50);  // version 5
  u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return CallResult::ok(Value::string(format_uuid(u)));
}

}  // namespace

void add_uuid_functions(FunctionTable& t) {
  t.add("uuidv4",
        fixed({}, [](std::span<const Value>) { return CallResult::ok(Value::string(uuid_v4())); }));
  t.add("uuidv5",
        fixed({param("namespace", Type::string()), param("name", Type::string())}, uuidv5));
}

}  // namespace warden::hcl
