#include <cstdlib>
#include <cstring>

#include "api.hpp"

static_assert(WARDEN_OK == static_cast<int>(warden::ErrorCode::ok));
static_assert(WARDEN_ERROR_INTERNAL == static_cast<int>(warden::ErrorCode::internal));
static_assert(WARDEN_ERROR_INVALID_ARGUMENT ==
              static_cast<int>(warden::ErrorCode::invalid_argument));
static_assert(WARDEN_ERROR_SYNTAX == static_cast<int>(warden::ErrorCode::syntax));
static_assert(WARDEN_ERROR_INVALID_JOB == static_cast<int>(warden::ErrorCode::invalid_job));
static_assert(WARDEN_ERROR_IO == static_cast<int>(warden::ErrorCode::io));
static_assert(WARDEN_ERROR_NOT_FOUND == static_cast<int>(warden::ErrorCode::not_found));
static_assert(WARDEN_ERROR_UNSUPPORTED == static_cast<int>(warden::ErrorCode::unsupported));
static_assert(WARDEN_ERROR_PERMISSION == static_cast<int>(warden::ErrorCode::permission));
static_assert(WARDEN_ERROR_OUT_OF_MEMORY == static_cast<int>(warden::ErrorCode::out_of_memory));
static_assert(WARDEN_ERROR_NETWORK == static_cast<int>(warden::ErrorCode::network));
static_assert(WARDEN_ERROR_VERIFY == static_cast<int>(warden::ErrorCode::verify));
static_assert(WARDEN_ERROR_TIMEOUT == static_cast<int>(warden::ErrorCode::timeout));
static_assert(WARDEN_ERROR_CANCELLED == static_cast<int>(warden::ErrorCode::cancelled));
static_assert(WARDEN_ERROR_CONFLICT == static_cast<int>(warden::ErrorCode::conflict));
static_assert(WARDEN_ERROR_UNSAFE == static_cast<int>(warden::ErrorCode::unsafe));

namespace warden::capi {

warden_error* make_error(warden::Error e) {
  try {
    auto* err = new warden_error{std::move(e), {}, {}, {}};
    err->message = err->error.message();
    err->formatted = err->error.format();
    for (const auto& d : err->error.diagnostics()) err->views.push_back(warden_diagnostic{&d});
    return err;
  } catch (...) {
    // Out of memory while reporting: a static error would need a special free; report nothing
    // better than a minimal allocation attempt.
    return nullptr;
  }
}

warden_error* make_error(warden_code code, std::string message) {
  return make_error(warden::Error(static_cast<warden::ErrorCode>(code), std::move(message)));
}

warden_error* fill_buf(warden_buf* out, const std::string& text) {
  char* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (!p) return make_error(WARDEN_ERROR_OUT_OF_MEMORY, "out of memory");
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  out->ptr = p;
  out->size = text.size();
  return nullptr;
}

}  // namespace warden::capi

extern "C" {

void warden_error_free(warden_error* err) {
  delete err;
}

warden_code warden_error_code(const warden_error* err) {
  return err ? static_cast<warden_code>(err->error.code()) : WARDEN_OK;
}

const char* warden_error_message(const warden_error* err) {
  return err ? err->message.c_str() : "";
}

const char* warden_error_format(const warden_error* err) {
  return err ? err->formatted.c_str() : "";
}

static const warden::Diagnostic* first_positioned(const warden_error* err) {
  if (!err) return nullptr;
  for (const auto& d : err->error.diagnostics()) {
    if (d.subject) return &d;
  }
  return nullptr;
}

const char* warden_error_file(const warden_error* err) {
  const warden::Diagnostic* d = first_positioned(err);
  return d && !d->file.empty() ? d->file.c_str() : nullptr;
}

uint32_t warden_error_line(const warden_error* err) {
  const warden::Diagnostic* d = first_positioned(err);
  return d ? d->subject->start.line : 0;
}

uint32_t warden_error_column(const warden_error* err) {
  const warden::Diagnostic* d = first_positioned(err);
  return d ? d->subject->start.column : 0;
}

size_t warden_error_diagnostic_count(const warden_error* err) {
  return err ? err->views.size() : 0;
}

const warden_diagnostic* warden_error_diagnostic(const warden_error* err, size_t index) {
  if (!err || index >= err->views.size()) return nullptr;
  return &err->views[index];
}

warden_severity warden_diagnostic_severity(const warden_diagnostic* d) {
  return d && d->d->severity == warden::Severity::warning ? WARDEN_SEVERITY_WARNING
                                                          : WARDEN_SEVERITY_ERROR;
}

const char* warden_diagnostic_summary(const warden_diagnostic* d) {
  return d ? d->d->summary.c_str() : "";
}
const char* warden_diagnostic_detail(const warden_diagnostic* d) {
  return d ? d->d->detail.c_str() : "";
}
const char* warden_diagnostic_file(const warden_diagnostic* d) {
  return d ? d->d->file.c_str() : "";
}
const char* warden_diagnostic_excerpt(const warden_diagnostic* d) {
  return d ? d->d->excerpt.c_str() : "";
}
uint32_t warden_diagnostic_line(const warden_diagnostic* d) {
  return d && d->d->subject ? d->d->subject->start.line : 0;
}
uint32_t warden_diagnostic_column(const warden_diagnostic* d) {
  return d && d->d->subject ? d->d->subject->start.column : 0;
}
uint32_t warden_diagnostic_end_line(const warden_diagnostic* d) {
  return d && d->d->subject ? d->d->subject->end.line : 0;
}
uint32_t warden_diagnostic_end_column(const warden_diagnostic* d) {
  return d && d->d->subject ? d->d->subject->end.column : 0;
}

void warden_buf_dispose(warden_buf* buf) {
  if (!buf) return;
  std::free(buf->ptr);
  buf->ptr = nullptr;
  buf->size = 0;
}

}  // extern "C"
