#include <gtest/gtest.h>

#include "warden/core/base64.hpp"

using warden::base64_decode;
using warden::base64_encode;

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain);
  }
}

TEST(Base64, BinaryRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(Base64, RejectsMalformedInput) {
  size_t at = 99;
  EXPECT_FALSE(base64_decode("Zm9", &at));
  EXPECT_FALSE(base64_decode("Zm9v!A==", &at));
  EXPECT_EQ(at, 4u);
  EXPECT_FALSE(base64_decode("Zg==Zg==", &at));
}
