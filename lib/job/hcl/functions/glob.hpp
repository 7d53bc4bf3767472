// Globbing as bmatcuk/doublestar v1 does it for fileset(): "*", "?", "[...]", "{a,b}" and "\\"
// escapes within a path component, "**" for any number of directories.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warden::hcl::fn {

// False when a class or brace group is left open or the pattern ends in a backslash
// (doublestar's ErrBadPattern).
bool valid_pattern(std::string_view pattern);

// The paths (files and directories, sorted) matching an absolute or relative pattern.
std::vector<std::string> glob(const std::string& pattern);

}  // namespace warden::hcl::fn
