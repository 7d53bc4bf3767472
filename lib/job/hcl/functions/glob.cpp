#include "glob.hpp"

#include <algorithm>
#include <filesystem>

#include "gopath.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl::fn {

namespace {

namespace stdfs = std::filesystem;

bool has_meta(std::string_view s) {
  return s.find_first_of("*?[{\\") != std::string_view::npos;
}

bool match_component(std::string_view p, std::string_view s);

// The alternatives of a brace group starting at p[0] == '{', and what follows the group.
bool match_braces(std::string_view p, std::string_view s) {
  std::vector<std::string_view> alts;
  int depth = 0;
  size_t start = 1, i = 1;
  for (; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) {
      alts.push_back(p.substr(start, i - start));
      start = i + 1;
    }
  }
  alts.push_back(p.substr(start, i - start));
  std::string_view rest = i < p.size() ? p.substr(i + 1) : std::string_view();
  for (auto alt : alts) {
    if (match_component(std::string(alt) + std::string(rest), s)) return true;
  }
  return false;
}

bool match_class(std::string_view& p, char32_t r) {
  size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    first = false;
    if (p[i] == '\\') ++i;
    char32_t lo = unicode::decode(p, i);
    char32_t hi = lo;
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      ++i;
      if (p[i] == '\\') ++i;
      hi = unicode::decode(p, i);
    }
    if (lo <= r && r <= hi) matched = true;
  }
  p.remove_prefix(std::min(i + 1, p.size()));
  return matched != negate;
}

bool match_component(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    char c = p[0];
    if (c == '*') {
      while (!p.empty() && p[0] == '*') p.remove_prefix(1);
      for (size_t k = 0; k <= s.size(); ++k) {
        if (match_component(p, s.substr(k))) return true;
      }
      return false;
    }
    if (c == '{') return match_braces(p, s);
    if (s.empty()) return false;
    size_t i = 0;
    char32_t r = unicode::decode(s, i);
    if (c == '?') {
      p.remove_prefix(1);
    } else if (c == '[') {
      if (!match_class(p, r)) return false;
    } else {
      size_t j = c == '\\' ? 1 : 0;
      size_t k = j;
      char32_t want = unicode::decode(p, k);
      if (want != r) return false;
      p.remove_prefix(k);
    }
    s.remove_prefix(i);
  }
  return s.empty();
}

bool match_path(const std::vector<std::string>& pat, size_t i, const std::vector<std::string>& path,
                size_t j) {
  if (i == pat.size()) return j == path.size();
  if (pat[i] == "**") {
    for (size_t k = j; k <= path.size(); ++k) {
      if (match_path(pat, i + 1, path, k)) return true;
    }
    return false;
  }
  if (j == path.size()) return false;
  return match_component(pat[i], path[j]) && match_path(pat, i + 1, path, j + 1);
}

std::vector<std::string> components(std::string_view p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

// A pattern is malformed when a class or brace group is not closed or it ends in a backslash.
bool valid_pattern(std::string_view p) {
  int braces = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      if (++i >= p.size()) return false;
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < p.size() && (p[j] == '!' || p[j] == '^')) ++j;
      for (; j < p.size() && p[j] != ']'; ++j) {
        if (p[j] == '\\') ++j;
      }
      if (j >= p.size()) return false;
      i = j;
    } else if (c == '{') {
      ++braces;
    } else if (c == '}' && braces > 0) {
      --braces;
    }
  }
  return braces == 0;
}

// doublestar.Glob: every path under the pattern's literal leading directories that matches it.
std::vector<std::string> glob(const std::string& pattern) {
  std::vector<std::string> parts = components(pattern);
  size_t literal = 0;
  while (literal < parts.size() && !has_meta(parts[literal])) ++literal;
  std::string base = is_abs(pattern) ? "/" : "";
  for (size_t k = 0; k < literal; ++k) base += (k == 0 || base == "/" ? "" : "/") + parts[k];
  if (base.empty()) base = ".";
  std::vector<std::string> out;
  std::error_code ec;
  if (literal == parts.size()) {
    if (stdfs::exists(stdfs::symlink_status(base, ec))) out.push_back(base);
    return out;
  }
  std::vector<std::string> rest(parts.begin() + static_cast<ptrdiff_t>(literal), parts.end());
  stdfs::recursive_directory_iterator it(base, stdfs::directory_options::skip_permission_denied,
                                         ec),
      end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string relative = it->path().lexically_relative(base).generic_string();
    if (match_path(rest, 0, components(relative), 0))
      out.push_back(base == "." ? relative : join(base, relative));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace warden::hcl::fn
