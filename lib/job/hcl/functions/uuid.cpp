// Placeholder: the uuid function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_uuid_functions(FunctionTable&) {}

}  // namespace warden::hcl
