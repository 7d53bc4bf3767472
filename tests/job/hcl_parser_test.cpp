// The HCL native-syntax parser (lib/job/hcl/parser.cpp): structure, operator precedence,
// traversals and splats, templates and heredocs, and every diagnostic of hashicorp/hcl's
// hclsyntax parser that warden produces, with its subject range and recovery
// (see notes/hcl-syntax.md §3-§6).
#include <gtest/gtest.h>

#include <string>

#include "warden/job/hcl/parser.hpp"

using namespace warden;
using namespace warden::hcl;

namespace {

// ---- rendering a tree as an s-expression ----------------------------------------------------

std::string render(const Expr* e);

std::string render_steps(const Span<Traverser>& steps) {
  std::string s;
  for (const auto& st : steps) {
    if (st.kind == Traverser::Kind::attr) {
      s += "." + std::string(st.name);
    } else {
      s += "[" + (st.key ? render(st.key) : std::string("<bad>")) + "]";
    }
  }
  return s;
}

std::string join(const Span<Expr*>& items, const char* sep = " ") {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += sep;
    s += render(items[i]);
  }
  return s;
}

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::logical_or:
      return "||";
    case BinaryOp::logical_and:
      return "&&";
    case BinaryOp::equal:
      return "==";
    case BinaryOp::not_equal:
      return "!=";
    case BinaryOp::greater:
      return ">";
    case BinaryOp::greater_eq:
      return ">=";
    case BinaryOp::less:
      return "<";
    case BinaryOp::less_eq:
      return "<=";
    case BinaryOp::add:
      return "+";
    case BinaryOp::subtract:
      return "-";
    case BinaryOp::multiply:
      return "*";
    case BinaryOp::divide:
      return "/";
    case BinaryOp::modulo:
      return "%";
  }
  return "?";
}

std::string render(const Expr* e) {
  if (!e) return "<null>";
  switch (e->kind) {
    case ExprKind::literal: {
      auto* l = static_cast<const Literal*>(e);
      switch (l->lit) {
        case Literal::Kind::null:
          return "null";
        case Literal::Kind::boolean:
          return l->truth ? "true" : "false";
        case Literal::Kind::number:
          return std::string(l->text);
        case Literal::Kind::string:
          return "\"" + std::string(l->text) + "\"";
      }
      return "?";
    }
    case ExprKind::template_:
      return "(tpl " + join(static_cast<const Template*>(e)->parts) + ")";
    case ExprKind::template_wrap:
      return "(wrap " + render(static_cast<const TemplateWrap*>(e)->wrapped) + ")";
    case ExprKind::template_join:
      return "(join " + render(static_cast<const TemplateJoin*>(e)->tuple) + ")";
    case ExprKind::scope_traversal: {
      auto* t = static_cast<const ScopeTraversal*>(e);
      return std::string(t->root) + render_steps(t->steps);
    }
    case ExprKind::relative_traversal: {
      auto* t = static_cast<const RelativeTraversal*>(e);
      return "(rel " + render(t->source) + " " + render_steps(t->steps) + ")";
    }
    case ExprKind::function_call: {
      auto* c = static_cast<const FunctionCall*>(e);
      return std::string(c->name) + "(" + join(c->args, ", ") + (c->expand_final ? "..." : "") +
             ")";
    }
    case ExprKind::conditional: {
      auto* c = static_cast<const Conditional*>(e);
      return "(? " + render(c->condition) + " " + render(c->true_result) + " " +
             render(c->false_result) + ")";
    }
    case ExprKind::binary_op: {
      auto* b = static_cast<const BinaryOpExpr*>(e);
      return std::string("(") + op_name(b->op) + " " + render(b->lhs) + " " + render(b->rhs) + ")";
    }
    case ExprKind::unary_op: {
      auto* u = static_cast<const UnaryOpExpr*>(e);
      return std::string(u->op == UnaryOpExpr::Op::negate ? "(neg " : "(not ") +
             render(u->operand) + ")";
    }
    case ExprKind::tuple_cons:
      return "[" + join(static_cast<const TupleCons*>(e)->items, ", ") + "]";
    case ExprKind::object_cons: {
      auto* o = static_cast<const ObjectCons*>(e);
      std::string s = "{";
      for (size_t i = 0; i < o->items.size(); ++i) {
        if (i) s += ", ";
        s += render(o->items[i].key) + "=" + render(o->items[i].value);
      }
      return s + "}";
    }
    case ExprKind::object_key: {
      auto* k = static_cast<const ObjectKey*>(e);
      return (k->force_non_literal ? "!" : "") + render(k->wrapped);
    }
    case ExprKind::for_expr: {
      auto* f = static_cast<const ForExpr*>(e);
      std::string s = f->object ? "{for " : "[for ";
      if (!f->key_var.empty()) s += std::string(f->key_var) + ", ";
      s += std::string(f->val_var) + " in " + render(f->collection) + ": ";
      if (f->key) s += render(f->key) + " => ";
      s += render(f->value);
      if (f->group) s += "...";
      if (f->condition) s += " if " + render(f->condition);
      return s + (f->object ? "}" : "]");
    }
    case ExprKind::index: {
      auto* ix = static_cast<const IndexExpr*>(e);
      return "(index " + render(ix->collection) + " " + render(ix->key) + ")";
    }
    case ExprKind::splat: {
      auto* sp = static_cast<const Splat*>(e);
      return std::string(sp->attr_only ? "(splat. " : "(splat ") + render(sp->source) + " " +
             render(sp->each) + ")";
    }
    case ExprKind::anon_symbol:
      return "*";
    case ExprKind::parentheses:
      return "(paren " + render(static_cast<const Parentheses*>(e)->inner) + ")";
    case ExprKind::error:
      return "<error>";
  }
  return "?";
}

// ---- helpers ----------------------------------------------------------------------------------

ParsedFile cfg(std::string_view src) {
  return parse_config(src, "test.hcl");
}

// The rendered tree of a standalone expression that must parse cleanly.
std::string tree(std::string_view src) {
  ParsedExpression p = parse_expression(src, "test.hcl");
  EXPECT_TRUE(p.diagnostics.empty()) << src << "\n" << p.diagnostics.format();
  return render(p.expr);
}

// The rendered expression of attribute `name` in a config.
std::string attr_tree(const ParsedFile& f, std::string_view name) {
  const Attribute* a = f.file->body().attribute(name);
  if (!a) return "<missing>";
  return render(a->expr);
}

::testing::AssertionResult has_diag(const Diagnostics& ds, size_t i, std::string_view summary,
                                    uint32_t line, uint32_t column) {
  if (i >= ds.size())
    return ::testing::AssertionFailure() << "only " << ds.size() << " diagnostic(s):\n"
                                         << ds.format();
  const Diagnostic& d = ds[i];
  if (d.summary != summary)
    return ::testing::AssertionFailure()
           << "summary is \"" << d.summary << "\", want \"" << summary << "\"\n"
           << ds.format();
  if (!d.subject) return ::testing::AssertionFailure() << "no subject\n" << ds.format();
  if (d.subject->start.line != line || d.subject->start.column != column)
    return ::testing::AssertionFailure()
           << "subject starts at " << d.subject->start.line << ":" << d.subject->start.column
           << ", want " << line << ":" << column << "\n"
           << ds.format();
  return ::testing::AssertionSuccess();
}

void expect_range(const Range& r, uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
  EXPECT_EQ(r.start.line, l1);
  EXPECT_EQ(r.start.column, c1);
  EXPECT_EQ(r.end.line, l2);
  EXPECT_EQ(r.end.column, c2);
}

std::string only_string(const Expr* e) {
  // The single literal part of a template.
  if (e->kind != ExprKind::template_) return "<not a template: " + render(e) + ">";
  auto* t = static_cast<const Template*>(e);
  if (t->parts.size() != 1 || t->parts[0]->kind != ExprKind::literal) return render(e);
  return std::string(static_cast<const Literal*>(t->parts[0])->text);
}

std::string heredoc(std::string_view src) {
  ParsedFile f = cfg(src);
  EXPECT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  const Attribute* a = f.file->body().attribute("x");
  if (!a) return "<missing>";
  return only_string(a->expr);
}

// ---- structure --------------------------------------------------------------------------------

TEST(HclParserStructure, Attributes) {
  ParsedFile f = cfg("a = 1 + 2\nb = \"x\"\n\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  const Body& b = f.file->body();
  ASSERT_EQ(b.attributes.size(), 2u);
  EXPECT_EQ(b.attributes[0].name, "a");
  EXPECT_EQ(b.attributes[1].name, "b");
  expect_range(b.attributes[0].range, 1, 1, 1, 10);
  expect_range(b.attributes[0].name_range, 1, 1, 1, 2);
  expect_range(b.attributes[0].equals_range, 1, 3, 1, 4);
  EXPECT_EQ(render(b.attributes[0].expr), "(+ 1 2)");
  EXPECT_TRUE(b.blocks.empty());
}

TEST(HclParserStructure, LastAttributeNeedsNoNewline) {
  ParsedFile f = cfg("a = 1");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(attr_tree(f, "a"), "1");
}

TEST(HclParserStructure, BlockWithQuotedAndBareLabels) {
  ParsedFile f = cfg("service \"web\" api {\n  port = 80\n}\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  ASSERT_EQ(f.file->body().blocks.size(), 1u);
  const Block& b = *f.file->body().blocks[0];
  EXPECT_EQ(b.type, "service");
  ASSERT_EQ(b.labels.size(), 2u);
  EXPECT_EQ(b.labels[0], "web");
  EXPECT_EQ(b.labels[1], "api");
  expect_range(b.type_range, 1, 1, 1, 8);
  expect_range(b.label_ranges[0], 1, 9, 1, 14);
  expect_range(b.label_ranges[1], 1, 15, 1, 18);
  expect_range(b.open_brace, 1, 19, 1, 20);
  expect_range(b.close_brace, 3, 1, 3, 2);
  expect_range(b.def_range(), 1, 1, 1, 18);
  ASSERT_EQ(b.body->attributes.size(), 1u);
  EXPECT_EQ(b.body->attributes[0].name, "port");
}

TEST(HclParserStructure, QuotedLabelEscapesAreResolved) {
  ParsedFile f = cfg("a \"x\\ty\\u00e9\" {}\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(f.file->body().blocks[0]->labels[0], "x\ty\u00e9");
}

TEST(HclParserStructure, NestedBlocks) {
  ParsedFile f =
      cfg("job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      x = 1\n    }\n  }\n}\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  const Block& job = *f.file->body().blocks[0];
  ASSERT_EQ(job.body->blocks.size(), 1u);
  const Block& group = *job.body->blocks[0];
  EXPECT_EQ(group.labels[0], "g");
  ASSERT_EQ(group.body->blocks.size(), 1u);
  EXPECT_EQ(group.body->blocks[0]->body->attributes[0].name, "x");
}

TEST(HclParserStructure, BlocksKeepSourceOrder) {
  ParsedFile f = cfg("a {}\nb {}\na {}\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  ASSERT_EQ(f.file->body().blocks.size(), 3u);
  EXPECT_EQ(f.file->body().blocks[1]->type, "b");
  EXPECT_EQ(f.file->body().blocks[2]->type, "a");
}

TEST(HclParserStructure, OneLineBlocks) {
  ParsedFile f = cfg("a { b = 1 }\nc {}\nd \"l\" { e = [1, 2] }\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  const auto& blocks = f.file->body().blocks;
  ASSERT_EQ(blocks.size(), 3u);
  ASSERT_EQ(blocks[0]->body->attributes.size(), 1u);
  EXPECT_EQ(render(blocks[0]->body->attributes[0].expr), "1");
  EXPECT_TRUE(blocks[1]->body->attributes.empty());
  EXPECT_EQ(render(blocks[2]->body->attributes[0].expr), "[1, 2]");
}

TEST(HclParserStructure, CommentsAndBlankLinesBetweenItems) {
  ParsedFile f = cfg("# top\n\na = 1 // trailing\n/* block */ b = 2\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(f.file->body().attributes.size(), 2u);
}

TEST(HclParserStructure, AttributeRedefined) {
  ParsedFile f = cfg("a = 1\nb = 2\na = 3\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Attribute redefined", 3, 1));
  EXPECT_EQ(f.diagnostics[0].detail,
            "The argument \"a\" was already set at test.hcl:1,1-2. Each argument may be set only "
            "once.");
  // The first definition is kept.
  EXPECT_EQ(attr_tree(f, "a"), "1");
  EXPECT_EQ(f.file->body().attributes.size(), 2u);
}

TEST(HclParserStructure, SameAttributeNameInDifferentBodiesIsFine) {
  ParsedFile f = cfg("a = 1\nb {\n  a = 2\n}\n");
  EXPECT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
}

// ---- body-level diagnostics -------------------------------------------------------------------

TEST(HclParserBodyErrors, QuotedArgumentName) {
  ParsedFile f = cfg("\"a\" = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid argument name", 1, 1));
  EXPECT_EQ(f.diagnostics[0].detail, "Argument names must not be quoted.");
}

TEST(HclParserBodyErrors, UnclosedBlock) {
  ParsedFile f = cfg("a {");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unclosed configuration block", 1, 3));
  expect_range(*f.diagnostics[0].subject, 1, 3, 1, 4);
}

TEST(HclParserBodyErrors, NestedUnclosedBlocksAreReportedOnce) {
  ParsedFile f = cfg("a {\n  b {\n    c = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unclosed configuration block", 2, 5));
}

TEST(HclParserBodyErrors, StrayTokenAtTopLevelIgnoresTheRestOfTheFile) {
  ParsedFile f = cfg("a = 1\n}\nb = 2\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument or block definition required", 2, 1));
  EXPECT_EQ(f.diagnostics[0].detail, "An argument or block definition is required here.");
  EXPECT_NE(f.file->body().attribute("a"), nullptr);
  EXPECT_EQ(f.file->body().attribute("b"), nullptr);
}

TEST(HclParserBodyErrors, StrayTokenInsideABlockEndsOnlyThatBlock) {
  ParsedFile f = cfg("a {\n  [1]\n  x = 1\n}\nb = 2\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument or block definition required", 2, 3));
  EXPECT_NE(f.file->body().attribute("b"), nullptr);
}

TEST(HclParserBodyErrors, IdentifierWithoutEqualsSign) {
  ParsedFile f = cfg("a\nb = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument or block definition required", 1, 1));
  EXPECT_EQ(f.diagnostics[0].detail,
            "An argument or block definition is required here. To set an argument, use the "
            "equals sign \"=\" to introduce the argument value.");
  EXPECT_NE(f.file->body().attribute("b"), nullptr);
}

TEST(HclParserBodyErrors, MissingNewlineAfterArgument) {
  ParsedFile f = cfg("a = 1 b = 2\nc = 3\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Missing newline after argument", 1, 7));
  EXPECT_EQ(f.diagnostics[0].detail, "An argument definition must end with a newline.");
  EXPECT_EQ(attr_tree(f, "a"), "1");
  EXPECT_EQ(attr_tree(f, "c"), "3");
  EXPECT_EQ(f.file->body().attribute("b"), nullptr);
}

TEST(HclParserBodyErrors, UnexpectedCommaAfterArgument) {
  ParsedFile f = cfg("a = \"a value\", b = \"b value\"\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unexpected comma after argument", 1, 14));
  expect_range(*f.diagnostics[0].subject, 1, 14, 1, 15);
  EXPECT_EQ(f.diagnostics[0].detail,
            "Argument definitions must be separated by newlines, not commas. An argument "
            "definition must end with a newline.");
}

TEST(HclParserBodyErrors, EqualsAfterBlockLabel) {
  ParsedFile f = cfg("a \"b\" = 1\nc = 2\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid block definition", 1, 7));
  EXPECT_EQ(f.diagnostics[0].detail,
            "The equals sign \"=\" indicates an argument definition, and must not be used when "
            "defining a block.");
  ASSERT_EQ(f.file->body().blocks.size(), 1u);
  EXPECT_EQ(f.file->body().blocks[0]->labels[0], "b");
  EXPECT_NE(f.file->body().attribute("c"), nullptr);
}

TEST(HclParserBodyErrors, BlockBraceOnTheNextLine) {
  ParsedFile f = cfg("a \"b\"\n{\n}\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid block definition", 1, 6));
  expect_range(*f.diagnostics[0].subject, 1, 6, 2, 1);
  EXPECT_EQ(f.diagnostics[0].detail,
            "A block definition must have block content delimited by \"{\" and \"}\", starting "
            "on the same line as the block header.");
}

TEST(HclParserBodyErrors, BadTokenAfterBlockLabel) {
  ParsedFile f = cfg("a \"b\" 1 {}\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid block definition", 1, 7));
  EXPECT_EQ(f.diagnostics[0].detail,
            "Either a quoted string block label or an opening brace (\"{\") is expected here.");
}

TEST(HclParserBodyErrors, MissingNewlineAfterBlock) {
  ParsedFile f = cfg("a {} b = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Missing newline after block definition", 1, 6));
  EXPECT_EQ(f.diagnostics[0].detail, "A block definition must end with a newline.");
}

TEST(HclParserBodyErrors, TemplateSequenceInLabel) {
  ParsedFile f = cfg("a \"x${b}\" {}\nc \"%{ if d }\" {}\n");
  ASSERT_EQ(f.diagnostics.size(), 2u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid string literal", 1, 5));
  EXPECT_EQ(f.diagnostics[0].detail,
            "Template sequences are not allowed in this string. To include a literal \"$\", "
            "double it (as \"$$\") to escape it.");
  EXPECT_TRUE(has_diag(f.diagnostics, 1, "Invalid string literal", 2, 4));
  EXPECT_EQ(f.diagnostics[1].detail,
            "Template sequences are not allowed in this string. To include a literal \"%\", "
            "double it (as \"%%\") to escape it.");
  // Both blocks are still there.
  EXPECT_EQ(f.file->body().blocks.size(), 2u);
}

TEST(HclParserBodyErrors, UnterminatedLabel) {
  ParsedFile f = cfg("a \"b");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unterminated string literal", 1, 5));
  EXPECT_EQ(f.diagnostics[0].detail,
            "Unable to find the closing quote mark before the end of the file.");
}

TEST(HclParserBodyErrors, NewlineInLabelIsReportedByTheLexerOnly) {
  // hashicorp/hcl adds "Invalid string literal" for the QuotedNewline token; warden does not
  // report a token the lexer already reported.
  ParsedFile f = cfg("a \"b\nc\" {}\nd = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_EQ(f.diagnostics[0].summary, "Invalid multi-line string");
  ASSERT_EQ(f.file->body().blocks.size(), 1u);
  EXPECT_EQ(f.file->body().blocks[0]->labels[0], "b");
  EXPECT_NE(f.file->body().attribute("d"), nullptr);
}

TEST(HclParserBodyErrors, InvalidCharacterIsNotReportedTwice) {
  ParsedFile f = cfg("a = ;\nb = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_EQ(f.diagnostics[0].summary, "Invalid character");
  EXPECT_NE(f.file->body().attribute("b"), nullptr);
}

// ---- single-line blocks -----------------------------------------------------------------------

TEST(HclParserSingleLineBlock, NestedBlockIsNotAllowed) {
  ParsedFile f = cfg("a { d {} }\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument definition required", 1, 5));
  expect_range(*f.diagnostics[0].subject, 1, 5, 1, 8);
  EXPECT_EQ(f.diagnostics[0].detail,
            "A single-line block definition can contain only a single argument. If you meant to "
            "define argument \"d\", use an equals sign to assign it a value. To define a nested "
            "block, place it on a line of its own within its parent block.");
}

TEST(HclParserSingleLineBlock, NonIdentifierContent) {
  ParsedFile f = cfg("a { 1 }\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument or block definition required", 1, 5));
  EXPECT_EQ(f.diagnostics[0].detail, "An argument or block definition is required here.");
}

TEST(HclParserSingleLineBlock, IdentifierWithoutEquals) {
  ParsedFile f = cfg("a { b }\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Argument or block definition required", 1, 5));
  EXPECT_NE(f.diagnostics[0].detail.find("use the equals sign"), std::string::npos);
}

TEST(HclParserSingleLineBlock, OnlyOneArgument) {
  ParsedFile f = cfg("a { b = 1, c = 2 }\nd = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid single-argument block definition", 1, 10));
  EXPECT_EQ(f.diagnostics[0].detail,
            "Single-line block syntax can include only one argument definition. To define "
            "multiple arguments, use the multi-line block syntax with one argument definition "
            "per line.");
  EXPECT_NE(f.file->body().attribute("d"), nullptr);
}

TEST(HclParserSingleLineBlock, MustCloseOnTheSameLine) {
  ParsedFile f = cfg("a { b = \"foo\"\n}\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid single-argument block definition", 1, 14));
  expect_range(*f.diagnostics[0].subject, 1, 14, 2, 1);
  EXPECT_NE(f.diagnostics[0].detail.find("must also be closed on the same line"),
            std::string::npos);
}

TEST(HclParserSingleLineBlock, UnclosedAtEndOfFile) {
  ParsedFile f = cfg("a { b = 1");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unclosed configuration block", 1, 3));
}

TEST(HclParserSingleLineBlock, ExtraTokenAfterTheArgument) {
  ParsedFile f = cfg("a { b = 1 c }\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid single-argument block definition", 1, 11));
  EXPECT_EQ(f.diagnostics[0].detail,
            "A single-line block definition must end with a closing brace immediately after its "
            "single argument definition.");
}

// ---- recovery ---------------------------------------------------------------------------------

TEST(HclParserRecovery, SeveralErrorsAtOnceAndLaterItemsParsed) {
  ParsedFile f =
      cfg("a = 1 2\n"
          "x\n"
          "a = 3\n"
          "c = 4\n"
          "blk \"l\" = 5\n"
          "d {\n"
          "  e = 6\n"
          "}\n");
  ASSERT_EQ(f.diagnostics.size(), 4u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Missing newline after argument", 1, 7));
  EXPECT_TRUE(has_diag(f.diagnostics, 1, "Argument or block definition required", 2, 1));
  EXPECT_TRUE(has_diag(f.diagnostics, 2, "Attribute redefined", 3, 1));
  EXPECT_TRUE(has_diag(f.diagnostics, 3, "Invalid block definition", 5, 9));
  EXPECT_EQ(attr_tree(f, "c"), "4");
  ASSERT_EQ(f.file->body().blocks.size(), 2u);
  EXPECT_EQ(render(f.file->body().blocks[1]->body->attributes[0].expr), "6");
}

TEST(HclParserRecovery, LexerAndParserErrorsTogether) {
  ParsedFile f = cfg("a = `x`\nb = (1 2)\nc = 3\n");
  ASSERT_EQ(f.diagnostics.size(), 2u) << f.diagnostics.format();
  EXPECT_EQ(f.diagnostics[0].summary, "Invalid character");
  EXPECT_TRUE(has_diag(f.diagnostics, 1, "Unbalanced parentheses", 2, 8));
  EXPECT_EQ(attr_tree(f, "c"), "3");
}

TEST(HclParserRecovery, BrokenExpressionInsideBlockDoesNotLoseTheBlock) {
  ParsedFile f = cfg("a {\n  b = [1, \n  c = 2\n}\nd = 3\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.file->body().blocks.size(), 1u);
}

// ---- expression diagnostics -------------------------------------------------------------------

ParsedExpression expr(std::string_view src) {
  return parse_expression(src, "test.hcl");
}

TEST(HclParserExprErrors, MissingExpressionAtEndOfFile) {
  ParsedFile f = cfg("a =");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Missing expression", 1, 4));
  EXPECT_EQ(f.diagnostics[0].detail,
            "Expected the start of an expression, but found the end of the file.");
}

TEST(HclParserExprErrors, InvalidExpressionAtNewline) {
  ParsedFile f = cfg("a = \nb = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid expression", 1, 5));
  expect_range(*f.diagnostics[0].subject, 1, 5, 2, 1);
  EXPECT_EQ(f.diagnostics[0].detail,
            "Expected the start of an expression, but found an invalid expression token.");
}

TEST(HclParserExprErrors, OperatorContinuationOnNextLineIsNotAllowedInBodies) {
  ParsedFile f = cfg("a = 1 +\n  2\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid expression", 1, 8));
}

TEST(HclParserExprErrors, InvalidNumberLiteral) {
  ParsedFile f = cfg("a = 1.2.3\n");
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid number literal", 1, 5));
  expect_range(*f.diagnostics[0].subject, 1, 5, 1, 10);
  EXPECT_EQ(f.diagnostics[0].detail, "Failed to recognize the value of this number literal.");
}

TEST(HclParserExprErrors, UnbalancedParentheses) {
  ParsedExpression p = expr("(1 2)");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unbalanced parentheses", 1, 4));
  EXPECT_EQ(p.diagnostics[0].detail, "Expected a closing parenthesis to terminate the expression.");
}

TEST(HclParserExprErrors, MissingFalseExpression) {
  ParsedExpression p = expr("a ? b c");
  ASSERT_GE(p.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing false expression in conditional", 1, 7));
  EXPECT_EQ(p.diagnostics[0].detail,
            "The conditional operator (...?...:...) requires a false expression, delimited by a "
            "colon.");
}

TEST(HclParserExprErrors, ExpansionMustBeLast) {
  ParsedExpression p = expr("f(a... b)");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing closing parenthesis", 1, 4));
  expect_range(*p.diagnostics[0].subject, 1, 4, 1, 7);
  EXPECT_EQ(p.diagnostics[0].detail,
            "An expanded function argument (with ...) must be immediately followed by closing "
            "parentheses.");
}

TEST(HclParserExprErrors, UnterminatedFunctionCall) {
  ParsedExpression p = expr("f(a");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unterminated function call", 1, 1));
  expect_range(*p.diagnostics[0].subject, 1, 1, 1, 3);
}

TEST(HclParserExprErrors, MissingArgumentSeparator) {
  ParsedExpression p = expr("f(a b)");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing argument separator", 1, 5));
  EXPECT_EQ(p.diagnostics[0].detail,
            "A comma is required to separate each function argument from the next.");
}

TEST(HclParserExprErrors, UnterminatedTuple) {
  ParsedExpression p = expr("[1, 2");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unterminated tuple constructor expression", 1, 1));
  expect_range(*p.diagnostics[0].subject, 1, 1, 1, 2);
}

TEST(HclParserExprErrors, MissingItemSeparator) {
  ParsedExpression p = expr("[1 2]");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing item separator", 1, 4));
  EXPECT_EQ(p.diagnostics[0].detail, "Expected a comma to mark the beginning of the next item.");
}

TEST(HclParserExprErrors, MissingAttributeValue) {
  ParsedExpression nl = expr("{a\n}");
  ASSERT_EQ(nl.diagnostics.size(), 1u) << nl.diagnostics.format();
  EXPECT_TRUE(has_diag(nl.diagnostics, 0, "Missing attribute value", 1, 3));
  EXPECT_EQ(nl.diagnostics[0].detail,
            "Expected an attribute value, introduced by an equals sign (\"=\").");
  ParsedExpression comma = expr("{a, b = 1}");
  EXPECT_TRUE(has_diag(comma.diagnostics, 0, "Missing attribute value", 1, 3));
}

TEST(HclParserExprErrors, MissingKeyValueSeparator) {
  ParsedExpression id = expr("{a b = 1}");
  ASSERT_EQ(id.diagnostics.size(), 1u) << id.diagnostics.format();
  EXPECT_TRUE(has_diag(id.diagnostics, 0, "Missing key/value separator", 1, 4));
  EXPECT_EQ(id.diagnostics[0].detail,
            "Expected an equals sign (\"=\") to mark the beginning of the attribute value. If "
            "you intended to given an attribute name containing periods or spaces, write the "
            "name in quotes to create a string literal.");
  ParsedExpression other = expr("{\"a\" 1}");
  ASSERT_EQ(other.diagnostics.size(), 1u) << other.diagnostics.format();
  EXPECT_TRUE(has_diag(other.diagnostics, 0, "Missing key/value separator", 1, 6));
  EXPECT_EQ(other.diagnostics[0].detail,
            "Expected an equals sign (\"=\") to mark the beginning of the attribute value.");
}

TEST(HclParserExprErrors, UnterminatedObject) {
  for (const char* src : {"{a = 1", "{a"}) {
    ParsedExpression p = expr(src);
    ASSERT_EQ(p.diagnostics.size(), 1u) << src << p.diagnostics.format();
    EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unterminated object constructor expression", 1, 1))
        << src;
  }
}

TEST(HclParserExprErrors, MissingAttributeSeparator) {
  ParsedExpression p = expr("{a = 1 b = 2}");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing attribute separator", 1, 8));
  EXPECT_EQ(p.diagnostics[0].detail,
            "Expected a newline or comma to mark the beginning of the next attribute.");
}

TEST(HclParserExprErrors, ObjectItemValueCannotContinueOnTheNextLine) {
  ParsedExpression p = expr("{\n  a = 1 +\n  2\n}");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid expression", 2, 10));
}

TEST(HclParserExprErrors, InvalidAttributeName) {
  ParsedExpression p = expr("a.[0]");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid attribute name", 1, 3));
  EXPECT_EQ(p.diagnostics[0].detail, "An attribute name is required after a dot.");
}

TEST(HclParserExprErrors, NestedAttributeOnlySplat) {
  ParsedExpression p = expr("a.*.*");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Nested splat expression not allowed", 1, 5));
  EXPECT_EQ(p.diagnostics[0].detail,
            "A splat expression (*) cannot be used inside another attribute-only splat "
            "expression.");
}

TEST(HclParserExprErrors, ChainedLegacyIndex) {
  ParsedExpression p = expr("a.0.1");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid legacy index syntax", 1, 3));
  expect_range(*p.diagnostics[0].subject, 1, 3, 1, 6);
  EXPECT_EQ(p.diagnostics[0].detail,
            "When using the legacy index syntax, chaining two indexes together is not permitted. "
            "Use the proper index syntax instead, like [0][1].");

  ParsedExpression s = expr("a.*.2.3");
  ASSERT_EQ(s.diagnostics.size(), 1u) << s.diagnostics.format();
  EXPECT_TRUE(has_diag(s.diagnostics, 0, "Invalid legacy index syntax", 1, 5));
  EXPECT_EQ(s.diagnostics[0].detail,
            "When using the legacy index syntax, chaining two indexes together is not permitted. "
            "Use the proper index syntax with a full splat expression [*] instead, like [2][3].");
}

TEST(HclParserExprErrors, MissingCloseBracketOnSplat) {
  ParsedExpression p = expr("a[*.b]");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing close bracket on splat index", 1, 4));
  EXPECT_EQ(p.diagnostics[0].detail,
            "The star for a full splat operator must be immediately followed by a closing bracket "
            "(\"]\").");
}

TEST(HclParserExprErrors, MissingCloseBracketOnIndex) {
  ParsedExpression p = expr("a[1 2]");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing close bracket on index", 1, 5));
  EXPECT_EQ(p.diagnostics[0].detail, "The index operator must end with a closing bracket (\"]\").");
}

TEST(HclParserExprErrors, ExtraCharactersAfterExpression) {
  ParsedExpression p = expr("1 2");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Extra characters after expression", 1, 3));
  EXPECT_EQ(p.diagnostics[0].detail,
            "An expression was successfully parsed, but extra characters were found after it.");
}

TEST(HclParserExprErrors, ExtraCharactersNotReportedInRecovery) {
  ParsedExpression p = expr("(1 2) 3");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_EQ(p.diagnostics[0].summary, "Unbalanced parentheses");
}

TEST(HclParserExprErrors, ForExpressionErrors) {
  struct Case {
    const char* src;
    const char* detail;
    uint32_t column;
  };
  const Case cases[] = {
      {"[for]", "For expression requires variable name after 'for'.", 5},
      {"[for k, ]", "For expression requires value variable name after comma.", 9},
      {"[for x y]", "For expression requires the 'in' keyword after its name declarations.", 8},
      {"[for x in y]", "For expression requires a colon after the collection expression.", 12},
      {"[for x in y: x z]", "Extra characters after the end of the 'for' expression.", 16},
      {"[for k, v in y: k => v]", "Key expression is not valid when building a tuple.", 17},
      {"[for x in y: x...]", "Grouping ellipsis (...) cannot be used when building a tuple.", 15},
      {"{for x in y: x}", "Key expression is required when building an object.", 14},
      {"{for = 1}", "For expression requires variable name after 'for'.", 6},
  };
  for (const Case& c : cases) {
    ParsedExpression p = expr(c.src);
    ASSERT_EQ(p.diagnostics.size(), 1u) << c.src << "\n" << p.diagnostics.format();
    EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid 'for' expression", 1, c.column)) << c.src;
    EXPECT_EQ(p.diagnostics[0].detail, c.detail) << c.src;
  }
}

// ---- precedence and associativity -------------------------------------------------------------

TEST(HclParserPrecedence, LevelsFromLowestToHighest) {
  EXPECT_EQ(tree("a || b && c"), "(|| a (&& b c))");
  EXPECT_EQ(tree("a && b == c"), "(&& a (== b c))");
  EXPECT_EQ(tree("a != b < c"), "(!= a (< b c))");
  EXPECT_EQ(tree("a >= b + c"), "(>= a (+ b c))");
  EXPECT_EQ(tree("a - b * c"), "(- a (* b c))");
  EXPECT_EQ(tree("a * b + c"), "(+ (* a b) c)");
  EXPECT_EQ(tree("a + b <= c && d || e"), "(|| (&& (<= (+ a b) c) d) e)");
}

TEST(HclParserPrecedence, SameLevelIsLeftAssociative) {
  EXPECT_EQ(tree("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(tree("a / b % c * d"), "(* (% (/ a b) c) d)");
  EXPECT_EQ(tree("a < b > c"), "(> (< a b) c)");
  EXPECT_EQ(tree("a == b != c"), "(!= (== a b) c)");
  EXPECT_EQ(tree("a || b || c"), "(|| (|| a b) c)");
  EXPECT_EQ(tree("a && b && c"), "(&& (&& a b) c)");
}

TEST(HclParserPrecedence, ParenthesesOverride) {
  EXPECT_EQ(tree("(a + b) * c"), "(* (paren (+ a b)) c)");
}

TEST(HclParserPrecedence, UnaryOperatorsBindTightestButTakeTraversals) {
  EXPECT_EQ(tree("-46 + 5"), "(+ (neg 46) 5)");
  EXPECT_EQ(tree("-a.b[0]"), "(neg a.b[0])");
  EXPECT_EQ(tree("!a == b"), "(== (not a) b)");
  EXPECT_EQ(tree("- -1"), "(neg (neg 1))");
  EXPECT_EQ(tree("!!x"), "(not (not x))");
  EXPECT_EQ(tree("a * -b"), "(* a (neg b))");
}

TEST(HclParserPrecedence, Conditionals) {
  EXPECT_EQ(tree("a ? b : c ? d : e"), "(? a b (? c d e))");
  EXPECT_EQ(tree("a ? b ? c : d : e"), "(? a (? b c d) e)");
  EXPECT_EQ(tree("a || b ? c + 1 : d"), "(? (|| a b) (+ c 1) d)");
}

TEST(HclParserPrecedence, ConditionalRange) {
  ParsedExpression p = expr("x ? 1 : 2");
  ASSERT_TRUE(p.diagnostics.empty());
  expect_range(p.expr->range, 1, 1, 1, 10);
}

// ---- terms, traversals, splats ----------------------------------------------------------------

TEST(HclParserTerms, Literals) {
  EXPECT_EQ(tree("true"), "true");
  EXPECT_EQ(tree("null"), "null");
  EXPECT_EQ(tree("1.5e3"), "1.5e3");
  EXPECT_EQ(tree("\"s\""), "(tpl \"s\")");
}

TEST(HclParserTerms, Collections) {
  EXPECT_EQ(tree("[]"), "[]");
  EXPECT_EQ(tree("[1, 2,]"), "[1, 2]");
  EXPECT_EQ(tree("[\n1,\n2\n]"), "[1, 2]");
  EXPECT_EQ(tree("{}"), "{}");
  EXPECT_EQ(tree("{a = 1, b: 2,}"), "{a=1, b=2}");
  EXPECT_EQ(tree("{\n  a = 1\n  b = 2\n}"), "{a=1, b=2}");
}

TEST(HclParserTerms, ObjectKeys) {
  // A bare identifier key is wrapped as written; parentheses force an expression.
  EXPECT_EQ(tree("{a = 1}"), "{a=1}");
  EXPECT_EQ(tree("{(a) = 1}"), "{!(paren a)=1}");
  EXPECT_EQ(tree("{\"a\" = 1}"), "{(tpl \"a\")=1}");
  EXPECT_EQ(tree("{a.b = 1}"), "{a.b=1}");  // an error only when evaluated
  EXPECT_EQ(tree("{\"for\" = 1}"), "{(tpl \"for\")=1}");
  EXPECT_EQ(tree("{(for) = 1}"), "{!(paren for)=1}");
}

TEST(HclParserTerms, FunctionCalls) {
  EXPECT_EQ(tree("f()"), "f()");
  EXPECT_EQ(tree("f(a, b,)"), "f(a, b)");
  EXPECT_EQ(tree("f(\n  a,\n  b\n)"), "f(a, b)");
  EXPECT_EQ(tree("f(a, b...)"), "f(a, b...)");
  ParsedExpression p = expr("upper(x)");
  auto* c = static_cast<const FunctionCall*>(p.expr);
  expect_range(c->name_range, 1, 1, 1, 6);
  expect_range(c->open_paren, 1, 6, 1, 7);
  expect_range(c->close_paren, 1, 8, 1, 9);
  expect_range(c->range, 1, 1, 1, 9);
}

TEST(HclParserTerms, AttributesAndLegacyIndex) {
  EXPECT_EQ(tree("a.b.c"), "a.b.c");
  EXPECT_EQ(tree("a.0"), "a[0]");
  EXPECT_EQ(tree("a.0.b"), "a[0].b");
  EXPECT_EQ(tree("f(x).y"), "(rel f(x) .y)");
}

TEST(HclParserTerms, IndexWithLiteralKeyIsATraversalStep) {
  EXPECT_EQ(tree("a[0]"), "a[0]");
  EXPECT_EQ(tree("a[\"k\"]"), "a[\"k\"]");
  EXPECT_EQ(tree("a[true]"), "a[true]");
  EXPECT_EQ(tree("a[\n0\n]"), "a[0]");
}

TEST(HclParserTerms, IndexWithExpressionKeyIsAnIndexExpression) {
  EXPECT_EQ(tree("a[b]"), "(index a b)");
  EXPECT_EQ(tree("a[-1]"), "(index a (neg 1))");
  EXPECT_EQ(tree("a[\"${b}\"]"), "(index a (wrap b))");
  EXPECT_EQ(tree("a[b].c"), "(rel (index a b) .c)");
}

TEST(HclParserTerms, AttributeOnlySplatTakesOnlyAttributeSteps) {
  EXPECT_EQ(tree("t.*"), "(splat. t *)");
  EXPECT_EQ(tree("t.*.foo.bar"), "(splat. t (rel * .foo.bar))");
  EXPECT_EQ(tree("t.*.foo.0"), "(splat. t (rel * .foo[0]))");
  // An index after it applies to the result.
  EXPECT_EQ(tree("t.*.foo.bar[0]"), "(rel (splat. t (rel * .foo.bar)) [0])");
}

TEST(HclParserTerms, FullSplatTakesAllFollowingSteps) {
  EXPECT_EQ(tree("t[*]"), "(splat t *)");
  EXPECT_EQ(tree("t[*].foo.bar[0]"), "(splat t (rel * .foo.bar[0]))");
  EXPECT_EQ(tree("t[*].a[*].b"), "(splat t (splat (rel * .a) (rel * .b)))");
  EXPECT_EQ(tree("t[*][k]"), "(splat t (index * k))");
}

TEST(HclParserTerms, SplatRanges) {
  ParsedExpression p = expr("tt[*].a");
  auto* s = static_cast<const Splat*>(p.expr);
  expect_range(s->range, 1, 1, 1, 8);
  expect_range(s->marker, 1, 3, 1, 6);
}

TEST(HclParserTerms, ForExpressions) {
  EXPECT_EQ(tree("[for x in xs: x * 2]"), "[for x in xs: (* x 2)]");
  EXPECT_EQ(tree("[for i, x in xs: i if x]"), "[for i, x in xs: i if x]");
  EXPECT_EQ(tree("{for k, v in m: v => k...}"), "{for k, v in m: v => k...}");
  EXPECT_EQ(tree("{for k, v in m: k => v if v > 1}"), "{for k, v in m: k => v if (> v 1)}");
  EXPECT_EQ(tree("[\n  for x in xs:\n  x\n]"), "[for x in xs: x]");
  EXPECT_EQ(tree("{\n  for x in xs:\n  x => x\n}"), "{for x in xs: x => x}");
}

TEST(HclParserTerms, ConditionalInsideForIsFine) {
  EXPECT_EQ(tree("[for x in xs: x ? 1 : 2]"), "[for x in xs: (? x 1 2)]");
}

// ---- templates --------------------------------------------------------------------------------

TEST(HclParserTemplates, SingleInterpolationIsUnwrapped) {
  EXPECT_EQ(tree("\"${x}\""), "(wrap x)");
  EXPECT_EQ(tree("\"${~ x ~}\""), "(wrap x)");
  EXPECT_EQ(tree("\"${x} \""), "(tpl x \" \")");
  EXPECT_EQ(tree("\"a${x}\""), "(tpl \"a\" x)");
  EXPECT_EQ(tree("\"${x}${y}\""), "(tpl x y)");
}

TEST(HclParserTemplates, EmptyAndPlainStrings) {
  EXPECT_EQ(tree("\"\""), "(tpl \"\")");
  EXPECT_EQ(tree("\"abc\""), "(tpl \"abc\")");
}

TEST(HclParserTemplates, QuotedEscapes) {
  ParsedExpression p = expr("\"a\\nb\\t\\\"\\\\\\r\\u00e9\\U0001F600 $${x} %%{y} $x\"");
  ASSERT_TRUE(p.diagnostics.empty()) << p.diagnostics.format();
  EXPECT_EQ(only_string(p.expr), "a\nb\t\"\\\r\u00e9\U0001F600 ${x} %{y} $x");
}

TEST(HclParserTemplates, InvalidEscapes) {
  struct Case {
    const char* src;
    const char* detail;
    uint32_t col1, col2;
  };
  const Case cases[] = {
      {"\"\\q\"", "The symbol \"q\" is not a valid escape sequence selector.", 2, 4},
      {"\"\\u12\"", "The \\u escape sequence must be followed by four hexadecimal digits.", 2, 6},
      {"\"\\U1234\"", "The \\U escape sequence must be followed by eight hexadecimal digits.", 2,
       8},
      {"\"\\U0000D800\"", "Cannot encode character U+d800 in UTF-8.", 2, 12},
      {"\"\\U00110000\"", "Cannot encode character U+110000 in UTF-8.", 2, 12},
  };
  for (const Case& c : cases) {
    ParsedExpression p = expr(c.src);
    ASSERT_EQ(p.diagnostics.size(), 1u) << c.src << "\n" << p.diagnostics.format();
    EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid escape sequence", 1, c.col1)) << c.src;
    EXPECT_EQ(p.diagnostics[0].subject->end.column, c.col2) << c.src;
    EXPECT_EQ(p.diagnostics[0].detail, c.detail) << c.src;
  }
}

TEST(HclParserTemplates, IfDirective) {
  EXPECT_EQ(tree("\"%{ if c }a%{ else }b%{ endif }\""), "(tpl (? c (tpl \"a\") (tpl \"b\")))");
  EXPECT_EQ(tree("\"x%{ if c }a%{ endif }y\""), "(tpl \"x\" (? c (tpl \"a\") (tpl \"\")) \"y\")");
  EXPECT_EQ(tree("\"%{ if c }%{ endif }\""), "(tpl (? c (tpl \"\") (tpl \"\")))");
}

TEST(HclParserTemplates, ForDirective) {
  EXPECT_EQ(tree("\"%{ for x in xs }${x},%{ endfor }\""),
            "(tpl (join [for x in xs: (tpl x \",\")]))");
  EXPECT_EQ(tree("\"%{ for k, v in m }${k}%{ endfor }\""), "(tpl (join [for k, v in m: (tpl k)]))");
}

TEST(HclParserTemplates, DirectivesNest) {
  EXPECT_EQ(tree("\"%{ for x in xs }%{ if x }y%{ endif }%{ endfor }\""),
            "(tpl (join [for x in xs: (tpl (? x (tpl \"y\") (tpl \"\")))]))");
}

TEST(HclParserTemplates, StripMarkers) {
  EXPECT_EQ(tree("\"a  ${~ x ~}  b\""), "(tpl \"a\" x \"b\")");
  EXPECT_EQ(tree("\"a \\n ${~x}\""), "(tpl \"a\" x)");
  // Only literal parts are stripped: the space between the interpolations disappears, the
  // values themselves are untouched.
  EXPECT_EQ(tree("\"${a}  ${~b}\""), "(tpl a \"\" b)");
}

TEST(HclParserTemplates, StripMarkersInHeredocDirectives) {
  ParsedFile f = cfg("x = <<EOT\nitems:\n%{~ for i in xs ~}\n  - ${i}\n%{~ endfor ~}\n\nEOT\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(attr_tree(f, "x"),
            "(tpl \"items:\" (join [for i in xs: (tpl \"  - \" i \"\")]) \"\n\")");
}

TEST(HclParserTemplates, HeredocIsNeverUnwrapped) {
  ParsedFile f = cfg("x = <<EOT\n${y}\nEOT\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(attr_tree(f, "x"), "(tpl y \"\n\")");
}

TEST(HclParserTemplates, PlainHeredocKeepsIndentation) {
  EXPECT_EQ(heredoc("x = <<EOT\n  a\n    b\nEOT\n"), "  a\n    b\n");
  EXPECT_EQ(heredoc("x = <<EOT\nEOT\n"), "");
}

TEST(HclParserTemplates, FlushHeredocRemovesTheCommonIndentation) {
  EXPECT_EQ(heredoc("x = <<-EOT\n  a\n    b\nEOT\n"), "a\n  b\n");
  // The closing marker's indentation does not count.
  EXPECT_EQ(heredoc("x = <<-EOT\n    a\n      b\n  EOT\n"), "a\n  b\n");
}

TEST(HclParserTemplates, FlushHeredocCountsTabsAsOneCharacter) {
  EXPECT_EQ(heredoc("x = <<-EOT\n\t\ta\n\t\t\tb\n\tEOT\n"), "a\n\tb\n");
  EXPECT_EQ(heredoc("x = <<-EOT\n\t a\n  b\nEOT\n"), "a\nb\n");
}

TEST(HclParserTemplates, FlushHeredocIgnoresBlankLines) {
  EXPECT_EQ(heredoc("x = <<-EOT\n    a\n\n    b\nEOT\n"), "a\n\nb\n");
  // A line of only white space neither counts nor is trimmed.
  EXPECT_EQ(heredoc("x = <<-EOT\n    a\n  \n    b\nEOT\n"), "a\n  \nb\n");
}

TEST(HclParserTemplates, FlushHeredocLineStartingWithInterpolationHasNoIndentation) {
  ParsedFile f = cfg("x = <<-EOT\n  a\n${y}\nEOT\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  EXPECT_EQ(attr_tree(f, "x"), "(tpl \"  a\n\" y \"\n\")");
}

TEST(HclParserTemplates, HeredocEscapes) {
  EXPECT_EQ(heredoc("x = <<EOT\n$${a} %%{b} \\n \"q\"\nEOT\n"), "${a} %{b} \\n \"q\"\n");
}

TEST(HclParserTemplates, HeredocWithCrLf) {
  EXPECT_EQ(heredoc("x = <<-EOT\r\n  a\r\n  EOT\r\n"), "a\r\n");
}

TEST(HclParserTemplates, HeredocInsideBlock) {
  ParsedFile f = cfg("t {\n  x = <<-EOT\n    hello\n    EOT\n  y = 1\n}\n");
  ASSERT_TRUE(f.diagnostics.empty()) << f.diagnostics.format();
  const Body& b = *f.file->body().blocks[0]->body;
  EXPECT_EQ(only_string(b.attribute("x")->expr), "hello\n");
  EXPECT_NE(b.attribute("y"), nullptr);
}

TEST(HclParserTemplates, MalformedHeredocIntroducerIsASingleError) {
  ParsedFile f = cfg("x = <<-EOF # c\n  hi\nEOF\ny = 1\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Invalid heredoc introducer", 1, 11));
  EXPECT_NE(f.file->body().attribute("y"), nullptr);
}

TEST(HclParserTemplates, ParseTemplate) {
  ParsedExpression p = parse_template("Hello, ${name}!\n", "t.tpl");
  ASSERT_TRUE(p.diagnostics.empty()) << p.diagnostics.format();
  EXPECT_EQ(render(p.expr), "(tpl \"Hello, \" name \"!\n\")");

  ParsedExpression w = parse_template("${x}", "t.tpl");
  ASSERT_TRUE(w.diagnostics.empty());
  EXPECT_EQ(render(w.expr), "(wrap x)");

  ParsedExpression d = parse_template("%{ for x in xs }${x}\n%{ endfor }", "t.tpl");
  ASSERT_TRUE(d.diagnostics.empty()) << d.diagnostics.format();
  EXPECT_EQ(render(d.expr), "(tpl (join [for x in xs: (tpl x \"\n\")]))");

  ParsedExpression q = parse_template("say \"${x}\" \\n", "t.tpl");
  ASSERT_TRUE(q.diagnostics.empty());
  EXPECT_EQ(render(q.expr), "(tpl \"say \"\" x \"\" \\n\")");
}

TEST(HclParserTemplates, ParseTemplateReportsUnclosedInterpolation) {
  ParsedExpression p = parse_template("a ${b", "t.tpl");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unclosed template interpolation sequence", 1, 1));
  EXPECT_EQ(p.diagnostics[0].file, "t.tpl");
}

// ---- template diagnostics ---------------------------------------------------------------------

TEST(HclParserTemplateErrors, UnclosedInterpolationAtEndOfFile) {
  ParsedFile f = cfg("x = <<EOT\n${a\n");
  ASSERT_GE(f.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unclosed template interpolation sequence", 2, 1));
  EXPECT_NE(f.diagnostics[0].detail.find("before the end of the file"), std::string::npos);
}

TEST(HclParserTemplateErrors, UnclosedInterpolationInQuotedTemplate) {
  ParsedExpression p = expr("\"a${b\"");
  ASSERT_GE(p.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unclosed template interpolation sequence", 1, 2));
  EXPECT_NE(p.diagnostics[0].detail.find("before the end of the quoted template"),
            std::string::npos);
}

TEST(HclParserTemplateErrors, ColonInInterpolation) {
  ParsedExpression p = expr("\"${a:b}\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Extra characters after interpolation expression", 1, 5));
  EXPECT_EQ(p.diagnostics[0].detail,
            "Template interpolation doesn't expect a colon at this location. Did you intend this "
            "to be a literal sequence to be processed as part of another language? If so, you can "
            "escape it by starting with \"$${\" instead of just \"${\".");
}

TEST(HclParserTemplateErrors, ExtraCharactersInInterpolation) {
  ParsedExpression p = expr("\"${a b}\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Extra characters after interpolation expression", 1, 6));
  EXPECT_NE(p.diagnostics[0].detail.find("Expected a closing brace to end the interpolation"),
            std::string::npos);
}

TEST(HclParserTemplateErrors, DirectiveWithoutKeyword) {
  ParsedExpression p = expr("\"%{ 1 }\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid template directive", 1, 5));
}

TEST(HclParserTemplateErrors, ForDirectiveErrors) {
  struct Case {
    const char* src;
    const char* detail;
    uint32_t column;
  };
  const Case cases[] = {
      {"\"%{ for }\"", "For directive requires variable name after 'for'.", 9},
      {"\"%{ for k, }\"", "For directive requires value variable name after comma.", 12},
      {"\"%{ for x y }\"", "For directive requires 'in' keyword after names.", 11},
  };
  for (const Case& c : cases) {
    ParsedExpression p = expr(c.src);
    ASSERT_GE(p.diagnostics.size(), 1u) << c.src;
    EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid 'for' directive", 1, c.column)) << c.src;
    EXPECT_EQ(p.diagnostics[0].detail, c.detail) << c.src;
  }
}

TEST(HclParserTemplateErrors, UnknownDirectiveKeywordWithSuggestion) {
  ParsedExpression p = expr("\"%{ iff x }\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Invalid template control keyword", 1, 5));
  EXPECT_EQ(p.diagnostics[0].detail,
            "\"iff\" is not a valid template control keyword. Did you mean \"if\"?");
  ParsedExpression n = expr("\"%{ while x }\"");
  EXPECT_EQ(n.diagnostics[0].detail, "\"while\" is not a valid template control keyword.");
}

TEST(HclParserTemplateErrors, ExtraCharactersInMarker) {
  ParsedExpression p = expr("\"%{ if x }a%{ endif y }\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Extra characters in endif marker", 1, 21));
  EXPECT_EQ(p.diagnostics[0].detail,
            "Expected a closing brace to end the sequence, but found extra characters.");
}

TEST(HclParserTemplateErrors, UnterminatedHeredoc) {
  ParsedFile f = cfg("x = <<EOT\nfoo\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_TRUE(has_diag(f.diagnostics, 0, "Unterminated template string", 3, 1));
  EXPECT_EQ(f.diagnostics[0].detail, "No closing marker was found for the string.");
}

TEST(HclParserTemplateErrors, MissingEndif) {
  ParsedExpression p = expr("\"%{ if x }a\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unexpected end of template", 1, 12));
  EXPECT_EQ(p.diagnostics[0].detail,
            "The if directive at test.hcl:1,2-11 is missing its corresponding endif directive.");
}

TEST(HclParserTemplateErrors, MissingEndfor) {
  ParsedExpression p = expr("\"%{ for x in y }a\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unexpected end of template", 1, 18));
  EXPECT_EQ(p.diagnostics[0].detail,
            "The for directive at test.hcl:1,2-17 is missing its corresponding endfor "
            "directive.");
}

TEST(HclParserTemplateErrors, DirectiveSpanningLinesIsDescribedWithBothLines) {
  ParsedFile f = cfg("x = <<EOT\n%{ if\nc }a\nEOT\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << f.diagnostics.format();
  EXPECT_EQ(f.diagnostics[0].detail,
            "The if directive at test.hcl:2,1-3,4 is missing its corresponding endif directive.");
}

TEST(HclParserTemplateErrors, SecondElse) {
  ParsedExpression p = expr("\"%{ if x }a%{ else }b%{ else }c%{ endif }\"");
  ASSERT_GE(p.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unexpected else directive", 1, 22));
  EXPECT_EQ(p.diagnostics[0].detail,
            "Already in the else clause for the if started at "
            "test.hcl:1,2-11.");
}

TEST(HclParserTemplateErrors, ElseInFor) {
  ParsedExpression p = expr("\"%{ for x in y }a%{ else }b%{ endfor }\"");
  ASSERT_GE(p.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unexpected else directive", 1, 18));
  EXPECT_EQ(p.diagnostics[0].detail, "An else clause is not expected for a for directive.");
}

TEST(HclParserTemplateErrors, MismatchedEndDirectives) {
  ParsedExpression a = expr("\"%{ if x }a%{ endfor }\"");
  ASSERT_GE(a.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(a.diagnostics, 0, "Unexpected endfor directive", 1, 12));
  EXPECT_EQ(a.diagnostics[0].detail,
            "Expecting an endif directive for the if started at test.hcl:1,2-11.");

  ParsedExpression b = expr("\"%{ for x in y }a%{ endif }\"");
  ASSERT_GE(b.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(b.diagnostics, 0, "Unexpected endif directive", 1, 18));
  EXPECT_EQ(b.diagnostics[0].detail,
            "Expecting an endfor directive corresponding to the for directive at "
            "test.hcl:1,2-17.");
}

TEST(HclParserTemplateErrors, StrayEndDirective) {
  ParsedExpression p = expr("\"a%{ endif }\"");
  ASSERT_EQ(p.diagnostics.size(), 1u) << p.diagnostics.format();
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Unexpected endif directive", 1, 3));
  EXPECT_EQ(p.diagnostics[0].detail, "The control directives within this template are unbalanced.");
}

// ---- parse_expression -------------------------------------------------------------------------

TEST(HclParseExpression, NewlinesAreIgnored) {
  EXPECT_EQ(tree("1 +\n  2"), "(+ 1 2)");
  EXPECT_EQ(tree("a\n? b\n: c"), "(? a b c)");
  EXPECT_EQ(tree("\n\nx\n\n"), "x");
}

TEST(HclParseExpression, EmptyInputIsMissingExpression) {
  ParsedExpression p = expr("");
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_TRUE(has_diag(p.diagnostics, 0, "Missing expression", 1, 1));
}

TEST(HclParseExpression, FileNameIsUsedForAnnotation) {
  ParsedExpression p = parse_expression("1 2", "vars.hcl");
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].file, "vars.hcl");
  EXPECT_FALSE(p.diagnostics[0].excerpt.empty());
}

}  // namespace
