#include "gopath.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <vector>

namespace warden::hcl::fn {

std::string clean(std::string_view p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

bool is_abs(std::string_view p) {
  return !p.empty() && p[0] == '/';
}

std::string join(std::string_view a, std::string_view b) {
  if (a.empty()) return b.empty() ? "" : clean(b);
  if (b.empty()) return clean(a);
  return clean(std::string(a) + "/" + std::string(b));
}

std::string base_name(std::string_view p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

std::string dir_name(std::string_view p) {
  size_t slash = p.rfind('/');
  return clean(slash == std::string_view::npos ? std::string_view() : p.substr(0, slash + 1));
}

// filepath.Rel for two cleaned paths of the same kind (both absolute or both relative).
std::string rel(const std::string& base, const std::string& target) {
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string part; std::getline(ss, part, '/');) {
      if (!part.empty() && part != ".") out.push_back(part);
    }
    return out;
  };
  auto b = split(base), t = split(target);
  size_t k = 0;
  while (k < b.size() && k < t.size() && b[k] == t[k]) ++k;
  std::string out;
  for (size_t i = k; i < b.size(); ++i) out += out.empty() ? ".." : "/..";
  for (size_t i = k; i < t.size(); ++i) out += (out.empty() ? "" : "/") + t[i];
  return out.empty() ? "." : out;
}

namespace {

std::optional<std::string> home_dir() {
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h);
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return std::string(pw->pw_dir);
  return std::nullopt;
}

}  // namespace

// homedir.Expand: "~" and "~/..." become the home directory (joined, so cleaned).
std::optional<std::string> expand_home(const std::string& path, std::string& err) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/' && path[1] != '\\') {
    err = "cannot expand user-specific home dir";
    return std::nullopt;
  }
  auto home = home_dir();
  if (!home) {
    err = "HOME environment variable is not set";
    return std::nullopt;
  }
  return join(*home, path.substr(1));
}

}  // namespace warden::hcl::fn
