#include "payload.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

#include "warden/image/errors.hpp"

namespace warden::image {

Result<size_t> MemorySource::read(char* buf, size_t cap) {
  size_t n = std::min(cap, left_);
  std::memcpy(buf, p_, n);
  p_ += n;
  left_ -= n;
  return n;
}

bool is_zfs_send_stream(const void* head, size_t len) {
  // struct dmu_replay_record: u32 drr_type (0 = DRR_BEGIN), u32 payload length, then
  // drr_begin.drr_magic = DMU_BACKUP_MAGIC (0x2F5bacbac), in the sender's byte order.
  if (len < 16) return false;
  const auto* p = static_cast<const uint8_t*>(head);
  uint64_t le = 0, be = 0;
  for (int i = 0; i < 8; ++i) {
    le |= uint64_t(p[8 + i]) << (8 * i);
    be = (be << 8) | p[8 + i];
  }
  constexpr uint64_t kMagic = 0x2F5bacbacULL;
  bool type_begin = p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
  return type_begin && (le == kMagic || be == kMagic);
}

namespace detail {

bool is_xz(std::string_view head) {
  static constexpr unsigned char kMagic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
  return head.size() >= 6 && std::memcmp(head.data(), kMagic, 6) == 0;
}

Result<std::string_view> PeekSource::peek(size_t n) {
  while (head_.size() < n && !eof_) {
    size_t old = head_.size();
    head_.resize(n);
    auto r = inner_.read(head_.data() + old, n - old);
    if (!r) {
      head_.resize(old);
      return std::move(r).error();
    }
    head_.resize(old + *r);
    if (*r == 0) eof_ = true;
  }
  return std::string_view(head_);
}

Result<size_t> PeekSource::read(char* buf, size_t cap) {
  if (head_pos_ < head_.size()) {
    size_t n = std::min(cap, head_.size() - head_pos_);
    std::memcpy(buf, head_.data() + head_pos_, n);
    head_pos_ += n;
    return n;
  }
  if (eof_) return size_t{0};
  return inner_.read(buf, cap);
}

XzSource::XzSource(ByteSource& compressed, unsigned threads, uint64_t memlimit_threading,
                   uint64_t memlimit_stop)
    : in_(compressed), inbuf_(256 * 1024) {
  lzma_mt mt{};
  mt.flags = LZMA_CONCATENATED;
  mt.threads = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  mt.timeout = 0;
  // Above the threading limit liblzma decodes in one thread; above memlimit_stop it fails.
  mt.memlimit_threading = std::min(memlimit_threading, memlimit_stop);
  mt.memlimit_stop = memlimit_stop;
  lzma_ret ret = lzma_stream_decoder_mt(&strm_, &mt);
  if (ret != LZMA_OK)
    init_error_ =
        "cannot start the xz decoder (liblzma error " + std::to_string(static_cast<int>(ret)) + ")";
}

XzSource::~XzSource() {
  lzma_end(&strm_);
}

Result<size_t> XzSource::read(char* buf, size_t cap) {
  if (!init_error_.empty()) return Error(ErrorCode::internal, init_error_);
  if (done_ || cap == 0) return size_t{0};
  strm_.next_out = reinterpret_cast<uint8_t*>(buf);
  strm_.avail_out = cap;
  while (strm_.avail_out == cap) {
    if (strm_.avail_in == 0 && !in_eof_) {
      auto r = in_.read(inbuf_.data(), inbuf_.size());
      if (!r) return std::move(r).error();
      if (*r == 0) {
        in_eof_ = true;
      } else {
        strm_.next_in = reinterpret_cast<const uint8_t*>(inbuf_.data());
        strm_.avail_in = *r;
      }
    }
    lzma_ret ret = lzma_code(&strm_, in_eof_ ? LZMA_FINISH : LZMA_RUN);
    if (ret == LZMA_STREAM_END) {
      done_ = true;
      break;
    }
    if (ret == LZMA_OK) continue;
    switch (ret) {
      case LZMA_BUF_ERROR:
        return Error(errc::corrupt, "xz data is truncated");
      case LZMA_DATA_ERROR:
        return Error(errc::corrupt, "xz data is corrupt");
      case LZMA_FORMAT_ERROR:
        return Error(errc::corrupt, "not xz data");
      case LZMA_OPTIONS_ERROR:
        return Error(errc::corrupt, "unsupported xz options");
      case LZMA_MEM_ERROR:
        return Error(errc::corrupt, "not enough memory to decode the xz data");
      case LZMA_MEMLIMIT_ERROR:
        return Error(errc::refused, "refused archive: decoding its xz data would need more than " +
                                        std::to_string(lzma_memlimit_get(&strm_) >> 20) + " MiB");
      default:
        return Error(errc::corrupt, "xz decoding failed (liblzma error " +
                                        std::to_string(static_cast<int>(ret)) + ")");
    }
  }
  return cap - strm_.avail_out;
}

}  // namespace detail
}  // namespace warden::image
