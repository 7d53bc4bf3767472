// The HCL native-syntax lexer (lib/job/hcl/lexer.cpp): token kinds, exact positions and the
// diagnostics for characters the language does not use, following hashicorp/hcl's
// scan_tokens.rl and checkInvalidTokens (see notes/hcl-syntax.md §2).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hcl/token.hpp"

using namespace warden;
using namespace warden::hcl;

namespace {

struct Lexed {
  std::string src;
  std::vector<Token> toks;
  Diagnostics diags;

  std::string text(size_t i) const {
    const Token& t = toks.at(i);
    return src.substr(t.start.byte, t.end.byte - t.start.byte);
  }
  std::vector<Tok> kinds() const {
    std::vector<Tok> out;
    for (const auto& t : toks) out.push_back(t.type);
    return out;
  }
};

Lexed lex_config(std::string src) {
  Lexed l;
  l.src = std::move(src);
  l.toks = lex(l.src, LexMode::config, l.diags);
  return l;
}

Lexed lex_template(std::string src) {
  Lexed l;
  l.src = std::move(src);
  l.toks = lex(l.src, LexMode::template_only, l.diags);
  return l;
}

Pos P(uint32_t line, uint32_t column, uint32_t byte) {
  return Pos{line, column, byte};
}

void expect_pos(const Pos& got, const Pos& want, const char* what) {
  EXPECT_EQ(got.line, want.line) << what;
  EXPECT_EQ(got.column, want.column) << what;
  EXPECT_EQ(got.byte, want.byte) << what;
}

void expect_range(const Token& t, Pos start, Pos end) {
  expect_pos(t.start, start, "start");
  expect_pos(t.end, end, "end");
}

// ---- basic tokens and positions ---------------------------------------------------------------

TEST(HclLexer, AttributeTokensAndPositions) {
  Lexed l = lex_config("a = 1");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  expect_range(l.toks[0], P(1, 1, 0), P(1, 2, 1));
  expect_range(l.toks[1], P(1, 3, 2), P(1, 4, 3));
  expect_range(l.toks[2], P(1, 5, 4), P(1, 6, 5));
  expect_range(l.toks[3], P(1, 6, 5), P(1, 6, 5));
  EXPECT_TRUE(l.diags.empty());
}

TEST(HclLexer, EmptyInputIsJustEof) {
  Lexed l = lex_config("");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::eof}));
  expect_range(l.toks[0], P(1, 1, 0), P(1, 1, 0));
}

TEST(HclLexer, ColumnsCountCharactersNotBytes) {
  Lexed l = lex_config("é = \"ü\" + x");
  ASSERT_EQ(l.kinds()[0], Tok::ident);
  expect_range(l.toks[0], P(1, 1, 0), P(1, 2, 2));
  expect_range(l.toks[1], P(1, 3, 3), P(1, 4, 4));  // =
  // "ü": oquote, quoted_lit, cquote
  expect_range(l.toks[3], P(1, 6, 6), P(1, 7, 8));
  expect_range(l.toks[4], P(1, 7, 8), P(1, 8, 9));
  expect_range(l.toks[6], P(1, 11, 12), P(1, 12, 13));  // x
}

TEST(HclLexer, TabIsWhitespaceCountingOneColumn) {
  Lexed l = lex_config("a\t=\t\t1");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  expect_range(l.toks[1], P(1, 3, 2), P(1, 4, 3));
  expect_range(l.toks[2], P(1, 6, 5), P(1, 7, 6));
  EXPECT_TRUE(l.diags.empty());
}

TEST(HclLexer, NewlineTokens) {
  Lexed l = lex_config("a\nb");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::newline, Tok::ident, Tok::eof}));
  expect_range(l.toks[1], P(1, 2, 1), P(2, 1, 2));
  expect_range(l.toks[2], P(2, 1, 2), P(2, 2, 3));
}

TEST(HclLexer, CrLfIsOneNewlineToken) {
  Lexed l = lex_config("a\r\nb");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::newline, Tok::ident, Tok::eof}));
  expect_range(l.toks[1], P(1, 2, 1), P(2, 1, 3));
  expect_range(l.toks[2], P(2, 1, 3), P(2, 2, 4));
  EXPECT_TRUE(l.diags.empty());
}

TEST(HclLexer, LoneCarriageReturnIsInvalid) {
  Lexed l = lex_config("a\rb");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::invalid, Tok::ident, Tok::eof}));
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Invalid character");
  EXPECT_EQ(l.diags[0].detail, "This character is not used within the language.");
}

TEST(HclLexer, UnicodeByteOrderMarkIsSkipped) {
  Lexed l = lex_config(
      "\xEF\xBB\xBF"
      "a = 1");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  // Byte offsets still count the BOM; columns do not.
  expect_range(l.toks[0], P(1, 1, 3), P(1, 2, 4));
  EXPECT_TRUE(l.diags.empty());
}

// ---- comments ---------------------------------------------------------------------------------

TEST(HclLexer, HashCommentBecomesNewlineToken) {
  Lexed l = lex_config("a = 1 # note\nb = 2");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::number_lit, Tok::newline,
                                         Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  // The newline token spans the whole comment, including its line ending.
  expect_range(l.toks[3], P(1, 7, 6), P(2, 1, 13));
  expect_range(l.toks[4], P(2, 1, 13), P(2, 2, 14));
}

TEST(HclLexer, SlashSlashCommentBecomesNewlineToken) {
  Lexed l = lex_config("// c\r\nx");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::newline, Tok::ident, Tok::eof}));
  expect_range(l.toks[0], P(1, 1, 0), P(2, 1, 6));
}

TEST(HclLexer, LineCommentAtEndOfFileHasNoNewline) {
  Lexed l = lex_config("a # end");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::eof}));
  expect_pos(l.toks[1].start, P(1, 8, 7), "eof");
}

TEST(HclLexer, BlockCommentIsWhitespaceEvenAcrossLines) {
  Lexed l = lex_config("a /* one\ntwo */ b");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::ident, Tok::eof}));
  expect_range(l.toks[1], P(2, 8, 16), P(2, 9, 17));
}

TEST(HclLexer, BlockCommentEndsAtFirstClose) {
  Lexed l = lex_config("/* a /* b */ c */");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::star, Tok::slash, Tok::eof}));
  EXPECT_EQ(l.text(0), "c");
}

TEST(HclLexer, UnterminatedBlockCommentIsReportedAtItsStart) {
  Lexed l = lex_config("a = 1 /* never closed\nb = 2");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Unterminated comment");
  ASSERT_TRUE(l.diags[0].subject);
  EXPECT_EQ(l.diags[0].subject->start.column, 7u);
  EXPECT_EQ(l.diags[0].subject->end.column, 9u);
}

// ---- numbers ----------------------------------------------------------------------------------

TEST(HclLexer, NumberWithFractionAndExponentIsOneToken) {
  for (const char* n : {"1.5e3", "1E+5", "2e-7", "007", "12345678901234567890123", "1.e5"}) {
    Lexed l = lex_config(n);
    ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::eof})) << n;
    EXPECT_EQ(l.text(0), n);
  }
}

TEST(HclLexer, ChainedFractionsAreOneNumberToken) {
  // "1.2.3" is a single (invalid) number literal, as is "1..2"; the parser reports it.
  for (const char* n : {"1.2.3", "1..2", "1e5.5"}) {
    Lexed l = lex_config(n);
    ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::eof})) << n;
    EXPECT_EQ(l.text(0), n);
  }
}

TEST(HclLexer, NumberNeverEndsInDot) {
  Lexed l = lex_config("1.");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::dot, Tok::eof}));
  EXPECT_EQ(l.text(0), "1");

  Lexed e = lex_config("f(1...)");
  ASSERT_EQ(e.kinds(), (std::vector<Tok>{Tok::ident, Tok::oparen, Tok::number_lit, Tok::ellipsis,
                                         Tok::cparen, Tok::eof}));
}

TEST(HclLexer, IncompleteExponentEndsTheNumber) {
  Lexed l = lex_config("1e");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::ident, Tok::eof}));
  EXPECT_EQ(l.text(0), "1");
  EXPECT_EQ(l.text(1), "e");

  Lexed m = lex_config("1e+");
  ASSERT_EQ(m.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::ident, Tok::plus, Tok::eof}));
}

TEST(HclLexer, HexIsANumberThenAnIdentifier) {
  Lexed l = lex_config("0x1F");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::number_lit, Tok::ident, Tok::eof}));
  EXPECT_EQ(l.text(0), "0");
  EXPECT_EQ(l.text(1), "x1F");
}

TEST(HclLexer, LegacyIndexAfterDotLexesAsNumbers) {
  Lexed l = lex_config("a.0.b");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::dot, Tok::number_lit, Tok::dot,
                                         Tok::ident, Tok::eof}));
  Lexed c = lex_config("a.0.1");
  ASSERT_EQ(c.kinds(), (std::vector<Tok>{Tok::ident, Tok::dot, Tok::number_lit, Tok::eof}));
  EXPECT_EQ(c.text(2), "0.1");
}

TEST(HclLexer, MinusIsNotPartOfANumber) {
  Lexed l = lex_config("-1");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::minus, Tok::number_lit, Tok::eof}));
}

// ---- identifiers ------------------------------------------------------------------------------

TEST(HclLexer, IdentifiersMayContainDashesAfterTheFirstCharacter) {
  Lexed l = lex_config("foo-bar_baz2 -x _y");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::ident, Tok::minus, Tok::ident, Tok::ident, Tok::eof}));
  EXPECT_EQ(l.text(0), "foo-bar_baz2");
  EXPECT_EQ(l.text(2), "x");
  EXPECT_EQ(l.text(3), "_y");
}

TEST(HclLexer, UnicodeIdentifiers) {
  Lexed l = lex_config("naïve-ñame = 日本語");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::ident, Tok::eof}));
  EXPECT_EQ(l.text(0), "naïve-ñame");
  EXPECT_EQ(l.text(2), "日本語");
  expect_range(l.toks[0], P(1, 1, 0), P(1, 11, 12));
  expect_range(l.toks[2], P(1, 14, 15), P(1, 17, 24));
  EXPECT_TRUE(l.diags.empty());
}

TEST(HclLexer, KeywordsAreIdentifiers) {
  Lexed l = lex_config("true false null for in if");
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(l.toks[i].type, Tok::ident) << i;
}

// ---- operators and punctuation ----------------------------------------------------------------

TEST(HclLexer, AllOperators) {
  Lexed l = lex_config("{ } [ ] ( ) * / + - % = == != < <= > >= && || ! . , ... => ? :");
  std::vector<Tok> want = {
      Tok::obrace,    Tok::cbrace,    Tok::obrack, Tok::cbrack,  Tok::oparen,  Tok::cparen,
      Tok::star,      Tok::slash,     Tok::plus,   Tok::minus,   Tok::percent, Tok::equal,
      Tok::equal_op,  Tok::not_equal, Tok::less,   Tok::less_eq, Tok::greater, Tok::greater_eq,
      Tok::and_,      Tok::or_,       Tok::bang,   Tok::dot,     Tok::comma,   Tok::ellipsis,
      Tok::fat_arrow, Tok::question,  Tok::colon,  Tok::eof};
  EXPECT_EQ(l.kinds(), want);
  EXPECT_TRUE(l.diags.empty());
}

TEST(HclLexer, TwoCharacterOperatorsWinOverSingleCharacters) {
  Lexed l = lex_config("a<=b==c");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::less_eq, Tok::ident, Tok::equal_op,
                                         Tok::ident, Tok::eof}));
  expect_range(l.toks[1], P(1, 2, 1), P(1, 4, 3));
}

TEST(HclLexer, TildeBraceIsTemplateSequenceEndEvenOutsideATemplate) {
  Lexed l = lex_config("~}");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::template_seq_end, Tok::eof}));
  EXPECT_TRUE(l.diags.empty());
}

// ---- quoted templates -------------------------------------------------------------------------

TEST(HclLexer, QuotedStringWithInterpolation) {
  Lexed l = lex_config("\"a${b}c\"");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::oquote, Tok::quoted_lit, Tok::template_interp, Tok::ident,
                              Tok::template_seq_end, Tok::quoted_lit, Tok::cquote, Tok::eof}));
  EXPECT_EQ(l.text(1), "a");
  EXPECT_EQ(l.text(2), "${");
  expect_range(l.toks[2], P(1, 3, 2), P(1, 5, 4));
  EXPECT_EQ(l.text(4), "}");
  EXPECT_EQ(l.text(5), "c");
}

TEST(HclLexer, TemplateDirectiveTokens) {
  Lexed l = lex_config("\"%{ if x }y%{ endif }\"");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::oquote, Tok::template_control, Tok::ident, Tok::ident,
                              Tok::template_seq_end, Tok::quoted_lit, Tok::template_control,
                              Tok::ident, Tok::template_seq_end, Tok::cquote, Tok::eof}));
  EXPECT_EQ(l.text(1), "%{");
}

TEST(HclLexer, StripMarkersArePartOfTheSequenceTokens) {
  Lexed l = lex_config("\"${~ b ~}\"");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::oquote, Tok::template_interp, Tok::ident,
                                         Tok::template_seq_end, Tok::cquote, Tok::eof}));
  EXPECT_EQ(l.text(1), "${~");
  EXPECT_EQ(l.text(3), "~}");
}

TEST(HclLexer, EscapedSequenceStartsStayLiteral) {
  for (const char* s : {"\"$${x}\"", "\"%%{x}\"", "\"$x $\"", "\"100%\"", "\"a\\\"b\""}) {
    Lexed l = lex_config(s);
    ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::oquote, Tok::quoted_lit, Tok::cquote, Tok::eof}))
        << s;
  }
}

TEST(HclLexer, BracesInsideInterpolationAreCounted) {
  Lexed l = lex_config("\"${ {a = 1} }x\"");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::oquote, Tok::template_interp, Tok::obrace, Tok::ident,
                              Tok::equal, Tok::number_lit, Tok::cbrace, Tok::template_seq_end,
                              Tok::quoted_lit, Tok::cquote, Tok::eof}));
}

TEST(HclLexer, NestedQuotedStringInsideInterpolation) {
  Lexed l = lex_config("\"${f(\"}\")}\"");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::oquote, Tok::template_interp, Tok::ident, Tok::oparen,
                                         Tok::oquote, Tok::quoted_lit, Tok::cquote, Tok::cparen,
                                         Tok::template_seq_end, Tok::cquote, Tok::eof}));
}

TEST(HclLexer, NewlineInQuotedStringIsReported) {
  Lexed l = lex_config("a = \"x\ny\"");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oquote, Tok::quoted_lit,
                              Tok::quoted_newline, Tok::quoted_lit, Tok::cquote, Tok::eof}));
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Invalid multi-line string");
  EXPECT_EQ(l.diags[0].detail,
            "Quoted strings may not be split over multiple lines. To produce a multi-line string, "
            "either use the \\n escape to represent a newline character or use the \"heredoc\" "
            "multi-line template syntax.");
  expect_pos(l.diags[0].subject->start, P(1, 7, 6), "subject");
}

TEST(HclLexer, EveryQuotedNewlineIsReported) {
  Lexed l = lex_config("a = \"x\ny\nz\"");
  EXPECT_EQ(l.diags.size(), 2u);
}

// ---- heredocs ---------------------------------------------------------------------------------

TEST(HclLexer, HeredocTokens) {
  Lexed l = lex_config("a = <<EOT\nhello\nEOT\n");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::cheredoc, Tok::newline, Tok::eof}));
  EXPECT_EQ(l.text(2), "<<EOT\n");
  expect_range(l.toks[2], P(1, 5, 4), P(2, 1, 10));
  EXPECT_EQ(l.text(3), "hello\n");
  EXPECT_EQ(l.text(4), "EOT");
  expect_range(l.toks[4], P(3, 1, 16), P(3, 4, 19));
  // The closing marker's newline is a separate token, ending the attribute.
  expect_range(l.toks[5], P(3, 4, 19), P(4, 1, 20));
}

TEST(HclLexer, FlushHeredocWithIndentedClosingMarker) {
  Lexed l = lex_config("a = <<-EOT\n    x\n  EOT\n");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::cheredoc, Tok::newline, Tok::eof}));
  EXPECT_EQ(l.text(2), "<<-EOT\n");
  EXPECT_EQ(l.text(4), "  EOT");
}

TEST(HclLexer, HeredocMarkerMayBeIndentedAndFollowedBySpacesEvenWithoutDash) {
  Lexed l = lex_config("a = <<EOT\nx\n  EOT  \n");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::cheredoc, Tok::newline, Tok::eof}));
}

TEST(HclLexer, MarkerWithOtherTextOnItsLineDoesNotCloseTheHeredoc) {
  Lexed l = lex_config("a = <<EOT\nEOT x\nEOT}\nEOTS\nEOT\n");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::string_lit, Tok::string_lit, Tok::cheredoc,
                                         Tok::newline, Tok::eof}));
  EXPECT_EQ(l.text(3), "EOT x\n");
  EXPECT_EQ(l.text(4), "EOT}\n");
  EXPECT_EQ(l.text(5), "EOTS\n");
}

TEST(HclLexer, HeredocWithCrLf) {
  Lexed l = lex_config("a = <<EOT\r\nhi\r\nEOT\r\nb = 1");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit, Tok::cheredoc,
                              Tok::newline, Tok::ident, Tok::equal, Tok::number_lit, Tok::eof}));
  EXPECT_EQ(l.text(3), "hi\r\n");
  EXPECT_EQ(l.text(4), "EOT");
  EXPECT_EQ(l.text(5), "\r\n");
  expect_range(l.toks[6], P(4, 1, 20), P(4, 2, 21));
}

TEST(HclLexer, HeredocWithInterpolationSplitsTheLine) {
  Lexed l = lex_config("a = <<EOT\nx${y}z\nEOT\n");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::template_interp, Tok::ident, Tok::template_seq_end,
                                         Tok::string_lit, Tok::cheredoc, Tok::newline, Tok::eof}));
  EXPECT_EQ(l.text(3), "x");
  EXPECT_EQ(l.text(7), "z\n");
}

TEST(HclLexer, HeredocKeepsQuotesAndBackslashesLiteral) {
  Lexed l = lex_config("a = <<EOT\n\"q\" \\n $${x}\nEOT\n");
  ASSERT_EQ(l.kinds()[3], Tok::string_lit);
  EXPECT_EQ(l.text(3), "\"q\" \\n $${x}\n");
  EXPECT_EQ(l.kinds()[4], Tok::cheredoc);
}

TEST(HclLexer, MalformedHeredocIntroducerIsOneErrorAfterTheMarker) {
  // Deliberate deviation (README): hashicorp/hcl lexes "<<-EOF # x" as "<" "<" ... and reports
  // "Invalid expression"; warden reports one precise error and still reads the heredoc.
  Lexed l = lex_config("a = <<-EOF # x\nbody\nEOF\n");
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Invalid heredoc introducer");
  ASSERT_TRUE(l.diags[0].subject);
  expect_pos(l.diags[0].subject->start, P(1, 11, 10), "subject");
  expect_pos(l.diags[0].subject->end, P(1, 12, 11), "subject end");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::oheredoc, Tok::string_lit,
                                         Tok::cheredoc, Tok::newline, Tok::eof}));
}

TEST(HclLexer, ShiftWithoutIdentifierIsTwoLessThans) {
  Lexed l = lex_config("1 << 2");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::number_lit, Tok::less, Tok::less, Tok::number_lit, Tok::eof}));
}

// ---- bare templates ---------------------------------------------------------------------------

TEST(HclLexer, BareTemplateLines) {
  Lexed l = lex_template("a ${b}\nc $ d %\n");
  ASSERT_EQ(l.kinds(),
            (std::vector<Tok>{Tok::string_lit, Tok::template_interp, Tok::ident,
                              Tok::template_seq_end, Tok::string_lit, Tok::string_lit, Tok::eof}));
  EXPECT_EQ(l.text(0), "a ");
  EXPECT_EQ(l.text(4), "\n");
  EXPECT_EQ(l.text(5), "c $ d %\n");
}

TEST(HclLexer, BareTemplateTrailingDollarIsLiteral) {
  Lexed l = lex_template("cost: 5$");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::string_lit, Tok::eof}));
  EXPECT_EQ(l.text(0), "cost: 5$");
}

// ---- characters the language does not use ----------------------------------------------------

TEST(HclLexer, BitwiseOperatorsAreReportedWithHints) {
  Lexed l = lex_config("a & b | c ^ d ~ e");
  ASSERT_EQ(l.diags.size(), 4u);
  for (const auto& d : l.diags) EXPECT_EQ(d.summary, "Unsupported operator");
  EXPECT_EQ(l.diags[0].detail,
            "Bitwise operators are not supported. Did you mean boolean AND (\"&&\")?");
  EXPECT_EQ(l.diags[1].detail,
            "Bitwise operators are not supported. Did you mean boolean OR (\"||\")?");
  EXPECT_EQ(l.diags[2].detail, "Bitwise operators are not supported.");
  EXPECT_EQ(l.diags[3].detail,
            "Bitwise operators are not supported. Did you mean boolean NOT (\"!\")?");
  expect_pos(l.diags[0].subject->start, P(1, 3, 2), "&");
  expect_pos(l.diags[3].subject->start, P(1, 15, 14), "~");
  EXPECT_EQ(l.toks[1].type, Tok::bitwise_and);
  EXPECT_EQ(l.toks[3].type, Tok::bitwise_or);
  EXPECT_EQ(l.toks[5].type, Tok::bitwise_xor);
  EXPECT_EQ(l.toks[7].type, Tok::bitwise_not);
}

TEST(HclLexer, AtMostFourBitwiseOperatorsAreReported) {
  Lexed l = lex_config("a & b & c & d & e & f");
  EXPECT_EQ(l.diags.size(), 4u);
}

TEST(HclLexer, DoubleStarIsReportedOnce) {
  // The scanner of hashicorp/hcl has a StarStar token it never produces; warden produces it so
  // that "**" gets its dedicated message.
  Lexed l = lex_config("a ** b ** c");
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Unsupported operator");
  EXPECT_EQ(l.toks[1].type, Tok::star_star);
}

TEST(HclLexer, SemicolonIsReportedOnce) {
  Lexed l = lex_config("a = 1; b = 2;");
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Invalid character");
  EXPECT_EQ(l.diags[0].detail,
            "The \";\" character is not valid. Use newlines to separate arguments and blocks, "
            "and commas to separate items in collection values.");
  expect_pos(l.diags[0].subject->start, P(1, 6, 5), "subject");
  EXPECT_EQ(l.toks[3].type, Tok::semicolon);
}

TEST(HclLexer, BackticksAreReportedForEveryOtherOneAtMostTwice) {
  Lexed l = lex_config("`a` `b` `c`");
  ASSERT_EQ(l.diags.size(), 2u);
  EXPECT_EQ(l.diags[0].summary, "Invalid character");
  EXPECT_EQ(l.diags[0].detail,
            "The \"`\" character is not valid. To create a multi-line string, use the "
            "\"heredoc\" syntax, like \"<<EOT\".");
  expect_pos(l.diags[0].subject->start, P(1, 1, 0), "first");
  expect_pos(l.diags[1].subject->start, P(1, 5, 4), "third");
}

TEST(HclLexer, SingleQuotesAreReportedForEveryOtherOneAtMostTwice) {
  Lexed one = lex_config("a = 'x'");
  ASSERT_EQ(one.diags.size(), 1u);
  EXPECT_EQ(one.diags[0].summary, "Invalid character");
  EXPECT_EQ(one.diags[0].detail,
            "Single quotes are not valid. Use double quotes (\") to enclose strings.");
  expect_pos(one.diags[0].subject->start, P(1, 5, 4), "subject");
  EXPECT_EQ(one.toks[2].type, Tok::single_quote);

  Lexed many = lex_config("'a' 'b' 'c'");
  ASSERT_EQ(many.diags.size(), 2u);
  expect_pos(many.diags[1].subject->start, P(1, 5, 4), "third quote");
}

TEST(HclLexer, TypographicQuotesGetASpecificHint) {
  for (const char* q : {"\u201C", "\u201D", "\u2018", "\u2019"}) {
    Lexed l = lex_config(std::string("a = ") + q + "x" + q);
    ASSERT_EQ(l.toks[2].type, Tok::typographic_quote) << q;
    ASSERT_EQ(l.diags.size(), 2u) << q;
    EXPECT_EQ(l.diags[0].summary, "Invalid character");
    EXPECT_NE(l.diags[0].detail.find("Typographic quotes"), std::string::npos);
    EXPECT_NE(l.diags[0].detail.find("Use plain double quotes"), std::string::npos);
    expect_range(l.toks[2], P(1, 5, 4), P(1, 6, 7));
    expect_pos(l.diags[1].subject->start, P(1, 7, 8), "closing quote");
  }
}

TEST(HclLexer, OtherCharactersAreInvalid) {
  Lexed l = lex_config("a = @ $ \u00A7");
  ASSERT_EQ(l.diags.size(), 3u);
  for (const auto& d : l.diags) {
    EXPECT_EQ(d.summary, "Invalid character");
    EXPECT_EQ(d.detail, "This character is not used within the language.");
  }
  expect_range(l.toks[4], P(1, 9, 8), P(1, 10, 10));  // § is one character of two bytes
}

TEST(HclLexer, InvalidUtf8IsReportedOnceAtTheFirstBadByte) {
  Lexed l = lex_config("a = \"\xFF\"\nb = \xFE\xFE");
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(l.diags[0].summary, "Invalid character encoding");
  EXPECT_EQ(l.diags[0].detail,
            "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in "
            "your editor.");
  expect_pos(l.diags[0].subject->start, P(1, 6, 5), "subject");
  expect_pos(l.diags[0].subject->end, P(1, 7, 6), "subject end");
}

TEST(HclLexer, InvalidUtf8OutsideStringsIsABadUtf8Token) {
  Lexed l = lex_config("a = \xC3");
  ASSERT_EQ(l.kinds(), (std::vector<Tok>{Tok::ident, Tok::equal, Tok::bad_utf8, Tok::eof}));
  EXPECT_EQ(l.diags.size(), 1u);
}

TEST(HclLexer, InvalidCharacterDiagnosticsFollowSourceOrder) {
  Lexed l = lex_config("a = ;\nb = \xFF\nc = `");
  ASSERT_EQ(l.diags.size(), 3u);
  EXPECT_EQ(l.diags[0].subject->start.line, 1u);
  EXPECT_EQ(l.diags[1].summary, "Invalid character encoding");
  EXPECT_EQ(l.diags[1].subject->start.line, 2u);
  EXPECT_EQ(l.diags[2].subject->start.line, 3u);
}

TEST(HclLexer, IsInvalidTokenCoversTheReportedKinds) {
  EXPECT_TRUE(is_invalid_token(Tok::bitwise_and));
  EXPECT_TRUE(is_invalid_token(Tok::semicolon));
  EXPECT_TRUE(is_invalid_token(Tok::bad_utf8));
  EXPECT_FALSE(is_invalid_token(Tok::eof));
  EXPECT_FALSE(is_invalid_token(Tok::ident));
}

}  // namespace
