// Fuzz target for the image archive reader: any bytes go through format detection, the xz
// decoder, libarchive and the safe extractor into a scratch directory. No crash, every failure
// explains itself, and nothing may ever appear beside the target directory. The same bytes also
// go through the small parsers of registry files (.meta, digests, signify).
//
// With clang (preset "fuzz") this links against libFuzzer; otherwise standalone_driver.cpp
// replays tests/fuzz/corpus/image as a regression test.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "warden/image/digest.hpp"
#include "warden/image/extract.hpp"
#include "warden/image/reference.hpp"
#include "warden/image/signify.hpp"

namespace fs = std::filesystem;

namespace {

// Made once per process and removed at exit (deliberately never destroyed, so that the exit
// handler can still read it).
const std::string& sandbox() {
  static const std::string* dir = [] {
    char tmpl[] = "/tmp/warden-fuzz-image.XXXXXX";
    if (!::mkdtemp(tmpl)) std::abort();
    auto* d = new std::string(tmpl);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(sandbox(), ec);
    });
    return d;
  }();
  return *dir;
}

void remove_all(const std::string& path) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  }
  fs::remove_all(path, ec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)warden::image::parse_meta(text);
  (void)warden::image::parse_digest_file(text, warden::image::DigestAlgorithm::skein1024);
  (void)warden::image::parse_signify_signature(text);
  (void)warden::image::parse_signify_public_key(text);

  const std::string target = sandbox() + "/target";
  remove_all(target);
  if (::mkdir(target.c_str(), 0755) != 0) std::abort();
  warden::image::ExtractOptions o;
  o.max_entries = 2000;
  o.max_bytes = 32 << 20;
  o.decoder_threads = 1;
  warden::image::MemorySource src(data, size);
  auto r = warden::image::extract(src, target, o);
  if (!r && r.error().message().empty()) std::abort();
  // The only thing in the sandbox is the target.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(sandbox(), ec)) {
    if (e.path().filename() != "target") std::abort();
  }
  remove_all(target);
  return 0;
}
