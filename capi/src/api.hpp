// Shared pieces of the C ABI implementation: the objects behind the opaque handles and the
// macro that keeps C++ exceptions from crossing the boundary (as ORT's API_IMPL_BEGIN/END).
#pragma once

#include <new>
#include <string>
#include <vector>

#include "warden.h"
#include "warden/core/error.hpp"

struct warden_diagnostic {
  const warden::Diagnostic* d;
};

struct warden_error {
  warden::Error error;
  std::string message;
  std::string formatted;
  std::vector<warden_diagnostic> views;
};

namespace warden::capi {

warden_error* make_error(warden::Error e);
warden_error* make_error(warden_code code, std::string message);
// Copies text into a warden_buf (NUL-terminated).
warden_error* fill_buf(warden_buf* out, const std::string& text);

}  // namespace warden::capi

#define WARDEN_API_BEGIN try {
#define WARDEN_API_END                                                                           \
  }                                                                                              \
  catch (const std::bad_alloc&) {                                                                \
    return warden::capi::make_error(WARDEN_ERROR_OUT_OF_MEMORY, "out of memory");                \
  }                                                                                              \
  catch (const std::exception& ex) {                                                             \
    return warden::capi::make_error(WARDEN_ERROR_INTERNAL,                                       \
                                    std::string("internal error: ") + ex.what());                \
  }                                                                                              \
  catch (...) {                                                                                  \
    return warden::capi::make_error(WARDEN_ERROR_INTERNAL, "internal error: unknown exception"); \
  }

// For functions that return a plain value: on an exception they return `fallback`.
#define WARDEN_API_END_RETURN(fallback) \
  }                                     \
  catch (...) {                         \
    return fallback;                    \
  }

#define WARDEN_REQUIRE(cond, what)                                                     \
  do {                                                                                 \
    if (!(cond)) return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT, what); \
  } while (0)
