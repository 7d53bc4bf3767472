#include "warden/image/reference.hpp"

#include "warden/core/strings.hpp"

namespace warden::image {

std::string ImageRef::local_name() const {
  std::string n = pot + "_" + tag;
  for (char& c : n) {
    if (c == '.') c = '_';
  }
  return n;
}

std::string ImageRef::file_name() const {
  return pot + "_" + tag + ".xz";
}

std::string ImageRef::file_url(std::string_view suffix) const {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + file_name() + std::string(suffix);
}

Result<void> validate_name(std::string_view name, std::string_view what) {
  if (name.empty()) return Error(ErrorCode::invalid_argument, std::string(what) + " is empty");
  if (name.size() > 200)
    return Error(ErrorCode::invalid_argument, std::string(what) + " is too long");
  if (name == "." || name == ".." || name.front() == '-' || name.front() == '.')
    return Error(ErrorCode::invalid_argument,
                 std::string(what) + " \"" + std::string(name) + "\" is not a valid name");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '+';
    if (!ok)
      return Error(ErrorCode::invalid_argument,
                   std::string(what) + " \"" + std::string(name) +
                       "\" may only contain letters, digits, '.', '_', '-' and '+'");
  }
  return {};
}

Result<void> validate(const ImageRef& ref) {
  if (!starts_with(ref.url, "http://") && !starts_with(ref.url, "https://") &&
      !starts_with(ref.url, "file://"))
    return Error(ErrorCode::invalid_argument,
                 "image URL \"" + ref.url + "\" must start with http://, https:// or file://");
  if (auto r = validate_name(ref.pot, "pot name"); !r) return r;
  if (auto r = validate_name(ref.tag, "tag"); !r) return r;
  return {};
}

std::string Meta::base_local_name() const {
  return ImageRef{"", pot, tag}.local_name();
}

Result<Meta> parse_meta(std::string_view text) {
  Meta m;
  size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  m.line = std::string(line);
  std::string_view t = trim(line);
  if (t.empty() || t == "-") return m;
  // pot: awk -F@ '{print $1}' then awk -F: '{print $1}' / '{print $2}'.
  size_t at = t.find('@');
  std::string_view name_tag = t.substr(0, at);
  if (at != std::string_view::npos) m.snapshot = std::string(t.substr(at + 1));
  size_t colon = name_tag.find(':');
  if (colon == std::string_view::npos)
    return Error(ErrorCode::invalid_argument,
                 "malformed .meta \"" + m.line + "\": expected \"-\" or \"pot:tag@snapshot\"");
  m.pot = std::string(name_tag.substr(0, colon));
  m.tag = std::string(name_tag.substr(colon + 1));
  if (auto r = validate_name(m.pot, "base pot name in .meta"); !r) return std::move(r).error();
  if (auto r = validate_name(m.tag, "base tag in .meta"); !r) return std::move(r).error();
  m.layered = true;
  return m;
}

}  // namespace warden::image
