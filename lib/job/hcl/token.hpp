// Tokens of HCL's native syntax (internal to the parser).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "warden/core/diagnostic.hpp"

namespace warden::hcl {

enum class Tok : uint8_t {
  obrace,
  cbrace,
  obrack,
  cbrack,
  oparen,
  cparen,
  oquote,
  cquote,
  oheredoc,
  cheredoc,
  star,
  slash,
  plus,
  minus,
  percent,
  equal,
  equal_op,
  not_equal,
  less,
  less_eq,
  greater,
  greater_eq,
  and_,
  or_,
  bang,
  dot,
  comma,
  ellipsis,
  fat_arrow,
  question,
  colon,
  template_interp,
  template_control,
  template_seq_end,
  quoted_lit,  // may contain backslash escapes
  string_lit,  // heredoc text: no backslash escapes
  number_lit,
  ident,
  newline,
  eof,
  // Not part of the language: recognized so that the parser can explain the mistake.
  bitwise_and,
  bitwise_or,
  bitwise_not,
  bitwise_xor,
  star_star,
  backtick,
  semicolon,
  single_quote,
  typographic_quote,
  quoted_newline,
  invalid,
  bad_utf8,
  bad_heredoc,
};

struct Token {
  Tok type;
  Pos start;
  Pos end;

  Range range() const { return Range{start, end}; }
};

// True for the tokens the lexer already reported as errors.
inline bool is_invalid_token(Tok t) {
  return t >= Tok::bitwise_and;
}

// Scans a whole file (or expression, or bare template) into tokens, always ending in `eof`.
// Comments are dropped, except that a line comment's terminating newline becomes a `newline`
// token spanning the comment. Problems with characters are appended to `diags`.
enum class LexMode { config, template_only };
std::vector<Token> lex(std::string_view src, LexMode mode, Diagnostics& diags);

}  // namespace warden::hcl
