/* The scheduler's C ABI from strict C11: a cluster, a plan, iteration, failure reasons. */
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

static void ok(warden_error* err) {
  if (err) {
    fprintf(stderr, "unexpected error: %s\n", warden_error_message(err));
    warden_error_free(err);
    exit(1);
  }
}

static const char* kNodes =
    "[{\"Name\": \"bsd\", \"Count\": 2, \"Resources\": {\"CPU\": 1000, \"MemoryMB\": 1024},"
    "  \"Attributes\": {\"kernel.name\": \"freebsd\"}, \"Drivers\": [\"pot\"]},"
    " {\"Name\": \"tux\", \"Resources\": {\"CPU\": 1000, \"MemoryMB\": 1024},"
    "  \"Attributes\": {\"kernel.name\": \"linux\"}, \"Drivers\": [\"pot\"]}]";

static const char* kJob =
    "job \"web\" {\n"
    "  datacenters = [\"*\"]\n"
    "  group \"g\" {\n"
    "    count = 3\n"
    "    network {\n      port \"http\" {}\n    }\n"
    "    constraint {\n      attribute = \"${attr.kernel.name}\"\n      value = \"freebsd\"\n    "
    "}\n"
    "    task \"t\" {\n      driver = \"pot\"\n"
    "      config {\n        image = \"x\"\n        pot = \"p\"\n        tag = \"1\"\n      }\n"
    "      resources {\n        cpu = 600\n        memory = 256\n      }\n    }\n  }\n}\n";

int main(void) {
  warden_cluster* c = NULL;
  warden_cluster_options opts = WARDEN_CLUSTER_OPTIONS_INIT;
  opts.seed = 9;
  ok(warden_cluster_new(&c, &opts));
  ok(warden_cluster_add_nodes_json(c, kNodes, strlen(kNodes)));
  CHECK(warden_cluster_node_count(c) == 3);

  warden_job* job = NULL;
  ok(warden_job_parse(&job, kJob, strlen(kJob), "web.nomad", NULL));
  warden_plan* plan = NULL;
  ok(warden_cluster_register(&plan, c, job));
  /* 600 MHz each on two 1000 MHz freebsd nodes: two fit, one does not; linux is filtered. */
  CHECK(warden_plan_placement_count(plan) == 2);
  for (size_t i = 0; i < warden_plan_placement_count(plan); ++i) {
    CHECK(strncmp(warden_plan_placement_node(plan, i), "bsd-", 4) == 0);
    CHECK(strcmp(warden_plan_placement_kind(plan, i), "create") == 0);
    CHECK(warden_plan_placement_port_count(plan, i) == 1);
    CHECK(strcmp(warden_plan_placement_port_label(plan, i, 0), "http") == 0);
    CHECK(warden_plan_placement_port_value(plan, i, 0) >= 20000);
  }
  CHECK(warden_plan_placement_name(plan, 99) == NULL);
  CHECK(warden_plan_failure_count(plan) == 1);
  CHECK(warden_plan_failure_unplaced(plan, 0) == 1);
  CHECK(warden_plan_failure_nodes_filtered(plan, 0) == 1);
  CHECK(warden_plan_failure_nodes_exhausted(plan, 0) == 2);
  int saw_constraint = 0;
  for (size_t k = 0; k < warden_plan_failure_reason_count(plan, 0); ++k)
    if (strstr(warden_plan_failure_reason(plan, 0, k), "${attr.kernel.name} = freebsd"))
      saw_constraint = 1;
  CHECK(saw_constraint);

  warden_buf json = WARDEN_BUF_INIT;
  ok(warden_plan_to_json(&json, plan, 0));
  CHECK(strstr(json.ptr, "\"DimensionExhausted\":{\"cpu\":2}") != NULL);
  warden_buf_dispose(&json);

  ok(warden_cluster_apply(c, plan));
  warden_buf allocs = WARDEN_BUF_INIT;
  ok(warden_cluster_allocations_json(&allocs, c, "web", 0));
  CHECK(strstr(allocs.ptr, "\"web.g[") != NULL);
  warden_buf_dispose(&allocs);

  /* Errors carry codes. */
  warden_error* err = warden_cluster_set_node_status(c, "bsd-1", "sideways");
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_INVALID_ARGUMENT);
  warden_error_free(err);
  err = warden_cluster_stop_job(&plan, c, "nope");
  CHECK(err && warden_error_code(err) == WARDEN_ERROR_NOT_FOUND);
  warden_error_free(err);

  warden_plan_free(plan);
  warden_job_free(job);
  warden_cluster_free(c);
  if (failures) return 1;
  puts("ok");
  return 0;
}
