// JSON text to a generic HCL value (objects, tuples, strings, numbers, bools, nulls), with
// simdjson. Used to read nomad API JSON and JSON variable files. Internal to the job layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "warden/job/hcl/value.hpp"

namespace warden::job::detail {

// On failure returns nullopt and a message with simdjson's error.
std::optional<hcl::Value> json_to_value(std::string_view json, std::string& error);

}  // namespace warden::job::detail
