// Go's path/filepath (lexical operations, Unix separators) and go-homedir's Expand, as the
// filesystem functions use them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warden::hcl::fn {

std::string clean(std::string_view p);                                // filepath.Clean
bool is_abs(std::string_view p);                                      // filepath.IsAbs
std::string join(std::string_view a, std::string_view b);             // filepath.Join
std::string base_name(std::string_view p);                            // filepath.Base
std::string dir_name(std::string_view p);                             // filepath.Dir
std::string rel(const std::string& base, const std::string& target);  // filepath.Rel, cleaned paths

// homedir.Expand: "~" and "~/..." become the home directory; "~user" is an error.
std::optional<std::string> expand_home(const std::string& path, std::string& err);

}  // namespace warden::hcl::fn
