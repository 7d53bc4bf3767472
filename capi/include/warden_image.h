/*
 * warden_image.h — the image layer's part of the C ABI. Included by warden.h; include warden.h,
 * not this file. The conventions of warden.h apply.
 *
 * pot images on plain web servers: <url>/<pot>_<tag>.xz with .xz.meta, .xz.skein (or
 * .xz.sha256) and optionally .xz.skein.sig. A store fetches them over http://, https:// or
 * file://, verifies the hash (and the signify signature when a public key is configured),
 * unpacks them safely while they download, and caches them by content. The export function and
 * the registry server produce and serve that layout.
 *
 * Thread safety
 *   warden_image_store: every function may be called from any thread at the same time, on the
 *     same store; concurrent fetches of one image (also from other processes using the same
 *     directory) download it once. warden_image_store_cancel() may be called from any thread.
 *   warden_image, warden_image_list: immutable; may be read from several threads at once.
 *   warden_registry_server: the functions may be called from any thread, but
 *     warden_registry_server_free() must not be called from inside its own log callback.
 *   warden_image_export() is stateless and may be called from any thread.
 */
#ifndef WARDEN_IMAGE_H
#define WARDEN_IMAGE_H

#include "warden.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- images in a store ------------------------------------------------------------------- */

/* A cache of unpacked images in one directory (by default <data dir>/images). Open with
 * warden_image_store_open(); free with warden_image_store_free(). */
typedef struct warden_image_store warden_image_store;
/* One cached image. Returned by fetch and lookup; free with warden_image_free(). */
typedef struct warden_image warden_image;
/* Every image of a store, from warden_image_store_list(); free with warden_image_list_free(). */
typedef struct warden_image_list warden_image_list;

typedef enum warden_image_step {
  WARDEN_IMAGE_STEP_RESOLVE = 0,  /* reading .meta/.skein/.sig (also of base images) */
  WARDEN_IMAGE_STEP_WAIT = 1,     /* waiting for another fetch of the same image */
  WARDEN_IMAGE_STEP_DOWNLOAD = 2, /* streaming, hashing and unpacking; done/total in bytes */
  WARDEN_IMAGE_STEP_VERIFY = 3,   /* comparing the hash */
  WARDEN_IMAGE_STEP_RETRY = 4,    /* the hash did not match: starting over once */
  WARDEN_IMAGE_STEP_DONE = 5,     /* committed to the cache */
  WARDEN_IMAGE_STEP_CACHED = 6    /* already cached: nothing downloaded */
} warden_image_step;

/* What a progress callback receives. Owned by the library and valid only during the call;
 * fields may be added at the end in later versions. */
typedef struct warden_image_progress {
  const char* image; /* local name of the image concerned (a base image, too) */
  warden_image_step step;
  uint64_t done;  /* payload bytes received so far (including a resumed part) */
  uint64_t total; /* the payload's size, 0 if the server did not say */
} warden_image_progress;

/* Called on the fetching thread at each step and a few times per second while downloading.
 * Return 0 to continue, non-zero to cancel the fetch (it then fails, code WARDEN_ERROR_IO and a
 * message saying "cancelled"). */
typedef int (*warden_image_progress_fn)(const warden_image_progress* progress, void* user_data);

#define WARDEN_IMAGE_FETCH_OPTIONS_VERSION 1
typedef struct warden_image_fetch_options {
  unsigned int version; /* WARDEN_IMAGE_FETCH_OPTIONS_VERSION */
  /* A signify public key: a file path, or the key's text ("untrusted comment: ..."). When set,
   * images without a valid .sig are refused. NULL: signatures are not required. */
  const char* public_key;
  const char* ca_file;      /* extra trusted CA certificates (PEM) beside the system's; or NULL */
  int insecure_skip_verify; /* non-zero: accept any TLS certificate (explicit opt-in only) */
  uint32_t connect_timeout_ms;       /* 0: 10000 */
  uint32_t read_timeout_ms;          /* 0: 30000 (the longest wait for the next byte) */
  uint32_t total_timeout_ms;         /* 0: no limit for the whole fetch */
  int retries;                       /* further attempts after a transient failure; < 0: 3 */
  uint32_t retry_backoff_ms;         /* first pause, doubled per retry; 0: 250 */
  int max_redirects;                 /* < 0: 5 */
  int allow_devices;                 /* non-zero: unpack device nodes and FIFOs */
  int allow_setid;                   /* non-zero: unpack setuid/setgid files */
  uint64_t max_entries;              /* 0: 1000000 */
  uint64_t max_bytes;                /* total file data; 0: 64 GiB */
  int refresh;                       /* non-zero: re-check the registry even if cached */
  warden_image_progress_fn progress; /* optional */
  void* progress_user_data;          /* passed to progress; borrowed for the call */
} warden_image_fetch_options;
#define WARDEN_IMAGE_FETCH_OPTIONS_INIT                                                         \
  {                                                                                             \
    WARDEN_IMAGE_FETCH_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0, -1, 0, -1, 0, 0, 0, 0, 0, NULL, \
        NULL                                                                                    \
  }

/* Opens (creating if needed) the store in `dir`. On success *out receives a store; free it with
 * warden_image_store_free(). Thread-safe; several stores (and processes) may share a directory. */
WARDEN_API warden_error* warden_image_store_open(warden_image_store** out, const char* dir,
                                                 size_t dir_len);
/* Releases a store. Accepts NULL. Not thread-safe: no other call may be running on the store. */
WARDEN_API void warden_image_store_free(warden_image_store* store);
/* The store's absolute directory. Borrowed: valid until the store is freed. Thread-safe. */
WARDEN_API const char* warden_image_store_dir(const warden_image_store* store);

/* Fetches <url>/<pot>_<tag>.xz (and its base images), or finds it in the cache. `opts` may be
 * NULL for the defaults. On success *out (if out is not NULL) receives the image; free it with
 * warden_image_free(). A hash mismatch is retried once; the error then names the URL and both
 * hashes (code WARDEN_ERROR_PERMISSION, as signature failures and refused archive entries;
 * network failures and timeouts are WARDEN_ERROR_IO, a ZFS image WARDEN_ERROR_UNSUPPORTED).
 * Thread-safe: any number of fetches may run on one store; the progress callback is called on
 * the calling thread. `opts` and its strings are borrowed for the call. */
WARDEN_API warden_error* warden_image_store_fetch(warden_image** out, warden_image_store* store,
                                                  const char* url, size_t url_len, const char* pot,
                                                  size_t pot_len, const char* tag, size_t tag_len,
                                                  const warden_image_fetch_options* opts);
/* A cached image by local name ("<pot>_<tag>" with dots as underscores); WARDEN_ERROR_NOT_FOUND
 * if absent. *out receives the image; free it with warden_image_free(). Thread-safe. */
WARDEN_API warden_error* warden_image_store_lookup(warden_image** out,
                                                   const warden_image_store* store,
                                                   const char* name, size_t name_len);
/* Every cached image, sorted by name. *out receives a list; free it with
 * warden_image_list_free(). Thread-safe. */
WARDEN_API warden_error* warden_image_store_list(warden_image_list** out,
                                                 const warden_image_store* store);
/* Removes an image by local name; refused (WARDEN_ERROR_INVALID_ARGUMENT) while another cached
 * image is layered on it. Its files go when no other name shares the same content. Thread-safe:
 * waits for a fetch of the same image (in any process) to finish first. */
WARDEN_API warden_error* warden_image_store_remove(warden_image_store* store, const char* name,
                                                   size_t name_len);
/* Cancels every fetch running on this store (they fail with "cancelled"). Later fetches are not
 * affected. Thread-safe: meant to be called from another thread than the fetches. */
WARDEN_API void warden_image_store_cancel(warden_image_store* store);

/* Releases an image. Accepts NULL. Not thread-safe: no other call may be reading the image. */
WARDEN_API void warden_image_free(warden_image* image);
/* The image's fields. Strings are borrowed: valid until the image (or the list it comes from)
 * is freed; never NULL unless stated. Thread-safe (an image is immutable), as are all the
 * readers below. */
WARDEN_API const char* warden_image_name(const warden_image* image);
WARDEN_API const char* warden_image_url(const warden_image* image);
WARDEN_API const char* warden_image_pot(const warden_image* image);
WARDEN_API const char* warden_image_tag(const warden_image* image);
/* "skein1024" or "sha256", and the hex digest the registry published. */
WARDEN_API const char* warden_image_algorithm(const warden_image* image);
WARDEN_API const char* warden_image_digest(const warden_image* image);
/* The .meta line: "-", "pot:tag@snapshot" of the base image, or "" when there was none. */
WARDEN_API const char* warden_image_meta(const warden_image* image);
/* The base image's local name, or NULL for a base image. */
WARDEN_API const char* warden_image_parent(const warden_image* image);
/* The unpacked tree of this layer (absolute path). */
WARDEN_API const char* warden_image_rootfs(const warden_image* image);
/* The layers, uppermost first: this rootfs, then its base's, down to the base image (the lower
 * directories of an overlay mount). Lists from warden_image_store_list() carry only the first. */
WARDEN_API size_t warden_image_layer_count(const warden_image* image);
/* NULL if index is out of range. */
WARDEN_API const char* warden_image_layer(const warden_image* image, size_t index);
WARDEN_API uint64_t warden_image_archive_bytes(const warden_image* image);
WARDEN_API uint64_t warden_image_entries(const warden_image* image);
WARDEN_API uint64_t warden_image_bytes(const warden_image* image);
WARDEN_API int64_t warden_image_fetched_at(const warden_image* image); /* Unix time */
WARDEN_API int warden_image_signature_verified(const warden_image* image);
/* The image as JSON ({"Name": ..., "Rootfs": ..., "Layers": [...], ...}) into *out (which must
 * be empty: WARDEN_BUF_INIT); the caller releases it with warden_buf_dispose(). Thread-safe. */
WARDEN_API warden_error* warden_image_to_json(warden_buf* out, const warden_image* image);

/* Thread-safe (a list is immutable). */
WARDEN_API size_t warden_image_list_count(const warden_image_list* list);
/* Borrowed: valid until the list is freed; do not free. NULL if index is out of range.
 * Thread-safe. */
WARDEN_API const warden_image* warden_image_list_at(const warden_image_list* list, size_t index);
/* Releases a list and its images. Accepts NULL. Not thread-safe: no other call may be reading
 * the list or its images. */
WARDEN_API void warden_image_list_free(warden_image_list* list);

/* ---- export -------------------------------------------------------------------------------- */

#define WARDEN_IMAGE_EXPORT_OPTIONS_VERSION 1
typedef struct warden_image_export_options {
  unsigned int version; /* WARDEN_IMAGE_EXPORT_OPTIONS_VERSION */
  const char* pot;      /* required */
  const char* tag;      /* required */
  const char* out_dir;  /* required; created if missing */
  int level;            /* xz preset 0-9 */
  unsigned int threads; /* xz threads; 0: one per CPU */
  /* A layered image: "<pot>:<tag>" or "<pot>:<tag>@<snapshot>" of its base; NULL for a base. */
  const char* from;
  const char* sign_key; /* unencrypted signify secret key file: also write .skein.sig; or NULL */
  int sha256;           /* non-zero: also write .xz.sha256 */
} warden_image_export_options;
#define WARDEN_IMAGE_EXPORT_OPTIONS_INIT \
  { WARDEN_IMAGE_EXPORT_OPTIONS_VERSION, NULL, NULL, NULL, 6, 0, NULL, NULL, 0 }

/* Writes the root directory `rootfs` as <out_dir>/<pot>_<tag>.xz (pax tar, xz on every core),
 * .xz.meta, .xz.skein (and .sig / .sha256 as asked). If `out` is not NULL it must be empty
 * (WARDEN_BUF_INIT) and receives a JSON summary: {"Archive", "Meta", "Skein", "Signature",
 * "Sha256", "Digest", "ArchiveBytes", "TarBytes", "Entries"}, released with warden_buf_dispose().
 * Thread-safe (stateless); `opts` and its strings are borrowed for the call. */
WARDEN_API warden_error* warden_image_export(warden_buf* out, const char* rootfs, size_t rootfs_len,
                                             const warden_image_export_options* opts);

/* ---- registry server ----------------------------------------------------------------------- */

/* A static file server for a registry directory: GET/HEAD, byte ranges, directory listings,
 * optional TLS. Start with warden_registry_server_start(); stop and free with
 * warden_registry_server_free(). */
typedef struct warden_registry_server warden_registry_server;

/* Called on a server thread after each response. The strings are valid during the call only. */
typedef void (*warden_registry_log_fn)(const char* remote, const char* method, const char* target,
                                       unsigned status, uint64_t bytes, void* user_data);

#define WARDEN_REGISTRY_OPTIONS_VERSION 1
typedef struct warden_registry_options {
  unsigned int version; /* WARDEN_REGISTRY_OPTIONS_VERSION */
  const char* listen;   /* "HOST:PORT", "[v6]:PORT", ":PORT"; NULL: "127.0.0.1:0" (any port) */
  const char* tls_cert; /* PEM certificate chain and key: both, to serve HTTPS */
  const char* tls_key;
  unsigned int threads;       /* 0: 2 */
  uint64_t rate_limit;        /* bytes per second per response; 0: unlimited */
  int no_directory_listing;   /* non-zero: 403 for directories */
  warden_registry_log_fn log; /* optional */
  void* log_user_data;
  /* Called once with log_user_data when the server is freed (after the last log call), or if
   * the start fails. Optional. */
  void (*log_user_data_free)(void* user_data);
} warden_registry_options;
#define WARDEN_REGISTRY_OPTIONS_INIT \
  { WARDEN_REGISTRY_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL }

/* Serves `dir` on background threads. `opts` may be NULL; its strings are borrowed for the call,
 * log_user_data is owned by the server from here on (see log_user_data_free). On success *out
 * receives the server; free it with warden_registry_server_free(). Thread-safe. */
WARDEN_API warden_error* warden_registry_server_start(warden_registry_server** out, const char* dir,
                                                      size_t dir_len,
                                                      const warden_registry_options* opts);
/* The bound port, and the base URL ("http://127.0.0.1:PORT"). The URL is borrowed: valid until
 * the server is freed. Thread-safe. */
WARDEN_API uint16_t warden_registry_server_port(const warden_registry_server* server);
WARDEN_API const char* warden_registry_server_url(const warden_registry_server* server);
/* Stops serving (closing open connections), joins the threads, calls log_user_data_free, then
 * releases the server. Accepts NULL. Not thread-safe with other calls on the same server, and
 * never to be called from inside the log callback. */
WARDEN_API void warden_registry_server_free(warden_registry_server* server);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARDEN_IMAGE_H */
