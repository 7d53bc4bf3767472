// A static file server for a registry directory (Boost.Beast): GET and HEAD, byte ranges
// (single ranges, If-Range), keep-alive, directory listings, optional TLS. "A registry can be
// just a simple web server": this is that server, for users who keep their own images.
//
// Paths are confined to the served directory: ".." segments are refused and symlinks are
// followed only while they stay inside it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "warden/core/error.hpp"

namespace warden::image {

struct AccessLogEntry {
  std::string remote;  // "127.0.0.1:53124"
  std::string method;
  std::string target;
  unsigned status = 0;
  uint64_t bytes = 0;  // body bytes sent
};

struct ServerOptions {
  std::string listen = "127.0.0.1:0";  // "HOST:PORT", "[v6]:PORT" or ":PORT" (all interfaces)
  std::string tls_cert;                // PEM certificate chain; with tls_key, serve HTTPS
  std::string tls_key;
  unsigned threads = 2;
  uint64_t rate_limit = 0;  // bytes per second per response; 0 = unlimited
  bool directory_listing = true;
  // Called from the server's threads after each response.
  std::function<void(const AccessLogEntry&)> access_log;
};

class RegistryServer {
 public:
  // Binds, then serves `root` on background threads until stop() or destruction.
  static Result<std::unique_ptr<RegistryServer>> start(const std::string& root,
                                                       const ServerOptions& options = {});
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:PORT" (https:// with TLS); IPv6 hosts in brackets.
  const std::string& url() const;
  // Stops accepting, closes connections and joins the threads. Idempotent.
  void stop();

 private:
  RegistryServer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden::image
