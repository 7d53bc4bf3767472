#include <gtest/gtest.h>

#include "warden/core/diagnostic.hpp"
#include "warden/core/error.hpp"

using namespace warden;

TEST(SourceFile, PositionsCountCharactersNotBytes) {
  SourceFile f("x.hcl", "ab\nЖЖx = 1\n");
  Pos p = f.pos_at(7);  // after "ЖЖ" (4 bytes) on line 2
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 3u);
  EXPECT_EQ(p.byte, 7u);
  EXPECT_EQ(f.line(2), "ЖЖx = 1");
  EXPECT_EQ(f.line(9), "");
}

TEST(SourceFile, AnnotatesWithCaretUnderSubject) {
  SourceFile f("job.nomad", "job \"x\" {\n  cont = 1\n}\n");
  Diagnostic d;
  d.summary = "Unsupported argument";
  d.subject = Range{Pos{2, 3, 12}, Pos{2, 7, 16}};
  f.annotate(d);
  EXPECT_EQ(d.file, "job.nomad");
  EXPECT_EQ(d.excerpt, "  2 |   cont = 1\n    |   ^~~~");
  EXPECT_EQ(d.format(),
            "job.nomad:2:3: error: Unsupported argument\n  2 |   cont = 1\n    |   ^~~~");
}

TEST(SourceFile, CaretKeepsTabsAligned) {
  SourceFile f("t", "\tx = y\n");
  Diagnostic d;
  d.subject = Range{Pos{1, 6, 5}, Pos{1, 7, 6}};
  f.annotate(d);
  EXPECT_EQ(d.excerpt, "  1 | \tx = y\n    | \t    ^");
}

TEST(Diagnostics, HasErrorsIgnoresWarnings) {
  Diagnostics ds;
  Diagnostic w;
  w.severity = Severity::warning;
  ds.add(w);
  EXPECT_FALSE(ds.has_errors());
  ds.error("Bad", "detail");
  EXPECT_TRUE(ds.has_errors());
  EXPECT_EQ(ds.size(), 2u);
}

TEST(Error, MessageComesFromFirstError) {
  Diagnostics ds;
  ds.error("Missing job block", "A job block is required");
  Error e(ErrorCode::invalid_job, ds);
  EXPECT_EQ(e.message(), "Missing job block: A job block is required");
  EXPECT_EQ(e.code(), ErrorCode::invalid_job);
  Result<int> r(e);
  EXPECT_FALSE(r.ok());
  Result<int> ok(3);
  EXPECT_EQ(*ok, 3);
}
