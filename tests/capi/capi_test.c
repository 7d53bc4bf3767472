/* Tests of the C ABI, written in C against warden.h only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static const char* HELLO =
    "job \"hello\" {\n"
    "  group \"web\" {\n"
    "    count = 2\n"
    "    network {\n"
    "      port \"http\" {}\n"
    "    }\n"
    "    task \"nginx\" {\n"
    "      driver = \"pot\"\n"
    "      config {\n"
    "        image = \"https://example.org/nginx\"\n"
    "        pot = \"nginx\"\n"
    "        tag = \"1.0\"\n"
    "        port_map = { http = \"80\" }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

static void test_version(void) {
  char expect[32];
  snprintf(expect, sizeof expect, "%d.%d.%d", WARDEN_VERSION_MAJOR, WARDEN_VERSION_MINOR,
           WARDEN_VERSION_PATCH);
  CHECK(strcmp(warden_version(), expect) == 0);
  CHECK(warden_version_number() == WARDEN_VERSION_NUMBER);
}

static void test_parse_and_read(void) {
  warden_job* job = NULL;
  warden_error* err = warden_job_parse(&job, HELLO, strlen(HELLO), "hello.nomad", NULL);
  CHECK(err == NULL);
  if (!job) return;
  CHECK(strcmp(warden_job_id(job), "hello") == 0);
  CHECK(warden_job_region(job) == NULL); /* unset until canonicalized */
  CHECK(warden_job_priority(job) == -1);
  warden_job_canonicalize(job);
  CHECK(strcmp(warden_job_region(job), "global") == 0);
  CHECK(strcmp(warden_job_type(job), "service") == 0);
  CHECK(warden_job_priority(job) == 50);
  CHECK(warden_job_group_count(job) == 1);
  CHECK(strcmp(warden_job_group_name(job, 0), "web") == 0);
  CHECK(warden_job_group_desired_count(job, 0) == 2);
  CHECK(warden_job_group_desired_count(job, 7) == -1);
  CHECK(warden_job_group_name(job, 7) == NULL);
  CHECK(warden_job_task_count(job, 0) == 1);
  CHECK(strcmp(warden_job_task_driver(job, 0, 0), "pot") == 0);
  CHECK(warden_job_task_name(job, 0, 5) == NULL);
  CHECK(warden_job_validate(job) == NULL);
  warden_job_free(job);
}

static void test_json_round_trip(void) {
  warden_job *job = NULL, *again = NULL;
  warden_buf a = WARDEN_BUF_INIT, b = WARDEN_BUF_INIT;
  CHECK(warden_job_parse(&job, HELLO, strlen(HELLO), "hello.nomad", NULL) == NULL);
  warden_job_canonicalize(job);
  CHECK(warden_job_to_json(&a, job, WARDEN_JSON_ENVELOPE) == NULL);
  CHECK(a.ptr != NULL && a.size == strlen(a.ptr));
  CHECK(strstr(a.ptr, "\"port_map\":[{\"http\":\"80\"}]") != NULL);
  CHECK(strstr(a.ptr, "\"DynamicPorts\":[{\"Label\":\"http\"") != NULL);
  CHECK(warden_job_from_json(&again, a.ptr, a.size) == NULL);
  CHECK(warden_job_to_json(&b, again, WARDEN_JSON_ENVELOPE) == NULL);
  CHECK(b.ptr && strcmp(a.ptr, b.ptr) == 0);
  warden_buf_dispose(&a);
  warden_buf_dispose(&b);
  CHECK(a.ptr == NULL && a.size == 0);
  warden_buf_dispose(&a); /* disposing twice is harmless */
  warden_job_free(again);
  warden_job_free(job);
}

static void test_errors_carry_positions(void) {
  const char* bad = "job \"x\" {\n  group \"g\" {\n    cont = 1\n  }\n}\n";
  warden_job* job = NULL;
  warden_error* err = warden_job_parse(&job, bad, strlen(bad), "bad.nomad", NULL);
  const warden_diagnostic* d;
  CHECK(err != NULL);
  CHECK(job == NULL);
  if (!err) return;
  CHECK(warden_error_code(err) == WARDEN_ERROR_INVALID_JOB);
  CHECK(strcmp(warden_error_file(err), "bad.nomad") == 0);
  CHECK(warden_error_line(err) == 3);
  CHECK(warden_error_column(err) == 5);
  CHECK(warden_error_diagnostic_count(err) == 1);
  d = warden_error_diagnostic(err, 0);
  CHECK(strcmp(warden_diagnostic_summary(d), "Unsupported argument") == 0);
  CHECK(strstr(warden_diagnostic_detail(d), "Did you mean \"count\"?") != NULL);
  CHECK(warden_diagnostic_end_column(d) == 9);
  CHECK(strstr(warden_diagnostic_excerpt(d), "cont = 1") != NULL);
  CHECK(warden_diagnostic_severity(d) == WARDEN_SEVERITY_ERROR);
  CHECK(warden_error_diagnostic(err, 1) == NULL);
  CHECK(strstr(warden_error_format(err), "bad.nomad:3:5: error: Unsupported argument") != NULL);
  warden_error_free(err);
}

static void test_invalid_arguments(void) {
  warden_buf buf = WARDEN_BUF_INIT;
  warden_error* err = warden_job_parse(NULL, "x", 1, NULL, NULL);
  CHECK(warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  err = warden_job_to_json(&buf, NULL, 0);
  CHECK(warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  warden_error_free(NULL);
  warden_job_free(NULL);
  warden_buf_dispose(NULL);
}

static void test_variables(void) {
  const char* text =
      "variable \"n\" {\n  type = number\n}\njob \"j\" {\n  group \"g\" {\n    count = var.n\n    "
      "task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n";
  const char* vars[] = {"n=3"};
  warden_parse_options opts = WARDEN_PARSE_OPTIONS_INIT;
  warden_job* job = NULL;
  warden_error* err = warden_job_parse(&job, text, strlen(text), "v.nomad", NULL);
  CHECK(err != NULL); /* n has no value */
  CHECK(err && strstr(warden_error_message(err), "Unset variable") != NULL);
  warden_error_free(err);
  opts.variables = vars;
  opts.variables_count = 1;
  CHECK(warden_job_parse(&job, text, strlen(text), "v.nomad", &opts) == NULL);
  CHECK(job && warden_job_group_desired_count(job, 0) == 3);
  warden_job_free(job);
}

static void test_hcl_to_json(void) {
  const char* text = "a = 1\nb { c = \"d\" }\n";
  warden_buf out = WARDEN_BUF_INIT;
  CHECK(warden_hcl_to_json(&out, text, strlen(text), "x.hcl", 0) == NULL);
  CHECK(out.ptr && strcmp(out.ptr, "{\"a\":1,\"b\":[{\"c\":\"d\"}]}") == 0);
  warden_buf_dispose(&out);
}

int main(void) {
  test_version();
  test_parse_and_read();
  test_json_round_trip();
  test_errors_carry_positions();
  test_invalid_arguments();
  test_variables();
  test_hcl_to_json();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C API checks passed\n");
  return 0;
}
