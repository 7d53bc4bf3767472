// yamlencode: libyaml's emitter with go-cty-yaml's choices of style (block collections,
// double-quoted strings and keys, literal blocks for multi-line strings).
#include <yaml.h>

#include <string_view>
#include <vector>

#include "yaml.hpp"

namespace warden::hcl::fn {

namespace {

int write_to_string(void* data, unsigned char* buffer, size_t size) {
  static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
  return 1;
}

// Line breaks and printable characters as libyaml's emitter classifies UTF-8 (at s[i]).
size_t break_width(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  if (b(i) == '\r' || b(i) == '\n') return 1;
  if (b(i) == 0xC2 && b(i + 1) == 0x85) return 2;  // NEL
  if (b(i) == 0xE2 && b(i + 1) == 0x80 && (b(i + 2) == 0xA8 || b(i + 2) == 0xA9))
    return 3;  // LS, PS
  return 0;
}

bool printable(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  unsigned char c = b(i);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && b(i + 1) >= 0xA0) ||
         (c > 0xC2 && c < 0xED) || (c == 0xED && b(i + 1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(b(i + 1) == 0xBB && b(i + 2) == 0xBF) &&
          !(b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)));
}

// Whether the emitter writes a multi-line string as a literal block that keeps its final line
// breaks ("|+"): the block style must be allowed (no special characters, no trailing space, no
// space before a line break) and the text must end in two line breaks (or be just one).
bool literal_keep(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  std::vector<size_t> breaks;  // offsets of the line breaks
  bool prev_space = false;
  for (size_t i = 0; i < s.size();) {
    size_t w = 1;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      w = 4;
    else if (c >= 0xE0)
      w = 3;
    else if (c >= 0xC0)
      w = 2;
    if (!printable(s, i)) return false;
    if (size_t bw = break_width(s, i)) {
      if (prev_space) return false;  // a space before a line break
      breaks.push_back(i);
      w = bw;
      prev_space = false;
    } else {
      prev_space = s[i] == ' ';
    }
    i += w;
  }
  if (prev_space) return false;  // trailing space
  if (breaks.empty() || breaks.back() + break_width(s, breaks.back()) != s.size()) return false;
  if (breaks.size() == 1) return breaks[0] == 0;
  size_t last = breaks.back(), before = breaks[breaks.size() - 2];
  return before + break_width(s, before) == last;
}

// Whether the document is open ended once `v` has been written (see Encoder::encode).
bool open_ended(const Value& v, bool root) {
  if (v.is_null()) return root;
  switch (v.type().kind()) {
    case Type::Kind::string:
      return literal_keep(v.as_string());
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::tuple:
      return !v.elements().empty() && open_ended(v.elements().back(), false);
    case Type::Kind::map:
    case Type::Kind::object:
      return !v.entries().empty() && open_ended(v.entries().back().second, false);
    default:
      return root;
  }
}

class Encoder {
 public:
  Encoder() {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, write_to_string, &out_);
    yaml_emitter_set_unicode(&emitter_, 1);
  }
  ~Encoder() { yaml_emitter_delete(&emitter_); }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  std::string encode(const Value& v) {
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(ev);
    yaml_document_start_event_initialize(&ev, nullptr, nullptr, nullptr, 1);
    emit(ev);
    value(v);
    yaml_document_end_event_initialize(&ev, 1);
    emit(ev);
    yaml_stream_end_event_initialize(&ev);
    emit(ev);
    if (!yaml_emitter_flush(&emitter_)) fail();
    // go-cty-yaml's port of the emitter closes a document left "open ended" with "...": after a
    // plain scalar at the root ("true\n...\n"), or when the last thing written is a literal
    // block keeping its trailing line breaks ("|+"). libyaml 0.2 decides this differently (never
    // after a plain scalar, and after any "|+"), so the marker is settled here.
    const std::string marker = "...\n";
    if (out_.size() >= marker.size() &&
        out_.compare(out_.size() - marker.size(), marker.size(), marker) == 0) {
      out_.resize(out_.size() - marker.size());
    }
    if (open_ended(v, true)) out_ += marker;
    return out_;
  }

 private:
  [[noreturn]] void fail() {
    throw YamlError{emitter_.problem ? emitter_.problem : "failed to emit YAML"};
  }

  void emit(yaml_event_t& ev) {
    if (!yaml_emitter_emit(&emitter_, &ev)) fail();
  }

  void scalar(const std::string& text, yaml_scalar_style_t style) {
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, nullptr, nullptr,
                                 reinterpret_cast<const yaml_char_t*>(text.data()),
                                 static_cast<int>(text.size()), 1, 1, style);
    emit(ev);
  }

  void value(const Value& v) {
    if (v.is_null()) {
      scalar("null", YAML_PLAIN_SCALAR_STYLE);
      return;
    }
    yaml_event_t ev;
    switch (v.type().kind()) {
      case Type::Kind::string: {
        // Strings are always quoted, except that multi-line ones ask for a literal block.
        const std::string& s = v.as_string();
        scalar(s, s.find('\n') != std::string::npos ? YAML_LITERAL_SCALAR_STYLE
                                                    : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
        return;
      }
      case Type::Kind::number: {
        const Number& n = v.as_number();
        scalar(n.is_infinite() ? (n.sign() < 0 ? "-.Inf" : "+.Inf") : n.to_string(),
               YAML_PLAIN_SCALAR_STYLE);
        return;
      }
      case Type::Kind::boolean:
        scalar(v.as_bool() ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
        return;
      case Type::Kind::list:
      case Type::Kind::set:
      case Type::Kind::tuple:
        yaml_sequence_start_event_initialize(&ev, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
        emit(ev);
        for (const auto& e : v.elements()) value(e);
        yaml_sequence_end_event_initialize(&ev);
        emit(ev);
        return;
      case Type::Kind::map:
      case Type::Kind::object:
        yaml_mapping_start_event_initialize(&ev, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
        emit(ev);
        for (const auto& [k, e] : v.entries()) {
          scalar(k, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
          value(e);
        }
        yaml_mapping_end_event_initialize(&ev);
        emit(ev);
        return;
      case Type::Kind::dynamic:
        scalar("null", YAML_PLAIN_SCALAR_STYLE);
        return;
    }
  }

  yaml_emitter_t emitter_{};
  std::string out_;
};

}  // namespace

std::string yaml_encode(const Value& v) {
  return Encoder().encode(v);
}

}  // namespace warden::hcl::fn
