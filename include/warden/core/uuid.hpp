// UUIDs as nomad uses them for job, allocation and evaluation IDs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace warden {

using UuidBytes = std::array<uint8_t, 16>;

// A random (version 4) UUID from the operating system's CSPRNG, in 8-4-4-4-12 hex form.
std::string uuid_v4();
std::string format_uuid(const UuidBytes& b);
// Parses the 8-4-4-4-12 form (any hex case); false if malformed.
bool parse_uuid(std::string_view s, UuidBytes& out);

}  // namespace warden
