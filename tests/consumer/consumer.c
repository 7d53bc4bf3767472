/* A program built against an installed warden, found through find_package(warden) or through
 * pkg-config. It parses a job and checks the version it was compiled against. */
#include <stdio.h>
#include <string.h>

#include <warden.h>

int main(void) {
  const char* text =
      "job \"c\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n";
  warden_job* job = NULL;
  warden_error* err = warden_job_parse(&job, text, strlen(text), "consumer.nomad", NULL);
  if (err) {
    fprintf(stderr, "%s\n", warden_error_format(err));
    warden_error_free(err);
    return 1;
  }
  if (warden_version_number() / 10000 != WARDEN_VERSION_MAJOR) {
    fprintf(stderr, "header and library disagree on the major version\n");
    return 1;
  }
  printf("consumer ok: job %s, libwarden %s\n", warden_job_id(job), warden_version());
  warden_job_free(job);
  return 0;
}
