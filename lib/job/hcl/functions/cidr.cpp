// Placeholder: the cidr function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_cidr_functions(FunctionTable&) {}

}  // namespace warden::hcl
