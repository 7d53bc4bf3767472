// The HCL function library (lib/job/hcl/functions), exercised through the real parser and
// evaluator, against the results and error texts of nomad's jobspec2 functions (go-cty,
// go-cty-funcs, go-cty-yaml).
#include <gtest/gtest.h>

#include <unistd.h>

#include <crypt.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "warden/job/hcl/eval.hpp"
#include "warden/job/hcl/function.hpp"
#include "warden/job/hcl/parser.hpp"

namespace fs = std::filesystem;
using namespace warden;
using namespace warden::hcl;

namespace {

struct Evaluated {
  std::optional<Value> value;
  Diagnostics diags;
};

Evaluated run(std::string_view text, const LibraryOptions& opts = {}) {
  FunctionTable table = standard_library(opts);
  ParsedExpression parsed = parse_expression(text, "test.hcl");
  Evaluated out;
  if (parsed.diagnostics.has_errors()) {
    out.diags = parsed.diagnostics;
    return out;
  }
  Scope scope;
  scope.set_functions(&table);
  out.value = evaluate(parsed.expr, scope, *parsed.file, out.diags);
  if (out.diags.has_errors()) out.value.reset();
  return out;
}

// The result as JSON, or "error: <summary>: <detail>".
std::string eval(std::string_view text, const LibraryOptions& opts = {}) {
  Evaluated e = run(text, opts);
  if (!e.value) {
    if (e.diags.empty()) return "error: (no diagnostics)";
    return "error: " + e.diags[0].summary + ": " + e.diags[0].detail;
  }
  return e.value->to_json();
}

// The result of an expression that yields a string, unquoted.
std::string str(std::string_view text, const LibraryOptions& opts = {}) {
  Evaluated e = run(text, opts);
  if (!e.value) return eval(text, opts);
  if (e.value->is_null() || e.value->type().kind() != Type::Kind::string)
    return "not a string: " + e.value->to_json();
  return e.value->as_string();
}

// The detail of the error an expression fails with.
std::string err(std::string_view text, const LibraryOptions& opts = {}) {
  Evaluated e = run(text, opts);
  if (e.value) return "no error, got " + e.value->to_json();
  return e.diags.empty() ? "(no diagnostics)" : e.diags[0].detail;
}

std::string type_of(std::string_view text) {
  Evaluated e = run(text);
  if (!e.value) return eval(text);
  return e.value->type().to_string();
}

const std::string kWhole =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

// ---------------------------------------------------------------------------------------------
// The table

TEST(HclFunctions, TableHasNomadsFunctions) {
  FunctionTable t = standard_library();
  for (const char* name : {"abs",        "base64decode",  "base64encode", "bcrypt",
                           "can",        "ceil",          "chomp",        "chunklist",
                           "cidrhost",   "cidrnetmask",   "cidrsubnet",   "cidrsubnets",
                           "coalesce",   "coalescelist",  "compact",      "concat",
                           "contains",   "convert",       "csvdecode",    "distinct",
                           "element",    "flatten",       "floor",        "format",
                           "formatdate", "formatlist",    "indent",       "index",
                           "join",       "jsondecode",    "jsonencode",   "keys",
                           "length",     "log",           "lookup",       "lower",
                           "max",        "md5",           "merge",        "min",
                           "parseint",   "pow",           "range",        "reverse",
                           "replace",    "regex_replace", "rsadecrypt",   "setintersection",
                           "setproduct", "setunion",      "sha1",         "sha256",
                           "sha512",     "signum",        "slice",        "sort",
                           "split",      "strlen",        "strrev",       "substr",
                           "timeadd",    "title",         "trim",         "trimprefix",
                           "trimspace",  "trimsuffix",    "try",          "upper",
                           "urlencode",  "uuidv4",        "uuidv5",       "values",
                           "yamldecode", "yamlencode",    "zipmap",       "abspath",
                           "basename",   "dirname",       "file",         "filebase64",
                           "fileexists", "fileset",       "pathexpand",   "regex",
                           "regexall"}) {
    EXPECT_NE(t.find(name), nullptr) << name;
  }
  EXPECT_TRUE(t.find("try")->lazy);
  EXPECT_TRUE(t.find("can")->lazy);
}

TEST(HclFunctions, CallPipelineErrors) {
  EXPECT_EQ(eval("upper()"),
            "error: Not enough function arguments: Function \"upper\" expects 1 argument(s). "
            "Missing value for \"str\".");
  EXPECT_EQ(eval("upper(\"a\", \"b\")"),
            "error: Too many function arguments: Function \"upper\" expects only 1 argument(s).");
  EXPECT_EQ(eval("upper(null)"),
            "error: Invalid function argument: Invalid value for \"str\" parameter: argument must "
            "not be null.");
  EXPECT_EQ(
      eval("upper([])"),
      "error: Invalid function argument: Invalid value for \"str\" parameter: string required.");
  EXPECT_EQ(eval("nosuch(1)").substr(0, 30), "error: Call to unknown functio");
}

// ---------------------------------------------------------------------------------------------
// Strings

TEST(HclFunctionsString, Case) {
  EXPECT_EQ(str("upper(\"hello wörld\")"), "HELLO WÖRLD");
  EXPECT_EQ(str("lower(\"HELLO\")"), "hello");
  EXPECT_EQ(str("upper(1)"), "1");
  EXPECT_EQ(str("upper(true)"), "TRUE");
  EXPECT_EQ(str("title(\"hello world\")"), "Hello World");
  EXPECT_EQ(str("title(\"hELLO wORLD\")"), "HELLO WORLD");
  EXPECT_EQ(str("title(\"don't stop\")"), "Don'T Stop");
  EXPECT_EQ(str("title(\"snake_case x-y\")"), "Snake_case X-Y");
}

TEST(HclFunctionsString, Trimming) {
  EXPECT_EQ(str("chomp(\"hello\\n\")"), "hello");
  EXPECT_EQ(str("chomp(\"hello\\r\\n\\n\\r\")"), "hello");
  EXPECT_EQ(str("chomp(\"a\\nb\")"), "a\nb");
  EXPECT_EQ(str("trimspace(\"  \\t hello \\n\")"), "hello");
  EXPECT_EQ(str("trimspace(\"\\u00a0x\\u3000\")"), "x");
  EXPECT_EQ(str("trim(\"?!hello?!\", \"!?\")"), "hello");
  EXPECT_EQ(str("trim(\"xxhixx\", \"\")"), "xxhixx");
  EXPECT_EQ(str("trim(\"ééaéé\", \"é\")"), "a");
  EXPECT_EQ(str("trimprefix(\"helloworld\", \"hello\")"), "world");
  EXPECT_EQ(str("trimprefix(\"helloworld\", \"x\")"), "helloworld");
  EXPECT_EQ(str("trimsuffix(\"helloworld\", \"world\")"), "hello");
  EXPECT_EQ(str("trimsuffix(\"hellohello\", \"hello\")"), "hello");
}

TEST(HclFunctionsString, Indent) {
  EXPECT_EQ(str("indent(2, \"a\\nb\\n\")"), "a\n  b\n  ");
  EXPECT_EQ(str("indent(0, \"a\\nb\")"), "a\nb");
  EXPECT_EQ(err("indent(1.5, \"a\")"), "Call to function \"indent\" failed: " + kWhole + ".");
  EXPECT_EQ(err("indent(-1, \"a\")"),
            "Call to function \"indent\" failed: panic in function implementation: strings: "
            "negative Repeat count.");
}

TEST(HclFunctionsString, JoinAndSplit) {
  EXPECT_EQ(str("join(\", \", [\"a\", \"b\", \"c\"])"), "a, b, c");
  EXPECT_EQ(str("join(\",\", [1, 2], [\"x\"])"), "1,2,x");
  EXPECT_EQ(str("join(\",\", [])"), "");
  EXPECT_EQ(err("join(\",\")"), "Call to function \"join\" failed: at least one list is required.");
  EXPECT_EQ(
      err("join(\",\", [\"a\", null])"),
      "Invalid value for \"lists\" parameter: element 1 is null; cannot concatenate null values.");
  EXPECT_EQ(err("join(\",\", [\"a\"], [\"b\", null])"),
            "Invalid value for \"lists\" parameter: element 1 of list 2 is null; cannot "
            "concatenate null values.");
  EXPECT_EQ(eval("split(\",\", \"a,b,,c\")"), R"(["a","b","","c"])");
  EXPECT_EQ(eval("split(\",\", \"\")"), R"([""])");
  EXPECT_EQ(eval("split(\"\", \"aé\")"), R"(["a","é"])");
  EXPECT_EQ(eval("split(\"\", \"\")"), "[]");
  EXPECT_EQ(type_of("split(\",\", \"a\")"), "list(string)");
}

TEST(HclFunctionsString, Replace) {
  EXPECT_EQ(str("replace(\"hello world\", \"o\", \"0\")"), "hell0 w0rld");
  EXPECT_EQ(str("replace(\"a/b/c\", \"/b/\", \"-\")"), "a-c");  // literal, no regex form
  EXPECT_EQ(str("replace(\"ab\", \"\", \"-\")"), "-a-b-");
}

TEST(HclFunctionsString, RegexReplace) {
  EXPECT_EQ(str("regex_replace(\"hello world\", \"o\", \"0\")"), "hell0 w0rld");
  EXPECT_EQ(str("regex_replace(\"abc\", \"x*\", \"-\")"), "-a-b-c-");
  EXPECT_EQ(str("regex_replace(\"baaac\", \"a*\", \"-\")"), "-b-c-");
  EXPECT_EQ(str("regex_replace(\"2019-01-02\", \"(\\\\d+)-(\\\\d+)-(\\\\d+)\", \"$3/$2/$1\")"),
            "02/01/2019");
  EXPECT_EQ(str("regex_replace(\"ab\", \"(?P<x>a)\", \"[$${x}]\")"), "[a]b");
  EXPECT_EQ(str("regex_replace(\"ab\", \"(a)\", \"$1x|$$\")"), "|$b");  // $1x names group "1x"
  EXPECT_EQ(str("regex_replace(\"ab\", \"(a)\", \"$${1}x\")"), "axb");
  EXPECT_EQ(str("regex_replace(\"a\\nb\\n\", \"b$\", \"B\")"),
            "a\nb\n");  // $ is the end of the text
  EXPECT_EQ(str("regex_replace(\"a\\nb\", \"(?m)^b$\", \"B\")"), "a\nB");
  EXPECT_EQ(str("regex_replace(\"a\\nb\", \"a.b\", \"x\")"), "a\nb");
  EXPECT_EQ(str("regex_replace(\"héllo\", \"h.l\", \"X\")"), "Xlo");
  EXPECT_EQ(
      err("regex_replace(\"a\", \"(a\", \"\")"),
      "Call to function \"regex_replace\" failed: error parsing regexp: missing closing ): `(a`.");
  EXPECT_EQ(err("regex_replace(\"a\", \"a)\", \"\")"),
            "Call to function \"regex_replace\" failed: error parsing regexp: unexpected ): `a)`.");
  EXPECT_EQ(err("regex_replace(\"a\", \"(?=a)\", \"\")"),
            "Call to function \"regex_replace\" failed: error parsing regexp: invalid or "
            "unsupported Perl syntax: `(?=`.");
  EXPECT_EQ(
      err("regex_replace(\"a\", \"[a\", \"\")"),
      "Call to function \"regex_replace\" failed: error parsing regexp: missing closing ]: `[a`.");
}

TEST(HclFunctionsString, RegexExtension) {
  EXPECT_EQ(eval("regex(\"[a-z]+\", \"53453453.345345aaabbbccc23454\")"), R"("aaabbbccc")");
  EXPECT_EQ(eval("regex(\"(\\\\d\\\\d\\\\d\\\\d)-(\\\\d\\\\d)-(\\\\d\\\\d)\", \"2019-02-01\")"),
            R"(["2019","02","01"])");
  EXPECT_EQ(eval("regex(\"(?P<y>\\\\d+)-(?P<m>\\\\d+)\", \"2019-02\")"),
            R"({"m":"02","y":"2019"})");
  EXPECT_EQ(eval("regex(\"(a)|(b)\", \"b\")"), R"([null,"b"])");
  EXPECT_EQ(
      err("regex(\"x\", \"abc\")"),
      "Call to function \"regex\" failed: pattern did not match any part of the given string.");
  EXPECT_EQ(err("regex(\"(?P<a>x)(y)\", \"xy\")"),
            "Invalid value for \"pattern\" parameter: invalid regexp pattern: cannot mix both "
            "named and unnamed capture "
            "groups.");
  EXPECT_EQ(eval("regexall(\"[a-z]+\", \"1234abcd5678efgh9\")"), R"(["abcd","efgh"])");
  EXPECT_EQ(eval("regexall(\"x*\", \"axb\")"), R"(["","x",""])");
  EXPECT_EQ(eval("length(regexall(\"[a-z]+\", \"1234\"))"), "0");
}

TEST(HclFunctionsString, Graphemes) {
  EXPECT_EQ(eval("strlen(\"hello\")"), "5");
  EXPECT_EQ(eval("strlen(\"\")"), "0");
  EXPECT_EQ(eval("strlen(\"e\\u0301\")"), "1");            // combining accent
  EXPECT_EQ(eval("strlen(\"👩‍👩‍👧\")"), "1");  // ZWJ sequence
  EXPECT_EQ(eval("strlen(\"🇫🇷🇩🇪\")"), "2");                // regional indicator pairs
  EXPECT_EQ(eval("strlen(\"\\r\\n\")"), "1");
  EXPECT_EQ(eval("strlen(\"한국어\")"), "3");
  EXPECT_EQ(str("strrev(\"hello\")"), "olleh");
  EXPECT_EQ(str("reverse(\"abc\")"), "cba");              // nomad's reverse is string reversal
  EXPECT_EQ(str("strrev(\"ax\\u0301b\")"), "bx\u0301a");  // x + accent has no precomposed form
  EXPECT_EQ(str("strrev(\"\")"), "");
}

TEST(HclFunctionsString, Substr) {
  EXPECT_EQ(str("substr(\"hello world\", 1, 4)"), "ello");
  EXPECT_EQ(str("substr(\"hello world\", -5, -1)"), "world");
  EXPECT_EQ(str("substr(\"hello world\", -5, 3)"), "wor");
  EXPECT_EQ(str("substr(\"hello\", 0, 0)"), "");
  EXPECT_EQ(str("substr(\"abc\", -1, 0)"), "c");  // cty skips the zero-length shortcut here
  EXPECT_EQ(str("substr(\"abc\", -10, 2)"), "ab");
  EXPECT_EQ(str("substr(\"abc\", 5, 2)"), "");
  EXPECT_EQ(str("substr(\"abc\", 1, 100)"), "bc");
  EXPECT_EQ(str("substr(\"x\\u0301bc\", 0, 1)"), "x\u0301");
  EXPECT_EQ(str("substr(\"abc\", -3, 0)"), "abc");
  EXPECT_EQ(err("substr(\"abc\", 0.5, 1)"), "Call to function \"substr\" failed: " + kWhole + ".");
}

// ---------------------------------------------------------------------------------------------
// format and formatlist

TEST(HclFunctionsFormat, Verbs) {
  EXPECT_EQ(str("format(\"Hello, %s!\", \"Ander\")"), "Hello, Ander!");
  EXPECT_EQ(str("format(\"There are %d lights\", 4)"), "There are 4 lights");
  EXPECT_EQ(str("format(\"%05.2f\", 3.14159)"), "03.14");
  EXPECT_EQ(str("format(\"%-5s|\", \"ab\")"), "ab   |");
  EXPECT_EQ(str("format(\"%5s|\", \"ab\")"), "   ab|");
  EXPECT_EQ(str("format(\"%[2]s %[1]s\", \"a\", \"b\")"), "b a");
  EXPECT_EQ(str("format(\"%[2]s %s\", \"a\", \"b\", \"c\")"), "b c");
  EXPECT_EQ(str("format(\"%%\")"), "%");
  EXPECT_EQ(str("format(\"%v %v %v %v\", \"s\", 1.5, true, null)"), "s 1.5 true null");
  EXPECT_EQ(str("format(\"%v\", [1, \"a\"])"), "[1,\"a\"]");
  EXPECT_EQ(str("format(\"%v\", {b = 1, a = 2})"), "{\"a\":2,\"b\":1}");
  EXPECT_EQ(str("format(\"%#v\", \"s\")"), "\"s\"");
  EXPECT_EQ(str("format(\"%v|%v|%v\", 1000000, 123456, 0.00001)"), "1e+06|123456|1e-05");
  EXPECT_EQ(str("format(\"%t\", true)"), "true");
  EXPECT_EQ(str("format(\"%t\", \"false\")"), "false");
  EXPECT_EQ(str("format(\"%b %o %x %X %d\", 5, 8, 255, 255, -3)"), "101 10 ff FF -3");
  EXPECT_EQ(str("format(\"%#x %#o %#b\", 255, 8, 5)"), "0xff 010 0b101");
  EXPECT_EQ(str("format(\"%+d % d %05d %-4d| %.3d\", 5, 5, -42, 7, 7)"), "+5  5 -0042 7   | 007");
  EXPECT_EQ(str("format(\"%d\", 123456789012345678901234567890)"),
            "123456789012345678901234567890");
  EXPECT_EQ(str("format(\"%x\", 18446744073709551616)"), "10000000000000000");
  EXPECT_EQ(str("format(\"%.0d\", 0)"), "");
  EXPECT_EQ(str("format(\"%d\", \"12\")"), "12");
  EXPECT_EQ(str("format(\"%e\", 123456.789)"), "1.234568e+05");
  EXPECT_EQ(str("format(\"%E\", 0.000123)"), "1.230000E-04");
  EXPECT_EQ(str("format(\"%f\", 1)"), "1.000000");
  EXPECT_EQ(str("format(\"%.1f\", 0.05)"), "0.1");  // 0.05 at 512 bits is just above the tie
  EXPECT_EQ(str("format(\"%.2f\", 2.675)"), "2.67");
  EXPECT_EQ(str("format(\"%.0f|%.0f|%.0f\", 0.5, 1.5, 2.5)"), "0|2|2");
  EXPECT_EQ(str("format(\"%g|%g|%g\", 100000, 1000000, 0.0001)"), "100000|1e+06|0.0001");
  EXPECT_EQ(str("format(\"%.3g\", 3.14159)"), "3.14");
  EXPECT_EQ(str("format(\"%G\", 1e-7)"), "1E-07");
  EXPECT_EQ(str("format(\"%+.1e|%8.2f|%-8.2f|\", 1234.5, -3.14159, 2.5)"),
            "+1.2e+03|   -3.14|2.50    |");
  EXPECT_EQ(str("format(\"%q\", \"a\\\"<b>\")"), "\"a\\\"\\u003cb\\u003e\"");
  EXPECT_EQ(str("format(\"%.2s|%.0s|%3.1s\", \"abc\", \"abc\", \"xyz\")"), "ab|abc|  x");
  EXPECT_EQ(str("format(\"%05s\", \"ab\")"), "000ab");
  EXPECT_EQ(str("format(\"%-3s|\", \"x\\u0301\")"), "x\u0301  |");
  EXPECT_EQ(str("format(\"%s\", 1.5)"), "1.5");
  EXPECT_EQ(str("format(\"%s\", true)"), "true");
}

TEST(HclFunctionsFormat, Errors) {
  const std::string f = "Call to function \"format\" failed: ";
  EXPECT_EQ(err("format(\"%d\", 1.5)"),
            f + "unsupported value for \"%d\" at 0: an integer is required.");
  EXPECT_EQ(err("format(\"%s %s\", \"a\")"),
            f + "not enough arguments for \"%s\" at 3: need index 2 but have 1 total.");
  EXPECT_EQ(err("format(\"%d\", \"x\")"),
            f + "unsupported value for \"%d\" at 0: a number is required.");
  EXPECT_EQ(err("format(\"%t\", 1)"), f + "unsupported value for \"%t\" at 0: bool required.");
  EXPECT_EQ(err("format(\"%s\", [])"), f + "unsupported value for \"%s\" at 0: string required.");
  EXPECT_EQ(err("format(\"%s\", null)"),
            f + "unsupported value for \"%s\" at 0: null value cannot be formatted.");
  EXPECT_EQ(err("format(\"%z\", 1)"), f + "unsupported format verb 'z' in \"%z\" at offset 0.");
  EXPECT_EQ(err("format(\"%F\", 1)"), f + "unsupported format verb 'F' in \"%F\" at offset 0.");
  EXPECT_EQ(err("format(\"ab %\")"), f + "invalid format string starting at offset 4.");
  EXPECT_EQ(err("format(\"%*d\", 1)"), f + "unrecognized format character '*' at offset 1.");
  EXPECT_EQ(err("format(\"%[2]-5s\", 1, 2)"), f + "unrecognized format character '-' at offset 4.");
  EXPECT_EQ(err("format(\"hello\", 1)"),
            "Invalid value for \"args\" parameter: too many arguments; no verbs in format string.");
  EXPECT_EQ(
      err("format(\"%s\", 1, 2)"),
      "Invalid value for \"args\" parameter: too many arguments; only 1 used by format string.");
}

TEST(HclFunctionsFormat, Formatlist) {
  EXPECT_EQ(eval("formatlist(\"Hello, %s!\", [\"Valentina\", \"Ander\"])"),
            R"(["Hello, Valentina!","Hello, Ander!"])");
  EXPECT_EQ(eval("formatlist(\"%s, %s!\", \"Salutations\", [\"Valentina\", \"Ander\"])"),
            R"(["Salutations, Valentina!","Salutations, Ander!"])");
  EXPECT_EQ(eval("formatlist(\"%s=%d\", [\"a\", \"b\"], [1, 2])"), R"(["a=1","b=2"])");
  EXPECT_EQ(eval("formatlist(\"x\")"), R"(["x"])");
  EXPECT_EQ(eval("formatlist(\"%s\", [])"), "[]");
  EXPECT_EQ(type_of("formatlist(\"%s\", [])"), "list(string)");
  EXPECT_EQ(err("formatlist(\"%s %s\", [\"a\"], [\"b\", \"c\"])"),
            "Invalid value for \"args\" parameter: argument 2 has length 2, which is inconsistent "
            "with argument 1 of "
            "length 1.");
  EXPECT_EQ(err("formatlist(\"%d\", [\"a\"])"),
            "Call to function \"formatlist\" failed: error on format iteration 0: unsupported "
            "value for \"%d\" at 0: a "
            "number is required.");
}

// ---------------------------------------------------------------------------------------------
// Numbers

TEST(HclFunctionsNumeric, Basics) {
  EXPECT_EQ(eval("abs(-12.5)"), "12.5");
  EXPECT_EQ(eval("abs(0)"), "0");
  EXPECT_EQ(eval("ceil(4.1)"), "5");
  EXPECT_EQ(eval("ceil(-4.1)"), "-4");
  EXPECT_EQ(eval("floor(4.9)"), "4");
  EXPECT_EQ(eval("floor(-4.1)"), "-5");
  EXPECT_EQ(eval("floor(123456789012345678901234567890.5)"), "123456789012345678901234567890");
  EXPECT_EQ(eval("signum(-13)"), "-1");
  EXPECT_EQ(eval("signum(0)"), "0");
  EXPECT_EQ(eval("signum(344)"), "1");
  EXPECT_EQ(err("signum(1.5)"), "Call to function \"signum\" failed: " + kWhole + ".");
  EXPECT_EQ(eval("max(12, 54, 3)"), "54");
  EXPECT_EQ(eval("min(12, 54, 3)"), "3");
  EXPECT_EQ(eval("max([12, 54, 3]...)"), "54");
  EXPECT_EQ(eval("min(-1.5, \"2\")"), "-1.5");
  EXPECT_EQ(err("max()"), "Call to function \"max\" failed: must pass at least one number.");
}

TEST(HclFunctionsNumeric, PowAndLog) {
  EXPECT_EQ(eval("pow(3, 2)"), "9");
  EXPECT_EQ(eval("pow(4, 0)"), "1");
  EXPECT_EQ(eval("pow(2, 0.5)"), "1.4142135623730951");
  EXPECT_EQ(eval("pow(2, -1)"), "0.5");
  EXPECT_EQ(eval("log(50, 10)"), "1.6989700043360185");
  EXPECT_EQ(eval("log(16, 2)"), "4");
  EXPECT_EQ(str("format(\"%v\", log(0, 10))"), "-Inf");
  EXPECT_EQ(
      err("log(-1, 10)"),
      "Call to function \"log\" failed: panic in function implementation: Float.SetFloat64(NaN).");
  EXPECT_EQ(
      err("pow(-8, 0.5)"),
      "Call to function \"pow\" failed: panic in function implementation: Float.SetFloat64(NaN).");
}

TEST(HclFunctionsNumeric, Parseint) {
  EXPECT_EQ(eval("parseint(\"100\", 10)"), "100");
  EXPECT_EQ(eval("parseint(\"FF\", 16)"), "255");
  EXPECT_EQ(eval("parseint(\"-10\", 16)"), "-16");
  EXPECT_EQ(eval("parseint(\"+11\", 2)"), "3");
  EXPECT_EQ(eval("parseint(\"zz\", 36)"), "1295");
  EXPECT_EQ(eval("parseint(\"Z\", 62)"), "61");
  EXPECT_EQ(eval("parseint(\"z\", 62)"), "35");
  EXPECT_EQ(eval("parseint(\"ffffffffffffffffffff\", 16)"), "1208925819614629174706175");
  EXPECT_EQ(err("parseint(\"12\", 1)"),
            "Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 "
            "inclusive.");
  EXPECT_EQ(err("parseint(\"12\", 2.5)"), "Invalid value for \"base\" parameter: " + kWhole + ".");
  EXPECT_EQ(err("parseint(\"0x10\", 16)"),
            "Invalid value for \"number\" parameter: cannot parse \"0x10\" as a base 16 integer.");
  EXPECT_EQ(err("parseint(\"\", 10)"),
            "Invalid value for \"number\" parameter: cannot parse \"\" as a base 10 integer.");
  EXPECT_EQ(err("parseint(12, 10)"),
            "Invalid value for \"number\" parameter: first argument must be a string, not number.");
}

TEST(HclFunctionsNumeric, Range) {
  EXPECT_EQ(eval("range(3)"), "[0,1,2]");
  EXPECT_EQ(eval("range(1, 4)"), "[1,2,3]");
  EXPECT_EQ(eval("range(5, 1)"), "[5,4,3,2]");
  EXPECT_EQ(eval("range(0, 1, 0.25)"), "[0,0.25,0.5,0.75]");
  EXPECT_EQ(eval("range(-3)"), "[0,-1,-2]");
  EXPECT_EQ(eval("range(1, 10, 3)"), "[1,4,7]");
  EXPECT_EQ(eval("range(10, 5, -2)"), "[10,8,6]");
  EXPECT_EQ(eval("range(0)"), "[]");
  EXPECT_EQ(type_of("range(0)"), "list(number)");
  EXPECT_EQ(eval("length(range(1024))"), "1024");
  EXPECT_EQ(err("range()"),
            "Call to function \"range\" failed: must have one, two, or three arguments.");
  EXPECT_EQ(err("range(1, 2, 3, 4)"),
            "Call to function \"range\" failed: must have one, two, or three arguments.");
  EXPECT_EQ(err("range(1, 2, 0)"),
            "Invalid value for \"params\" parameter: step must not be zero.");
  EXPECT_EQ(
      err("range(1, 5, -1)"),
      "Invalid value for \"params\" parameter: end must be less than start when step is negative.");
  EXPECT_EQ(err("range(5, 1, 1)"),
            "Invalid value for \"params\" parameter: end must be greater than start when step is "
            "positive.");
  EXPECT_EQ(err("range(1025)"),
            "Call to function \"range\" failed: more than 1024 values were generated; either "
            "decrease the difference "
            "between start and end or use a smaller step.");
}

// ---------------------------------------------------------------------------------------------
// Collections

TEST(HclFunctionsCollection, LengthElementIndex) {
  EXPECT_EQ(eval("length([1, 2, 3])"), "3");
  EXPECT_EQ(eval("length(tomap({a = 1}))"),
            "error: Call to unknown function: There is no function named \"tomap\".");
  EXPECT_EQ(eval("length(zipmap([\"a\"], convert([1], \"list(number)\")))"), "1");
  EXPECT_EQ(err("length(zipmap([\"a\"], [1]))"),
            "Call to function \"length\" failed: collection must be a list, a map or a tuple.");
  EXPECT_EQ(eval("length(setunion([1, 2], [2]))"), "2");
  EXPECT_EQ(err("length(\"abc\")"),
            "Call to function \"length\" failed: collection must be a list, a map or a tuple.");
  EXPECT_EQ(err("length({a = 1})"),
            "Call to function \"length\" failed: collection must be a list, a map or a tuple.");
  EXPECT_EQ(eval("element([\"a\", \"b\", \"c\"], 1)"), R"("b")");
  EXPECT_EQ(eval("element([\"a\", \"b\", \"c\"], 3)"), R"("a")");  // wraps around
  EXPECT_EQ(eval("element([\"a\", \"b\", \"c\"], 7)"), R"("b")");
  EXPECT_EQ(eval("element(split(\",\", \"x,y\"), 3)"), R"("y")");
  EXPECT_EQ(
      err("element([\"a\"], -1)"),
      "Call to function \"element\" failed: cannot use element function with a negative index.");
  EXPECT_EQ(err("element([], 0)"),
            "Call to function \"element\" failed: cannot use element function with an empty list.");
  EXPECT_EQ(err("element(\"abc\", 0)"),
            "Call to function \"element\" failed: cannot read elements from string.");
  EXPECT_EQ(err("element(setunion([1]), 0)"),
            "Call to function \"element\" failed: cannot read elements from set of number.");
  EXPECT_EQ(err("element([1], 0.5)"),
            "Call to function \"element\" failed: invalid index: " + kWhole + ".");
  EXPECT_EQ(eval("index([\"a\", \"b\"], 1)"), R"("b")");
  EXPECT_EQ(eval("index(zipmap([\"k\"], split(\",\", \"v\")), \"k\")"), R"("v")");
  EXPECT_EQ(eval("index(split(\",\", \"a,b\"), 1)"), R"("b")");
  EXPECT_EQ(err("index([\"a\", \"b\"], 2)"),
            "Call to function \"index\" failed: key must be between 0 and 2 inclusive.");
  EXPECT_EQ(err("index([\"a\"], \"0\")"),
            "Call to function \"index\" failed: key for tuple must be number.");
  EXPECT_EQ(err("index(split(\",\", \"a\"), 3)"),
            "Call to function \"index\" failed: invalid index.");
  EXPECT_EQ(err("index(zipmap([\"k\"], split(\",\", \"v\")), \"x\")"),
            "Call to function \"index\" failed: invalid index.");
  EXPECT_EQ(err("index({a = 1}, \"a\")"),
            "Call to function \"index\" failed: collection must be a list, a map or a tuple.");
}

TEST(HclFunctionsCollection, LookupKeysValues) {
  EXPECT_EQ(eval("lookup({a = \"ay\", b = \"bee\"}, \"a\", \"what?\")"), R"("ay")");
  EXPECT_EQ(eval("lookup({a = \"ay\", b = \"bee\"}, \"c\", \"what?\")"), R"("what?")");
  EXPECT_EQ(eval("lookup(zipmap([\"a\"], convert([1], \"list(number)\")), \"b\", \"2\")"), "2");
  EXPECT_EQ(type_of("lookup(zipmap([\"a\"], convert([1], \"list(number)\")), \"b\", \"2\")"),
            "number");
  EXPECT_EQ(err("lookup(zipmap([\"a\"], convert([1], \"list(number)\")), \"b\", \"x\")"),
            "Invalid value for \"default\" parameter: the default value must have the same type as "
            "the map elements.");
  EXPECT_EQ(
      err("lookup([1], \"a\", 1)"),
      "Invalid value for \"inputMap\" parameter: lookup() requires a map as the first argument.");
  EXPECT_EQ(eval("lookup({a = 1}, \"b\", null)"), "null");
  EXPECT_EQ(eval("keys({b = 1, a = 2})"), R"(["a","b"])");
  EXPECT_EQ(type_of("keys({b = 1, a = 2})"), "tuple([string, string])");
  EXPECT_EQ(type_of("keys(zipmap([\"b\", \"a\"], convert([1, 2], \"list(number)\")))"),
            "list(string)");
  EXPECT_EQ(err("keys([1])"),
            "Invalid value for \"inputMap\" parameter: must have map or object type.");
  EXPECT_EQ(eval("values({b = 1, a = 2, c = \"x\"})"), R"([2,1,"x"])");
  EXPECT_EQ(type_of("values(zipmap([\"b\", \"a\"], convert([1, 2], \"list(number)\")))"),
            "list(number)");
  EXPECT_EQ(err("values([1])"),
            "Call to function \"values\" failed: values() requires a map as the first argument.");
}

TEST(HclFunctionsCollection, MergeZipmap) {
  EXPECT_EQ(eval("merge({a = \"b\", c = \"d\"}, {e = \"f\", c = \"z\"})"),
            R"({"a":"b","c":"z","e":"f"})");
  EXPECT_EQ(eval("merge({a = 1}, null, {b = 2})"), R"({"a":1,"b":2})");
  EXPECT_EQ(eval("merge()"), "{}");
  EXPECT_EQ(type_of("merge(zipmap([\"a\"], convert([1], \"list(number)\")), zipmap([\"b\"], "
                    "convert([2], \"list(number)\")))"),
            "map(number)");
  EXPECT_EQ(type_of("merge(zipmap([\"a\"], convert([1], \"list(number)\")), {b = \"x\"})"),
            "object({a=number, b=string})");
  EXPECT_EQ(err("merge({a = 1}, [1])"),
            "Call to function \"merge\" failed: arguments must be maps or objects, got \"tuple\".");
  EXPECT_EQ(eval("zipmap([\"a\", \"b\"], [1, 2])"), R"({"a":1,"b":2})");
  EXPECT_EQ(type_of("zipmap([\"a\", \"b\"], [1, \"x\"])"), "object({a=number, b=string})");
  EXPECT_EQ(type_of("zipmap([\"a\"], split(\",\", \"x\"))"), "map(string)");
  EXPECT_EQ(eval("zipmap([\"a\", \"a\"], [1, 2])"), R"({"a":2})");
  EXPECT_EQ(eval("zipmap([], [])"), "{}");
  EXPECT_EQ(err("zipmap([\"a\"], [1, 2])"),
            "Call to function \"zipmap\" failed: number of keys (1) does not match number of "
            "values (2).");
  EXPECT_EQ(err("zipmap([\"a\"], \"x\")"),
            "Call to function \"zipmap\" failed: values argument must be a list or tuple value.");
}

TEST(HclFunctionsCollection, Sequences) {
  EXPECT_EQ(eval("concat([\"a\", \"\"], [\"b\", \"c\"])"), R"(["a","","b","c"])");
  EXPECT_EQ(type_of("concat([1], [2])"), "tuple([number, number])");  // literals are tuples
  EXPECT_EQ(type_of("concat(split(\",\", \"a\"), split(\",\", \"b\"))"), "list(string)");
  EXPECT_EQ(err("concat()"),
            "Call to function \"concat\" failed: at least one argument is required.");
  EXPECT_EQ(
      err("concat([1], \"a\")"),
      "Invalid value for \"seqs\" parameter: all arguments must be lists or tuples; got string.");
  EXPECT_EQ(eval("contains([\"a\", \"b\"], \"a\")"), "true");
  EXPECT_EQ(eval("contains([1], \"1\")"), "false");
  EXPECT_EQ(eval("contains([], 1)"), "false");
  EXPECT_EQ(err("contains(\"abc\", \"a\")"),
            "Call to function \"contains\" failed: argument must be list, tuple, or set.");
  EXPECT_EQ(err("contains([1], null)"),
            "Invalid value for \"value\" parameter: argument must not be null.");
  EXPECT_EQ(eval("distinct([\"a\", \"b\", \"a\", \"c\", \"b\"])"), R"(["a","b","c"])");
  EXPECT_EQ(eval("distinct([1, \"1\"])"), R"(["1"])");
  EXPECT_EQ(type_of("distinct([])"), "list(any)");
  EXPECT_EQ(err("distinct([1, [2]])"),
            "Invalid value for \"list\" parameter: all list elements must have the same type.");
  EXPECT_EQ(eval("chunklist([\"a\", \"b\", \"c\", \"d\", \"e\"], 2)"),
            R"([["a","b"],["c","d"],["e"]])");
  EXPECT_EQ(eval("chunklist([1, 2], 0)"), "[[1,2]]");
  EXPECT_EQ(eval("chunklist([], 3)"), "[]");
  EXPECT_EQ(err("chunklist([1], -1)"),
            "Call to function \"chunklist\" failed: the size argument must be positive.");
  EXPECT_EQ(err("chunklist([1], 0.5)"),
            "Call to function \"chunklist\" failed: invalid size: " + kWhole + ".");
  EXPECT_EQ(eval("compact([\"a\", \"\", null, \"b\", 1])"), R"(["a","b","1"])");
  EXPECT_EQ(eval("flatten([[\"a\", \"b\"], [], [\"c\", [\"d\"]], \"e\"])"),
            R"(["a","b","c","d","e"])");
  EXPECT_EQ(eval("flatten([])"), "[]");
  EXPECT_EQ(type_of("flatten([[1], [\"a\"]])"), "tuple([number, string])");
  EXPECT_EQ(err("flatten(\"a\")"),
            "Call to function \"flatten\" failed: can only flatten lists, sets and tuples.");
  EXPECT_EQ(eval("slice([\"a\", \"b\", \"c\", \"d\"], 1, 3)"), R"(["b","c"])");
  EXPECT_EQ(eval("slice([1, 2], 2, 2)"), "[]");
  EXPECT_EQ(type_of("slice(split(\",\", \"a,b\"), 0, 1)"), "list(string)");
  EXPECT_EQ(err("slice([1, 2], 1, 3)"),
            "Invalid value for \"end_index\" parameter: end index must not be greater than the "
            "length of the list.");
  EXPECT_EQ(err("slice([1, 2], -1, 1)"),
            "Invalid value for \"start_index\" parameter: start index must not be less than zero.");
  EXPECT_EQ(err("slice([1, 2], 2, 1)"),
            "Invalid value for \"start_index\" parameter: start index must not be greater than end "
            "index.");
  EXPECT_EQ(err("slice([1, 2], 0.5, 1)"),
            "Invalid value for \"start_index\" parameter: invalid start index: " + kWhole + ".");
  EXPECT_EQ(err("slice(setunion([1]), 0, 1)"),
            "Invalid value for \"list\" parameter: cannot slice a set, because its elements do not "
            "have indices; "
            "explicitly convert to a list if the ordering of the result is not important.");
  EXPECT_EQ(err("slice(\"ab\", 0, 1)"),
            "Invalid value for \"list\" parameter: must be a list or tuple value.");
  EXPECT_EQ(eval("sort([\"e\", \"d\", \"a\", \"x\"])"), R"(["a","d","e","x"])");
  EXPECT_EQ(eval("sort([10, 9, 1])"), R"(["1","10","9"])");
  EXPECT_EQ(err("sort([\"a\", null])"),
            "Call to function \"sort\" failed: given list element 1 is null; a null string cannot "
            "be sorted.");
}

TEST(HclFunctionsCollection, Coalesce) {
  EXPECT_EQ(eval("coalesce(\"a\", \"b\")"), R"("a")");
  EXPECT_EQ(eval("coalesce(\"\", \"b\")"), R"("")");  // empty strings are not skipped
  EXPECT_EQ(eval("coalesce(null, 1, 2)"), "1");
  EXPECT_EQ(eval("coalesce(1, \"a\")"), R"("1")");
  EXPECT_EQ(err("coalesce(null, null)"),
            "Call to function \"coalesce\" failed: no non-null arguments.");
  EXPECT_EQ(err("coalesce()"),
            "Call to function \"coalesce\" failed: all arguments must have the same type.");
  EXPECT_EQ(err("coalesce(1, true)"),
            "Call to function \"coalesce\" failed: all arguments must have the same type.");
  EXPECT_EQ(eval("coalescelist([\"a\", \"b\"], [\"c\", \"d\"])"), R"(["a","b"])");
  EXPECT_EQ(eval("coalescelist([], [\"c\", \"d\"])"), R"(["c","d"])");
  EXPECT_EQ(err("coalescelist([], [])"),
            "Call to function \"coalescelist\" failed: no non-null arguments.");
  EXPECT_EQ(
      err("coalescelist(null, [1])"),
      "Call to function \"coalescelist\" failed: coalescelist arguments must be lists or tuples.");
  EXPECT_EQ(err("coalescelist()"),
            "Call to function \"coalescelist\" failed: at least one argument is required.");
}

TEST(HclFunctionsCollection, Sets) {
  EXPECT_EQ(eval("setunion([\"a\", \"b\"], [\"b\", \"c\"], [\"d\"])"), R"(["a","b","c","d"])");
  EXPECT_EQ(type_of("setunion([\"a\"], [])"), "set(string)");
  EXPECT_EQ(eval("setunion([3, 1], [2])"), "[1,2,3]");
  EXPECT_EQ(eval("setunion([1], [\"a\"])"), R"(["1","a"])");
  EXPECT_EQ(eval("setintersection([\"a\", \"b\"], [\"b\", \"c\"], [\"b\", \"d\"])"), R"(["b"])");
  EXPECT_EQ(eval("setintersection([1, 2], [])"), "[]");
  EXPECT_EQ(
      err("setunion([1], [true])"),
      "Call to function \"setunion\" failed: given sets must all have compatible element types.");
  EXPECT_EQ(eval("setproduct([\"a\", \"b\"], [1, 2])"), R"([["a",1],["a",2],["b",1],["b",2]])");
  EXPECT_EQ(type_of("setproduct([\"a\", \"b\"], [1, 2])"), "list(tuple([string, number]))");
  EXPECT_EQ(type_of("setproduct(setunion([\"a\"]), [1])"), "set(tuple([string, number]))");
  EXPECT_EQ(eval("setproduct([\"a\"], [])"), "[]");
  EXPECT_EQ(eval("setproduct([\"x\"], [\"a\", \"b\"], [1])"), R"([["x","a",1],["x","b",1]])");
  EXPECT_EQ(err("setproduct([1])"),
            "Call to function \"setproduct\" failed: at least two arguments are required.");
  EXPECT_EQ(err("setproduct([1], \"a\")"),
            "Invalid value for \"sets\" parameter: a set or a list is required.");
  EXPECT_EQ(err("setproduct([1, [2]], [1])"),
            "Invalid value for \"sets\" parameter: all elements must be of the same type.");
}

// ---------------------------------------------------------------------------------------------
// Encodings

TEST(HclFunctionsEncoding, Base64AndUrl) {
  EXPECT_EQ(str("base64encode(\"Hello World\")"), "SGVsbG8gV29ybGQ=");
  EXPECT_EQ(str("base64encode(\"\")"), "");
  EXPECT_EQ(str("base64encode(\"ab\")"), "YWI=");
  EXPECT_EQ(str("base64decode(\"SGVsbG8gV29ybGQ=\")"), "Hello World");
  EXPECT_EQ(str("base64decode(\"SGVs\\nbG8=\")"), "Hello");
  EXPECT_EQ(err("base64decode(\"SGVsbG8\")"),
            "Call to function \"base64decode\" failed: failed to decode base64 data 'SGVsbG8'.");
  EXPECT_EQ(err("base64decode(\"a$==\")"),
            "Call to function \"base64decode\" failed: failed to decode base64 data 'a$=='.");
  EXPECT_EQ(err("base64decode(\"/w==\")"),
            "Call to function \"base64decode\" failed: the result of decoding the the provided "
            "string is not valid UTF-8.");
  EXPECT_EQ(str("urlencode(\"Hello World!\")"), "Hello+World%21");
  EXPECT_EQ(str("urlencode(\"a-b_c.d~e/é\")"), "a-b_c.d~e%2F%C3%A9");
}

TEST(HclFunctionsEncoding, Json) {
  EXPECT_EQ(str("jsonencode({hello = \"world\", list = [1, true, null]})"),
            R"({"hello":"world","list":[1,true,null]})");
  EXPECT_EQ(str("jsonencode(null)"), "null");
  EXPECT_EQ(str("jsonencode(\"<a&b>\")"), R"("\u003ca\u0026b\u003e")");
  EXPECT_EQ(str("jsonencode(1e100)"), "1" + std::string(100, '0'));
  EXPECT_EQ(str("jsonencode(0.1)"), "0.1");
  EXPECT_EQ(str("jsonencode(\"é\\n\\t\")"), "\"é\\n\\t\"");
  EXPECT_EQ(eval("jsondecode(\"{\\\"hello\\\": \\\"world\\\"}\")"), R"({"hello":"world"})");
  EXPECT_EQ(type_of("jsondecode(\"[1, \\\"a\\\", true, null]\")"),
            "tuple([number, string, bool, any])");
  EXPECT_EQ(eval("jsondecode(\"true\")"), "true");
  EXPECT_EQ(eval("jsondecode(\"null\")"), "null");
  EXPECT_EQ(eval("jsondecode(\"{\\\"a\\\":1,\\\"a\\\":2}\")"), R"({"a":2})");
  EXPECT_EQ(
      eval("jsondecode(\"3.14159265358979323846264338327950288419716939937510582097494459\")"),
      "3.14159265358979323846264338327950288419716939937510582097494459");
  EXPECT_EQ(str("jsondecode(\"\\\"\\\\u00e9\\\\ud83d\\\\ude00\\\"\")"), "é😀");
  // Round trip.
  EXPECT_EQ(eval("jsondecode(jsonencode({a = [1, 2.5, \"x\"], b = {c = null}}))"),
            R"({"a":[1,2.5,"x"],"b":{"c":null}})");
  const std::string f = "Call to function \"jsondecode\" failed: ";
  EXPECT_EQ(err("jsondecode(\"\")"), f + "EOF.");
  EXPECT_EQ(err("jsondecode(\"x\")"), f + "invalid character 'x' looking for beginning of value.");
  EXPECT_EQ(err("jsondecode(\"{\\\"a\\\" 1}\")"), f + "invalid character '1' after object key.");
  EXPECT_EQ(err("jsondecode(\"{\\\"a\\\": 1 2}\")"),
            f + "invalid character '2' after object key:value pair.");
  EXPECT_EQ(err("jsondecode(\"{\\\"a\\\": 1,}\")"),
            f + "invalid character '}' looking for beginning of object key string.");
  EXPECT_EQ(err("jsondecode(\"[1,]\")"),
            f + "invalid character ']' looking for beginning of value.");
  EXPECT_EQ(err("jsondecode(\"[1 2]\")"), f + "invalid character '2' after array element.");
  EXPECT_EQ(err("jsondecode(\"[1,\")"), f + "EOF.");
  EXPECT_EQ(err("jsondecode(\"\\\"abc\")"), f + "unexpected EOF.");
  EXPECT_EQ(err("jsondecode(\"tru\")"), f + "unexpected EOF.");
  EXPECT_EQ(err("jsondecode(\"trux\")"),
            f + "invalid character 'x' in literal true (expecting 'e').");
  EXPECT_EQ(err("jsondecode(\"-x\")"), f + "invalid character 'x' in numeric literal.");
  EXPECT_EQ(err("jsondecode(\"1.x\")"),
            f + "invalid character 'x' after decimal point in numeric literal.");
  EXPECT_EQ(err("jsondecode(\"{} x\")"), f + "extraneous data after JSON object.");
  EXPECT_EQ(err("jsondecode(\"\\\"a\\\\qb\\\"\")"),
            f + "invalid character 'q' in string escape code.");
  EXPECT_EQ(eval("jsondecode(\"1]\")"), "1");  // dec.More() stops at a closing bracket
}

TEST(HclFunctionsEncoding, Csv) {
  EXPECT_EQ(eval("csvdecode(\"a,b,c\\n1,2,3\\n4,5,6\")"),
            R"([{"a":"1","b":"2","c":"3"},{"a":"4","b":"5","c":"6"}])");
  EXPECT_EQ(eval("csvdecode(\"a,b\\r\\n\\\"x,\\\"\\\"y\\\"\\\"\\\",z\\r\\n\\n\")"),
            R"([{"a":"x,\"y\"","b":"z"}])");
  EXPECT_EQ(eval("csvdecode(\"a\\n\\\"multi\\nline\\\"\\n\")"), R"([{"a":"multi\nline"}])");
  EXPECT_EQ(eval("csvdecode(\"a,b\")"), "[]");
  EXPECT_EQ(type_of("csvdecode(\"a,b\")"), "list(object({a=string, b=string}))");
  const std::string f = "Call to function \"csvdecode\" failed: ";
  EXPECT_EQ(err("csvdecode(\"\")"), f + "missing header line.");
  EXPECT_EQ(err("csvdecode(\"a,a\\n1,2\")"), f + "duplicate column name \"a\".");
  EXPECT_EQ(err("csvdecode(\"a,b\\n1,2\\n3\")"),
            f + "CSV parse error on line 3: wrong number of fields.");
  EXPECT_EQ(err("csvdecode(\"a,b\\n1,x\\\"y\")"),
            f + "CSV parse error on line 2: bare \" in non-quoted-field.");
  EXPECT_EQ(err("csvdecode(\"a,b\\n\\\"1\\\"x,2\")"),
            f + "CSV parse error on line 2: extraneous or missing \" in quoted-field.");
  EXPECT_EQ(err("csvdecode(\"a\\n\\\"1\")"),
            f + "CSV parse error on line 2: extraneous or missing \" in quoted-field.");
}

TEST(HclFunctionsEncoding, YamlDecode) {
  EXPECT_EQ(eval("yamldecode(\"hello: world\")"), R"({"hello":"world"})");
  EXPECT_EQ(eval("yamldecode(\"- a\\n- 1\\n- true\\n- ~\")"), R"(["a",1,true,null])");
  EXPECT_EQ(type_of("yamldecode(\"- a\\n- 1\")"), "tuple([string, number])");
  EXPECT_EQ(eval("yamldecode(\"[yes, No, on, OFF, y, n]\")"), "[true,false,true,false,true,false]");
  EXPECT_EQ(eval("yamldecode(\"['yes', \\\"1\\\", !!str 2]\")"), R"(["yes","1","2"])");
  EXPECT_EQ(eval("yamldecode(\"[0x1F, 0o17, 1_000, -12, .5, 1.5e3, 017]\")"),
            "[31,15,1000,-12,0.5,1500,17]");
  EXPECT_EQ(eval("yamldecode(\"[+Inf, .inf, -.Inf, 1.2.3]\")"),
            "[\"+Inf\",null,null,\"1.2.3\"]");  // infinities are JSON nulls
  EXPECT_EQ(str("format(\"%v\", yamldecode(\".inf\"))"), "+Inf");
  EXPECT_EQ(
      eval("yamldecode(\"[2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10]\")"),
      R"(["2001-12-14T00:00:00Z","2001-12-14T21:59:43-05:00","2001-12-14T21:59:43Z"])");
  EXPECT_EQ(eval("yamldecode(\"\")"), "null");
  EXPECT_EQ(eval("yamldecode(\"---\")"), "null");
  EXPECT_EQ(eval("yamldecode(\"|\\n  hello\\n  world\\n\")"), R"("hello\nworld\n")");
  EXPECT_EQ(eval("yamldecode(\">\\n  hello\\n  world\")"), R"("hello world")");
  EXPECT_EQ(eval("yamldecode(\"a: &x\\n  b: 1\\nc: *x\")"), R"({"a":{"b":1},"c":{"b":1}})");
  EXPECT_EQ(eval("yamldecode(\"a: aa\\n<<:\\n  b: bb\\n  c: cc\\nd: dd\\n\")"),
            R"({"a":"aa","b":"bb","c":"cc","d":"dd"})");
  EXPECT_EQ(eval("yamldecode(\"a: aa\\n<<:\\n  - b: bb\\n  - c: cc\\n\")"),
            R"({"a":"aa","b":"bb","c":"cc"})");
  EXPECT_EQ(eval("yamldecode(\"a: &foo\\n  beep: boop\\nb:\\n  <<: *foo\\n  bleep: bloop\\n\")"),
            R"({"a":{"beep":"boop"},"b":{"beep":"boop","bleep":"bloop"}})");
  EXPECT_EQ(eval("yamldecode(\"1: a\\ntrue: b\")"), R"({"1":"a","true":"b"})");
  EXPECT_EQ(eval("yamldecode(\"!!binary aGVsbG8=\")"), R"("aGVsbG8=")");
  const std::string f = "Call to function \"yamldecode\" failed: ";
  EXPECT_EQ(err("yamldecode(\".nan\")"),
            f + "on line 0, column 0: floating point NaN is not supported.");
  EXPECT_EQ(err("yamldecode(\"!!nope foo\")"),
            f + "on line 0, column 0: unsupported tag \"tag:yaml.org,2002:nope\".");
  EXPECT_EQ(err("yamldecode(\"!!bool bananas\")"),
            f + "on line 0, column 0: cannot parse \"bananas\" as tag:yaml.org,2002:bool.");
  EXPECT_EQ(err("yamldecode(\"a: 1\\n---\\nb: 2\")"),
            f + "on line 1, column 0: unexpected extra content after value.");
  EXPECT_EQ(err("yamldecode(\"a: *nope\")"),
            f + "on line 0, column 3: reference to undefined anchor \"nope\".");
  EXPECT_EQ(
      err("yamldecode(\"foo: &bar\\n  - x\\n  - *bar\\n\")"),
      f + "on line 2, column 4: cannot refer to anchor \"bar\" from inside its own definition.");
  EXPECT_EQ(err("yamldecode(\"? [a]\\n: b\")"),
            f + "on line 0, column 2: only strings are allowed as mapping keys.");
  EXPECT_EQ(err("yamldecode(\"~: b\")"), f + "on line 0, column 0: mapping key cannot be null.");
  // Errors on the first line (line 0 to libyaml) come without a position, as in go-cty-yaml.
  EXPECT_EQ(err("yamldecode(\"a: b: c\")"), f + "mapping values are not allowed in this context.");
  EXPECT_EQ(err("yamldecode(\"x: 1\\na: b: c\")"),
            f + "on line 2, column 0: mapping values are not allowed in this context.");
}

TEST(HclFunctionsEncoding, YamlEncode) {
  EXPECT_EQ(str("yamlencode({a = \"b\", c = \"d\"})"), "\"a\": \"b\"\n\"c\": \"d\"\n");
  EXPECT_EQ(str("yamlencode({foo = [1, 2, 3], bar = \"baz\"})"),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n");
  EXPECT_EQ(str("yamlencode({foo = [1, {a = \"b\", c = \"d\"}], bar = \"baz\"})"),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n");
  EXPECT_EQ(str("yamlencode(\"true\")"), "\"true\"\n");
  EXPECT_EQ(str("yamlencode(null)"), "null\n...\n");  // an open-ended plain root scalar
  EXPECT_EQ(str("yamlencode(1.5)"), "1.5\n...\n");
  EXPECT_EQ(str("yamlencode(yamldecode(\".inf\"))"), "+.Inf\n...\n");
  EXPECT_EQ(str("yamlencode(\"\")"), "\"\"\n");
  EXPECT_EQ(str("yamlencode(\"hello\\nworld\")"), "|-\n  hello\n  world\n");
  EXPECT_EQ(str("yamlencode([\"b\"])"), "- \"b\"\n");
  EXPECT_EQ(str("yamlencode(true)"), "true\n...\n");
  EXPECT_EQ(str("yamlencode([])"), "[]\n");
  EXPECT_EQ(str("yamlencode({})"), "{}\n");
  EXPECT_EQ(str("yamlencode({a = []})"), "\"a\": []\n");
  EXPECT_EQ(str("yamlencode(\"a\\nb\")"), "|-\n  a\n  b\n");
  EXPECT_EQ(str("yamlencode({k = \"a\\nb\\n\"})"), "\"k\": |\n  a\n  b\n");
  EXPECT_EQ(str("yamlencode(\"é\")"), "\"é\"\n");
  EXPECT_EQ(str("yamlencode(\"😀\\tx\")"), "\"\\U0001F600\\tx\"\n");
  EXPECT_EQ(str("yamlencode(\"a \\nb\")"),
            "\"a \\nb\"\n");  // no literal block with a space before a break
  // "|+" blocks leave the document open only when nothing follows them.
  EXPECT_EQ(str("yamlencode(\"a\\n\\n\")"), "|+\n  a\n\n...\n");
  EXPECT_EQ(str("yamlencode({k = \"a\\n\\n\"})"), "\"k\": |+\n  a\n\n...\n");
  EXPECT_EQ(str("yamlencode([\"a\\n\\n\", 1])"), "- |+\n  a\n\n- 1\n");
  EXPECT_EQ(str("yamlencode([1])"), "- 1\n");
  // Round trip.
  EXPECT_EQ(eval("yamldecode(yamlencode({a = [1, \"two\", true, null], b = {c = \"x\\ny\"}}))"),
            R"({"a":[1,"two",true,null],"b":{"c":"x\ny"}})");
}

// ---------------------------------------------------------------------------------------------
// Hashes, crypto, UUIDs

TEST(HclFunctionsCrypto, Hashes) {
  EXPECT_EQ(str("md5(\"hello world\")"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(str("sha1(\"hello world\")"), "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed");
  EXPECT_EQ(str("sha256(\"hello world\")"),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  EXPECT_EQ(str("sha512(\"hello world\")"),
            "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34"
            "255b45b0cfd830e81f60"
            "5dcf7dc5542e93ae9cd76f");
  EXPECT_EQ(str("md5(\"\")"), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(HclFunctionsCrypto, Bcrypt) {
  std::string hash = str("bcrypt(\"hello world\")");
  ASSERT_TRUE(std::regex_match(hash, std::regex(R"(\$2a\$10\$[./A-Za-z0-9]{53})"))) << hash;
  // The hash verifies the password.
  crypt_data data{};
  const char* check = crypt_rn("hello world", hash.c_str(), &data, sizeof data);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(std::string(check), hash);
  EXPECT_NE(std::string(crypt_rn("wrong", hash.c_str(), &data, sizeof data)), hash);
  EXPECT_EQ(str("bcrypt(\"x\", 4)").substr(0, 7), "$2a$04$");
  EXPECT_EQ(str("bcrypt(\"x\", 2)").substr(0, 7), "$2a$10$");   // below the minimum: default cost
  EXPECT_NE(str("bcrypt(\"x\", 4)"), str("bcrypt(\"x\", 4)"));  // random salt
  EXPECT_EQ(err("bcrypt(\"x\", 4, 5)"),
            "Call to function \"bcrypt\" failed: bcrypt() takes no more than two arguments.");
  EXPECT_EQ(err("bcrypt(\"x\", 32)"),
            "Call to function \"bcrypt\" failed: error occured generating password crypto/bcrypt: "
            "cost 32 is outside "
            "allowed inclusive range 4..31.");
  EXPECT_EQ(err("bcrypt(\"" + std::string(73, 'a') + "\")"),
            "Call to function \"bcrypt\" failed: error occured generating password bcrypt: "
            "password length exceeds 72 "
            "bytes.");
  EXPECT_EQ(err("bcrypt(\"x\", 4.5)"), "Call to function \"bcrypt\" failed: " + kWhole + ".");
}

// A throwaway 1024-bit test key (PKCS#1, and the same key as PKCS#8), and "Hello, world!"
// encrypted to it with PKCS#1 v1.5 padding (openssl pkeyutl -pkeyopt rsa_padding_mode:pkcs1).
const char* kRsaKey = R"(-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQCzipe5SAi93UtNkUP28PbNeTqX/2D+bDZLicm6daProS0urs9j
QJIzl/GMhrOZda/L7SVQSLFf5ZU21doXTiO0AUTPhjW60yp7Rcbs2hcjHL8BQcMw
6fG5DdYdV35RnJ9oZPA5XJYPYE2S+vamtktDark5w0kVKSMfHFijgCJH9QIDAQAB
AoGATL10VHGBqwWnZiQtFKOyGekzLjytzJGcM3VVkCkwQ0rE8Ssu4ZF77CmJyTLa
GUHAPj3CsSohBogu2x1U9pkjkNl70/rkiskEKL65agu9cpOmDo9VRQmB5HdfPabO
RfB3H111bmXrAiwjeWhomExPbjj3IoZYLrVHJDqb8nGU+JECQQDfe4fozlFHqwY2
d9+PPBfn8BQc+FXDFAi9KFNiL793yCAlvrMqBU1SPX62d/Ws+jz+hxlirCM8SRIj
XzElhrXbAkEAzapNuzqLBAgo40ajFl2++j18wjP8r0PqyvXncKWRGGb8BdSHFK/B
qR4Hgrsl+FIP4xAPqGufJkzugW95wsKqbwJAX6sLED8aDlsJKtIAEtn/xdtBUPGC
DSOLZiZYI6UbCtTR5jaPjgJ9CiKnFsedlPH+oFsHI/ValBkXuaqraEwVlwJBALbo
SBtEVJAwZZTDpJVmqEtLVeItdAO3pl/81Gl1hhYquObCfaQjL1uljk5w/LLc4K4z
AYnqtO7OKqvIpYRVtlcCQCqppVigl8liIGr32iiX24XJ2rbOa5+KqQ5SSmQo+sWb
VtXjagMnfOi2XzjXi1zzFg+jdzr0R2FSV+GD0Etooco=
-----END RSA PRIVATE KEY-----
)";
const char* kRsaKeyPkcs8 = R"(-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALOKl7lICL3dS02R
Q/bw9s15Opf/YP5sNkuJybp1o+uhLS6uz2NAkjOX8YyGs5l1r8vtJVBIsV/llTbV
2hdOI7QBRM+GNbrTKntFxuzaFyMcvwFBwzDp8bkN1h1XflGcn2hk8Dlclg9gTZL6
9qa2S0NquTnDSRUpIx8cWKOAIkf1AgMBAAECgYBMvXRUcYGrBadmJC0Uo7IZ6TMu
PK3MkZwzdVWQKTBDSsTxKy7hkXvsKYnJMtoZQcA+PcKxKiEGiC7bHVT2mSOQ2XvT
+uSKyQQovrlqC71yk6YOj1VFCYHkd189ps5F8HcfXXVuZesCLCN5aGiYTE9uOPci
hlgutUckOpvycZT4kQJBAN97h+jOUUerBjZ33488F+fwFBz4VcMUCL0oU2Ivv3fI
ICW+syoFTVI9frZ39az6PP6HGWKsIzxJEiNfMSWGtdsCQQDNqk27OosECCjjRqMW
Xb76PXzCM/yvQ+rK9edwpZEYZvwF1IcUr8GpHgeCuyX4Ug/jEA+oa58mTO6Bb3nC
wqpvAkBfqwsQPxoOWwkq0gAS2f/F20FQ8YINI4tmJlgjpRsK1NHmNo+OAn0KIqcW
x52U8f6gWwcj9VqUGRe5qqtoTBWXAkEAtuhIG0RUkDBllMOklWaoS0tV4i10A7em
X/zUaXWGFiq45sJ9pCMvW6WOTnD8stzgrjMBieq07s4qq8ilhFW2VwJAKqmlWKCX
yWIgavfaKJfbhcnats5rn4qpDlJKZCj6xZtW1eNqAyd86LZfONeLXPMWD6N3OvRH
YVJX4YPQS2ihyg==
-----END PRIVATE KEY-----
)";
const char* kRsaCiphertext =
    "F9HEjpy5kOwxsp9OAOafrMuRf92rE2mEo+SOU8O8hJCa+gXDq52kJg2KNd1vJ4y0VSGYSMWoqurr4xO+xvt+Nvz/"
    "j1FHVJZtdThc7a6qniCTYFeh/C+FJRl7W/k/pNNYRGKCKxHc7df5xfGbYj0KTlp2v5wvS8dgXo11FFUCM4c=";

TEST(HclFunctionsCrypto, Rsadecrypt) {
  auto call = [](const std::string& cipher, const std::string& key) {
    return "rsadecrypt(\"" + cipher + "\", <<EOT\n" + key + "EOT\n)";
  };
  EXPECT_EQ(str(call(kRsaCiphertext, kRsaKey)), "Hello, world!");
  const std::string f = "Call to function \"rsadecrypt\" failed: ";
  EXPECT_EQ(err(call("%%%", kRsaKey)),
            f + "failed to decode input \"%%%\": cipher text must be base64-encoded.");
  EXPECT_EQ(err(call(kRsaCiphertext, "not a key\n")), f + "failed to parse key: no key found.");
  EXPECT_EQ(err(call("AAAA", kRsaKey)), f + "crypto/rsa: decryption error.");
  EXPECT_EQ(err(call(kRsaCiphertext, kRsaKeyPkcs8)),
            f + "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key "
                "format).");
  std::string encrypted =
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
      "-----END RSA PRIVATE KEY-----\n";
  EXPECT_EQ(err(call(kRsaCiphertext, encrypted)),
            f + "failed to parse key: password protected keys are not supported. Please decrypt "
                "the key prior to use.");
}

TEST(HclFunctionsCrypto, Uuid) {
  std::string a = str("uuidv4()"), b = str("uuidv4()");
  EXPECT_TRUE(std::regex_match(
      a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
  EXPECT_NE(a, b);
  // Known vectors (python's uuid.uuid5 agrees).
  EXPECT_EQ(str("uuidv5(\"dns\", \"www.example.com\")"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(str("uuidv5(\"url\", \"https://www.terraform.io/\")"),
            "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5");
  EXPECT_EQ(str("uuidv5(\"oid\", \"1.2.3\")"), "42d5e23b-3a02-5135-85c6-52d1102f1f00");
  EXPECT_EQ(str("uuidv5(\"x500\", \"cn=x\")"), "a951fb6d-5aab-5a72-8e2e-9aa8df8d1f8f");
  EXPECT_EQ(str("uuidv5(\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\", \"www.example.com\")"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(str("uuidv5(\"{6ba7b810-9dad-11d1-80b4-00c04fd430c8}\", \"www.example.com\")"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(str("uuidv5(\"urn:uuid:6BA7B810-9DAD-11D1-80B4-00C04FD430C8\", \"www.example.com\")"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(str("uuidv5(\"6ba7b8109dad11d180b400c04fd430c8\", \"www.example.com\")"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(err("uuidv5(\"foo\", \"x\")"),
            "Call to function \"uuidv5\" failed: uuidv5() doesn't support namespace foo (invalid "
            "UUID length: 3).");
  EXPECT_EQ(err("uuidv5(\"6ba7b810x9dad-11d1-80b4-00c04fd430c8\", \"x\")"),
            "Call to function \"uuidv5\" failed: uuidv5() doesn't support namespace "
            "6ba7b810x9dad-11d1-80b4-00c04fd430c8 "
            "(invalid UUID format).");
}

// ---------------------------------------------------------------------------------------------
// Date and time

TEST(HclFunctionsDatetime, Formatdate) {
  const std::string ts = "\"2018-01-02T23:12:01-08:00\"";
  auto fd = [&](const std::string& f, const std::string& t = "") {
    return str("formatdate(\"" + f + "\", " + (t.empty() ? ts : "\"" + t + "\"") + ")");
  };
  EXPECT_EQ(fd("YYYY-MM-DD'T'hh:mm:ssZ"), "2018-01-02T23:12:01-08:00");
  EXPECT_EQ(fd("DD MMM YYYY hh:mm ZZZ"), "02 Jan 2018 23:12 -0800");
  EXPECT_EQ(fd("EEEE, DD-MMM-YY hh:mm:ss ZZZZZ"), "Tuesday, 02-Jan-18 23:12:01 -08:00");
  EXPECT_EQ(fd("EEE, MMMM D, h:m:s"), "Tue, January 2, 23:12:1");
  EXPECT_EQ(fd("H:mm aa / HH AA"), "11:12 pm / 11 PM");
  EXPECT_EQ(fd("h'h' 'o''clock' ''"), "23h o'clock '");
  EXPECT_EQ(fd("ZZZ|Z|ZZZZ", "2018-01-02T23:12:01Z"), "UTC|Z|+0000");
  EXPECT_EQ(fd("H AA", "2018-01-02T00:05:00Z"), "12 AM");
  EXPECT_EQ(fd("YYYY-MM-DD hh:mm:ss", "2018-01-02T23:12:01.999+05:30"), "2018-01-02 23:12:01");
  EXPECT_EQ(fd("M/D EEE", "2024-02-29T12:00:00Z"), "2/29 Thu");
  const std::string f0 = "Invalid value for \"format\" parameter: ";
  EXPECT_EQ(err("formatdate(\"YYY\", " + ts + ")"),
            f0 + "invalid date format verb \"YYY\": year must either be \"YY\" or \"YYYY\".");
  EXPECT_EQ(
      err("formatdate(\"MMMMM\", " + ts + ")"),
      f0 +
          "invalid date format verb \"MMMMM\": month must be \"M\", \"MM\", \"MMM\", or \"MMMM\".");
  EXPECT_EQ(
      err("formatdate(\"EE\", " + ts + ")"),
      f0 + "invalid date format verb \"EE\": day of week must either be \"EEE\" or \"EEEE\".");
  EXPECT_EQ(err("formatdate(\"A\", " + ts + ")"),
            f0 + "invalid date format verb \"A\": must be \"AA\".");
  EXPECT_EQ(err("formatdate(\"ZZ\", " + ts + ")"),
            f0 + "invalid date format verb \"ZZ\": timezone must be Z, ZZZZ, or ZZZZZ.");
  EXPECT_EQ(err("formatdate(\"YYYY-MM-DDThh\", " + ts + ")"),
            f0 + "invalid date format verb \"T\".");
  EXPECT_EQ(err("formatdate(\"'abc\", " + ts + ")"), f0 + "unterminated literal '.");
  const std::string f1 = "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp";
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-01-02\")"),
            f1 + ": missing required time introducer 'T'.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-01\")"),
            f1 + ": end of string where \"-\" is expected.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-01-02 23:12:01Z\")"),
            f1 + ": missing required time introducer 'T'.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-01-02T23-12\")"),
            f1 + ": found \"-12\" where \":\" is expected.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"18-01-02T23:12:01Z\")"),
            f1 + ": cannot use \"18-01-02T23:12:01Z\" as year.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-13-02T23:12:01Z\")"),
            f1 + ": cannot use \"-02T23:12:01Z\" as month.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-02-30T23:12:01Z\")"), f1 + ": day out of range.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-02-03T23:12:01\")"),
            f1 + ": end of string before UTC offset.");
  EXPECT_EQ(err("formatdate(\"YYYY\", \"2018-02-03T23:12:01Zjunk\")"),
            f1 + ": cannot use \"junk\" as timestamp segment.");
}

TEST(HclFunctionsDatetime, Timeadd) {
  EXPECT_EQ(str("timeadd(\"2017-11-22T00:00:00Z\", \"10m\")"), "2017-11-22T00:10:00Z");
  EXPECT_EQ(str("timeadd(\"2017-11-22T00:00:00Z\", \"-1h\")"), "2017-11-21T23:00:00Z");
  EXPECT_EQ(str("timeadd(\"2017-12-31T23:00:00+01:00\", \"1h30m\")"), "2018-01-01T00:30:00+01:00");
  EXPECT_EQ(str("timeadd(\"2017-11-22T00:00:00.5Z\", \"600ms\")"), "2017-11-22T00:00:01Z");
  EXPECT_EQ(str("timeadd(\"2017-11-22T00:00:00Z\", \"1.5h\")"), "2017-11-22T01:30:00Z");
  EXPECT_EQ(str("timeadd(\"2016-02-28T12:00:00Z\", \"24h\")"), "2016-02-29T12:00:00Z");
  EXPECT_EQ(str("timeadd(\"2017-11-22T00:00:00+00:00\", \"0\")"), "2017-11-22T00:00:00Z");
  const std::string f = "Call to function \"timeadd\" failed: ";
  EXPECT_EQ(err("timeadd(\"2017-11-22T00:00:00Z\", \"1d\")"),
            f + "time: unknown unit \"d\" in duration \"1d\".");
  EXPECT_EQ(err("timeadd(\"2017-11-22T00:00:00Z\", \"10\")"),
            f + "time: missing unit in duration \"10\".");
  EXPECT_EQ(err("timeadd(\"2017-11-22T00:00:00Z\", \"x\")"), f + "time: invalid duration \"x\".");
  EXPECT_EQ(err("timeadd(\"2017-11-22\", \"1h\")"),
            f + "not a valid RFC3339 timestamp: missing required time introducer 'T'.");
}

// ---------------------------------------------------------------------------------------------
// CIDR

TEST(HclFunctionsCidr, Host) {
  EXPECT_EQ(str("cidrhost(\"10.12.112.0/20\", 16)"), "10.12.112.16");
  EXPECT_EQ(str("cidrhost(\"10.12.112.0/20\", 268)"), "10.12.113.12");
  EXPECT_EQ(str("cidrhost(\"10.12.112.0/20\", -1)"), "10.12.127.255");
  EXPECT_EQ(str("cidrhost(\"10.12.112.5/20\", 0)"), "10.12.112.0");  // host bits are dropped
  EXPECT_EQ(str("cidrhost(\"fd00:fd12:3456:7890:00a2::/72\", 34)"), "fd00:fd12:3456:7890::22");
  EXPECT_EQ(str("cidrhost(\"fd00::/64\", -1)"), "fd00::ffff:ffff:ffff:ffff");
  EXPECT_EQ(str("cidrhost(\"::/0\", 1)"), "::1");
  const std::string f = "Call to function \"cidrhost\" failed: ";
  EXPECT_EQ(err("cidrhost(\"10.0.0.0/30\", 4)"),
            f + "prefix of 30 does not accommodate a host numbered 4.");
  EXPECT_EQ(err("cidrhost(\"10.0.0.0/30\", -5)"),
            f + "prefix of 30 does not accommodate a host numbered -5.");
  EXPECT_EQ(err("cidrhost(\"10.0.0.0\", 1)"),
            f + "invalid CIDR expression: invalid CIDR address: 10.0.0.0.");
  EXPECT_EQ(err("cidrhost(\"10.0.0.256/8\", 1)"),
            f + "invalid CIDR expression: invalid CIDR address: 10.0.0.256/8.");
  EXPECT_EQ(err("cidrhost(\"10.01.0.0/8\", 1)"),
            f + "invalid CIDR expression: invalid CIDR address: 10.01.0.0/8.");
  EXPECT_EQ(err("cidrhost(\"10.0.0.0/33\", 1)"),
            f + "invalid CIDR expression: invalid CIDR address: 10.0.0.0/33.");
  EXPECT_EQ(err("cidrhost(\"fe80::1%eth0/64\", 1)"),
            f + "invalid CIDR expression: invalid CIDR address: fe80::1%eth0/64.");
  EXPECT_EQ(err("cidrhost(\"10.0.0.0/8\", 1.5)"), f + kWhole + ".");
}

TEST(HclFunctionsCidr, NetmaskAndSubnet) {
  EXPECT_EQ(str("cidrnetmask(\"172.16.0.0/12\")"), "255.240.0.0");
  EXPECT_EQ(str("cidrnetmask(\"10.0.0.0/20\")"), "255.255.240.0");
  EXPECT_EQ(str("cidrnetmask(\"10.0.0.0/0\")"), "0.0.0.0");
  EXPECT_EQ(str("cidrnetmask(\"fd00::/32\")"), "ffff:ffff::");
  EXPECT_EQ(str("cidrsubnet(\"10.1.2.0/24\", 4, 15)"), "10.1.2.240/28");
  EXPECT_EQ(str("cidrsubnet(\"172.16.0.0/12\", 4, 2)"), "172.18.0.0/16");
  EXPECT_EQ(str("cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)"),
            "fd00:fd12:3456:7800:a200::/72");
  EXPECT_EQ(str("cidrsubnet(\"10.0.0.0/8\", 0, 0)"), "10.0.0.0/8");
  const std::string f = "Call to function \"cidrsubnet\" failed: ";
  EXPECT_EQ(err("cidrsubnet(\"10.0.0.0/24\", 4, 16)"),
            f + "prefix extension of 4 does not accommodate a subnet numbered 16.");
  EXPECT_EQ(err("cidrsubnet(\"10.0.0.0/24\", 4, -1)"),
            f + "prefix extension of 4 does not accommodate a subnet numbered -1.");
  EXPECT_EQ(err("cidrsubnet(\"10.0.0.0/24\", 9, 0)"),
            f + "insufficient address space to extend prefix of 24 by 9.");
  EXPECT_EQ(err("cidrsubnet(\"fd00::/24\", 33, 0)"),
            f + "may not extend prefix by more than 32 bits.");
  EXPECT_EQ(err("cidrsubnet(\"nope\", 1, 0)"),
            f + "invalid CIDR expression: invalid CIDR address: nope.");
}

TEST(HclFunctionsCidr, Subnets) {
  EXPECT_EQ(eval("cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)"),
            R"(["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"])");
  EXPECT_EQ(
      eval("cidrsubnets(\"fd00:fd12:3456:7890::/56\", 16, 16, 16, 32)"),
      R"(["fd00:fd12:3456:7800::/72","fd00:fd12:3456:7800:100::/72","fd00:fd12:3456:7800:200::/72","fd00:fd12:3456:7800:300::/88"])");
  EXPECT_EQ(eval("cidrsubnets(\"10.0.0.0/8\")"), "[]");
  EXPECT_EQ(eval("cidrsubnets(\"10.0.0.0/30\", 1, 1)"), R"(["10.0.0.0/31","10.0.0.2/31"])");
  EXPECT_EQ(err("cidrsubnets(\"10.0.0.0/30\", 1, 1, 1)"),
            "Invalid value for \"newbits\" parameter: not enough remaining address space for a "
            "subnet with a prefix of 31 "
            "bits after 10.0.0.2/31.");
  EXPECT_EQ(err("cidrsubnets(\"10.0.0.0/30\", 0)"),
            "Invalid value for \"newbits\" parameter: must extend prefix by at least one bit.");
  EXPECT_EQ(err("cidrsubnets(\"10.0.0.0/8\", 33)"),
            "Invalid value for \"newbits\" parameter: may not extend prefix by more than 32 bits.");
  EXPECT_EQ(err("cidrsubnets(\"10.0.0.0/30\", 3)"),
            "Invalid value for \"newbits\" parameter: would extend prefix to 33 bits, which is too "
            "long for an IPv4 address.");
  EXPECT_EQ(
      err("cidrsubnets(\"x\", 3)"),
      "Invalid value for \"prefix\" parameter: invalid CIDR expression: invalid CIDR address: x.");
}

// ---------------------------------------------------------------------------------------------
// try, can, convert

TEST(HclFunctionsType, TryCan) {
  EXPECT_EQ(eval("try(jsondecode(\"x\"), \"fallback\")"), R"("fallback")");
  EXPECT_EQ(eval("try(1, 2)"), "1");
  EXPECT_EQ(eval("can(parseint(\"x\", 10))"), "false");
  EXPECT_EQ(eval("can(parseint(\"1\", 10))"), "true");
  EXPECT_EQ(err("try()"), "Call to function \"try\" failed: at least one argument is required.");
  std::string e = err("try(jsondecode(\"x\"))");
  EXPECT_NE(e.find("no expression succeeded:\n- Error in function call (at test.hcl:1,5-16)"),
            std::string::npos)
      << e;
}

TEST(HclFunctionsType, Convert) {
  EXPECT_EQ(type_of("convert([1, 2], \"list(string)\")"), "list(string)");
  EXPECT_EQ(eval("convert([1, 2], \"list(string)\")"), R"(["1","2"])");
  EXPECT_EQ(type_of("convert({a = 1}, \"map(number)\")"), "map(number)");
  EXPECT_EQ(type_of("convert(\"1\", \"number\")"), "number");
  EXPECT_EQ(type_of("convert(1, \"$${string}\")"), "string");
  EXPECT_EQ(type_of("convert([1], \"any\")"), "tuple([number])");
  EXPECT_EQ(type_of("convert({a = 1}, \"object({a=string, b=optional(number)})\")"),
            "object({a=string, b=number})");
  EXPECT_EQ(eval("convert(null, \"string\")"), "null");
  EXPECT_EQ(err("convert(\"x\", \"number\")"),
            "Invalid value for \"value\" parameter: a number is required.");
  EXPECT_EQ(err("convert([1], \"string\")"),
            "Invalid value for \"value\" parameter: string required.");
  EXPECT_NE(err("convert(1, \"lisst(string)\")").find("Invalid value for \"type\" parameter"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Filesystem

class HclFunctionsFs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("warden_fs_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub" / "deep");
    write("hello.txt", "Hello World");
    write("a.json", "{}");
    write("sub/b.txt", "b");
    write("sub/deep/c.txt", "c");
    write("sub/.hidden", "h");
    write("bin.dat", std::string("\xff\xfe", 2));
    opts_.allow_fs = true;
    opts_.base_dir = dir_.string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& content) {
    std::ofstream(dir_ / rel, std::ios::binary) << content;
  }
  fs::path dir_;
  LibraryOptions opts_;
};

TEST_F(HclFunctionsFs, DisabledByDefault) {
  for (const char* call :
       {"file(\"hello.txt\")", "filebase64(\"x\")", "fileexists(\"x\")", "fileset(\".\", \"*\")",
        "abspath(\"x\")", "basename(\"/a/b\")", "dirname(\"/a/b\")", "pathexpand(\"~\")"}) {
    std::string name(call, std::string_view(call).find('('));
    EXPECT_EQ(err(call), "Call to function \"" + name + "\" failed: filesystem function disabled.")
        << call;
  }
}

TEST_F(HclFunctionsFs, File) {
  EXPECT_EQ(str("file(\"hello.txt\")", opts_), "Hello World");
  EXPECT_EQ(str("file(\"" + (dir_ / "sub/b.txt").string() + "\")", opts_), "b");
  EXPECT_EQ(str("file(\"sub/../hello.txt\")", opts_), "Hello World");
  EXPECT_EQ(str("filebase64(\"hello.txt\")", opts_), "SGVsbG8gV29ybGQ=");
  EXPECT_EQ(str("filebase64(\"bin.dat\")", opts_), "//4=");
  EXPECT_EQ(err("file(\"missing.txt\")", opts_),
            "Call to function \"file\" failed: no file exists at " +
                (dir_ / "missing.txt").string() + ".");
  EXPECT_EQ(err("file(\"sub\")", opts_),
            "Call to function \"file\" failed: failed to read " + (dir_ / "sub").string() + ".");
  EXPECT_EQ(err("file(\"bin.dat\")", opts_),
            "Call to function \"file\" failed: contents of bin.dat are not valid UTF-8; use the "
            "filebase64 function to "
            "obtain the Base64 encoded contents or the other file functions (e.g. filemd5, "
            "filesha256) to obtain file "
            "hashing results instead.");
  EXPECT_EQ(err("file(\"~other/x\")", opts_),
            "Call to function \"file\" failed: failed to expand ~: cannot expand user-specific "
            "home dir.");
}

TEST_F(HclFunctionsFs, Fileexists) {
  EXPECT_EQ(eval("fileexists(\"hello.txt\")", opts_), "true");
  EXPECT_EQ(eval("fileexists(\"nope.txt\")", opts_), "false");
  EXPECT_EQ(err("fileexists(\"sub\")", opts_),
            "Call to function \"fileexists\" failed: " + (dir_ / "sub").string() +
                " is not a regular file, but \"drwxr-xr-x\".");
}

TEST_F(HclFunctionsFs, Fileset) {
  EXPECT_EQ(eval("fileset(\".\", \"*.txt\")", opts_), R"(["hello.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"**/*.txt\")", opts_),
            R"(["hello.txt","sub/b.txt","sub/deep/c.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"{hello,a}.*\")", opts_), R"(["a.json","hello.txt"])");
  EXPECT_EQ(eval("fileset(\"sub\", \"*\")", opts_), R"([".hidden","b.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"sub/[a-b].txt\")", opts_), R"(["sub/b.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"h?llo.txt\")", opts_), R"(["hello.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"hello.txt\")", opts_), R"(["hello.txt"])");
  EXPECT_EQ(eval("fileset(\".\", \"sub\")", opts_), "[]");  // directories are left out
  EXPECT_EQ(eval("fileset(\".\", \"*.nope\")", opts_), "[]");
  EXPECT_EQ(type_of("fileset(\".\", \"*.nope\")"),
            "error: Error in function call: Call to function \"fileset\" failed: filesystem "
            "function disabled.");
  EXPECT_EQ(err("fileset(\".\", \"[\")", opts_),
            "Call to function \"fileset\" failed: failed to glob pattern (" +
                (dir_ / "[").string() + "): syntax error in pattern.");
}

TEST_F(HclFunctionsFs, Paths) {
  EXPECT_EQ(str("basename(\"foo/bar/baz.txt\")", opts_), "baz.txt");
  EXPECT_EQ(str("basename(\"/a/b/\")", opts_), "b");
  EXPECT_EQ(str("basename(\"\")", opts_), ".");
  EXPECT_EQ(str("basename(\"/\")", opts_), "/");
  EXPECT_EQ(str("dirname(\"foo/bar/baz.txt\")", opts_), "foo/bar");
  EXPECT_EQ(str("dirname(\"foo\")", opts_), ".");
  EXPECT_EQ(str("dirname(\"/a/b/\")", opts_), "/a/b");
  EXPECT_EQ(str("dirname(\"/\")", opts_), "/");
  EXPECT_EQ(str("abspath(\"/a/./b/../c\")", opts_), "/a/c");
  EXPECT_EQ(str("abspath(\"x/y\")", opts_), (fs::current_path() / "x/y").string());
  const char* home = std::getenv("HOME");
  if (home && *home) {
    EXPECT_EQ(str("pathexpand(\"~/foo\")", opts_),
              (fs::path(home) / "foo").lexically_normal().string());
    EXPECT_EQ(str("pathexpand(\"~\")", opts_), fs::path(home).lexically_normal().string());
  }
  EXPECT_EQ(str("pathexpand(\"/etc/x\")", opts_), "/etc/x");
  EXPECT_EQ(str("pathexpand(\"\")", opts_), "");
  EXPECT_EQ(err("pathexpand(\"~bob/x\")", opts_),
            "Call to function \"pathexpand\" failed: cannot expand user-specific home dir.");
}

}  // namespace
