// The image cache: fetch pot images from a registry, verify them, unpack them once.
//
//   auto store = warden::image::ImageStore::open("/var/lib/warden/images");
//   auto img = (*store)->fetch({"https://potluck.honeyguide.net/nginx-nomad",
//                               "nginx-nomad-amd64-13_1", "1.1.13"}, {});
//   if (img) use(img->rootfs);              // the unpacked root, read-only by convention
//
// A fetch reads <image>.xz.meta, .xz.skein (or .xz.sha256) and, with a public key configured,
// .xz.skein.sig; then streams <image>.xz once, hashing and unpacking it while it arrives into a
// staging directory that becomes a cached image only after the hash (and signature) check. On
// a hash mismatch everything staged and downloaded is deleted and the fetch is retried once;
// then the error names the URL and both hashes. A layered image (its .meta names a base) is
// fetched after its base, recursively, with cycle detection.
//
// Layout under the store directory (all on one file system, so commits are atomic renames):
//   objects/<algorithm>-<first 64 hex digits>/rootfs   unpacked images, by content
//   names/<local name>.json                            name -> object, source, parent
//   locks/<local name>.lock                            one fetch per image (flock: threads and
//                                                      processes alike), so concurrent requests
//                                                      for one image cause one download
//   staging/, partial/                                 work in progress, resumable downloads
//
// Thread safety: every member function may be called from any thread at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/image/digest.hpp"
#include "warden/image/extract.hpp"
#include "warden/image/reference.hpp"
#include "warden/image/transfer.hpp"

namespace warden::image {

// A cached image.
struct ImageInfo {
  std::string name;  // local name: "<pot>_<tag>" with dots as underscores
  std::string url;   // the registry URL it came from
  std::string pot;
  std::string tag;
  std::string object;  // "<algorithm>-<64 hex>": the content-addressed directory name
  DigestAlgorithm algorithm = DigestAlgorithm::skein1024;
  std::string digest;  // the full hex digest the registry published
  std::string meta;    // the .meta line ("-" or "pot:tag@snapshot"; "" if there was none)
  std::string parent;  // the base image's local name, for a layered image
  bool signature_verified = false;
  std::string rootfs;  // absolute path of the unpacked tree (this layer only)
  // This layer's root followed by its base's, down to the base image: the lower directories
  // of an overlay mount, uppermost first.
  std::vector<std::string> layers;
  uint64_t archive_bytes = 0;  // size of the .xz
  uint64_t entries = 0;
  uint64_t bytes = 0;      // file data unpacked
  int64_t fetched_at = 0;  // Unix time
};

enum class FetchStep {
  resolve,   // reading .meta/.skein/.sig (also of base images)
  wait,      // waiting for another fetch of the same image (thread or process)
  download,  // streaming, hashing and unpacking the payload (done/total in bytes)
  verify,    // comparing the hash
  retry,     // the hash did not match: starting over once
  done,      // committed to the cache
  cached,    // already in the cache: nothing downloaded
};
const char* step_name(FetchStep s);

struct FetchProgress {
  std::string_view image;  // local name of the image this is about (a base image, too)
  FetchStep step;
  uint64_t done = 0;   // bytes of the payload received (including a resumed part)
  uint64_t total = 0;  // its size, 0 if the server did not say
};
// Called from the fetching thread, a few times per second during a download and at every
// step. Returning false cancels the fetch.
using ProgressFn = std::function<bool(const FetchProgress&)>;

struct FetchOptions {
  TransferOptions transfer;  // timeouts, retries, redirects, TLS, cancel token
  ExtractOptions extract;    // what unpacking allows, limits
  // signify public key file (or its text, if it starts with "untrusted comment:"). When set,
  // images without a valid .sig are refused.
  std::string public_key;
  bool refresh = false;  // re-check the registry even if the image is cached
  int max_layers = 16;   // depth of the base-image chain
  ProgressFn progress;
};

class ImageStore {
 public:
  // Opens (creating if needed) a store in `dir`.
  static Result<std::unique_ptr<ImageStore>> open(const std::string& dir);
  ~ImageStore();
  ImageStore(const ImageStore&) = delete;
  ImageStore& operator=(const ImageStore&) = delete;

  const std::string& dir() const;

  // Fetches (or finds cached) the image and its base images; returns the requested image.
  Result<ImageInfo> fetch(const ImageRef& ref, const FetchOptions& options = {});
  // A cached image by local name; not_found if absent.
  Result<ImageInfo> lookup(std::string_view name) const;
  // Every cached image, sorted by name.
  Result<std::vector<ImageInfo>> list() const;
  // Removes an image by local name (refused while another cached image is layered on it).
  // Its unpacked tree is deleted when no other name refers to the same content.
  Result<void> remove(std::string_view name);
  // Cancels every fetch in progress (from any thread); later fetches are not affected.
  void cancel_all();

 private:
  ImageStore();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden::image
