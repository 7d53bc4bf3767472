# The HCL function library, one file per family (see include/warden/job/hcl/function.hpp).
set(WARDEN_HCL_FUNCTION_SOURCES
  hcl/functions/library.cpp
  hcl/functions/string.cpp
  hcl/functions/collection.cpp
  hcl/functions/numeric.cpp
  hcl/functions/encoding.cpp
  hcl/functions/hash.cpp
  hcl/functions/datetime.cpp
  hcl/functions/regex.cpp
  hcl/functions/cidr.cpp
  hcl/functions/uuid.cpp
  hcl/functions/type.cpp
  hcl/functions/filesystem.cpp
)
