#include "support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <lzma.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "warden/image/digest.hpp"

namespace fs = std::filesystem;

namespace wt {

std::string source_dir() {
  return WARDEN_SOURCE_DIR;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/warden-image-test.XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Directories made unwritable by a test must not keep the tree alive.
  for (auto it = fs::recursive_directory_iterator(
           path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  }
  fs::remove_all(path, ec);
}

int run(const std::string& command, std::string* output) {
  std::string cmd = command + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool have_program(const std::string& name) {
  return run("command -v " + shell_quote(name) + " >/dev/null") == 0;
}

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  ::chmod(path.c_str(), mode);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_tree(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = it->path().lexically_relative(dir).string();
    if (it->is_directory(ec) && !it->is_symlink(ec)) rel += "/";
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// ---- archives ----

namespace {

la_ssize_t append_cb(struct archive*, void* client, const void* buf, size_t len) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buf), len);
  return static_cast<la_ssize_t>(len);
}

}  // namespace

std::string xz_compress(const std::string& data, size_t block_size) {
  lzma_stream s = LZMA_STREAM_INIT;
  lzma_mt mt{};
  mt.threads = 2;
  mt.block_size = block_size;
  mt.preset = 1;
  mt.check = LZMA_CHECK_CRC64;
  if (lzma_stream_encoder_mt(&s, &mt) != LZMA_OK) throw std::runtime_error("xz encoder");
  std::string out(data.size() + data.size() / 2 + 65536, '\0');
  s.next_in = reinterpret_cast<const uint8_t*>(data.data());
  s.avail_in = data.size();
  s.next_out = reinterpret_cast<uint8_t*>(out.data());
  s.avail_out = out.size();
  lzma_ret r;
  while ((r = lzma_code(&s, LZMA_FINISH)) == LZMA_OK) {
  }
  if (r != LZMA_STREAM_END) throw std::runtime_error("xz encoding failed");
  out.resize(out.size() - s.avail_out);
  lzma_end(&s);
  return out;
}

std::string make_tar(const std::vector<TarEntry>& entries, const std::string& compression,
                     size_t xz_block) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (compression == "gzip") {
    archive_write_add_filter_gzip(a);
  } else if (compression == "zstd") {
    archive_write_add_filter_zstd(a);
  } else {
    archive_write_add_filter_none(a);
  }
  archive_write_set_bytes_in_last_block(a, 1);  // no zero padding after a compressed stream
  archive_write_open(a, &out, nullptr, append_cb, nullptr);
  for (const auto& t : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, t.path.c_str());
    archive_entry_set_uid(e, t.uid);
    archive_entry_set_gid(e, t.gid);
    archive_entry_set_mtime(e, t.mtime, 0);
    unsigned type = AE_IFREG;
    switch (t.type) {
      case 'd':
        type = AE_IFDIR;
        break;
      case 'l':
        type = AE_IFLNK;
        archive_entry_set_symlink(e, t.link.c_str());
        break;
      case 'h':
        archive_entry_set_hardlink(e, t.link.c_str());
        break;
      case 'c':
        type = AE_IFCHR;
        break;
      case 'b':
        type = AE_IFBLK;
        break;
      case 'p':
        type = AE_IFIFO;
        break;
      case 's':
        type = AE_IFSOCK;
        break;
      default:
        break;
    }
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, t.mode);
    if (t.type == 'c' || t.type == 'b')
      archive_entry_set_rdev(e, makedev(t.rdev_major, t.rdev_minor));
    archive_entry_set_size(e, t.type == 'f' ? static_cast<la_int64_t>(t.data.size()) : 0);
    archive_write_header(a, e);
    if (t.type == 'f' && !t.data.empty()) archive_write_data(a, t.data.data(), t.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  if (compression == "xz") return xz_compress(out, xz_block);
  return out;
}

std::vector<TarEntry> sample_entries() {
  std::vector<TarEntry> v;
  v.push_back({"./", 'd', "", "", 0755});
  v.push_back({"./bin", 'd', "", "", 0755});
  v.push_back({"./bin/tool", 'f', "#!/bin/sh\necho tool\n", "", 0755, 0, 0, 1600000000});
  v.push_back({"./etc", 'd', "", "", 0755, 0, 0, 1500000000});
  v.push_back({"./etc/motd", 'f', "hello from warden\n", "", 0644});
  v.push_back({"./etc/secret", 'f', "s3cret\n", "", 0600, 1000, 1000});
  v.push_back({"./etc/motd.link", 'l', "", "motd", 0777});
  v.push_back({"./etc/abs.link", 'l', "", "/etc/motd", 0777});
  v.push_back({"./etc/motd.hard", 'h', "", "./etc/motd", 0644});
  v.push_back({"./var/empty", 'd', "", "", 0700});
  v.push_back({"./readonly", 'd', "", "", 0555});
  v.push_back({"./readonly/file", 'f', "x", "", 0444});
  return v;
}

std::string skein_hex(const std::string& data) {
  return warden::image::to_hex(warden::image::Skein1024::hash(data));
}

void publish(const std::string& dir, const std::string& pot, const std::string& tag,
             const std::string& xz, const std::optional<std::string>& meta,
             const std::optional<std::string>& skein_override) {
  std::string base = dir + "/" + pot + "_" + tag + ".xz";
  write_file(base, xz);
  if (meta) {
    write_file(base + ".meta", *meta);
  } else {
    ::unlink((base + ".meta").c_str());
  }
  write_file(base + ".skein",
             skein_override ? *skein_override : skein_hex(xz + meta.value_or("")) + "\n");
}

// ---- keys and certificates ----

SignifyKeys make_signify_keys(const std::string& dir, const std::string& name) {
  SignifyKeys k{dir + "/" + name + ".pub", dir + "/" + name + ".sec"};
  std::string out;
  if (run("signify-openbsd -G -n -p " + shell_quote(k.pub) + " -s " + shell_quote(k.sec), &out) !=
      0)
    throw std::runtime_error("signify-openbsd -G failed: " + out);
  return k;
}

void signify_sign_file(const SignifyKeys& keys, const std::string& file) {
  std::string out;
  if (run("signify-openbsd -S -s " + shell_quote(keys.sec) + " -m " + shell_quote(file), &out) != 0)
    throw std::runtime_error("signify-openbsd -S failed: " + out);
}

Certs make_certs(const std::string& dir) {
  Certs c{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key", dir + "/other-ca.pem"};
  std::string d = shell_quote(dir);
  std::string script =
      "set -e; cd " + d +
      "; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out "
      "ca.pem"
      " -days 2 -subj /CN=warden-test-CA -addext basicConstraints=critical,CA:TRUE"
      " -addext keyUsage=critical,keyCertSign,cRLSign"
      "; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key"
      " -out other-ca.pem -days 2 -subj /CN=other-CA -addext basicConstraints=critical,CA:TRUE"
      "; openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key"
      " -out server.csr -subj /CN=localhost"
      "; printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n"
      "extendedKeyUsage=serverAuth\\n' > ext.cnf"
      "; openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem"
      " -days 2 -extfile ext.cnf";
  std::string out;
  if (run("sh -c " + shell_quote(script), &out) != 0)
    throw std::runtime_error("openssl failed: " + out);
  return c;
}

// ---- TestHttpServer ----

bool TestHttpServer::Conn::write(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

void TestHttpServer::Conn::respond(
    int status, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string h = "HTTP/1.1 " + std::to_string(status) +
                  " X\r\nContent-Length: " + std::to_string(body.size()) +
                  "\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) h += k + ": " + v + "\r\n";
  write(h + "\r\n" + body);
}

TestHttpServer::TestHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("cannot listen");
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { loop(); });
}

TestHttpServer::~TestHttpServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
  std::vector<std::thread> w;
  {
    std::lock_guard lk(mu_);
    w.swap(workers_);
  }
  for (auto& t : w) t.join();
}

int TestHttpServer::hits(const std::string& target) const {
  std::lock_guard lk(mu_);
  return static_cast<int>(std::count_if(log_.begin(), log_.end(),
                                        [&](const Request& r) { return r.target == target; }));
}

std::vector<TestHttpServer::Request> TestHttpServer::requests() const {
  std::lock_guard lk(mu_);
  return log_;
}

void TestHttpServer::loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lk(mu_);
    workers_.emplace_back([this, fd] {
      std::string buf;
      char tmp[4096];
      while (buf.find("\r\n\r\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) <= 0) break;
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) break;
        buf.append(tmp, static_cast<size_t>(n));
      }
      size_t end = buf.find("\r\n\r\n");
      if (end != std::string::npos) {
        Request req;
        std::istringstream in(buf.substr(0, end));
        std::string line;
        std::getline(in, line);
        std::istringstream first(line);
        first >> req.method >> req.target;
        while (std::getline(in, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          size_t c = line.find(':');
          if (c == std::string::npos) continue;
          std::string k = line.substr(0, c);
          for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          std::string v = line.substr(c + 1);
          while (!v.empty() && v.front() == ' ') v.erase(0, 1);
          req.headers[k] = v;
        }
        {
          std::lock_guard lk2(mu_);
          log_.push_back(req);
        }
        Conn conn(fd);
        handler_(req, conn);
      }
      ::shutdown(fd, SHUT_RDWR);
      ::close(fd);
    });
  }
}

void serve_file(const std::string& dir, const TestHttpServer::Request& req,
                TestHttpServer::Conn& conn, size_t chunk, int delay_ms, size_t cut_after) {
  std::string path = dir + req.target;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    conn.respond(404, "not found\n");
    return;
  }
  std::string data = read_file(path);
  size_t from = 0;
  std::string head;
  auto it = req.headers.find("range");
  if (it != req.headers.end() && it->second.rfind("bytes=", 0) == 0) {
    from = std::stoull(it->second.substr(6));
    if (from >= data.size()) {
      conn.respond(416, "", {{"Content-Range", "bytes */" + std::to_string(data.size())}});
      return;
    }
    head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + std::to_string(from) + "-" +
           std::to_string(data.size() - 1) + "/" + std::to_string(data.size()) + "\r\n";
  } else {
    head = "HTTP/1.1 200 OK\r\n";
  }
  head += "Content-Length: " + std::to_string(data.size() - from) + "\r\nConnection: close\r\n\r\n";
  if (!conn.write(head)) return;
  std::string body = data.substr(from);
  if (cut_after < body.size()) body.resize(cut_after);
  if (chunk == 0) chunk = body.size() ? body.size() : 1;
  for (size_t off = 0; off < body.size(); off += chunk) {
    if (!conn.write(body.substr(off, chunk))) return;
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
}

// ---- nginx ----

Nginx::Nginx(const std::string& root, const std::string& work_dir, const Certs* certs,
             const std::string& extra) {
  prefix_ = work_dir;
  tls_ = certs != nullptr;
  fs::create_directories(prefix_ + "/tmp");
  for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
    port_ = free_port();
    std::string conf = "daemon off;\nmaster_process off;\nworker_processes 1;\n";
    conf += "pid " + prefix_ + "/nginx.pid;\nerror_log " + prefix_ + "/error.log;\n";
    conf += "events { worker_connections 64; }\nhttp {\n";
    conf += "  access_log " + prefix_ + "/access.log;\n";
    for (const char* t : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
      conf += std::string("  ") + t + "_temp_path " + prefix_ + "/tmp/" + t + ";\n";
    conf += "  default_type application/octet-stream;\n  sendfile on;\n";
    conf +=
        "  server {\n    listen 127.0.0.1:" + std::to_string(port_) + (tls_ ? " ssl" : "") + ";\n";
    if (certs) {
      conf += "    ssl_certificate " + certs->server_cert + ";\n";
      conf += "    ssl_certificate_key " + certs->server_key + ";\n";
    }
    conf += "    root " + root + ";\n    autoindex on;\n" + extra + "\n  }\n}\n";
    write_file(prefix_ + "/nginx.conf", conf);
    pid_t pid = ::fork();
    if (pid == 0) {
      std::string errlog = prefix_ + "/error.log";
      int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::execl("/usr/sbin/nginx", "nginx", "-p", prefix_.c_str(), "-e", errlog.c_str(), "-c",
              (prefix_ + "/nginx.conf").c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait until it accepts connections (or dies).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool up = false;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) break;
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(port_);
      bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      ::close(fd);
      if (ok) {
        up = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (up) {
      pid_ = pid;
    } else {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      error_ = read_file(prefix_ + "/error.log");
    }
  }
}

Nginx::~Nginx() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string Nginx::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string Nginx::access_log() const {
  return read_file(prefix_ + "/access.log");
}

}  // namespace wt
