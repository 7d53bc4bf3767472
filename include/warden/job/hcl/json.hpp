// JSON text as an HCL value: objects become objects, arrays tuples, numbers exact numbers
// (a double through its shortest text, so 0.1 reads as the decimal 0.1), with simdjson.
// Used for nomad API JSON, JSON variable files and JSON driver configs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "warden/job/hcl/value.hpp"

namespace warden::hcl {

// On failure returns nullopt and simdjson's message in `error`.
std::optional<Value> value_from_json(std::string_view json, std::string& error);

}  // namespace warden::hcl
