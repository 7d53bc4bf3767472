#include "catalog.hpp"

#include <simdjson.h>

#include "warden/core/json_writer.hpp"

namespace warden::image::detail {

std::string name_record_json(const ImageInfo& i) {
  JsonWriter w("  ");
  w.begin_object();
  w.key("Name").string(i.name);
  w.key("URL").string(i.url);
  w.key("Pot").string(i.pot);
  w.key("Tag").string(i.tag);
  w.key("Object").string(i.object);
  w.key("Algorithm").string(algorithm_name(i.algorithm));
  w.key("Digest").string(i.digest);
  w.key("Meta").string(i.meta);
  w.key("Parent").string(i.parent);
  w.key("SignatureVerified").boolean(i.signature_verified);
  w.key("ArchiveBytes").unsigned_integer(i.archive_bytes);
  w.key("Entries").unsigned_integer(i.entries);
  w.key("Bytes").unsigned_integer(i.bytes);
  w.key("FetchedAt").integer(i.fetched_at);
  w.end_object();
  return w.take() + "\n";
}

Result<ImageInfo> parse_name_record(std::string_view json, const std::string& file) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::object obj;
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::io, "corrupt image record " + file + ": " + why);
  };
  if (auto err = parser.parse(padded).get(obj)) return bad(simdjson::error_message(err));
  ImageInfo i;
  auto str = [&](const char* key, std::string& out) -> bool {
    std::string_view v;
    if (obj[key].get(v)) return false;
    out = std::string(v);
    return true;
  };
  std::string algo;
  if (!str("Name", i.name) || !str("URL", i.url) || !str("Pot", i.pot) || !str("Tag", i.tag) ||
      !str("Object", i.object) || !str("Algorithm", algo) || !str("Digest", i.digest) ||
      !str("Meta", i.meta) || !str("Parent", i.parent))
    return bad("missing fields");
  if (algo == "skein1024") {
    i.algorithm = DigestAlgorithm::skein1024;
  } else if (algo == "sha256") {
    i.algorithm = DigestAlgorithm::sha256;
  } else {
    return bad("unknown algorithm \"" + algo + "\"");
  }
  bool sig = false;
  if (!obj["SignatureVerified"].get(sig)) i.signature_verified = sig;
  uint64_t u = 0;
  if (!obj["ArchiveBytes"].get(u)) i.archive_bytes = u;
  if (!obj["Entries"].get(u)) i.entries = u;
  if (!obj["Bytes"].get(u)) i.bytes = u;
  int64_t t = 0;
  if (!obj["FetchedAt"].get(t)) i.fetched_at = t;
  return i;
}

}  // namespace warden::image::detail
