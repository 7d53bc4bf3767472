// Placeholder: the hash function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_hash_functions(FunctionTable&) {}

}  // namespace warden::hcl
