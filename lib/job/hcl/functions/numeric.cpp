// Placeholder: the numeric function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_numeric_functions(FunctionTable&) {}

}  // namespace warden::hcl
