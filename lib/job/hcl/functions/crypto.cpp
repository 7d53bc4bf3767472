// bcrypt (libcrypt's bcrypt, in the "$2a$" flavour Go's x/crypto writes) and rsadecrypt
// (OpenSSL; PKCS#1 v1.5 with a PKCS#1 "RSA PRIVATE KEY"), as go-cty-funcs/crypto has them.
#include <crypt.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstring>
#include <memory>

#include "common.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

CallResult bcrypt(std::span<const Value> a) {
  int64_t cost = 10;
  if (a.size() > 1) {
    auto c = to_int(a[1]);
    if (!c) return CallResult::fail(std::string(kWholeNumber));
    cost = *c;
  }
  if (a.size() > 2) return CallResult::fail("bcrypt() takes no more than two arguments");
  const std::string& password = a[0].as_string();
  const std::string prefix =
      "error occured generating password ";  // sic, as go-cty-funcs spells it
  if (password.size() > 72)
    return CallResult::fail(prefix + "bcrypt: password length exceeds 72 bytes");
  if (cost < 4) cost = 10;  // x/crypto quietly uses its default below the minimum
  if (cost > 31) {
    return CallResult::fail(prefix + "crypto/bcrypt: cost " + std::to_string(cost) +
                            " is outside allowed inclusive range 4..31");
  }
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2a$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                        sizeof setting)) {
    return CallResult::fail(prefix + "could not generate a salt");
  }
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* hash = crypt_rn(password.c_str(), setting, data.get(), sizeof(crypt_data));
  if (!hash || hash[0] == '*') return CallResult::fail(prefix + "bcrypt failed");
  return CallResult::ok(Value::string(hash));
}

struct PemBlock {
  std::string type;
  bool encrypted = false;
  std::string der;
};

// The first PEM block of the text, as Go's pem.Decode finds it.
std::optional<PemBlock> pem_decode(std::string_view text) {
  const std::string_view begin = "-----BEGIN ";
  for (size_t at = text.find(begin); at != std::string_view::npos; at = text.find(begin, at + 1)) {
    if (at != 0 && text[at - 1] != '\n') continue;  // must start a line
    size_t type_start = at + begin.size();
    size_t type_end = text.find("-----", type_start);
    if (type_end == std::string_view::npos) return std::nullopt;
    PemBlock block;
    block.type = std::string(text.substr(type_start, type_end - type_start));
    size_t body = text.find('\n', type_end);
    if (body == std::string_view::npos) continue;
    std::string end_marker = "-----END " + block.type + "-----";
    size_t end = text.find(end_marker, body);
    if (end == std::string_view::npos) continue;
    std::string_view content = text.substr(body + 1, end - body - 1);
    // Headers ("Key: value" lines) come first, separated from the data by a blank line.
    std::string b64;
    bool in_headers = true;
    size_t pos = 0;
    while (pos < content.size()) {
      size_t nl = content.find('\n', pos);
      std::string_view line =
          content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? content.size() : nl + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (in_headers) {
        size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
          std::string_view key = line.substr(0, colon), value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
          if (key == "Proc-Type" && value == "4,ENCRYPTED") block.encrypted = true;
          continue;
        }
        in_headers = false;
      }
      for (char c : line) {
        if (c != ' ' && c != '\t') b64 += c;
      }
    }
    auto der = base64_decode(b64);
    if (!der) continue;
    block.der = std::move(*der);
    return block;
  }
  return std::nullopt;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// Decodes DER as the given structure ("type-specific" with key type "RSA" is PKCS#1).
PkeyPtr decode_key(const std::string& der, const char* structure, const char* type) {
  EVP_PKEY* pkey = nullptr;
  OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", structure, type,
                                                        EVP_PKEY_KEYPAIR, nullptr, nullptr);
  if (ctx) {
    auto* data = reinterpret_cast<const unsigned char*>(der.data());
    size_t len = der.size();
    if (OSSL_DECODER_from_data(ctx, &data, &len) != 1 || len != 0) {
      EVP_PKEY_free(pkey);
      pkey = nullptr;
    }
    OSSL_DECODER_CTX_free(ctx);
  }
  return PkeyPtr(pkey, EVP_PKEY_free);
}

// The tag of the element after the version number of a DER private key: an INTEGER (the modulus)
// in PKCS#1, a SEQUENCE (the algorithm) in PKCS#8, an OCTET STRING in a SEC 1 EC key.
int key_layout(std::string_view der) {
  size_t p = 0;
  auto byte = [&](size_t i) { return static_cast<unsigned char>(der[i]); };
  auto length = [&](size_t& len) {
    if (p >= der.size()) return false;
    unsigned char b = byte(p++);
    if (b < 0x80) {
      len = b;
      return true;
    }
    int n = b & 0x7f;
    if (n == 0 || n > 4) return false;
    len = 0;
    for (int i = 0; i < n; ++i) {
      if (p >= der.size()) return false;
      len = (len << 8) | byte(p++);
    }
    return true;
  };
  size_t len = 0;
  if (der.empty() || byte(0) != 0x30) return -1;
  p = 1;
  if (!length(len) || p >= der.size() || byte(p) != 0x02) return -1;
  ++p;
  if (!length(len)) return -1;
  p += len;
  return p < der.size() ? byte(p) : -1;
}

CallResult rsadecrypt(std::span<const Value> a) {
  const std::string& ciphertext = a[0].as_string();
  auto raw = base64_decode(ciphertext);
  if (!raw) {
    return CallResult::fail("failed to decode input " + go_quote(ciphertext) +
                            ": cipher text must be base64-encoded");
  }
  auto block = pem_decode(a[1].as_string());
  if (!block) return CallResult::fail("failed to parse key: no key found");
  if (block->encrypted) {
    return CallResult::fail(
        "failed to parse key: password protected keys are not supported. Please decrypt the key "
        "prior to use");
  }
  // Only PKCS#1 keys are accepted, as x509.ParsePKCS1PrivateKey does; OpenSSL's decoder would
  // take PKCS#8 as well, so the layout is checked first.
  int layout = key_layout(block->der);
  PkeyPtr key(nullptr, EVP_PKEY_free);
  if (layout == 0x02) key = decode_key(block->der, "type-specific", "RSA");
  if (!key) {
    // Go points at the right parser when it recognizes the format.
    if (layout == 0x04) {
      return CallResult::fail(
          "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)");
    }
    if (layout == 0x30) {
      return CallResult::fail(
          "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key "
          "format)");
    }
    return CallResult::fail("x509: failed to parse private key");
  }
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  const std::string decryption_error = "crypto/rsa: decryption error";
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return CallResult::fail(decryption_error);
  }
  // Newer OpenSSL answers a bad padding with a random message unless told otherwise; Go reports it.
  unsigned int explicit_rejection = 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_uint("rsa_pkcs1_implicit_rejection", &explicit_rejection),
      OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX_set_params(ctx.get(), params);
  auto* in = reinterpret_cast<const unsigned char*>(raw->data());
  size_t out_len = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &out_len, in, raw->size()) != 1)
    return CallResult::fail(decryption_error);
  std::string out(out_len, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len, in,
                       raw->size()) != 1) {
    return CallResult::fail(decryption_error);
  }
  out.resize(out_len);
  return CallResult::ok(Value::string(out));
}

}  // namespace

namespace fn {

void add_crypto_functions(FunctionTable& t) {
  t.add("bcrypt", variadic({param("str", Type::string())}, param("cost", Type::number()), bcrypt));
  t.add("rsadecrypt",
        fixed({param("ciphertext", Type::string()), param("privatekey", Type::string())},
              rsadecrypt));
}

}  // namespace fn

}  // namespace warden::hcl
