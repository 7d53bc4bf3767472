#include "warden/job/hcl/function.hpp"

namespace warden::hcl {

FunctionTable standard_library(const LibraryOptions& opts) {
  FunctionTable t;
  add_string_functions(t);
  add_collection_functions(t);
  add_numeric_functions(t);
  add_encoding_functions(t);
  add_hash_functions(t);
  add_datetime_functions(t);
  add_regex_functions(t);
  add_cidr_functions(t);
  add_uuid_functions(t);
  add_type_functions(t);
  add_filesystem_functions(t, opts);
  return t;
}

const FunctionTable& default_library() {
  static const FunctionTable table = standard_library();
  return table;
}

}  // namespace warden::hcl
