// Image export: a sorted walk of the root written as pax tar by libarchive, compressed by
// liblzma's multi-threaded encoder and hashed on the way to the file, in one pass.
#include "warden/image/export.hpp"
#include "warden/core/fs.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "warden/core/log.hpp"
#include "warden/image/digest.hpp"
#include "warden/image/reference.hpp"
#include "warden/image/signify.hpp"

namespace warden::image {
namespace {

Error sys_error(std::string_view what, const std::string& path, int e) {
  return Error(ErrorCode::io, std::string(what) + " " + path + ": " + std::strerror(e));
}

// tar bytes -> xz -> file, hashing the xz bytes.
class XzWriter {
 public:
  XzWriter(int fd, std::string path, int level, unsigned threads)
      : fd_(fd),
        path_(std::move(path)),
        out_(1 << 20),
        skein_(DigestAlgorithm::skein1024),
        sha_(DigestAlgorithm::sha256) {
    lzma_mt mt{};
    mt.threads = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    mt.block_size = 0;  // xz's default: three times the dictionary
    mt.timeout = 0;
    mt.preset = static_cast<uint32_t>(level);
    mt.check = LZMA_CHECK_CRC64;
    if (lzma_stream_encoder_mt(&strm_, &mt) != LZMA_OK)
      error_ = Error(ErrorCode::internal, "cannot start the xz encoder");
    strm_.next_out = reinterpret_cast<uint8_t*>(out_.data());
    strm_.avail_out = out_.size();
  }
  ~XzWriter() { lzma_end(&strm_); }

  bool write(const void* data, size_t len) {
    if (error_) return false;
    tar_bytes_ += len;
    strm_.next_in = static_cast<const uint8_t*>(data);
    strm_.avail_in = len;
    while (strm_.avail_in > 0) {
      if (!code(LZMA_RUN)) return false;
    }
    return true;
  }
  bool finish() {
    if (error_) return false;
    for (;;) {
      lzma_ret r = lzma_code(&strm_, LZMA_FINISH);
      if (r != LZMA_OK && r != LZMA_STREAM_END) {
        error_ = Error(ErrorCode::internal, "xz encoding failed");
        return false;
      }
      if (strm_.avail_out == 0 || r == LZMA_STREAM_END) {
        if (!flush()) return false;
      }
      if (r == LZMA_STREAM_END) return true;
    }
  }

  const std::optional<Error>& error() const { return error_; }
  uint64_t xz_bytes() const { return xz_bytes_; }
  uint64_t tar_bytes() const { return tar_bytes_; }
  Hasher& skein() { return skein_; }
  Hasher& sha256() { return sha_; }

 private:
  bool code(lzma_action action) {
    lzma_ret r = lzma_code(&strm_, action);
    if (r != LZMA_OK) {
      error_ = Error(ErrorCode::internal, "xz encoding failed (liblzma error " +
                                              std::to_string(static_cast<int>(r)) + ")");
      return false;
    }
    if (strm_.avail_out == 0) return flush();
    return true;
  }
  bool flush() {
    size_t n = out_.size() - strm_.avail_out;
    skein_.update(out_.data(), n);
    sha_.update(out_.data(), n);
    const char* p = out_.data();
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        error_ = sys_error("cannot write", path_, errno);
        return false;
      }
      p += w;
      n -= static_cast<size_t>(w);
      xz_bytes_ += static_cast<uint64_t>(w);
    }
    strm_.next_out = reinterpret_cast<uint8_t*>(out_.data());
    strm_.avail_out = out_.size();
    return true;
  }

  int fd_;
  std::string path_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  std::vector<char> out_;
  Hasher skein_, sha_;
  std::optional<Error> error_;
  uint64_t xz_bytes_ = 0, tar_bytes_ = 0;
};

la_ssize_t write_callback(struct archive*, void* client, const void* buf, size_t len) {
  auto* w = static_cast<XzWriter*>(client);
  return w->write(buf, len) ? static_cast<la_ssize_t>(len) : -1;
}

struct ArchiveWriteDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

class TreeWriter {
 public:
  TreeWriter(struct archive* a, std::string root) : a_(a), root_(std::move(root)) {}

  Result<void> write_tree(int dirfd, const std::string& rel) {
    int fd = ::dup(dirfd);
    if (fd < 0) return sys_error("cannot read directory", shown(rel), errno);
    DIR* d = ::fdopendir(fd);
    if (!d) {
      int e = errno;
      ::close(fd);
      return sys_error("cannot read directory", shown(rel), e);
    }
    ::rewinddir(d);
    std::vector<std::string> names;
    while (struct dirent* ent = ::readdir(d)) {
      std::string n = ent->d_name;
      if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      std::string child = rel + "/" + n;
      struct stat st {};
      if (::fstatat(dirfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return sys_error("cannot inspect", shown(child), errno);
      if (auto r = write_entry(dirfd, n, child, st); !r) return r;
      if (S_ISDIR(st.st_mode)) {
        int sub = ::openat(dirfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) return sys_error("cannot open directory", shown(child), errno);
        auto r = write_tree(sub, child);
        ::close(sub);
        if (!r) return r;
      }
    }
    return {};
  }

  Result<void> write_entry(int dirfd, const std::string& name, const std::string& rel,
                           const struct stat& st) {
    if (S_ISSOCK(st.st_mode)) {
      log(LogLevel::warn, "image", "export: skipping socket " + shown(rel));
      return {};
    }
    std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), rel.c_str());
    archive_entry_copy_stat(e.get(), &st);
    archive_entry_unset_atime(e.get());
    archive_entry_unset_ctime(e.get());
    archive_entry_unset_birthtime(e.get());
    archive_entry_set_uname(e.get(), nullptr);
    archive_entry_set_gname(e.get(), nullptr);
    int fd = -1;
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
      if (n < 0) return sys_error("cannot read symlink", shown(rel), errno);
      target.resize(static_cast<size_t>(n));
      archive_entry_set_symlink(e.get(), target.c_str());
    } else if (S_ISREG(st.st_mode)) {
      if (st.st_nlink > 1) {
        auto key = std::make_pair(st.st_dev, st.st_ino);
        auto it = links_.find(key);
        if (it != links_.end()) {
          archive_entry_set_hardlink(e.get(), it->second.c_str());
          archive_entry_set_size(e.get(), 0);
        } else {
          links_.emplace(key, rel);
        }
      }
      if (!archive_entry_hardlink(e.get())) {
        fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return sys_error("cannot open", shown(rel), errno);
      }
    }
    struct Closer {
      int fd;
      ~Closer() {
        if (fd >= 0) ::close(fd);
      }
    } closer{fd};
    if (archive_write_header(a_, e.get()) < ARCHIVE_WARN) return archive_failure(rel);
    ++entries_;
    if (fd >= 0) {
      std::vector<char>& buf = buffer();
      for (;;) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return sys_error("cannot read", shown(rel), errno);
        if (n == 0) break;
        if (archive_write_data(a_, buf.data(), static_cast<size_t>(n)) < 0)
          return archive_failure(rel);
      }
    }
    return {};
  }

  Result<void> archive_failure(const std::string& rel) {
    const char* m = archive_error_string(a_);
    return Error(ErrorCode::io, "cannot archive " + shown(rel) + ": " + (m ? m : "archive error"));
  }

  std::string shown(const std::string& rel) const { return root_ + rel.substr(1); }
  uint64_t entries() const { return entries_; }

 private:
  std::vector<char>& buffer() {
    if (buf_.empty()) buf_.resize(1 << 20);
    return buf_;
  }
  struct archive* a_;
  std::string root_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
  std::vector<char> buf_;
  uint64_t entries_ = 0;
};

std::string pubkey_name_for(const std::string& seckey_path) {
  std::string base = seckey_path.substr(seckey_path.rfind('/') + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".sec") == 0)
    return base.substr(0, base.size() - 4) + ".pub";
  return base + ".pub";
}

}  // namespace

Result<ExportResult> export_image(const std::string& rootfs_in, const ExportOptions& o) {
  if (auto r = validate_name(o.pot, "pot name"); !r) return std::move(r).error();
  if (auto r = validate_name(o.tag, "tag"); !r) return std::move(r).error();
  if (o.level < 0 || o.level > 9)
    return Error(ErrorCode::invalid_argument, "compression level must be 0-9");
  if (o.out_dir.empty()) return Error(ErrorCode::invalid_argument, "no output directory");
  std::string rootfs = rootfs_in;
  while (rootfs.size() > 1 && rootfs.back() == '/') rootfs.pop_back();

  std::string meta = "-";
  if (!o.from.empty()) {
    std::string spec = o.from;
    std::string snap;
    if (size_t at = spec.find('@'); at != std::string::npos) {
      snap = spec.substr(at + 1);
      spec = spec.substr(0, at);
    }
    if (snap.empty())
      snap = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
    auto parsed = parse_meta(spec + "@" + snap);
    if (!parsed || !parsed->layered)
      return Error(ErrorCode::invalid_argument,
                   "--from must be NAME:TAG or NAME:TAG@SNAPSHOT, not \"" + o.from + "\"");
    if (snap.find_first_of(" \t\n") != std::string::npos)
      return Error(ErrorCode::invalid_argument, "the snapshot name may not contain spaces");
    meta = parsed->pot + ":" + parsed->tag + "@" + snap;
  }
  meta += "\n";

  std::optional<SignifySecretKey> key;
  if (!o.sign_key.empty()) {
    auto text = read_file(o.sign_key, 64 * 1024);
    if (!text) return std::move(text).error();
    auto k = parse_signify_secret_key(*text);
    if (!k) return Error(k.error().code(), o.sign_key + ": " + k.error().message());
    key = std::move(*k);
  }

  int root = ::open(rootfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return sys_error("cannot open root directory", rootfs, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } root_closer{root};
  struct stat root_st {};
  if (::fstat(root, &root_st) != 0) return sys_error("cannot inspect", rootfs, errno);
  if (auto r = make_dirs(o.out_dir); !r) return std::move(r).error();

  ExportResult res;
  std::string base = o.out_dir + "/" + o.pot + "_" + o.tag + ".xz";
  res.archive = base;
  res.meta = base + ".meta";
  res.digest = base + ".skein";
  std::string tmp = o.out_dir + "/." + o.pot + "_" + o.tag + ".xz.tmp-" + random_hex(12);
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) return sys_error("cannot create", tmp, errno);
  struct TmpGuard {
    int fd;
    std::string path;
    bool keep = false;
    ~TmpGuard() {
      if (fd >= 0) ::close(fd);
      if (!keep) ::unlink(path.c_str());
    }
  } guard{out, tmp};

  XzWriter xz(out, tmp, o.level, o.threads);
  if (xz.error()) return *xz.error();
  {
    std::unique_ptr<struct archive, ArchiveWriteDeleter> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    archive_write_add_filter_none(a.get());
    archive_write_set_bytes_per_block(a.get(), 10240);
    if (archive_write_open(a.get(), &xz, nullptr, write_callback, nullptr) != ARCHIVE_OK) {
      if (xz.error()) return *xz.error();
      return Error(ErrorCode::io,
                   std::string("cannot start the archive: ") + archive_error_string(a.get()));
    }
    TreeWriter tw(a.get(), rootfs);
    Result<void> walked = tw.write_entry(root, ".", ".", root_st);
    if (walked) walked = tw.write_tree(root, ".");
    if (!walked) {
      if (xz.error()) return *xz.error();
      return std::move(walked).error();
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
      if (xz.error()) return *xz.error();
      return Error(ErrorCode::io,
                   std::string("cannot finish the archive: ") + archive_error_string(a.get()));
    }
    res.entries = tw.entries();
  }
  if (!xz.finish()) return *xz.error();
  if (::fsync(out) != 0 || ::close(out) != 0) {
    guard.fd = -1;
    return sys_error("cannot write", tmp, errno);
  }
  guard.fd = -1;
  if (::rename(tmp.c_str(), base.c_str()) != 0) return sys_error("cannot write", base, errno);
  guard.keep = true;
  res.archive_bytes = xz.xz_bytes();
  res.tar_bytes = xz.tar_bytes();

  xz.skein().update(meta);
  xz.sha256().update(meta);
  res.skein_hex = to_hex(xz.skein().final());
  std::string skein_text = res.skein_hex + "\n";
  if (auto r = write_file_atomic(res.meta, meta); !r) return std::move(r).error();
  if (auto r = write_file_atomic(res.digest, skein_text); !r) return std::move(r).error();
  std::string sha_text;
  if (o.sha256) {
    res.sha256 = base + ".sha256";
    sha_text = to_hex(xz.sha256().final()) + "\n";
    if (auto r = write_file_atomic(res.sha256, sha_text); !r) return std::move(r).error();
  }
  if (key) {
    auto sig = signify_sign(*key, skein_text, pubkey_name_for(o.sign_key));
    if (!sig) return std::move(sig).error();
    res.signature = res.digest + ".sig";
    if (auto r = write_file_atomic(res.signature, *sig); !r) return std::move(r).error();
    if (o.sha256) {
      auto sig2 = signify_sign(*key, sha_text, pubkey_name_for(o.sign_key));
      if (!sig2) return std::move(sig2).error();
      if (auto r = write_file_atomic(res.sha256 + ".sig", *sig2); !r) return std::move(r).error();
    }
  }
  return res;
}

}  // namespace warden::image
