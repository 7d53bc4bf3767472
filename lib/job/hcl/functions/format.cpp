// format and formatlist: go-cty's printf dialect. The verb grammar, the argument numbering and
// the error texts follow go-cty's format_fsm; numbers print as Go prints *big.Int and *big.Float.
#include <algorithm>

#include "common.hpp"
#include "printf_number.hpp"
#include "warden/core/json_writer.hpp"
#include "warden/core/unicode.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

struct Verb : PrintfSpec {
  size_t offset = 0;  // byte offset of the '%'
  std::string raw;    // the verb's text, e.g. "%-5[2]s"
  size_t arg = 0;     // 1-based
  char32_t mode = 0;
};

// go-cty pads %v, %s and %q to the width in grapheme clusters.
std::string pad_width(const Verb& v, std::string s) {
  if (v.width < 0) return s;
  int count = static_cast<int>(grapheme_count(s));
  if (count >= v.width) return s;
  std::string pad(static_cast<size_t>(v.width - count), v.zero ? '0' : ' ');
  return v.minus ? s + pad : pad + s;
}

std::string truncate_graphemes(const std::string& s, int prec) {
  if (prec <= 0) return s;
  auto gs = graphemes(s);
  if (static_cast<int>(gs.size()) <= prec) return s;
  std::string out;
  for (int i = 0; i < prec; ++i) out += gs[static_cast<size_t>(i)];
  return out;
}

std::string at(const Verb& v) {
  return go_quote(v.raw) + " at " + std::to_string(v.offset);
}

// Formats one verb; returns an error message on failure.
std::optional<std::string> append_verb(const Verb& v, std::span<const Value> args,
                                       std::string& out) {
  if (v.arg > args.size()) {
    return "not enough arguments for " + at(v) + ": need index " + std::to_string(v.arg) +
           " but have " + std::to_string(args.size()) + " total";
  }
  const Value& arg = args[v.arg - 1];
  if (v.mode != 'v' && arg.is_null())
    return "unsupported value for " + at(v) + ": null value cannot be formatted";

  auto convert_to = [&](const Type& t, Value& into) -> std::optional<std::string> {
    auto c = convert(arg, t);
    if (!c.ok()) return "unsupported value for " + at(v) + ": " + c.error;
    into = std::move(c.value);
    return std::nullopt;
  };
  Value val;
  switch (v.mode) {
    case 'v':
      if (!v.sharp && !arg.is_null() && arg.type().kind() == Type::Kind::string) {
        out += pad_width(v, arg.as_string());
      } else if (!v.sharp && !arg.is_null() && arg.type().kind() == Type::Kind::number) {
        const Number& n = arg.as_number();
        std::string text = shortest_g(n);
        out += pad_width(v, (n.sign() < 0 ? "-" : n.is_infinite() ? "+" : "") + text);
      } else {
        out += pad_width(v, arg.to_json());
      }
      return std::nullopt;
    case 't':
      if (auto e = convert_to(Type::boolean(), val)) return e;
      out += val.as_bool() ? "true" : "false";
      return std::nullopt;
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
      if (auto e = convert_to(Type::number(), val)) return e;
      if (!val.as_number().is_whole())
        return "unsupported value for " + at(v) + ": an integer is required";
      out += printf_int(v, static_cast<char>(v.mode), val.as_number());
      return std::nullopt;
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      if (auto e = convert_to(Type::number(), val)) return e;
      out += printf_float(v, static_cast<char>(v.mode), val.as_number());
      return std::nullopt;
    case 's':
      if (auto e = convert_to(Type::string(), val)) return e;
      out += pad_width(v, truncate_graphemes(val.as_string(), v.prec));
      return std::nullopt;
    case 'q': {
      if (auto e = convert_to(Type::string(), val)) return e;
      std::string quoted;
      JsonWriter::append_quoted(quoted, truncate_graphemes(val.as_string(), v.prec));
      out += pad_width(v, quoted);
      return std::nullopt;
    }
    default:
      return "unsupported format verb " + go_quote_rune(v.mode) + " in " + go_quote(v.raw) +
             " at offset " + std::to_string(v.offset);
  }
}

struct FormatError {
  std::string message;
  int arg = -1;  // index into the function's arguments for "too many arguments"
};

// Runs the format string against args (the values after the format string).
std::optional<FormatError> format_string(std::string_view f, std::span<const Value> args,
                                         std::string& out) {
  size_t next_arg = 1, max_arg = 0;
  size_t p = 0;
  auto unrecognized = [&](size_t at) {
    size_t i = at;
    char32_t r = unicode::decode(f, i);
    return FormatError{"unrecognized format character " + go_quote_rune(r) + " at offset " +
                       std::to_string(at)};
  };
  auto unterminated = [&] {
    return FormatError{"invalid format string starting at offset " + std::to_string(f.size())};
  };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  constexpr int kMaxNumber = 1 << 20;  // widths and indexes beyond this cannot be meant
  auto read_number = [&](size_t& i) {
    long n = 0;
    while (i < f.size() && digit(f[i])) {
      n = std::min<long>(n * 10 + (f[i] - '0'), kMaxNumber);
      ++i;
    }
    return static_cast<int>(n);
  };

  while (p < f.size()) {
    if (f[p] != '%') {
      out += f[p++];
      continue;
    }
    Verb v;
    v.offset = p;
    size_t i = p + 1;
    if (i >= f.size()) return unterminated();
    if (f[i] == '%') {
      out += '%';
      p = i + 1;
      continue;
    }
    for (; i < f.size(); ++i) {
      char c = f[i];
      if (c == ' ')
        v.space = true;
      else if (c == '#')
        v.sharp = true;
      else if (c == '+')
        v.plus = true;
      else if (c == '-')
        v.minus = true;
      else if (c == '0')
        v.zero = true;
      else
        break;
    }
    if (i < f.size() && f[i] >= '1' && f[i] <= '9') v.width = read_number(i);
    if (i < f.size() && f[i] == '.') {
      ++i;
      v.prec = read_number(i);
    }
    bool indexed = false;
    if (i < f.size() && f[i] == '[') {
      ++i;
      if (i >= f.size()) return unterminated();
      if (!(f[i] >= '1' && f[i] <= '9')) return unrecognized(i);
      v.arg = static_cast<size_t>(read_number(i));
      if (i >= f.size()) return unterminated();
      if (f[i] != ']') return unrecognized(i);
      ++i;
      indexed = true;
    }
    if (i >= f.size()) return unterminated();
    if (!letter(f[i])) return unrecognized(i);
    v.mode = static_cast<char32_t>(f[i]);
    ++i;
    v.raw = std::string(f.substr(p, i - p));
    if (!indexed) v.arg = next_arg;
    next_arg = v.arg + 1;
    max_arg = std::max(max_arg, v.arg);
    // Go never treats '0' as padding when '-' is also given.
    if (v.minus) v.zero = false;
    if (auto err = append_verb(v, args, out)) return FormatError{*err};
    p = i;
  }
  if (max_arg < args.size()) {
    std::string msg = max_arg == 0 ? "too many arguments; no verbs in format string"
                                   : "too many arguments; only " + std::to_string(max_arg) +
                                         " used by format string";
    return FormatError{msg, static_cast<int>(max_arg) + 1};
  }
  return std::nullopt;
}

CallResult format(std::span<const Value> a) {
  std::string out;
  if (auto err = format_string(a[0].as_string(), a.subspan(1), out)) {
    return err->arg >= 0 ? CallResult::bad_arg(err->arg, err->message)
                         : CallResult::fail(err->message);
  }
  return CallResult::ok(Value::string(out));
}

CallResult formatlist(std::span<const Value> a) {
  std::span<const Value> args = a.subspan(1);
  // Sequences are iterated in parallel; everything else repeats on each iteration.
  std::optional<size_t> len;
  size_t len_arg = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& v = args[i];
    if (v.is_null() || !v.type().is_list_like()) continue;
    size_t n = v.length();
    if (!len) {
      len = n;
      len_arg = i;
    } else if (n != *len) {
      return CallResult::bad_arg(static_cast<int>(i) + 1,
                                 "argument " + std::to_string(i + 1) + " has length " +
                                     std::to_string(n) + ", which is inconsistent with argument " +
                                     std::to_string(len_arg + 1) + " of length " +
                                     std::to_string(*len));
    }
  }
  size_t iterations = len.value_or(1);
  std::vector<std::string> results;
  for (size_t it = 0; it < iterations; ++it) {
    std::vector<Value> iter_args;
    for (const auto& v : args) {
      iter_args.push_back(!v.is_null() && v.type().is_list_like() ? v.elements()[it] : v);
    }
    std::string out;
    if (auto err = format_string(a[0].as_string(), iter_args, out)) {
      if (args.empty()) {
        // Without arguments formatlist is format itself, errors included.
        return err->arg >= 0 ? CallResult::bad_arg(err->arg, err->message)
                             : CallResult::fail(err->message);
      }
      return CallResult::fail("error on format iteration " + std::to_string(it) + ": " +
                              err->message);
    }
    results.push_back(std::move(out));
  }
  return CallResult::ok(string_list(results));
}

}  // namespace

namespace fn {

void add_format_functions(FunctionTable& t) {
  t.add("format",
        variadic({param("format", Type::string())}, param("args", Type::dynamic(), true), format));
  t.add("formatlist", variadic({param("format", Type::string())},
                               param("args", Type::dynamic(), true), formatlist));
}

}  // namespace fn

}  // namespace warden::hcl
