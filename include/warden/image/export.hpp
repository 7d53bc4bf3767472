// Exporting a root directory as a pot-layout image, ready to be served by any web server:
//   <out>/<pot>_<tag>.xz           tar of the root (pax), xz-compressed on every core
//   <out>/<pot>_<tag>.xz.meta      "-\n", or "<base pot>:<base tag>@<snapshot>\n" for a layer
//   <out>/<pot>_<tag>.xz.skein     skein1024 of .xz followed by .meta, as `skein1024 -q` prints it
//   <out>/<pot>_<tag>.xz.skein.sig with a signify secret key
// Entries are written in sorted order with their numeric owners, modes and mtimes, so the same
// tree gives the same archive. Each file is written to a temporary name and renamed in place.
#pragma once

#include <cstdint>
#include <string>

#include "warden/core/error.hpp"

namespace warden::image {

struct ExportOptions {
  std::string pot;
  std::string tag;
  std::string out_dir;
  int level = 6;         // xz preset 0-9, as `pot export -l`
  unsigned threads = 0;  // xz encoder threads; 0 = one per CPU
  // A layered image: "<pot>:<tag>" or "<pot>:<tag>@<snapshot>" of its base (snapshot defaults
  // to the current Unix time, as pot's snapshot names are).
  std::string from;
  std::string sign_key;  // signify secret key file (unencrypted): also write .skein.sig
  bool sha256 = false;   // also write .xz.sha256 (and .sha256.sig when signing)
};

struct ExportResult {
  std::string archive;    // the .xz path
  std::string meta;       // the .meta path
  std::string digest;     // the .skein path
  std::string signature;  // the .sig path, or ""
  std::string sha256;     // the .sha256 path, or ""
  std::string skein_hex;  // the digest written to .skein
  uint64_t archive_bytes = 0;
  uint64_t tar_bytes = 0;
  uint64_t entries = 0;
};

Result<ExportResult> export_image(const std::string& rootfs, const ExportOptions& options);

}  // namespace warden::image
