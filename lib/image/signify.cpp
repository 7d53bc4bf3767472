#include "warden/image/signify.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

#include "warden/core/base64.hpp"
#include "warden/image/errors.hpp"

namespace warden::image {
namespace {

constexpr std::string_view kCommentPrefix = "untrusted comment: ";

// Splits signify's two-line file and decodes the base64 line; checks the size and "Ed".
Result<std::string> decode_file(std::string_view text, size_t size, std::string_view what,
                                std::string& comment) {
  size_t nl = text.find('\n');
  if (nl == std::string_view::npos || text.substr(0, kCommentPrefix.size()) != kCommentPrefix)
    return Error(ErrorCode::invalid_argument,
                 std::string(what) + ": not a signify file (no \"untrusted comment:\" line)");
  comment = std::string(text.substr(kCommentPrefix.size(), nl - kCommentPrefix.size()));
  std::string_view b64 = text.substr(nl + 1);
  size_t end = b64.find('\n');
  if (end != std::string_view::npos) b64 = b64.substr(0, end);
  auto bytes = base64_decode(b64);
  if (!bytes || bytes->size() != size)
    return Error(ErrorCode::invalid_argument,
                 std::string(what) + ": malformed signify data (bad base64 or size)");
  if (bytes->compare(0, 2, "Ed") != 0)
    return Error(ErrorCode::unsupported,
                 std::string(what) + ": unsupported signify algorithm (only Ed25519)");
  return std::move(*bytes);
}

template <size_t N>
void copy_to(std::array<uint8_t, N>& dst, const std::string& src, size_t offset) {
  std::memcpy(dst.data(), src.data() + offset, N);
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

}  // namespace

Result<SignifyPublicKey> parse_signify_public_key(std::string_view text) {
  SignifyPublicKey k;
  auto bytes = decode_file(text, 2 + 8 + 32, "public key", k.comment);
  if (!bytes) return std::move(bytes).error();
  copy_to(k.keynum, *bytes, 2);
  copy_to(k.key, *bytes, 10);
  return k;
}

Result<SignifySignature> parse_signify_signature(std::string_view text) {
  SignifySignature s;
  auto bytes = decode_file(text, 2 + 8 + 64, "signature", s.comment);
  if (!bytes) return std::move(bytes).error();
  copy_to(s.keynum, *bytes, 2);
  copy_to(s.sig, *bytes, 10);
  return s;
}

Result<SignifySecretKey> parse_signify_secret_key(std::string_view text) {
  // "Ed" | kdfalg "BK" | kdfrounds (u32, big-endian) | salt[16] | checksum[8] | keynum[8] | key[64]
  SignifySecretKey k;
  auto bytes = decode_file(text, 2 + 2 + 4 + 16 + 8 + 8 + 64, "secret key", k.comment);
  if (!bytes) return std::move(bytes).error();
  const auto* b = reinterpret_cast<const uint8_t*>(bytes->data());
  uint32_t rounds = (uint32_t(b[4]) << 24) | (uint32_t(b[5]) << 16) | (uint32_t(b[6]) << 8) | b[7];
  if (rounds != 0)
    return Error(ErrorCode::unsupported,
                 "secret key is passphrase-protected; make an unencrypted key with `signify -G -n` "
                 "or sign the .skein file with `signify -S`");
  copy_to(k.keynum, *bytes, 32);
  copy_to(k.key, *bytes, 40);
  unsigned char digest[SHA512_DIGEST_LENGTH];
  SHA512(k.key.data(), k.key.size(), digest);
  if (std::memcmp(digest, b + 24, 8) != 0)
    return Error(ErrorCode::invalid_argument, "secret key: checksum mismatch (corrupt key file)");
  return k;
}

Result<void> signify_verify(const SignifyPublicKey& key, const SignifySignature& sig,
                            std::string_view message, std::string_view what) {
  if (key.keynum != sig.keynum)
    return Error(errc::verify, "signature " + std::string(what) +
                                   " was made with a different key than the configured one");
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.key.data(), key.key.size()));
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx) return Error(ErrorCode::internal, "OpenSSL: cannot load an Ed25519 key");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1)
    return Error(ErrorCode::internal, "OpenSSL: cannot initialize Ed25519 verification");
  int ok = EVP_DigestVerify(ctx.get(), sig.sig.data(), sig.sig.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (ok != 1) return Error(errc::verify, "signature verification failed for " + std::string(what));
  return {};
}

Result<std::string> signify_sign(const SignifySecretKey& key, std::string_view message,
                                 std::string_view pubkey_name) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.key.data(), 32));
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx) return Error(ErrorCode::internal, "OpenSSL: cannot load an Ed25519 key");
  unsigned char sig[64];
  size_t sig_len = sizeof sig;
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      sig_len != 64)
    return Error(ErrorCode::internal, "OpenSSL: Ed25519 signing failed");
  std::string raw = "Ed";
  raw.append(reinterpret_cast<const char*>(key.keynum.data()), 8);
  raw.append(reinterpret_cast<const char*>(sig), 64);
  return std::string(kCommentPrefix) + "verify with " + std::string(pubkey_name) + "\n" +
         base64_encode(raw) + "\n";
}

}  // namespace warden::image
