// Test support for the image layer: scratch directories, archives built entry by entry
// (hostile ones included), registries on disk, certificates and signify keys made with the real
// tools, a scriptable HTTP server for network faults, and nginx started on a free loopback port.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wt {

std::string source_dir();

// A directory under /tmp removed (recursively) by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
  std::string operator/(const std::string& sub) const { return path + "/" + sub; }
};

// Runs a shell command; returns its exit status, with stdout+stderr in *output.
int run(const std::string& command, std::string* output = nullptr);
std::string shell_quote(const std::string& s);
bool have_program(const std::string& name);

void write_file(const std::string& path, const std::string& content, mode_t mode = 0644);
std::string read_file(const std::string& path);
bool exists(const std::string& path);
// Every path under dir (relative, sorted), with "/" after directories; "" if dir is missing.
std::vector<std::string> list_tree(const std::string& dir);

uint16_t free_port();

// ---- archives ----

struct TarEntry {
  TarEntry(std::string p, char t = 'f', std::string d = "", std::string l = "", unsigned m = 0644,
           unsigned u = 0, unsigned g = 0, int64_t mt = 1700000000, unsigned maj = 0,
           unsigned min = 0)
      : path(std::move(p)),
        type(t),
        data(std::move(d)),
        link(std::move(l)),
        mode(m),
        uid(u),
        gid(g),
        mtime(mt),
        rdev_major(maj),
        rdev_minor(min) {}
  std::string path;
  char type =
      'f';  // f file, d dir, l symlink, h hardlink, c char dev, b block dev, p fifo, s socket
  std::string data;  // file contents
  std::string link;  // symlink or hardlink target
  unsigned mode = 0644;
  unsigned uid = 0, gid = 0;
  int64_t mtime = 1700000000;
  unsigned rdev_major = 0, rdev_minor = 0;
};

// A pax tar of the entries, compressed with "xz" (multi-block with xz_block > 0), "gzip",
// "zstd" or "none".
std::string make_tar(const std::vector<TarEntry>& entries, const std::string& compression = "xz",
                     size_t xz_block = 0);
std::string xz_compress(const std::string& data, size_t block_size = 0);
// A small rootfs-like tree of entries: dirs, files, a symlink, a hardlink.
std::vector<TarEntry> sample_entries();

// Writes <dir>/<pot>_<tag>.xz, .xz.meta (unless meta is nullopt) and .xz.skein (skein1024 of
// xz + meta, unless skein_override is given).
void publish(const std::string& dir, const std::string& pot, const std::string& tag,
             const std::string& xz, const std::optional<std::string>& meta = std::string("-\n"),
             const std::optional<std::string>& skein_override = std::nullopt);
std::string skein_hex(const std::string& data);

// ---- keys and certificates (made by the real tools) ----

struct SignifyKeys {
  std::string pub, sec;
};
SignifyKeys make_signify_keys(const std::string& dir, const std::string& name);
// signify-openbsd -S: writes <file>.sig
void signify_sign_file(const SignifyKeys& keys, const std::string& file);

struct Certs {
  std::string ca_cert, server_cert, server_key;
  std::string other_ca_cert;  // a CA that did not sign the server certificate
};
// A CA and a server certificate for 127.0.0.1 / localhost, made with the openssl CLI.
Certs make_certs(const std::string& dir);

// ---- a scriptable HTTP/1.1 server over loopback (one thread per connection) ----

class TestHttpServer {
 public:
  struct Request {
    std::string method, target;
    std::map<std::string, std::string> headers;  // lower-case names
  };
  class Conn {
   public:
    explicit Conn(int fd) : fd_(fd) {}
    bool write(const std::string& bytes);
    // A complete response with Content-Length (and Connection: close).
    void respond(int status, const std::string& body,
                 const std::vector<std::pair<std::string, std::string>>& headers = {});
    int fd() const { return fd_; }

   private:
    int fd_;
  };
  // Return normally to close the connection.
  using Handler = std::function<void(const Request&, Conn&)>;

  explicit TestHttpServer(Handler handler);
  ~TestHttpServer();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  int hits(const std::string& target) const;
  std::vector<Request> requests() const;

 private:
  void loop();
  Handler handler_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Request> log_;
  std::vector<std::thread> workers_;
};

// Serves files of `dir` like a plain static server (200 / 206 / 404), honouring Range. With
// a delay, the body goes out in `chunk`-byte pieces with that pause (in ms) between them; with
// `cut_after`, the connection is closed after that many body bytes.
void serve_file(const std::string& dir, const TestHttpServer::Request& req,
                TestHttpServer::Conn& conn, size_t chunk = 0, int delay_ms = 0,
                size_t cut_after = SIZE_MAX);

// ---- nginx, as Debian ships it, on its own prefix and port ----

class Nginx {
 public:
  // Serves root with autoindex; with certs, over HTTPS. `extra` goes into the server block.
  Nginx(const std::string& root, const std::string& work_dir, const Certs* certs = nullptr,
        const std::string& extra = "");
  ~Nginx();
  bool ok() const { return pid_ > 0; }
  std::string url() const;
  std::string access_log() const;
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  bool tls_ = false;
  std::string prefix_;
  std::string error_;
};

}  // namespace wt
