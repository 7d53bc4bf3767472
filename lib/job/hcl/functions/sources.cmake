# The HCL function library, one file per family (see include/warden/job/hcl/function.hpp).
set(WARDEN_HCL_FUNCTION_SOURCES
  hcl/functions/library.cpp
  hcl/functions/common.cpp
  hcl/functions/grapheme.cpp
  hcl/functions/string.cpp
  hcl/functions/format.cpp
  hcl/functions/printf_number.cpp
  hcl/functions/collection.cpp
  hcl/functions/sets.cpp
  hcl/functions/numeric.cpp
  hcl/functions/encoding.cpp
  hcl/functions/json.cpp
  hcl/functions/csv.cpp
  hcl/functions/yaml.cpp
  hcl/functions/yaml_decode.cpp
  hcl/functions/yaml_encode.cpp
  hcl/functions/hash.cpp
  hcl/functions/crypto.cpp
  hcl/functions/datetime.cpp
  hcl/functions/gotime.cpp
  hcl/functions/regex.cpp
  hcl/functions/cidr.cpp
  hcl/functions/uuid.cpp
  hcl/functions/type.cpp
  hcl/functions/filesystem.cpp
  hcl/functions/gopath.cpp
  hcl/functions/glob.cpp
)

# System libraries the families link: libcrypt for bcrypt (crypto.cpp), libyaml for
# yamldecode/yamlencode (yaml_decode.cpp, yaml_encode.cpp). Boost.Regex is used header-only.
set(WARDEN_HCL_FUNCTION_LIBS crypt yaml)
