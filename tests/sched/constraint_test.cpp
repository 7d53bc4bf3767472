// Operator semantics of nomad's scheduler/feasible.go checkConstraint, with hashicorp/go-version
// and nomad's helper/constraints/semver behind `version` and `semver`. Expected values come from
// the Go code (and from go-version's and nomad's own test tables where they cover a case).
#include "warden/sched/constraint.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::sched {
namespace {

using Value = std::optional<std::string>;
const Value kMissing = std::nullopt;

Value v(std::string s) {
  return Value(std::move(s));
}

// check_operator by operand spelling, as a job writes it.
bool check(std::string_view operand, const Value& left, const Value& right) {
  const std::optional<Operator> op = parse_operator(operand);
  if (!op) {
    ADD_FAILURE() << "unknown operand " << operand;
    return false;
  }
  return check_operator(*op, left, right);
}

struct Case {
  const char* left;
  const char* right;
  bool expected;
};

void expect_cases(std::string_view operand, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(check(operand, v(c.left), v(c.right)), c.expected)
        << "\"" << c.left << "\" " << operand << " \"" << c.right << "\"";
  }
}

// ---- parse_operator / operator_name ------------------------------------------------------------

TEST(ParseOperator, AcceptsEverySpellingNomadKnows) {
  const std::vector<std::pair<std::string_view, Operator>> spellings = {
      {"=", Operator::equal},
      {"==", Operator::equal},
      {"is", Operator::equal},
      {"", Operator::equal},
      {"!=", Operator::not_equal},
      {"not", Operator::not_equal},
      {"<", Operator::less},
      {"<=", Operator::less_equal},
      {">", Operator::greater},
      {">=", Operator::greater_equal},
      {"regexp", Operator::regexp},
      {"version", Operator::version},
      {"semver", Operator::semver},
      {"set_contains", Operator::set_contains},
      {"set_contains_all", Operator::set_contains_all},
      {"set_contains_any", Operator::set_contains_any},
      {"is_set", Operator::is_set},
      {"is_not_set", Operator::is_not_set},
      {"distinct_hosts", Operator::distinct_hosts},
      {"distinct_property", Operator::distinct_property},
  };
  for (const auto& [text, op] : spellings) {
    const auto parsed = parse_operator(text);
    ASSERT_TRUE(parsed.has_value()) << "\"" << text << "\"";
    EXPECT_EQ(*parsed, op) << "\"" << text << "\"";
  }
}

TEST(ParseOperator, RejectsUnknownSpellings) {
  for (const std::string_view text : {"IS",
                                      "Is",
                                      "NOT",
                                      " =",
                                      "= ",
                                      "===",
                                      "=<",
                                      "=>",
                                      "<>",
                                      "~>",
                                      "regex",
                                      "Regexp",
                                      "set_contains_none",
                                      "set-contains",
                                      "isset",
                                      "is_set ",
                                      "distinct_host",
                                      "version ",
                                      "semver2",
                                      "contains",
                                      "in"}) {
    EXPECT_FALSE(parse_operator(text).has_value()) << "\"" << text << "\"";
  }
}

TEST(OperatorName, IsCanonicalAndRoundTrips) {
  EXPECT_STREQ(operator_name(Operator::equal), "=");
  EXPECT_STREQ(operator_name(Operator::not_equal), "!=");
  EXPECT_STREQ(operator_name(Operator::less), "<");
  EXPECT_STREQ(operator_name(Operator::less_equal), "<=");
  EXPECT_STREQ(operator_name(Operator::greater), ">");
  EXPECT_STREQ(operator_name(Operator::greater_equal), ">=");
  EXPECT_STREQ(operator_name(Operator::regexp), "regexp");
  EXPECT_STREQ(operator_name(Operator::version), "version");
  EXPECT_STREQ(operator_name(Operator::semver), "semver");
  EXPECT_STREQ(operator_name(Operator::set_contains), "set_contains");
  EXPECT_STREQ(operator_name(Operator::set_contains_all), "set_contains_all");
  EXPECT_STREQ(operator_name(Operator::set_contains_any), "set_contains_any");
  EXPECT_STREQ(operator_name(Operator::is_set), "is_set");
  EXPECT_STREQ(operator_name(Operator::is_not_set), "is_not_set");
  EXPECT_STREQ(operator_name(Operator::distinct_hosts), "distinct_hosts");
  EXPECT_STREQ(operator_name(Operator::distinct_property), "distinct_property");

  for (const Operator op :
       {Operator::equal, Operator::not_equal, Operator::less, Operator::less_equal,
        Operator::greater, Operator::greater_equal, Operator::regexp, Operator::version,
        Operator::semver, Operator::set_contains, Operator::set_contains_all,
        Operator::set_contains_any, Operator::is_set, Operator::is_not_set,
        Operator::distinct_hosts, Operator::distinct_property}) {
    EXPECT_EQ(parse_operator(operator_name(op)), op) << operator_name(op);
  }
}

// ---- = and != -----------------------------------------------------------------------------------

TEST(Equal, NeedsBothSidesSetAndEqual) {
  for (const char* op : {"=", "==", "is", ""}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check(op, v("linux"), v("linux")));
    EXPECT_TRUE(check(op, v(""), v("")));
    EXPECT_FALSE(check(op, v("linux"), v("Linux")));
    EXPECT_FALSE(check(op, v("linux"), v("linux ")));
    EXPECT_FALSE(check(op, v("1"), v("1.0")));  // strings, not numbers
    EXPECT_FALSE(check(op, kMissing, v("linux")));
    EXPECT_FALSE(check(op, v("linux"), kMissing));
    EXPECT_FALSE(check(op, kMissing, kMissing));
    EXPECT_FALSE(check(op, kMissing, v("")));  // a missing target is not a set empty one here
  }
}

TEST(NotEqual, TreatsMissingAsEmptyString) {
  for (const char* op : {"!=", "not"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check(op, v("linux"), v("windows")));
    EXPECT_FALSE(check(op, v("linux"), v("linux")));
    EXPECT_TRUE(check(op, v("linux"), kMissing));
    EXPECT_TRUE(check(op, kMissing, v("linux")));
    // nomad resolves a missing target to "" and compares with reflect.DeepEqual.
    EXPECT_FALSE(check(op, kMissing, kMissing));
    EXPECT_FALSE(check(op, v(""), kMissing));
    EXPECT_FALSE(check(op, kMissing, v("")));
  }
}

// ---- ordering -----------------------------------------------------------------------------------

TEST(Order, ComparesIntegersNumerically) {
  expect_cases(">", {{"10", "9", true}, {"9", "10", false}, {"-1", "-2", true}, {"+5", "4", true}});
  expect_cases("<", {{"9", "10", true}, {"-10", "2", true}, {"007", "8", true}});
  expect_cases(">=", {{"10", "10", true}, {"010", "10", true}, {"9", "10", false}});
  expect_cases("<=", {{"10", "10", true}, {"11", "10", false}, {"-0", "0", true}});
  // Beyond double precision: compared as int64, not as floats (which would be equal).
  expect_cases(">", {{"9007199254740993", "9007199254740992", true}});
  expect_cases("<", {{"-9223372036854775808", "9223372036854775807", true}});
}

TEST(Order, FallsBackToFloats) {
  expect_cases("<", {{"1.5", "10", true},
                     {"9.5", "10", true},
                     {"2", "2.5", true},
                     {"-0.5", "0", true},
                     {"-0.5", "-1", false},
                     {".5", "1", true},
                     {"1.", "1.5", true}});
  expect_cases(">", {{"1e3", "999", true},
                     {"1E3", "999", true},
                     {"2.5e-1", "0.2", true},
                     {"10", "1.5", true},
                     {"Inf", "1e308", true},
                     {"-inf", "-1e308", false},
                     {"+Infinity", "5", true}});
  expect_cases(">=", {{"1.0", "1", true}, {"0x1p4", "16", true}, {"0X1.8P1", "3", true}});
  expect_cases("<=", {{"0x1p4", "16", true}, {"1_000.5", "1000.5", true}});
  // An integer too large for int64 is still a float.
  expect_cases(">", {{"99999999999999999999", "9e18", true}});
  // Go's underflow is not an error: the value rounds to zero (or a subnormal).
  expect_cases(">=", {{"1e-400", "0", true}, {"0", "1e-400", true}, {"1e-320", "1e-321", true}});
  expect_cases(">", {{"1e-320", "0", true}});
}

TEST(Order, NanIsNeverOrdered) {
  for (const char* op : {"<", "<=", ">", ">="}) {
    SCOPED_TRACE(op);
    EXPECT_FALSE(check(op, v("NaN"), v("1")));
    EXPECT_FALSE(check(op, v("1"), v("nan")));
    EXPECT_FALSE(check(op, v("NaN"), v("NaN")));
  }
}

TEST(Order, FallsBackToByteWiseStrings) {
  expect_cases("<", {{"abc", "abd", true},
                     {"abd", "abc", false},
                     {"ab", "abc", true},
                     {"", "a", true},
                     {"Z", "a", true},
                     {"a", "\xc3\xa9", true},       // bytes compare unsigned
                     {"10", "9a", true},            // "9a" is no number: both compared as strings
                     {"1.2.3", "1.10.0", false}});  // not versions either
  expect_cases(">=", {{"abc", "abc", true}});
  expect_cases("<=", {{"abc", "abc", true}, {"b", "a", false}});
  expect_cases(">", {{"b", "a", true}, {"b", "b", false}});
}

TEST(Order, RejectsWhatGoDoesNotParse) {
  // None of these left sides is a Go number, so they compare as bytes, where the numeric answer
  // would be the opposite.
  expect_cases(">", {{" 50", "10", false},   // no surrounding space in Go numbers
                     {"1e400", "2", false},  // overflow is a range error in Go
                     {"0x10", "9", false},   // hex without a 'p' exponent is not a float
                     {"1__0", "9", false},   // underscores must separate digits
                     {"_1", "9", true}});    // nor lead; '_' (0x5F) sorts after '9'
  expect_cases("<", {{" 50", "10", true},
                     {"1e400", "2", true},
                     {"0x10", "9", true},
                     {"1__0", "9", true},
                     {"+nan", "0", true},        // NaN takes no sign; as NaN this would be false
                     {"-infinit", "-5", false},  // only "inf" and "infinity" are infinite
                     {"1_0", "9", false}});      // but 1_0 is 10 as a Go float
}

TEST(Order, NeedsBothSides) {
  for (const char* op : {"<", "<=", ">", ">="}) {
    SCOPED_TRACE(op);
    EXPECT_FALSE(check(op, kMissing, v("1")));
    EXPECT_FALSE(check(op, v("1"), kMissing));
    EXPECT_FALSE(check(op, kMissing, kMissing));
  }
  EXPECT_TRUE(check("<=", v(""), v("")));  // set but empty is a value like any other
}

// ---- is_set / is_not_set / distinct_* -----------------------------------------------------------

TEST(IsSet, LooksOnlyAtTheLeftSide) {
  EXPECT_TRUE(check("is_set", v("x"), kMissing));
  EXPECT_TRUE(check("is_set", v(""), kMissing));
  EXPECT_TRUE(check("is_set", v("x"), v("anything")));
  EXPECT_FALSE(check("is_set", kMissing, v("x")));
  EXPECT_FALSE(check("is_set", kMissing, kMissing));

  EXPECT_FALSE(check("is_not_set", v("x"), kMissing));
  EXPECT_FALSE(check("is_not_set", v(""), v("")));
  EXPECT_TRUE(check("is_not_set", kMissing, v("x")));
  EXPECT_TRUE(check("is_not_set", kMissing, kMissing));
}

TEST(Distinct, IsAlwaysSatisfiedHere) {
  for (const char* op : {"distinct_hosts", "distinct_property"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check(op, kMissing, kMissing));
    EXPECT_TRUE(check(op, v("a"), v("b")));
    EXPECT_TRUE(check(op, kMissing, v("3")));
  }
}

// ---- regexp -------------------------------------------------------------------------------------

TEST(Regexp, MatchesAnywhereInTheLeftSide) {
  expect_cases("regexp", {{"linux", "linux", true},
                          {"linux", "inu", true},
                          {"freebsd-14.1", "^freebsd", true},
                          {"freebsd-14.1", "^linux", false},
                          {"freebsd-14.1", "1$", true},
                          {"freebsd-14.1", "^14", false},
                          {"i686", "i[3-6]86", true},
                          {"x86_64", "i[3-6]86", false},
                          {"anything", "", true},
                          {"", "^$", true},
                          {"abc", "a.c", true},
                          {"abc", "^(a|x)b+c?$", true}});
}

TEST(Regexp, NeedsBothSides) {
  EXPECT_FALSE(check("regexp", kMissing, v(".*")));
  EXPECT_FALSE(check("regexp", v("x"), kMissing));
  EXPECT_FALSE(check("regexp", kMissing, kMissing));
}

TEST(Regexp, InvalidPatternIsFalseEveryTime) {
  for (const char* pattern : {"(", "[a-", "a)", "*a", "a{2,1}", "\\", "a{1001}"}) {
    SCOPED_TRACE(pattern);
    EXPECT_FALSE(check("regexp", v("a"), v(pattern)));
    EXPECT_FALSE(check("regexp", v("a"), v(pattern)));  // the cached failure stays a failure
  }
}

TEST(Regexp, RejectsWhatGoRejects) {
  // ECMAScript accepts these; Go's RE2 syntax does not, so nomad never matches them.
  EXPECT_FALSE(check("regexp", v("aa"), v("(a)\\1")));     // backreference
  EXPECT_FALSE(check("regexp", v("a\x01"), v("(a)\\1")));  // and not an octal escape either
  EXPECT_FALSE(check("regexp", v("ab"), v("a(?=b)")));     // lookahead
  EXPECT_FALSE(check("regexp", v("ab"), v("a(?!c)")));     // negative lookahead
  EXPECT_FALSE(check("regexp", v("aaa"), v("a**")));       // stacked repetition
  EXPECT_FALSE(check("regexp", v("aaa"), v("a{2}*")));
  EXPECT_FALSE(check("regexp", v("ab"), v("a\\kb")));  // unknown escape
  EXPECT_FALSE(check("regexp", v("a"), v("[[:nope:]]")));
  // And what Go accepts still works.
  EXPECT_TRUE(check("regexp", v("aaa"), v("a*?")));
  EXPECT_TRUE(check("regexp", v("aaa"), v("^a{2,}$")));
  EXPECT_TRUE(check("regexp", v("aaa"), v("^a{1,3}?$")));
}

TEST(Regexp, TranslatesGoSyntax) {
  EXPECT_TRUE(check("regexp", v("Ubuntu"), v("(?i)^ubuntu$")));
  EXPECT_FALSE(check("regexp", v("Ubuntu"), v("^ubuntu$")));
  EXPECT_TRUE(check("regexp", v("ab12"), v("^(?P<word>[a-z]+)(?<num>\\d+)$")));
  EXPECT_TRUE(check("regexp", v("a{b}"), v("^a{b}$")));  // '{' that is no repetition: literal
  EXPECT_TRUE(check("regexp", v("a{"), v("a{$")));
  EXPECT_TRUE(check("regexp", v("]"), v("^[]a]$")));  // ']' first in a class is a literal
  EXPECT_TRUE(check("regexp", v("b"), v("^[^]a]$")));
  EXPECT_FALSE(check("regexp", v("]"), v("^[^]a]$")));
  EXPECT_TRUE(check("regexp", v("a.b"), v("^\\Qa.b\\E$")));
  EXPECT_FALSE(check("regexp", v("axb"), v("^\\Qa.b\\E$")));
  EXPECT_TRUE(check("regexp", v("A"), v("^\\x41$")));
  EXPECT_TRUE(check("regexp", v("A"), v("^\\x{41}$")));
  EXPECT_TRUE(check("regexp", v("A"), v("^\\101$")));  // octal
  EXPECT_TRUE(check("regexp", v("a_1"), v("^[[:word:]]+$")));
  EXPECT_TRUE(check("regexp", v("abc"), v("\\Aabc\\z")));
  EXPECT_TRUE(check("regexp", v("a-b"), v("^a\\-b$")));
  EXPECT_TRUE(check("regexp", v("a-b"), v("^[a\\-]+[b]$")));
}

TEST(Regexp, KeepsGoLineAndSpaceRules) {
  EXPECT_TRUE(check("regexp", v("a\rb"), v("^a.b$")));  // Go's '.' only excludes "\n"
  EXPECT_FALSE(check("regexp", v("a\nb"), v("^a.b$")));
  EXPECT_TRUE(check("regexp", v("a\nb"), v("(?s)^a.b$")));
  EXPECT_FALSE(check("regexp", v("a\n"), v("a$")));  // '$' is the end of the text
  EXPECT_TRUE(check("regexp", v("a\nb"), v("(?m)^b$")));
  EXPECT_FALSE(check("regexp", v("a\vb"), v("a\\sb")));  // Go's \s has no \v
  EXPECT_TRUE(check("regexp", v("a\tb"), v("a\\sb")));
  EXPECT_TRUE(check("regexp", v("a\vb"), v("a\\Sb")));
}

TEST(Regexp, ManyPatternsStayCorrectPastTheCacheBound) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 600; ++i) {
      const std::string n = std::to_string(i);
      ASSERT_TRUE(check("regexp", v("node-" + n), v("^node-" + n + "$"))) << n;
      ASSERT_FALSE(check("regexp", v("node-" + n + "x"), v("^node-" + n + "$"))) << n;
    }
  }
}

// ---- version (hashicorp/go-version) -------------------------------------------------------------

TEST(Version, ChecksRanges) {
  expect_cases("version", {{"1.1.5", ">= 1.0, < 1.2", true},
                           {"1.1.5", "< 1.0, < 1.2", false},
                           {"1.2.0", ">= 1.0, < 1.2", false},
                           {"1.0.0", "= 1.0", true},
                           {"1.1.5", "= 1.0", false},
                           {"1.0.0", "1.0", true},
                           {"1.0.1", "!= 1.0", true},
                           {"1.0.0", "!= 1.0", false},
                           {"2", "> 1.9.9", true},
                           {"8", "> 10", false},  // numbers, not strings
                           {"1.2.3", "<= 1.2.3", true},
                           {"1.2.3", "< 1.2.3", false}});
}

TEST(Version, AcceptsConstraintSpacingVariants) {
  expect_cases("version", {{"1.5", ">=1.2,<2", true},
                           {"1.5", "  >=  1.2 ,\t< 2  ", true},
                           {"1.5", ">= v1.2", true},
                           {"1.5", "=1.5", true},
                           {"1.5", "= 1.5.0", true}});
  // But not what the grammar does not allow.
  expect_cases("version", {{"1.5", "> = 1.2", false},
                           {"1.5", "=> 1.2", false},
                           {"1.5", ">= 1.2,", false},
                           {"1.5", ",>= 1.2", false},
                           {"1.5", "", false},
                           {"1.5", ">= 1.x", false},
                           {"1.5", ">= 1.2 < 2", false},
                           {"1.5", "~ 1.2", false},
                           {"1.5", "11387778780781445675529500000000000000000", false}});
}

TEST(Version, ComparesSegmentsPaddedWithZeros) {
  expect_cases("version", {{"1.2", "= 1.2.0", true},
                           {"1.2.0.0", "= 1.2", true},
                           {"1.2.0.0.1", "> 1.2", true},
                           {"v1.2.3", "= 1.2.3", true},
                           {"1.2.3", "= v1.2.3", true},
                           {"17.03.0-ce", ">= 17.3.0-ce, <= 17.3.0-ce", true},
                           {"1.2.3+build.7", "= 1.2.3", true},
                           {"1.2.3+a", "= 1.2.3+b", true}});
}

TEST(Version, PessimisticOperator) {
  // go-version's own table.
  expect_cases("version", {{"2.0", "~> 1.0", false},
                           {"1.1", "~> 1.0", true},
                           {"1.2.3", "~> 1.0", true},
                           {"1.2.3", "~> 1.0.0", false},
                           {"1.0.7", "~> 1.0.0", true},
                           {"1.1.0", "~> 1.0.0", false},
                           {"1.0.4", "~> 1.0.7", false},
                           {"1.0.7", "~> 1.0.7", true},
                           {"1.0.8", "~> 1.0.7", true},
                           {"1.0.7.5", "~> 1.0.7", true},
                           {"1.0.6.99", "~> 1.0.7", false},
                           {"1.0.8.0", "~> 1.0.7", true},
                           {"1.0.9.5", "~> 1.0.9.5", true},
                           {"1.0.9.4", "~> 1.0.9.5", false},
                           {"1.0.9.6", "~> 1.0.9.5", true},
                           {"1.0.9.5.0", "~> 1.0.9.5", true},
                           {"1.0.9.5.1", "~> 1.0.9.5", true},
                           {"1.0.9", "~> 1.0.9.5", false},  // less specific than the constraint
                           {"2.1.0-beta", "~> 2.0", false},
                           {"2.2.0", "~> 2.1.0-a", false},
                           {"2.1.0", "~> 2.1.0-a", false},
                           {"2.1.0-beta", "~> 2.1.0-a", true},
                           {"2.2.0-alpha", "~> 2.1.0-a", false}});
  // "~> 1.2" is >= 1.2, < 2; "~> 1" is just >= 1.
  expect_cases("version", {{"1.9.9", "~> 1.2", true},
                           {"1.10", "~> 1.2", true},
                           {"1.1.9", "~> 1.2", false},
                           {"2.0", "~> 1.2", false},
                           {"7.3", "~> 1", true},
                           {"0.9", "~> 1", false},
                           {"1.5", "~>1.2, != 1.5", false},
                           {"1.6", "~>1.2, != 1.5", true}});
}

TEST(Version, PrereleaseOnlyMatchesAPrereleaseOfTheSameVersion) {
  // go-version's own table.
  expect_cases("version", {{"2.1.0-beta", "> 2.0", false},
                           {"2.1.0-beta", ">= 2.1.0-a", true},
                           {"2.1.1-beta", ">= 2.1.0-a", false},
                           {"2.1.0-beta", ">= 2.0.0", false},
                           {"2.1.1", ">= 2.1.0-a", true},
                           {"2.1.0", ">= 2.1.0-a", true},
                           {"2.0.0", "<= 2.1.0-a", true}});
  // "=" and "!=" skip the prerelease rule.
  expect_cases("version", {{"1.0.0-beta", "= 1.0.0-beta", true},
                           {"1.0.0-beta", "= 1.0.0", false},
                           {"1.0.0-beta", "!= 1.0.0", true},
                           {"1.0.0-beta", "!= 2.0.0", true},
                           {"1.0.0-beta", "!= 1.0.0-beta", false},
                           {"1.0.0-beta", "< 1.0.0", false},
                           {"1.0.0-beta", "< 1.0.0-rc1", true},
                           {"1.7rc2", "> 1.7rc1", true},
                           {"1.7rc2", "< 1.7", false}});
}

TEST(Version, NeedsAParsableVersionAndBothSides) {
  expect_cases("version", {{"", ">= 0", false},
                           {"linux", ">= 0", false},
                           {" 1.2", ">= 1", false},
                           {"1.2 ", ">= 1", false},
                           {"1.2.", ">= 1", false},
                           {"1..2", ">= 1", false},
                           {"1.2.beta", ">= 1", false},
                           {"99999999999999999999.0", ">= 1", false}});
  EXPECT_FALSE(check("version", kMissing, v(">= 1.0")));
  EXPECT_FALSE(check("version", v("1.0"), kMissing));
  EXPECT_FALSE(check("version", kMissing, kMissing));
}

// ---- semver (nomad's helper/constraints/semver) -------------------------------------------------

TEST(Semver, OrdersPrereleasesWithoutGoVersionsPrereleaseRule) {
  // nomad's own table for its semver constraints.
  expect_cases("semver", {{"1.1.5", ">= 1.0, < 1.2", true},
                          {"1.1.5", "< 1.0, < 1.2", false},
                          {"1.1.5", "= 1.0", false},
                          {"1.0.0", "= 1.0", true},
                          {"1.0.0", "1.0", true},
                          {"8", "> 10", false},
                          {"2.1.0-beta", "> 2.0", true},
                          {"2.1.0-beta", "> 2.1.0-a", true},
                          {"2.1.1-beta", "> 2.1.0-a", true},
                          {"2.1.0-beta", "> 2.0.0", true},
                          {"2.1.1", "> 2.1.0-a", true},
                          {"2.1.0", "> 2.1.0-a", true},
                          {"2.0.0", "<= 2.1.0-a", true},
                          {"1.3.0-beta1", ">= 0.6.1", true},
                          {"1.0-rc1", "> 1.0-beta1", true},
                          {"1.3.0-beta1+ent", ">= 0.6.1", true},
                          {"1.3.0-beta1+ent", ">= 1.3.0-beta1", true},
                          {"1.3.0-beta1+ent", "> 1.3.0-beta1+cgo", false},
                          {"1.3.0-beta1+ent", "= 1.3.0-beta1+cgo", true}});
  // The same left side under `version` is held back by the prerelease rule.
  EXPECT_FALSE(check("version", v("2.1.0-beta"), v("> 2.0")));
}

TEST(Semver, ConstraintGrammarIsGoVersionsSemverForm) {
  // No pessimistic operator, and a prerelease needs its '-'.
  expect_cases("semver", {{"1.2.3", "~> 1.2", false},
                          {"1.0.0-beta1", ">= 1.0beta1", false},
                          {"1.5.0", ">= 1.x", false},
                          {"1.5.0", "", false},
                          {"1.0.0-", ">= 1.0.0-", false},
                          {"1.5.0", "11387778780781445675529500000000000000000", false}});
  // Like nomad, not full semver 2.0 strictness: fewer or more segments, leading zeros and a "v"
  // prefix are accepted in the constraint.
  expect_cases("semver", {{"1.2.0", "= 1.2", true},
                          {"1.2.3.4", "> 1.2.3", true},
                          {"1.2.3", "= 01.02.03", true},
                          {"1.2.3", "= v1.2.3", true}});
  // The left side is read with go-version's lenient parser, as checkVersionMatch does.
  expect_cases("semver", {{"1.7rc2", "> 1.7.0-rc1", true}, {"v1.7", "= 1.7.0", true}});
}

TEST(Semver, NeedsBothSides) {
  EXPECT_FALSE(check("semver", kMissing, v(">= 1.0.0")));
  EXPECT_FALSE(check("semver", v("1.0.0"), kMissing));
  EXPECT_FALSE(check("semver", v("not-a-version"), v(">= 1.0.0")));
}

// ---- compare_versions ---------------------------------------------------------------------------

TEST(CompareVersions, LenientGoVersionOrdering) {
  struct Row {
    const char* a;
    const char* b;
    int expected;
  };
  // From go-version's TestVersionCompare and TestComparePreReleases.
  for (const Row& r : std::vector<Row>{{"1.2.3", "1.4.5", -1},
                                       {"1.2-beta", "1.2-beta", 0},
                                       {"1.2", "1.1.4", 1},
                                       {"1.2", "1.2-beta", 1},
                                       {"1.2+foo", "1.2+beta", 0},
                                       {"v1.2", "v1.2-beta", 1},
                                       {"v1.2.3.4", "v1.2.3.4", 0},
                                       {"v1.2.0.0", "v1.2", 0},
                                       {"v1.2.0.0.1", "v1.2", 1},
                                       {"v1.2", "v1.2.0.0", 0},
                                       {"v1.2", "v1.2.0.0.1", -1},
                                       {"v1.2.3.0", "v1.2.3.4", -1},
                                       {"1.7rc2", "1.7rc1", 1},
                                       {"1.7rc2", "1.7", -1},
                                       {"1.2.0", "1.2.0-X-1.2.0+metadata~dist", 1},
                                       {"1.2-beta.1", "1.2-beta.2", -1},
                                       {"1.2-beta.2", "1.2-beta.11", -1},
                                       {"3.2-alpha.1", "3.2-alpha", 1},
                                       {"1.2-beta", "1.2-alpha.3", 1},
                                       {"3.0-alpha3", "3.0-rc1", -1},
                                       {"v3.2-rc.1-1-g123", "v3.2-rc.2", 1},
                                       {"v1.0.3-", "v1.0.3", -1},
                                       {"1.4.9223372036854775807", "1.4.9223372036854775806", 1},
                                       // go-version quirks, kept on purpose:
                                       {"5.4-alpha", "5.4-alpha.beta", 1},
                                       {"1.2.0.0-beta", "1.2.0", 0}}) {
    EXPECT_EQ(compare_versions(r.a, r.b, false), r.expected) << r.a << " <=> " << r.b;
    EXPECT_EQ(compare_versions(r.b, r.a, false), -r.expected) << r.b << " <=> " << r.a;
  }
}

TEST(CompareVersions, SemverPrecedenceChain) {
  const std::vector<std::string_view> chain = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                               "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                               "1.0.0-rc.1",  "1.0.0",         "1.0.1-0",
                                               "1.0.1",       "1.1.0",         "2.0.0"};
  for (const bool strict : {false, true}) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
      for (std::size_t j = 0; j < chain.size(); ++j) {
        int expected = i < j ? -1 : (i > j ? 1 : 0);
        // go-version's comparePart, which nomad uses for both operators: against a missing
        // identifier only a numeric one is smaller, so "alpha" sorts after "alpha.beta".
        if (chain[i] == "1.0.0-alpha" && chain[j] == "1.0.0-alpha.beta") expected = 1;
        if (chain[i] == "1.0.0-alpha.beta" && chain[j] == "1.0.0-alpha") expected = -1;
        EXPECT_EQ(compare_versions(chain[i], chain[j], strict), expected)
            << chain[i] << " <=> " << chain[j] << (strict ? " (strict)" : "");
      }
    }
  }
}

TEST(CompareVersions, IgnoresBuildMetadata) {
  EXPECT_EQ(compare_versions("1.0.0+20130313144700", "1.0.0", true), 0);
  EXPECT_EQ(compare_versions("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta", true), 0);
  EXPECT_EQ(compare_versions("1.0.0+a", "1.0.0+b", false), 0);
}

TEST(CompareVersions, RejectsWhatGoVersionRejects) {
  for (const char* bad : {"",      "v",        "foo",      "foo1.2.3",  "1.",
                          ".1",    "1..2",     "1.2.beta", "1.21.beta", "\n1.2",
                          "1.2\n", " 1.2",     "1.2 ",     "vv1.2",     "V1.2",
                          "1.2+",  "1.2+a..b", "1.2-a..b", "1.2.3_4",   "99999999999999999999",
                          "-1.2"}) {
    EXPECT_EQ(compare_versions(bad, "1.0.0", false), std::nullopt) << "\"" << bad << "\"";
    EXPECT_EQ(compare_versions("1.0.0", bad, false), std::nullopt) << "\"" << bad << "\"";
    EXPECT_EQ(compare_versions(bad, "1.0.0", true), std::nullopt) << "\"" << bad << "\" (strict)";
  }
  for (const char* good :
       {"1", "1.0", "1.2.3.4", "v1.2.3", "1.2-5", "1.2-beta.5", "1.7rc2", "1.0-",
        "1.2.0-x.Y.0+metadata", "1.2.3-rc1-with-hyphen", "1.2.0-X-1.2.0+metadata~dist", "01.2.3"}) {
    EXPECT_NE(compare_versions(good, "1.0.0", false), std::nullopt) << "\"" << good << "\"";
  }
}

TEST(CompareVersions, StrictIsGoVersionsSemverGrammar) {
  // Strict is what nomad's semver constraints parse with (version.NewSemver): the prerelease
  // needs a '-'. It is not full semver 2.0: segment counts and leading zeros are free.
  for (const char* bad : {"1.7rc2", "v1.7rc2", "1.0-", "1.0~1"}) {
    EXPECT_EQ(compare_versions(bad, "1.0.0", true), std::nullopt) << "\"" << bad << "\"";
    EXPECT_NE(compare_versions(bad, "1.0.0", false), std::nullopt) << "\"" << bad << "\"";
  }
  EXPECT_EQ(compare_versions("1.2", "1.2.0", true), 0);
  EXPECT_EQ(compare_versions("01.2.3", "1.2.3", true), 0);
  EXPECT_EQ(compare_versions("v1.2.3", "1.2.3", true), 0);
  EXPECT_EQ(compare_versions("1.0.0--x", "1.0.0--y", true), -1);
}

// ---- set_contains -------------------------------------------------------------------------------

TEST(SetContains, EveryRightElementMustBeInTheLeftSet) {
  for (const char* op : {"set_contains", "set_contains_all"}) {
    SCOPED_TRACE(op);
    expect_cases(op, {{"a,b,c", "a", true},
                      {"a,b,c", "c,a", true},
                      {"a,b,c", "a,b,c", true},
                      {"a,b,c", "a,d", false},
                      {"a, b ,c", " b,c ", true},
                      {"a,\tb\n", "b", true},
                      {"a,b", "a,", false},  // "" is an element and not in the set
                      {"a,,b", "a,", true},
                      {"", "", true},
                      {"a", "", false},
                      {"ab", "a", false},
                      {"a,b", "A", false},
                      {"a\xc2\xa0,b", "a", true},  // NBSP trimmed, as strings.TrimSpace
                      {"\xe3\x80\x80"
                       "a",
                       "a", true},  // U+3000 too
                      {"b,\xc2\x85"
                       "a",
                       "a", true},              // and a leading NEL
                      {"a\xc2", "a", false}});  // a broken UTF-8 byte is not space
    EXPECT_FALSE(check(op, kMissing, v("a")));
    EXPECT_FALSE(check(op, v("a"), kMissing));
    EXPECT_FALSE(check(op, kMissing, kMissing));
  }
}

TEST(SetContains, AnyRightElementSuffices) {
  expect_cases("set_contains_any", {{"a,b,c", "x,b", true},
                                    {"a,b,c", "x,y", false},
                                    {"a, b ,c", " c ", true},
                                    {"a,b", "x,", false},
                                    {"a,,b", "x,", true},
                                    {"", "", true},
                                    {"a", "A", false}});
  EXPECT_FALSE(check("set_contains_any", kMissing, v("a")));
  EXPECT_FALSE(check("set_contains_any", v("a"), kMissing));
}

TEST(SetContains, LargeSetsGiveTheSameAnswers) {
  std::string left;
  std::string right;
  for (int i = 0; i < 200; ++i) {
    left += (i ? ", " : "") + std::to_string(i);
    if (i % 3 == 0) right += (right.empty() ? "" : " ,") + std::to_string(i);
  }
  EXPECT_TRUE(check("set_contains", v(left), v(right)));
  EXPECT_FALSE(check("set_contains", v(left), v(right + ",200")));
  EXPECT_TRUE(check("set_contains_any", v(left), v("999," + right)));
  EXPECT_FALSE(check("set_contains_any", v(left), v("200,201, 202 ,-1,0x")));
}

}  // namespace
}  // namespace warden::sched
