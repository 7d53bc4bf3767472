// yamldecode and yamlencode (go-cty-yaml): the decoder (yaml_decode.cpp) and the encoder
// (yaml_encode.cpp) share this interface; yaml.cpp registers the functions.
#pragma once

#include <string>

#include "warden/job/hcl/value.hpp"

namespace warden::hcl::fn {

// A failure with go-cty-yaml's message ("on line 2, column 0: ...").
struct YamlError {
  std::string message;
};

// yamldecode: exactly one document (an empty stream is null). Throws YamlError.
Value yaml_decode(const std::string& src);

// yamlencode: block styles, double-quoted strings, literal blocks for multi-line strings.
// Throws YamlError.
std::string yaml_encode(const Value& v);

}  // namespace warden::hcl::fn
