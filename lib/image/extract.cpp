// Safe extraction: libarchive reads the tar stream, and every entry is written here with *at()
// system calls relative to directory descriptors opened component by component with
// O_NOFOLLOW, so that no path of the archive can make us write outside the target.
#include "warden/image/extract.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "payload.hpp"
#include "warden/core/strings.hpp"
#include "warden/image/errors.hpp"

namespace warden::image {
namespace {

constexpr size_t kReadBuffer = 1 << 20;

std::string errno_text(int e) {
  return std::strerror(e);
}

Error refuse(std::string_view path, const std::string& why) {
  return Error(errc::refused, "refused archive entry \"" + std::string(path) + "\": " + why);
}

Error io_error(std::string_view what, std::string_view path, int e) {
  return Error(ErrorCode::io,
               std::string(what) + " \"" + std::string(path) + "\": " + errno_text(e));
}

// What libarchive pulls its input from: the (decoded) payload, with the stream size limit.
struct ReadContext {
  ByteSource* source = nullptr;
  std::vector<char> buf = std::vector<char>(kReadBuffer);
  std::optional<Error> error;  // the source's own error, reported instead of libarchive's
  uint64_t total = 0;
  uint64_t limit = 0;
};

la_ssize_t read_callback(struct archive* a, void* client, const void** out) {
  auto* ctx = static_cast<ReadContext*>(client);
  auto r = ctx->source->read(ctx->buf.data(), ctx->buf.size());
  if (!r) {
    ctx->error = std::move(r).error();
    archive_set_error(a, EIO, "%s", ctx->error->message().c_str());
    return -1;
  }
  ctx->total += *r;
  if (ctx->total > ctx->limit) {
    ctx->error = Error(errc::refused, "refused archive: the uncompressed stream exceeds " +
                                          std::to_string(ctx->limit) + " bytes");
    archive_set_error(a, EFBIG, "%s", ctx->error->message().c_str());
    return -1;
  }
  *out = ctx->buf.data();
  return static_cast<la_ssize_t>(*r);
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// Splits an archive path into components: "./a//b/" -> {a, b}; refuses absolute paths and "..".
Result<std::vector<std::string>> split_path(std::string_view p, std::string_view entry,
                                            std::string_view what) {
  std::vector<std::string> out;
  if (!p.empty() && p.front() == '/') return refuse(entry, std::string(what) + " is absolute");
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view c = p.substr(i, j - i);
    if (c == "..") return refuse(entry, std::string(what) + " contains \"..\"");
    if (!c.empty() && c != ".") out.emplace_back(c);
    i = j + 1;
  }
  return out;
}

std::string join_path(const std::vector<std::string>& comps, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += '/';
    s += comps[i];
  }
  return s;
}

struct DeferredDir {
  std::vector<std::string> comps;
  mode_t mode = 0755;
  bool has_owner = false;
  uid_t uid = 0;
  gid_t gid = 0;
  bool has_mtime = false;
  struct timespec times[2] = {};
};

class Extractor {
 public:
  Extractor(int root_fd, const ExtractOptions& o) : root_(root_fd), opt_(o) {
    as_root_ = geteuid() == 0;
    euid_ = geteuid();
    egid_ = getegid();
    umask_ = read_umask();
  }
  ~Extractor() { clear_cache(); }

  Result<void> entry(struct archive* a, struct archive_entry* e);
  Result<void> finish();
  ExtractStats& stats() { return stats_; }

 private:
  Result<int> open_dir(const std::vector<std::string>& comps, size_t n, bool create,
                       std::string_view entry);
  void clear_cache() {
    for (auto& [k, fd] : cache_) ::close(fd);
    cache_.clear();
  }
  // Makes room for a new node `name` in `dir`: removes a non-directory already there.
  Result<void> make_room(int dir, const std::string& name, std::string_view entry);
  void set_times(struct archive_entry* e, struct timespec ts[2], bool& has);
  Result<void> write_file(struct archive* a, struct archive_entry* e, int dir,
                          const std::string& name, std::string_view path);

  // The process umask without changing it (umask(2) can only be read by setting it, which would
  // race with other threads): from /proc/self/status; unknown means "always chmod".
  static mode_t read_umask() {
    FILE* f = std::fopen("/proc/self/status", "re");
    if (!f) return 07777;
    char line[256];
    mode_t m = 07777;
    while (std::fgets(line, sizeof line, f)) {
      unsigned v = 0;
      if (std::sscanf(line, "Umask: %o", &v) == 1) {
        m = static_cast<mode_t>(v);
        break;
      }
    }
    std::fclose(f);
    return m;
  }

  int root_;
  ExtractOptions opt_;
  bool as_root_ = false;
  uid_t euid_ = 0;
  gid_t egid_ = 0;
  mode_t umask_ = 07777;
  ExtractStats stats_;
  std::unordered_map<std::string, int> cache_;  // "a/b" -> O_DIRECTORY fd
  std::vector<DeferredDir> dirs_;
  std::map<std::string, size_t> dir_index_;  // path -> index in dirs_ (last entry wins)
};

Result<int> Extractor::open_dir(const std::vector<std::string>& comps, size_t n, bool create,
                                std::string_view entry) {
  if (n == 0) return root_;
  std::string key = join_path(comps, n);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  // Start from the deepest cached ancestor.
  size_t start = 0;
  int fd = root_;
  for (size_t k = n - 1; k > 0; --k) {
    if (auto it = cache_.find(join_path(comps, k)); it != cache_.end()) {
      start = k;
      fd = it->second;
      break;
    }
  }
  for (size_t i = start; i < n; ++i) {
    const std::string& c = comps[i];
    int next = ::openat(fd, c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (::mkdirat(fd, c.c_str(), 0755) != 0 && errno != EEXIST)
        return io_error("cannot create directory", join_path(comps, i + 1), errno);
      next = ::openat(fd, c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      int e = errno;
      if (e == ELOOP || e == ENOTDIR)
        return refuse(entry, "its path goes through \"" + join_path(comps, i + 1) +
                                 "\", which is a symlink or not a directory");
      if (e == ENOENT) return refuse(entry, "\"" + join_path(comps, i + 1) + "\" does not exist");
      return io_error("cannot open directory", join_path(comps, i + 1), e);
    }
    cache_.emplace(join_path(comps, i + 1), next);
    fd = next;
  }
  return fd;
}

Result<void> Extractor::make_room(int dir, const std::string& name, std::string_view entry) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return io_error("cannot inspect", entry, errno);
  }
  if (S_ISDIR(st.st_mode)) return refuse(entry, "it would replace a directory");
  if (::unlinkat(dir, name.c_str(), 0) != 0) return io_error("cannot replace", entry, errno);
  return {};
}

void Extractor::set_times(struct archive_entry* e, struct timespec ts[2], bool& has) {
  has = archive_entry_mtime_is_set(e);
  if (!has) return;
  ts[1].tv_sec = archive_entry_mtime(e);
  ts[1].tv_nsec = archive_entry_mtime_nsec(e);
  if (archive_entry_atime_is_set(e)) {
    ts[0].tv_sec = archive_entry_atime(e);
    ts[0].tv_nsec = archive_entry_atime_nsec(e);
  } else {
    ts[0] = ts[1];
  }
}

Result<void> Extractor::write_file(struct archive* a, struct archive_entry* e, int dir,
                                   const std::string& name, std::string_view path) {
  // Created with its final permission bits when the umask keeps them, which saves a chmod per
  // file (and one inode update on the file system); the bits go through fchmod otherwise.
  mode_t mode = archive_entry_perm(e) & 07777;
  bool exact = (mode & 07000) == 0 && umask_ != 07777 && (mode & ~umask_) == mode;
  mode_t create_mode = exact ? mode : 0600;
  int fd = ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    create_mode);
  if (fd < 0 && errno == EEXIST) {
    if (auto r = make_room(dir, name, path); !r) return r;
    fd = ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  create_mode);
  }
  if (fd < 0) return io_error("cannot create", path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  la_int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
  int64_t pos = 0;  // the end of the data written so far
  const void* buf = nullptr;
  size_t len = 0;
  la_int64_t offset = 0;
  for (;;) {
    int r = archive_read_data_block(a, &buf, &len, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      return Error(errc::corrupt,
                   "reading \"" + std::string(path) + "\": " +
                       (archive_error_string(a) ? archive_error_string(a) : "archive error"));
    if (offset < 0) return refuse(path, "negative data offset");
    stats_.bytes += len;
    if (stats_.bytes > opt_.max_bytes)
      return refuse(path, "the archive holds more than " + std::to_string(opt_.max_bytes) +
                              " bytes of file data (limit)");
    // pwrite at the block's offset: sparse entries leave holes, and no lseek is needed.
    const char* p = static_cast<const char*>(buf);
    int64_t at = offset;
    while (len > 0) {
      ssize_t n = ::pwrite(fd, p, len, at);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error("cannot write", path, errno);
      p += n;
      len -= static_cast<size_t>(n);
      at += n;
    }
    pos = std::max(pos, at);
  }
  if (pos < size && ::ftruncate(fd, size) != 0) return io_error("cannot extend", path, errno);
  // A new file belongs to us (our directories have no setgid bit while unpacking): chown only
  // when the archive says otherwise.
  uid_t uid = static_cast<uid_t>(archive_entry_uid(e));
  gid_t gid = static_cast<gid_t>(archive_entry_gid(e));
  bool chown_needed = as_root_ && opt_.preserve_owner && (uid != euid_ || gid != egid_);
  if (chown_needed && ::fchown(fd, uid, gid) != 0)
    return io_error("cannot set the owner of", path, errno);
  // chown clears setuid/setgid bits, so the mode comes after it (exact modes have none).
  if (!exact && ::fchmod(fd, mode) != 0) return io_error("cannot set the mode of", path, errno);
  struct timespec ts[2] = {};
  bool has = false;
  set_times(e, ts, has);
  if (has && ::futimens(fd, ts) != 0) return io_error("cannot set the times of", path, errno);
  return {};
}

Result<void> Extractor::entry(struct archive* a, struct archive_entry* e) {
  if (cache_.size() > 256) clear_cache();
  const char* raw = archive_entry_pathname(e);
  if (!raw) return Error(errc::refused, "refused an archive entry whose name cannot be read");
  std::string_view path = raw;
  if (++stats_.entries > opt_.max_entries)
    return refuse(
        path, "the archive has more than " + std::to_string(opt_.max_entries) + " entries (limit)");
  auto comps = split_path(path, path, "path");
  if (!comps) return std::move(comps).error();
  for (const auto& c : *comps) {
    if (c.size() > 255) return refuse(path, "a path component is longer than 255 bytes");
  }
  if (path.size() > 4000) return refuse(path, "the path is longer than 4000 bytes");

  const char* hardlink = archive_entry_hardlink(e);
  mode_t type = archive_entry_filetype(e);
  mode_t perm = archive_entry_perm(e) & 07777;
  bool is_dir = !hardlink && type == AE_IFDIR;
  if (!opt_.allow_setid && !is_dir && (perm & (S_ISUID | S_ISGID)))
    return refuse(path, (perm & S_ISUID) ? "setuid bit (not allowed)" : "setgid bit (not allowed)");
  if (!hardlink && type == AE_IFREG && archive_entry_size_is_set(e) &&
      static_cast<uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e))) >
          opt_.max_bytes - std::min(opt_.max_bytes, stats_.bytes))
    return refuse(path, "the archive holds more than " + std::to_string(opt_.max_bytes) +
                            " bytes of file data (limit)");

  if (comps->empty()) {
    // The root itself ("./"): only its metadata.
    if (hardlink || type != AE_IFDIR) return refuse(path, "the image root must be a directory");
    ++stats_.directories;
    DeferredDir d;
    d.mode = perm;
    d.has_owner = true;
    d.uid = static_cast<uid_t>(archive_entry_uid(e));
    d.gid = static_cast<gid_t>(archive_entry_gid(e));
    set_times(e, d.times, d.has_mtime);
    dir_index_[""] = dirs_.size();
    dirs_.push_back(std::move(d));
    return {};
  }

  const std::string& name = comps->back();
  auto parent = open_dir(*comps, comps->size() - 1, true, path);
  if (!parent) return std::move(parent).error();
  int dir = *parent;
  uid_t uid = static_cast<uid_t>(archive_entry_uid(e));
  gid_t gid = static_cast<gid_t>(archive_entry_gid(e));
  bool chown_ok = as_root_ && opt_.preserve_owner;

  if (hardlink) {
    auto target = split_path(hardlink, path, "hardlink target");
    if (!target) return std::move(target).error();
    if (target->empty()) return refuse(path, "hardlink to the image root");
    auto tdir = open_dir(*target, target->size() - 1, false, path);
    if (!tdir)
      return refuse(path, "hardlink target \"" + std::string(hardlink) + "\" is not in the image");
    struct stat st {};
    if (::fstatat(*tdir, target->back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return refuse(path, "hardlink target \"" + std::string(hardlink) + "\" is not in the image");
    if (S_ISDIR(st.st_mode)) return refuse(path, "hardlink to a directory");
    if (!opt_.allow_devices && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
      return refuse(path, "hardlink to a special file");
    if (*target == *comps) return {};  // a link to itself: already there
    if (auto r = make_room(dir, name, path); !r) return r;
    if (::linkat(*tdir, target->back().c_str(), dir, name.c_str(), 0) != 0)
      return io_error("cannot create hardlink", path, errno);
    ++stats_.hardlinks;
    return {};
  }

  switch (type) {
    case AE_IFREG: {
      if (auto r = write_file(a, e, dir, name, path); !r) return r;
      ++stats_.files;
      return {};
    }
    case AE_IFDIR: {
      if (::mkdirat(dir, name.c_str(), 0755) != 0) {
        if (errno != EEXIST) return io_error("cannot create directory", path, errno);
        struct stat st {};
        if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
          return io_error("cannot inspect", path, errno);
        if (!S_ISDIR(st.st_mode)) {
          // A symlink or file of the same name came earlier: replace it, never follow it.
          if (::unlinkat(dir, name.c_str(), 0) != 0 || ::mkdirat(dir, name.c_str(), 0755) != 0)
            return io_error("cannot replace", path, errno);
        }
      }
      ++stats_.directories;
      DeferredDir d;
      d.comps = *comps;
      d.mode = perm;
      d.has_owner = true;
      d.uid = uid;
      d.gid = gid;
      set_times(e, d.times, d.has_mtime);
      std::string key = join_path(*comps, comps->size());
      if (auto it = dir_index_.find(key); it != dir_index_.end()) {
        dirs_[it->second] = std::move(d);
      } else {
        dir_index_[key] = dirs_.size();
        dirs_.push_back(std::move(d));
      }
      return {};
    }
    case AE_IFLNK: {
      const char* target = archive_entry_symlink(e);
      if (!target || !*target) return refuse(path, "symlink without a target");
      // Resolve the target lexically: from the link's directory, or from the image root for an
      // absolute target (that is where it points inside the jail).
      std::string_view t = target;
      size_t depth = t.front() == '/' ? 0 : comps->size() - 1;
      size_t i = 0;
      while (i <= t.size()) {
        size_t j = t.find('/', i);
        if (j == std::string_view::npos) j = t.size();
        std::string_view c = t.substr(i, j - i);
        if (c == "..") {
          if (depth == 0)
            return refuse(
                path, "symlink to \"" + std::string(target) + "\" leads outside the image root");
          --depth;
        } else if (!c.empty() && c != ".") {
          ++depth;
        }
        i = j + 1;
      }
      if (::symlinkat(target, dir, name.c_str()) != 0) {
        if (errno != EEXIST) return io_error("cannot create symlink", path, errno);
        if (auto r = make_room(dir, name, path); !r) return r;
        if (::symlinkat(target, dir, name.c_str()) != 0)
          return io_error("cannot create symlink", path, errno);
      }
      if (chown_ok && ::fchownat(dir, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
        return io_error("cannot set the owner of", path, errno);
      struct timespec ts[2] = {};
      bool has = false;
      set_times(e, ts, has);
      if (has && ::utimensat(dir, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return io_error("cannot set the times of", path, errno);
      ++stats_.symlinks;
      return {};
    }
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: {
      const char* kind = type == AE_IFIFO   ? "FIFO"
                         : type == AE_IFCHR ? "character device"
                                            : "block device";
      if (!opt_.allow_devices) return refuse(path, std::string(kind) + " (not allowed)");
      if (auto r = make_room(dir, name, path); !r) return r;
      int rc = type == AE_IFIFO ? ::mkfifoat(dir, name.c_str(), 0600)
                                : ::mknodat(dir, name.c_str(), type | 0600, archive_entry_rdev(e));
      if (rc != 0) return io_error(std::string("cannot create ") + kind, path, errno);
      if (chown_ok && ::fchownat(dir, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
        return io_error("cannot set the owner of", path, errno);
      if (::fchmodat(dir, name.c_str(), perm, 0) != 0)
        return io_error("cannot set the mode of", path, errno);
      struct timespec ts[2] = {};
      bool has = false;
      set_times(e, ts, has);
      if (has && ::utimensat(dir, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return io_error("cannot set the times of", path, errno);
      ++stats_.special;
      return {};
    }
    case AE_IFSOCK:
      return refuse(path, "socket");
    default:
      return refuse(path, "unknown entry type");
  }
}

Result<void> Extractor::finish() {
  clear_cache();
  // Deepest directories first, so that a read-only parent is locked only after its children.
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    const DeferredDir& d = *it;
    std::string shown = d.comps.empty() ? "." : join_path(d.comps, d.comps.size());
    int fd = root_;
    bool own = false;
    if (!d.comps.empty()) {
      auto parent = open_dir(d.comps, d.comps.size() - 1, false, shown);
      if (!parent) return std::move(parent).error();
      fd = ::openat(*parent, d.comps.back().c_str(),
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return io_error("cannot open directory", shown, errno);
      own = true;
    }
    Result<void> r;
    if (d.has_owner && as_root_ && opt_.preserve_owner && ::fchown(fd, d.uid, d.gid) != 0)
      r = io_error("cannot set the owner of", shown, errno);
    if (r && ::fchmod(fd, d.mode) != 0) r = io_error("cannot set the mode of", shown, errno);
    if (r && d.has_mtime && ::futimens(fd, d.times) != 0)
      r = io_error("cannot set the times of", shown, errno);
    if (own) ::close(fd);
    if (!r) return r;
    if (cache_.size() > 256) clear_cache();
  }
  clear_cache();
  return {};
}

}  // namespace

Result<ExtractStats> extract(ByteSource& source, const std::string& target_dir,
                             const ExtractOptions& options) {
  detail::PeekSource peek(source);
  auto head = peek.peek(16);
  if (!head) return std::move(head).error();

  std::unique_ptr<detail::XzSource> xz;
  std::unique_ptr<detail::PeekSource> decoded_peek;
  ByteSource* stream = &peek;
  std::string compression = "auto";
  if (detail::is_xz(*head)) {
    compression = "xz";
    xz = std::make_unique<detail::XzSource>(peek, options.decoder_threads, options.decoder_memory,
                                            options.decoder_memory_max);
    decoded_peek = std::make_unique<detail::PeekSource>(*xz);
    auto inner = decoded_peek->peek(16);
    if (!inner) return std::move(inner).error();
    if (is_zfs_send_stream(inner->data(), inner->size()))
      return Error(ErrorCode::unsupported,
                   "ZFS image, needs FreeBSD: the payload is a ZFS send stream (a pot image made "
                   "with `pot export`), which only `zfs receive` on FreeBSD can import");
    stream = decoded_peek.get();
  } else if (is_zfs_send_stream(head->data(), head->size())) {
    return Error(ErrorCode::unsupported,
                 "ZFS image, needs FreeBSD: the payload is a ZFS send stream, which only `zfs "
                 "receive` on FreeBSD can import");
  }

  int root = ::open(target_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return io_error("cannot open target directory", target_dir, errno);
  struct RootCloser {
    int fd;
    ~RootCloser() { ::close(fd); }
  } root_closer{root};

  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_read_new());
  if (!a) throw std::bad_alloc();
  if (xz) {
    archive_read_support_filter_none(a.get());
  } else {
    archive_read_support_filter_all(a.get());
  }
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());

  ReadContext ctx;
  ctx.source = stream;
  uint64_t entries_overhead = std::min<uint64_t>(options.max_entries, 1ULL << 32) * 4096;
  ctx.limit = options.max_bytes + entries_overhead + (16ULL << 20);
  if (ctx.limit < options.max_bytes) ctx.limit = UINT64_MAX;

  auto fail = [&](const char* what) -> Error {
    if (ctx.error) return *ctx.error;
    const char* msg = archive_error_string(a.get());
    return Error(errc::corrupt, std::string(what) + ": " + (msg ? msg : "archive error"));
  };
  if (archive_read_open(a.get(), &ctx, nullptr, read_callback, nullptr) != ARCHIVE_OK)
    return fail("cannot read the image payload");

  Extractor x(root, options);
  struct archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) return fail("cannot read the image payload");
    if (ctx.error) return *ctx.error;
    if (auto er = x.entry(a.get(), e); !er) return std::move(er).error();
    if (ctx.error) return *ctx.error;
  }
  if (auto r = x.finish(); !r) return std::move(r).error();
  ExtractStats stats = x.stats();
  if (stats.entries == 0)
    return Error(errc::corrupt, "the image payload is empty or not a tar archive");
  if (compression == "auto") {
    const char* name = archive_filter_name(a.get(), 0);
    compression = name ? name : "none";
  }
  stats.compression = compression;
  stats.stream_bytes = ctx.total;
  return stats;
}

}  // namespace warden::image
