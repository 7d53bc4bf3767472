// OpenBSD signify keys and signatures (Ed25519, verified with OpenSSL).
//
// A registry may publish NAME_TAG.xz.skein.sig, made with `signify -S -s key.sec -m
// NAME_TAG.xz.skein`. With a public key configured, the image is accepted only if that
// signature verifies. Files have signify's two-line form:
//   untrusted comment: <text>
//   <base64 of "Ed" | key number (8 bytes) | key or signature>
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "warden/core/error.hpp"

namespace warden::image {

struct SignifyPublicKey {
  std::array<uint8_t, 8> keynum{};
  std::array<uint8_t, 32> key{};
  std::string comment;
};

struct SignifySignature {
  std::array<uint8_t, 8> keynum{};
  std::array<uint8_t, 64> sig{};
  std::string comment;
};

// Secret keys are read only when unencrypted (`signify -G -n`): passphrase-protected keys need
// signify itself (`signify -S -s key.sec -m NAME_TAG.xz.skein`).
struct SignifySecretKey {
  std::array<uint8_t, 8> keynum{};
  std::array<uint8_t, 64> key{};  // Ed25519 seed (32 bytes) then public key (32 bytes)
  std::string comment;
};

Result<SignifyPublicKey> parse_signify_public_key(std::string_view file_text);
Result<SignifySignature> parse_signify_signature(std::string_view file_text);
Result<SignifySecretKey> parse_signify_secret_key(std::string_view file_text);

// Checks `sig` over `message` with `key`: the key numbers must match and the Ed25519 signature
// must verify. Errors name `what` (e.g. the signature's URL).
Result<void> signify_verify(const SignifyPublicKey& key, const SignifySignature& sig,
                            std::string_view message, std::string_view what);

// Signs `message`; returns the signature file's text (comment "verify with <pubkey_name>").
Result<std::string> signify_sign(const SignifySecretKey& key, std::string_view message,
                                 std::string_view pubkey_name);

}  // namespace warden::image
