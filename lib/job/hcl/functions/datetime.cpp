// Placeholder: the datetime function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_datetime_functions(FunctionTable&) {}

}  // namespace warden::hcl
