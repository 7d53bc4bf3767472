// Unpacking an image payload safely.
//
// The payload is a tar stream in any compression libarchive reads; xz (pot's format) is decoded
// with liblzma's multi-threaded decoder, which is several times faster than libarchive's
// single-threaded one on multi-block files such as `xz -T0` writes. pot's own payload, an xz
// of a ZFS send stream, is recognized and refused off FreeBSD ("ZFS image, needs FreeBSD").
//
// Every entry is written relative to the target directory without ever following a symlink
// (each path component is opened with O_NOFOLLOW), and these are refused with an error:
//   - absolute paths and ".." components;
//   - symlinks whose target climbs above the image root (relative to the link's directory; an
//     absolute target is taken relative to the image root, as it resolves inside the jail);
//   - hardlinks to anything but an entry already extracted (no absolute or ".." targets);
//   - paths through a symlink or a non-directory, and a non-directory replacing a directory;
//   - device nodes, FIFOs and sockets, unless allow_devices (sockets always);
//   - setuid/setgid bits on non-directories, unless allow_setid;
//   - more than max_entries entries or max_bytes bytes of file data (decompression bombs).
// Modes, numeric owners (when running as root), mtimes, symlinks and hardlinks are kept;
// directory modes and mtimes are applied last, after their contents.
#pragma once

#include <cstdint>
#include <string>

#include "warden/core/error.hpp"

namespace warden::image {

// A pull stream of bytes (the download, a file, a test's buffer).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `cap` bytes; 0 means the end of the stream.
  virtual Result<size_t> read(char* buf, size_t cap) = 0;
};

// A ByteSource over memory (for tests and the fuzz target).
class MemorySource : public ByteSource {
 public:
  MemorySource(const void* data, size_t size) : p_(static_cast<const char*>(data)), left_(size) {}
  Result<size_t> read(char* buf, size_t cap) override;

 private:
  const char* p_;
  size_t left_;
};

struct ExtractOptions {
  bool allow_devices = false;  // character/block devices and FIFOs
  bool allow_setid = false;    // setuid/setgid bits on files
  uint64_t max_entries = 1'000'000;
  uint64_t max_bytes = 64ULL << 30;        // total size of the entries' data
  bool preserve_owner = true;              // numeric uid/gid from the archive (effective as root)
  unsigned decoder_threads = 0;            // xz decoder threads; 0 = one per CPU
  uint64_t decoder_memory = 256ULL << 20;  // liblzma's threading memory limit
  // A payload whose xz settings need more than this even on one thread (a hostile dictionary
  // size) is refused; `xz -9` needs 65 MiB.
  uint64_t decoder_memory_max = 1ULL << 30;
};

struct ExtractStats {
  std::string compression;  // "xz", "gzip", "none", ... (as detected)
  uint64_t entries = 0;
  uint64_t files = 0;
  uint64_t directories = 0;
  uint64_t symlinks = 0;
  uint64_t hardlinks = 0;
  uint64_t special = 0;       // devices and FIFOs
  uint64_t bytes = 0;         // file data written
  uint64_t stream_bytes = 0;  // the uncompressed tar stream
};

// Unpacks the payload read from `source` into `target_dir` (an existing, normally empty,
// directory). On error the target may hold part of the payload; the caller discards it.
Result<ExtractStats> extract(ByteSource& source, const std::string& target_dir,
                             const ExtractOptions& options = {});

// True when `head` (the first bytes of an uncompressed stream) starts a ZFS send stream.
bool is_zfs_send_stream(const void* head, size_t len);

}  // namespace warden::image
