// The hash functions of go-cty-funcs/crypto (md5, sha1, sha256, sha512), plus bcrypt and
// rsadecrypt, which live in crypto.cpp.
#include <openssl/evp.h>

#include <stdexcept>

#include "common.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

std::string hex_digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    throw std::runtime_error("digest failed");
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s += hex[out[i] >> 4];
    s += hex[out[i] & 15];
  }
  return s;
}

Function digest(const EVP_MD* (*md)()) {
  return fixed({param("str", Type::string())}, [md](std::span<const Value> a) {
    return CallResult::ok(Value::string(hex_digest(md(), a[0].as_string())));
  });
}

}  // namespace

void add_hash_functions(FunctionTable& t) {
  t.add("md5", digest(EVP_md5));
  t.add("sha1", digest(EVP_sha1));
  t.add("sha256", digest(EVP_sha256));
  t.add("sha512", digest(EVP_sha512));
  add_crypto_functions(t);
}

}  // namespace warden::hcl
