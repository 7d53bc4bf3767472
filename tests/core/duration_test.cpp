#include <gtest/gtest.h>

#include "warden/core/duration.hpp"

using namespace warden;

TEST(Duration, ParsesGoSyntax) {
  EXPECT_EQ(parse_duration("5s"), 5 * kSecond);
  EXPECT_EQ(parse_duration("1h30m"), kHour + 30 * kMinute);
  EXPECT_EQ(parse_duration("300ms"), 300 * kMillisecond);
  EXPECT_EQ(parse_duration("1.5h"), kHour + 30 * kMinute);
  EXPECT_EQ(parse_duration("-2us"), -2 * kMicrosecond);
  EXPECT_EQ(parse_duration("2µs"), 2 * kMicrosecond);
  EXPECT_EQ(parse_duration("0"), 0);
  EXPECT_EQ(parse_duration(".5s"), 500 * kMillisecond);
}

TEST(Duration, ReportsGoErrors) {
  std::string err;
  EXPECT_FALSE(parse_duration("5", &err));
  EXPECT_EQ(err, "time: missing unit in duration \"5\"");
  EXPECT_FALSE(parse_duration("5x", &err));
  EXPECT_EQ(err, "time: unknown unit \"x\" in duration \"5x\"");
  EXPECT_FALSE(parse_duration("", &err));
  EXPECT_EQ(err, "time: invalid duration \"\"");
  EXPECT_FALSE(parse_duration("s", &err));
  EXPECT_FALSE(parse_duration("99999999999999h", &err));
}

TEST(Duration, FormatsLikeGo) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(5 * kSecond), "5s");
  EXPECT_EQ(format_duration(kHour + 30 * kMinute), "1h30m0s");
  EXPECT_EQ(format_duration(300 * kMillisecond), "300ms");
  EXPECT_EQ(format_duration(1500 * kMicrosecond), "1.5ms");
  EXPECT_EQ(format_duration(2 * kMicrosecond), "2µs");
  EXPECT_EQ(format_duration(-90 * kSecond), "-1m30s");
  EXPECT_EQ(format_duration(7), "7ns");
}
