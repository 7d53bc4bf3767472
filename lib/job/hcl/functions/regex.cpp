// regex_replace (go-cty's RegexReplaceFunc) and, as an extension nomad does not expose, regex and
// regexall (go-cty's RegexFunc and RegexAllFunc).
//
// Go's regexp is RE2. Boost.Regex in Perl mode agrees on the syntax job files use, once patterns
// are adjusted: (?P<name>...) becomes (?<name>...), `$` means end of text (as in RE2 without the
// m flag), `.` and `^` are not multi-line by default, and Perl-only constructs RE2 rejects
// (backreferences, look-around, possessive repetition) are rejected with Go's messages. Matching
// runs on code points (std::wstring holds UTF-32 here), so `.` consumes whole characters.
#include <boost/regex.hpp>

#include <algorithm>
#include <string>

#include "common.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

static_assert(sizeof(wchar_t) == 4, "regex matching needs UTF-32 wide strings");

std::wstring widen(std::string_view s) {
  std::wstring out;
  size_t i = 0;
  while (i < s.size()) out += static_cast<wchar_t>(unicode::decode(s, i));
  return out;
}

std::string narrow(std::wstring_view s) {
  std::string out;
  for (wchar_t c : s) unicode::append_utf8(out, static_cast<char32_t>(c));
  return out;
}

struct Compiled {
  boost::wregex re;
  std::vector<std::string> names;  // per capture group (1-based at index 1); "" when unnamed
};

// Translates RE2 syntax to Boost's Perl syntax; returns Go's error text on failure.
std::optional<Compiled> compile(std::string_view pattern, std::string& err) {
  const std::string quoted = "`" + std::string(pattern) + "`";
  std::wstring out;
  Compiled c;
  c.names.push_back("");
  int depth = 0;
  bool multiline = false;
  std::wstring p = widen(pattern);
  for (size_t i = 0; i < p.size(); ++i) {
    wchar_t ch = p[i];
    if (ch == L'\\') {
      if (i + 1 >= p.size()) {
        err = "error parsing regexp: trailing backslash at end of expression: ``";
        return std::nullopt;
      }
      wchar_t next = p[i + 1];
      if (next >= L'1' && next <= L'9') {
        err = "error parsing regexp: invalid escape sequence: `\\" + narrow(std::wstring(1, next)) +
              "`";
        return std::nullopt;
      }
      if (next == L'Q') {
        size_t end = p.find(L"\\E", i + 2);
        size_t stop = end == std::wstring::npos ? p.size() : end + 2;
        out += p.substr(i, stop - i);
        i = stop - 1;
        continue;
      }
      out += ch;
      out += next;
      ++i;
      continue;
    }
    if (ch == L'[') {
      size_t j = i + 1;
      if (j < p.size() && p[j] == L'^') ++j;
      if (j < p.size() && p[j] == L']') ++j;  // a leading ] is a literal
      for (; j < p.size() && p[j] != L']'; ++j) {
        if (p[j] == L'\\') {
          ++j;
        } else if (p[j] == L'[' && j + 1 < p.size() && p[j + 1] == L':') {
          size_t close = p.find(L":]", j + 2);
          if (close != std::wstring::npos) j = close + 1;
        }
      }
      if (j >= p.size()) {
        err = "error parsing regexp: missing closing ]: `" + narrow(p.substr(i)) + "`";
        return std::nullopt;
      }
      out += p.substr(i, j - i + 1);
      i = j;
      continue;
    }
    if (ch == L'(') {
      if (i + 1 < p.size() && p[i + 1] == L'?') {
        std::wstring rest = p.substr(i + 2);
        auto named = [&](size_t skip) -> bool {
          size_t close = p.find(L'>', i + skip);
          if (close == std::wstring::npos) return false;
          std::wstring name = p.substr(i + skip, close - i - skip);
          c.names.push_back(narrow(name));
          out += L"(?<" + name + L">";
          i = close;
          return true;
        };
        if (rest.rfind(L"P<", 0) == 0) {
          if (!named(4)) {
            err = "error parsing regexp: invalid named capture: `" + narrow(p.substr(i)) + "`";
            return std::nullopt;
          }
          ++depth;
          continue;
        }
        if (rest.rfind(L"<", 0) == 0 && rest.rfind(L"<=", 0) != 0 && rest.rfind(L"<!", 0) != 0) {
          if (!named(3)) {
            err = "error parsing regexp: invalid named capture: `" + narrow(p.substr(i)) + "`";
            return std::nullopt;
          }
          ++depth;
          continue;
        }
        // Flags: (?flags) or (?flags:...). Anything else is Perl syntax RE2 lacks.
        size_t j = i + 2;
        bool negate = false;
        for (; j < p.size(); ++j) {
          wchar_t f = p[j];
          if (f == L'i' || f == L's' || f == L'U') continue;
          if (f == L'm') {
            multiline = !negate;
            continue;
          }
          if (f == L'-' && !negate) {
            negate = true;
            continue;
          }
          if (f == L':' || f == L')') break;
          err = "error parsing regexp: invalid or unsupported Perl syntax: `" +
                narrow(p.substr(i, j - i + 1)) + "`";
          return std::nullopt;
        }
        if (j >= p.size()) {
          err = "error parsing regexp: missing closing ): " + quoted;
          return std::nullopt;
        }
        if (p[j] == L':') ++depth;
        out += p.substr(i, j - i + 1);
        i = j;
        continue;
      }
      c.names.push_back("");
      ++depth;
      out += ch;
      continue;
    }
    if (ch == L')') {
      if (--depth < 0) {
        err = "error parsing regexp: unexpected ): " + quoted;
        return std::nullopt;
      }
      out += ch;
      continue;
    }
    if ((ch == L'*' || ch == L'+' || ch == L'?') && i + 1 < p.size() && p[i + 1] == L'+') {
      err = "error parsing regexp: invalid nested repetition operator: `" + narrow(p.substr(i, 2)) +
            "`";
      return std::nullopt;
    }
    if (ch == L'$' && !multiline) {
      out += L"\\z";  // RE2's $ is the end of the text, not also before a final newline
      continue;
    }
    out += ch;
  }
  if (depth > 0) {
    err = "error parsing regexp: missing closing ): " + quoted;
    return std::nullopt;
  }
  try {
    c.re.assign(out, boost::regex_constants::perl | boost::regex_constants::no_mod_m |
                         boost::regex_constants::no_mod_s);
  } catch (const boost::regex_error& e) {
    err = "error parsing regexp: " + std::string(e.what()) + ": " + quoted;
    return std::nullopt;
  }
  return c;
}

using Match = boost::match_results<std::wstring::const_iterator>;

// The leftmost match at or after `from`, with look-behind context kept for anchors.
bool search_from(const std::wstring& s, size_t from, const Compiled& c, Match& m) {
  auto flags = boost::match_default;
  if (from > 0) flags |= boost::match_prev_avail;
  return boost::regex_search(s.begin() + static_cast<ptrdiff_t>(from), s.end(), m, c.re, flags);
}

// Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$.
void expand(std::wstring& out, const std::wstring& tmpl, const Match& m, const Compiled& c) {
  auto group = [&](const std::wstring& name) {
    bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), [](wchar_t ch) {
      return ch >= L'0' && ch <= L'9';
    });
    if (numeric) {
      if (name.size() > 6) return;
      size_t n = std::stoul(narrow(name));
      if (n < m.size() && m[static_cast<int>(n)].matched) out += m[static_cast<int>(n)].str();
      return;
    }
    std::string n8 = narrow(name);
    for (size_t g = 1; g < c.names.size(); ++g) {
      if (c.names[g] == n8 && m[static_cast<int>(g)].matched) {
        out += m[static_cast<int>(g)].str();
        return;
      }
    }
  };
  auto name_char = [](wchar_t ch) {
    return (ch >= L'a' && ch <= L'z') || (ch >= L'A' && ch <= L'Z') || (ch >= L'0' && ch <= L'9') ||
           ch == L'_';
  };
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != L'$' || i + 1 >= tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    wchar_t next = tmpl[i + 1];
    if (next == L'$') {
      out += L'$';
      ++i;
    } else if (next == L'{') {
      size_t close = tmpl.find(L'}', i + 2);
      std::wstring name = close == std::wstring::npos ? L"" : tmpl.substr(i + 2, close - i - 2);
      if (close == std::wstring::npos || name.empty() ||
          !std::all_of(name.begin(), name.end(), name_char)) {
        out += L'$';  // not a valid reference: the '$' is kept as text
        continue;
      }
      group(name);
      i = close;
    } else if (name_char(next)) {
      size_t j = i + 1;
      while (j < tmpl.size() && name_char(tmpl[j])) ++j;
      group(tmpl.substr(i + 1, j - i - 1));
      i = j - 1;
    } else {
      out += L'$';
    }
  }
}

CallResult regex_replace(std::span<const Value> a) {
  std::string err;
  auto c = compile(a[1].as_string(), err);
  if (!c) return CallResult::fail(err);
  std::wstring s = widen(a[0].as_string()), tmpl = widen(a[2].as_string());
  std::wstring out;
  size_t search = 0, last_end = 0;
  Match m;
  // Go's ReplaceAll: an empty match right after a previous match is not replaced, and the
  // search always moves forward by at least one character.
  while (search <= s.size() && search_from(s, search, *c, m)) {
    size_t begin = static_cast<size_t>(m[0].first - s.begin()),
           end = static_cast<size_t>(m[0].second - s.begin());
    out += s.substr(last_end, begin - last_end);
    if (end > last_end || begin == 0) expand(out, tmpl, m, *c);
    last_end = end;
    search = search + 1 > end ? search + 1 : end;
  }
  if (last_end < s.size()) out += s.substr(last_end);
  return CallResult::ok(Value::string(narrow(out)));
}

// go-cty's regex result type: the whole match, a tuple of unnamed groups, or an object of named
// ones.
struct ResultShape {
  enum Kind { whole, tuple, object } kind = whole;
};

std::optional<ResultShape> shape(const Compiled& c, std::string& err) {
  size_t named = 0, unnamed = 0;
  for (size_t g = 1; g < c.names.size(); ++g) (c.names[g].empty() ? unnamed : named)++;
  if (named && unnamed) {
    err = "invalid regexp pattern: cannot mix both named and unnamed capture groups";
    return std::nullopt;
  }
  return ResultShape{named     ? ResultShape::object
                     : unnamed ? ResultShape::tuple
                               : ResultShape::whole};
}

Value match_value(const Match& m, const Compiled& c, ResultShape sh) {
  auto group = [&](size_t g) {
    const auto& sub = m[static_cast<int>(g)];
    return sub.matched ? Value::string(narrow(sub.str())) : Value::null(Type::string());
  };
  if (sh.kind == ResultShape::whole) return Value::string(narrow(m[0].str()));
  if (sh.kind == ResultShape::tuple) {
    std::vector<Value> vals;
    for (size_t g = 1; g < c.names.size(); ++g) vals.push_back(group(g));
    return Value::tuple(std::move(vals));
  }
  std::vector<Value::Entry> entries;
  for (size_t g = 1; g < c.names.size(); ++g) entries.emplace_back(c.names[g], group(g));
  return Value::object(std::move(entries));
}

Type shape_type(const Compiled& c, ResultShape sh) {
  if (sh.kind == ResultShape::whole) return Type::string();
  if (sh.kind == ResultShape::tuple)
    return Type::tuple(std::vector<Type>(c.names.size() - 1, Type::string()));
  std::vector<Type::Attribute> attrs;
  for (size_t g = 1; g < c.names.size(); ++g) attrs.emplace_back(c.names[g], Type::string());
  return Type::object(std::move(attrs));
}

CallResult regex_matches(std::span<const Value> a, bool all) {
  std::string err;
  auto c = compile(a[0].as_string(), err);
  if (!c) {
    // go-cty words syntax errors as "invalid regexp pattern: <code> in <expr>".
    const std::string prefix = "error parsing regexp: ";
    std::string detail = err.substr(err.rfind(prefix, 0) == 0 ? prefix.size() : 0);
    size_t sep = detail.rfind(": `");
    if (sep != std::string::npos) detail = detail.substr(0, sep) + " in " + detail.substr(sep + 2);
    return CallResult::bad_arg(0, "invalid regexp pattern: " + detail);
  }
  auto sh = shape(*c, err);
  if (!sh) return CallResult::bad_arg(0, err);
  std::wstring s = widen(a[1].as_string());
  Match m;
  if (!all) {
    if (!search_from(s, 0, *c, m))
      return CallResult::fail("pattern did not match any part of the given string");
    return CallResult::ok(match_value(m, *c, *sh));
  }
  // Go's FindAll: an empty match right after the previous match does not count.
  std::vector<Value> out;
  size_t pos = 0;
  std::optional<size_t> prev_end;
  while (pos <= s.size() && search_from(s, pos, *c, m)) {
    size_t begin = static_cast<size_t>(m[0].first - s.begin()),
           end = static_cast<size_t>(m[0].second - s.begin());
    bool accept = true;
    if (end == begin) {
      if (prev_end && begin == *prev_end) accept = false;
      pos = end + 1;
    } else {
      pos = end;
    }
    prev_end = end;
    if (accept) out.push_back(match_value(m, *c, *sh));
  }
  return CallResult::ok(Value::list(std::move(out), shape_type(*c, *sh)));
}

}  // namespace

void add_regex_functions(FunctionTable& t) {
  const Type s = Type::string();
  t.add("regex_replace",
        fixed({param("str", s), param("pattern", s), param("replace", s)}, regex_replace));
  t.add("regex", fixed({param("pattern", s), param("string", s)},
                       [](std::span<const Value> a) { return regex_matches(a, false); }));
  t.add("regexall", fixed({param("pattern", s), param("string", s)},
                          [](std::span<const Value> a) { return regex_matches(a, true); }));
}

}  // namespace warden::hcl
