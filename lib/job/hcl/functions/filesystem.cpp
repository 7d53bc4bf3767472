// Placeholder: the filesystem function family.
#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

void add_filesystem_functions(FunctionTable&, const LibraryOptions&) {}

}  // namespace warden::hcl
