// minipot image fetch | ls | inspect | rm | export: pot images on the C API (warden_image.h).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "commands.hpp"
#include "warden.h"

namespace minipot {
namespace {

using ErrorPtr = std::unique_ptr<warden_error, decltype(&warden_error_free)>;
using StorePtr = std::unique_ptr<warden_image_store, decltype(&warden_image_store_free)>;
using ImagePtr = std::unique_ptr<warden_image, decltype(&warden_image_free)>;
using ListPtr = std::unique_ptr<warden_image_list, decltype(&warden_image_list_free)>;

int fail(const std::string& cmd, warden_error* err) {
  ErrorPtr e(err, warden_error_free);
  std::fprintf(stderr, "minipot %s: %s\n", cmd.c_str(), warden_error_message(e.get()));
  return 1;
}

int usage_error(const std::string& cmd, const std::string& msg) {
  std::fprintf(stderr, "minipot %s: %s\nRun `minipot %s --help` for the options.\n", cmd.c_str(),
               msg.c_str(), cmd.c_str());
  return 1;
}

std::string store_dir(const Parsed& p) {
  return data_dir(p) + "/images";
}

StorePtr open_store(const Parsed& p, const std::string& cmd, int& status) {
  StorePtr s(nullptr, warden_image_store_free);
  std::string dir = store_dir(p);
  warden_image_store* raw = nullptr;
  if (warden_error* err = warden_image_store_open(&raw, dir.data(), dir.size())) {
    status = fail(cmd, err);
    return s;
  }
  s.reset(raw);
  status = 0;
  return s;
}

std::string human_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string human_duration(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) / 60 % 60);
  }
  return buf;
}

// "30s", "500ms", "2m", "1h" or plain seconds -> milliseconds; -1 if malformed.
long long parse_millis(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || v < 0) return -1;
  std::string unit(end);
  double ms = unit == "ms"                  ? v
              : unit == "s" || unit.empty() ? v * 1000
              : unit == "m"                 ? v * 60000
              : unit == "h"                 ? v * 3600000
                                            : -1;
  return ms < 0 ? -1 : static_cast<long long>(ms);
}

// ---- fetch: a progress bar on a terminal, one line per step otherwise ----

struct ProgressState {
  bool tty = false;
  bool quiet = false;
  std::string last_image;
  int last_step = -1;
  std::chrono::steady_clock::time_point start;
  bool bar_open = false;
};

const char* step_text(warden_image_step s) {
  switch (s) {
    case WARDEN_IMAGE_STEP_RESOLVE:
      return "resolving";
    case WARDEN_IMAGE_STEP_WAIT:
      return "waiting for another fetch of the same image";
    case WARDEN_IMAGE_STEP_DOWNLOAD:
      return "downloading";
    case WARDEN_IMAGE_STEP_VERIFY:
      return "verifying";
    case WARDEN_IMAGE_STEP_RETRY:
      return "hash mismatch, retrying once";
    case WARDEN_IMAGE_STEP_DONE:
      return "done";
    case WARDEN_IMAGE_STEP_CACHED:
      return "cached";
  }
  return "";
}

int on_progress(const warden_image_progress* p, void* user_data) {
  auto* st = static_cast<ProgressState*>(user_data);
  if (st->quiet) return 0;
  bool new_step = st->last_image != p->image || st->last_step != static_cast<int>(p->step);
  if (p->step == WARDEN_IMAGE_STEP_DOWNLOAD && new_step)
    st->start = std::chrono::steady_clock::now();
  if (p->step == WARDEN_IMAGE_STEP_DOWNLOAD && st->tty) {
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - st->start).count();
    double rate = secs > 0.05 ? static_cast<double>(p->done) / secs : 0;
    std::string line = std::string(p->image) + " ";
    if (p->total > 0) {
      const int width = 30;
      double frac = std::min(1.0, static_cast<double>(p->done) / static_cast<double>(p->total));
      int fill = static_cast<int>(frac * width);
      line += "[" + std::string(fill, '#') + std::string(width - fill, '.') + "] ";
      char pct[16];
      std::snprintf(pct, sizeof pct, "%3.0f%% ", frac * 100);
      line += pct;
      line += human_bytes(static_cast<double>(p->done)) + " / " +
              human_bytes(static_cast<double>(p->total));
    } else {
      line += human_bytes(static_cast<double>(p->done));
    }
    if (rate > 0) {
      line += "  " + human_bytes(rate) + "/s";
      if (p->total > p->done)
        line += "  ETA " + human_duration(static_cast<double>(p->total - p->done) / rate);
    }
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    st->bar_open = true;
  } else if (new_step) {
    if (st->bar_open) {
      std::fprintf(stderr, "\n");
      st->bar_open = false;
    }
    if (p->step == WARDEN_IMAGE_STEP_DOWNLOAD) {
      std::fprintf(
          stderr, "%s: downloading%s\n", p->image,
          p->total ? (" (" + human_bytes(static_cast<double>(p->total)) + ")").c_str() : "");
    } else {
      std::fprintf(stderr, "%s: %s\n", p->image, step_text(p->step));
    }
  }
  st->last_image = p->image;
  st->last_step = static_cast<int>(p->step);
  return 0;
}

int image_fetch(const Parsed& p) {
  const std::string cmd = "image fetch";
  if (p.args.size() != 3) return usage_error(cmd, "expected three arguments: URL POT TAG");
  warden_image_fetch_options o = WARDEN_IMAGE_FETCH_OPTIONS_INIT;
  std::string pubkey = p.get("pubkey"), ca = p.get("ca-file");
  if (!pubkey.empty()) o.public_key = pubkey.c_str();
  if (!ca.empty()) o.ca_file = ca.c_str();
  o.insecure_skip_verify = p.has("insecure");
  o.allow_setid = p.has("allow-setuid");
  o.allow_devices = p.has("allow-devices");
  o.refresh = p.has("refresh");
  struct {
    const char* flag;
    uint32_t* field;
  } timeouts[] = {{"timeout", &o.total_timeout_ms},
                  {"connect-timeout", &o.connect_timeout_ms},
                  {"read-timeout", &o.read_timeout_ms}};
  for (auto& t : timeouts) {
    if (!p.has(t.flag)) continue;
    long long ms = parse_millis(p.get(t.flag));
    if (ms <= 0)
      return usage_error(cmd, std::string("bad duration for -") + t.flag + ": " + p.get(t.flag));
    *t.field = static_cast<uint32_t>(ms);
  }
  if (p.has("retries")) o.retries = std::atoi(p.get("retries").c_str());
  ProgressState st;
  st.tty = ::isatty(2) && !p.has("json");
  st.quiet = p.has("quiet");
  o.progress = on_progress;
  o.progress_user_data = &st;

  int status = 0;
  StorePtr store = open_store(p, cmd, status);
  if (!store) return status;
  const std::string &url = p.args[0], &pot = p.args[1], &tag = p.args[2];
  warden_image* raw = nullptr;
  warden_error* err = warden_image_store_fetch(&raw, store.get(), url.data(), url.size(),
                                               pot.data(), pot.size(), tag.data(), tag.size(), &o);
  if (st.bar_open) std::fprintf(stderr, "\n");
  if (err) return fail(cmd, err);
  ImagePtr img(raw, warden_image_free);
  if (p.has("json")) {
    warden_buf out = WARDEN_BUF_INIT;
    if (warden_error* e = warden_image_to_json(&out, img.get())) return fail(cmd, e);
    std::printf("%s\n", out.ptr);
    warden_buf_dispose(&out);
    return 0;
  }
  std::printf("Image %s (%llu entries, %s) is at %s\n", warden_image_name(img.get()),
              static_cast<unsigned long long>(warden_image_entries(img.get())),
              human_bytes(static_cast<double>(warden_image_bytes(img.get()))).c_str(),
              warden_image_rootfs(img.get()));
  if (const char* parent = warden_image_parent(img.get())) std::printf("Layered on %s\n", parent);
  return 0;
}

// ---- ls, inspect, rm ----

int image_ls(const Parsed& p) {
  const std::string cmd = "image ls";
  if (!p.args.empty()) return usage_error(cmd, "this command takes no arguments");
  int status = 0;
  StorePtr store = open_store(p, cmd, status);
  if (!store) return status;
  warden_image_list* raw = nullptr;
  if (warden_error* err = warden_image_store_list(&raw, store.get())) return fail(cmd, err);
  ListPtr list(raw, warden_image_list_free);
  size_t n = warden_image_list_count(list.get());
  if (p.has("json")) {
    std::string out = "[";
    for (size_t i = 0; i < n; ++i) {
      warden_buf b = WARDEN_BUF_INIT;
      if (warden_error* e = warden_image_to_json(&b, warden_image_list_at(list.get(), i)))
        return fail(cmd, e);
      out += (i ? "," : "") + std::string(b.ptr, b.size);
      warden_buf_dispose(&b);
    }
    std::printf("%s]\n", out.c_str());
    return 0;
  }
  if (n == 0) {
    std::printf("No images in %s\n", store_dir(p).c_str());
    return 0;
  }
  std::printf("%-32s %-10s %-12s %-16s %s\n", "NAME", "SIZE", "DIGEST", "BASE", "URL");
  for (size_t i = 0; i < n; ++i) {
    const warden_image* img = warden_image_list_at(list.get(), i);
    const char* parent = warden_image_parent(img);
    std::printf("%-32s %-10s %-12.12s %-16s %s\n", warden_image_name(img),
                human_bytes(static_cast<double>(warden_image_bytes(img))).c_str(),
                warden_image_digest(img), parent ? parent : "-", warden_image_url(img));
  }
  return 0;
}

int image_inspect(const Parsed& p) {
  const std::string cmd = "image inspect";
  if (p.args.size() != 1) return usage_error(cmd, "expected one argument: the image name");
  int status = 0;
  StorePtr store = open_store(p, cmd, status);
  if (!store) return status;
  warden_image* raw = nullptr;
  if (warden_error* err =
          warden_image_store_lookup(&raw, store.get(), p.args[0].data(), p.args[0].size()))
    return fail(cmd, err);
  ImagePtr img(raw, warden_image_free);
  warden_buf out = WARDEN_BUF_INIT;
  if (warden_error* e = warden_image_to_json(&out, img.get())) return fail(cmd, e);
  if (p.has("json")) {
    std::printf("%s\n", out.ptr);
  } else {
    std::printf(
        "Name      = %s\nSource    = %s/%s_%s.xz\nDigest    = %s %s\nMeta      = %s\nRootfs    = "
        "%s\n",
        warden_image_name(img.get()), warden_image_url(img.get()), warden_image_pot(img.get()),
        warden_image_tag(img.get()), warden_image_algorithm(img.get()),
        warden_image_digest(img.get()), warden_image_meta(img.get()),
        warden_image_rootfs(img.get()));
    for (size_t i = 1; i < warden_image_layer_count(img.get()); ++i)
      std::printf("Layer %-3zu = %s\n", i, warden_image_layer(img.get(), i));
    std::printf("Entries   = %llu\nSize      = %s\nSigned    = %s\n",
                static_cast<unsigned long long>(warden_image_entries(img.get())),
                human_bytes(static_cast<double>(warden_image_bytes(img.get()))).c_str(),
                warden_image_signature_verified(img.get()) ? "yes (verified)" : "no");
  }
  warden_buf_dispose(&out);
  return 0;
}

int image_rm(const Parsed& p) {
  const std::string cmd = "image rm";
  if (p.args.empty()) return usage_error(cmd, "expected the names of the images to remove");
  int status = 0;
  StorePtr store = open_store(p, cmd, status);
  if (!store) return status;
  int rc = 0;
  std::string json = "[";
  for (const auto& name : p.args) {
    if (warden_error* err = warden_image_store_remove(store.get(), name.data(), name.size())) {
      rc = fail(cmd, err);
      continue;
    }
    if (p.has("json")) {
      json += (json.size() > 1 ? ",\"" : "\"") + name + "\"";
    } else {
      std::printf("Removed %s\n", name.c_str());
    }
  }
  if (p.has("json")) std::printf("{\"Removed\":%s]}\n", json.c_str());
  return rc;
}

// ---- export ----

int image_export(const Parsed& p) {
  const std::string cmd = "image export";
  if (p.args.size() != 1) return usage_error(cmd, "expected one argument: the root directory");
  std::string pot = p.get("pot"), tag = p.get("tag"), out_dir = p.get("out"), from = p.get("from"),
              sign = p.get("sign");
  if (pot.empty() || tag.empty() || out_dir.empty())
    return usage_error(cmd, "--pot, --tag and --out are required");
  warden_image_export_options o = WARDEN_IMAGE_EXPORT_OPTIONS_INIT;
  o.pot = pot.c_str();
  o.tag = tag.c_str();
  o.out_dir = out_dir.c_str();
  if (p.has("level")) {
    std::string l = p.get("level");
    if (l.size() != 1 || l[0] < '0' || l[0] > '9') return usage_error(cmd, "--level must be 0-9");
    o.level = l[0] - '0';
  }
  if (p.has("threads")) o.threads = static_cast<unsigned>(std::atoi(p.get("threads").c_str()));
  if (!from.empty()) o.from = from.c_str();
  if (!sign.empty()) o.sign_key = sign.c_str();
  o.sha256 = p.has("sha256");
  warden_buf out = WARDEN_BUF_INIT;
  auto start = std::chrono::steady_clock::now();
  if (warden_error* err = warden_image_export(&out, p.args[0].data(), p.args[0].size(), &o))
    return fail(cmd, err);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (p.has("json")) {
    std::printf("%s\n", out.ptr);
  } else {
    std::string base = out_dir + "/" + pot + "_" + tag + ".xz";
    std::printf("Exported %s as %s (+ .meta, .skein%s%s) in %.1fs\n", p.args[0].c_str(),
                base.c_str(), sign.empty() ? "" : ", .skein.sig", o.sha256 ? ", .sha256" : "",
                secs);
  }
  warden_buf_dispose(&out);
  return 0;
}

std::vector<Command> image_commands() {
  std::vector<FlagSpec> fetch_flags = {
      {"pubkey", true, false, "signify public key: refuse images without a valid .sig."},
      {"ca-file", true, false, "Extra CA certificates (PEM) to trust besides the system's."},
      {"insecure", false, false, "Do not verify TLS certificates (explicit opt-in)."},
      {"timeout", true, false, "Total time limit, e.g. 10m (default: none)."},
      {"connect-timeout", true, false, "Connect and TLS handshake limit (default 10s)."},
      {"read-timeout", true, false, "Longest wait for the next byte (default 30s)."},
      {"retries", true, false, "Attempts after a transient failure (default 3)."},
      {"refresh", false, false, "Check the registry again even if the image is cached."},
      {"allow-setuid", false, false, "Unpack setuid/setgid files (refused by default)."},
      {"allow-devices", false, false, "Unpack device nodes and FIFOs (refused by default)."},
      {"quiet", false, false, "No progress output."},
      {"json", false, false, "Print the fetched image as JSON."}};
  std::vector<FlagSpec> export_flags = {
      {"pot", true, false, "The image's pot name (required)."},
      {"tag", true, false, "The image's tag (required)."},
      {"out", true, false, "Directory for the files (required; created if missing)."},
      {"level", true, false, "xz compression level 0-9 (default 6, as pot export)."},
      {"threads", true, false, "xz threads (default: all cores)."},
      {"from", true, false, "Base image NAME:TAG[@SNAPSHOT]: write a layered image's .meta."},
      {"sign", true, false, "Unencrypted signify secret key: also write .skein.sig."},
      {"sha256", false, false, "Also write .xz.sha256."},
      {"json", false, false, "Print the written files as JSON."}};
  return {
      {"image fetch", "URL POT TAG", "Fetch, verify and unpack a pot image into the cache.",
       "  Reads <URL>/<POT>_<TAG>.xz.meta and .xz.skein (or .xz.sha256), and .xz.skein.sig when\n"
       "  -pubkey is given; then downloads the .xz once, hashing and unpacking it as it arrives.\n"
       "  Base images named by .meta are fetched first. The image is cached under the data dir as\n"
       "  <POT>_<TAG> with dots turned into underscores. URL may be http://, https:// or file://.\n"
       "  A progress bar (bytes, rate, ETA) is shown on a terminal, one line per step otherwise.",
       fetch_flags, image_fetch},
      {"image ls",
       "",
       "List the cached images.",
       "",
       {{"json", false, false, "Print as JSON."}},
       image_ls},
      {"image inspect",
       "NAME",
       "Show a cached image.",
       "",
       {{"json", false, false, "Print as JSON."}},
       image_inspect},
      {"image rm",
       "NAME...",
       "Remove cached images.",
       "  An image is refused while another cached image is layered on it.",
       {{"json", false, false, "Print the result as JSON."}},
       image_rm},
      {"image export", "ROOTFS_DIR", "Write a directory as a pot image, ready to serve.",
       "  Writes <OUT>/<POT>_<TAG>.xz (tar of the root, xz on all cores), .xz.meta and .xz.skein\n"
       "  (skein1024 of the .xz followed by the .meta, as pot does), plus .xz.skein.sig with "
       "-sign.\n"
       "  Serve the directory with `minipot registry serve` or any web server.",
       export_flags, image_export},
  };
}

const Registrar registrar(image_commands);

}  // namespace
}  // namespace minipot
