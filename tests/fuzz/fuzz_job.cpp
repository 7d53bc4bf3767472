// Fuzz target for the job parser and decoder: any bytes in, no crash, and whatever decodes
// survives canonicalize, validate and the API JSON round trip unchanged. Also drives hcl2json.
//
// With clang (preset "fuzz") this links against libFuzzer; otherwise standalone_driver.cpp
// replays the corpus in tests/fuzz/corpus/job as a regression test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "warden/job/hcl2json.hpp"
#include "warden/job/jobspec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = warden::job::hcl_to_json(text, "fuzz.hcl");
  (void)json;
  auto job = warden::job::parse_job(text, "fuzz.nomad");
  if (!job) {
    if (job.error().message().empty()) std::abort();  // every failure explains itself
    return 0;
  }
  warden::job::canonicalize(*job);
  (void)warden::job::validate(*job);
  std::string out = warden::job::to_json(*job);
  auto back = warden::job::from_json(out);
  if (!back || warden::job::to_json(*back) != out) std::abort();
  return 0;
}
