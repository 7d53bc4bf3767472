// HCL to JSON, the way the `hcl2json` tool users know it: a body becomes a JSON object, an
// attribute `name: value`, a block is nested under its type and then each label, with its body
// inside a JSON array (repeated blocks append to it). Expressions are evaluated with the function
// library but no variables; one that cannot be evaluated becomes the string "${<its source>}",
// and a template keeps its source text ("Hello ${name}").
#pragma once

#include <string>
#include <string_view>

#include "warden/core/error.hpp"

namespace warden::job {

Result<std::string> hcl_to_json(std::string_view text, const std::string& filename,
                                const std::string& indent = "");

}  // namespace warden::job
