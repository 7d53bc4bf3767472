#include "warden/core/version.hpp"
#include "api.hpp"

// The header's version macros must follow the project version in CMakeLists.txt.
static_assert(WARDEN_VERSION_MAJOR == warden::kVersionMajor);
static_assert(WARDEN_VERSION_MINOR == warden::kVersionMinor);
static_assert(WARDEN_VERSION_PATCH == warden::kVersionPatch);

extern "C" {

const char* warden_version(void) {
  return WARDEN_VERSION_STRING;
}
unsigned warden_version_number(void) {
  return WARDEN_VERSION_NUMBER;
}

}  // extern "C"
