/* The image layer's C API exercised from C11: export a tree, serve it, fetch it with a progress
 * callback, look it up, list, remove; cancellation from the callback; the registry server's
 * log callback and its user-data destructor; errors for bad arguments. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden.h"

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static int ok(warden_error* err) {
  if (!err) return 1;
  fprintf(stderr, "unexpected error: %s\n", warden_error_message(err));
  warden_error_free(err);
  ++failures;
  return 0;
}

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
}

struct progress_state {
  int calls;
  int downloads;
  uint64_t last_done;
  uint64_t total;
  int saw_done;
  int cancel;
};

static int on_progress(const warden_image_progress* p, void* user_data) {
  struct progress_state* st = (struct progress_state*)user_data;
  st->calls++;
  if (p->step == WARDEN_IMAGE_STEP_DOWNLOAD) {
    st->downloads++;
    st->last_done = p->done;
    st->total = p->total;
  }
  if (p->step == WARDEN_IMAGE_STEP_DONE) st->saw_done = 1;
  return st->cancel && p->step == WARDEN_IMAGE_STEP_DOWNLOAD;
}

struct log_state {
  int requests;
  int freed;
};

static void on_request(const char* remote, const char* method, const char* target, unsigned status,
                       uint64_t bytes, void* user_data) {
  struct log_state* st = (struct log_state*)user_data;
  (void)remote;
  (void)target;
  (void)bytes;
  if (strcmp(method, "GET") == 0 && status == 200) st->requests++;
}

static void free_log(void* user_data) {
  ((struct log_state*)user_data)->freed++;
}

int main(void) {
  char dir[] = "/tmp/warden-capi-image.XXXXXX";
  char path[2048], root[256], reg[256], store_dir[256];
  if (!mkdtemp(dir)) return 1;
  snprintf(root, sizeof root, "%s/root", dir);
  snprintf(reg, sizeof reg, "%s/reg", dir);
  snprintf(store_dir, sizeof store_dir, "%s/store", dir);
  mkdir(root, 0755);
  snprintf(path, sizeof path, "%s/etc", root);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/etc/motd", root);
  write_file(path, "from C\n");

  /* Export. */
  warden_image_export_options eo = WARDEN_IMAGE_EXPORT_OPTIONS_INIT;
  eo.pot = "capi";
  eo.tag = "1.0";
  eo.out_dir = reg;
  eo.level = 1;
  warden_buf summary = WARDEN_BUF_INIT;
  if (ok(warden_image_export(&summary, root, strlen(root), &eo))) {
    CHECK(strstr(summary.ptr, "\"Archive\"") != NULL);
    CHECK(strstr(summary.ptr, "capi_1.0.xz") != NULL);
  }
  warden_buf_dispose(&summary);
  CHECK(summary.ptr == NULL);

  /* Serve. */
  struct log_state log = {0, 0};
  warden_registry_options ro = WARDEN_REGISTRY_OPTIONS_INIT;
  ro.log = on_request;
  ro.log_user_data = &log;
  ro.log_user_data_free = free_log;
  warden_registry_server* server = NULL;
  if (!ok(warden_registry_server_start(&server, reg, strlen(reg), &ro))) return 1;
  const char* url = warden_registry_server_url(server);
  CHECK(strncmp(url, "http://127.0.0.1:", 17) == 0);
  CHECK(warden_registry_server_port(server) > 0);

  /* Fetch with progress. */
  warden_image_store* store = NULL;
  if (!ok(warden_image_store_open(&store, store_dir, strlen(store_dir)))) return 1;
  CHECK(strcmp(warden_image_store_dir(store), store_dir) == 0);
  struct progress_state st;
  memset(&st, 0, sizeof st);
  warden_image_fetch_options fo = WARDEN_IMAGE_FETCH_OPTIONS_INIT;
  fo.progress = on_progress;
  fo.progress_user_data = &st;
  warden_image* img = NULL;
  if (ok(warden_image_store_fetch(&img, store, url, strlen(url), "capi", 4, "1.0", 3, &fo))) {
    CHECK(strcmp(warden_image_name(img), "capi_1_0") == 0);
    CHECK(strcmp(warden_image_pot(img), "capi") == 0);
    CHECK(strcmp(warden_image_tag(img), "1.0") == 0);
    CHECK(strcmp(warden_image_algorithm(img), "skein1024") == 0);
    CHECK(strlen(warden_image_digest(img)) == 256);
    CHECK(strcmp(warden_image_meta(img), "-") == 0);
    CHECK(warden_image_parent(img) == NULL);
    CHECK(warden_image_layer_count(img) == 1);
    CHECK(strcmp(warden_image_layer(img, 0), warden_image_rootfs(img)) == 0);
    CHECK(warden_image_layer(img, 1) == NULL);
    CHECK(warden_image_entries(img) == 3);
    CHECK(warden_image_bytes(img) == 7);
    CHECK(warden_image_archive_bytes(img) > 0);
    CHECK(warden_image_fetched_at(img) > 0);
    CHECK(warden_image_signature_verified(img) == 0);
    snprintf(path, sizeof path, "%s/etc/motd", warden_image_rootfs(img));
    CHECK(access(path, R_OK) == 0);
    warden_buf json = WARDEN_BUF_INIT;
    if (ok(warden_image_to_json(&json, img)))
      CHECK(strstr(json.ptr, "\"Name\": \"capi_1_0\"") != NULL);
    warden_buf_dispose(&json);
  }
  CHECK(st.saw_done);
  CHECK(st.downloads > 0);
  CHECK(st.total > 0 && st.last_done == st.total);
  CHECK(log.requests == 3); /* .meta, .skein, .xz */

  /* Lookup and list. */
  warden_image* found = NULL;
  if (ok(warden_image_store_lookup(&found, store, "capi_1_0", 8)))
    CHECK(strcmp(warden_image_rootfs(found), warden_image_rootfs(img)) == 0);
  warden_image_free(found);
  warden_image_free(img);
  warden_image_list* list = NULL;
  if (ok(warden_image_store_list(&list, store))) {
    CHECK(warden_image_list_count(list) == 1);
    CHECK(strcmp(warden_image_name(warden_image_list_at(list, 0)), "capi_1_0") == 0);
    CHECK(warden_image_list_at(list, 1) == NULL);
  }
  warden_image_list_free(list);

  /* Cancel from the callback: another image (other content), nothing cached. */
  snprintf(path, sizeof path, "%s/etc/motd", root);
  write_file(path, "from C, version 2\n");
  eo.tag = "2.0";
  CHECK(ok(warden_image_export(NULL, root, strlen(root), &eo)));
  memset(&st, 0, sizeof st);
  st.cancel = 1;
  warden_error* err =
      warden_image_store_fetch(NULL, store, url, strlen(url), "capi", 4, "2.0", 3, &fo);
  CHECK(err != NULL);
  if (err) {
    CHECK(strstr(warden_error_message(err), "cancelled") != NULL);
    warden_error_free(err);
  }
  err = warden_image_store_lookup(&found, store, "capi_2_0", 8);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_NOT_FOUND);
  warden_error_free(err);

  /* Remove. */
  CHECK(ok(warden_image_store_remove(store, "capi_1_0", 8)));
  err = warden_image_store_remove(store, "capi_1_0", 8);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_NOT_FOUND);
  warden_error_free(err);

  /* Bad arguments are errors, not crashes; NULL is accepted by the free functions. */
  err = warden_image_store_fetch(NULL, NULL, "x", 1, "p", 1, "t", 1, NULL);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  err = warden_image_store_fetch(NULL, store, "ftp://x", 7, "p", 1, "t", 1, NULL);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  warden_image_fetch_options bad = WARDEN_IMAGE_FETCH_OPTIONS_INIT;
  bad.version = 0;
  err = warden_image_store_fetch(NULL, store, url, strlen(url), "capi", 4, "1.0", 3, &bad);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  err = warden_image_export(NULL, root, strlen(root), NULL);
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  warden_registry_server* none = NULL;
  struct log_state log2 = {0, 0};
  ro.log_user_data = &log2;
  err = warden_registry_server_start(&none, "/nonexistent/dir", 16, &ro);
  CHECK(err != NULL && none == NULL);
  CHECK(log2.freed == 1); /* the user data is released on failure too */
  warden_error_free(err);
  warden_image_free(NULL);
  warden_image_list_free(NULL);
  warden_image_store_free(NULL);
  warden_registry_server_free(NULL);
  warden_image_store_cancel(NULL);

  warden_image_store_free(store);
  warden_registry_server_free(server);
  CHECK(log.freed == 1);

  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  }
  if (failures) fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
