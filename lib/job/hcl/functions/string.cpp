// Placeholder: the string function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_string_functions(FunctionTable&) {}

}  // namespace warden::hcl
