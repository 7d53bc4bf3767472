// Errors and results of the C++ layers.
//
// Expected failures (bad input, network trouble, a missing file) come back as Result<T>;
// exceptions are reserved for programming errors. The codes are the C ABI's codes
// (capi/include/warden.h) and are never renumbered.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "warden/core/diagnostic.hpp"

namespace warden {

enum class ErrorCode : int {
  ok = 0,
  internal = 1,          // a bug in warden
  invalid_argument = 2,  // the caller passed something unusable
  syntax = 3,            // HCL or JSON text that does not parse
  invalid_job = 4,       // a job that parses but does not decode or validate
  io = 5,                // reading or writing a file failed
  not_found = 6,
  unsupported = 7,
  permission = 8,  // a disabled capability, e.g. filesystem functions
  out_of_memory = 9,
  network = 10,  // connecting, TLS, HTTP status, a dropped connection
  verify = 11,   // a hash or signature that does not match
  timeout = 12,
  cancelled = 13,  // stopped on the caller's request
  conflict = 14,   // the thing exists already, or is busy
  unsafe = 15,     // refused as dangerous (an archive escaping its root, a bomb, ...)
};

const char* error_code_name(ErrorCode code);

class Error {
 public:
  Error() = default;
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  // An error made of diagnostics; the message is the first error's summary (and detail).
  Error(ErrorCode code, Diagnostics diagnostics);

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const Diagnostics& diagnostics() const { return diagnostics_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  // The message followed by every diagnostic, formatted for a terminal.
  std::string format() const;

 private:
  ErrorCode code_ = ErrorCode::internal;
  std::string message_;
  Diagnostics diagnostics_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace warden
