// The image layer's C ABI (capi/include/warden_image.h).
#include <memory>
#include <string>
#include <vector>

#include "api.hpp"
#include "warden/core/json_writer.hpp"
#include "warden/image/export.hpp"
#include "warden/image/server.hpp"
#include "warden/image/store.hpp"

struct warden_image_store {
  std::unique_ptr<warden::image::ImageStore> store;
};

struct warden_image {
  warden::image::ImageInfo info;
};

struct warden_image_list {
  std::vector<warden_image> images;
};

struct warden_registry_server {
  std::unique_ptr<warden::image::RegistryServer> server;
  void* log_user_data = nullptr;
  void (*log_user_data_free)(void*) = nullptr;
};

namespace {

namespace wi = warden::image;

std::string str(const char* p, size_t n) {
  return p ? std::string(p, n) : std::string();
}

static_assert(WARDEN_IMAGE_STEP_RESOLVE == static_cast<int>(wi::FetchStep::resolve));
static_assert(WARDEN_IMAGE_STEP_WAIT == static_cast<int>(wi::FetchStep::wait));
static_assert(WARDEN_IMAGE_STEP_DOWNLOAD == static_cast<int>(wi::FetchStep::download));
static_assert(WARDEN_IMAGE_STEP_VERIFY == static_cast<int>(wi::FetchStep::verify));
static_assert(WARDEN_IMAGE_STEP_RETRY == static_cast<int>(wi::FetchStep::retry));
static_assert(WARDEN_IMAGE_STEP_DONE == static_cast<int>(wi::FetchStep::done));
static_assert(WARDEN_IMAGE_STEP_CACHED == static_cast<int>(wi::FetchStep::cached));

std::string image_json(const wi::ImageInfo& i) {
  warden::JsonWriter w("  ");
  w.begin_object();
  w.key("Name").string(i.name);
  w.key("URL").string(i.url);
  w.key("Pot").string(i.pot);
  w.key("Tag").string(i.tag);
  w.key("Object").string(i.object);
  w.key("Algorithm").string(wi::algorithm_name(i.algorithm));
  w.key("Digest").string(i.digest);
  w.key("Meta").string(i.meta);
  w.key("Parent");
  if (i.parent.empty()) {
    w.null();
  } else {
    w.string(i.parent);
  }
  w.key("SignatureVerified").boolean(i.signature_verified);
  w.key("Rootfs").string(i.rootfs);
  w.key("Layers").begin_array();
  for (const auto& l : i.layers) w.string(l);
  w.end_array();
  w.key("ArchiveBytes").unsigned_integer(i.archive_bytes);
  w.key("Entries").unsigned_integer(i.entries);
  w.key("Bytes").unsigned_integer(i.bytes);
  w.key("FetchedAt").integer(i.fetched_at);
  w.end_object();
  return w.take();
}

}  // namespace

extern "C" {

warden_error* warden_image_store_open(warden_image_store** out, const char* dir, size_t dir_len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_image_store_open: out must not be NULL");
  WARDEN_REQUIRE(dir && dir_len > 0, "warden_image_store_open: dir must not be empty");
  auto s = wi::ImageStore::open(std::string(dir, dir_len));
  if (!s) return warden::capi::make_error(std::move(s).error());
  auto h = std::make_unique<warden_image_store>();
  h->store = std::move(*s);
  *out = h.release();
  return nullptr;
  WARDEN_API_END
}

void warden_image_store_free(warden_image_store* store) {
  delete store;
}

const char* warden_image_store_dir(const warden_image_store* store) {
  return store ? store->store->dir().c_str() : nullptr;
}

warden_error* warden_image_store_fetch(warden_image** out, warden_image_store* store,
                                       const char* url, size_t url_len, const char* pot,
                                       size_t pot_len, const char* tag, size_t tag_len,
                                       const warden_image_fetch_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(store, "warden_image_store_fetch: store must not be NULL");
  WARDEN_REQUIRE(url && pot && tag, "warden_image_store_fetch: url, pot and tag are required");
  WARDEN_REQUIRE(!opts || opts->version >= 1,
                 "warden_image_store_fetch: options have no version; use "
                 "WARDEN_IMAGE_FETCH_OPTIONS_INIT");
  wi::FetchOptions o;
  if (opts) {
    if (opts->public_key) o.public_key = opts->public_key;
    if (opts->ca_file) o.transfer.ca_file = opts->ca_file;
    o.transfer.insecure_skip_verify = opts->insecure_skip_verify != 0;
    if (opts->connect_timeout_ms) o.transfer.connect_timeout = wi::Millis(opts->connect_timeout_ms);
    if (opts->read_timeout_ms) o.transfer.read_timeout = wi::Millis(opts->read_timeout_ms);
    if (opts->total_timeout_ms) o.transfer.total_timeout = wi::Millis(opts->total_timeout_ms);
    if (opts->retries >= 0) o.transfer.retries = opts->retries;
    if (opts->retry_backoff_ms) o.transfer.retry_backoff = wi::Millis(opts->retry_backoff_ms);
    if (opts->max_redirects >= 0) o.transfer.max_redirects = opts->max_redirects;
    o.extract.allow_devices = opts->allow_devices != 0;
    o.extract.allow_setid = opts->allow_setid != 0;
    if (opts->max_entries) o.extract.max_entries = opts->max_entries;
    if (opts->max_bytes) o.extract.max_bytes = opts->max_bytes;
    o.refresh = opts->refresh != 0;
    if (opts->progress) {
      auto fn = opts->progress;
      void* ud = opts->progress_user_data;
      o.progress = [fn, ud](const wi::FetchProgress& p) {
        std::string image(p.image);
        warden_image_progress cp{image.c_str(), static_cast<warden_image_step>(p.step), p.done,
                                 p.total};
        return fn(&cp, ud) == 0;
      };
    }
  }
  auto r = store->store->fetch({str(url, url_len), str(pot, pot_len), str(tag, tag_len)}, o);
  if (!r) return warden::capi::make_error(std::move(r).error());
  if (out) *out = new warden_image{std::move(*r)};
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_image_store_lookup(warden_image** out, const warden_image_store* store,
                                        const char* name, size_t name_len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && store && name,
                 "warden_image_store_lookup: out, store and name are required");
  auto r = store->store->lookup(std::string_view(name, name_len));
  if (!r) return warden::capi::make_error(std::move(r).error());
  *out = new warden_image{std::move(*r)};
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_image_store_list(warden_image_list** out, const warden_image_store* store) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && store, "warden_image_store_list: out and store are required");
  auto r = store->store->list();
  if (!r) return warden::capi::make_error(std::move(r).error());
  auto l = std::make_unique<warden_image_list>();
  for (auto& i : *r) l->images.push_back(warden_image{std::move(i)});
  *out = l.release();
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_image_store_remove(warden_image_store* store, const char* name,
                                        size_t name_len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(store && name, "warden_image_store_remove: store and name are required");
  auto r = store->store->remove(std::string_view(name, name_len));
  if (!r) return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

void warden_image_store_cancel(warden_image_store* store) {
  if (store) store->store->cancel_all();
}

void warden_image_free(warden_image* image) {
  delete image;
}

const char* warden_image_name(const warden_image* i) {
  return i ? i->info.name.c_str() : nullptr;
}
const char* warden_image_url(const warden_image* i) {
  return i ? i->info.url.c_str() : nullptr;
}
const char* warden_image_pot(const warden_image* i) {
  return i ? i->info.pot.c_str() : nullptr;
}
const char* warden_image_tag(const warden_image* i) {
  return i ? i->info.tag.c_str() : nullptr;
}
const char* warden_image_algorithm(const warden_image* i) {
  return i ? wi::algorithm_name(i->info.algorithm) : nullptr;
}
const char* warden_image_digest(const warden_image* i) {
  return i ? i->info.digest.c_str() : nullptr;
}
const char* warden_image_meta(const warden_image* i) {
  return i ? i->info.meta.c_str() : nullptr;
}
const char* warden_image_parent(const warden_image* i) {
  return i && !i->info.parent.empty() ? i->info.parent.c_str() : nullptr;
}
const char* warden_image_rootfs(const warden_image* i) {
  return i ? i->info.rootfs.c_str() : nullptr;
}
size_t warden_image_layer_count(const warden_image* i) {
  return i ? i->info.layers.size() : 0;
}
const char* warden_image_layer(const warden_image* i, size_t index) {
  return i && index < i->info.layers.size() ? i->info.layers[index].c_str() : nullptr;
}
uint64_t warden_image_archive_bytes(const warden_image* i) {
  return i ? i->info.archive_bytes : 0;
}
uint64_t warden_image_entries(const warden_image* i) {
  return i ? i->info.entries : 0;
}
uint64_t warden_image_bytes(const warden_image* i) {
  return i ? i->info.bytes : 0;
}
int64_t warden_image_fetched_at(const warden_image* i) {
  return i ? i->info.fetched_at : 0;
}
int warden_image_signature_verified(const warden_image* i) {
  return i && i->info.signature_verified ? 1 : 0;
}

warden_error* warden_image_to_json(warden_buf* out, const warden_image* image) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr,
                 "warden_image_to_json: out must be an empty warden_buf (WARDEN_BUF_INIT)");
  WARDEN_REQUIRE(image, "warden_image_to_json: image must not be NULL");
  return warden::capi::fill_buf(out, image_json(image->info));
  WARDEN_API_END
}

size_t warden_image_list_count(const warden_image_list* l) {
  return l ? l->images.size() : 0;
}
const warden_image* warden_image_list_at(const warden_image_list* l, size_t index) {
  return l && index < l->images.size() ? &l->images[index] : nullptr;
}
void warden_image_list_free(warden_image_list* l) {
  delete l;
}

warden_error* warden_image_export(warden_buf* out, const char* rootfs, size_t rootfs_len,
                                  const warden_image_export_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(!out || !out->ptr,
                 "warden_image_export: out must be NULL or an empty warden_buf (WARDEN_BUF_INIT)");
  WARDEN_REQUIRE(rootfs && rootfs_len > 0, "warden_image_export: rootfs is required");
  WARDEN_REQUIRE(opts && opts->version >= 1,
                 "warden_image_export: options are required (WARDEN_IMAGE_EXPORT_OPTIONS_INIT)");
  WARDEN_REQUIRE(opts->pot && opts->tag && opts->out_dir,
                 "warden_image_export: pot, tag and out_dir are required");
  wi::ExportOptions o;
  o.pot = opts->pot;
  o.tag = opts->tag;
  o.out_dir = opts->out_dir;
  o.level = opts->level;
  o.threads = opts->threads;
  if (opts->from) o.from = opts->from;
  if (opts->sign_key) o.sign_key = opts->sign_key;
  o.sha256 = opts->sha256 != 0;
  auto r = wi::export_image(std::string(rootfs, rootfs_len), o);
  if (!r) return warden::capi::make_error(std::move(r).error());
  if (!out) return nullptr;
  warden::JsonWriter w("  ");
  w.begin_object();
  w.key("Archive").string(r->archive);
  w.key("Meta").string(r->meta);
  w.key("Skein").string(r->digest);
  w.key("Signature");
  if (r->signature.empty()) {
    w.null();
  } else {
    w.string(r->signature);
  }
  w.key("Sha256");
  if (r->sha256.empty()) {
    w.null();
  } else {
    w.string(r->sha256);
  }
  w.key("Digest").string(r->skein_hex);
  w.key("ArchiveBytes").unsigned_integer(r->archive_bytes);
  w.key("TarBytes").unsigned_integer(r->tar_bytes);
  w.key("Entries").unsigned_integer(r->entries);
  w.end_object();
  return warden::capi::fill_buf(out, w.take());
  WARDEN_API_END
}

warden_error* warden_registry_server_start(warden_registry_server** out, const char* dir,
                                           size_t dir_len, const warden_registry_options* opts) {
  // The user data belongs to the server from here on: released on every failure path too.
  struct Guard {
    const warden_registry_options* o;
    bool armed = true;
    ~Guard() {
      if (armed && o && o->log_user_data_free) o->log_user_data_free(o->log_user_data);
    }
  } guard{opts};
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_registry_server_start: out must not be NULL");
  WARDEN_REQUIRE(dir && dir_len > 0, "warden_registry_server_start: dir is required");
  WARDEN_REQUIRE(!opts || opts->version >= 1,
                 "warden_registry_server_start: options have no version; use "
                 "WARDEN_REGISTRY_OPTIONS_INIT");
  wi::ServerOptions o;
  auto h = std::make_unique<warden_registry_server>();
  if (opts) {
    if (opts->listen) o.listen = opts->listen;
    if (opts->tls_cert) o.tls_cert = opts->tls_cert;
    if (opts->tls_key) o.tls_key = opts->tls_key;
    if (opts->threads) o.threads = opts->threads;
    o.rate_limit = opts->rate_limit;
    o.directory_listing = opts->no_directory_listing == 0;
    if (opts->log) {
      auto fn = opts->log;
      void* ud = opts->log_user_data;
      o.access_log = [fn, ud](const wi::AccessLogEntry& e) {
        fn(e.remote.c_str(), e.method.c_str(), e.target.c_str(), e.status, e.bytes, ud);
      };
    }
    h->log_user_data = opts->log_user_data;
    h->log_user_data_free = opts->log_user_data_free;
  }
  auto s = wi::RegistryServer::start(std::string(dir, dir_len), o);
  if (!s) return warden::capi::make_error(std::move(s).error());
  h->server = std::move(*s);
  guard.armed = false;
  *out = h.release();
  return nullptr;
  WARDEN_API_END
}

uint16_t warden_registry_server_port(const warden_registry_server* s) {
  return s ? s->server->port() : 0;
}

const char* warden_registry_server_url(const warden_registry_server* s) {
  return s ? s->server->url().c_str() : nullptr;
}

void warden_registry_server_free(warden_registry_server* s) {
  if (!s) return;
  s->server.reset();  // stops and joins: no log call after this
  if (s->log_user_data_free) s->log_user_data_free(s->log_user_data);
  delete s;
}

}  // extern "C"
