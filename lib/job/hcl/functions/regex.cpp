// Placeholder: the regex function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_regex_functions(FunctionTable&) {}

}  // namespace warden::hcl
