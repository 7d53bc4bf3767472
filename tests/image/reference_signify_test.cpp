// pot's naming rules, .meta parsing, and signify signatures against keys made by
// signify-openbsd.
#include <gtest/gtest.h>

#include "support.hpp"
#include "warden/core/base64.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/reference.hpp"
#include "warden/image/signify.hpp"

namespace wi = warden::image;

TEST(Reference, PotNamesAndUrls) {
  wi::ImageRef r{"https://host/nginx-nomad/", "nginx-nomad-amd64-13_1", "1.1.13"};
  EXPECT_EQ(r.local_name(), "nginx-nomad-amd64-13_1_1_1_13");
  EXPECT_EQ(r.file_name(), "nginx-nomad-amd64-13_1_1.1.13.xz");
  EXPECT_EQ(r.file_url(".skein.sig"),
            "https://host/nginx-nomad/nginx-nomad-amd64-13_1_1.1.13.xz.skein.sig");
  EXPECT_TRUE(wi::validate(r));
  EXPECT_FALSE(wi::validate({"ftp://host", "a", "b"}));
  EXPECT_FALSE(wi::validate({"http://host", "../etc", "b"}));
  EXPECT_FALSE(wi::validate({"http://host", "a", "1/2"}));
  EXPECT_FALSE(wi::validate({"http://host", "a", ""}));
  EXPECT_EQ(wi::validate({"http://host", "a b", "1"}).error().code(),
            warden::ErrorCode::invalid_argument);
}

TEST(Reference, MetaAsPotReadsIt) {
  auto base = wi::parse_meta("-\n");
  ASSERT_TRUE(base);
  EXPECT_FALSE(base->layered);
  EXPECT_EQ(base->line, "-");
  auto empty = wi::parse_meta("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->layered);
  auto layered = wi::parse_meta("freebsd-base:13.2@1690000000\nignored second line\n");
  ASSERT_TRUE(layered);
  EXPECT_TRUE(layered->layered);
  EXPECT_EQ(layered->pot, "freebsd-base");
  EXPECT_EQ(layered->tag, "13.2");
  EXPECT_EQ(layered->snapshot, "1690000000");
  EXPECT_EQ(layered->base_local_name(), "freebsd-base_13_2");
  EXPECT_FALSE(wi::parse_meta("no-colon@1\n"));
  EXPECT_FALSE(wi::parse_meta("../x:1@2\n"));
}

class Signify : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!wt::have_program("signify-openbsd")) GTEST_SKIP() << "signify-openbsd not installed";
    keys = wt::make_signify_keys(dir.path, "registry");
    other = wt::make_signify_keys(dir.path, "other");
    wt::write_file(dir / "img.xz.skein", std::string(256, 'a') + "\n");
    wt::signify_sign_file(keys, dir / "img.xz.skein");
  }
  wt::TempDir dir;
  wt::SignifyKeys keys, other;
};

TEST_F(Signify, VerifiesWhatSignifyOpenbsdSigned) {
  auto pub = wi::parse_signify_public_key(wt::read_file(keys.pub));
  ASSERT_TRUE(pub) << pub.error().message();
  auto sig = wi::parse_signify_signature(wt::read_file(dir / "img.xz.skein.sig"));
  ASSERT_TRUE(sig) << sig.error().message();
  std::string msg = wt::read_file(dir / "img.xz.skein");
  EXPECT_TRUE(wi::signify_verify(*pub, *sig, msg, "img.xz.skein.sig"));

  // One byte changed in the message.
  std::string bad = msg;
  bad[0] = 'b';
  auto r = wi::signify_verify(*pub, *sig, bad, "img.xz.skein.sig");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), wi::errc::verify);
  EXPECT_NE(r.error().message().find("verification failed"), std::string::npos);

  // Another key.
  auto other_pub = wi::parse_signify_public_key(wt::read_file(other.pub));
  ASSERT_TRUE(other_pub);
  auto w = wi::signify_verify(*other_pub, *sig, msg, "img.xz.skein.sig");
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("different key"), std::string::npos);
}

TEST_F(Signify, OurSignaturesVerifyWithSignifyOpenbsd) {
  auto sec = wi::parse_signify_secret_key(wt::read_file(keys.sec));
  ASSERT_TRUE(sec) << sec.error().message();
  std::string msg = "some digest\n";
  auto sig = wi::signify_sign(*sec, msg, "registry.pub");
  ASSERT_TRUE(sig);
  wt::write_file(dir / "m.txt", msg);
  wt::write_file(dir / "m.txt.sig", *sig);
  std::string out;
  EXPECT_EQ(wt::run("signify-openbsd -V -p " + wt::shell_quote(keys.pub) + " -m " +
                        wt::shell_quote(dir / "m.txt"),
                    &out),
            0)
      << out;
  EXPECT_EQ(sig->rfind("untrusted comment: verify with registry.pub\n", 0), 0u);
}

TEST_F(Signify, RefusesEncryptedAndMalformedKeys) {
  // signify asks for a passphrase on the terminal only; a passphrase-protected key is an
  // unencrypted one with non-zero kdfrounds (bytes 4..7), so make one that way.
  std::string text = wt::read_file(keys.sec);
  EXPECT_TRUE(wi::parse_signify_secret_key(text));
  size_t nl = text.find('\n');
  auto raw = warden::base64_decode(text.substr(nl + 1));
  ASSERT_TRUE(raw);
  (*raw)[7] = 42;
  auto enc =
      wi::parse_signify_secret_key(text.substr(0, nl + 1) + warden::base64_encode(*raw) + "\n");
  ASSERT_FALSE(enc);
  EXPECT_EQ(enc.error().code(), warden::ErrorCode::unsupported);
  EXPECT_NE(enc.error().message().find("passphrase"), std::string::npos);
  (*raw)[7] = 0;
  (*raw)[40] ^= 1;  // corrupt the key: the checksum catches it
  EXPECT_FALSE(
      wi::parse_signify_secret_key(text.substr(0, nl + 1) + warden::base64_encode(*raw) + "\n"));
  EXPECT_FALSE(wi::parse_signify_public_key("untrusted comment: x\nnot base64!\n"));
  EXPECT_FALSE(wi::parse_signify_signature("no comment line"));
  auto as_pub = wi::parse_signify_public_key(wt::read_file(dir / "img.xz.skein.sig"));
  EXPECT_FALSE(as_pub) << "a signature is not a public key";
}
