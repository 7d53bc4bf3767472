/*
 * warden.h — the C ABI of warden, an SDK for orchestrating jails.
 *
 * This header is the only stable interface of libwarden.so. It is plain C11; C++, Python
 * (bindings/python) and other languages use it the same way.
 *
 * Conventions
 *   - Every object is an opaque handle with a create (or parse) function and a free function;
 *     free functions accept NULL.
 *   - A fallible call returns `warden_error *`: NULL on success, otherwise an error the caller
 *     owns and must release with warden_error_free(). Out-parameters come first and are named
 *     `out`; on failure they are left untouched.
 *   - Strings go in as (pointer, length) where they may be large or not NUL-terminated, and
 *     come out either borrowed (`const char *`, valid for as long as the object they come from,
 *     as each declaration says; do not free) or in a warden_buf the caller releases with
 *     warden_buf_dispose(). Never call free() on anything the library returned.
 *   - Option structs carry a `version` first and are initialized with their _INIT macro; new
 *     fields are only ever added at the end.
 *   - No C++ exception ever crosses this boundary.
 *
 * Thread safety
 *   Distinct objects may be used from different threads at the same time. One object may be
 *   read (const functions) from several threads at once, but a function taking a non-const
 *   pointer (e.g. warden_job_canonicalize) needs exclusive access. warden_version() and the
 *   stateless functions (warden_hcl_to_json) may be called from any thread.
 */
#ifndef WARDEN_H
#define WARDEN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define WARDEN_API __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define WARDEN_API __attribute__((visibility("default")))
#else
#define WARDEN_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions -------------------------------------------------------------------------- */

#define WARDEN_VERSION_MAJOR 0
#define WARDEN_VERSION_MINOR 1
#define WARDEN_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define WARDEN_VERSION_NUMBER \
  (WARDEN_VERSION_MAJOR * 10000 + WARDEN_VERSION_MINOR * 100 + WARDEN_VERSION_PATCH)

/* The version of the library actually loaded, e.g. "0.1.0". Static storage; do not free. */
WARDEN_API const char* warden_version(void);
/* The same as a number (see WARDEN_VERSION_NUMBER). */
WARDEN_API unsigned warden_version_number(void);

/* ---- errors ---------------------------------------------------------------------------- */

/* Stable error codes: never renumbered, new codes only added. */
typedef enum warden_code {
  WARDEN_OK = 0,
  WARDEN_ERROR_INTERNAL = 1,         /* a bug in warden */
  WARDEN_ERROR_INVALID_ARGUMENT = 2, /* the caller passed something unusable (e.g. NULL) */
  WARDEN_ERROR_SYNTAX = 3,           /* text that does not parse (HCL, JSON) */
  WARDEN_ERROR_INVALID_JOB = 4,      /* a job that parses but does not decode or validate */
  WARDEN_ERROR_IO = 5,               /* reading or writing a file failed */
  WARDEN_ERROR_NOT_FOUND = 6,
  WARDEN_ERROR_UNSUPPORTED = 7,
  WARDEN_ERROR_PERMISSION = 8, /* a disabled capability, e.g. filesystem functions */
  WARDEN_ERROR_OUT_OF_MEMORY = 9,
  WARDEN_ERROR_NETWORK = 10, /* connecting, TLS, HTTP status, a dropped connection */
  WARDEN_ERROR_VERIFY = 11,  /* a hash or signature that does not match */
  WARDEN_ERROR_TIMEOUT = 12,
  WARDEN_ERROR_CANCELLED = 13, /* stopped on the caller's request */
  WARDEN_ERROR_CONFLICT = 14,  /* exists already, or busy */
  WARDEN_ERROR_UNSAFE = 15     /* refused as dangerous (e.g. an archive escaping its root) */
} warden_code;

typedef struct warden_error warden_error;
typedef struct warden_diagnostic warden_diagnostic;

typedef enum warden_severity {
  WARDEN_SEVERITY_ERROR = 0,
  WARDEN_SEVERITY_WARNING = 1
} warden_severity;

/* Releases an error. Accepts NULL. */
WARDEN_API void warden_error_free(warden_error* err);
WARDEN_API warden_code warden_error_code(const warden_error* err);
/* One line: the first diagnostic's summary and detail, or a plain message. Borrowed: valid
 * until warden_error_free(err). */
WARDEN_API const char* warden_error_message(const warden_error* err);
/* Every diagnostic, formatted for a terminal ("file:line:col: error: ..." with the source line
 * and a caret). Borrowed: valid until warden_error_free(err). */
WARDEN_API const char* warden_error_format(const warden_error* err);
/* Position of the first diagnostic that has one; file is NULL and line/column are 0 if none.
 * The file string is borrowed: valid until warden_error_free(err). */
WARDEN_API const char* warden_error_file(const warden_error* err);
WARDEN_API uint32_t warden_error_line(const warden_error* err);
WARDEN_API uint32_t warden_error_column(const warden_error* err);

/* The individual diagnostics (several problems are reported at once). */
WARDEN_API size_t warden_error_diagnostic_count(const warden_error* err);
/* Borrowed: valid until warden_error_free(err). NULL if index is out of range. */
WARDEN_API const warden_diagnostic* warden_error_diagnostic(const warden_error* err, size_t index);
WARDEN_API warden_severity warden_diagnostic_severity(const warden_diagnostic* d);
/* The strings below are borrowed from the error that owns the diagnostic; never NULL ("" if
 * absent). */
WARDEN_API const char* warden_diagnostic_summary(const warden_diagnostic* d);
WARDEN_API const char* warden_diagnostic_detail(const warden_diagnostic* d);
WARDEN_API const char* warden_diagnostic_file(const warden_diagnostic* d);
/* The offending source line with a caret under the subject. */
WARDEN_API const char* warden_diagnostic_excerpt(const warden_diagnostic* d);
/* 1-based line and column (columns count characters); 0 when the diagnostic has no position.
 * The end is exclusive. */
WARDEN_API uint32_t warden_diagnostic_line(const warden_diagnostic* d);
WARDEN_API uint32_t warden_diagnostic_column(const warden_diagnostic* d);
WARDEN_API uint32_t warden_diagnostic_end_line(const warden_diagnostic* d);
WARDEN_API uint32_t warden_diagnostic_end_column(const warden_diagnostic* d);

/* ---- library-owned output buffers ------------------------------------------------------- */

/* Text the library produced. `ptr` is NUL-terminated (not counted in `size`). Release with
 * warden_buf_dispose(); the struct itself belongs to the caller. */
typedef struct warden_buf {
  char* ptr;
  size_t size;
} warden_buf;
#define WARDEN_BUF_INIT \
  { NULL, 0 }

/* Frees the buffer's memory and resets it to WARDEN_BUF_INIT. Accepts NULL and empty buffers. */
WARDEN_API void warden_buf_dispose(warden_buf* buf);

/* ---- jobs ------------------------------------------------------------------------------ */

/* A nomad job (the job model of nomad's API). Create with warden_job_parse() or
 * warden_job_from_json(); free with warden_job_free(). */
typedef struct warden_job warden_job;

#define WARDEN_PARSE_OPTIONS_VERSION 1
typedef struct warden_parse_options {
  unsigned int version; /* WARDEN_PARSE_OPTIONS_VERSION */
  /* Variable values, each "name=value" (like -var). For string and number variables the value
   * is taken literally; for other types it is read as an HCL expression. Borrowed for the call. */
  const char* const* variables;
  size_t variables_count;
  /* Variable files (HCL or JSON), applied in order. Borrowed for the call. */
  const char* const* var_files;
  size_t var_files_count;
  /* Environment entries "NOMAD_VAR_name=value"; other entries are ignored. The process
   * environment is not read unless passed here. Borrowed for the call. */
  const char* const* environment;
  size_t environment_count;
  /* Non-zero enables the filesystem functions (file, fileset, ...); off by default. */
  int allow_filesystem;
  /* Base directory of relative paths for file functions; NULL means the job file's directory. */
  const char* base_dir;
} warden_parse_options;
#define WARDEN_PARSE_OPTIONS_INIT \
  { WARDEN_PARSE_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, 0, NULL }

/* Parses a job file (HCL2 as nomad reads it; text starting with "{" is read as API JSON).
 * `filename` (may be NULL) is used in diagnostics. `opts` may be NULL for the defaults.
 * On success *out receives a new job; free it with warden_job_free(). */
WARDEN_API warden_error* warden_job_parse(warden_job** out, const char* text, size_t len,
                                          const char* filename, const warden_parse_options* opts);
/* Reads nomad API JSON (with or without the {"Job": ...} envelope). */
WARDEN_API warden_error* warden_job_from_json(warden_job** out, const char* json, size_t len);
/* Releases a job. Accepts NULL. */
WARDEN_API void warden_job_free(warden_job* job);

/* Applies nomad's defaults to every unset field (region "global", count 1, ...). Strings
 * previously borrowed from the job stay valid only if their field was already set. */
WARDEN_API void warden_job_canonicalize(warden_job* job);
/* Checks the job's semantics. Returns NULL if it is valid, otherwise an error (code
 * WARDEN_ERROR_INVALID_JOB) listing every problem, with positions when the job came from
 * warden_job_parse(). */
WARDEN_API warden_error* warden_job_validate(const warden_job* job);

#define WARDEN_JSON_ENVELOPE 1u /* wrap as {"Job": ...}, like nomad's register request */
#define WARDEN_JSON_PRETTY 2u   /* indent like `nomad job run -output` */
/* Writes the job as nomad API JSON into *out (which must be empty: WARDEN_BUF_INIT). */
WARDEN_API warden_error* warden_job_to_json(warden_buf* out, const warden_job* job, unsigned flags);

/* Reading the basics without JSON. Strings are borrowed: valid until the job is freed or
 * modified; NULL when the field is unset (before canonicalization) or the index is out of range. */
WARDEN_API const char* warden_job_id(const warden_job* job);
WARDEN_API const char* warden_job_name(const warden_job* job);
WARDEN_API const char* warden_job_type(const warden_job* job);
WARDEN_API const char* warden_job_region(const warden_job* job);
WARDEN_API const char* warden_job_namespace(const warden_job* job);
/* The job's priority, or -1 when unset. */
WARDEN_API int warden_job_priority(const warden_job* job);
WARDEN_API size_t warden_job_group_count(const warden_job* job);
WARDEN_API const char* warden_job_group_name(const warden_job* job, size_t group);
/* How many instances of the group should run (its `count`), or -1 when unset or out of range. */
WARDEN_API int64_t warden_job_group_desired_count(const warden_job* job, size_t group);
WARDEN_API size_t warden_job_task_count(const warden_job* job, size_t group);
WARDEN_API const char* warden_job_task_name(const warden_job* job, size_t group, size_t task);
WARDEN_API const char* warden_job_task_driver(const warden_job* job, size_t group, size_t task);

/* ---- HCL ------------------------------------------------------------------------------- */

/* Converts any HCL file to JSON (see docs in warden/job/hcl2json.hpp): blocks nest under their
 * type and labels with bodies in arrays; expressions that cannot be evaluated become
 * "${source}". `flags` may include WARDEN_JSON_PRETTY. *out must be empty (WARDEN_BUF_INIT). */
WARDEN_API warden_error* warden_hcl_to_json(warden_buf* out, const char* text, size_t len,
                                            const char* filename, unsigned flags);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Each layer's part of the C ABI, in its own header. */
#include "warden_image.h"
#include "warden_jail.h"
#include "warden_sched.h"

#endif /* WARDEN_H */
