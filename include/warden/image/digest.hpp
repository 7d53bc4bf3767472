// Digests of image files: Skein-1024-1024 (pot's `skein1024 -q`, implemented here because
// OpenSSL has no Skein) and SHA-256 (OpenSSL, with the CPU's SHA instructions when present).
//
//   warden::image::Skein1024 h;
//   h.update(xz_bytes);
//   h.update(meta_bytes);
//   std::string hex = warden::image::to_hex(h.final());   // what NAME_TAG.xz.skein holds
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace warden::image {

// Skein-1024 with a 1024-bit output (Skein 1.3, the function FreeBSD's skein1024(1) computes).
// Incremental: update() any number of times, then final() once.
class Skein1024 {
 public:
  static constexpr size_t kBlockBytes = 128;
  static constexpr size_t kDigestBytes = 128;
  using Digest = std::array<uint8_t, kDigestBytes>;

  Skein1024();
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Digest final();

  // One-shot convenience.
  static Digest hash(std::string_view data);

 private:
  void process(const uint8_t* blocks, size_t count, size_t byte_count_each);

  uint64_t chain_[16];
  uint64_t tweak_[2];
  uint8_t buf_[kBlockBytes];
  size_t buf_len_ = 0;
};

enum class DigestAlgorithm { skein1024, sha256 };

// "skein1024" / "sha256": also the extension of the digest file (NAME_TAG.xz.skein is the one
// exception: pot names it ".skein").
const char* algorithm_name(DigestAlgorithm a);
// The digest file's extension after ".xz": "skein" or "sha256".
const char* digest_extension(DigestAlgorithm a);
size_t digest_size(DigestAlgorithm a);

// An incremental hash of either algorithm. Copyable state (fork() continues from the same
// point), which lets one pass compute SHA-256(xz) and SHA-256(xz || meta) at once.
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm a);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  DigestAlgorithm algorithm() const { return algo_; }
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Hasher fork() const;
  // The raw digest (128 bytes for Skein-1024, 32 for SHA-256). Call once.
  std::string final();

 private:
  struct State;
  DigestAlgorithm algo_;
  std::unique_ptr<State> state_;
};

std::string to_hex(const void* data, size_t len);
template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& a) {
  return to_hex(a.data(), N);
}
inline std::string to_hex(std::string_view bytes) {
  return to_hex(bytes.data(), bytes.size());
}

// Reads a digest file (.skein / .sha256): the first whitespace-separated word, which must be
// the right number of hex digits (so `skein1024 -q` and `sha256sum` output both work).
// Returns the digest in lower-case hex, or nullopt when malformed.
std::optional<std::string> parse_digest_file(std::string_view text, DigestAlgorithm a);

}  // namespace warden::image
