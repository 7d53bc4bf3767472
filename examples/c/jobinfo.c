/* jobinfo: a custom tool in plain C on warden's C API. It reads a nomad job file, applies
 * nomad's defaults, and prints each group's instances and tasks, or every problem found.
 *
 *   jobinfo examples/jobs/hello-web.nomad
 */
#include <stdio.h>
#include <stdlib.h>

#include "warden.h"

static char* slurp(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  long n;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
      buf[n] = '\0';
      *len = (size_t)n;
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

int main(int argc, char** argv) {
  size_t len = 0, g, t, i;
  char* text;
  warden_job* job = NULL;
  warden_error* err;

  if (argc != 2) {
    fprintf(stderr, "usage: jobinfo JOBFILE\n");
    return 2;
  }
  text = slurp(argv[1], &len);
  if (!text) {
    perror(argv[1]);
    return 1;
  }
  err = warden_job_parse(&job, text, len, argv[1], NULL);
  free(text);
  if (!err) {
    warden_job_canonicalize(job);
    err = warden_job_validate(job);
  }
  if (err) {
    /* Walk the diagnostics one by one, as a tool with its own output format would. */
    for (i = 0; i < warden_error_diagnostic_count(err); ++i) {
      const warden_diagnostic* d = warden_error_diagnostic(err, i);
      printf("%s:%u:%u: %s: %s\n", warden_diagnostic_file(d), warden_diagnostic_line(d),
             warden_diagnostic_column(d), warden_diagnostic_summary(d),
             warden_diagnostic_detail(d));
    }
    warden_error_free(err);
    warden_job_free(job);
    return 1;
  }
  printf("job %s (%s, priority %d) with libwarden %s\n", warden_job_id(job), warden_job_type(job),
         warden_job_priority(job), warden_version());
  for (g = 0; g < warden_job_group_count(job); ++g) {
    printf("  group %s x%lld\n", warden_job_group_name(job, g),
           (long long)warden_job_group_desired_count(job, g));
    for (t = 0; t < warden_job_task_count(job, g); ++t) {
      printf("    task %s [%s]\n", warden_job_task_name(job, g, t),
             warden_job_task_driver(job, g, t));
    }
  }
  warden_job_free(job);
  return 0;
}
