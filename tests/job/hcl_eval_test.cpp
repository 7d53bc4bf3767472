// The HCL evaluator (lib/job/hcl/eval.cpp) with go-cty's value semantics (convert.cpp,
// number.cpp): operators, conditionals, for expressions, splats, traversals, templates, function
// calls, try/can, nomad's unknown-variable hook, conversions and unification, and the exact
// diagnostics of hashicorp/hcl (see notes/hcl-syntax.md §8-§10).
#include <gtest/gtest.h>

#include <string>

#include "warden/job/hcl/convert.hpp"
#include "warden/job/hcl/eval.hpp"
#include "warden/job/hcl/function.hpp"
#include "warden/job/hcl/parser.hpp"

using namespace warden;
using namespace warden::hcl;

namespace {

// ---- fixtures ---------------------------------------------------------------------------------

Value str(std::string_view s) {
  return Value::string(s);
}
Value num(int64_t n) {
  return Value::number(n);
}

Value strings(std::initializer_list<const char*> xs) {
  std::vector<Value> v;
  for (const char* x : xs) v.push_back(str(x));
  return Value::list(std::move(v), Type::string());
}

Type obj_a_number() {
  return Type::object({{"a", Type::number()}});
}

const FunctionTable& functions() {
  static const FunctionTable table = [] {
    FunctionTable t = standard_library();
    t.add("add2",
          Function{{Param{"a", Type::number()}, Param{"b", Type::number()}},
                   std::nullopt,
                   [](std::span<const Value> a) {
                     return CallResult::ok(Value::number(a[0].as_number() + a[1].as_number()));
                   }});
    t.add("joinall", Function{{Param{"sep", Type::string()}},
                              Param{"parts", Type::string()},
                              [](std::span<const Value> a) {
                                std::string out;
                                for (size_t i = 1; i < a.size(); ++i) {
                                  if (i > 1) out += a[0].as_string();
                                  out += a[i].as_string();
                                }
                                return CallResult::ok(Value::string(out));
                              }});
    t.add("isnull",
          Function{{Param{"v", Type::dynamic(), true}}, std::nullopt, [](std::span<const Value> a) {
                     return CallResult::ok(Value::boolean(a[0].is_null()));
                   }});
    t.add("boom", Function{{}, std::nullopt, [](std::span<const Value>) {
                             return CallResult::fail("kaboom");
                           }});
    t.add("badarg",
          Function{{Param{"x", Type::number()}}, std::nullopt, [](std::span<const Value>) {
                     return CallResult::bad_arg(0, "too big");
                   }});
    return t;
  }();
  return table;
}

// A scope with variables of every kind and the function library.
Scope make_scope() {
  Scope s;
  s.set_functions(&functions());
  s.set("str", str("hello"));
  s.set("num", num(42));
  s.set("lst", strings({"a", "b"}));
  s.set("nums", Value::list({num(1), num(2), num(3)}, Type::number()));
  s.set("objs", Value::list({Value::object({{"a", num(1)}}), Value::object({{"a", num(2)}})},
                            obj_a_number()));
  s.set("objset", Value::set({Value::object({{"a", num(1)}})}, obj_a_number()));
  s.set("set", Value::set({str("b"), str("a"), str("b")}, Type::string()));
  s.set("nset", Value::set({num(10), num(2)}, Type::number()));
  s.set("m", Value::map({{"b", str("y")}, {"a", str("x")}}, Type::string()));
  s.set("nl", Value::null(Type::list(Type::string())));
  s.set("emptyl", Value::list({}, Type::string()));
  s.set("obj", Value::object({{"name", str("web")}, {"port", num(80)}}));
  return s;
}

struct Outcome {
  std::optional<Value> value;
  Diagnostics diags;
};

Outcome run_in(std::string_view src, const Scope& scope) {
  Outcome r;
  ParsedExpression p = parse_expression(src, "test.hcl");
  if (p.diagnostics.has_errors()) {
    ADD_FAILURE() << "parse error in " << src << "\n" << p.diagnostics.format();
    r.diags = p.diagnostics;
    return r;
  }
  r.value = evaluate(p.expr, scope, *p.file, r.diags);
  return r;
}

Outcome run(std::string_view src) {
  static const Scope scope = make_scope();
  return run_in(src, scope);
}

// The value as JSON, or "error: <summary>: <detail>" for the first diagnostic.
std::string json(std::string_view src) {
  Outcome r = run(src);
  if (!r.value) {
    if (r.diags.empty()) return "error: (none)";
    return "error: " + r.diags[0].summary + ": " + r.diags[0].detail;
  }
  return r.value->to_json();
}

Value value_of(std::string_view src) {
  Outcome r = run(src);
  EXPECT_TRUE(r.value.has_value()) << src << "\n" << r.diags.format();
  EXPECT_TRUE(r.diags.empty()) << src << "\n" << r.diags.format();
  return r.value ? *r.value : Value();
}

// The result of a string-valued expression, unquoted.
std::string text(std::string_view src) {
  Value v = value_of(src);
  if (v.is_null() || v.type().kind() != Type::Kind::string) return "<not a string>";
  return v.as_string();
}

// The result of a number-valued expression as text.
std::string number_text(std::string_view src) {
  Value v = value_of(src);
  if (v.is_null() || v.type().kind() != Type::Kind::number) return "<not a number>";
  return v.as_number().to_string();
}

// Exactly one diagnostic, with this summary and subject start.
::testing::AssertionResult fails_with(const Outcome& r, std::string_view summary,
                                      std::string_view detail, uint32_t line, uint32_t col) {
  if (r.value) return ::testing::AssertionFailure() << "evaluated to " << r.value->display();
  if (r.diags.size() != 1)
    return ::testing::AssertionFailure() << r.diags.size() << " diagnostics:\n" << r.diags.format();
  const Diagnostic& d = r.diags[0];
  if (d.summary != summary) return ::testing::AssertionFailure() << "summary: " << d.summary;
  if (d.detail != detail) return ::testing::AssertionFailure() << "detail: " << d.detail;
  if (!d.subject) return ::testing::AssertionFailure() << "no subject";
  if (d.subject->start.line != line || d.subject->start.column != col)
    return ::testing::AssertionFailure()
           << "subject at " << d.subject->start.line << ":" << d.subject->start.column;
  return ::testing::AssertionSuccess();
}

void expect_subject(const Outcome& r, uint32_t c1, uint32_t c2) {
  ASSERT_FALSE(r.diags.empty());
  ASSERT_TRUE(r.diags[0].subject);
  EXPECT_EQ(r.diags[0].subject->start.column, c1);
  EXPECT_EQ(r.diags[0].subject->end.column, c2);
}

// ---- literals ---------------------------------------------------------------------------------

TEST(HclEvalLiterals, Primitives) {
  EXPECT_EQ(json("1"), "1");
  EXPECT_EQ(json("1.5e3"), "1500");
  EXPECT_EQ(json("\"a\""), "\"a\"");
  EXPECT_EQ(json("true"), "true");
  Value n = value_of("null");
  EXPECT_TRUE(n.is_null());
  EXPECT_TRUE(n.type().is_dynamic());
}

TEST(HclEvalLiterals, SixtyDigitNumbersSurvive) {
  const char* pi = "3.14159265358979323846264338327950288419716939937510582097494459";
  EXPECT_EQ(value_of(pi).as_number().to_string(), pi);
  const char* big = "123456789012345678901234567890123456789012345678901234567890";
  EXPECT_EQ(value_of(big).as_number().to_string(), big);
  EXPECT_EQ(text("\"pi=${" + std::string(pi) + "}\""), std::string("pi=") + pi);
}

TEST(HclEvalLiterals, StringsAreNfcNormalized) {
  EXPECT_EQ(text("\"e\\u0301\""), "\u00e9");
  EXPECT_EQ(text("\"e\xCC\x81 ${str}\""), "\u00e9 hello");
  EXPECT_EQ(text("\"\\u00e9\""), "\u00e9");
}

TEST(HclEvalLiterals, CollectionConstructors) {
  EXPECT_EQ(json("[1, \"a\", true, null]"), "[1,\"a\",true,null]");
  Value t = value_of("[1, \"a\"]");
  EXPECT_EQ(t.type().kind(), Type::Kind::tuple);
  Value o = value_of("{b = 1, a = \"x\"}");
  EXPECT_EQ(o.type().kind(), Type::Kind::object);
  EXPECT_EQ(o.to_json(), "{\"a\":\"x\",\"b\":1}");
}

TEST(HclEvalLiterals, HeredocValue) {
  EXPECT_EQ(text("<<-EOT\n    hi ${str}\n      there\n    EOT\n"), "hi hello\n  there\n");
}

// ---- arithmetic -------------------------------------------------------------------------------

TEST(HclEvalArithmetic, BasicOperatorsAndPrecedence) {
  EXPECT_EQ(json("1 + 2 * 3"), "7");
  EXPECT_EQ(json("(1 + 2) * 3"), "9");
  EXPECT_EQ(json("10 / 4"), "2.5");
  EXPECT_EQ(json("10 - 2 - 3"), "5");
  EXPECT_EQ(json("-46 + 5"), "-41");
  EXPECT_EQ(json("- -1"), "1");
  EXPECT_EQ(json("\"2\" + 3"), "5");
  EXPECT_EQ(json("-\"5\""), "-5");
}

TEST(HclEvalArithmetic, ModuloFollowsTheDividend) {
  EXPECT_EQ(json("7 % 3"), "1");
  EXPECT_EQ(json("-7 % 3"), "-1");
  EXPECT_EQ(json("7 % -3"), "1");
  EXPECT_EQ(json("5.5 % 2"), "1.5");
  EXPECT_EQ(json("-5.5 % 2"), "-1.5");
  EXPECT_EQ(json("5 % 0"), "5");
}

TEST(HclEvalArithmetic, FiveHundredTwelveBitPrecision) {
  EXPECT_EQ(json("0.1 + 0.2"), "0.3");
  EXPECT_EQ(json("0.1 + 0.2 == 0.3"), "true");
  EXPECT_EQ(json("9007199254740993.5 * 2"), "18014398509481987");
  EXPECT_EQ(json("4611686018427387904 * 4"), "18446744073709551616");
  EXPECT_EQ(json("10000000000000000000000000000000000000000000000000000000001 - 1"),
            "10000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(number_text("1 / 3"), "0." + std::string(154, '3') + "5");
  EXPECT_EQ(number_text("2 / 3"), "0." + std::string(153, '6') + "7");
  EXPECT_EQ(number_text("1.1 * 1.1"), "1.21" + std::string(151, '0') + "1");
  EXPECT_EQ(text("\"${1 / 3}!\"").size(), 158u);
  EXPECT_EQ(json("10 / 3 * 3"), "10");
}

TEST(HclEvalArithmetic, DivisionByZeroIsInfinite) {
  EXPECT_EQ(text("\"x${1 / 0}\""), "x+Inf");
  EXPECT_EQ(number_text("-1 / 0"), "-Inf");
  EXPECT_EQ(number_text("5 % (1 / 0)"), "+Inf");
}

TEST(HclEvalArithmetic, InvalidOperationsOnZeroAndInfinity) {
  struct Case {
    const char* src;
    const char* detail;
  };
  const Case cases[] = {
      {"0 / 0", "Error during operation: can't divide zero by zero or infinity by infinity."},
      {"(1/0) / (1/0)",
       "Error during operation: can't divide zero by zero or infinity by infinity."},
      {"(1/0) - (1/0)", "Error during operation: can't subtract infinity from itself."},
      {"(1/0) + (-1/0)", "Error during operation: can't compute sum of opposing infinities."},
      {"0 * (1/0)", "Error during operation: can't multiply zero by infinity."},
      {"(1/0) % 0", "Error during operation: can't use modulo with zero and infinity."},
      {"0 % (1/0)", "Error during operation: can't use modulo with zero and infinity."},
  };
  for (const Case& c : cases) {
    Outcome r = run(c.src);
    EXPECT_TRUE(fails_with(r, "Operation failed", c.detail, 1, 1)) << c.src;
  }
  // The subject is the whole operation.
  expect_subject(run("0 / 0"), 1, 6);
}

TEST(HclEvalArithmetic, OperandConversionErrors) {
  Outcome a = run("\"a\" + 1");
  EXPECT_TRUE(fails_with(a, "Invalid operand",
                         "Unsuitable value for left operand: a number is required.", 1, 1));
  expect_subject(a, 1, 4);
  EXPECT_TRUE(fails_with(run("true + 1"), "Invalid operand",
                         "Unsuitable value for left operand: number required.", 1, 1));
  EXPECT_TRUE(fails_with(run("1 + [1]"), "Invalid operand",
                         "Unsuitable value for right operand: number required.", 1, 5));
  EXPECT_TRUE(fails_with(run("-true"), "Invalid operand",
                         "Unsuitable value for unary operand: number required.", 1, 2));
}

TEST(HclEvalArithmetic, BothOperandsAreChecked) {
  Outcome r = run("\"a\" * \"b\"");
  ASSERT_EQ(r.diags.size(), 2u) << r.diags.format();
  EXPECT_EQ(r.diags[0].detail, "Unsuitable value for left operand: a number is required.");
  EXPECT_EQ(r.diags[1].detail, "Unsuitable value for right operand: a number is required.");
}

TEST(HclEvalArithmetic, OperandErrorsAreReportedAfterOperandEvaluationErrors) {
  Outcome r = run("nosuch + \"x\"");
  ASSERT_EQ(r.diags.size(), 2u) << r.diags.format();
  EXPECT_EQ(r.diags[0].summary, "Unknown variable");
  EXPECT_EQ(r.diags[1].detail, "Unsuitable value for right operand: a number is required.");
}

TEST(HclEvalArithmetic, NullOperandsFailTheOperation) {
  Outcome r = run("null + 1");
  EXPECT_TRUE(fails_with(r, "Operation failed",
                         "Error during operation: argument must not be null.", 1, 1));
  expect_subject(r, 1, 9);
  Outcome u = run("-null");
  EXPECT_TRUE(fails_with(u, "Operation failed",
                         "Error during operation: argument must not be null.", 1, 1));
  expect_subject(u, 1, 6);
}

// ---- comparisons and logic --------------------------------------------------------------------

TEST(HclEvalComparison, Ordering) {
  EXPECT_EQ(json("1 < 2"), "true");
  EXPECT_EQ(json("2 <= 2"), "true");
  EXPECT_EQ(json("3 > 4"), "false");
  EXPECT_EQ(json("3 >= 4"), "false");
  EXPECT_EQ(json("\"10\" > 9"), "true");
  EXPECT_EQ(json("0.1 < 0.10000000000000000001"), "true");
}

TEST(HclEvalComparison, ChainedComparisonFailsAtEvaluation) {
  EXPECT_TRUE(fails_with(run("1 < 2 < 3"), "Invalid operand",
                         "Unsuitable value for left operand: number required.", 1, 1));
}

TEST(HclEvalComparison, EqualityAcrossTypes) {
  EXPECT_EQ(json("1 == 1.0"), "true");
  EXPECT_EQ(json("\"1\" == 1"), "false");
  EXPECT_EQ(json("1 != \"1\""), "true");
  EXPECT_EQ(json("null == null"), "true");
  EXPECT_EQ(json("str == null"), "false");
  EXPECT_EQ(json("null != str"), "true");
  EXPECT_EQ(json("nl == null"), "true");
  EXPECT_EQ(json("[1, \"a\"] == [1, \"a\"]"), "true");
  EXPECT_EQ(json("[1] == [\"1\"]"), "false");
  EXPECT_EQ(json("{a = 1} == {a = 1}"), "true");
  EXPECT_EQ(json("{a = 1} == {a = 2}"), "false");
  EXPECT_EQ(json("lst == [\"a\", \"b\"]"), "false");  // list vs tuple: types differ
  EXPECT_EQ(json("true != false"), "true");
}

TEST(HclEvalLogic, OperatorsAndStringConversion) {
  EXPECT_EQ(json("true && false"), "false");
  EXPECT_EQ(json("false || true"), "true");
  EXPECT_EQ(json("\"true\" && true"), "true");
  EXPECT_EQ(json("\"1\" || false"), "true");
  EXPECT_EQ(json("!\"false\""), "true");
  EXPECT_EQ(json("!true || true && false"), "false");
}

TEST(HclEvalLogic, ConversionErrors) {
  EXPECT_TRUE(fails_with(run("1 && true"), "Invalid operand",
                         "Unsuitable value for left operand: bool required.", 1, 1));
  EXPECT_TRUE(fails_with(run("true || \"yes\""), "Invalid operand",
                         "Unsuitable value for right operand: a bool is required.", 1, 9));
  EXPECT_TRUE(fails_with(
      run("\"True\" && true"), "Invalid operand",
      "Unsuitable value for left operand: a bool is required; to convert from string, use "
      "lowercase \"true\".",
      1, 1));
  EXPECT_TRUE(fails_with(
      run("\"FaLsE\" || true"), "Invalid operand",
      "Unsuitable value for left operand: a bool is required; to convert from string, use "
      "lowercase \"false\".",
      1, 1));
}

TEST(HclEvalLogic, NullOperand) {
  Outcome r = run("null && true");
  EXPECT_TRUE(fails_with(r, "Operation failed",
                         "Error during operation: argument must not be null.", 1, 1));
  expect_subject(r, 1, 13);
  EXPECT_TRUE(fails_with(run("!null"), "Operation failed",
                         "Error during operation: argument must not be null.", 1, 1));
}

TEST(HclEvalLogic, NoShortCircuit) {
  // hashicorp/hcl v2.20 (nomad's) evaluates both operands.
  EXPECT_TRUE(fails_with(run("true || nosuch"), "Unknown variable",
                         "There is no variable named \"nosuch\".", 1, 9));
  EXPECT_TRUE(fails_with(run("false && nosuch"), "Unknown variable",
                         "There is no variable named \"nosuch\".", 1, 10));
}

// ---- conditionals -----------------------------------------------------------------------------

TEST(HclEvalConditional, ResultTypesAreUnified) {
  Value s = value_of("true ? 1 : \"a\"");
  EXPECT_EQ(s.type(), Type::string());
  EXPECT_EQ(s.as_string(), "1");
  EXPECT_EQ(json("false ? 1 : \"a\""), "\"a\"");
  Value t = value_of("true ? [1] : [\"a\"]");
  EXPECT_EQ(t.type(), Type::tuple({Type::string()}));
  Value l = value_of("true ? [1] : [1, 2]");
  EXPECT_EQ(l.type(), Type::list(Type::number()));
  EXPECT_EQ(l.to_json(), "[1]");
  Value m = value_of("false ? {a = 1} : {b = 2}");
  EXPECT_EQ(m.type(), Type::map(Type::number()));
  Value o = value_of("true ? {a = 1} : {a = \"x\"}");
  EXPECT_EQ(o.type(), Type::object({{"a", Type::string()}}));
}

TEST(HclEvalConditional, NullArmTakesTheOtherArmsType) {
  Value n = value_of("false ? 1 : null");
  EXPECT_TRUE(n.is_null());
  EXPECT_EQ(n.type(), Type::number());
  EXPECT_EQ(json("true ? null : \"x\""), "null");
  EXPECT_EQ(value_of("true ? null : \"x\"").type(), Type::string());
  EXPECT_EQ(json("true ? lst : null"), "[\"a\",\"b\"]");
}

TEST(HclEvalConditional, InconsistentTypes) {
  const char* prefix = "The true and false result expressions must have consistent types. ";
  struct Case {
    const char* src;
    const char* why;
  };
  const Case cases[] = {
      {"true ? 1 : true", "The 'true' value is number, but the 'false' value is bool."},
      {"true ? {a = 1} : {a = true}",
       "Type mismatch for object attribute \"a\": The 'true' value is number, but the 'false' "
       "value is bool."},
      {"true ? {a = 1} : {b = true}",
       "The 'true' value includes object attribute \"a\", which is absent in the 'false' "
       "value."},
      {"true ? [1] : [true]",
       "Type mismatch for tuple element 0: The 'true' value is number, but the 'false' value is "
       "bool."},
      {"true ? [1] : [true, 2]",
       "The 'true' tuple has length 1, but the 'false' tuple has length 2."},
      {"true ? objs : [for o in objs: {a = true}]",
       "The 'true' value is list of object, but the 'false' value is tuple."},
  };
  for (const Case& c : cases) {
    Outcome r = run(c.src);
    ASSERT_EQ(r.diags.size(), 1u) << c.src << "\n" << r.diags.format();
    EXPECT_EQ(r.diags[0].summary, "Inconsistent conditional result types") << c.src;
    EXPECT_EQ(r.diags[0].detail, std::string(prefix) + c.why) << c.src;
  }
  // The subject spans both results.
  expect_subject(run("true ? 1 : true"), 8, 16);
}

TEST(HclEvalConditional, TypesAreCheckedBeforeTheCondition) {
  Outcome r = run("nosuch ? 1 : true");
  ASSERT_EQ(r.diags.size(), 1u) << r.diags.format();
  EXPECT_EQ(r.diags[0].summary, "Inconsistent conditional result types");
}

TEST(HclEvalConditional, ConditionErrors) {
  Outcome n = run("null ? 1 : 2");
  EXPECT_TRUE(fails_with(n, "Null condition",
                         "The condition value is null. Conditions must either be true or false.", 1,
                         1));
  expect_subject(n, 1, 5);
  EXPECT_TRUE(fails_with(run("\"yes\" ? 1 : 2"), "Incorrect condition type",
                         "The condition expression must be of type bool.", 1, 1));
  EXPECT_TRUE(fails_with(run("1 ? 1 : 2"), "Incorrect condition type",
                         "The condition expression must be of type bool.", 1, 1));
  EXPECT_EQ(json("\"true\" ? 1 : 2"), "1");
  EXPECT_EQ(json("\"0\" ? 1 : 2"), "2");
}

TEST(HclEvalConditional, OnlyTheChosenArmsErrorsCount) {
  EXPECT_EQ(json("false ? nosuch : 2"), "2");
  EXPECT_EQ(json("true ? 1 : [][0]"), "1");
  EXPECT_TRUE(fails_with(run("true ? nosuch : 2"), "Unknown variable",
                         "There is no variable named \"nosuch\".", 1, 8));
}

// ---- for expressions --------------------------------------------------------------------------

TEST(HclEvalFor, Tuples) {
  EXPECT_EQ(json("[for x in [1, 2, 3]: x * 2]"), "[2,4,6]");
  EXPECT_EQ(json("[for i, x in lst: \"${i}=${x}\"]"), "[\"0=a\",\"1=b\"]");
  EXPECT_EQ(json("[for x in nums: x if x % 2 == 1]"), "[1,3]");
  EXPECT_EQ(json("[for x in []: x]"), "[]");
  EXPECT_EQ(value_of("[for x in lst: x]").type().kind(), Type::Kind::tuple);
}

TEST(HclEvalFor, MapsAndObjectsIterateInKeyOrder) {
  EXPECT_EQ(json("[for k, v in m: \"${k}=${v}\"]"), "[\"a=x\",\"b=y\"]");
  EXPECT_EQ(json("[for k, v in {b = 1, a = 2, c = 0}: k]"), "[\"a\",\"b\",\"c\"]");
  EXPECT_EQ(json("[for v in {b = 1, a = 2}: v]"), "[2,1]");
}

TEST(HclEvalFor, SetsIterateInValueOrderWithKeyEqualToValue) {
  EXPECT_EQ(json("[for x in set: x]"), "[\"a\",\"b\"]");
  EXPECT_EQ(json("[for k, v in set: k == v]"), "[true,true]");
  EXPECT_EQ(json("[for x in nset: x]"), "[2,10]");
}

TEST(HclEvalFor, Objects) {
  EXPECT_EQ(json("{for k, v in m: v => k}"), "{\"x\":\"a\",\"y\":\"b\"}");
  EXPECT_EQ(json("{for o in objs: o.a => o}"), "{\"1\":{\"a\":1},\"2\":{\"a\":2}}");
  EXPECT_EQ(value_of("{for k, v in m: k => v}").type().kind(), Type::Kind::object);
  EXPECT_EQ(json("{for k, v in m: k => v if k != \"a\"}"), "{\"b\":\"y\"}");
}

TEST(HclEvalFor, GroupingCollectsValuesInIterationOrder) {
  EXPECT_EQ(json("{for i, x in [\"a\", \"b\", \"a\"]: x => i...}"), "{\"a\":[0,2],\"b\":[1]}");
}

TEST(HclEvalFor, DuplicateKeys) {
  Outcome r = run("{for x in [\"a\", \"a\"]: x => 1}");
  EXPECT_TRUE(fails_with(r, "Duplicate object key",
                         "Two different items produced the key \"a\" in this 'for' expression. "
                         "If duplicates are expected, use the ellipsis (...) after the value "
                         "expression to enable grouping by key.",
                         1, 23));
}

TEST(HclEvalFor, IteratorVariablesShadowOuterOnes) {
  EXPECT_EQ(json("[for str in [1]: str]"), "[1]");
  EXPECT_EQ(json("[for x in [1]: str]"), "[\"hello\"]");
}

TEST(HclEvalFor, CollectionErrors) {
  Outcome n = run("[for x in null: x]");
  EXPECT_TRUE(fails_with(n, "Iteration over null value",
                         "A null value cannot be used as the collection in a 'for' expression.", 1,
                         11));
  EXPECT_TRUE(fails_with(run("[for x in 1: x]"), "Iteration over non-iterable value",
                         "A value of type number cannot be used as the collection in a 'for' "
                         "expression.",
                         1, 11));
  EXPECT_TRUE(fails_with(run("[for x in str: x]"), "Iteration over non-iterable value",
                         "A value of type string cannot be used as the collection in a 'for' "
                         "expression.",
                         1, 11));
}

TEST(HclEvalFor, ConditionErrors) {
  EXPECT_TRUE(fails_with(run("[for x in [1]: x if null]"), "Condition is null",
                         "The value of the 'if' clause must not be null.", 1, 21));
  // Checked once before iterating, so even an empty collection reports it.
  EXPECT_TRUE(fails_with(run("[for x in []: x if \"maybe\"]"), "Invalid 'for' condition",
                         "The 'if' clause value is invalid: a bool is required.", 1, 20));
  EXPECT_TRUE(fails_with(run("[for x in [1]: x if x]"), "Invalid 'for' condition",
                         "The 'if' clause value is invalid: bool required.", 1, 21));
  EXPECT_TRUE(fails_with(run("[for x in [null]: x if x]"), "Invalid 'for' condition",
                         "The value of the 'if' clause must not be null.", 1, 24));
}

TEST(HclEvalFor, KeyErrors) {
  EXPECT_TRUE(fails_with(run("{for x in [null]: x => 1}"), "Invalid object key",
                         "Key expression in 'for' expression must not produce a null value.", 1,
                         19));
  EXPECT_TRUE(fails_with(run("{for x in [[1]]: x => 1}"), "Invalid object key",
                         "The key expression produced an invalid result: string required.", 1, 18));
}

TEST(HclEvalFor, TemplateDirectives) {
  EXPECT_EQ(text("\"%{ for x in nums }${x},%{ endfor }\""), "1,2,3,");
  EXPECT_EQ(text("\"%{ for k, v in m }${k}:${v} %{ endfor }\""), "a:x b:y ");
  EXPECT_EQ(text("\"%{ if num > 1 }big%{ else }small%{ endif }\""), "big");
  EXPECT_EQ(text("\"%{ if false }x%{ endif }\""), "");
  EXPECT_EQ(text("<<EOT\n%{ for x in lst ~}\n- ${x}\n%{ endfor ~}\nEOT\n"), "- a\n- b\n");
  EXPECT_TRUE(fails_with(run("\"%{ if 1 }a%{ endif }\""), "Incorrect condition type",
                         "The condition expression must be of type bool.", 1, 8));
}

// ---- splats -----------------------------------------------------------------------------------

TEST(HclEvalSplat, OverTuplesAndLists) {
  EXPECT_EQ(json("[{a = 1}, {a = 2}][*].a"), "[1,2]");
  EXPECT_EQ(value_of("[{a = 1}, {a = 2}][*].a").type().kind(), Type::Kind::tuple);
  Value l = value_of("objs[*].a");
  EXPECT_EQ(l.type(), Type::list(Type::number()));
  EXPECT_EQ(l.to_json(), "[1,2]");
  EXPECT_EQ(json("objs.*.a"), "[1,2]");
  EXPECT_EQ(json("objset[*].a"), "[1]");
  EXPECT_EQ(value_of("emptyl[*]").type().kind(), Type::Kind::list);
}

TEST(HclEvalSplat, NullAndNonSequences) {
  EXPECT_EQ(json("null[*]"), "[]");
  EXPECT_EQ(json("obj[*].name"), "[\"web\"]");
  EXPECT_EQ(json("str[*]"), "[\"hello\"]");
  EXPECT_EQ(json("m[*].a"), "[\"x\"]");
  Outcome r = run("nl[*]");
  EXPECT_TRUE(fails_with(r, "Splat of null value",
                         "Splat expressions (with the * symbol) cannot be applied to null "
                         "sequences.",
                         1, 1));
  expect_subject(r, 1, 3);
}

TEST(HclEvalSplat, FollowingStepsBindDifferently) {
  // [*] applies everything after it to each element; .* only attribute steps.
  EXPECT_EQ(json("[{a = [1, 2]}, {a = [3]}][*].a[0]"), "[1,3]");
  EXPECT_EQ(json("[{a = [1, 2]}, {a = [3]}].*.a[0]"), "[1,2]");
  EXPECT_EQ(json("[[1, 2], [3]][*][0]"), "[1,3]");
  EXPECT_EQ(json("[{a = {b = 1}}].*.a.b"), "[1]");
  EXPECT_EQ(json("[[1, 2]].*.0"), "[1]");
}

TEST(HclEvalSplat, ErrorsInEachElement) {
  Outcome r = run("[{a = 1}, {b = 2}][*].a");
  EXPECT_TRUE(fails_with(r, "Unsupported attribute",
                         "This object does not have an attribute named \"a\".", 1, 22));
}

// ---- traversals, attributes and indexes -------------------------------------------------------

TEST(HclEvalTraversal, Access) {
  EXPECT_EQ(json("obj.name"), "\"web\"");
  EXPECT_EQ(json("m.a"), "\"x\"");
  EXPECT_EQ(json("m[\"b\"]"), "\"y\"");
  EXPECT_EQ(json("lst[1]"), "\"b\"");
  EXPECT_EQ(json("lst.1"), "\"b\"");
  EXPECT_EQ(json("lst[\"1\"]"), "\"b\"");
  EXPECT_EQ(json("[10, 20][num - 41]"), "20");
  EXPECT_EQ(json("{a = 1}[\"a\"]"), "1");
  EXPECT_EQ(json("objs[1].a"), "2");
  EXPECT_EQ(json("(obj).port"), "80");
}

TEST(HclEvalTraversal, AttributeErrors) {
  struct Case {
    const char* src;
    const char* summary;
    const char* detail;
    uint32_t col;
  };
  const Case cases[] = {
      {"null.a", "Attempt to get attribute from null value",
       "This value is null, so it does not have any attributes.", 5},
      {"obj.nope", "Unsupported attribute",
       "This object does not have an attribute named \"nope\".", 4},
      {"m.c", "Missing map element", "This map does not have an element with the key \"c\".", 2},
      {"objs.a", "Unsupported attribute",
       "Can't access attributes on a list of objects. Did you mean to access attribute \"a\" for "
       "a specific element of the list, or across all elements of the list?",
       5},
      {"objs.b", "Unsupported attribute",
       "Can't access attributes on a list of objects. Did you mean to access an attribute for a "
       "specific element of the list, or across all elements of the list?",
       5},
      {"objset.a", "Unsupported attribute",
       "Can't access attributes on a set of objects. Did you mean to access an attribute across "
       "all elements of the set?",
       7},
      {"str.a", "Unsupported attribute",
       "Can't access attributes on a primitive-typed value (string).", 4},
      {"num.a", "Unsupported attribute",
       "Can't access attributes on a primitive-typed value (number).", 4},
      {"lst.a", "Unsupported attribute", "This value does not have any attributes.", 4},
      {"[1].a", "Unsupported attribute", "This value does not have any attributes.", 4},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(fails_with(run(c.src), c.summary, c.detail, 1, c.col)) << c.src;
  }
  expect_subject(run("obj.nope"), 4, 9);
}

TEST(HclEvalTraversal, IndexErrors) {
  const std::string base = "The given key does not identify an element in this collection value";
  struct Case {
    const char* src;
    std::string summary;
    std::string detail;
    uint32_t col;
  };
  const Case cases[] = {
      {"null[0]", "Attempt to index null value",
       "This value is null, so it does not have any indices.", 5},
      {"lst[null]", "Invalid index", "Can't use a null value as an indexing key.", 4},
      {"lst[1.5]", "Invalid index",
       base + ": indexing a sequence requires a whole number, but the given index has a "
              "fractional part.",
       4},
      {"lst[-1]", "Invalid index",
       base + ": a negative number is not a valid index for a sequence.", 4},
      {"lst[2]", "Invalid index",
       base + ": the given index is greater than or equal to the length of the collection.", 4},
      {"emptyl[0]", "Invalid index", base + ": the collection has no elements.", 7},
      {"[][0]", "Invalid index", base + ": the collection has no elements.", 3},
      {"lst[\"x\"]", "Invalid index", base + ": a number is required.", 4},
      {"lst[[0]]", "Invalid index", base + ": number required.", 4},
      {"m[\"c\"]", "Invalid index", base + ".", 2},
      {"obj[\"c\"]", "Invalid index", base + ".", 4},
      {"obj[0]", "Invalid index",
       base + ". An object only supports looking up attributes by name, not by numeric index.", 4},
      {"set[0]", "Invalid index",
       "Elements of a set are identified only by their value and don't have any separate index "
       "or key to select with, so it's only possible to perform operations across all elements "
       "of the set.",
       4},
      {"str[0]", "Invalid index", "This value does not have any indices.", 4},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(fails_with(run(c.src), c.summary, c.detail, 1, c.col)) << c.src;
  }
  // The subject is the bracketed key.
  expect_subject(run("lst[num]"), 4, 9);
}

TEST(HclEvalTraversal, MapsAcceptNumberKeys) {
  Scope s = make_scope();
  s.set("nm", Value::map({{"1", str("one")}}, Type::string()));
  Outcome r = run_in("nm[1]", s);
  ASSERT_TRUE(r.value) << r.diags.format();
  EXPECT_EQ(r.value->as_string(), "one");
}

// ---- object constructor keys ------------------------------------------------------------------

TEST(HclEvalObjectKeys, Forms) {
  EXPECT_EQ(json("{str = 1}"), "{\"str\":1}");
  EXPECT_EQ(json("{(str) = 1}"), "{\"hello\":1}");
  EXPECT_EQ(json("{\"${str}\" = 1}"), "{\"hello\":1}");
  EXPECT_EQ(json("{true = 1, null = 2, false = 3}"), "{\"false\":3,\"null\":2,\"true\":1}");
  EXPECT_EQ(json("{1 = \"a\", 2.5 = \"b\"}"), "{\"1\":\"a\",\"2.5\":\"b\"}");
  EXPECT_EQ(json("{a = 1, a = 2}"), "{\"a\":2}");
  EXPECT_EQ(json("{a: 1}"), "{\"a\":1}");
}

TEST(HclEvalObjectKeys, Errors) {
  Outcome amb = run("{a.b = 1}");
  EXPECT_TRUE(fails_with(amb, "Ambiguous attribute key",
                         "If this expression is intended to be a reference, wrap it in "
                         "parentheses. If it's instead intended as a literal name containing "
                         "periods, wrap it in quotes to create a string literal.",
                         1, 2));
  expect_subject(amb, 2, 5);
  EXPECT_EQ(json("{(obj.name) = 1}"), "{\"web\":1}");
  // A null key reports the value's range, as hashicorp/hcl does.
  Outcome n = run("{(null) = 1}");
  EXPECT_TRUE(fails_with(n, "Null value as key", "Can't use a null value as a key.", 1, 11));
  Outcome t = run("{([1]) = 1}");
  EXPECT_TRUE(
      fails_with(t, "Incorrect key type", "Can't use this value as a key: string required.", 1, 2));
}

// ---- templates --------------------------------------------------------------------------------

TEST(HclEvalTemplate, Interpolation) {
  EXPECT_EQ(text("\"n=${num}, f=${1.50}, b=${true}\""), "n=42, f=1.5, b=true");
  EXPECT_EQ(text("\"${str}-${upper(str)}\""), "hello-HELLO");
  EXPECT_EQ(text("\"$${literal} %%{x}\""), "${literal} %{x}");
}

TEST(HclEvalTemplate, SingleInterpolationKeepsItsType) {
  Value l = value_of("\"${lst}\"");
  EXPECT_EQ(l.type(), Type::list(Type::string()));
  Value n = value_of("\"${num}\"");
  EXPECT_EQ(n.type(), Type::number());
  Value z = value_of("\"${null}\"");
  EXPECT_TRUE(z.is_null());
  EXPECT_EQ(value_of("\"${num} \"").type(), Type::string());
}

TEST(HclEvalTemplate, NullAndNonStringInterpolations) {
  Outcome n = run("\"a${null}\"");
  EXPECT_TRUE(fails_with(n, "Invalid template interpolation value",
                         "The expression result is null. Cannot include a null value in a string "
                         "template.",
                         1, 5));
  expect_subject(n, 5, 9);
  EXPECT_TRUE(fails_with(run("\"a${lst}\""), "Invalid template interpolation value",
                         "Cannot include the given value in a string template: string required.", 1,
                         5));
  EXPECT_TRUE(fails_with(run("\"a${obj}\""), "Invalid template interpolation value",
                         "Cannot include the given value in a string template: string required.", 1,
                         5));
}

TEST(HclEvalTemplate, ParseTemplateEvaluates) {
  ParsedExpression p = parse_template("Hi ${str}!\n%{ for x in lst }* ${x}\n%{ endfor }", "t.tpl");
  ASSERT_TRUE(p.diagnostics.empty()) << p.diagnostics.format();
  Diagnostics d;
  Scope s = make_scope();
  auto v = evaluate(p.expr, s, *p.file, d);
  ASSERT_TRUE(v) << d.format();
  EXPECT_EQ(v->as_string(), "Hi hello!\n* a\n* b\n");
}

// ---- function calls ---------------------------------------------------------------------------

TEST(HclEvalFunctions, Calls) {
  EXPECT_EQ(json("add2(1, 2)"), "3");
  EXPECT_EQ(json("add2(\"5\", 1)"), "6");
  EXPECT_EQ(json("joinall(\",\")"), "\"\"");
  EXPECT_EQ(json("joinall(\"-\", \"a\", \"b\", 3)"), "\"a-b-3\"");
  EXPECT_EQ(json("isnull(null)"), "true");
  EXPECT_EQ(json("upper(str)"), "\"HELLO\"");
}

TEST(HclEvalFunctions, ExpandingTheLastArgument) {
  EXPECT_EQ(json("add2([1, 2]...)"), "3");
  EXPECT_EQ(json("add2(1, [2]...)"), "3");
  EXPECT_EQ(json("joinall(\",\", lst...)"), "\"a,b\"");
  EXPECT_EQ(json("joinall(\",\", set...)"), "\"a,b\"");
  Outcome n = run("add2(null...)");
  EXPECT_TRUE(fails_with(n, "Invalid expanding argument value",
                         "The expanding argument (indicated by ...) must not be null.", 1, 6));
  EXPECT_TRUE(fails_with(run("add2(nl...)"), "Invalid expanding argument value",
                         "The expanding argument (indicated by ...) must not be null.", 1, 6));
  EXPECT_TRUE(fails_with(run("add2(1, str...)"), "Invalid expanding argument value",
                         "The expanding argument (indicated by ...) must be of a tuple, list, or "
                         "set type.",
                         1, 9));
  EXPECT_TRUE(fails_with(run("add2([1]...)"), "Not enough function arguments",
                         "Function \"add2\" expects 2 argument(s). Missing value for \"b\".", 1,
                         12));
}

TEST(HclEvalFunctions, ArgumentCountErrors) {
  Outcome few = run("add2(1)");
  EXPECT_TRUE(fails_with(few, "Not enough function arguments",
                         "Function \"add2\" expects 2 argument(s). Missing value for \"b\".", 1,
                         7));
  EXPECT_TRUE(fails_with(run("joinall()"), "Not enough function arguments",
                         "Function \"joinall\" expects at least 1 argument(s). Missing value for "
                         "\"sep\".",
                         1, 9));
  Outcome many = run("add2(1, 2, [3])");
  EXPECT_TRUE(fails_with(many, "Too many function arguments",
                         "Function \"add2\" expects only 2 argument(s).", 1, 12));
  expect_subject(many, 12, 13);  // the start of the first extra argument
}

TEST(HclEvalFunctions, ArgumentCountIsCheckedBeforeArgumentsAreEvaluated) {
  EXPECT_TRUE(fails_with(run("add2(nosuch)"), "Not enough function arguments",
                         "Function \"add2\" expects 2 argument(s). Missing value for \"b\".", 1,
                         12));
}

TEST(HclEvalFunctions, ArgumentTypeErrors) {
  // The subject is the start of the argument: the text inside the quotes, the "[", ...
  Outcome s = run("add2(\"x\", 1)");
  EXPECT_TRUE(fails_with(s, "Invalid function argument",
                         "Invalid value for \"a\" parameter: a number is required.", 1, 7));
  expect_subject(s, 7, 8);
  Outcome t = run("add2(1, [2])");
  EXPECT_TRUE(fails_with(t, "Invalid function argument",
                         "Invalid value for \"b\" parameter: number required.", 1, 9));
  expect_subject(t, 9, 10);
  Outcome u = run("add2(-true, 1)");
  ASSERT_FALSE(u.value);
  EXPECT_EQ(u.diags[0].summary, "Invalid operand");
  Outcome v = run("add2(true ? \"x\" : \"y\", 1)");
  EXPECT_TRUE(fails_with(v, "Invalid function argument",
                         "Invalid value for \"a\" parameter: a number is required.", 1, 6));
  expect_subject(v, 6, 10);
  Outcome n = run("add2(null, 1)");
  EXPECT_TRUE(fails_with(n, "Invalid function argument",
                         "Invalid value for \"a\" parameter: argument must not be null.", 1, 6));
  Outcome vp = run("joinall(\",\", \"a\", [1])");
  EXPECT_TRUE(fails_with(vp, "Invalid function argument",
                         "Invalid value for \"parts\" parameter: string required.", 1, 19));
}

TEST(HclEvalFunctions, EveryBadArgumentIsReported) {
  Outcome r = run("add2(\"x\", \"y\")");
  ASSERT_EQ(r.diags.size(), 2u) << r.diags.format();
  EXPECT_EQ(r.diags[1].detail, "Invalid value for \"b\" parameter: a number is required.");
}

TEST(HclEvalFunctions, ErrorsFromTheImplementation) {
  Outcome b = run("boom()");
  EXPECT_TRUE(
      fails_with(b, "Error in function call", "Call to function \"boom\" failed: kaboom.", 1, 1));
  expect_subject(b, 1, 6);
  Outcome a = run("badarg(1)");
  EXPECT_TRUE(fails_with(a, "Invalid function argument",
                         "Invalid value for \"x\" parameter: too big.", 1, 8));
}

TEST(HclEvalFunctions, UnknownFunction) {
  Outcome r = run("uppr(str)");
  EXPECT_TRUE(fails_with(r, "Call to unknown function",
                         "There is no function named \"uppr\". Did you mean \"upper\"?", 1, 1));
  expect_subject(r, 1, 5);
  EXPECT_TRUE(fails_with(run("zzzzzz()"), "Call to unknown function",
                         "There is no function named \"zzzzzz\".", 1, 1));
}

TEST(HclEvalFunctions, NoFunctionsInScope) {
  Scope s;
  s.set("x", num(1));
  Outcome r = run_in("upper(\"a\")", s);
  EXPECT_TRUE(
      fails_with(r, "Function calls not allowed", "Functions may not be called here.", 1, 1));
  expect_subject(r, 1, 11);
}

// ---- try and can ------------------------------------------------------------------------------

TEST(HclEvalTry, FirstSuccessWins) {
  EXPECT_EQ(json("try(nosuch, \"fallback\")"), "\"fallback\"");
  EXPECT_EQ(json("try(1, nosuch)"), "1");
  EXPECT_EQ(json("try(lst[5], lst[0])"), "\"a\"");
  EXPECT_EQ(json("try(null, 1)"), "null");
  EXPECT_EQ(json("try(obj.nope, obj.name)"), "\"web\"");
}

TEST(HclEvalTry, AllFail) {
  Outcome r = run("try(nosuch_a, nosuch_b)");
  EXPECT_TRUE(fails_with(r, "Error in function call",
                         "Call to function \"try\" failed: no expression succeeded:\n"
                         "- Unknown variable (at test.hcl:1,5-13)\n"
                         "  There is no variable named \"nosuch_a\".\n"
                         "- Unknown variable (at test.hcl:1,15-23)\n"
                         "  There is no variable named \"nosuch_b\".\n"
                         "\n"
                         "At least one expression must produce a successful result.",
                         1, 1));
  expect_subject(r, 1, 5);
  EXPECT_TRUE(fails_with(run("try()"), "Error in function call",
                         "Call to function \"try\" failed: at least one argument is required.", 1,
                         1));
}

TEST(HclEvalTry, Can) {
  EXPECT_EQ(json("can(nosuch)"), "false");
  EXPECT_EQ(json("can(str)"), "true");
  EXPECT_EQ(json("can(lst[5])"), "false");
  EXPECT_EQ(json("can(1 + \"a\")"), "false");
  EXPECT_EQ(json("[for x in [0, 9]: can(lst[x])]"), "[true,false]");
  EXPECT_TRUE(fails_with(run("can()"), "Not enough function arguments",
                         "Function \"can\" expects 1 argument(s). Missing value for "
                         "\"expression\".",
                         1, 5));
  EXPECT_TRUE(fails_with(run("can(1, 2)"), "Too many function arguments",
                         "Function \"can\" expects only 1 argument(s).", 1, 8));
}

TEST(HclEvalTry, InsideSplat) {
  EXPECT_EQ(json("[for o in [{a = 1}, {b = 2}]: try(o.a, 0)]"), "[1,0]");
}

// ---- variables and nomad's unknown-variable hook ----------------------------------------------

TEST(HclEvalVariables, NotAllowedVersusUnknown) {
  Scope empty;
  Outcome r = run_in("x", empty);
  EXPECT_TRUE(fails_with(r, "Variables not allowed", "Variables may not be used here.", 1, 1));
  expect_subject(r, 1, 2);

  Outcome u = run("nosuch.attr");
  EXPECT_TRUE(fails_with(u, "Unknown variable", "There is no variable named \"nosuch\".", 1, 1));
  expect_subject(u, 1, 7);  // the root name only
}

TEST(HclEvalVariables, ForIteratorsMakeAVariableScope) {
  Scope empty;
  Outcome r = run_in("[for x in [1]: y]", empty);
  EXPECT_TRUE(fails_with(r, "Unknown variable", "There is no variable named \"y\".", 1, 16));
}

Scope nomad_scope() {
  Scope s;
  s.set_functions(&functions());
  s.set("known", str("k"));
  s.set_unknown_variable([](std::string_view source) -> std::optional<Value> {
    return Value::string("${" + std::string(source) + "}");
  });
  return s;
}

TEST(HclEvalVariables, UnknownVariableHookGetsTheWholeTraversal) {
  Scope s = nomad_scope();
  auto eval = [&](std::string_view src) {
    Outcome r = run_in(src, s);
    EXPECT_TRUE(r.value) << src << "\n" << r.diags.format();
    return r.value ? r.value->as_string() : std::string();
  };
  EXPECT_EQ(eval("attr.kernel.name"), "${attr.kernel.name}");
  EXPECT_EQ(eval("\"x-${node.unique.name}-y\""), "x-${node.unique.name}-y");
  EXPECT_EQ(eval("meta[\"rack\"]"), "${meta[\"rack\"]}");
  EXPECT_EQ(eval("NOMAD_PORT_http"), "${NOMAD_PORT_http}");
  EXPECT_EQ(eval("known"), "k");
  EXPECT_EQ(eval("upper(attr.os)"), "${ATTR.OS}");
}

TEST(HclEvalVariables, HookMayDecline) {
  Scope s;
  s.set_unknown_variable([](std::string_view) -> std::optional<Value> { return std::nullopt; });
  Outcome r = run_in("x.y", s);
  EXPECT_TRUE(fails_with(r, "Unknown variable", "There is no variable named \"x\".", 1, 1));
}

TEST(HclEvalVariables, ChildScopesSeeParents) {
  Scope parent;
  parent.set("a", num(1));
  Scope child(&parent);
  child.set("b", num(2));
  Outcome r = run_in("a + b", child);
  ASSERT_TRUE(r.value) << r.diags.format();
  EXPECT_EQ(r.value->to_json(), "3");
}

TEST(HclEvalVariables, References) {
  ParsedExpression p = parse_expression("var.a + local.b[0] + [for x in c: x + d]", "test.hcl");
  ASSERT_TRUE(p.diagnostics.empty());
  auto refs = references(p.expr);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0].root, "var");
  EXPECT_EQ(refs[0].attr, "a");
  EXPECT_EQ(refs[1].root, "local");
  EXPECT_EQ(refs[2].root, "c");
  EXPECT_EQ(refs[3].root, "d");
}

TEST(HclEvalErrors, SyntaxErrorPlaceholdersDoNotAddDiagnostics) {
  ParsedExpression p = parse_expression("1 +", "test.hcl");
  ASSERT_TRUE(p.diagnostics.has_errors());
  Diagnostics d;
  Scope s = make_scope();
  auto v = evaluate(p.expr, s, *p.file, d);
  EXPECT_FALSE(v);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Invalid expression");
}

// ---- convert ----------------------------------------------------------------------------------

ConvertResult conv(const Value& v, const Type& t) {
  return convert(v, t);
}

Value tuple(std::vector<Value> v) {
  return Value::tuple(std::move(v));
}

TEST(HclConvert, PrimitiveToString) {
  EXPECT_EQ(conv(num(5), Type::string()).value.as_string(), "5");
  EXPECT_EQ(conv(Value::number(*Number::parse("1.50")), Type::string()).value.as_string(), "1.5");
  EXPECT_EQ(conv(Value::boolean(true), Type::string()).value.as_string(), "true");
}

TEST(HclConvert, StringToNumber) {
  EXPECT_EQ(conv(str("12.5"), Type::number()).value.to_json(), "12.5");
  EXPECT_EQ(conv(str("-1e3"), Type::number()).value.to_json(), "-1000");
  EXPECT_EQ(conv(str("+7"), Type::number()).value.to_json(), "7");
  for (const char* bad : {"abc", " 1", "1 ", "0x10", "", "1_000", "NaN"}) {
    auto r = conv(str(bad), Type::number());
    EXPECT_EQ(r.error, "a number is required") << bad;
  }
  for (const char* inf : {"Inf", "inf", "+Inf", "-inf"}) {
    auto r = conv(str(inf), Type::number());
    ASSERT_TRUE(r.ok()) << inf;
    EXPECT_TRUE(r.value.as_number().is_infinite()) << inf;
    EXPECT_EQ(r.value.as_number().sign(), inf[0] == '-' ? -1 : 1);
  }
}

TEST(HclConvert, StringToBool) {
  EXPECT_TRUE(conv(str("true"), Type::boolean()).value.as_bool());
  EXPECT_TRUE(conv(str("1"), Type::boolean()).value.as_bool());
  EXPECT_FALSE(conv(str("false"), Type::boolean()).value.as_bool());
  EXPECT_FALSE(conv(str("0"), Type::boolean()).value.as_bool());
  for (const char* s : {"True", "TRUE", "tRuE"}) {
    EXPECT_EQ(conv(str(s), Type::boolean()).error,
              "a bool is required; to convert from string, use lowercase \"true\"")
        << s;
  }
  EXPECT_EQ(conv(str("FALSE"), Type::boolean()).error,
            "a bool is required; to convert from string, use lowercase \"false\"");
  EXPECT_EQ(conv(str("yes"), Type::boolean()).error, "a bool is required");
}

TEST(HclConvert, ImpossiblePrimitiveConversions) {
  EXPECT_EQ(conv(num(1), Type::boolean()).error, "bool required");
  EXPECT_EQ(conv(Value::boolean(true), Type::number()).error, "number required");
  EXPECT_EQ(conv(str("a"), Type::list(Type::string())).error, "list of string required");
  EXPECT_EQ(conv(str("a"), Type::list(Type::dynamic())).error, "list of any type required");
  EXPECT_EQ(conv(str("a"), Type::map(Type::number())).error, "map of number required");
  EXPECT_EQ(conv(num(1), obj_a_number()).error, "object required");
  EXPECT_EQ(conv(strings({"a"}), Type::string()).error, "string required");
}

TEST(HclConvert, NullAndDynamic) {
  auto n = conv(Value(), Type::string());
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n.value.is_null());
  EXPECT_EQ(n.value.type(), Type::string());
  // A typed null converts only where its type could.
  EXPECT_EQ(conv(Value::null(Type::string()), Type::list(Type::string())).error,
            "list of string required");
  Value l = strings({"a"});
  EXPECT_EQ(conv(l, Type::dynamic()).value.type(), l.type());
}

TEST(HclConvert, TupleToList) {
  auto r = conv(tuple({num(1), str("a")}), Type::list(Type::dynamic()));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.type(), Type::list(Type::string()));
  EXPECT_EQ(r.value.to_json(), "[\"1\",\"a\"]");
  auto nulls = conv(tuple({str("a"), Value()}), Type::list(Type::dynamic()));
  ASSERT_TRUE(nulls.ok()) << nulls.error;
  EXPECT_EQ(nulls.value.type(), Type::list(Type::string()));
  auto e = conv(tuple({}), Type::list(Type::dynamic()));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value.length(), 0u);
  EXPECT_EQ(conv(tuple({num(1), Value::boolean(true)}), Type::list(Type::dynamic())).error,
            "all list elements must have the same type");
  EXPECT_EQ(conv(tuple({num(1), Value::boolean(true)}), Type::set(Type::dynamic())).error,
            "all set elements must have the same type");
}

TEST(HclConvert, ElementValueErrorsAreNotPrefixed) {
  // A conversion that exists for the types but fails for a value reports just the value error.
  EXPECT_EQ(conv(tuple({num(1), str("x")}), Type::list(Type::number())).error,
            "a number is required");
  EXPECT_EQ(conv(strings({"x"}), Type::list(Type::number())).error, "a number is required");
  EXPECT_EQ(conv(Value::object({{"a", str("x")}}), obj_a_number()).error, "a number is required");
  EXPECT_EQ(conv(Value::map({{"k", str("x")}}, Type::string()), Type::map(Type::boolean())).error,
            "a bool is required");
}

TEST(HclConvert, TypeMismatchMessagesDescribeThePath) {
  EXPECT_EQ(conv(tuple({num(1), Value::boolean(true)}), Type::list(Type::number())).error,
            "element 1: number required");
  EXPECT_EQ(conv(Value::object({{"k", tuple({})}}), Type::map(Type::string())).error,
            "element \"k\": string required");
  EXPECT_EQ(conv(Value::list({num(1)}, Type::number()), Type::list(Type::boolean())).error,
            "incorrect list element type: bool required");
  EXPECT_EQ(conv(Value::object({{"a", Value::boolean(true)}}), obj_a_number()).error,
            "attribute \"a\": number required");
  EXPECT_EQ(conv(Value::object({{"b", num(1)}}), obj_a_number()).error,
            "attribute \"a\" is required");
  Type ab = Type::object({{"a", Type::number()}, {"b", Type::number()}});
  EXPECT_EQ(conv(Value::object({}), ab).error, "attributes \"a\" and \"b\" are required");
  Type abc = Type::object({{"a", Type::number()}, {"b", Type::number()}, {"c", Type::number()}});
  EXPECT_EQ(conv(Value::object({}), abc).error, "attributes \"a\", \"b\", and \"c\" are required");
  EXPECT_EQ(
      conv(Value::object({{"a", num(1)}, {"b", Value::boolean(true)}}), Type::map(Type::dynamic()))
          .error,
      "all map elements must have the same type");
}

TEST(HclConvert, Structural) {
  // Extra attributes are dropped; optional ones become null.
  Type t = Type::object({{"a", Type::number()}, {"o", Type::string()}}, {"o"});
  auto r = conv(Value::object({{"a", str("1")}, {"extra", num(2)}}), t);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.to_json(), "{\"a\":1,\"o\":null}");
  EXPECT_EQ(r.value.get("o")->type(), Type::string());

  auto m = conv(Value::object({{"a", num(1)}, {"b", str("x")}}), Type::map(Type::dynamic()));
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(m.value.type(), Type::map(Type::string()));

  auto mo = conv(Value::map({{"a", str("1")}}, Type::string()),
                 Type::object({{"a", Type::number()}, {"b", Type::number()}}));
  EXPECT_EQ(mo.error, "map has no element for required attribute \"b\"");

  auto s = conv(strings({"b", "a", "b"}), Type::set(Type::string()));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value.to_json(), "[\"a\",\"b\"]");

  auto tt = conv(tuple({num(1)}), Type::tuple({Type::string()}));
  ASSERT_TRUE(tt.ok());
  EXPECT_EQ(tt.value.to_json(), "[\"1\"]");
  EXPECT_EQ(conv(tuple({num(1), num(2)}), Type::tuple({Type::string()})).error, "tuple required");
  // There is no conversion from a list to a tuple.
  EXPECT_EQ(conv(strings({"a"}), Type::tuple({Type::string()})).error, "tuple required");
}

// ---- unify ------------------------------------------------------------------------------------

std::string unified(std::vector<Type> types) {
  auto u = unify(types);
  return u ? u->to_string() : "<none>";
}

TEST(HclUnify, Primitives) {
  EXPECT_EQ(unified({Type::number(), Type::number()}), "number");
  EXPECT_EQ(unified({Type::number(), Type::string()}), "string");
  EXPECT_EQ(unified({Type::boolean(), Type::string()}), "string");
  EXPECT_EQ(unified({Type::number(), Type::boolean()}), "<none>");
  EXPECT_EQ(unified({Type::string(), Type::dynamic()}), "string");
  EXPECT_EQ(unified({Type::dynamic(), Type::dynamic()}), "any");
}

TEST(HclUnify, Structural) {
  Type an = obj_a_number();
  Type as = Type::object({{"a", Type::string()}});
  Type ab = Type::object({{"a", Type::boolean()}});
  Type bn = Type::object({{"b", Type::number()}});
  EXPECT_EQ(unified({an, as}), "object({a=string})");
  EXPECT_EQ(unified({an, ab}), "<none>");
  EXPECT_EQ(unified({an, bn}), "map(number)");
  EXPECT_EQ(unified({Type::tuple({Type::number()}), Type::tuple({Type::string()})}),
            "tuple([string])");
  EXPECT_EQ(unified({Type::tuple({Type::number()}), Type::tuple({Type::number(), Type::number()})}),
            "list(number)");
  EXPECT_EQ(unified({an, Type::tuple({})}), "<none>");
  EXPECT_EQ(unified({an, Type::dynamic()}), "any");
}

TEST(HclUnify, Collections) {
  EXPECT_EQ(unified({Type::list(Type::number()), Type::list(Type::string())}), "list(string)");
  EXPECT_EQ(unified({Type::list(Type::number()), Type::tuple({Type::string()})}), "list(string)");
  EXPECT_EQ(unified({Type::map(Type::number()), Type::object({{"a", Type::string()}})}),
            "map(string)");
  EXPECT_EQ(unified({Type::set(Type::string()), Type::set(Type::number())}), "set(string)");
  EXPECT_EQ(unified({Type::set(Type::string()), Type::list(Type::string())}), "list(string)");
  EXPECT_EQ(unified({Type::list(Type::string()), Type::dynamic()}), "any");
  EXPECT_EQ(unified({Type::list(Type::string()), Type::string()}), "<none>");
}

// ---- numbers ----------------------------------------------------------------------------------

std::string ntext(std::string_view s) {
  auto n = Number::parse(s);
  return n ? n->to_string() : "<invalid>";
}

TEST(HclNumber, ShortestForms) {
  EXPECT_EQ(Number(0).to_string(), "0");
  EXPECT_EQ(Number(-5).to_string(), "-5");
  EXPECT_EQ(ntext("1.5"), "1.5");
  EXPECT_EQ(ntext("1.50"), "1.5");
  EXPECT_EQ(ntext("1e3"), "1000");
  EXPECT_EQ(ntext("0.1"), "0.1");
  EXPECT_EQ(ntext("-0.000001"), "-0.000001");
  EXPECT_EQ(ntext("12345678901234567890.5"), "12345678901234567890.5");
  EXPECT_EQ(ntext("1e100"), "1" + std::string(100, '0'));
  // Beyond 2^512 the value is no longer an exact integer: still the shortest decimal.
  EXPECT_EQ(ntext("1e300"), "1" + std::string(300, '0'));
  EXPECT_EQ(Number::infinity(false).to_string(), "+Inf");
  EXPECT_EQ(Number::infinity(true).to_string(), "-Inf");
  EXPECT_EQ(Number::divide(Number(1), Number(3))->to_string(), "0." + std::string(154, '3') + "5");
}

TEST(HclNumber, Parse) {
  for (const char* ok : {"5", ".5", "5.", "+5", "-5", "1E+2", "007"}) {
    EXPECT_TRUE(Number::parse(ok)) << ok;
  }
  for (const char* bad : {"", "0x10", "inf", "1e", ".", "1.2.3", " 1", "e5", "--1"}) {
    EXPECT_FALSE(Number::parse(bad)) << bad;
  }
}

TEST(HclNumber, ModuloAndDivision) {
  EXPECT_EQ(Number::modulo(Number(-7), Number(3))->to_string(), "-1");
  EXPECT_EQ(Number::modulo(Number(5), Number(0))->to_string(), "5");
  EXPECT_FALSE(Number::modulo(Number::infinity(false), Number(0)));
  EXPECT_FALSE(Number::modulo(Number(0), Number::infinity(true)));
  EXPECT_EQ(Number::modulo(Number(-5), Number::infinity(false))->to_string(), "-Inf");
  EXPECT_FALSE(Number::divide(Number(0), Number(0)));
  EXPECT_TRUE(Number::divide(Number(-2), Number(0))->is_infinite());
}

}  // namespace
