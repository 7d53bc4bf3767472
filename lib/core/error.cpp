#include "warden/core/error.hpp"

namespace warden {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok:
      return "ok";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::syntax:
      return "syntax";
    case ErrorCode::invalid_job:
      return "invalid_job";
    case ErrorCode::io:
      return "io";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::unsupported:
      return "unsupported";
    case ErrorCode::permission:
      return "permission";
    case ErrorCode::out_of_memory:
      return "out_of_memory";
    case ErrorCode::network:
      return "network";
    case ErrorCode::verify:
      return "verify";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::cancelled:
      return "cancelled";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::unsafe:
      return "unsafe";
  }
  return "unknown";
}

Error::Error(ErrorCode code, Diagnostics diagnostics)
    : code_(code), diagnostics_(std::move(diagnostics)) {
  for (const auto& d : diagnostics_) {
    if (d.severity != Severity::error) continue;
    message_ = d.summary;
    if (!d.detail.empty()) message_ += ": " + d.detail;
    break;
  }
  if (message_.empty()) message_ = error_code_name(code);
}

std::string Error::format() const {
  if (diagnostics_.empty()) return message_;
  return diagnostics_.format();
}

}  // namespace warden
