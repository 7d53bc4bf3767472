// Naming images the way pot does.
//
// A registry is a directory on a web server: for image URL `https://host/nginx-nomad`, pot
// `nginx-nomad-amd64-13_1` and tag `1.1.13` the files are
//   <url>/<pot>_<tag>.xz             the payload (a tar stream here, a ZFS send stream on FreeBSD)
//   <url>/<pot>_<tag>.xz.meta        "-" or "<pot>:<tag>@<snapshot>" of the base image
//   <url>/<pot>_<tag>.xz.skein       skein1024 of the .xz bytes followed by the .meta bytes
//   <url>/<pot>_<tag>.xz.skein.sig   optional signify signature of the .skein file
// and the image is known locally as `<pot>_<tag>` with dots turned into underscores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "warden/core/error.hpp"

namespace warden::image {

struct ImageRef {
  std::string url;  // the base URL (http://, https:// or file://), without the file name
  std::string pot;  // the remote pot name
  std::string tag;

  // "<pot>_<tag>" with '.' replaced by '_' (pot import's local name).
  std::string local_name() const;
  // "<pot>_<tag>.xz"
  std::string file_name() const;
  // "<url>/<pot>_<tag>.xz" plus `suffix` (".meta", ".skein", ...), with exactly one '/'.
  std::string file_url(std::string_view suffix = "") const;
};

// Checks that url is http(s):// or file:// and that pot and tag are non-empty names made of
// letters, digits, '.', '_', '-', '+' (no '/', no "..": they become file names and URL parts).
Result<void> validate(const ImageRef& ref);
// The same rule for one name (a pot, a tag or a local name); `what` names it in the message.
Result<void> validate_name(std::string_view name, std::string_view what);

// The parsed first line of a .meta file.
struct Meta {
  std::string line;  // the first line, without the newline ("" for a missing or empty .meta)
  bool layered = false;
  std::string pot;       // base image's pot name (when layered)
  std::string tag;       // base image's tag
  std::string snapshot;  // the ZFS snapshot the layer was cloned from (informational here)

  // The base image's local name, e.g. "base_1_0" for "base:1.0@123".
  std::string base_local_name() const;
};

// Reads a .meta file's text as pot does (`head -n1`, then split at '@' and ':'): "-" or empty
// means a base image. A layered meta needs both a pot and a tag.
Result<Meta> parse_meta(std::string_view text);

}  // namespace warden::image
