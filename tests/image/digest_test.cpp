// Skein-1024-1024 against FreeBSD's skein1024(1) known answers, incremental hashing at every
// split, SHA-256, and the digest file formats.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "support.hpp"
#include "warden/image/digest.hpp"

namespace wi = warden::image;

namespace {

std::vector<std::pair<std::string, std::string>> vectors() {
  std::ifstream in(wt::source_dir() + "/tests/conformance/skein1024/vectors.txt");
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.rfind('\t');
    if (tab == std::string::npos) continue;
    out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

}  // namespace

TEST(Skein1024, ConformanceVectors) {
  auto v = vectors();
  ASSERT_EQ(v.size(), 8u) << "tests/conformance/skein1024/vectors.txt changed shape";
  for (const auto& [input, hex] : v) {
    EXPECT_EQ(wi::to_hex(wi::Skein1024::hash(input)), hex) << "input \"" << input << "\"";
  }
}

TEST(Skein1024, IncrementalEqualsOneShotAtEverySplit) {
  std::mt19937 rng(42);
  // Lengths around the 128-byte block boundary, where the "last block is final" rule bites.
  for (size_t len : {0u, 1u, 127u, 128u, 129u, 255u, 256u, 257u, 1000u}) {
    std::string data(len, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    auto whole = wi::Skein1024::hash(data);
    for (size_t split = 0; split <= len; ++split) {
      wi::Skein1024 h;
      h.update(data.substr(0, split));
      h.update(data.substr(split));
      ASSERT_EQ(h.final(), whole) << "len " << len << " split " << split;
    }
    wi::Skein1024 bytes;
    for (char c : data) bytes.update(&c, 1);
    EXPECT_EQ(bytes.final(), whole) << "byte by byte, len " << len;
  }
}

TEST(Skein1024, AgreesWithTheXzPlusMetaRule) {
  // pot: cat NAME.xz NAME.xz.meta | skein1024 -q
  std::string xz(5000, 'x'), meta = "-\n";
  wi::Hasher h(wi::DigestAlgorithm::skein1024);
  h.update(xz);
  h.update(meta);
  EXPECT_EQ(wi::to_hex(h.final()), wi::to_hex(wi::Skein1024::hash(xz + meta)));
}

TEST(Sha256, KnownAnswerAndFork) {
  wi::Hasher h(wi::DigestAlgorithm::sha256);
  h.update("ab");
  wi::Hasher fork = h.fork();
  h.update("c");
  EXPECT_EQ(wi::to_hex(h.final()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(wi::to_hex(fork.final()),
            "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603");
}

TEST(DigestFile, ParsesSkeinAndSha256sumOutput) {
  std::string sk(256, 'A');
  auto d = wi::parse_digest_file(sk + "\n", wi::DigestAlgorithm::skein1024);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, std::string(256, 'a'));
  EXPECT_FALSE(wi::parse_digest_file(sk.substr(1), wi::DigestAlgorithm::skein1024));
  EXPECT_FALSE(wi::parse_digest_file(std::string(255, 'a') + "g", wi::DigestAlgorithm::skein1024));
  std::string sha(64, 'b');
  auto s = wi::parse_digest_file(sha + "  nginx_1.0.xz\n", wi::DigestAlgorithm::sha256);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, sha);
  EXPECT_FALSE(wi::parse_digest_file("", wi::DigestAlgorithm::sha256));
}
