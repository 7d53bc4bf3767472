// A hand-written scanner for HCL's native syntax with three modes, as hashicorp/hcl's Ragel
// scanner has: normal (expressions and structure), quoted template ("..."), heredoc template.
// `${`/`%{` push back into normal mode until the brace that closes them.
#include <optional>
#include <string>

#include "token.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Lexer {
 public:
  Lexer(std::string_view src, Diagnostics& diags) : s_(src), diags_(diags) {
    // A UTF-8 byte order mark is skipped, as hashicorp/hcl does.
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
      i_ = 3;
      pos_.byte = 3;
    }
  }

  std::vector<Token> run(LexMode mode) {
    check_encoding();
    out_.reserve(s_.size() / 3 + 8);
    if (mode == LexMode::template_only) {
      bare_template();
    } else {
      normal(/*until_seq_end=*/false);
    }
    Token eof{Tok::eof, pos_, pos_};
    out_.push_back(eof);
    report_invalid_tokens();
    return std::move(out_);
  }

 private:
  struct Heredoc {
    std::string_view marker;
    bool flush;
  };

  char peek(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  bool at_end() const { return i_ >= s_.size(); }

  // Advances n bytes, keeping line and column (columns count code points).
  void advance(size_t n) {
    for (size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '\n') {
        ++pos_.line;
        pos_.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++pos_.column;
      }
    }
    pos_.byte = static_cast<uint32_t>(i_);
  }

  // Advances over n bytes known to be ASCII and free of newlines: one column per byte.
  void advance_ascii(size_t n) {
    i_ += n;
    pos_.column += static_cast<uint32_t>(n);
    pos_.byte = static_cast<uint32_t>(i_);
  }

  void emit(Tok t, Pos start) { out_.push_back(Token{t, start, pos_}); }

  // A token of n ASCII bytes (operators, punctuation).
  void single(Tok t, size_t n = 1) {
    Pos start = pos_;
    advance_ascii(n);
    emit(t, start);
  }

  // A token of one character that may take several bytes.
  void single_char(Tok t, size_t bytes) {
    Pos start = pos_;
    advance(bytes);
    emit(t, start);
  }

  void newline(size_t bytes) {
    Pos start = pos_;
    i_ += bytes;
    ++pos_.line;
    pos_.column = 1;
    pos_.byte = static_cast<uint32_t>(i_);
    emit(Tok::newline, start);
  }

  // Normal mode. When until_seq_end, returns after the `}` (or `~}`) that closes the
  // interpolation or directive that entered this mode.
  void normal(bool until_seq_end) {
    int braces = 0;
    while (!at_end()) {
      char c = peek();
      Pos start = pos_;
      switch (c) {
        case ' ':
        case '\t': {
          size_t j = i_ + 1;
          while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
          advance_ascii(j - i_);
          continue;
        }
        case '\r':
          if (peek(1) == '\n') {
            newline(2);
          } else {
            single(Tok::invalid);
          }
          continue;
        case '\n':
          newline(1);
          continue;
        case '#':
          line_comment();
          continue;
        case '/':
          if (peek(1) == '/') {
            line_comment();
          } else if (peek(1) == '*') {
            block_comment();
          } else {
            single(Tok::slash);
          }
          continue;
        case '{':
          single(Tok::obrace);
          ++braces;
          continue;
        case '}':
          if (until_seq_end && braces == 0) {
            single(Tok::template_seq_end);
            return;
          }
          single(Tok::cbrace);
          --braces;
          continue;
        case '~':
          if (peek(1) == '}') {
            single(Tok::template_seq_end, 2);
            if (until_seq_end && braces == 0) return;
            --braces;
          } else {
            single(Tok::bitwise_not);
          }
          continue;
        case '[':
          single(Tok::obrack);
          continue;
        case ']':
          single(Tok::cbrack);
          continue;
        case '(':
          single(Tok::oparen);
          continue;
        case ')':
          single(Tok::cparen);
          continue;
        case ',':
          single(Tok::comma);
          continue;
        case '?':
          single(Tok::question);
          continue;
        case ':':
          single(Tok::colon);
          continue;
        case '+':
          single(Tok::plus);
          continue;
        case '-':
          single(Tok::minus);
          continue;
        case '%':
          single(Tok::percent);
          continue;
        case '^':
          single(Tok::bitwise_xor);
          continue;
        case ';':
          single(Tok::semicolon);
          continue;
        case '`':
          single(Tok::backtick);
          continue;
        case '\'':
          single(Tok::single_quote);
          continue;
        case '*':
          single(peek(1) == '*' ? Tok::star_star : Tok::star, peek(1) == '*' ? 2 : 1);
          continue;
        case '.':
          if (peek(1) == '.' && peek(2) == '.') {
            single(Tok::ellipsis, 3);
          } else {
            single(Tok::dot);
          }
          continue;
        case '=':
          if (peek(1) == '=') {
            single(Tok::equal_op, 2);
          } else if (peek(1) == '>') {
            single(Tok::fat_arrow, 2);
          } else {
            single(Tok::equal);
          }
          continue;
        case '!':
          single(peek(1) == '=' ? Tok::not_equal : Tok::bang, peek(1) == '=' ? 2 : 1);
          continue;
        case '>':
          single(peek(1) == '=' ? Tok::greater_eq : Tok::greater, peek(1) == '=' ? 2 : 1);
          continue;
        case '&':
          single(peek(1) == '&' ? Tok::and_ : Tok::bitwise_and, peek(1) == '&' ? 2 : 1);
          continue;
        case '|':
          single(peek(1) == '|' ? Tok::or_ : Tok::bitwise_or, peek(1) == '|' ? 2 : 1);
          continue;
        case '<':
          if (peek(1) == '<' && heredoc_start()) continue;
          single(peek(1) == '=' ? Tok::less_eq : Tok::less, peek(1) == '=' ? 2 : 1);
          continue;
        case '"':
          single(Tok::oquote);
          quoted_template();
          continue;
        default:
          break;
      }
      if (is_digit(c)) {
        number();
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) {
        if (unicode::is_id_start(static_cast<char32_t>(c))) {
          ident();
        } else {
          single(Tok::invalid);
        }
        continue;
      }
      size_t j = i_;
      char32_t cp = unicode::decode(s_, j);
      if (cp == unicode::kReplacement && j - i_ == 1) {
        single_char(Tok::bad_utf8, 1);
      } else if (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019) {
        single_char(Tok::typographic_quote, j - i_);
      } else if (unicode::is_id_start(cp)) {
        ident();
      } else {
        single_char(Tok::invalid, j - i_);
      }
      (void)start;
    }
  }

  static bool ascii_ident_char(unsigned char b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' ||
           b == '-';
  }

  void ident() {
    Pos start = pos_;
    size_t j = i_;
    bool ascii = static_cast<unsigned char>(s_[j]) < 0x80;
    unicode::decode(s_, j);  // the start character
    while (j < s_.size()) {
      unsigned char b = static_cast<unsigned char>(s_[j]);
      if (b < 0x80) {
        if (ascii_ident_char(b)) {
          ++j;
          continue;
        }
        break;
      }
      size_t k = j;
      char32_t cp = unicode::decode(s_, k);
      if (cp == unicode::kReplacement || !unicode::is_id_continue(cp)) break;
      ascii = false;
      j = k;
    }
    if (ascii) {
      advance_ascii(j - i_);
    } else {
      advance(j - i_);
    }
    emit(Tok::ident, start);
  }

  // digit (digit | '.' | [eE] [+-]? digit)*, never ending in '.': the longest such run, as
  // hashicorp/hcl's NumberLit. So "1.2.3", "1..2" and "1.e5" are single tokens (the parser
  // judges their value) while "1." is a number and a dot, and "1..." a number and an ellipsis.
  void number() {
    Pos start = pos_;
    size_t j = i_ + 1, end = j;
    while (j < s_.size()) {
      char c = s_[j];
      if (is_digit(c)) {
        end = ++j;
      } else if (c == '.') {
        ++j;
      } else if ((c == 'e' || c == 'E') && j + 1 < s_.size() &&
                 (is_digit(s_[j + 1]) || ((s_[j + 1] == '+' || s_[j + 1] == '-') &&
                                          j + 2 < s_.size() && is_digit(s_[j + 2])))) {
        j += is_digit(s_[j + 1]) ? 2 : 3;
        end = j;
      } else {
        break;
      }
    }
    advance_ascii(end - i_);
    emit(Tok::number_lit, start);
  }

  void line_comment() {
    Pos start = pos_;
    size_t nl = s_.find('\n', i_);
    if (nl == std::string_view::npos) {
      advance(s_.size() - i_);
      return;  // a comment at the end of the file has no newline to contribute
    }
    advance(nl + 1 - i_);
    emit(Tok::newline, start);  // the comment's newline ends the line; its range spans the comment
  }

  void block_comment() {
    Pos start = pos_;
    size_t end = s_.find("*/", i_ + 2);
    if (end == std::string_view::npos) {
      advance(s_.size() - i_);
      Diagnostic d;
      d.summary = "Unterminated comment";
      d.detail = "There is no closing \"*/\" for this comment before the end of the file.";
      d.subject = Range{start, Pos{start.line, start.column + 2, start.byte + 2}};
      diags_.add(std::move(d));
      return;
    }
    advance(end + 2 - i_);
  }

  // At "<<": a heredoc introducer is "<<" "-"? identifier newline.
  bool heredoc_start() {
    size_t j = i_ + 2;
    bool flush = false;
    if (j < s_.size() && s_[j] == '-') {
      flush = true;
      ++j;
    }
    size_t id_start = j;
    if (j >= s_.size()) return false;
    size_t k = j;
    char32_t cp = unicode::decode(s_, k);
    if (!unicode::is_id_start(cp)) return false;
    j = k;
    while (j < s_.size()) {
      size_t m = j;
      char32_t c = unicode::decode(s_, m);
      if (!(unicode::is_id_continue(c) || c == '-')) break;
      j = m;
    }
    std::string_view marker = s_.substr(id_start, j - id_start);
    size_t nl = j;
    if (nl < s_.size() && s_[nl] == '\r') ++nl;
    if (nl >= s_.size() || s_[nl] != '\n') {
      // Not a heredoc introducer as hashicorp/hcl defines it. Say exactly what is missing, then
      // read the heredoc anyway (ignoring the rest of the line) so that its text and closing
      // marker do not cascade into more errors.
      Pos after_marker = pos_;  // "<<", "-" and the marker share one line
      after_marker.column +=
          static_cast<uint32_t>(unicode::count_code_points(s_.substr(i_, j - i_)));
      after_marker.byte += static_cast<uint32_t>(j - i_);
      Diagnostic d;
      d.summary = "Invalid heredoc introducer";
      d.detail = "expected newline: the marker \"" + std::string(marker) +
                 "\" of a heredoc must be followed immediately by a newline.";
      d.subject = Range{after_marker,
                        Pos{after_marker.line, after_marker.column + 1, after_marker.byte + 1}};
      diags_.add(std::move(d));
      nl = s_.find('\n', j);
      if (nl == std::string_view::npos) nl = s_.size() - 1;
    }
    Pos start = pos_;
    advance(nl + 1 - i_);
    emit(Tok::oheredoc, start);
    heredoc_template(Heredoc{marker, flush});
    return true;
  }

  // Scans a template literal run up to (not including) an unescaped `${`/`%{`, the end of the
  // line (included when include_newline), or a stop character. Returns the end index.
  size_t literal_run(size_t j, bool quoted, bool include_newline) const {
    while (j < s_.size()) {
      char c = s_[j];
      if (c == '\n' || (c == '\r' && j + 1 < s_.size() && s_[j + 1] == '\n')) {
        if (include_newline) return j + (c == '\r' ? 2 : 1);
        return j;
      }
      if (quoted && c == '"') return j;
      if (quoted && c == '\\') {
        // An escape: the backslash and the next character (never a newline) stay in the literal.
        if (j + 1 < s_.size() && s_[j + 1] != '\n' && s_[j + 1] != '\r') {
          j += 1 + unicode::sequence_length(static_cast<unsigned char>(s_[j + 1]));
        } else {
          ++j;
        }
        continue;
      }
      if ((c == '$' || c == '%') && j + 1 < s_.size()) {
        if (s_[j + 1] == '{') return j;
        if (s_[j + 1] == c && j + 2 < s_.size() && s_[j + 2] == '{') {
          j += 3;  // $${ and %%{ are literal
          continue;
        }
      }
      ++j;
    }
    return j;
  }

  // After `${` or `%{` (already at the brace's successor): emits the opener and the sequence.
  void sequence(Tok opener) {
    Pos start = pos_;
    size_t n = peek(2) == '~' ? 3 : 2;
    advance(n);
    emit(opener, start);
    normal(/*until_seq_end=*/true);
  }

  void quoted_template() {
    while (!at_end()) {
      char c = peek();
      if (c == '"') {
        single(Tok::cquote);
        return;
      }
      if ((c == '$' || c == '%') && peek(1) == '{') {
        sequence(c == '$' ? Tok::template_interp : Tok::template_control);
        continue;
      }
      if (c == '\n' || c == '\r') {
        Pos start = pos_;
        size_t j = i_;
        while (j < s_.size() && (s_[j] == '\n' || s_[j] == '\r')) ++j;
        advance(j - i_);
        emit(Tok::quoted_newline, start);
        continue;
      }
      Pos start = pos_;
      size_t j = literal_run(i_, /*quoted=*/true, /*include_newline=*/false);
      if (j == i_) j = i_ + 1;
      advance(j - i_);
      emit(Tok::quoted_lit, start);
    }
  }

  void heredoc_template(const Heredoc& h) {
    bool start_of_line = true;
    while (!at_end()) {
      char c = peek();
      if ((c == '$' || c == '%') && peek(1) == '{') {
        start_of_line = false;
        sequence(c == '$' ? Tok::template_interp : Tok::template_control);
        continue;
      }
      Pos start = pos_;
      size_t j = literal_run(i_, /*quoted=*/false, /*include_newline=*/true);
      if (j == i_) j = i_ + 1;
      std::string_view text = s_.substr(i_, j - i_);
      bool ends_line = !text.empty() && text.back() == '\n';
      if (start_of_line && (ends_line || j == s_.size())) {
        // A line holding only the marker (and white space) closes the heredoc.
        std::string_view t = text;
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() &&
               (t.back() == '\n' || t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) {
          t.remove_suffix(1);
        }
        if (t == h.marker) {
          size_t content = text.size();
          if (ends_line) content -= (text.size() >= 2 && text[text.size() - 2] == '\r') ? 2 : 1;
          advance(content);
          emit(Tok::cheredoc, start);
          if (ends_line) {
            Pos nl = pos_;
            advance(text.size() - content);
            emit(Tok::newline, nl);
          }
          return;
        }
      }
      advance(j - i_);
      emit(Tok::string_lit, start);
      start_of_line = ends_line;
    }
  }

  // A bare template (no delimiters), e.g. the content of a template file.
  void bare_template() {
    while (!at_end()) {
      char c = peek();
      if ((c == '$' || c == '%') && peek(1) == '{') {
        sequence(c == '$' ? Tok::template_interp : Tok::template_control);
        continue;
      }
      Pos start = pos_;
      size_t j = literal_run(i_, /*quoted=*/false, /*include_newline=*/true);
      if (j == i_) j = i_ + 1;
      advance(j - i_);
      emit(Tok::string_lit, start);
    }
  }

  // A file must be UTF-8 throughout, strings and comments included (hashicorp/hcl's BadUTF8
  // tokens): reported once, at the first bad byte, in source order among the token diagnostics.
  void check_encoding() {
    if (unicode::is_ascii(s_)) return;
    size_t i = i_;
    Pos p = pos_;
    while (i < s_.size()) {
      size_t start = i;
      char32_t cp = unicode::decode(s_, i);
      if (cp == unicode::kReplacement && i - start == 1 &&
          static_cast<unsigned char>(s_[start]) >= 0x80) {
        Diagnostic d;
        d.summary = "Invalid character encoding";
        d.detail =
            "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your "
            "editor.";
        d.subject = Range{p, Pos{p.line, p.column + 1, p.byte + 1}};
        bad_encoding_ = std::move(d);
        saw_bad_utf8_ = true;
        return;
      }
      if (cp == '\n') {
        ++p.line;
        p.column = 1;
      } else {
        ++p.column;
      }
      p.byte = static_cast<uint32_t>(i);
    }
  }

  void report_invalid_tokens() {
    int told_bitwise = 0, told_backtick = 0, told_apostrophe = 0, told_semicolon = 0,
        told_bad_utf8 = 0, told_exp = 0;
    for (const auto& t : out_) {
      if (bad_encoding_ && t.start.byte >= bad_encoding_->subject->start.byte) {
        diags_.add(std::move(*bad_encoding_));
        bad_encoding_.reset();
      }
      Diagnostic d;
      d.subject = t.range();
      switch (t.type) {
        case Tok::bitwise_and:
        case Tok::bitwise_or:
        case Tok::bitwise_not:
        case Tok::bitwise_xor:
          if (told_bitwise++ >= 4) continue;
          d.summary = "Unsupported operator";
          d.detail = "Bitwise operators are not supported.";
          if (t.type == Tok::bitwise_and) d.detail += " Did you mean boolean AND (\"&&\")?";
          if (t.type == Tok::bitwise_or) d.detail += " Did you mean boolean OR (\"||\")?";
          if (t.type == Tok::bitwise_not) d.detail += " Did you mean boolean NOT (\"!\")?";
          break;
        case Tok::star_star:
          if (told_exp++ >= 1) continue;
          d.summary = "Unsupported operator";
          d.detail =
              "\"**\" is not a supported operator. Exponentiation is not supported as an operator.";
          break;
        case Tok::backtick:
          if (told_backtick++ % 2 != 0 || told_backtick > 4) continue;
          d.summary = "Invalid character";
          d.detail =
              "The \"`\" character is not valid. To create a multi-line string, use the "
              "\"heredoc\" syntax, like \"<<EOT\".";
          break;
        case Tok::semicolon:
          if (told_semicolon++ >= 1) continue;
          d.summary = "Invalid character";
          d.detail =
              "The \";\" character is not valid. Use newlines to separate arguments and blocks, "
              "and commas to separate items in collection values.";
          break;
        case Tok::single_quote:
          // Like backticks: every other one (not both ends of a 'string'), at most two.
          if (told_apostrophe++ % 2 != 0 || told_apostrophe > 4) continue;
          d.summary = "Invalid character";
          d.detail = "Single quotes are not valid. Use double quotes (\") to enclose strings.";
          break;
        case Tok::typographic_quote:
          d.summary = "Invalid character";
          d.detail =
              "Typographic quotes (\xE2\x80\x9C \xE2\x80\x9D \xE2\x80\x98 \xE2\x80\x99) are not "
              "valid; they often come from text pasted out of a document or web page. Use plain "
              "double quotes (\") to enclose strings.";
          break;
        case Tok::quoted_newline:
          d.summary = "Invalid multi-line string";
          d.detail =
              "Quoted strings may not be split over multiple lines. To produce a multi-line "
              "string, either use the \\n escape to represent a newline character or use the "
              "\"heredoc\" multi-line template syntax.";
          break;
        case Tok::bad_utf8:
          if (saw_bad_utf8_ || told_bad_utf8++ >= 1) continue;
          d.summary = "Invalid character encoding";
          d.detail =
              "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in "
              "your editor.";
          break;
        case Tok::invalid:
          d.summary = "Invalid character";
          d.detail = "This character is not used within the language.";
          break;
        default:
          continue;
      }
      diags_.add(std::move(d));
    }
    if (bad_encoding_) diags_.add(std::move(*bad_encoding_));
  }

  std::string_view s_;
  size_t i_ = 0;
  Pos pos_;
  Diagnostics& diags_;
  std::vector<Token> out_;
  bool saw_bad_utf8_ = false;
  std::optional<Diagnostic> bad_encoding_;  // reported by report_invalid_tokens
};

}  // namespace

std::vector<Token> lex(std::string_view src, LexMode mode, Diagnostics& diags) {
  return Lexer(src, diags).run(mode);
}

}  // namespace warden::hcl
