// minipot registry serve: a registry directory on a static web server (warden's, on the C API).
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include "commands.hpp"
#include "warden.h"

namespace minipot {
namespace {

struct LogState {
  bool json = false;
  bool quiet = false;
  std::mutex mu;
};

std::string json_string(const char* s) {
  std::string out = "\"";
  for (const char* p = s; *p; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += *p;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += *p;
    }
  }
  return out + "\"";
}

void on_request(const char* remote, const char* method, const char* target, unsigned status,
                uint64_t bytes, void* user_data) {
  auto* st = static_cast<LogState*>(user_data);
  if (st->quiet) return;
  std::lock_guard lk(st->mu);
  if (st->json) {
    std::printf("{\"Remote\":%s,\"Method\":%s,\"Target\":%s,\"Status\":%u,\"Bytes\":%llu}\n",
                json_string(remote).c_str(), json_string(method).c_str(),
                json_string(target).c_str(), status, static_cast<unsigned long long>(bytes));
  } else {
    char when[32];
    std::time_t now = std::time(nullptr);
    struct tm tm {};
    localtime_r(&now, &tm);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    std::printf("%s %s %s %s %u %llu\n", when, remote, method, target, status,
                static_cast<unsigned long long>(bytes));
  }
  std::fflush(stdout);
}

int registry_serve(const Parsed& p) {
  if (p.args.size() != 1) {
    std::fprintf(stderr, "minipot registry serve: expected one argument: the directory to serve\n");
    return 1;
  }
  std::string listen = p.get("listen", "127.0.0.1:8780");
  std::string cert = p.get("tls-cert"), key = p.get("tls-key");
  if (cert.empty() != key.empty()) {
    std::fprintf(stderr, "minipot registry serve: --tls-cert and --tls-key go together\n");
    return 1;
  }
  LogState log;
  log.json = p.has("json");
  log.quiet = p.has("quiet");
  warden_registry_options o = WARDEN_REGISTRY_OPTIONS_INIT;
  o.listen = listen.c_str();
  if (!cert.empty()) {
    o.tls_cert = cert.c_str();
    o.tls_key = key.c_str();
  }
  if (p.has("rate-limit")) o.rate_limit = std::strtoull(p.get("rate-limit").c_str(), nullptr, 10);
  o.no_directory_listing = p.has("no-listing");
  o.log = on_request;
  o.log_user_data = &log;

  // The server's threads inherit this mask, so SIGINT/SIGTERM reach sigwait below.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  warden_registry_server* server = nullptr;
  const std::string& dir = p.args[0];
  if (warden_error* err = warden_registry_server_start(&server, dir.data(), dir.size(), &o)) {
    std::fprintf(stderr, "minipot registry serve: %s\n", warden_error_message(err));
    warden_error_free(err);
    return 1;
  }
  if (log.json) {
    std::printf("{\"URL\":%s,\"Port\":%u,\"Dir\":%s}\n",
                json_string(warden_registry_server_url(server)).c_str(),
                static_cast<unsigned>(warden_registry_server_port(server)),
                json_string(dir.c_str()).c_str());
  } else {
    std::printf("Serving %s at %s (Ctrl-C to stop)\n", dir.c_str(),
                warden_registry_server_url(server));
  }
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  warden_registry_server_free(server);
  if (!log.json && !log.quiet) std::printf("Stopped\n");
  return 0;
}

std::vector<Command> registry_commands() {
  return {
      {"registry serve",
       "DIR",
       "Serve a directory of pot images over HTTP(S).",
       "  A static file server with byte ranges (resumable downloads) and directory listings:\n"
       "  point `minipot image fetch` or pot at http://HOST:PORT/<path>. Runs until SIGINT or\n"
       "  SIGTERM; logs one line per request.",
       {{"listen", true, false, "Address to listen on (default 127.0.0.1:8780; :PORT for all)."},
        {"tls-cert", true, false, "PEM certificate chain: serve HTTPS (with -tls-key)."},
        {"tls-key", true, false, "PEM private key of the certificate."},
        {"rate-limit", true, false, "Bytes per second per download (default unlimited)."},
        {"no-listing", false, false, "Refuse directory listings."},
        {"quiet", false, false, "Do not log requests."},
        {"json", false, false, "Print the address and the request log as JSON lines."}},
       registry_serve}};
}

const Registrar registrar(registry_commands);

}  // namespace
}  // namespace minipot
