// The image store: resolving the chain of layers, one locked fetch per image, and the
// one-pass download -> hash -> decode -> unpack pipeline.
//
// The pipeline has two threads. The fetching thread receives the payload, appends it to the
// resumable partial file, hashes it and hands it to a bounded queue; the unpacking thread pulls
// from that queue through the xz decoder (whose own worker threads use the other cores) and
// libarchive into the staging directory. The queue bounds the memory in flight; if the
// unpacking side fails first (say a corrupt block), the fetching side still completes the
// hash, so that a tampered payload is reported as a hash mismatch rather than as a decoding
// error.
#include "warden/image/store.hpp"
#include "warden/core/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "catalog.hpp"
#include "warden/core/log.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/signify.hpp"

namespace warden::image {

using Clock = std::chrono::steady_clock;

const char* step_name(FetchStep s) {
  switch (s) {
    case FetchStep::resolve:
      return "resolve";
    case FetchStep::wait:
      return "wait";
    case FetchStep::download:
      return "download";
    case FetchStep::verify:
      return "verify";
    case FetchStep::retry:
      return "retry";
    case FetchStep::done:
      return "done";
    case FetchStep::cached:
      return "cached";
  }
  return "unknown";
}

namespace {

constexpr size_t kQueueBytes = 8 << 20;

// The bounded hand-over between the fetching and the unpacking thread.
class ChunkQueue {
 public:
  // Blocks while full. Returns at once (dropping the data) once the consumer has stopped.
  void push(const char* data, size_t len) {
    std::unique_lock lk(mu_);
    space_.wait(lk, [&] { return bytes_ + len <= kQueueBytes || bytes_ == 0 || abandoned_; });
    if (abandoned_) return;
    chunks_.emplace_back(data, len);
    bytes_ += len;
    ready_.notify_one();
  }
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    ready_.notify_all();
  }
  void fail(Error e) {
    std::lock_guard lk(mu_);
    error_ = std::move(e);
    closed_ = true;
    ready_.notify_all();
  }
  void abandon() {
    std::lock_guard lk(mu_);
    abandoned_ = true;
    chunks_.clear();
    bytes_ = 0;
    space_.notify_all();
  }
  Result<size_t> read(char* buf, size_t cap) {
    std::unique_lock lk(mu_);
    ready_.wait(lk, [&] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) {
      if (error_) return *error_;
      return size_t{0};
    }
    std::string& front = chunks_.front();
    size_t n = std::min(cap, front.size() - front_pos_);
    std::memcpy(buf, front.data() + front_pos_, n);
    front_pos_ += n;
    if (front_pos_ == front.size()) {
      bytes_ -= front.size();
      chunks_.pop_front();
      front_pos_ = 0;
      space_.notify_one();
    }
    return n;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::string> chunks_;
  size_t front_pos_ = 0;
  size_t bytes_ = 0;
  bool closed_ = false;
  bool abandoned_ = false;
  std::optional<Error> error_;
};

class QueueSource : public ByteSource {
 public:
  explicit QueueSource(ChunkQueue& q) : q_(q) {}
  Result<size_t> read(char* buf, size_t cap) override { return q_.read(buf, cap); }

 private:
  ChunkQueue& q_;
};

// What the registry says about one image.
struct Remote {
  ImageRef ref;
  std::string name;
  std::string meta_text;
  Meta meta;
  DigestAlgorithm algorithm = DigestAlgorithm::skein1024;
  std::string digest;  // lower-case hex
  std::string digest_url;
  bool signature_verified = false;

  std::string object_id() const {
    return std::string(algorithm_name(algorithm)) + "-" + digest.substr(0, 64);
  }
};

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A hash mismatch is the one failure that is retried (as pot does).
struct Mismatch {};

}  // namespace

struct ImageStore::Impl {
  std::string dir;
  mutable std::mutex mu;
  std::set<CancelToken*> active;

  std::string path(std::string_view sub) const { return dir + "/" + std::string(sub); }
  std::string name_file(std::string_view name) const {
    return dir + "/names/" + std::string(name) + ".json";
  }
  std::string object_dir(std::string_view id) const { return dir + "/objects/" + std::string(id); }

  // Store-wide lock for the short sections that link names to objects or collect objects.
  Result<FileLock> store_lock() const { return FileLock::acquire(path("store.lock")); }

  Result<ImageInfo> read_name(std::string_view name) const {
    std::string file = name_file(name);
    auto text = read_file(file);
    if (!text) {
      if (text.error().code() == ErrorCode::not_found)
        return Error(ErrorCode::not_found,
                     "no image named \"" + std::string(name) + "\" in " + dir);
      return std::move(text).error();
    }
    auto info = detail::parse_name_record(*text, file);
    if (!info) return info;
    info->rootfs = object_dir(info->object) + "/rootfs";
    return info;
  }

  Result<ImageInfo> lookup(std::string_view name) const {
    if (auto r = validate_name(name, "image name"); !r) return std::move(r).error();
    auto info = read_name(name);
    if (!info) return info;
    if (!exists(info->rootfs))
      return Error(ErrorCode::not_found,
                   "image \"" + std::string(name) + "\" has lost its files (" + info->rootfs + ")");
    info->layers.push_back(info->rootfs);
    std::set<std::string> seen{info->name};
    std::string parent = info->parent;
    while (!parent.empty()) {
      if (!seen.insert(parent).second)
        return Error(ErrorCode::io,
                     "image \"" + std::string(name) + "\" has a cycle of base images");
      auto base = read_name(parent);
      if (!base)
        return Error(ErrorCode::not_found, "base image \"" + parent + "\" of \"" +
                                               std::string(name) + "\" is not in the store");
      info->layers.push_back(base->rootfs);
      parent = base->parent;
    }
    return info;
  }

  bool cached(std::string_view name) const {
    auto info = read_name(name);
    return info && exists(info->rootfs);
  }

  // ---- fetching ----

  struct Job {
    const FetchOptions& opt;
    CancelToken& cancel;
    std::optional<SignifyPublicKey> key;
    Clock::time_point last_progress{};

    bool report(std::string_view image, FetchStep step, uint64_t done = 0, uint64_t total = 0,
                bool throttle = false) {
      if (!opt.progress) return true;
      auto now = Clock::now();
      if (throttle && now - last_progress < std::chrono::milliseconds(100)) return true;
      last_progress = now;
      if (!opt.progress(FetchProgress{image, step, done, total})) {
        cancel.cancel();
        return false;
      }
      return true;
    }
    Result<void> check() const {
      if (cancel.cancelled()) return Error(errc::cancelled, "fetch cancelled");
      auto d = opt.transfer.deadline;
      if (opt.transfer.total_timeout.count() > 0 && d != Clock::time_point{} && Clock::now() >= d)
        return Error(errc::timeout, "fetch timed out (total timeout " +
                                        std::to_string(opt.transfer.total_timeout.count()) +
                                        " ms)");
      return {};
    }
  };

  Result<Remote> resolve_remote(Session& s, Job& job, const ImageRef& ref) {
    Remote r;
    r.ref = ref;
    r.name = ref.local_name();
    job.report(r.name, FetchStep::resolve);
    auto meta = s.fetch_small(ref.file_url(".meta"), 64 * 1024);
    if (meta) {
      r.meta_text = std::move(*meta);
    } else if (meta.error().code() != ErrorCode::not_found) {
      return std::move(meta).error();
    }  // a missing .meta counts as empty, as pot does
    auto parsed = parse_meta(r.meta_text);
    if (!parsed)
      return Error(parsed.error().code(), ref.file_url(".meta") + ": " + parsed.error().message());
    r.meta = std::move(*parsed);

    std::string digest_text;
    r.digest_url = ref.file_url(".skein");
    auto sk = s.fetch_small(r.digest_url, 64 * 1024);
    if (sk) {
      digest_text = std::move(*sk);
    } else if (sk.error().code() == ErrorCode::not_found) {
      r.algorithm = DigestAlgorithm::sha256;
      r.digest_url = ref.file_url(".sha256");
      auto sha = s.fetch_small(r.digest_url, 64 * 1024);
      if (!sha) {
        if (sha.error().code() == ErrorCode::not_found)
          return Error(
              ErrorCode::not_found,
              "image " + ref.file_url() + " has no digest file (neither .skein nor .sha256)");
        return std::move(sha).error();
      }
      digest_text = std::move(*sha);
    } else {
      return std::move(sk).error();
    }
    auto digest = parse_digest_file(digest_text, r.algorithm);
    if (!digest)
      return Error(errc::verify,
                   r.digest_url + " does not hold a " + algorithm_name(r.algorithm) + " digest");
    r.digest = *digest;

    if (job.key) {
      std::string sig_url = r.digest_url + ".sig";
      auto sig_text = s.fetch_small(sig_url, 64 * 1024);
      if (!sig_text) {
        if (sig_text.error().code() == ErrorCode::not_found)
          return Error(errc::verify, "image " + ref.file_url() + " is not signed (no " + sig_url +
                                         ") and a public key is configured");
        return std::move(sig_text).error();
      }
      auto sig = parse_signify_signature(*sig_text);
      if (!sig) return Error(errc::verify, sig_url + ": " + sig.error().message());
      if (auto v = signify_verify(*job.key, *sig, digest_text, sig_url); !v)
        return std::move(v).error();
      r.signature_verified = true;
    }
    return r;
  }

  Result<ImageInfo> link_name(const Remote& r, const std::string& object, uint64_t archive_bytes,
                              const ExtractStats* stats) {
    ImageInfo info;
    info.name = r.name;
    info.url = r.ref.url;
    info.pot = r.ref.pot;
    info.tag = r.ref.tag;
    info.object = object;
    info.algorithm = r.algorithm;
    info.digest = r.digest;
    info.meta = r.meta.line;
    info.parent = r.meta.layered ? r.meta.base_local_name() : "";
    info.signature_verified = r.signature_verified;
    info.fetched_at = unix_now();
    info.archive_bytes = archive_bytes;
    if (stats) {
      info.entries = stats->entries;
      info.bytes = stats->bytes;
    } else if (auto old = read_object_stats(object)) {
      info.archive_bytes = old->archive_bytes;
      info.entries = old->entries;
      info.bytes = old->bytes;
    }
    if (auto w = write_file_atomic(name_file(r.name), detail::name_record_json(info)); !w)
      return std::move(w).error();
    return info;
  }

  // The sizes recorded with an object (object.json is a name record of its first name).
  std::optional<ImageInfo> read_object_stats(const std::string& object) const {
    std::string file = object_dir(object) + "/object.json";
    auto text = read_file(file);
    if (!text) return std::nullopt;
    auto info = detail::parse_name_record(*text, file);
    if (!info) return std::nullopt;
    return *info;
  }

  // Streams the payload through hash and unpacking into staging; commits on success.
  Result<ImageInfo> download_and_commit(Session& s, Job& job, const Remote& r) {
    const std::string name = r.name;
    const std::string url = r.ref.file_url();
    std::string staging = path("staging/" + name + "." + random_hex(12));
    std::string part = path("partial/" + name + ".xz.part");
    std::string part_info = path("partial/" + name + ".xz.json");
    auto cleanup_staging = [&] { (void)remove_tree(staging); };
    auto drop_partial = [&] {
      ::unlink(part.c_str());
      ::unlink(part_info.c_str());
    };
    if (auto m = make_dirs(staging + "/rootfs", 0755); !m) return std::move(m).error();

    // Resume a partial download left by an earlier attempt at the same content.
    uint64_t resume = 0;
    std::string want_info = url + "\n" + r.digest + "\n";
    if (auto have = read_file(part_info); have && *have == want_info) {
      struct stat st {};
      if (::stat(part.c_str(), &st) == 0) resume = static_cast<uint64_t>(st.st_size);
    } else {
      drop_partial();
    }
    if (auto w = write_file_atomic(part_info, want_info); !w) {
      cleanup_staging();
      return std::move(w).error();
    }
    int part_fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (part_fd < 0 || ::ftruncate(part_fd, static_cast<off_t>(resume)) != 0 ||
        ::lseek(part_fd, 0, SEEK_SET) < 0) {
      int e = errno;
      if (part_fd >= 0) ::close(part_fd);
      cleanup_staging();
      return Error(ErrorCode::io, "cannot open " + part + ": " + std::strerror(e));
    }
    struct FdCloser {
      int fd;
      ~FdCloser() { ::close(fd); }
    } part_closer{part_fd};

    Hasher hasher(r.algorithm);
    ChunkQueue queue;
    std::optional<Result<ExtractStats>> extracted;
    std::thread unpacker([&] {
      QueueSource src(queue);
      try {
        extracted.emplace(extract(src, staging + "/rootfs", job.opt.extract));
      } catch (const std::exception& e) {
        extracted.emplace(Error(ErrorCode::internal, std::string("unpacking failed: ") + e.what()));
      }
      queue.abandon();
    });
    struct Joiner {
      std::thread& t;
      ChunkQueue& q;
      ~Joiner() {
        if (t.joinable()) {
          q.fail(Error(errc::cancelled, "stopped"));
          t.join();
        }
      }
    } joiner{unpacker, queue};

    uint64_t done = 0, total = 0;
    std::optional<Error> write_error;
    auto feed = [&](const char* p, size_t n, bool to_disk) {
      if (to_disk && !write_error) {
        const char* q = p;
        size_t left = n;
        while (left > 0) {
          ssize_t w = ::write(part_fd, q, left);
          if (w < 0 && errno == EINTR) continue;
          if (w < 0) {
            write_error =
                Error(ErrorCode::io, "cannot write " + part + ": " + std::strerror(errno));
            break;
          }
          q += w;
          left -= static_cast<size_t>(w);
        }
      }
      hasher.update(p, n);
      queue.push(p, n);
      done += n;
      return job.report(name, FetchStep::download, done, total, true) && !write_error &&
             !job.cancel.cancelled();
    };

    Result<ResourceInfo> dl = ResourceInfo{};
    if (resume > 0) {
      std::vector<char> buf(1 << 20);
      while (done < resume) {
        ssize_t n = ::read(part_fd, buf.data(), std::min<uint64_t>(buf.size(), resume - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          dl = Error(ErrorCode::io, "cannot read " + part);
          break;
        }
        if (!feed(buf.data(), static_cast<size_t>(n), false)) break;
      }
    }
    if (dl && !job.cancel.cancelled() && !write_error) {
      dl = s.download(
          url, resume, [&](const char* p, size_t n) { return feed(p, n, true); },
          [&](const ResourceInfo& info) {
            total = info.size > 0 ? static_cast<uint64_t>(info.size) : 0;
            job.report(name, FetchStep::download, done, total);
          });
    }
    Result<void> stop = job.check();
    if (dl && !stop) dl = Error(stop.error());
    if (dl && write_error) dl = *write_error;
    if (!dl) {
      queue.fail(dl.error());
      unpacker.join();
      cleanup_staging();
      // A broken or cancelled download stays resumable; a missing file, or a partial file the
      // server says is already past the end, does not.
      if (dl.error().code() == ErrorCode::not_found ||
          dl.error().message().find("HTTP 416") != std::string::npos)
        drop_partial();
      return std::move(dl).error();
    }
    queue.close();
    job.report(name, FetchStep::download, done, total ? total : done);
    job.report(name, FetchStep::verify, done, total ? total : done);

    // pot hashes the .xz followed by the .meta; a .sha256 may also cover the .xz alone.
    std::optional<Hasher> xz_only;
    if (r.algorithm == DigestAlgorithm::sha256) xz_only.emplace(hasher.fork());
    hasher.update(r.meta_text);
    std::string got = to_hex(hasher.final());
    bool match = got == r.digest;
    if (!match && xz_only) match = to_hex(xz_only->final()) == r.digest;
    unpacker.join();
    if (!match) {
      cleanup_staging();
      drop_partial();
      return Error(errc::verify, "hash mismatch for " + url + ": expected " +
                                     algorithm_name(r.algorithm) + " " + r.digest + ", got " + got);
    }
    if (!extracted || !*extracted) {
      cleanup_staging();
      drop_partial();
      Error e =
          extracted ? extracted->error() : Error(ErrorCode::internal, "unpacking did not run");
      return Error(e.code(), url + ": " + e.message());
    }
    const ExtractStats& stats = **extracted;

    // Commit: the staging directory becomes the object, then the name points at it.
    std::string object = r.object_id();
    ImageInfo record;
    record.name = name;
    record.url = r.ref.url;
    record.pot = r.ref.pot;
    record.tag = r.ref.tag;
    record.object = object;
    record.algorithm = r.algorithm;
    record.digest = r.digest;
    record.meta = r.meta.line;
    record.archive_bytes = done;
    record.entries = stats.entries;
    record.bytes = stats.bytes;
    record.fetched_at = unix_now();
    if (auto w = write_file_atomic(staging + "/object.json", detail::name_record_json(record));
        !w) {
      cleanup_staging();
      return std::move(w).error();
    }
    auto lock = store_lock();
    if (!lock) {
      cleanup_staging();
      return std::move(lock).error();
    }
    if (::rename(staging.c_str(), object_dir(object).c_str()) != 0) {
      int e = errno;
      cleanup_staging();
      if (e != EEXIST && e != ENOTEMPTY)
        return Error(ErrorCode::io, "cannot commit image " + name + ": " + std::strerror(e));
      // The same content arrived under another name meanwhile: use that copy.
    }
    auto info = link_name(r, object, done, &stats);
    lock->release();
    drop_partial();
    if (!info) return info;
    job.report(name, FetchStep::done, done, total ? total : done);
    return info;
  }

  Result<void> fetch_one(Session& s, Job& job, Remote r, bool refresh) {
    const std::string name = r.name;
    auto lock = FileLock();
    auto got = FileLock::try_acquire(path("locks/" + name + ".lock"), lock);
    if (!got) return std::move(got).error();
    if (!*got) {
      job.report(name, FetchStep::wait);
      auto waited = FileLock::acquire(path("locks/" + name + ".lock"), [&] { return job.check(); });
      if (!waited) return std::move(waited).error();
      lock = std::move(*waited);
      refresh = false;  // whoever held the lock has just fetched it
    }
    if (auto existing = read_name(name); existing && exists(existing->rootfs)) {
      if (!refresh || (existing->digest == r.digest && existing->algorithm == r.algorithm)) {
        job.report(name, FetchStep::cached);
        return {};
      }
    }
    // Leftovers of an interrupted fetch of this image (we hold its lock, so they are stale).
    if (DIR* d = ::opendir(path("staging").c_str())) {
      std::vector<std::string> stale;
      while (struct dirent* ent = ::readdir(d)) {
        std::string n = ent->d_name;
        if (n.rfind(name + ".", 0) == 0 && n.size() == name.size() + 13) stale.push_back(n);
      }
      ::closedir(d);
      for (const auto& n : stale) (void)remove_tree(path("staging/" + n));
    }
    for (int attempt = 0;; ++attempt) {
      if (auto c = job.check(); !c) return c;
      {
        // Content already in the store (under another name): just add the name.
        auto slock = store_lock();
        if (!slock) return std::move(slock).error();
        if (exists(object_dir(r.object_id()) + "/rootfs")) {
          auto info = link_name(r, r.object_id(), 0, nullptr);
          if (!info) return std::move(info).error();
          job.report(name, FetchStep::cached);
          return {};
        }
      }
      auto res = download_and_commit(s, job, r);
      if (res) return {};
      bool mismatch = res.error().code() == errc::verify &&
                      res.error().message().rfind("hash mismatch", 0) == 0;
      if (!mismatch || attempt > 0) return std::move(res).error();
      log(LogLevel::info, "image", res.error().message() + "; retrying once");
      job.report(name, FetchStep::retry);
      auto again = resolve_remote(s, job, r.ref);
      if (!again) return std::move(again).error();
      if (again->meta.line != r.meta.line)
        return Error(errc::verify, r.ref.file_url(".meta") + " changed during the fetch");
      r = std::move(*again);
    }
  }

  Result<ImageInfo> fetch(const ImageRef& ref, const FetchOptions& opt_in) {
    if (auto v = validate(ref); !v) return std::move(v).error();
    FetchOptions opt = opt_in;
    CancelToken cancel(opt_in.transfer.cancel);
    {
      std::lock_guard lk(mu);
      active.insert(&cancel);
    }
    struct Unregister {
      Impl& impl;
      CancelToken* t;
      ~Unregister() {
        std::lock_guard lk(impl.mu);
        impl.active.erase(t);
      }
    } unregister{*this, &cancel};
    opt.transfer.cancel = &cancel;
    if (opt.transfer.total_timeout.count() > 0) {
      auto d = Clock::now() + opt.transfer.total_timeout;
      if (opt.transfer.deadline == Clock::time_point{} || d < opt.transfer.deadline)
        opt.transfer.deadline = d;
    }
    Job job{opt, cancel, std::nullopt, {}};
    if (!opt.public_key.empty()) {
      std::string text = opt.public_key;
      if (text.rfind("untrusted comment:", 0) != 0) {
        auto file = read_file(opt.public_key, 64 * 1024);
        if (!file)
          return Error(ErrorCode::invalid_argument, "public key: " + file.error().message());
        text = std::move(*file);
      }
      auto key = parse_signify_public_key(text);
      if (!key)
        return Error(key.error().code(),
                     "public key " + opt.public_key + ": " + key.error().message());
      job.key = std::move(*key);
    }

    Session session(opt.transfer);
    // The chain of images to fetch, from the requested one down to the first cached base.
    std::vector<Remote> chain;
    std::vector<std::string> names;
    ImageRef cur = ref;
    for (;;) {
      std::string name = cur.local_name();
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        std::string path_text;
        for (const auto& n : names) path_text += n + " -> ";
        return Error(ErrorCode::invalid_argument, "layered image cycle: " + path_text + name +
                                                      " (from " + ref.file_url(".meta") + ")");
      }
      names.push_back(name);
      bool refresh_this = opt.refresh && chain.empty();
      if (!refresh_this && cached(name)) {
        job.report(name, FetchStep::cached);
        break;
      }
      if (static_cast<int>(chain.size()) >= opt.max_layers)
        return Error(ErrorCode::invalid_argument, "image " + ref.file_url() + " has more than " +
                                                      std::to_string(opt.max_layers) + " layers");
      auto remote = resolve_remote(session, job, cur);
      if (!remote) {
        if (chain.empty()) return std::move(remote).error();
        return Error(remote.error().code(), "base image " + name + " of " + chain.back().name +
                                                ": " + remote.error().message());
      }
      chain.push_back(std::move(*remote));
      const Remote& r = chain.back();
      if (!r.meta.layered) break;
      cur = ImageRef{ref.url, r.meta.pot, r.meta.tag};
    }
    for (size_t i = chain.size(); i-- > 0;) {
      auto res = fetch_one(session, job, chain[i], opt.refresh && i == 0);
      if (!res) {
        if (i == 0) return std::move(res).error();
        return Error(res.error().code(), "base image " + chain[i].name + " of " + chain[0].name +
                                             ": " + res.error().message());
      }
    }
    return lookup(ref.local_name());
  }
};

ImageStore::ImageStore() : impl_(std::make_unique<Impl>()) {}
ImageStore::~ImageStore() = default;

Result<std::unique_ptr<ImageStore>> ImageStore::open(const std::string& dir_in) {
  if (dir_in.empty()) return Error(ErrorCode::invalid_argument, "image store directory is empty");
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.front() != '/') {
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd))
      return Error(ErrorCode::io, "cannot read the current directory");
    dir = std::string(cwd) + "/" + dir;
  }
  for (const char* sub : {"objects", "names", "locks", "staging", "partial", "trash"}) {
    if (auto r = make_dirs(dir + "/" + sub, 0755); !r) return std::move(r).error();
  }
  std::unique_ptr<ImageStore> s(new ImageStore());
  s->impl_->dir = dir;
  return s;
}

const std::string& ImageStore::dir() const {
  return impl_->dir;
}

Result<ImageInfo> ImageStore::fetch(const ImageRef& ref, const FetchOptions& options) {
  return impl_->fetch(ref, options);
}

Result<ImageInfo> ImageStore::lookup(std::string_view name) const {
  return impl_->lookup(name);
}

Result<std::vector<ImageInfo>> ImageStore::list() const {
  std::vector<std::string> names;
  DIR* d = ::opendir(impl_->path("names").c_str());
  if (!d)
    return Error(ErrorCode::io,
                 "cannot list " + impl_->path("names") + ": " + std::strerror(errno));
  while (struct dirent* ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0)
      names.push_back(n.substr(0, n.size() - 5));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  std::vector<ImageInfo> out;
  for (const auto& n : names) {
    auto info = impl_->read_name(n);
    if (!info) {
      if (info.error().code() == ErrorCode::not_found) continue;  // removed meanwhile
      return std::move(info).error();
    }
    info->layers.push_back(info->rootfs);
    out.push_back(std::move(*info));
  }
  return out;
}

Result<void> ImageStore::remove(std::string_view name_in) {
  if (auto r = validate_name(name_in, "image name"); !r) return r;
  std::string name(name_in);
  auto lock = FileLock::acquire(impl_->path("locks/" + name + ".lock"));
  if (!lock) return std::move(lock).error();
  auto slock = impl_->store_lock();
  if (!slock) return std::move(slock).error();
  auto info = impl_->read_name(name);
  if (!info) return std::move(info).error();
  auto all = list();
  if (!all) return std::move(all).error();
  bool shared = false;
  for (const auto& other : *all) {
    if (other.name == name) continue;
    if (other.parent == name)
      return Error(ErrorCode::invalid_argument, "image \"" + name + "\" is the base of \"" +
                                                    other.name + "\"; remove that first");
    if (other.object == info->object) shared = true;
  }
  if (::unlink(impl_->name_file(name).c_str()) != 0)
    return Error(ErrorCode::io,
                 "cannot remove " + impl_->name_file(name) + ": " + std::strerror(errno));
  if (shared) return {};
  std::string trash = impl_->path("trash/" + info->object + "." + random_hex(12));
  if (::rename(impl_->object_dir(info->object).c_str(), trash.c_str()) != 0) {
    if (errno == ENOENT) return {};
    return Error(ErrorCode::io,
                 "cannot remove " + impl_->object_dir(info->object) + ": " + std::strerror(errno));
  }
  slock->release();
  lock->release();
  return remove_tree(trash);
}

void ImageStore::cancel_all() {
  std::lock_guard lk(impl_->mu);
  for (CancelToken* t : impl_->active) t->cancel();
}

}  // namespace warden::image
