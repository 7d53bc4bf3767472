// The registry client: HTTP(S) with Boost.Beast over OpenSSL, and file:// URLs.
//
// Every network operation is started asynchronously and driven by run_until(), which polls
// the io_context in short slices so that cancellation, the per-operation timeout (connect or
// read) and the overall deadline are all enforced in one place: when one of them fires the
// socket is closed and the pending operation completes with an error that run_until()
// translates into the right message.
#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <random>
#include <thread>
#include <variant>

#include "url.hpp"
#include "warden/core/strings.hpp"
#include "warden/core/version.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/transfer.hpp"

namespace warden::image {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using detail::Url;

namespace {

constexpr size_t kChunk = 256 * 1024;
constexpr Millis kPollSlice{25};

std::string ms_text(Millis d) {
  return std::to_string(d.count()) + " ms";
}

// How an attempt ended, beyond success.
enum class Fail { none, transient, fatal };

struct AttemptError {
  Fail kind = Fail::none;
  Error error;
};

bool weak_etag(const std::string& etag) {
  return starts_with(etag, "W/");
}

// "bytes a-b/total" -> a, total (total -1 when "*").
bool parse_content_range(std::string_view v, uint64_t& first, int64_t& total) {
  v = trim(v);
  if (!starts_with(v, "bytes ")) return false;
  v.remove_prefix(6);
  size_t dash = v.find('-'), slash = v.find('/');
  if (slash == std::string_view::npos) return false;
  try {
    if (dash != std::string_view::npos && dash < slash) {
      first = std::stoull(std::string(v.substr(0, dash)));
    } else if (v.substr(0, slash) == "*") {
      first = 0;
    } else {
      return false;
    }
    std::string t(v.substr(slash + 1));
    total = t == "*" ? -1 : static_cast<int64_t>(std::stoull(t));
  } catch (...) {
    return false;
  }
  return true;
}

std::string remove_dot_segments(const std::string& path) {
  std::vector<std::string> out;
  std::string query;
  std::string p = path;
  if (size_t q = p.find('?'); q != std::string::npos) {
    query = p.substr(q);
    p = p.substr(0, q);
  }
  bool trailing = !p.empty() && (p.back() == '/' || ends_with(p, "/.") || ends_with(p, "/.."));
  for (auto& seg : split(p, "/")) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(seg);
  }
  std::string r = "/" + join(out, "/");
  if (trailing && r.size() > 1) r += "/";
  return r + query;
}

}  // namespace

std::string resolve_url(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  size_t scheme_end = base.find("://");
  if (scheme_end == std::string::npos) return location;
  std::string scheme = base.substr(0, scheme_end);
  if (starts_with(location, "//")) return scheme + ":" + location;
  size_t path_start = base.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? base : base.substr(0, path_start);
  if (starts_with(location, "/")) return origin + remove_dot_segments(location);
  std::string base_path = path_start == std::string::npos ? "/" : base.substr(path_start);
  if (size_t q = base_path.find('?'); q != std::string::npos) base_path = base_path.substr(0, q);
  base_path = base_path.substr(0, base_path.rfind('/') + 1);
  return origin + remove_dot_segments(base_path + location);
}

// ---- the connection ------------------------------------------------------------------------

struct Session::Impl {
  TransferOptions opt;
  net::io_context ioc{1};
  tcp::resolver resolver{ioc};
  std::optional<ssl::context> tls_ctx;
  std::optional<Error> tls_ctx_error;

  // The open connection (at most one), for keep-alive reuse.
  std::string origin;
  std::unique_ptr<tcp::socket> plain;
  std::unique_ptr<ssl::stream<tcp::socket>> secure;
  boost::beast::flat_buffer buffer;

  explicit Impl(TransferOptions o) : opt(std::move(o)) {
    if (opt.user_agent.empty()) opt.user_agent = std::string("warden/") + WARDEN_VERSION_STRING;
  }

  ~Impl() { close(); }

  tcp::socket& socket() { return secure ? secure->next_layer() : *plain; }
  bool connected() const { return plain || secure; }

  void close() {
    boost::system::error_code ignored;
    if (secure) secure->next_layer().close(ignored);
    if (plain) plain->close(ignored);
    secure.reset();
    plain.reset();
    origin.clear();
    buffer.clear();
  }

  bool cancelled() const { return opt.cancel && opt.cancel->cancelled(); }
  bool past_deadline() const {
    return opt.deadline != Clock::time_point{} && Clock::now() >= opt.deadline;
  }

  // Why a wait was interrupted (set by run_until).
  enum class Interrupt { none, cancelled, deadline, op_timeout };

  Error interrupt_error(Interrupt why, const std::string& what, Millis op_timeout) const {
    switch (why) {
      case Interrupt::cancelled:
        return Error(errc::cancelled, "cancelled while " + what);
      case Interrupt::deadline:
        return Error(errc::timeout, "timed out while " + what + " (total timeout " +
                                        ms_text(opt.total_timeout) + ")");
      case Interrupt::op_timeout:
      case Interrupt::none:
        break;
    }
    return Error(errc::timeout, "timed out after " + ms_text(op_timeout) + " while " + what);
  }

  // Runs the io_context until `done`; enforces cancellation, the overall deadline and the
  // operation's own timeout by closing the connection.
  Interrupt run_until(const bool& done, Millis op_timeout) {
    auto op_deadline = Clock::now() + op_timeout;
    Interrupt why = Interrupt::none;
    ioc.restart();
    while (!done) {
      ioc.run_one_for(kPollSlice);
      if (done) break;
      if (why != Interrupt::none) continue;  // waiting for the aborted operation to finish
      if (cancelled()) {
        why = Interrupt::cancelled;
      } else if (past_deadline()) {
        why = Interrupt::deadline;
      } else if (Clock::now() >= op_deadline) {
        why = Interrupt::op_timeout;
      }
      if (why != Interrupt::none) {
        resolver.cancel();
        boost::system::error_code ignored;
        if (secure) secure->next_layer().close(ignored);
        if (plain) plain->close(ignored);
      }
    }
    return why;
  }

  Result<void> ensure_tls_context() {
    if (tls_ctx) return {};
    if (tls_ctx_error) return *tls_ctx_error;
    try {
      tls_ctx.emplace(ssl::context::tls_client);
      tls_ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1);
      if (opt.insecure_skip_verify) {
        tls_ctx->set_verify_mode(ssl::verify_none);
      } else {
        tls_ctx->set_default_verify_paths();
        if (!opt.ca_file.empty()) {
          boost::system::error_code ec;
          tls_ctx->load_verify_file(opt.ca_file, ec);
          if (ec) {
            tls_ctx.reset();
            tls_ctx_error = Error(ErrorCode::invalid_argument,
                                  "cannot load CA file " + opt.ca_file + ": " + ec.message());
            return *tls_ctx_error;
          }
        }
        tls_ctx->set_verify_mode(ssl::verify_peer);
      }
    } catch (const std::exception& e) {
      tls_ctx.reset();
      tls_ctx_error = Error(errc::network, std::string("TLS setup failed: ") + e.what());
      return *tls_ctx_error;
    }
    return {};
  }

  // Connects (and handshakes) to u's origin unless the open connection already goes there.
  AttemptError connect(const Url& u) {
    if (connected() && origin == u.origin()) return {};
    close();
    if (u.tls()) {
      if (auto r = ensure_tls_context(); !r) return {Fail::fatal, r.error()};
    }
    std::string where = u.host_header();
    bool done = false;
    boost::system::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(u.host, u.port,
                           [&](const boost::system::error_code& e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                             done = true;
                           });
    auto started = Clock::now();
    if (auto why = run_until(done, opt.connect_timeout); why != Interrupt::none)
      return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
              interrupt_error(why, "resolving " + u.host, opt.connect_timeout)};
    if (ec)
      return {Fail::transient,
              Error(errc::network, "cannot resolve host " + u.host + ": " + ec.message())};
    auto left = opt.connect_timeout - std::chrono::duration_cast<Millis>(Clock::now() - started);
    if (left < Millis(1)) left = Millis(1);

    if (u.tls()) {
      secure = std::make_unique<ssl::stream<tcp::socket>>(ioc, *tls_ctx);
    } else {
      plain = std::make_unique<tcp::socket>(ioc);
    }
    done = false;
    net::async_connect(socket(), endpoints,
                       [&](const boost::system::error_code& e, const tcp::endpoint&) {
                         ec = e;
                         done = true;
                       });
    if (auto why = run_until(done, left); why != Interrupt::none) {
      close();
      return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
              interrupt_error(why, "connecting to " + where, opt.connect_timeout)};
    }
    if (ec) {
      close();
      return {Fail::transient,
              Error(errc::network, "cannot connect to " + where + ": " + ec.message())};
    }
    boost::system::error_code ignored;
    socket().set_option(tcp::no_delay(true), ignored);

    if (u.tls()) {
      SSL* native = secure->native_handle();
      if (!detail::is_ip_literal(u.host)) SSL_set_tlsext_host_name(native, u.host.c_str());
      if (!opt.insecure_skip_verify) {
        X509_VERIFY_PARAM* param = SSL_get0_param(native);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = detail::is_ip_literal(u.host)
                     ? X509_VERIFY_PARAM_set1_ip_asc(param, u.host.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, u.host.c_str(), u.host.size());
        if (ok != 1) {
          close();
          return {Fail::fatal,
                  Error(errc::network, "cannot set up host verification for " + u.host)};
        }
      }
      done = false;
      secure->async_handshake(ssl::stream_base::client, [&](const boost::system::error_code& e) {
        ec = e;
        done = true;
      });
      if (auto why = run_until(done, left); why != Interrupt::none) {
        close();
        return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
                interrupt_error(why, "in the TLS handshake with " + where, opt.connect_timeout)};
      }
      if (ec) {
        std::string detail = ec.message();
        long verify = SSL_get_verify_result(native);
        bool verify_failed = verify != X509_V_OK;
        if (verify_failed) detail = X509_verify_cert_error_string(verify);
        close();
        // A certificate that does not verify will not verify on a retry either.
        return {verify_failed ? Fail::fatal : Fail::transient,
                Error(errc::network, "TLS handshake with " + where + " failed: " + detail +
                                         (verify_failed ? " (certificate verification)" : ""))};
      }
    }
    origin = u.origin();
    return {};
  }

  template <class Op>
  boost::system::error_code run_op(Op&& op, Millis timeout, Interrupt& why) {
    bool done = false;
    boost::system::error_code ec;
    op([&](const boost::system::error_code& e, size_t) {
      ec = e;
      done = true;
    });
    why = run_until(done, timeout);
    return ec;
  }

  // ---- one HTTP exchange ----

  struct Outcome {
    bool done = false;     // the resource is complete
    bool stopped = false;  // the sink asked to stop
    std::optional<std::string> redirect;
    uint64_t delivered = 0;  // bytes passed to the sink in this attempt
  };

  AttemptError http_attempt(const Url& u, const std::string& url, uint64_t pos, ResourceInfo& info,
                            bool& started, const DataSink& sink,
                            const std::function<void(const ResourceInfo&)>& on_start,
                            Outcome& out) {
    bool reused = connected() && origin == u.origin();
    if (auto e = connect(u); e.kind != Fail::none) return e;

    http::request<http::empty_body> req{http::verb::get, u.target, 11};
    req.set(http::field::host, u.host_header());
    req.set(http::field::user_agent, opt.user_agent);
    req.set(http::field::accept, "*/*");
    if (pos > 0) {
      req.set(http::field::range, "bytes=" + std::to_string(pos) + "-");
      if (!info.etag.empty() && !weak_etag(info.etag)) {
        req.set(http::field::if_range, info.etag);
      } else if (!info.last_modified.empty()) {
        req.set(http::field::if_range, info.last_modified);
      }
    }
    req.keep_alive(true);

    Interrupt why = Interrupt::none;
    auto ec =
        secure ? run_op([&](auto h) { http::async_write(*secure, req, h); }, opt.read_timeout, why)
               : run_op([&](auto h) { http::async_write(*plain, req, h); }, opt.read_timeout, why);
    if (why != Interrupt::none) {
      close();
      return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
              interrupt_error(why, "sending the request for " + url, opt.read_timeout)};
    }
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    parser.header_limit(64 * 1024);
    if (!ec) {
      ec = secure ? run_op([&](auto h) { http::async_read_header(*secure, buffer, parser, h); },
                           opt.read_timeout, why)
                  : run_op([&](auto h) { http::async_read_header(*plain, buffer, parser, h); },
                           opt.read_timeout, why);
    }
    if (why != Interrupt::none) {
      close();
      return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
              interrupt_error(why, "waiting for the response to " + url, opt.read_timeout)};
    }
    if (ec) {
      close();
      if (reused) {
        // The server closed a kept-alive connection between requests: reconnect once.
        return http_attempt(u, url, pos, info, started, sink, on_start, out);
      }
      return {Fail::transient,
              Error(errc::network, "no response from " + url + ": " + ec.message())};
    }

    auto& res = parser.get();
    unsigned status = res.result_int();
    auto header = [&](http::field f) { return std::string(res[f]); };
    if (status >= 300 && status < 400 && status != 304 &&
        res.find(http::field::location) != res.end()) {
      out.redirect = header(http::field::location);
      close();
      return {};
    }
    uint64_t skip = 0;
    int64_t total = -1;
    if (status == 200) {
      skip = pos;  // the server ignored the Range (or the resource changed): skip what we have
      if (parser.content_length()) total = static_cast<int64_t>(*parser.content_length());
    } else if (status == 206) {
      uint64_t first = 0;
      if (!parse_content_range(header(http::field::content_range), first, total) || first != pos) {
        close();
        return {Fail::transient,
                Error(errc::network, "bad Content-Range \"" + header(http::field::content_range) +
                                         "\" from " + url)};
      }
    } else if (status == 416 && pos > 0) {
      uint64_t first = 0;
      if (parse_content_range(header(http::field::content_range), first, total) &&
          total == static_cast<int64_t>(pos)) {
        close();
        out.done = true;  // we already have every byte
        return {};
      }
      close();
      return {Fail::fatal, Error(errc::network, "HTTP 416 (range not satisfiable) for " + url)};
    } else {
      close();
      std::string msg =
          "HTTP " + std::to_string(status) + " " + std::string(res.reason()) + " for " + url;
      if (status == 404 || status == 410) return {Fail::fatal, Error(ErrorCode::not_found, msg)};
      if (status == 408 || status == 429 || status >= 500)
        return {Fail::transient, Error(errc::network, msg)};
      return {Fail::fatal, Error(errc::network, msg)};
    }

    if (!started) {
      started = true;
      info.size = total;
      info.etag = header(http::field::etag);
      info.last_modified = header(http::field::last_modified);
      if (on_start) on_start(info);
    } else if (info.size < 0) {
      info.size = total;
    }

    std::vector<char> chunk(kChunk);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      ec = secure ? run_op([&](auto h) { http::async_read(*secure, buffer, parser, h); },
                           opt.read_timeout, why)
                  : run_op([&](auto h) { http::async_read(*plain, buffer, parser, h); },
                           opt.read_timeout, why);
      if (ec == http::error::need_buffer) ec = {};
      size_t n = chunk.size() - parser.get().body().size;
      const char* p = chunk.data();
      if (skip > 0) {
        size_t s = static_cast<size_t>(std::min<uint64_t>(skip, n));
        skip -= s;
        p += s;
        n -= s;
      }
      if (n > 0) {
        out.delivered += n;
        if (!sink(p, n)) {
          close();
          out.stopped = true;
          return {};
        }
      }
      if (why != Interrupt::none) {
        close();
        return {why == Interrupt::op_timeout ? Fail::transient : Fail::fatal,
                interrupt_error(why, "reading " + url, opt.read_timeout)};
      }
      if (ec) {
        close();
        return {Fail::transient, Error(errc::network, "connection broke while reading " + url +
                                                          ": " + ec.message())};
      }
    }
    if (skip > 0) {
      close();
      return {Fail::transient,
              Error(errc::network, url + " is shorter than the part already received")};
    }
    if (!parser.keep_alive()) close();
    out.done = true;
    return {};
  }

  AttemptError file_attempt(const Url& u, uint64_t pos, ResourceInfo& info, bool& started,
                            const DataSink& sink,
                            const std::function<void(const ResourceInfo&)>& on_start,
                            Outcome& out) {
    int fd = ::open(u.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      std::string msg = "cannot open " + u.path + ": " + std::strerror(e);
      return {Fail::fatal, Error(e == ENOENT ? ErrorCode::not_found : ErrorCode::io, msg)};
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
      ::close(fd);
      return {Fail::fatal, Error(ErrorCode::io, u.path + " is not a regular file")};
    }
    if (!started) {
      started = true;
      info.size = st.st_size;
      if (on_start) on_start(info);
    }
    std::vector<char> chunk(1 << 20);
    off_t off = static_cast<off_t>(pos);
    for (;;) {
      if (cancelled()) {
        ::close(fd);
        return {Fail::fatal, Error(errc::cancelled, "cancelled while reading " + u.path)};
      }
      if (past_deadline()) {
        ::close(fd);
        return {Fail::fatal, interrupt_error(Interrupt::deadline, "reading " + u.path, Millis(0))};
      }
      ssize_t n = ::pread(fd, chunk.data(), chunk.size(), off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return {Fail::fatal,
                Error(ErrorCode::io, "cannot read " + u.path + ": " + std::strerror(e))};
      }
      if (n == 0) break;
      off += n;
      out.delivered += static_cast<uint64_t>(n);
      if (!sink(chunk.data(), static_cast<size_t>(n))) {
        out.stopped = true;
        break;
      }
    }
    ::close(fd);
    out.done = true;
    return {};
  }

  bool sleep_backoff(Millis d) {
    auto until = Clock::now() + d;
    while (Clock::now() < until) {
      if (cancelled() || past_deadline()) return false;
      std::this_thread::sleep_for(std::min<Millis>(
          kPollSlice, std::chrono::duration_cast<Millis>(until - Clock::now()) + Millis(1)));
    }
    return true;
  }

  Result<ResourceInfo> download(const std::string& url, uint64_t offset, const DataSink& sink,
                                const std::function<void(const ResourceInfo&)>& on_start) {
    ResourceInfo info;
    info.url = url;
    bool started = false;
    uint64_t pos = offset;
    int failures = 0;  // consecutive attempts that brought no byte
    int attempts = 0;
    std::mt19937 rng(std::random_device{}());
    Millis backoff = opt.retry_backoff;
    std::optional<Error> last;
    for (;;) {
      if (cancelled()) return Error(errc::cancelled, "cancelled while fetching " + url);
      if (past_deadline())
        return Error(errc::timeout, "timed out fetching " + url + " (total timeout " +
                                        ms_text(opt.total_timeout) + ")" +
                                        (last ? ": " + last->message() : ""));
      auto parsed = detail::parse_url(info.url);
      if (!parsed) return std::move(parsed).error();
      Outcome out;
      ++attempts;
      AttemptError e =
          parsed->scheme == "file"
              ? file_attempt(*parsed, pos, info, started, sink, on_start, out)
              : http_attempt(*parsed, info.url, pos, info, started, sink, on_start, out);
      pos += out.delivered;
      if (e.kind == Fail::none) {
        if (out.done || out.stopped) return info;
        if (out.redirect) {
          if (++info.redirects > opt.max_redirects)
            return Error(errc::network, "too many redirects (more than " +
                                            std::to_string(opt.max_redirects) + ") fetching " +
                                            url);
          std::string next = resolve_url(info.url, *out.redirect);
          if (starts_with(info.url, "https://") && !starts_with(next, "https://"))
            return Error(errc::network,
                         "refusing to follow a redirect from " + info.url + " to " + next);
          if (!starts_with(next, "http://") && !starts_with(next, "https://"))
            return Error(errc::network, "refusing to follow a redirect to " + next);
          info.url = next;
          --attempts;
          continue;
        }
        continue;
      }
      if (e.kind == Fail::fatal) return std::move(e.error);
      // Transient: retry, resuming at pos. Progress resets the count of fruitless attempts.
      if (out.delivered > 0) {
        failures = 0;
        backoff = opt.retry_backoff;
      }
      last = e.error;
      if (pos > offset && started) ++info.resumes;
      if (++failures > opt.retries || attempts > opt.retries + 100) {
        std::string m = e.error.message();
        if (opt.retries > 0) m += " (after " + std::to_string(attempts) + " attempts)";
        return Error(e.error.code(), m);
      }
      // Exponential backoff with +-25% jitter.
      auto jitter = std::uniform_real_distribution<double>(0.75, 1.25)(rng);
      if (!sleep_backoff(
              Millis(static_cast<int64_t>(static_cast<double>(backoff.count()) * jitter)))) {
        if (cancelled()) return Error(errc::cancelled, "cancelled while fetching " + url);
        continue;  // the deadline check at the top reports it
      }
      backoff = std::min<Millis>(backoff * 2, Millis(8000));
    }
  }
};

Session::Session(TransferOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Session::~Session() = default;

const TransferOptions& Session::options() const {
  return impl_->opt;
}

Result<ResourceInfo> Session::download(const std::string& url, uint64_t offset,
                                       const DataSink& sink,
                                       const std::function<void(const ResourceInfo&)>& on_start) {
  if (impl_->opt.total_timeout.count() > 0) {
    auto d = Clock::now() + impl_->opt.total_timeout;
    auto saved = impl_->opt.deadline;
    if (saved == Clock::time_point{} || d < saved) impl_->opt.deadline = d;
    auto r = impl_->download(url, offset, sink, on_start);
    impl_->opt.deadline = saved;
    return r;
  }
  return impl_->download(url, offset, sink, on_start);
}

Result<std::string> Session::fetch_small(const std::string& url, size_t max_size) {
  std::string body;
  bool too_big = false;
  auto r = download(url, 0, [&](const char* p, size_t n) {
    if (body.size() + n > max_size) {
      too_big = true;
      return false;
    }
    body.append(p, n);
    return true;
  });
  if (!r) return std::move(r).error();
  if (too_big)
    return Error(errc::network, url + " is larger than " + std::to_string(max_size) + " bytes");
  return body;
}

}  // namespace warden::image
