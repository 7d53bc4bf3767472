// Type conversion and unification, as go-cty's convert package does them: numbers and bools
// become strings, numeric strings become numbers, tuples become lists, objects become maps, ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "warden/job/hcl/value.hpp"

namespace warden::hcl {

struct ConvertResult {
  Value value;
  std::string error;  // empty on success, else cty's message ("a number is required", ...)
  bool ok() const { return error.empty(); }
};

// Converts `in` to type `want` (`dynamic` accepts anything). Null converts to a typed null.
ConvertResult convert(const Value& in, const Type& want);

// The single type all of `types` can convert to, if there is one (cty's UnifyUnsafe).
std::optional<Type> unify(const std::vector<Type>& types);

}  // namespace warden::hcl
