// Micro-benchmarks of the image layer's hot paths (Google Benchmark):
//   BM_Skein1024 / BM_Sha256: hashing every downloaded byte (OpenSSL-class speed is the target);
//   BM_ExtractXz: multi-block xz -> tar -> files, from memory, with 1 and with all decoder threads
//   (Arg 0 = one per CPU).
// Run the release preset: build/release/bench/image_hash_bench
#include <benchmark/benchmark.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "warden/image/digest.hpp"
#include "warden/image/export.hpp"
#include "warden/image/extract.hpp"

namespace fs = std::filesystem;
namespace wi = warden::image;

namespace {

void hash(benchmark::State& state, wi::DigestAlgorithm a) {
  std::string data(64 << 20, '\0');
  std::mt19937_64 rng(1);
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {
    uint64_t v = rng();
    std::memcpy(data.data() + i, &v, 8);
  }
  for (auto _ : state) {
    wi::Hasher h(a);
    for (size_t off = 0; off < data.size(); off += 256 * 1024)
      h.update(data.data() + off, 256 * 1024);
    benchmark::DoNotOptimize(h.final());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_Skein1024(benchmark::State& state) {
  hash(state, wi::DigestAlgorithm::skein1024);
}
BENCHMARK(BM_Skein1024)->Unit(benchmark::kMillisecond);

void BM_Sha256(benchmark::State& state) {
  hash(state, wi::DigestAlgorithm::sha256);
}
BENCHMARK(BM_Sha256)->Unit(benchmark::kMillisecond);

// A ~64 MB tree of 4000 files exported once (xz -1, small blocks so that threads have work).
const std::string& payload() {
  static std::string xz = [] {
    std::string dir =
        fs::temp_directory_path() / ("warden-hash-bench-" + std::to_string(::getpid()));
    std::mt19937_64 rng(7);
    for (int d = 0; d < 40; ++d) {
      fs::create_directories(dir + "/root/d" + std::to_string(d));
      for (int f = 0; f < 100; ++f) {
        std::string content(16 * 1024, '\0');
        for (size_t i = 0; i < content.size(); ++i)
          content[i] = static_cast<char>(i % 64 < 8 ? rng() : 'a' + (rng() % 16));
        FILE* fp = std::fopen(
            (dir + "/root/d" + std::to_string(d) + "/f" + std::to_string(f)).c_str(), "wb");
        std::fwrite(content.data(), 1, content.size(), fp);
        std::fclose(fp);
      }
    }
    wi::ExportOptions o;
    o.pot = "bench";
    o.tag = "1";
    o.out_dir = dir + "/out";
    o.level = 1;
    auto r = wi::export_image(dir + "/root", o);
    std::string bytes;
    if (r) {
      FILE* fp = std::fopen(r->archive.c_str(), "rb");
      char buf[1 << 16];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) bytes.append(buf, n);
      std::fclose(fp);
    }
    fs::remove_all(dir);
    return bytes;
  }();
  return xz;
}

// Into tmpfs when there is one, so that the file system's own costs (and, on ext4, the slow
// inode allocation right after deleting many files) stay out of the numbers; each iteration
// gets a fresh directory, all removed at the end.
void BM_ExtractXz(benchmark::State& state) {
  const std::string& xz = payload();
  std::string base = fs::exists("/dev/shm") ? "/dev/shm" : fs::temp_directory_path().string();
  base += "/warden-extract-bench-" + std::to_string(::getpid());
  wi::ExtractOptions o;
  o.decoder_threads = static_cast<unsigned>(state.range(0));
  uint64_t bytes = 0;
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string target = base + "/" + std::to_string(i++);
    fs::create_directories(target);
    state.ResumeTiming();
    wi::MemorySource src(xz.data(), xz.size());
    auto r = wi::extract(src, target, o);
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      break;
    }
    bytes = r->stream_bytes;
  }
  fs::remove_all(base);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ExtractXz)
    ->Arg(1)
    ->Arg(0)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
