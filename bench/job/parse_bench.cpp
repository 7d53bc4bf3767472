// Parsing speed over nomad's jobspec fixtures (tests/conformance/jobspecs), in bytes/second:
//   parse-only: lexing and parsing HCL into a syntax tree (target: >= 100 MB/s on one core);
//   parse+decode+canonicalize: the whole road from a job file to the canonical job model.
// Run the release preset: build/release/bench/job_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "warden/job/hcl/parser.hpp"
#include "warden/job/jobspec.hpp"

namespace fs = std::filesystem;

namespace {

struct Corpus {
  std::vector<std::pair<std::string, std::string>> files;  // name, text
  size_t bytes = 0;
};

// Every fixture that parses; the valid job files for the decode benchmark.
const Corpus& corpus(bool only_valid_jobs) {
  static Corpus all, jobs;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    fs::path dir = fs::path(WARDEN_SOURCE_DIR) / "tests" / "conformance" / "jobspecs";
    std::vector<fs::path> paths;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() == ".hcl") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      if (warden::hcl::parse_config(text, p.string()).diagnostics.has_errors()) continue;
      all.files.emplace_back(p.string(), text);
      all.bytes += text.size();
      if (warden::job::parse_job(text, p.string()).ok()) {
        jobs.files.emplace_back(p.string(), text);
        jobs.bytes += text.size();
      }
    }
  }
  return only_valid_jobs ? jobs : all;
}

void BM_ParseOnly(benchmark::State& state) {
  const Corpus& c = corpus(false);
  for (auto _ : state) {
    for (const auto& [name, text] : c.files) {
      auto parsed = warden::hcl::parse_config(text, name);
      benchmark::DoNotOptimize(parsed.file->body().attributes.data);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.counters["files"] = static_cast<double>(c.files.size());
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

void BM_ParseDecodeCanonicalize(benchmark::State& state) {
  const Corpus& c = corpus(true);
  for (auto _ : state) {
    for (const auto& [name, text] : c.files) {
      auto job = warden::job::parse_job(text, name);
      warden::job::canonicalize(*job);
      benchmark::DoNotOptimize(job->id);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.counters["files"] = static_cast<double>(c.files.size());
}
BENCHMARK(BM_ParseDecodeCanonicalize)->Unit(benchmark::kMillisecond);

void BM_ToJson(benchmark::State& state) {
  const Corpus& c = corpus(true);
  std::vector<warden::job::Job> jobs;
  for (const auto& [name, text] : c.files) {
    auto job = warden::job::parse_job(text, name);
    warden::job::canonicalize(*job);
    jobs.push_back(std::move(*job));
  }
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& j : jobs) {
      std::string json = warden::job::to_json(j);
      bytes += json.size();
      benchmark::DoNotOptimize(json.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ToJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
