// Placeholder: the type function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_type_functions(FunctionTable&) {}

}  // namespace warden::hcl
