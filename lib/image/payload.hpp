// Payload decoding (internal): compression detection, liblzma's multi-threaded xz decoder and
// a source that lets the first bytes be inspected before they are consumed.
#pragma once

#include <lzma.h>

#include <string>
#include <vector>

#include "warden/image/extract.hpp"

namespace warden::image::detail {

// Replays the first bytes it peeked, then continues with the wrapped source.
class PeekSource : public ByteSource {
 public:
  explicit PeekSource(ByteSource& inner) : inner_(inner) {}
  // Reads until `n` bytes are buffered (fewer at the end of the stream).
  Result<std::string_view> peek(size_t n);
  Result<size_t> read(char* buf, size_t cap) override;

 private:
  ByteSource& inner_;
  std::string head_;
  size_t head_pos_ = 0;
  bool eof_ = false;
};

// Decodes xz (also concatenated streams) with liblzma's multi-threaded decoder.
class XzSource : public ByteSource {
 public:
  XzSource(ByteSource& compressed, unsigned threads, uint64_t memlimit_threading,
           uint64_t memlimit_stop);
  ~XzSource() override;
  Result<size_t> read(char* buf, size_t cap) override;

 private:
  ByteSource& in_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  std::vector<char> inbuf_;
  bool in_eof_ = false;
  bool done_ = false;
  std::string init_error_;
};

bool is_xz(std::string_view head);

}  // namespace warden::image::detail
