// Downloading registry files over http://, https:// (Boost.Beast over OpenSSL) and file://.
//
// Certificates are verified against the system store (plus an optional CA file) and the host
// name; skipping verification takes an explicit option. Redirects are followed (at most
// max_redirects), transient failures are retried with exponential backoff, and a download
// that breaks off midway continues where it stopped with a `Range` request. Every wait obeys
// the connect/read/total timeouts and a CancelToken.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "warden/core/error.hpp"

namespace warden::image {

using Millis = std::chrono::milliseconds;

// Cancels the transfers and fetches that watch it; safe to trigger from any thread. A token
// made with a parent is also cancelled when the parent is.
class CancelToken {
 public:
  CancelToken() = default;
  explicit CancelToken(const CancelToken* parent) : parent_(parent) {}
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const {
    return cancelled_.load(std::memory_order_relaxed) || (parent_ && parent_->cancelled());
  }

 private:
  std::atomic<bool> cancelled_{false};
  const CancelToken* parent_ = nullptr;
};

struct TransferOptions {
  Millis connect_timeout{10'000};  // resolving, connecting and the TLS handshake
  Millis read_timeout{30'000};     // the longest wait for the next byte
  Millis total_timeout{0};         // the whole call, retries included; 0 = no limit
  int retries = 3;                 // further attempts after a transient failure
  Millis retry_backoff{250};       // the first pause; doubled for each retry (at most 8 s)
  int max_redirects = 5;
  std::string ca_file;                // extra trusted certificates (PEM), added to the system's
  bool insecure_skip_verify = false;  // accept any certificate: only when asked explicitly
  std::string user_agent;             // default "warden/<version>"
  // When set, every wait also ends when this point passes (a fetch's overall deadline).
  std::chrono::steady_clock::time_point deadline{};
  const CancelToken* cancel = nullptr;  // also checked during every wait
};

// What a download learned about the resource.
struct ResourceInfo {
  std::string url;            // after redirects
  int64_t size = -1;          // the full size, when the server said (Content-Length / Range)
  std::string etag;           // validators, used for If-Range when resuming
  std::string last_modified;  //
  int resumes = 0;            // how many times the download continued after a break
  int redirects = 0;
};

// Receives the bytes in order; returns false to stop the download early (not an error).
using DataSink = std::function<bool(const char* data, size_t len)>;

// A connection cache for a sequence of requests (the small files and then the payload of an
// image reuse one keep-alive connection). Not thread-safe: one Session per thread of work.
class Session {
 public:
  explicit Session(TransferOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const TransferOptions& options() const;

  // Streams `url` from byte `offset` to `sink`. `on_start` (optional) is called once the size
  // is known, before the first byte. Errors: not_found for 404 (and a missing file://),
  // errc::network/timeout/cancelled otherwise.
  Result<ResourceInfo> download(const std::string& url, uint64_t offset, const DataSink& sink,
                                const std::function<void(const ResourceInfo&)>& on_start = {});

  // A small file (at most max_size bytes) in memory: .meta, .skein, .sig, keys.
  Result<std::string> fetch_small(const std::string& url, size_t max_size = 1 << 20);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Resolves a redirect's Location against the URL it came from.
std::string resolve_url(const std::string& base, const std::string& location);

}  // namespace warden::image
