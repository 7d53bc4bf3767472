// A separate process fetching one image, for the cross-process locking test:
//   image_fetch_helper STORE_DIR URL POT TAG  -> prints the rootfs, exit 0; or the error, exit 1
#include <cstdio>

#include "warden/image/store.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s STORE URL POT TAG\n", argv[0]);
    return 2;
  }
  auto store = warden::image::ImageStore::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message().c_str());
    return 1;
  }
  auto img = (*store)->fetch({argv[2], argv[3], argv[4]}, {});
  if (!img) {
    std::fprintf(stderr, "%s\n", img.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", img->rootfs.c_str());
  return 0;
}
