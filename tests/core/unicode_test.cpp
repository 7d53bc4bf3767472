#include <gtest/gtest.h>

#include "warden/core/unicode.hpp"

namespace u = warden::unicode;

TEST(Unicode, NfcComposesAndReorders) {
  EXPECT_EQ(u::nfc("an\xcc\x83os"), "a\xc3\xb1os");               // n + combining tilde -> ñ
  EXPECT_EQ(u::nfc("\xe1\x84\x80\xe1\x85\xa1"), "\xea\xb0\x80");  // Hangul L+V -> 가
  EXPECT_EQ(u::nfc("e\xcc\xa3\xcc\x82"), "\xe1\xbb\x87");  // e + dot below + circumflex -> ệ
  EXPECT_EQ(u::nfc("e\xcc\x82\xcc\xa3"), "\xe1\xbb\x87");  // marks in the other order too
  EXPECT_EQ(u::nfc("\xe2\x84\xab"), "\xc3\x85");           // Angstrom sign (singleton) -> Å
  EXPECT_EQ(u::nfc("plain ascii"), "plain ascii");
}

TEST(Unicode, DecodeRejectsMalformedSequences) {
  std::string bad = "\xc0\xaf";  // overlong '/'
  size_t i = 0;
  EXPECT_EQ(u::decode(bad, i), u::kReplacement);
  EXPECT_FALSE(u::is_valid_utf8(bad));
  EXPECT_TRUE(u::is_valid_utf8("ЖЖ 👩‍👩‍👧‍👦"));
  EXPECT_EQ(u::count_code_points("ЖЖ"), 2u);
}

TEST(Unicode, Classes) {
  EXPECT_TRUE(u::is_id_start(U'Ж'));
  EXPECT_TRUE(u::is_id_continue(U'٣'));
  EXPECT_FALSE(u::is_id_start(U'-'));
  EXPECT_TRUE(u::is_space(0x2003));
  EXPECT_EQ(u::upper("straße ж"), "STRAßE Ж");  // ß has no one-character upper case
  EXPECT_EQ(u::lower("ÀÉ"), "àé");
}
