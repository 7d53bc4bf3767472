// Nomad's jobspec fixtures (tests/conformance/jobspecs, verbatim from hashicorp/nomad) must
// parse or fail as their MANIFEST's @HEAD column says. Fixtures whose expectation is "unknown"
// are skipped, as the MANIFEST asks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "warden/job/jobspec.hpp"

namespace fs = std::filesystem;

namespace {

fs::path corpus_dir() {
  if (const char* env = std::getenv("WARDEN_CONFORMANCE_DIR")) return fs::path(env) / "jobspecs";
  return fs::path(WARDEN_SOURCE_DIR) / "tests" / "conformance" / "jobspecs";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Fixture {
  std::string path;    // relative to the corpus
  std::string expect;  // VALID, INVALID, or unknown
};

std::vector<Fixture> fixtures() {
  std::vector<Fixture> out;
  std::istringstream manifest(read_file(corpus_dir() / "MANIFEST.md"));
  std::string line, section;
  while (std::getline(manifest, line)) {
    if (line.rfind("## jobspec-v1-fixtures", 0) == 0) section = "jobspec-v1-fixtures";
    if (line.rfind("## jobspec2-fixtures", 0) == 0) section = "jobspec2-fixtures";
    if (section.empty() || line.rfind("| ", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      size_t a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
      cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
    }
    // cells[0] is empty (before the first '|').
    if (cells.size() < 4 || cells[1].find(".hcl") == std::string::npos) continue;
    std::string expect = section == "jobspec-v1-fixtures" ? cells[4] : cells[3];
    if (expect.rfind("VALID", 0) == 0) {
      expect = "VALID";
    } else if (expect.rfind("INVALID", 0) == 0) {
      expect = "INVALID";
    } else {
      expect = "unknown";
    }
    out.push_back({section + "/" + cells[1], expect});
  }
  return out;
}

void PrintTo(const Fixture& f, std::ostream* os) {
  *os << f.path << " (" << f.expect << ")";
}

class JobspecFixture : public ::testing::TestWithParam<Fixture> {};

TEST_P(JobspecFixture, GivesTheManifestOutcome) {
  const Fixture& f = GetParam();
  if (f.expect == "unknown") GTEST_SKIP() << "the MANIFEST says not to score this fixture";
  fs::path path = corpus_dir() / f.path;
  auto job = warden::job::parse_job(read_file(path), path.string());
  if (f.expect == "VALID") {
    ASSERT_TRUE(job.ok()) << job.error().format();
    // And it survives the API JSON round trip unchanged.
    warden::job::canonicalize(*job);
    std::string json = warden::job::to_json(*job);
    auto back = warden::job::from_json(json);
    ASSERT_TRUE(back.ok()) << back.error().format();
    EXPECT_EQ(warden::job::to_json(*back), json);
  } else {
    ASSERT_FALSE(job.ok()) << "expected an error";
    // Every reported problem points into the file.
    for (const auto& d : job.error().diagnostics()) {
      EXPECT_TRUE(d.subject.has_value()) << d.format();
      EXPECT_FALSE(d.excerpt.empty()) << d.format();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, JobspecFixture, ::testing::ValuesIn(fixtures()),
                         [](const ::testing::TestParamInfo<Fixture>& info) {
                           std::string n = info.param.path;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(JobspecCorpus, ManifestListsEveryFixture) {
  EXPECT_EQ(fixtures().size(), 75u);
}

}  // namespace
