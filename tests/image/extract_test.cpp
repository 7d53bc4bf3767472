// Unpacking: what a rootfs keeps, every refusal of a hostile archive (each time checking that
// nothing appeared outside the target), compressions, and ZFS send streams.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>

#include "support.hpp"
#include "warden/image/errors.hpp"
#include "warden/image/extract.hpp"

namespace wi = warden::image;
using wt::TarEntry;

namespace {

// target/ receives the archive; outside/ holds a file the archive must not reach.
class Sandbox {
 public:
  Sandbox() {
    ::mkdir(target().c_str(), 0755);
    wt::write_file(outside() + "/secret", "do not touch\n", 0644);
    before_ = wt::list_tree(dir.path);
  }
  std::string target() const { return dir / "target"; }
  std::string outside() const { return dir / "outside"; }

  warden::Result<wi::ExtractStats> extract(const std::string& payload,
                                           const wi::ExtractOptions& o = {}) {
    wi::MemorySource src(payload.data(), payload.size());
    return wi::extract(src, target(), o);
  }
  warden::Result<wi::ExtractStats> extract(const std::vector<TarEntry>& entries,
                                           const wi::ExtractOptions& o = {}) {
    return extract(wt::make_tar(entries, "xz"), o);
  }

  // Everything outside target/ is as before, and the secret is intact with one link.
  void expect_nothing_outside() const {
    std::vector<std::string> now;
    for (const auto& p : wt::list_tree(dir.path)) {
      if (p.rfind("target/", 0) != 0) now.push_back(p);
    }
    std::vector<std::string> was;
    for (const auto& p : before_) {
      if (p.rfind("target/", 0) != 0) was.push_back(p);
    }
    EXPECT_EQ(now, was);
    EXPECT_EQ(wt::read_file(outside() + "/secret"), "do not touch\n");
    struct stat st {};
    ASSERT_EQ(::stat((outside() + "/secret").c_str(), &st), 0);
    EXPECT_EQ(st.st_nlink, 1u);
    EXPECT_EQ(st.st_mode & 07777, 0644u);
  }

  wt::TempDir dir;

 private:
  std::vector<std::string> before_;
};

void expect_refused(const warden::Result<wi::ExtractStats>& r, const std::string& words) {
  ASSERT_FALSE(r) << "expected a refusal mentioning: " << words;
  EXPECT_EQ(r.error().code(), wi::errc::refused) << r.error().message();
  EXPECT_NE(r.error().message().find(words), std::string::npos) << r.error().message();
}

}  // namespace

TEST(Extract, KeepsModesOwnersTimesLinks) {
  Sandbox s;
  auto r = s.extract(wt::sample_entries());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->compression, "xz");
  EXPECT_EQ(r->files, 4u);
  EXPECT_EQ(r->symlinks, 2u);
  EXPECT_EQ(r->hardlinks, 1u);
  std::string t = s.target();
  EXPECT_EQ(wt::read_file(t + "/etc/motd"), "hello from warden\n");
  struct stat st {};
  ASSERT_EQ(::lstat((t + "/bin/tool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1600000000);
  ASSERT_EQ(::lstat((t + "/etc/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  if (geteuid() == 0) {
    EXPECT_EQ(st.st_uid, 1000u);
    EXPECT_EQ(st.st_gid, 1000u);
  }
  ASSERT_EQ(::lstat((t + "/etc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1500000000) << "directory mtimes are set after their contents";
  ASSERT_EQ(::lstat((t + "/readonly").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0555u);
  ASSERT_EQ(::lstat((t + "/var/empty").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  char buf[256];
  ssize_t n = ::readlink((t + "/etc/motd.link").c_str(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "motd");
  n = ::readlink((t + "/etc/abs.link").c_str(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "/etc/motd");
  struct stat a {
  }, b{};
  ASSERT_EQ(::stat((t + "/etc/motd").c_str(), &a), 0);
  ASSERT_EQ(::stat((t + "/etc/motd.hard").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  s.expect_nothing_outside();
}

TEST(Extract, OtherCompressionsAndMultiBlockXz) {
  for (const char* c : {"gzip", "zstd", "none"}) {
    Sandbox s;
    auto r = s.extract(wt::make_tar(wt::sample_entries(), c));
    ASSERT_TRUE(r) << c << ": " << r.error().message();
    EXPECT_EQ(wt::read_file(s.target() + "/etc/motd"), "hello from warden\n") << c;
  }
  // Many xz blocks: decoded by liblzma's threads in parallel.
  std::vector<TarEntry> big;
  std::string expect;
  for (int i = 0; i < 64; ++i) {
    std::string data(64 * 1024, static_cast<char>('a' + i % 26));
    data += std::to_string(i);
    big.push_back({"f" + std::to_string(i), 'f', data});
    if (i == 63) expect = data;
  }
  Sandbox s;
  auto r = s.extract(wt::make_tar(big, "xz", 256 * 1024));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->files, 64u);
  EXPECT_EQ(wt::read_file(s.target() + "/f63"), expect);
}

TEST(Extract, RefusesDotDot) {
  for (const char* p : {"../escaped", "a/../../escaped", "./../escaped"}) {
    Sandbox s;
    expect_refused(s.extract({{"a", 'd'}, {p, 'f', "x"}}), "\"..\"");
    s.expect_nothing_outside();
    EXPECT_FALSE(wt::exists(s.dir / "escaped"));
  }
}

TEST(Extract, RefusesAbsolutePaths) {
  Sandbox s;
  std::string abs = s.outside() + "/abs";
  expect_refused(s.extract({{abs, 'f', "x"}}), "absolute");
  s.expect_nothing_outside();
  EXPECT_FALSE(wt::exists(abs));
}

TEST(Extract, RefusesSymlinksLeadingOutside) {
  for (const char* link :
       {"../outside", "a/../../outside/secret", "/../../etc", "../../../../../../etc/passwd"}) {
    Sandbox s;
    expect_refused(s.extract({{"evil", 'l', "", link, 0777}}), "leads outside the image root");
    s.expect_nothing_outside();
  }
  Sandbox s;
  expect_refused(s.extract({{"a/b", 'd'}, {"a/b/up", 'l', "", "../../..", 0777}}), "leads outside");
  // Inside the root is fine, even through "..".
  Sandbox ok;
  ASSERT_TRUE(ok.extract({{"a/b", 'd'}, {"a/b/up", 'l', "", "../../etc", 0777}}));
}

TEST(Extract, NeverWritesThroughASymlink) {
  // An absolute symlink is allowed (it points inside the jail's root)... but extraction must
  // not follow it on the host: the next entry tries to write through it.
  Sandbox s;
  auto r = s.extract({{"esc", 'l', "", s.outside(), 0777}, {"esc/pwned", 'f', "gotcha"}});
  expect_refused(r, "symlink or not a directory");
  s.expect_nothing_outside();
  EXPECT_FALSE(wt::exists(s.outside() + "/pwned"));
  // Replacing the file the symlink names must not follow it either.
  Sandbox s2;
  auto r2 =
      s2.extract({{"esc", 'l', "", s2.outside() + "/secret", 0777}, {"esc", 'f', "overwritten"}});
  ASSERT_TRUE(r2) << r2.error().message();
  EXPECT_EQ(wt::read_file(s2.target() + "/esc"), "overwritten");
  s2.expect_nothing_outside();
  // Nor turning it into a directory.
  Sandbox s3;
  auto r3 =
      s3.extract({{"esc", 'l', "", s3.outside(), 0777}, {"esc", 'd'}, {"esc/inside", 'f', "ok"}});
  ASSERT_TRUE(r3) << r3.error().message();
  EXPECT_EQ(wt::read_file(s3.target() + "/esc/inside"), "ok");
  s3.expect_nothing_outside();
}

TEST(Extract, RefusesHardlinksLeadingOutside) {
  {
    Sandbox s;
    expect_refused(s.extract({{"h", 'h', "", "../outside/secret"}}), "\"..\"");
    s.expect_nothing_outside();
  }
  {
    Sandbox s;
    expect_refused(s.extract({{"h", 'h', "", s.outside() + "/secret"}}), "absolute");
    s.expect_nothing_outside();
  }
  {
    // Through a symlink to the outside.
    Sandbox s;
    expect_refused(s.extract({{"s", 'l', "", s.outside(), 0777}, {"h", 'h', "", "s/secret"}}),
                   "not in the image");
    s.expect_nothing_outside();
  }
  {
    Sandbox s;
    expect_refused(s.extract({{"h", 'h', "", "missing"}}), "not in the image");
  }
  {
    Sandbox s;
    expect_refused(s.extract({{"d", 'd'}, {"h", 'h', "", "d"}}), "hardlink to a directory");
  }
}

TEST(Extract, RefusesDevicesFifosAndSockets) {
  struct Case {
    TarEntry e;
    const char* words;
  };
  std::vector<Case> cases = {
      {{"dev/null", 'c', "", "", 0666, 0, 0, 1700000000, 1, 3}, "character device"},
      {{"dev/sda", 'b', "", "", 0660, 0, 0, 1700000000, 8, 0}, "block device"},
      {{"run/fifo", 'p', "", "", 0600}, "FIFO"},
  };  // (tar cannot carry sockets: libarchive's writer drops them, its reader never makes one)
  for (const auto& c : cases) {
    Sandbox s;
    expect_refused(s.extract(std::vector<TarEntry>{c.e}), c.words);
    s.expect_nothing_outside();
    EXPECT_FALSE(wt::exists(s.target() + "/" + c.e.path));
  }
  if (geteuid() == 0) {
    Sandbox s;
    wi::ExtractOptions o;
    o.allow_devices = true;
    auto r = s.extract({cases[0].e, cases[2].e}, o);
    ASSERT_TRUE(r) << r.error().message();
    struct stat st {};
    ASSERT_EQ(::lstat((s.target() + "/dev/null").c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_EQ(major(st.st_rdev), 1u);
    EXPECT_EQ(minor(st.st_rdev), 3u);
    ASSERT_EQ(::lstat((s.target() + "/run/fifo").c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
  }
}

TEST(Extract, RefusesSetuidAndSetgid) {
  {
    Sandbox s;
    expect_refused(s.extract({{"bin/su", 'f', "x", "", 04755}}), "setuid");
    EXPECT_FALSE(wt::exists(s.target() + "/bin/su"));
  }
  {
    Sandbox s;
    expect_refused(s.extract({{"bin/wall", 'f', "x", "", 02755}}), "setgid");
  }
  {
    Sandbox s;
    wi::ExtractOptions o;
    o.allow_setid = true;
    ASSERT_TRUE(s.extract({{"bin/su", 'f', "x", "", 04755}}, o));
    struct stat st {};
    ASSERT_EQ(::lstat((s.target() + "/bin/su").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 04755u);
  }
  {
    // setgid directories (Debian's /usr/local) are no privilege: kept.
    Sandbox s;
    ASSERT_TRUE(s.extract({{"usr/local", 'd', "", "", 02775}}));
    struct stat st {};
    ASSERT_EQ(::lstat((s.target() + "/usr/local").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 02775u);
  }
}

TEST(Extract, RefusesTooManyEntriesAndTooManyBytes) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 100; ++i) many.push_back({"f" + std::to_string(i), 'f', "x"});
  {
    Sandbox s;
    wi::ExtractOptions o;
    o.max_entries = 50;
    expect_refused(s.extract(many, o), "more than 50 entries");
    s.expect_nothing_outside();
  }
  {
    // A decompression bomb: 16 MiB of zeros in a few KiB of xz.
    Sandbox s;
    std::string payload = wt::make_tar({{"zeros", 'f', std::string(16 << 20, '\0')}}, "xz");
    EXPECT_LT(payload.size(), 64u * 1024);
    wi::ExtractOptions o;
    o.max_bytes = 1 << 20;
    expect_refused(s.extract(payload, o), "bytes of file data");
    struct stat st {};
    if (::stat((s.target() + "/zeros").c_str(), &st) == 0) {
      EXPECT_LE(st.st_size, 2 << 20);
    }
  }
}

TEST(Extract, RefusesXzNeedingTooMuchMemory) {
  // A hostile xz header can declare a dictionary of 1.5 GiB: decoding is capped. (Here a
  // normal 1 MiB dictionary against a 512 KiB cap.)
  Sandbox s;
  wi::ExtractOptions o;
  o.decoder_memory_max = 512 << 10;
  expect_refused(s.extract(wt::sample_entries(), o), "MiB");
  EXPECT_TRUE(wt::list_tree(s.target()).empty());
}

TEST(Extract, RefusesAFileReplacingADirectory) {
  Sandbox s;
  expect_refused(s.extract({{"etc", 'd'}, {"etc/x", 'f', "1"}, {"etc", 'f', "2"}}),
                 "replace a directory");
}

TEST(Extract, RecognizesZfsSendStreams) {
  // The start of `zfs send`: a DRR_BEGIN record with DMU_BACKUP_MAGIC, little-endian.
  std::string zfs(312, '\0');
  const unsigned char magic[8] = {0xac, 0xcb, 0xba, 0xf5, 0x02, 0, 0, 0};
  std::memcpy(zfs.data() + 8, magic, 8);
  EXPECT_TRUE(wi::is_zfs_send_stream(zfs.data(), zfs.size()));
  for (const std::string& payload : {wt::xz_compress(zfs), zfs}) {
    Sandbox s;
    auto r = s.extract(payload);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), warden::ErrorCode::unsupported);
    EXPECT_NE(r.error().message().find("ZFS image, needs FreeBSD"), std::string::npos)
        << r.error().message();
    EXPECT_TRUE(wt::list_tree(s.target()).empty());
  }
}

TEST(Extract, CorruptAndTruncatedPayloads) {
  std::string good = wt::make_tar(wt::sample_entries(), "xz");
  {
    Sandbox s;
    std::string bad = good;
    bad[bad.size() / 2] ^= 0x55;
    auto r = s.extract(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), wi::errc::corrupt);
  }
  {
    Sandbox s;
    auto r = s.extract(good.substr(0, good.size() - 40));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("xz"), std::string::npos) << r.error().message();
  }
  {
    Sandbox s;
    auto r = s.extract(std::string("this is not an archive at all, just text"));
    ASSERT_FALSE(r);
  }
}
