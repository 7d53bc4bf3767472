// Skein-1024-1024 (Skein 1.3): Threefish-1024 in UBI chaining mode.
//
// The block function keeps the sixteen state words in locals and unrolls the eight rounds
// between two key injections with the permutation folded into the word indices (as the Skein
// team's optimized skein_block.c does), so the compiler keeps the state in registers.
#include <bit>
#include <cstring>

#include "warden/image/digest.hpp"

namespace warden::image {
namespace {

constexpr uint64_t kC240 = 0x1BD11BDAA9FC1A22ULL;  // key schedule parity constant
constexpr uint64_t kFlagFirst = 1ULL << 62;
constexpr uint64_t kFlagFinal = 1ULL << 63;
constexpr uint64_t kTypeCfg = 4ULL << 56;
constexpr uint64_t kTypeMsg = 48ULL << 56;
constexpr uint64_t kTypeOut = 63ULL << 56;

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline void store_le64(uint8_t* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

inline uint64_t rotl(uint64_t x, int n) {
  return (x << n) | (x >> (64 - n));
}

}  // namespace

// The state words are X0..X15; MIX(a, b, r): a += b; b = rotl(b, r) ^ a.
#define WSK_MIX(a, b, r) \
  X##a += X##b;          \
  X##b = rotl(X##b, r) ^ X##a;

#define WSK_ROUND(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, pA, pB, pC, pD, pE, pF, r0, r1, r2, r3, \
                  r4, r5, r6, r7)                                                                 \
  WSK_MIX(p0, p1, r0)                                                                             \
  WSK_MIX(p2, p3, r1)                                                                             \
  WSK_MIX(p4, p5, r2)                                                                             \
  WSK_MIX(p6, p7, r3)                                                                             \
  WSK_MIX(p8, p9, r4)                                                                             \
  WSK_MIX(pA, pB, r5)                                                                             \
  WSK_MIX(pC, pD, r6)                                                                             \
  WSK_MIX(pE, pF, r7)

// Key injection number s (s = 0..20).
#define WSK_INJECT(s)                             \
  X0 += ks[((s) + 0) % 17];                       \
  X1 += ks[((s) + 1) % 17];                       \
  X2 += ks[((s) + 2) % 17];                       \
  X3 += ks[((s) + 3) % 17];                       \
  X4 += ks[((s) + 4) % 17];                       \
  X5 += ks[((s) + 5) % 17];                       \
  X6 += ks[((s) + 6) % 17];                       \
  X7 += ks[((s) + 7) % 17];                       \
  X8 += ks[((s) + 8) % 17];                       \
  X9 += ks[((s) + 9) % 17];                       \
  X10 += ks[((s) + 10) % 17];                     \
  X11 += ks[((s) + 11) % 17];                     \
  X12 += ks[((s) + 12) % 17];                     \
  X13 += ks[((s) + 13) % 17] + ts[(s) % 3];       \
  X14 += ks[((s) + 14) % 17] + ts[((s) + 1) % 3]; \
  X15 += ks[((s) + 15) % 17] + static_cast<uint64_t>(s);

// Eight rounds (the permutation pi = {0,9,2,13,6,11,4,15,10,7,12,3,14,5,8,1} has order 4, so
// after four rounds the words are back in place), then the two injections that follow them.
#define WSK_EIGHT(R)                                                                              \
  WSK_ROUND(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24, 13, 8, 47, 8, 17, 22, 37)   \
  WSK_ROUND(0, 9, 2, 13, 6, 11, 4, 15, 10, 7, 12, 3, 14, 5, 8, 1, 38, 19, 10, 55, 49, 18, 23, 52) \
  WSK_ROUND(0, 7, 2, 5, 4, 3, 6, 1, 12, 15, 14, 13, 8, 11, 10, 9, 33, 4, 51, 13, 34, 41, 59, 17)  \
  WSK_ROUND(0, 15, 2, 11, 6, 13, 4, 9, 14, 1, 8, 5, 10, 3, 12, 7, 5, 20, 48, 41, 47, 28, 16, 25)  \
  WSK_INJECT(2 * (R) + 1)                                                                         \
  WSK_ROUND(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 41, 9, 37, 31, 12, 47, 44, 30)  \
  WSK_ROUND(0, 9, 2, 13, 6, 11, 4, 15, 10, 7, 12, 3, 14, 5, 8, 1, 16, 34, 56, 51, 4, 53, 42, 41)  \
  WSK_ROUND(0, 7, 2, 5, 4, 3, 6, 1, 12, 15, 14, 13, 8, 11, 10, 9, 31, 44, 47, 46, 19, 42, 44, 25) \
  WSK_ROUND(0, 15, 2, 11, 6, 13, 4, 9, 14, 1, 8, 5, 10, 3, 12, 7, 9, 48, 35, 52, 23, 31, 37, 20)  \
  WSK_INJECT(2 * (R) + 2)

void Skein1024::process(const uint8_t* blocks, size_t count, size_t byte_count_each) {
  uint64_t ks[17];
  uint64_t ts[3];
  uint64_t w[16];
  for (; count > 0; --count, blocks += kBlockBytes) {
    tweak_[0] += byte_count_each;
    ks[16] = kC240;
    for (int i = 0; i < 16; ++i) {
      ks[i] = chain_[i];
      ks[16] ^= chain_[i];
    }
    ts[0] = tweak_[0];
    ts[1] = tweak_[1];
    ts[2] = ts[0] ^ ts[1];
    for (int i = 0; i < 16; ++i) w[i] = load_le64(blocks + 8 * i);

    uint64_t X0 = w[0], X1 = w[1], X2 = w[2], X3 = w[3], X4 = w[4], X5 = w[5], X6 = w[6], X7 = w[7],
             X8 = w[8], X9 = w[9], X10 = w[10], X11 = w[11], X12 = w[12], X13 = w[13], X14 = w[14],
             X15 = w[15];
    WSK_INJECT(0)
    WSK_EIGHT(0)
    WSK_EIGHT(1)
    WSK_EIGHT(2)
    WSK_EIGHT(3)
    WSK_EIGHT(4)
    WSK_EIGHT(5)
    WSK_EIGHT(6)
    WSK_EIGHT(7)
    WSK_EIGHT(8)
    WSK_EIGHT(9)

    chain_[0] = X0 ^ w[0];
    chain_[1] = X1 ^ w[1];
    chain_[2] = X2 ^ w[2];
    chain_[3] = X3 ^ w[3];
    chain_[4] = X4 ^ w[4];
    chain_[5] = X5 ^ w[5];
    chain_[6] = X6 ^ w[6];
    chain_[7] = X7 ^ w[7];
    chain_[8] = X8 ^ w[8];
    chain_[9] = X9 ^ w[9];
    chain_[10] = X10 ^ w[10];
    chain_[11] = X11 ^ w[11];
    chain_[12] = X12 ^ w[12];
    chain_[13] = X13 ^ w[13];
    chain_[14] = X14 ^ w[14];
    chain_[15] = X15 ^ w[15];
    tweak_[1] &= ~kFlagFirst;
  }
}

#undef WSK_EIGHT
#undef WSK_INJECT
#undef WSK_ROUND
#undef WSK_MIX

Skein1024::Skein1024() {
  // UBI of the configuration block: "SHA3", version 1, 1024 output bits, no tree (one block,
  // a fraction of a microsecond; not worth caching).
  std::memset(chain_, 0, sizeof chain_);
  uint8_t cfg[kBlockBytes] = {};
  store_le64(cfg, 0x133414853ULL);  // "SHA3" then version 1 (little-endian u32 + u16)
  store_le64(cfg + 8, 1024);        // output bits
  tweak_[0] = 0;
  tweak_[1] = kTypeCfg | kFlagFirst | kFlagFinal;
  process(cfg, 1, 32);
  tweak_[0] = 0;
  tweak_[1] = kTypeMsg | kFlagFirst;
  buf_len_ = 0;
}

void Skein1024::update(const void* data, size_t len) {
  const auto* p = static_cast<const uint8_t*>(data);
  if (len == 0) return;
  // The last block must be processed with the final flag, so a full buffer is only processed
  // once more input exists.
  if (buf_len_ + len > kBlockBytes) {
    if (buf_len_ > 0) {
      size_t take = kBlockBytes - buf_len_;
      std::memcpy(buf_ + buf_len_, p, take);
      p += take;
      len -= take;
      process(buf_, 1, kBlockBytes);
      buf_len_ = 0;
    }
    if (len > kBlockBytes) {
      size_t n = (len - 1) / kBlockBytes;
      process(p, n, kBlockBytes);
      p += n * kBlockBytes;
      len -= n * kBlockBytes;
    }
  }
  std::memcpy(buf_ + buf_len_, p, len);
  buf_len_ += len;
}

Skein1024::Digest Skein1024::final() {
  tweak_[1] |= kFlagFinal;
  if (buf_len_ < kBlockBytes) std::memset(buf_ + buf_len_, 0, kBlockBytes - buf_len_);
  process(buf_, 1, buf_len_);
  // Output transform: UBI of the 8-byte counter 0.
  uint8_t counter[kBlockBytes] = {};
  tweak_[0] = 0;
  tweak_[1] = kTypeOut | kFlagFirst | kFlagFinal;
  process(counter, 1, 8);
  Digest out;
  for (int i = 0; i < 16; ++i) store_le64(out.data() + 8 * i, chain_[i]);
  return out;
}

Skein1024::Digest Skein1024::hash(std::string_view data) {
  Skein1024 h;
  h.update(data);
  return h.final();
}

}  // namespace warden::image
