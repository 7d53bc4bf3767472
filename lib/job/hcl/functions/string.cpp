// The string functions: go-cty's stdlib string.go (case, trimming, splitting, graphemes).
#include <algorithm>

#include "common.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

const Type kString = Type::string();
const Type kNumber = Type::number();

std::vector<char32_t> runes(std::string_view s) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < s.size()) out.push_back(unicode::decode(s, i));
  return out;
}

// Go's strings.Title: upper-case every letter that follows a separator.
std::string title(std::string_view s) {
  auto separator = [](char32_t r) {
    if (r <= 0x7F) {
      bool word =
          (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_';
      return !word;
    }
    return unicode::is_space(r);  // letters and digits are never spaces
  };
  std::string out;
  char32_t prev = ' ';
  size_t i = 0;
  while (i < s.size()) {
    char32_t r = unicode::decode(s, i);
    unicode::append_utf8(out, separator(prev) ? unicode::to_upper(r) : r);
    prev = r;
  }
  return out;
}

// Go's strings.Split, including its rules for an empty separator (one element per code point).
std::vector<std::string> go_split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  if (sep.empty()) {
    size_t i = 0;
    while (i < s.size()) {
      size_t start = i;
      unicode::decode(s, i);
      out.emplace_back(s.substr(start, i - start));
    }
    return out;
  }
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string_view::npos; start = at + sep.size()) {
    out.emplace_back(s.substr(start, at - start));
  }
  out.emplace_back(s.substr(start));
  return out;
}

// Go's strings.Replace(s, old, new, -1): an empty `old` matches before every code point and at the
// end.
std::string go_replace_all(std::string_view s, std::string_view old, std::string_view rep) {
  std::string out;
  if (old.empty()) {
    size_t i = 0;
    out += rep;
    while (i < s.size()) {
      size_t start = i;
      unicode::decode(s, i);
      out += s.substr(start, i - start);
      out += rep;
    }
    return out;
  }
  size_t start = 0;
  for (size_t at; (at = s.find(old, start)) != std::string_view::npos; start = at + old.size()) {
    out += s.substr(start, at - start);
    out += rep;
  }
  out += s.substr(start);
  return out;
}

// Go's strings.Trim: drop leading and trailing code points that appear in cutset.
std::string go_trim(std::string_view s, std::string_view cutset) {
  if (s.empty() || cutset.empty()) return std::string(s);
  std::vector<char32_t> cut = runes(cutset);
  auto in_cut = [&](char32_t r) { return std::find(cut.begin(), cut.end(), r) != cut.end(); };
  size_t begin = 0;
  while (begin < s.size()) {
    size_t next = begin;
    if (!in_cut(unicode::decode(s, next))) break;
    begin = next;
  }
  size_t end = s.size();
  while (end > begin) {
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t probe = start;
    if (!in_cut(unicode::decode(s, probe))) break;
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string trim_space(std::string_view s) {
  size_t i = 0;
  size_t first = std::string_view::npos, last_end = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t r = unicode::decode(s, i);
    if (!unicode::is_space(r)) {
      if (first == std::string_view::npos) first = start;
      last_end = i;
    }
  }
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, last_end - first));
}

CallResult substr(std::span<const Value> a) {
  const std::string& str = a[0].as_string();
  auto offset = to_int(a[1]);
  if (!offset) return CallResult::fail(std::string(kWholeNumber));
  auto length = to_int(a[2]);
  if (!length) return CallResult::fail(std::string(kWholeNumber));
  std::vector<std::string_view> gs = graphemes(str);
  int64_t off = *offset;
  if (off < 0) {
    off += static_cast<int64_t>(gs.size());
    if (off < 0) off = 0;
  } else if (*length == 0) {
    // cty short-circuits a zero length only for non-negative offsets.
    return CallResult::ok(Value::string(""));
  }
  if (off >= static_cast<int64_t>(gs.size())) return CallResult::ok(Value::string(""));
  size_t from = static_cast<size_t>(off);
  size_t to = gs.size();
  // cty counts clusters until it has taken `length` of them, so a zero length (only reachable
  // with a negative offset) never stops early and takes the rest.
  if (*length > 0) to = std::min<size_t>(gs.size(), from + static_cast<size_t>(*length));
  std::string out;
  for (size_t k = from; k < to; ++k) out += gs[k];
  return CallResult::ok(Value::string(out));
}

CallResult join(std::span<const Value> a) {
  if (a.size() < 2) return CallResult::fail("at least one list is required");
  std::string out;
  bool first = true;
  size_t lists = a.size() - 1;
  for (size_t j = 1; j < a.size(); ++j) {
    const auto& elems = a[j].elements();
    for (size_t e = 0; e < elems.size(); ++e) {
      if (elems[e].is_null()) {
        std::string msg =
            lists > 1 ? "element " + std::to_string(e) + " of list " + std::to_string(j) +
                            " is null; cannot concatenate null values"
                      : "element " + std::to_string(e) + " is null; cannot concatenate null values";
        return CallResult::bad_arg(static_cast<int>(j), msg);
      }
      if (!first) out += a[0].as_string();
      out += elems[e].as_string();
      first = false;
    }
  }
  return CallResult::ok(Value::string(out));
}

// A function of one string returning a string.
Function string_to_string(std::string (*f)(std::string_view)) {
  return fixed({param("str", kString)}, [f](std::span<const Value> a) {
    return CallResult::ok(Value::string(f(a[0].as_string())));
  });
}

std::string reverse_graphemes(std::string_view s) {
  std::vector<std::string_view> gs = graphemes(s);
  std::string out;
  out.reserve(s.size());
  for (auto it = gs.rbegin(); it != gs.rend(); ++it) out += *it;
  return out;
}

std::string chomp(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

void add_string_functions(FunctionTable& t) {
  t.add("upper", string_to_string([](std::string_view s) { return unicode::upper(s); }));
  t.add("lower", string_to_string([](std::string_view s) { return unicode::lower(s); }));
  t.add("title", string_to_string(title));
  t.add("chomp", string_to_string(chomp));
  t.add("trimspace", string_to_string(trim_space));
  // nomad binds both names to cty's ReverseFunc, which reverses a string.
  t.add("strrev", string_to_string(reverse_graphemes));
  t.add("reverse", string_to_string(reverse_graphemes));

  t.add("strlen", fixed({param("str", kString)}, [](std::span<const Value> a) {
          return CallResult::ok(
              Value::number(static_cast<int64_t>(grapheme_count(a[0].as_string()))));
        }));

  t.add("indent",
        fixed({param("spaces", kNumber), param("str", kString)}, [](std::span<const Value> a) {
          auto n = to_int(a[0]);
          if (!n) return CallResult::fail(std::string(kWholeNumber));
          // Go's strings.Repeat panics on a negative count.
          if (*n < 0)
            return CallResult::fail(
                "panic in function implementation: strings: negative Repeat count");
          if (*n > 1 << 20) return CallResult::fail("indentation is too large");
          return CallResult::ok(Value::string(go_replace_all(
              a[1].as_string(), "\n", "\n" + std::string(static_cast<size_t>(*n), ' '))));
        }));

  t.add("join", variadic({param("separator", kString)}, param("lists", Type::list(kString)), join));

  t.add("split",
        fixed({param("separator", kString), param("str", kString)}, [](std::span<const Value> a) {
          return CallResult::ok(string_list(go_split(a[1].as_string(), a[0].as_string())));
        }));

  t.add("replace",
        fixed({param("str", kString), param("substr", kString), param("replace", kString)},
              [](std::span<const Value> a) {
                return CallResult::ok(Value::string(
                    go_replace_all(a[0].as_string(), a[1].as_string(), a[2].as_string())));
              }));

  t.add("substr",
        fixed({param("str", kString), param("offset", kNumber), param("length", kNumber)}, substr));

  t.add("trim",
        fixed({param("str", kString), param("cutset", kString)}, [](std::span<const Value> a) {
          return CallResult::ok(Value::string(go_trim(a[0].as_string(), a[1].as_string())));
        }));
  t.add("trimprefix",
        fixed({param("str", kString), param("prefix", kString)}, [](std::span<const Value> a) {
          std::string_view s = a[0].as_string(), p = a[1].as_string();
          if (s.substr(0, p.size()) == p) s.remove_prefix(p.size());
          return CallResult::ok(Value::string(s));
        }));
  t.add("trimsuffix",
        fixed({param("str", kString), param("suffix", kString)}, [](std::span<const Value> a) {
          std::string_view s = a[0].as_string(), p = a[1].as_string();
          if (s.size() >= p.size() && s.substr(s.size() - p.size()) == p) s.remove_suffix(p.size());
          return CallResult::ok(Value::string(s));
        }));

  add_format_functions(t);
}

}  // namespace warden::hcl
