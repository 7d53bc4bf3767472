// Placeholder: the collection function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_collection_functions(FunctionTable&) {}

}  // namespace warden::hcl
