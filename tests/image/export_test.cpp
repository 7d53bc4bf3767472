// Export: pot's four files, readable by xz/tar/signify, and the same tree after unpacking.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.hpp"
#include "warden/image/digest.hpp"
#include "warden/image/export.hpp"
#include "warden/image/extract.hpp"

namespace wi = warden::image;

namespace {

void make_tree(const std::string& root) {
  wt::write_file(root + "/bin/tool", "#!/bin/sh\necho hi\n", 0755);
  wt::write_file(root + "/etc/motd", "welcome\n", 0644);
  wt::write_file(root + "/etc/shadow", "root:*:1::::::\n", 0600);
  ::symlink("motd", (root + "/etc/motd.link").c_str());
  ::symlink("/bin/tool", (root + "/bin/abs").c_str());
  ::link((root + "/etc/motd").c_str(), (root + "/etc/motd.hard").c_str());
  ::mkdir((root + "/var").c_str(), 0755);
  ::mkdir((root + "/var/empty").c_str(), 0711);
  struct timespec ts[2] = {{1600000000, 0}, {1600000000, 0}};
  ::utimensat(AT_FDCWD, (root + "/etc/motd").c_str(), ts, 0);
  ::chmod(root.c_str(), 0755);
}

}  // namespace

TEST(Export, WritesPotsFilesAndRoundTrips) {
  wt::TempDir d;
  make_tree(d / "root");
  wi::ExportOptions o;
  o.pot = "web";
  o.tag = "1.2";
  o.out_dir = d / "out";
  o.level = 1;
  o.sha256 = true;
  auto r = wi::export_image(d / "root", o);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->archive, d / "out/web_1.2.xz");
  EXPECT_EQ(wt::read_file(r->meta), "-\n");
  std::string xz = wt::read_file(r->archive);
  EXPECT_EQ(r->archive_bytes, xz.size());
  EXPECT_EQ(wt::read_file(r->digest), wt::skein_hex(xz + "-\n") + "\n");
  EXPECT_EQ(r->skein_hex, wt::skein_hex(xz + "-\n"));
  EXPECT_TRUE(wt::exists(d / "out/web_1.2.xz.sha256"));
  EXPECT_EQ(r->entries, 11u);  // ., bin, bin/abs, bin/tool, etc, 4 in etc, var, var/empty

  std::string out;
  ASSERT_EQ(wt::run("xz -t " + wt::shell_quote(r->archive), &out), 0) << out;
  ASSERT_EQ(wt::run("tar -tJf " + wt::shell_quote(r->archive), &out), 0) << out;
  EXPECT_NE(out.find("./etc/motd.hard"), std::string::npos) << out;
  // No temporaries left behind.
  EXPECT_EQ(wt::list_tree(d / "out"),
            (std::vector<std::string>{"web_1.2.xz", "web_1.2.xz.meta", "web_1.2.xz.sha256",
                                      "web_1.2.xz.skein"}));

  // Unpacked again, the tree is the same.
  ::mkdir((d / "back").c_str(), 0755);
  wi::MemorySource src(xz.data(), xz.size());
  auto x = wi::extract(src, d / "back");
  ASSERT_TRUE(x) << x.error().message();
  EXPECT_EQ(wt::list_tree(d / "back"), wt::list_tree(d / "root"));
  EXPECT_EQ(wt::read_file(d / "back/etc/shadow"), "root:*:1::::::\n");
  struct stat a {
  }, b{};
  ASSERT_EQ(::lstat((d / "back/etc/shadow").c_str(), &a), 0);
  EXPECT_EQ(a.st_mode & 07777, 0600u);
  ASSERT_EQ(::lstat((d / "back/var/empty").c_str(), &a), 0);
  EXPECT_EQ(a.st_mode & 07777, 0711u);
  ASSERT_EQ(::lstat((d / "back/etc/motd").c_str(), &a), 0);
  EXPECT_EQ(a.st_mtim.tv_sec, 1600000000);
  ASSERT_EQ(::lstat((d / "back/etc/motd.hard").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  char buf[64];
  ssize_t n = ::readlink((d / "back/bin/abs").c_str(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "/bin/tool");

  // The same tree exports to the same bytes.
  wi::ExportOptions again = o;
  again.out_dir = d / "out2";
  auto r2 = wi::export_image(d / "root", again);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->skein_hex, r->skein_hex);
}

TEST(Export, LayeredMetaAndSignature) {
  if (!wt::have_program("signify-openbsd")) GTEST_SKIP() << "signify-openbsd missing";
  wt::TempDir d;
  make_tree(d / "root");
  auto keys = wt::make_signify_keys(d.path, "reg");
  wi::ExportOptions o;
  o.pot = "app";
  o.tag = "2";
  o.out_dir = d / "out";
  o.level = 0;
  o.from = "base:1.0@1690000000";
  o.sign_key = keys.sec;
  auto r = wi::export_image(d / "root", o);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(wt::read_file(r->meta), "base:1.0@1690000000\n");
  EXPECT_EQ(wt::read_file(r->digest),
            wt::skein_hex(wt::read_file(r->archive) + "base:1.0@1690000000\n") + "\n");
  ASSERT_EQ(r->signature, r->digest + ".sig");
  std::string out;
  EXPECT_EQ(wt::run("signify-openbsd -V -p " + wt::shell_quote(keys.pub) + " -m " +
                        wt::shell_quote(r->digest),
                    &out),
            0)
      << out;

  o.from = "base:1.0";  // snapshot defaults to a timestamp
  auto r2 = wi::export_image(d / "root", o);
  ASSERT_TRUE(r2);
  EXPECT_EQ(wt::read_file(r2->meta).rfind("base:1.0@", 0), 0u);
}

TEST(Export, RefusesBadInput) {
  wt::TempDir d;
  make_tree(d / "root");
  wi::ExportOptions o;
  o.pot = "x";
  o.tag = "1";
  o.out_dir = d / "out";
  o.level = 10;
  EXPECT_FALSE(wi::export_image(d / "root", o));
  o.level = 6;
  o.from = "nocolon";
  EXPECT_FALSE(wi::export_image(d / "root", o));
  o.from = "";
  o.pot = "../x";
  EXPECT_FALSE(wi::export_image(d / "root", o));
  o.pot = "x";
  EXPECT_FALSE(wi::export_image(d / "missing", o));
  o.sign_key = d / "missing.sec";
  EXPECT_FALSE(wi::export_image(d / "root", o));
}
