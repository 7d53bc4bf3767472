// Placeholder: the encoding function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_encoding_functions(FunctionTable&) {}

}  // namespace warden::hcl
