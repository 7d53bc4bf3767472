/* The jail part of the C ABI, used from C: a driver, jails from a busybox-static root (real
 * jails: root), wait, logs, exec with and without a terminal, stats, stop, destroy, errors.
 * Exits 77 (skipped) when not root or without /bin/busybox. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden.h"

static int failures = 0;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

static int ok(warden_error* err) {
  if (!err) return 1;
  fprintf(stderr, "error: %s\n", warden_error_format(err));
  warden_error_free(err);
  ++failures;
  return 0;
}

static void make_root(const char* root) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s/bin %s/etc %s/proc %s/dev %s/tmp && cp /bin/busybox %s/bin/ && cd %s/bin "
           "&& for a in $(./busybox --list); do [ -e $a ] || ln -s busybox $a; done",
           root, root, root, root, root, root, root);
  if (system(cmd) != 0) ++failures;
}

int main(void) {
  if (geteuid() != 0 || access("/bin/busybox", X_OK) != 0) {
    fprintf(stderr, "skipped: needs root and busybox-static\n");
    return 77;
  }
  char dir[] = "/tmp/warden-jail-capi-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  chmod(dir, 0755);
  char root[256], data[256], parent[64];
  snprintf(root, sizeof root, "%s/rootfs", dir);
  snprintf(data, sizeof data, "%s/data", dir);
  snprintf(parent, sizeof parent, "warden-test-%d", (int)getpid());
  make_root(root);

  warden_jail_driver_free(NULL);
  warden_jail_free(NULL);
  warden_jail_process_free(NULL);
  warden_jail_log_reader_free(NULL);
  warden_jail_exec_result_dispose(NULL);

  warden_jail_driver_options o = WARDEN_JAIL_DRIVER_OPTIONS_INIT;
  o.data_dir = data;
  o.cgroup_parent = parent;
  o.warm_pool = 0;
  warden_jail_driver* drv = NULL;
  if (!ok(warden_jail_driver_open(&drv, &o))) return 1;

  warden_buf fp = WARDEN_BUF_INIT;
  if (ok(warden_jail_driver_fingerprint(&fp, drv)))
    CHECK(strstr(fp.ptr, "\"Healthy\":true") != NULL);
  warden_buf_dispose(&fp);

  /* A jail from a config given as JSON (no job). */
  const char* config =
      "{\"image\":\"i\",\"pot\":\"p\",\"tag\":\"t\",\"command\":\"sh\","
      "\"args\":[\"-c\",\"'echo hi; echo err >&2; exit 3'\"]}";
  warden_jail_spec s = WARDEN_JAIL_SPEC_INIT;
  s.alloc_id = "c0ffee00-0000-4000-8000-000000000001";
  s.task_name = "capi";
  s.config_json = config;
  s.config_json_len = strlen(config);
  s.rootfs = root;
  warden_jail* a = NULL;
  if (!ok(warden_jail_create(&a, drv, NULL, 0, 0, &s))) return 1;
  CHECK(warden_jail_get_status(a) == WARDEN_JAIL_CREATED);
  CHECK(strncmp(warden_jail_name(a), "capi_", 5) == 0);
  ok(warden_jail_start(a));
  warden_jail_exit e = WARDEN_JAIL_EXIT_INIT;
  if (ok(warden_jail_wait(&e, a, 20000))) {
    CHECK(e.exited == 1);
    CHECK(e.exit_code == 3);
    CHECK(e.signal == 0);
  }
  warden_jail_log_reader* r = NULL;
  if (ok(warden_jail_log_reader_open(&r, a, WARDEN_JAIL_LOG_STDOUT, 0))) {
    char buf[64];
    size_t n = 0;
    if (ok(warden_jail_log_reader_read(&n, r, buf, sizeof buf, 0, 0)))
      CHECK(n == 3 && memcmp(buf, "hi\n", 3) == 0);
    if (ok(warden_jail_log_reader_read(&n, r, buf, sizeof buf, 1, 1000))) CHECK(n == 0);
    CHECK(warden_jail_log_reader_at_end(r) == 1);
    CHECK(warden_jail_log_reader_offset(r) == 3);
    warden_jail_log_reader_free(r);
  }
  warden_buf info = WARDEN_BUF_INIT;
  if (ok(warden_jail_info(&info, a))) CHECK(strstr(info.ptr, "\"Status\":\"exited\"") != NULL);
  warden_buf_dispose(&info);

  /* A running one: exec, a terminal, stats, stop. */
  const char* sleeper = "{\"image\":\"i\",\"pot\":\"p\",\"tag\":\"t\",\"command\":\"sleep 30\"}";
  s.config_json = sleeper;
  s.config_json_len = strlen(sleeper);
  s.alloc_id = "c0ffee00-0000-4000-8000-000000000002";
  warden_jail* b = NULL;
  if (ok(warden_jail_create(&b, drv, NULL, 0, 0, &s)) && ok(warden_jail_start(b))) {
    const char* argv[] = {"hostname"};
    warden_jail_exec_options x = WARDEN_JAIL_EXEC_OPTIONS_INIT;
    x.argv = argv;
    x.argc = 1;
    x.timeout_ms = 10000;
    warden_jail_exec_result res = WARDEN_JAIL_EXEC_RESULT_INIT;
    if (ok(warden_jail_exec(&res, b, &x))) {
      CHECK(res.exit_code == 0);
      CHECK(res.out_data.size == strlen(warden_jail_name(b)) + 1);
      CHECK(strncmp(res.out_data.ptr, warden_jail_name(b), strlen(warden_jail_name(b))) == 0);
    }
    warden_jail_exec_result_dispose(&res);
    CHECK(res.out_data.ptr == NULL);

    const char* tty_argv[] = {"tty"};
    x.argv = tty_argv;
    x.tty = 1;
    warden_jail_process* p = NULL;
    if (ok(warden_jail_exec_start(&p, b, &x))) {
      CHECK(warden_jail_process_fd(p, 2) == -1);
      CHECK(warden_jail_process_fd(p, 0) == warden_jail_process_fd(p, 1));
      ok(warden_jail_process_resize(p, 40, 120));
      char out[256] = {0};
      size_t got = 0;
      ssize_t k;
      while (got < sizeof out - 1 &&
             (k = read(warden_jail_process_fd(p, 1), out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)k;
      CHECK(strstr(out, "/dev/pts/0") != NULL);
      warden_jail_exit pe = WARDEN_JAIL_EXIT_INIT;
      if (ok(warden_jail_process_wait(&pe, p, 10000))) CHECK(pe.exited && pe.exit_code == 0);
      warden_jail_process_free(p);
    }
    warden_jail_stats st = WARDEN_JAIL_STATS_INIT;
    if (ok(warden_jail_get_stats(&st, b))) CHECK(st.memory_usage > 0 && st.pids >= 1);
    e = (warden_jail_exit)WARDEN_JAIL_EXIT_INIT;
    if (ok(warden_jail_wait(&e, b, 10))) CHECK(e.exited == 0);
    /* Refused while running, unless forced. */
    warden_error* busy = warden_jail_destroy(b, 0);
    CHECK(warden_error_code(busy) == WARDEN_ERROR_CONFLICT);
    warden_error_free(busy);
    ok(warden_jail_stop(b, "SIGTERM", 5000));
    if (ok(warden_jail_wait(&e, b, 0))) CHECK(e.exited && e.signal == 15);
    ok(warden_jail_destroy(b, 0));
  }
  warden_jail_free(b);

  /* Another handle on the first jail, by name; then errors. */
  warden_jail* again = NULL;
  const char* name = warden_jail_name(a);
  if (ok(warden_jail_open(&again, drv, name, strlen(name)))) {
    CHECK(warden_jail_get_status(again) == WARDEN_JAIL_EXITED);
    warden_jail_free(again);
  }
  ok(warden_jail_destroy(a, 0));
  warden_jail_free(a);
  warden_jail* none = NULL;
  warden_error* err = warden_jail_open(&none, drv, "no-such-jail", 12);
  CHECK(warden_error_code(err) == WARDEN_ERROR_NOT_FOUND);
  warden_error_free(err);
  s.config_json = "{\"pot\":\"p\"}";
  s.config_json_len = strlen(s.config_json);
  err = warden_jail_create(&none, drv, NULL, 0, 0, &s);
  CHECK(warden_error_code(err) == WARDEN_ERROR_INVALID_JOB);
  warden_error_free(err);
  err = warden_jail_create(&none, drv, NULL, 0, 0, NULL);
  CHECK(warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);

  warden_buf list = WARDEN_BUF_INIT;
  if (ok(warden_jail_driver_list(&list, drv))) CHECK(strcmp(list.ptr, "[]") == 0);
  warden_buf_dispose(&list);
  ok(warden_jail_driver_teardown(drv));
  warden_jail_driver_free(drv);
  char rm[300];
  snprintf(rm, sizeof rm, "rm -rf %s", dir);
  if (system(rm) != 0) ++failures;
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
