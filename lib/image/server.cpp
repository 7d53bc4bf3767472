// The static registry server: Boost.Beast with C++20 coroutines, one strand per connection.
#include "warden/image/server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

#include "url.hpp"
#include "warden/core/strings.hpp"
#include "warden/core/version.hpp"

namespace warden::image {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using net::awaitable;
using net::use_awaitable;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr size_t kChunk = 256 * 1024;

std::string http_date(time_t t) {
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A byte range of a file of `size` bytes from a Range header; false if it must be ignored
// (malformed or several ranges), `unsatisfiable` when it lies past the end.
bool parse_range(std::string_view h, uint64_t size, uint64_t& first, uint64_t& last,
                 bool& unsatisfiable) {
  unsatisfiable = false;
  h = trim(h);
  if (!starts_with(h, "bytes=")) return false;
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) return false;
  size_t dash = h.find('-');
  if (dash == std::string_view::npos) return false;
  std::string a(trim(h.substr(0, dash))), b(trim(h.substr(dash + 1)));
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() < 20 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (a.empty()) {
    if (!digits(b)) return false;
    uint64_t n = std::stoull(b);
    if (n == 0 || size == 0) {
      unsatisfiable = true;
      return true;
    }
    first = size - std::min(n, size);
    last = size - 1;
    return true;
  }
  if (!digits(a) || (!b.empty() && !digits(b))) return false;
  first = std::stoull(a);
  last = b.empty() ? (size ? size - 1 : 0) : std::stoull(b);
  if (!b.empty() && last < first) return false;
  if (first >= size) {
    unsatisfiable = true;
    return true;
  }
  last = std::min(last, size - 1);
  return true;
}

std::string content_type(const std::string& path) {
  if (ends_with(path, ".html") || ends_with(path, ".htm")) return "text/html; charset=utf-8";
  if (ends_with(path, ".txt") || ends_with(path, ".meta") || ends_with(path, ".skein") ||
      ends_with(path, ".sha256") || ends_with(path, ".sig") || ends_with(path, ".pub"))
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

struct RegistryServer::Impl {
  std::string root;       // as given, for messages
  std::string root_real;  // realpath, for confinement checks
  ServerOptions opt;
  // Declared before the io_context: pending sessions, destroyed with it, still use it.
  std::optional<ssl::context> tls;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::string url;
  std::atomic<bool> stopped{false};

  // ---- request handling ----

  struct Reply {
    unsigned status = 200;
    std::string body;  // for generated responses
    int fd = -1;       // for files
    uint64_t offset = 0, length = 0;
    std::vector<std::pair<http::field, std::string>> headers;
  };

  // Maps the request target to a file inside the root, or fills an error reply.
  bool resolve(const std::string& target, std::string& fs_path, std::string& url_path, Reply& r) {
    std::string raw = target.substr(0, target.find('?'));
    if (raw.empty() || raw.front() != '/' || !detail::percent_decode(raw, url_path)) {
      r.status = 400;
      r.body = "bad request target\n";
      return false;
    }
    for (const auto& seg : split(url_path, "/")) {
      if (seg == "..") {
        r.status = 400;
        r.body = "\"..\" is not allowed in paths\n";
        return false;
      }
    }
    std::string candidate = root_real + url_path;
    char resolved[PATH_MAX];
    if (!::realpath(candidate.c_str(), resolved)) {
      r.status = 404;
      r.body = "not found\n";
      return false;
    }
    fs_path = resolved;
    if (fs_path != root_real && !starts_with(fs_path, root_real + "/")) {
      r.status = 404;  // a symlink leading out of the registry
      r.body = "not found\n";
      return false;
    }
    return true;
  }

  Reply listing(const std::string& fs_path, const std::string& url_path) {
    Reply r;
    std::vector<std::pair<std::string, bool>> entries;
    if (DIR* d = ::opendir(fs_path.c_str())) {
      while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == ".." || n.front() == '.') continue;  // hide dot files (temporaries)
        struct stat st {};
        bool dir = ::stat((fs_path + "/" + n).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
        entries.emplace_back(n, dir);
      }
      ::closedir(d);
    }
    std::sort(entries.begin(), entries.end());
    std::string title = html_escape(url_path);
    r.body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of " + title +
             "</title></head>\n<body><h1>Index of " + title + "</h1><hr><pre>\n";
    if (url_path != "/") r.body += "<a href=\"../\">../</a>\n";
    for (const auto& [n, dir] : entries) {
      std::string shown = n + (dir ? "/" : "");
      r.body += "<a href=\"" + html_escape(detail::percent_encode_path(shown)) + "\">" +
                html_escape(shown) + "</a>\n";
    }
    r.body += "</pre><hr></body></html>\n";
    r.headers.emplace_back(http::field::content_type, "text/html; charset=utf-8");
    return r;
  }

  Reply handle(const http::request<http::empty_body>& req) {
    Reply r;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      r.status = 405;
      r.body = "method not allowed\n";
      r.headers.emplace_back(http::field::allow, "GET, HEAD");
      return r;
    }
    std::string fs_path, url_path;
    if (!resolve(std::string(req.target()), fs_path, url_path, r)) return r;
    struct stat st {};
    if (::stat(fs_path.c_str(), &st) != 0) {
      r.status = 404;
      r.body = "not found\n";
      return r;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!ends_with(url_path, "/")) {
        r.status = 301;
        r.headers.emplace_back(http::field::location, detail::percent_encode_path(url_path + "/"));
        r.body = "moved\n";
        return r;
      }
      if (!opt.directory_listing) {
        r.status = 403;
        r.body = "directory listings are off\n";
        return r;
      }
      return listing(fs_path, url_path);
    }
    if (!S_ISREG(st.st_mode)) {
      r.status = 403;
      r.body = "not a regular file\n";
      return r;
    }
    int fd = ::open(fs_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      r.status = errno == EACCES ? 403 : 404;
      r.body = "cannot open\n";
      return r;
    }
    uint64_t size = static_cast<uint64_t>(st.st_size);
    char etag[64];
    std::snprintf(
        etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
        static_cast<unsigned long long>(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec));
    std::string last_modified = http_date(st.st_mtim.tv_sec);
    r.fd = fd;
    r.offset = 0;
    r.length = size;
    r.headers.emplace_back(http::field::content_type, content_type(fs_path));
    r.headers.emplace_back(http::field::accept_ranges, "bytes");
    r.headers.emplace_back(http::field::etag, etag);
    r.headers.emplace_back(http::field::last_modified, last_modified);
    auto range = req.find(http::field::range);
    if (range != req.end()) {
      bool use = true;
      if (auto ir = req.find(http::field::if_range); ir != req.end()) {
        std::string v(ir->value());
        use = v == etag || v == last_modified;
      }
      uint64_t first = 0, last = 0;
      bool unsatisfiable = false;
      if (use && parse_range(range->value(), size, first, last, unsatisfiable)) {
        if (unsatisfiable) {
          ::close(fd);
          r.fd = -1;
          r.length = 0;
          r.status = 416;
          r.body = "range not satisfiable\n";
          r.headers.emplace_back(http::field::content_range, "bytes */" + std::to_string(size));
          return r;
        }
        r.status = 206;
        r.offset = first;
        r.length = last - first + 1;
        r.headers.emplace_back(http::field::content_range, "bytes " + std::to_string(first) + "-" +
                                                               std::to_string(last) + "/" +
                                                               std::to_string(size));
      }
    }
    return r;
  }

  // ---- connections ----

  template <class Stream>
  awaitable<void> pace(Stream& stream, uint64_t sent, std::chrono::steady_clock::time_point start) {
    if (opt.rate_limit == 0) co_return;
    auto due = start + std::chrono::microseconds(sent * 1000000 / opt.rate_limit);
    if (due > std::chrono::steady_clock::now()) {
      net::steady_timer t(stream.get_executor());
      t.expires_at(due);
      boost::system::error_code ec;
      co_await t.async_wait(net::redirect_error(use_awaitable, ec));
    }
  }

  // Serves requests until the client closes or an error; returns when the connection is done.
  template <class Stream>
  awaitable<void> serve(Stream& stream, const std::string& remote) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::empty_body> parser;
      parser.header_limit(16 * 1024);
      parser.body_limit(0);
      beast::get_lowest_layer(stream).expires_after(kIdleTimeout);
      boost::system::error_code ec;
      co_await http::async_read(stream, buffer, parser, net::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      const auto& req = parser.get();
      Reply r = handle(req);
      http::response<http::empty_body> res{static_cast<http::status>(r.status), req.version()};
      res.set(http::field::server, std::string("warden-registry/") + WARDEN_VERSION_STRING);
      res.set(http::field::date, http_date(std::time(nullptr)));
      for (auto& [f, v] : r.headers) res.set(f, v);
      if (res.find(http::field::content_type) == res.end())
        res.set(http::field::content_type, "text/plain; charset=utf-8");
      uint64_t body_len = r.fd >= 0 ? r.length : r.body.size();
      res.content_length(body_len);
      bool keep = req.keep_alive() && r.status < 400;
      res.keep_alive(keep);
      bool head = req.method() == http::verb::head;
      http::response_serializer<http::empty_body> sr(res);
      beast::get_lowest_layer(stream).expires_after(kWriteTimeout);
      co_await http::async_write_header(stream, sr, net::redirect_error(use_awaitable, ec));
      uint64_t sent = 0;
      if (!ec && !head) {
        auto start = std::chrono::steady_clock::now();
        if (r.fd >= 0) {
          std::vector<char> chunk(std::min<uint64_t>(kChunk, std::max<uint64_t>(body_len, 1)));
          uint64_t left = r.length;
          uint64_t off = r.offset;
          while (left > 0) {
            size_t want = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
            if (opt.rate_limit)
              want = static_cast<size_t>(
                  std::min<uint64_t>(want, std::max<uint64_t>(opt.rate_limit / 20, 1024)));
            ssize_t n = ::pread(r.fd, chunk.data(), want, static_cast<off_t>(off));
            if (n <= 0) {
              ec = net::error::broken_pipe;  // the file shrank: drop the connection
              break;
            }
            beast::get_lowest_layer(stream).expires_after(kWriteTimeout);
            co_await net::async_write(stream, net::buffer(chunk.data(), static_cast<size_t>(n)),
                                      net::redirect_error(use_awaitable, ec));
            if (ec) break;
            sent += static_cast<uint64_t>(n);
            off += static_cast<uint64_t>(n);
            left -= static_cast<uint64_t>(n);
            if (left > 0) co_await pace(stream, sent, start);
          }
        } else if (!r.body.empty()) {
          co_await net::async_write(stream, net::buffer(r.body),
                                    net::redirect_error(use_awaitable, ec));
          if (!ec) sent = r.body.size();
        }
      }
      if (r.fd >= 0) ::close(r.fd);
      if (opt.access_log) {
        try {
          opt.access_log(AccessLogEntry{remote, std::string(req.method_string()),
                                        std::string(req.target()), r.status, sent});
        } catch (...) {
        }
      }
      if (ec || !keep) co_return;
    }
  }

  awaitable<void> plain_session(tcp::socket socket) {
    std::string remote = endpoint_text(socket);
    beast::tcp_stream stream(std::move(socket));
    co_await serve(stream, remote);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  awaitable<void> tls_session(tcp::socket socket) {
    std::string remote = endpoint_text(socket);
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    boost::system::error_code ec;
    co_await stream.async_handshake(ssl::stream_base::server,
                                    net::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    co_await serve(stream, remote);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(net::redirect_error(use_awaitable, ec));
  }

  static std::string endpoint_text(const tcp::socket& s) {
    boost::system::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "?";
    std::string a = ep.address().to_string();
    if (ep.address().is_v6()) a = "[" + a + "]";
    return a + ":" + std::to_string(ep.port());
  }

  awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(net::make_strand(ioc),
                                                          net::redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == net::error::operation_aborted || stopped) co_return;
        continue;
      }
      auto exec = socket.get_executor();
      if (tls) {
        net::co_spawn(exec, tls_session(std::move(socket)), net::detached);
      } else {
        net::co_spawn(exec, plain_session(std::move(socket)), net::detached);
      }
    }
  }
};

RegistryServer::RegistryServer() : impl_(std::make_unique<Impl>()) {}

RegistryServer::~RegistryServer() {
  stop();
}

Result<std::unique_ptr<RegistryServer>> RegistryServer::start(const std::string& root,
                                                              const ServerOptions& options) {
  std::unique_ptr<RegistryServer> s(new RegistryServer());
  Impl& m = *s->impl_;
  m.root = root;
  m.opt = options;
  char resolved[PATH_MAX];
  struct stat st {};
  if (!::realpath(root.c_str(), resolved) || ::stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode))
    return Error(ErrorCode::invalid_argument, "cannot serve " + root + ": not a directory");
  m.root_real = resolved;
  if (m.root_real == "/") m.root_real.clear();  // so that root_real + "/x" stays right

  // Listen address.
  std::string host = "127.0.0.1", port = "0";
  std::string l = options.listen;
  if (!l.empty()) {
    if (l.front() == '[') {
      size_t close = l.find(']');
      if (close == std::string::npos)
        return Error(ErrorCode::invalid_argument, "bad listen address \"" + l + "\"");
      host = l.substr(1, close - 1);
      if (close + 1 < l.size() && l[close + 1] == ':') port = l.substr(close + 2);
    } else if (size_t c = l.rfind(':'); c != std::string::npos) {
      host = l.substr(0, c);
      port = l.substr(c + 1);
      if (host.empty()) host = "0.0.0.0";
    } else {
      port = l;
    }
  }
  boost::system::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (ec)
    return Error(ErrorCode::invalid_argument, "bad listen address \"" + l + "\": " + ec.message());
  unsigned long port_num = 0;
  try {
    size_t used = 0;
    port_num = std::stoul(port, &used);
    if (used != port.size() || port_num > 65535) throw std::out_of_range("port");
  } catch (...) {
    return Error(ErrorCode::invalid_argument, "bad port in listen address \"" + l + "\"");
  }

  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty())
      return Error(ErrorCode::invalid_argument, "TLS needs both a certificate and a key");
    m.tls.emplace(ssl::context::tls_server);
    m.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    m.tls->use_certificate_chain_file(options.tls_cert, ec);
    if (ec)
      return Error(ErrorCode::invalid_argument,
                   "cannot load certificate " + options.tls_cert + ": " + ec.message());
    m.tls->use_private_key_file(options.tls_key, ssl::context::pem, ec);
    if (ec)
      return Error(ErrorCode::invalid_argument,
                   "cannot load key " + options.tls_key + ": " + ec.message());
  }

  tcp::endpoint ep(addr, static_cast<unsigned short>(port_num));
  m.acceptor.open(ep.protocol(), ec);
  if (!ec) m.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor.bind(ep, ec);
  if (!ec) m.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error(ErrorCode::io, "cannot listen on " + l + ": " + ec.message());
  m.port = m.acceptor.local_endpoint().port();
  std::string shown_host = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  if (shown_host.find(':') != std::string::npos) shown_host = "[" + shown_host + "]";
  m.url = std::string(m.tls ? "https" : "http") + "://" + shown_host + ":" + std::to_string(m.port);

  net::co_spawn(m.ioc, m.accept_loop(), net::detached);
  unsigned n = std::max(1u, options.threads);
  for (unsigned i = 0; i < n; ++i) m.threads.emplace_back([&m] { m.ioc.run(); });
  return s;
}

uint16_t RegistryServer::port() const {
  return impl_->port;
}
const std::string& RegistryServer::url() const {
  return impl_->url;
}

void RegistryServer::stop() {
  Impl& m = *impl_;
  if (m.stopped.exchange(true)) return;
  net::post(m.ioc, [&m] {
    boost::system::error_code ec;
    m.acceptor.close(ec);
  });
  m.ioc.stop();
  for (auto& t : m.threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace warden::image
