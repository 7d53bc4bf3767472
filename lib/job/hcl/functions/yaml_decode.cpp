// yamldecode: libyaml's parser with go-cty-yaml's rules on top (scalar resolution with YAML 1.1
// booleans, YAML 1.2 numbers and timestamps as RFC 3339 strings; merge keys; anchors; its error
// texts and positions). go-cty-yaml is a Go port of libyaml, so the events are the same.
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "common.hpp"
#include "gotime.hpp"
#include "warden/job/hcl/convert.hpp"
#include "yaml.hpp"

namespace warden::hcl::fn {

namespace {

const std::string kTagPrefix = "tag:yaml.org,2002:";
const std::string kStrTag = kTagPrefix + "str", kBoolTag = kTagPrefix + "bool",
                  kIntTag = kTagPrefix + "int", kFloatTag = kTagPrefix + "float",
                  kNullTag = kTagPrefix + "null", kTimestampTag = kTagPrefix + "timestamp",
                  kBinaryTag = kTagPrefix + "binary", kMapTag = kTagPrefix + "map",
                  kSeqTag = kTagPrefix + "seq", kMergeTag = kTagPrefix + "merge";

std::string at(const yaml_mark_t& m, const std::string& msg) {
  return "on line " + std::to_string(m.line) + ", column " + std::to_string(m.column) + ": " + msg;
}

// --- Scalar resolution (go-cty-yaml's resolve.go) ------------------------------------------------

// cty.ParseNumberVal: Go's big.ParseFloat, which also reads infinities.
std::optional<Number> parse_number_val(std::string_view s) {
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Inf" || body == "inf") return Number::infinity(neg);
  return Number::parse(s);
}

// strconv.ParseInt(s, 0, 64), falling back to ParseUint as go-cty-yaml does: 0x, 0o, 0b and
// a bare leading 0 (octal) select the base.
std::optional<Number> parse_go_int(std::string_view s) {
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.size() > 1 && body[0] == '0') {
    char p = static_cast<char>(body[1] | 0x20);
    if (p == 'x')
      base = 16, body.remove_prefix(2);
    else if (p == 'o')
      base = 8, body.remove_prefix(2);
    else if (p == 'b')
      base = 2, body.remove_prefix(2);
    else
      base = 8, body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  unsigned __int128 v = 0;
  for (char c : body) {
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'z') ? c - 'a' + 10
            : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                     : 99;
    if (d >= base) return std::nullopt;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > static_cast<unsigned __int128>(UINT64_MAX)) return std::nullopt;
  }
  if (neg) {
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    return Number(static_cast<int64_t>(-static_cast<__int128>(v)));
  }
  if (v <= static_cast<unsigned __int128>(INT64_MAX)) return Number(static_cast<int64_t>(v));
  return Number::parse(std::to_string(static_cast<uint64_t>(v)));  // ParseUint's range
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// YAML 1.2 integers: [-+]?(0o[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)
bool integer_literal(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.size() > 2 && s.substr(0, 2) == "0o") {
    return all_of(s.substr(2), [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
  }
  if (s.size() > 2 && s.substr(0, 2) == "0x") {
    return all_of(s.substr(2), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
  }
  return !s.empty() && all_of(s, [](char c) { return is_digit(c) || c == '_'; });
}

// YAML 1.2 floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool float_literal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

std::optional<Value> fixed_scalar(std::string_view s) {
  static const std::map<std::string_view, int> words = {
      {"y", 1},     {"Y", 1},     {"yes", 1},   {"Yes", 1},   {"YES", 1},   {"true", 1},
      {"True", 1},  {"TRUE", 1},  {"on", 1},    {"On", 1},    {"ON", 1},    {"n", 0},
      {"N", 0},     {"no", 0},    {"No", 0},    {"NO", 0},    {"false", 0}, {"False", 0},
      {"FALSE", 0}, {"off", 0},   {"Off", 0},   {"OFF", 0},   {"", 2},      {"~", 2},
      {"null", 2},  {"Null", 2},  {"NULL", 2},  {".inf", 3},  {".Inf", 3},  {".INF", 3},
      {"+.inf", 3}, {"+.Inf", 3}, {"+.INF", 3}, {"-.inf", 4}, {"-.Inf", 4}, {"-.INF", 4}};
  auto it = words.find(s);
  if (it == words.end()) return std::nullopt;
  switch (it->second) {
    case 0:
      return Value::boolean(false);
    case 1:
      return Value::boolean(true);
    case 2:
      return Value();
    case 3:
      return Value::number(Number::infinity(false));
    default:
      return Value::number(Number::infinity(true));
  }
}

std::string remove_underscores(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

// Resolves a scalar; throws YamlError with go-cty-yaml's message (without position).
Value resolve_scalar(std::string tag, const std::string& src, yaml_scalar_style_t style) {
  static const std::set<std::string> resolvable = {"",        kStrTag,  kBoolTag,      kIntTag,
                                                   kFloatTag, kNullTag, kTimestampTag, kBinaryTag};
  if (!resolvable.count(tag)) throw YamlError{"unsupported tag " + go_quote(tag)};
  char first = src.empty() ? 0 : src[0];
  char hint = src.empty()                                                             ? 'N'
              : (first == '+' || first == '-')                                        ? 'S'
              : is_digit(first)                                                       ? 'D'
              : std::string_view("yYnNtTfFoO~").find(first) != std::string_view::npos ? 'M'
              : first == '.'                                                          ? '.'
                                                                                      : 0;
  if (hint != 0 && tag != kStrTag && tag != kBinaryTag) {
    if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
      return Value::string(src);
    if (auto v = fixed_scalar(src)) return *v;
    if (tag.empty() && (src == ".nan" || src == ".NaN" || src == ".NAN")) {
      throw YamlError{"floating point NaN is not supported"};
    }
    if (hint == '.') {
      if (auto n = parse_number_val(src)) return Value::number(*n);
    } else if (hint == 'D' || hint == 'S') {
      if (tag.empty() || tag == kTimestampTag) {
        if (auto t = parse_yaml_timestamp(src)) return Value::string(format_rfc3339(*t));
      }
      if (integer_literal(src)) {
        tag = kIntTag;
      } else if (float_literal(src)) {
        tag = kFloatTag;
      }
    }
  }
  if (tag == kStrTag || tag == kBinaryTag) {
    if (tag == kBinaryTag && !base64_decode(src)) {
      throw YamlError{"cannot parse " + go_quote(src) + " as " + tag + ": not valid base64"};
    }
    return Value::string(src);
  }
  if (tag == kBoolTag) {
    auto v = fixed_scalar(src);
    if (!v || v->is_null() || v->type().kind() != Type::Kind::boolean) {
      throw YamlError{"cannot parse " + go_quote(src) + " as " + tag};
    }
    return *v;
  }
  if (tag == kIntTag || tag == kFloatTag) {
    std::string plain = remove_underscores(src);
    if (auto n = parse_number_val(plain)) return Value::number(*n);
    if (auto n = parse_go_int(plain)) return Value::number(*n);
    throw YamlError{"cannot parse " + go_quote(src) + " as " + tag};
  }
  if (tag == kTimestampTag) {
    if (auto t = parse_yaml_timestamp(src)) return Value::string(format_rfc3339(*t));
    throw YamlError{"cannot parse " + go_quote(src) + " as " + tag};
  }
  if (tag == kNullTag) return Value();
  return Value::string(src);
}

// --- Decoding ------------------------------------------------------------------------------------

struct Event {
  yaml_event_t e{};
  bool set = false;
  ~Event() {
    if (set) yaml_event_delete(&e);
  }
};

class Decoder {
 public:
  explicit Decoder(const std::string& src) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(src.data()),
                                 src.size());
  }
  ~Decoder() { yaml_parser_delete(&parser_); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  Value document() {
    auto start = next();
    if (start->e.type != YAML_STREAM_START_EVENT) event_error(*start, "missing stream start token");
    auto doc = next();
    if (doc->e.type == YAML_STREAM_END_EVENT) return Value();  // an empty stream decodes to null
    if (doc->e.type != YAML_DOCUMENT_START_EVENT) event_error(*doc, "missing start of document");
    Value v = node(*next());
    auto end = next();
    if (end->e.type == YAML_DOCUMENT_START_EVENT)
      event_error(*end, "only a single document is allowed");
    if (end->e.type != YAML_DOCUMENT_END_EVENT) {
      event_error(*end, "unexpected extra content (" + event_name(end->e.type) + ") after value");
    }
    auto stream_end = next();
    if (stream_end->e.type != YAML_STREAM_END_EVENT)
      event_error(*stream_end, "unexpected extra content after value");
    return v;
  }

 private:
  static std::string event_name(yaml_event_type_t t) {
    static const char* names[] = {"none",         "stream start",  "stream end", "document start",
                                  "document end", "alias",         "scalar",     "sequence start",
                                  "sequence end", "mapping start", "mapping end"};
    return static_cast<size_t>(t) < std::size(names) ? names[t] : "unknown";
  }

  [[noreturn]] static void event_error(const Event& ev, const std::string& msg) {
    throw YamlError{at(ev.e.start_mark, msg)};
  }

  // go-cty-yaml's parserError: the problem, placed at the problem (or context) mark when known.
  [[noreturn]] void parser_error() {
    std::string cause = parser_.problem ? parser_.problem : "invalid YAML syntax";
    if (parser_.problem_mark.line != 0) {
      yaml_mark_t m = parser_.problem_mark;
      if (parser_.error == YAML_SCANNER_ERROR) {
        ++m.line;  // scanner errors come before the line is counted
        m.column = 0;
      }
      throw YamlError{at(m, cause)};
    }
    if (parser_.context_mark.line != 0) throw YamlError{at(parser_.context_mark, cause)};
    throw YamlError{cause};
  }

  std::unique_ptr<Event> next() {
    auto ev = std::make_unique<Event>();
    if (!yaml_parser_parse(&parser_, &ev->e)) parser_error();
    ev->set = true;
    return ev;
  }

  static std::string str(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

  Value node(const Event& ev) {
    if (++decode_count_ > 10000000) throw YamlError{"yaml: document is too large"};
    switch (ev.e.type) {
      case YAML_SCALAR_EVENT:
        return scalar(ev);
      case YAML_ALIAS_EVENT:
        return alias(ev);
      case YAML_MAPPING_START_EVENT:
        return mapping(ev);
      case YAML_SEQUENCE_START_EVENT:
        return sequence(ev);
      case YAML_DOCUMENT_START_EVENT:
        event_error(ev, "only a single document is allowed");
      case YAML_STREAM_END_EVENT:
        event_error(ev, "expecting value but found end of stream");
      case YAML_MAPPING_END_EVENT:
        event_error(ev, "expecting value but found end of mapping");
      case YAML_SEQUENCE_END_EVENT:
        event_error(ev, "expecting value but found end of sequence");
      default:
        event_error(ev, "unexpected parser event " + event_name(ev.e.type));
    }
  }

  Value scalar(const Event& ev) {
    const auto& s = ev.e.data.scalar;
    std::string anchor = str(s.anchor);
    if (!anchor.empty()) ++pending_[anchor];
    Value v;
    try {
      v = resolve_scalar(str(s.tag), std::string(reinterpret_cast<const char*>(s.value), s.length),
                         s.style);
    } catch (const YamlError& e) {
      event_error(ev, e.message);
    }
    if (!anchor.empty()) complete(anchor, v);
    return v;
  }

  void complete(const std::string& anchor, const Value& v) {
    if (--pending_[anchor] == 0) pending_.erase(anchor);
    anchors_[anchor] = v;
  }

  Value alias(const Event& ev) {
    // The same guard against alias bombs as go-yaml: aliases may not dominate a large document.
    ++alias_count_;
    if (alias_count_ > 100 && decode_count_ > 1000) {
      double ratio = static_cast<double>(alias_count_) / static_cast<double>(decode_count_);
      double allowed =
          decode_count_ <= 400000 ? 0.99
          : decode_count_ >= 4000000
              ? 0.10
              : 0.99 - 0.89 * (static_cast<double>(decode_count_ - 400000) / 3600000.0);
      if (ratio > allowed) throw YamlError{"yaml: document contains excessive aliasing"};
    }
    std::string name = str(ev.e.data.alias.anchor);
    if (pending_.count(name)) {
      event_error(ev,
                  "cannot refer to anchor " + go_quote(name) + " from inside its own definition");
    }
    auto it = anchors_.find(name);
    if (it == anchors_.end()) event_error(ev, "reference to undefined anchor " + go_quote(name));
    return it->second;
  }

  static bool merge_key(const Event& ev) {
    if (ev.e.type != YAML_SCALAR_EVENT) return false;
    const auto& s = ev.e.data.scalar;
    std::string tag = str(s.tag);
    if (tag == kMergeTag) return true;
    return tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE && s.length == 2 &&
           std::string_view(reinterpret_cast<const char*>(s.value), 2) == "<<";
  }

  Value mapping(const Event& ev) {
    std::string tag = str(ev.e.data.mapping_start.tag),
                anchor = str(ev.e.data.mapping_start.anchor);
    if (!tag.empty() && tag != kMapTag) event_error(ev, "can't interpret mapping as " + tag);
    if (!anchor.empty()) ++pending_[anchor];
    std::map<std::string, Value> vals;
    for (;;) {
      auto key = next();
      if (key->e.type == YAML_MAPPING_END_EVENT) break;
      if (merge_key(*key)) {
        Value v = node(*next());
        auto merge_from = [&](const Value& m) {
          for (const auto& [k, e] : m.entries()) vals[k] = e;
        };
        if (!v.is_null() && v.type().is_map_like()) {
          merge_from(v);
        } else if (!v.is_null() &&
                   (v.type().kind() == Type::Kind::tuple || v.type().kind() == Type::Kind::list)) {
          for (const auto& m : v.elements()) {
            if (m.is_null() || !m.type().is_map_like()) {
              event_error(*key, "cannot merge " + m.type().friendly_name() +
                                    " (from sequence) into mapping");
            }
            merge_from(m);
          }
        } else {
          event_error(*key, "cannot merge " + v.type().friendly_name() + " into mapping");
        }
        continue;
      }
      if (key->e.type != YAML_SCALAR_EVENT)
        event_error(*key, "only strings are allowed as mapping keys");
      const auto& s = key->e.data.scalar;
      Value k = resolve_scalar(
          str(s.tag), std::string(reinterpret_cast<const char*>(s.value), s.length), s.style);
      ConvertResult ks = convert(k, Type::string());
      if (!ks.ok()) event_error(*key, "only strings are allowed as mapping keys");
      if (ks.value.is_null()) event_error(*key, "mapping key cannot be null");
      vals[ks.value.as_string()] = node(*next());
    }
    std::vector<Value::Entry> entries(vals.begin(), vals.end());
    Value v = Value::object(std::move(entries));
    if (!anchor.empty()) complete(anchor, v);
    return v;
  }

  Value sequence(const Event& ev) {
    std::string tag = str(ev.e.data.sequence_start.tag),
                anchor = str(ev.e.data.sequence_start.anchor);
    if (!tag.empty() && tag != kSeqTag) event_error(ev, "can't interpret sequence as " + tag);
    if (!anchor.empty()) ++pending_[anchor];
    std::vector<Value> vals;
    for (;;) {
      auto item = next();
      if (item->e.type == YAML_SEQUENCE_END_EVENT) break;
      vals.push_back(node(*item));
    }
    Value v = Value::tuple(std::move(vals));
    if (!anchor.empty()) complete(anchor, v);
    return v;
  }

  yaml_parser_t parser_{};
  std::map<std::string, int> pending_;
  std::map<std::string, Value> anchors_;
  size_t decode_count_ = 0, alias_count_ = 0;
};

}  // namespace

Value yaml_decode(const std::string& src) {
  // go-cty-yaml feeds libyaml a lone newline for an empty source.
  return Decoder(src.empty() ? "\n" : src).document();
}

}  // namespace warden::hcl::fn
