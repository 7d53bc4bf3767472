// Type constraint expressions, as written in `variable { type = ... }`: the keywords string,
// number, bool and any, and the constructors list(T), set(T), map(T), tuple([T, ...]) and
// object({name = T, ...}) with optional(T) attributes.
#pragma once

#include <optional>

#include "warden/core/diagnostic.hpp"
#include "warden/job/hcl/ast.hpp"
#include "warden/job/hcl/type.hpp"

namespace warden::hcl {

std::optional<Type> type_from_expr(const Expr* e, Diagnostics& diags);

}  // namespace warden::hcl
