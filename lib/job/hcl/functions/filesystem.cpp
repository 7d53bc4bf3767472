// The filesystem functions of go-cty-funcs/filesystem. nomad guards them: unless the embedder
// allows filesystem access they exist but fail, as nomad's guardFS makes them.
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common.hpp"
#include "glob.hpp"
#include "gopath.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

namespace stdfs = std::filesystem;

// The path a file function reads: ~ expanded, relative paths under the base directory, cleaned.
std::optional<std::string> resolve(const LibraryOptions& opts, const std::string& path,
                                   std::string& err) {
  std::string e;
  auto expanded = expand_home(path, e);
  if (!expanded) {
    err = "failed to expand ~: " + e;
    return std::nullopt;
  }
  std::string p = *expanded;
  if (!is_abs(p)) p = join(opts.base_dir, p);
  return clean(p);
}

// Go's FileMode.String() for what stat reports.
std::string mode_string(mode_t m) {
  std::string out;
  if (S_ISDIR(m)) out += 'd';
  if (S_ISBLK(m) || S_ISCHR(m)) out += 'D';
  if (S_ISFIFO(m)) out += 'p';
  if (S_ISSOCK(m)) out += 'S';
  if (m & S_ISUID) out += 'u';
  if (m & S_ISGID) out += 'g';
  if (S_ISCHR(m)) out += 'c';
  if (m & S_ISVTX) out += 't';
  if (out.empty()) out = "-";
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) out += (m & (1u << (8 - i))) ? rwx[i] : '-';
  return out;
}

enum class ReadStatus { ok, missing, failed };

ReadStatus read_file(const std::string& path, std::string& out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return errno == ENOENT ? ReadStatus::missing : ReadStatus::failed;
  if (S_ISDIR(st.st_mode)) return ReadStatus::failed;
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadStatus::failed;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return ReadStatus::failed;
  out = ss.str();
  return ReadStatus::ok;
}

// --- The functions -------------------------------------------------------------------------------

using Impl = std::function<CallResult(std::span<const Value>)>;

CallResult file(const LibraryOptions& opts, std::span<const Value> a, bool as_base64) {
  const std::string& given = a[0].as_string();
  std::string err;
  auto path = resolve(opts, given, err);
  if (!path) return CallResult::fail(err);
  std::string data;
  switch (read_file(*path, data)) {
    case ReadStatus::missing:
      return CallResult::fail("no file exists at " + *path);
    case ReadStatus::failed:
      return CallResult::fail("failed to read " + *path);
    case ReadStatus::ok:
      break;
  }
  if (as_base64) return CallResult::ok(Value::string(base64_encode(data)));
  if (!unicode::is_valid_utf8(data)) {
    return CallResult::fail(
        "contents of " + given +
        " are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents "
        "or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results "
        "instead");
  }
  return CallResult::ok(Value::string(data));
}

CallResult fileexists(const LibraryOptions& opts, std::span<const Value> a) {
  std::string err;
  auto path = resolve(opts, a[0].as_string(), err);
  if (!path) return CallResult::fail(err);
  struct stat st;
  if (::stat(path->c_str(), &st) != 0) {
    if (errno == ENOENT) return CallResult::ok(Value::boolean(false));
    return CallResult::fail("failed to stat " + *path);
  }
  if (S_ISREG(st.st_mode)) return CallResult::ok(Value::boolean(true));
  return CallResult::fail(*path + " is not a regular file, but " +
                          go_quote(mode_string(st.st_mode)));
}

CallResult fileset(const LibraryOptions& opts, std::span<const Value> a) {
  std::string path = a[0].as_string();
  if (!is_abs(path)) path = join(opts.base_dir, path);
  path = clean(path);
  std::string pattern = join(path, a[1].as_string());
  if (!valid_pattern(pattern))
    return CallResult::fail("failed to glob pattern (" + pattern + "): syntax error in pattern");
  std::vector<Value> out;
  for (const auto& match : glob(pattern)) {
    struct stat st;
    if (::stat(match.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back(Value::string(rel(path, clean(match))));
  }
  return CallResult::ok(Value::set(std::move(out), Type::string()));
}

CallResult abspath(std::span<const Value> a) {
  std::string p = a[0].as_string();
  if (!is_abs(p)) {
    std::error_code ec;
    stdfs::path cwd = stdfs::current_path(ec);
    if (ec) return CallResult::fail(ec.message());
    p = join(cwd.string(), p);
  }
  return CallResult::ok(Value::string(clean(p)));
}

CallResult pathexpand(std::span<const Value> a) {
  std::string err;
  auto p = expand_home(a[0].as_string(), err);
  if (!p) return CallResult::fail(err);
  return CallResult::ok(Value::string(*p));
}

}  // namespace

void add_filesystem_functions(FunctionTable& t, const LibraryOptions& options) {
  const Type s = Type::string();
  auto guarded = [&](std::vector<Param> params, Impl impl) {
    if (!options.allow_fs) {
      impl = [](std::span<const Value>) {
        return CallResult::fail("filesystem function disabled");
      };
    }
    return fixed(std::move(params), std::move(impl));
  };
  auto opts = std::make_shared<const LibraryOptions>(options);
  t.add("file", guarded({param("path", s)},
                        [opts](std::span<const Value> a) { return file(*opts, a, false); }));
  t.add("filebase64", guarded({param("path", s)},
                              [opts](std::span<const Value> a) { return file(*opts, a, true); }));
  t.add("fileexists", guarded({param("path", s)},
                              [opts](std::span<const Value> a) { return fileexists(*opts, a); }));
  t.add("fileset", guarded({param("path", s), param("pattern", s)},
                           [opts](std::span<const Value> a) { return fileset(*opts, a); }));
  t.add("abspath", guarded({param("path", s)}, abspath));
  t.add("basename", guarded({param("path", s)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::string(base_name(a[0].as_string())));
        }));
  t.add("dirname", guarded({param("path", s)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::string(dir_name(a[0].as_string())));
        }));
  t.add("pathexpand", guarded({param("path", s)}, pathexpand));
}

}  // namespace warden::hcl
