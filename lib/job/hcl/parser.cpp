// A recursive-descent parser for HCL's native syntax. Its structure, error messages, subject
// ranges and recovery follow hashicorp/hcl's hclsyntax parser, so that diagnostics land where
// HCL users expect them (the spec suite checks the exact positions).
#include "warden/job/hcl/parser.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "token.hpp"
#include "warden/core/strings.hpp"
#include "warden/core/unicode.hpp"
#include "warden/job/hcl/number.hpp"

namespace warden::hcl {

File::File(std::string name, std::string text)
    : text_(std::move(text)), source_(std::move(name), text_), arena_(text_.size() * 8 + 1024) {}

namespace {

// ---- arena helpers -------------------------------------------------------------------------

class Arena {
 public:
  explicit Arena(std::pmr::memory_resource* r) : r_(r) {}

  template <class T>
  T* make(ExprKind kind, Range range) {
    T* p = new (r_->allocate(sizeof(T), alignof(T))) T{};
    p->kind = kind;
    p->range = range;
    return p;
  }

  template <class T>
  T* make_plain() {
    return new (r_->allocate(sizeof(T), alignof(T))) T{};
  }

  template <class T>
  Span<T> copy(const T* src, size_t n) {
    Span<T> s;
    if (n == 0) return s;
    s.data = static_cast<T*>(r_->allocate(sizeof(T) * n, alignof(T)));
    std::uninitialized_copy(src, src + n, s.data);
    s.count = static_cast<uint32_t>(n);
    return s;
  }

  template <class T>
  Span<T> append(Span<T> s, const T& v) {
    Span<T> out;
    out.data = static_cast<T*>(r_->allocate(sizeof(T) * (s.count + 1), alignof(T)));
    std::uninitialized_copy(s.begin(), s.end(), out.data);
    new (out.data + s.count) T(v);
    out.count = s.count + 1;
    return out;
  }

  std::string_view str(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(r_->allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

 private:
  std::pmr::memory_resource* r_;
};

// A stack of scratch space shared by nested constructs: each construct remembers the size at
// its start, pushes its items, and moves them into the arena when it ends.
template <class T>
class Scratch {
 public:
  size_t mark() const { return v_.size(); }
  void push(const T& x) { v_.push_back(x); }
  const T* begin(size_t mark) const { return v_.data() + mark; }
  const T* end() const { return v_.data() + v_.size(); }
  Span<T> take(size_t mark, Arena& a) {
    Span<T> s = a.copy(v_.data() + mark, v_.size() - mark);
    v_.resize(mark);
    return s;
  }

 private:
  std::vector<T> v_;
};

// ---- template tokens ----------------------------------------------------------------------

enum class TplKind : uint8_t { literal, interp, if_, else_, endif, for_, endfor, end };

struct TplToken {
  TplKind kind;
  std::string lit;       // literal
  Expr* expr = nullptr;  // interp: the expression; if: the condition; for: the collection
  std::string_view key_var, val_var;  // for
  Range range;
};

const char* directive_name(TplKind k) {
  switch (k) {
    case TplKind::else_:
      return "else";
    case TplKind::endif:
      return "endif";
    case TplKind::endfor:
      return "endfor";
    default:
      return "?";
  }
}

// hcl.Range.String(): "file:line,col-col", or "file:line,col-line,col" across lines.
std::string range_text(const std::string& file, const Range& r) {
  std::string s =
      file + ":" + std::to_string(r.start.line) + "," + std::to_string(r.start.column) + "-";
  if (r.end.line != r.start.line) s += std::to_string(r.end.line) + ",";
  return s + std::to_string(r.end.column);
}

// ---- the parser -----------------------------------------------------------------------------

class Parser {
 public:
  Parser(File& file, std::vector<Token> tokens, Diagnostics& diags)
      : file_(file), arena_(file.arena()), toks_(std::move(tokens)), diags_(diags) {}

  Body* parse_body(Tok end);
  Expr* parse_expression();
  Expr* parse_bare_template();
  // ParseExpression: a whole input holding one expression, where newlines are insignificant.
  Expr* parse_standalone_expression() {
    push_newlines(false);
    return parse_expression();
  }
  const Token& peek() { return toks_[peek_index()]; }
  bool recovering() const { return recovery_; }

 private:
  // ---- peeking ----
  size_t peek_index() {
    size_t i = next_;
    if (!newlines_) {
      while (toks_[i].type == Tok::newline) ++i;
    }
    return i;
  }
  Token read() {
    size_t i = peek_index();
    Token t = toks_[i];
    if (t.type != Tok::eof)
      next_ = i + 1;
    else
      next_ = i;
    last_read_ = t.range();
    return t;
  }
  Range prev_range() const { return last_read_; }
  Range next_range() { return peek().range(); }
  void push_newlines(bool include) {
    saved_newlines_.push_back(newlines_);
    newlines_ = include;
  }
  void pop_newlines() {
    newlines_ = saved_newlines_.back() != 0;
    saved_newlines_.pop_back();
  }
  std::string_view text(const Token& t) const { return file_.text(t.range()); }
  bool is_keyword(const Token& t, std::string_view kw) const {
    return t.type == Tok::ident && text(t) == kw;
  }

  void error(std::string summary, std::string detail, Range subject) {
    Diagnostic d;
    d.summary = std::move(summary);
    d.detail = std::move(detail);
    d.subject = subject;
    diags_.add(std::move(d));
  }

  // ---- recovery, as hashicorp/hcl does it ----
  static Tok opposite(Tok t) {
    switch (t) {
      case Tok::obrace:
        return Tok::cbrace;
      case Tok::cbrace:
        return Tok::obrace;
      case Tok::obrack:
        return Tok::cbrack;
      case Tok::cbrack:
        return Tok::obrack;
      case Tok::oparen:
        return Tok::cparen;
      case Tok::cparen:
        return Tok::oparen;
      case Tok::oquote:
        return Tok::cquote;
      case Tok::cquote:
        return Tok::oquote;
      case Tok::oheredoc:
        return Tok::cheredoc;
      case Tok::cheredoc:
        return Tok::oheredoc;
      case Tok::template_control:
      case Tok::template_interp:
        return Tok::template_seq_end;
      case Tok::template_seq_end:
        return Tok::template_interp;
      default:
        return Tok::invalid;
    }
  }

  Token recover(Tok end) {
    Tok start = opposite(end);
    recovery_ = true;
    int nest = 0;
    while (true) {
      Token t = read();
      Tok ty = t.type;
      if (end == Tok::template_seq_end && ty == Tok::template_control) ty = Tok::template_interp;
      if (ty == start && start != Tok::invalid) {
        ++nest;
      } else if (ty == end) {
        if (nest < 1) return t;
        --nest;
      } else if (ty == Tok::eof) {
        return t;
      }
    }
  }

  void recover_over(Tok start) {
    while (true) {
      Token t = read();
      if (t.type == start || t.type == Tok::eof) break;
    }
    recover(opposite(start));
  }

  void recover_after_body_item() {
    recovery_ = true;
    std::vector<Tok> open;
    while (true) {
      Token t = read();
      switch (t.type) {
        case Tok::newline:
          if (open.empty()) return;
          break;
        case Tok::eof:
          return;
        case Tok::obrace:
        case Tok::obrack:
        case Tok::oparen:
        case Tok::oquote:
        case Tok::oheredoc:
        case Tok::template_interp:
        case Tok::template_control:
          open.push_back(t.type);
          break;
        case Tok::cbrace:
        case Tok::cbrack:
        case Tok::cparen:
        case Tok::cquote:
        case Tok::cheredoc: {
          Tok opener = opposite(t.type);
          while (!open.empty() && open.back() != opener) open.pop_back();
          if (!open.empty()) open.pop_back();
          break;
        }
        case Tok::template_seq_end:
          while (!open.empty() && open.back() != Tok::template_interp &&
                 open.back() != Tok::template_control) {
            open.pop_back();
          }
          if (!open.empty()) open.pop_back();
          break;
        default:
          break;
      }
    }
  }

  // ---- structure ----
  Attribute* parse_body_item_attr(const Token& ident, bool single_line, bool& ok);
  Block* finish_block(const Token& ident);
  Body* parse_single_attr_body(const Token& ident_hint);
  std::string parse_quoted_string_literal(Range& range);

  // ---- expressions ----
  Expr* parse_ternary();
  Expr* parse_binary(int level);
  Expr* parse_with_traversals();
  Expr* parse_traversals(Expr* from);
  Expr* parse_term();
  Expr* finish_function_call(const Token& name);
  Expr* parse_tuple_cons();
  Expr* parse_object_cons();
  Expr* finish_for_expr(const Token& open);
  Expr* make_relative_traversal(Expr* e, const Traverser& step, Range rng);
  Expr* placeholder(Range r) { return arena_.make<Expr>(ExprKind::error, r); }
  Literal* number_literal(const Token& t);

  // ---- templates ----
  Expr* parse_template(Tok end, bool flush, Range open_range);
  bool parse_template_parts(Tok end, std::vector<TplToken>& parts, Range& src_range);
  std::string unescape(const Token& t, bool quoted);
  Expr* template_from_parts(std::vector<TplToken>& parts, size_t& pos, Range src_range,
                            std::vector<Expr*>& out);
  Expr* template_parse_expr(std::vector<TplToken>& parts, size_t& pos);
  Expr* template_parse_if(std::vector<TplToken>& parts, size_t& pos);
  Expr* template_parse_for(std::vector<TplToken>& parts, size_t& pos);
  Expr* make_template(std::vector<Expr*>& exprs, Range range);
  Expr* string_literal(std::string_view value, Range r, bool copy);

  File& file_;
  Arena arena_;
  std::vector<Token> toks_;
  Diagnostics& diags_;
  size_t next_ = 0;
  Range last_read_;
  bool newlines_ = true;              // whether newlines are tokens here (not inside (), [], ${})
  std::vector<char> saved_newlines_;  // the enclosing contexts' setting
  bool recovery_ = false;
  Scratch<Expr*> exprs_;
  Scratch<ObjectItem> items_;
  Scratch<Attribute> attrs_;
  Scratch<Block*> blocks_;
  Scratch<std::string_view> labels_;
  Scratch<Range> label_ranges_;
};

// ---- bodies --------------------------------------------------------------------------------

Body* Parser::parse_body(Tok end) {
  size_t attr_mark = attrs_.mark(), block_mark = blocks_.mark();
  Range start_range = prev_range();
  Range end_range;

  while (true) {
    const Token& next = peek();
    if (next.type == end) {
      end_range = next_range();
      read();
      break;
    }
    if (next.type == Tok::newline) {
      read();
      continue;
    }
    if (next.type == Tok::ident) {
      Token ident = read();
      Tok after = peek().type;
      if (after == Tok::equal) {
        bool ok = true;
        Attribute* a = parse_body_item_attr(ident, false, ok);
        const Attribute* existing = nullptr;
        for (const Attribute* x = attrs_.begin(attr_mark); x != attrs_.end(); ++x) {
          if (x->name == a->name) existing = x;
        }
        if (existing) {
          error("Attribute redefined",
                "The argument \"" + std::string(a->name) + "\" was already set at " +
                    range_text(file_.name(), existing->name_range) +
                    ". Each argument may be set only once.",
                a->name_range);
        } else {
          attrs_.push(*a);
        }
      } else if (after == Tok::oquote || after == Tok::obrace || after == Tok::ident) {
        blocks_.push(finish_block(ident));
      } else {
        recover_after_body_item();
        error("Argument or block definition required",
              "An argument or block definition is required here. To set an argument, use the "
              "equals sign \"=\" to introduce the argument value.",
              ident.range());
      }
      continue;
    }
    Token bad = read();
    if (!recovery_) {
      if (bad.type == Tok::oquote) {
        error("Invalid argument name", "Argument names must not be quoted.", bad.range());
      } else if (bad.type == Tok::eof) {
        if (end == Tok::cbrace) {
          error("Unclosed configuration block",
                "There is no closing brace for this block before the end of the file. This may be "
                "caused by incorrect brace nesting elsewhere in this file.",
                start_range);
        } else {
          error("Unclosed configuration body",
                "Found end of file before the end of this configuration body.", start_range);
        }
      } else if (!is_invalid_token(bad.type)) {
        error("Argument or block definition required",
              "An argument or block definition is required here.", bad.range());
      }
    }
    end_range = prev_range();
    // As hashicorp/hcl, also at the end of the file: recovery mode keeps the enclosing bodies
    // from reporting the same missing brace again.
    recover(end);
    break;
  }

  Body* body = arena_.make_plain<Body>();
  body->attributes = attrs_.take(attr_mark, arena_);
  body->blocks = blocks_.take(block_mark, arena_);
  body->range = Range::between(start_range, end_range);
  body->end_range = Range{end_range.end, end_range.end};
  return body;
}

Attribute* Parser::parse_body_item_attr(const Token& ident, bool single_line, bool& ok) {
  Token eq = read();
  Range end_range;
  size_t before = diags_.size();
  Expr* expr = parse_expression();
  bool had_errors = diags_.size() > before;
  if (recovery_ && had_errors) {
    end_range = prev_range();
    recover_after_body_item();
    ok = false;
  } else {
    end_range = prev_range();
    if (!single_line) {
      const Token& end = peek();
      if (end.type != Tok::newline && end.type != Tok::eof) {
        if (!recovery_) {
          if (end.type == Tok::comma) {
            error("Unexpected comma after argument",
                  "Argument definitions must be separated by newlines, not commas. An argument "
                  "definition must end with a newline.",
                  end.range());
          } else {
            error("Missing newline after argument",
                  "An argument definition must end with a newline.", end.range());
          }
        }
        end_range = prev_range();
        recover_after_body_item();
        ok = false;
      } else {
        end_range = prev_range();
        read();
      }
    }
  }
  Attribute* a = arena_.make_plain<Attribute>();
  a->name = text(ident);
  a->expr = expr;
  a->range = Range::between(ident.range(), end_range);
  a->name_range = ident.range();
  a->equals_range = eq.range();
  return a;
}

Body* Parser::parse_single_attr_body(const Token&) {
  Token ident = read();
  if (ident.type != Tok::ident) {
    recover_after_body_item();
    error("Argument or block definition required",
          "An argument or block definition is required here.", ident.range());
    return nullptr;
  }
  Token next = peek();
  if (next.type == Tok::equal) {
    bool ok = true;
    Attribute* a = parse_body_item_attr(ident, true, ok);
    Body* b = arena_.make_plain<Body>();
    b->attributes = arena_.copy(a, 1);
    b->range = a->range;
    b->end_range = Range{a->range.end, a->range.end};
    return b;
  }
  recover_after_body_item();
  if (next.type == Tok::oquote || next.type == Tok::obrace || next.type == Tok::ident) {
    error("Argument definition required",
          "A single-line block definition can contain only a single argument. If you meant to "
          "define argument \"" +
              std::string(text(ident)) +
              "\", use an equals sign to assign it a value. To define a nested block, place it on "
              "a line of its own within its parent block.",
          Range::between(ident.range(), next.range()));
  } else {
    error("Argument or block definition required",
          "An argument or block definition is required here. To set an argument, use the equals "
          "sign \"=\" to introduce the argument value.",
          ident.range());
  }
  return nullptr;
}

Block* Parser::finish_block(const Token& ident) {
  size_t label_mark = labels_.mark(), range_mark = label_ranges_.mark();
  Token obrace{};
  Block* block = arena_.make_plain<Block>();
  block->type = text(ident);
  block->type_range = ident.range();

  while (true) {
    Token t = peek();
    if (t.type == Tok::obrace) {
      obrace = read();
      break;
    }
    if (t.type == Tok::oquote) {
      Range r;
      std::string label = parse_quoted_string_literal(r);
      labels_.push(arena_.str(label));
      label_ranges_.push(r);
      continue;
    }
    if (t.type == Tok::ident) {
      Token l = read();
      labels_.push(text(l));
      label_ranges_.push(l.range());
      continue;
    }
    if (t.type == Tok::equal) {
      error("Invalid block definition",
            "The equals sign \"=\" indicates an argument definition, and must not be used when "
            "defining a block.",
            t.range());
    } else if (t.type == Tok::newline) {
      error("Invalid block definition",
            "A block definition must have block content delimited by \"{\" and \"}\", starting on "
            "the same line as the block header.",
            t.range());
    } else if (!recovery_ && !is_invalid_token(t.type)) {
      error("Invalid block definition",
            "Either a quoted string block label or an opening brace (\"{\") is expected here.",
            t.range());
    }
    recover_after_body_item();
    block->labels = labels_.take(label_mark, arena_);
    block->label_ranges = label_ranges_.take(range_mark, arena_);
    Body* empty = arena_.make_plain<Body>();
    empty->range = ident.range();
    empty->end_range = ident.range();
    block->body = empty;
    block->open_brace = ident.range();
    block->close_brace = block->label_ranges.empty() ? ident.range() : block->label_ranges.back();
    return block;
  }

  block->labels = labels_.take(label_mark, arena_);
  block->label_ranges = label_ranges_.take(range_mark, arena_);
  Body* body = nullptr;
  Tok after = peek().type;
  if (after == Tok::newline || after == Tok::eof || after == Tok::cbrace) {
    body = parse_body(Tok::cbrace);
  } else {
    // The one-line form: `name { attr = value }`.
    size_t body_diags_mark = diags_.size();
    body = parse_single_attr_body(ident);
    Diagnostics body_diags;
    // hashicorp/hcl appends the body's diagnostics after the brace diagnostics; keep that order.
    for (size_t i = body_diags_mark; i < diags_.size(); ++i) body_diags.add(diags_[i]);
    Diagnostics kept;
    for (size_t i = 0; i < body_diags_mark; ++i) kept.add(diags_[i]);
    diags_ = std::move(kept);
    const Token& t = peek();
    switch (t.type) {
      case Tok::cbrace:
        read();
        break;
      case Tok::comma:
        error(
            "Invalid single-argument block definition",
            "Single-line block syntax can include only one argument definition. To define multiple "
            "arguments, use the multi-line block syntax with one argument definition per line.",
            t.range());
        recover(Tok::cbrace);
        break;
      case Tok::newline:
        error("Invalid single-argument block definition",
              "An argument definition on the same line as its containing block creates a "
              "single-line block definition, which must also be closed on the same line. Place the "
              "block's closing brace immediately after the argument definition.",
              t.range());
        recover(Tok::cbrace);
        break;
      default:
        if (!recovery_) {
          if (t.type == Tok::eof) {
            error("Unclosed configuration block",
                  "There is no closing brace for this block before the end of the file. This may "
                  "be caused by incorrect brace nesting elsewhere in this file.",
                  obrace.range());
          } else {
            error("Invalid single-argument block definition",
                  "A single-line block definition must end with a closing brace immediately after "
                  "its single argument definition.",
                  t.range());
          }
        }
        recover(Tok::cbrace);
        break;
    }
    diags_.append(std::move(body_diags));
  }
  Range cbrace = prev_range();

  const Token& eol = peek();
  if (eol.type == Tok::newline || eol.type == Tok::eof) {
    read();
  } else {
    if (!recovery_) {
      error("Missing newline after block definition", "A block definition must end with a newline.",
            eol.range());
    }
    recover_after_body_item();
  }
  if (!body) {
    body = arena_.make_plain<Body>();
    body->range = Range::between(obrace.range(), cbrace);
    body->end_range = cbrace;
  }
  block->body = body;
  block->open_brace = obrace.range();
  block->close_brace = cbrace;
  return block;
}

std::string Parser::parse_quoted_string_literal(Range& range) {
  Token oquote = read();
  std::string out;
  Range end_range;
  while (true) {
    Token t = read();
    if (t.type == Tok::cquote) {
      end_range = t.range();
      break;
    }
    if (t.type == Tok::quoted_lit) {
      out += unescape(t, true);
      continue;
    }
    if (t.type == Tok::template_interp || t.type == Tok::template_control) {
      const char* which = t.type == Tok::template_control ? "%" : "$";
      error("Invalid string literal",
            std::string(
                "Template sequences are not allowed in this string. To include a literal \"") +
                which + "\", double it (as \"" + which + which + "\") to escape it.",
            t.range());
      out += which;
      out += "{ ... }";
      recover(Tok::template_seq_end);
      continue;
    }
    if (t.type == Tok::eof) {
      error("Unterminated string literal",
            "Unable to find the closing quote mark before the end of the file.", t.range());
      end_range = t.range();
      break;
    }
    if (!is_invalid_token(t.type)) {
      error("Invalid string literal", "This item is not valid in a string literal.", t.range());
    }
    recover(Tok::cquote);
    end_range = t.range();
    break;
  }
  range = Range::between(oquote.range(), end_range);
  return out;
}

// ---- expressions ---------------------------------------------------------------------------

Expr* Parser::parse_expression() {
  return parse_ternary();
}

Expr* Parser::parse_ternary() {
  Range start = next_range();
  size_t before = diags_.size();
  Expr* cond = parse_binary(0);
  if (recovery_ && diags_.size() > before) return cond;
  if (peek().type != Tok::question) return cond;
  read();
  before = diags_.size();
  Expr* t = parse_expression();
  if (recovery_ && diags_.size() > before) return cond;
  const Token& colon = peek();
  if (colon.type != Tok::colon) {
    error(
        "Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
        colon.range());
    return cond;
  }
  read();
  before = diags_.size();
  Expr* f = parse_expression();
  if (recovery_ && diags_.size() > before) return cond;
  auto* c = arena_.make<Conditional>(ExprKind::conditional, Range::between(start, f->range));
  c->condition = cond;
  c->true_result = t;
  c->false_result = f;
  return c;
}

// HCL's binary operators by precedence, lowest first: || && (== !=) (> >= < <=) (+ -) (* / %).
// All are left-associative. Returns -1 for a token that is not a binary operator.
int binary_precedence(Tok t, BinaryOp& op) {
  switch (t) {
    case Tok::or_:
      op = BinaryOp::logical_or;
      return 0;
    case Tok::and_:
      op = BinaryOp::logical_and;
      return 1;
    case Tok::equal_op:
      op = BinaryOp::equal;
      return 2;
    case Tok::not_equal:
      op = BinaryOp::not_equal;
      return 2;
    case Tok::greater:
      op = BinaryOp::greater;
      return 3;
    case Tok::greater_eq:
      op = BinaryOp::greater_eq;
      return 3;
    case Tok::less:
      op = BinaryOp::less;
      return 3;
    case Tok::less_eq:
      op = BinaryOp::less_eq;
      return 3;
    case Tok::plus:
      op = BinaryOp::add;
      return 4;
    case Tok::minus:
      op = BinaryOp::subtract;
      return 4;
    case Tok::star:
      op = BinaryOp::multiply;
      return 5;
    case Tok::slash:
      op = BinaryOp::divide;
      return 5;
    case Tok::percent:
      op = BinaryOp::modulo;
      return 5;
    default:
      return -1;
  }
}

// Precedence climbing: the same trees as hashicorp/hcl's one-function-per-level parser.
Expr* Parser::parse_binary(int min_precedence) {
  size_t before = diags_.size();
  Expr* lhs = parse_with_traversals();
  if (recovery_ && diags_.size() > before) return lhs;
  while (true) {
    BinaryOp op{};
    int prec = binary_precedence(peek().type, op);
    if (prec < min_precedence) break;
    read();
    before = diags_.size();
    Expr* rhs = parse_binary(prec + 1);
    auto* b =
        arena_.make<BinaryOpExpr>(ExprKind::binary_op, Range::between(lhs->range, rhs->range));
    b->op = op;
    b->lhs = lhs;
    b->rhs = rhs;
    lhs = b;
    if (recovery_ && diags_.size() > before) return lhs;
  }
  return lhs;
}

Expr* Parser::parse_with_traversals() {
  Expr* term = parse_term();
  return parse_traversals(term);
}

Expr* Parser::make_relative_traversal(Expr* e, const Traverser& step, Range rng) {
  if (e->kind == ExprKind::scope_traversal) {
    auto* t = static_cast<ScopeTraversal*>(e);
    t->steps = arena_.append(t->steps, step);
    t->range = Range::between(t->range, rng);
    return t;
  }
  if (e->kind == ExprKind::relative_traversal) {
    auto* t = static_cast<RelativeTraversal*>(e);
    t->steps = arena_.append(t->steps, step);
    t->range = Range::between(t->range, rng);
    return t;
  }
  auto* t =
      arena_.make<RelativeTraversal>(ExprKind::relative_traversal, Range::between(e->range, rng));
  t->source = e;
  t->steps = arena_.copy(&step, 1);
  return t;
}

Literal* Parser::number_literal(const Token& t) {
  auto* lit = arena_.make<Literal>(ExprKind::literal, t.range());
  lit->lit = Literal::Kind::number;
  lit->text = text(t);
  bool simple = lit->text.size() <= 18 && lit->text.find_first_of(".eE") == std::string_view::npos;
  if (!simple && !Number::parse(lit->text)) {
    error("Invalid number literal", "Failed to recognize the value of this number literal.",
          t.range());
  }
  return lit;
}

Expr* Parser::parse_traversals(Expr* from) {
  Expr* ret = from;
  while (true) {
    const Token& next = peek();
    if (next.type == Tok::dot) {
      Token dot = read();
      Token attr = peek();
      if (attr.type == Tok::ident) {
        attr = read();
        Range rng = Range::between(dot.range(), attr.range());
        Traverser step{Traverser::Kind::attr, text(attr), nullptr, rng};
        ret = make_relative_traversal(ret, step, rng);
      } else if (attr.type == Tok::number_lit) {
        // The legacy index form inherited from HIL: foo.0 means foo[0].
        Token num = read();
        Range rng = Range::between(dot.range(), num.range());
        std::string_view nt = text(num);
        if (auto dotpos = nt.find('.'); dotpos != std::string_view::npos) {
          error("Invalid legacy index syntax",
                "When using the legacy index syntax, chaining two indexes together is not "
                "permitted. Use the proper index syntax instead, like [" +
                    std::string(nt.substr(0, dotpos)) + "][" + std::string(nt.substr(dotpos + 1)) +
                    "].",
                num.range());
          Traverser step{Traverser::Kind::index, {}, nullptr, rng};
          ret = make_relative_traversal(ret, step, rng);
          continue;
        }
        Traverser step{Traverser::Kind::index, {}, number_literal(num), rng};
        ret = make_relative_traversal(ret, step, rng);
      } else if (attr.type == Tok::star) {
        // The attribute-only splat: foo.*.bar
        Token marker = read();
        std::vector<Traverser> trav;
        Range first = next_range();
        Range last = marker.range();
        bool bail = false;
        while (peek().type == Tok::dot) {
          Token d = read();
          if (peek().type == Tok::number_lit) {
            Token num = read();
            std::string_view nt = text(num);
            if (auto dotpos = nt.find('.'); dotpos != std::string_view::npos) {
              error("Invalid legacy index syntax",
                    "When using the legacy index syntax, chaining two indexes together is not "
                    "permitted. Use the proper index syntax with a full splat expression [*] "
                    "instead, like [" +
                        std::string(nt.substr(0, dotpos)) + "][" +
                        std::string(nt.substr(dotpos + 1)) + "].",
                    num.range());
              trav.push_back(Traverser{
                  Traverser::Kind::index, {}, nullptr, Range::between(d.range(), num.range())});
            } else {
              trav.push_back(Traverser{Traverser::Kind::index,
                                       {},
                                       number_literal(num),
                                       Range::between(d.range(), num.range())});
            }
            last = num.range();
            continue;
          }
          if (peek().type != Tok::ident) {
            if (!recovery_) {
              if (peek().type == Tok::star) {
                error("Nested splat expression not allowed",
                      "A splat expression (*) cannot be used inside another attribute-only splat "
                      "expression.",
                      peek().range());
              } else {
                error("Invalid attribute name", "An attribute name is required after a dot.",
                      attr.range());
              }
            }
            recovery_ = true;
            bail = true;
            break;
          }
          Token a = read();
          trav.push_back(Traverser{Traverser::Kind::attr, text(a), nullptr,
                                   Range::between(d.range(), a.range())});
          last = a.range();
        }
        auto* item = arena_.make<AnonSymbol>(ExprKind::anon_symbol,
                                             Range::between(dot.range(), marker.range()));
        Expr* each = item;
        if (!trav.empty()) {
          auto* rt = arena_.make<RelativeTraversal>(ExprKind::relative_traversal,
                                                    Range::between(first, last));
          rt->source = item;
          rt->steps = arena_.copy(trav.data(), trav.size());
          each = rt;
        }
        auto* sp = arena_.make<Splat>(ExprKind::splat, Range::between(from->range, last));
        sp->source = ret;
        sp->each = each;
        sp->item = item;
        sp->attr_only = true;
        sp->marker = Range::between(dot.range(), marker.range());
        ret = sp;
        if (bail) continue;
      } else {
        error("Invalid attribute name", "An attribute name is required after a dot.", attr.range());
        ret = placeholder(Range::between(from->range, dot.range()));
        recovery_ = true;
      }
      continue;
    }
    if (next.type == Tok::obrack) {
      Token open = read();
      if (peek().type == Tok::star) {
        read();
        Token close = read();
        if (close.type != Tok::cbrack && !recovery_) {
          error("Missing close bracket on splat index",
                "The star for a full splat operator must be immediately followed by a closing "
                "bracket (\"]\").",
                close.range());
          close = recover(Tok::cbrack);
        }
        auto* item = arena_.make<AnonSymbol>(ExprKind::anon_symbol,
                                             Range::between(open.range(), close.range()));
        Expr* each = parse_traversals(item);
        auto* sp = arena_.make<Splat>(ExprKind::splat, Range::between(from->range, each->range));
        sp->source = ret;
        sp->each = each;
        sp->item = item;
        sp->attr_only = false;
        sp->marker = Range::between(open.range(), close.range());
        ret = sp;
        continue;
      }
      Token close{};
      push_newlines(false);
      size_t before = diags_.size();
      Expr* key = parse_expression();
      if (recovery_ && diags_.size() > before) {
        close = recover(Tok::cbrack);
      } else {
        close = read();
        if (close.type != Tok::cbrack && !recovery_) {
          error("Missing close bracket on index",
                "The index operator must end with a closing bracket (\"]\").", close.range());
          close = recover(Tok::cbrack);
        }
      }
      pop_newlines();
      Range rng = Range::between(open.range(), close.range());
      bool literal_key =
          key->kind == ExprKind::literal ||
          (key->kind == ExprKind::template_ && static_cast<Template*>(key)->parts.size() == 1 &&
           static_cast<Template*>(key)->parts[0]->kind == ExprKind::literal);
      if (literal_key) {
        Expr* k = key->kind == ExprKind::literal ? key : static_cast<Template*>(key)->parts[0];
        Traverser step{Traverser::Kind::index, {}, k, rng};
        ret = make_relative_traversal(ret, step, rng);
      } else {
        auto* ix = arena_.make<IndexExpr>(ExprKind::index, Range::between(from->range, rng));
        ix->collection = ret;
        ix->key = key;
        ix->bracket = rng;
        ret = ix;
      }
      continue;
    }
    break;
  }
  return ret;
}

Expr* Parser::parse_term() {
  Token start = peek();
  switch (start.type) {
    case Tok::oparen: {
      Token oparen = read();
      push_newlines(false);
      size_t before = diags_.size();
      Expr* e = parse_expression();
      if (diags_.size() > before) {
        recover(Tok::cparen);
        pop_newlines();
        return e;
      }
      const Token& close = peek();
      if (close.type != Tok::cparen) {
        error("Unbalanced parentheses",
              "Expected a closing parenthesis to terminate the expression.", close.range());
        recovery_ = true;
      }
      Token cparen = read();
      pop_newlines();
      auto* p = arena_.make<Parentheses>(ExprKind::parentheses,
                                         Range::between(oparen.range(), cparen.range()));
      p->inner = e;
      return p;
    }
    case Tok::number_lit: {
      Token t = read();
      return number_literal(t);
    }
    case Tok::ident: {
      Token t = read();
      if (peek().type == Tok::oparen) return finish_function_call(t);
      std::string_view name = text(t);
      if (name == "true" || name == "false") {
        auto* lit = arena_.make<Literal>(ExprKind::literal, t.range());
        lit->lit = Literal::Kind::boolean;
        lit->truth = name == "true";
        return lit;
      }
      if (name == "null") {
        auto* lit = arena_.make<Literal>(ExprKind::literal, t.range());
        lit->lit = Literal::Kind::null;
        return lit;
      }
      auto* st = arena_.make<ScopeTraversal>(ExprKind::scope_traversal, t.range());
      st->root = name;
      st->root_range = t.range();
      return st;
    }
    case Tok::oquote:
    case Tok::oheredoc: {
      Token open = read();
      bool flush = start.type == Tok::oheredoc && text(open).size() > 2 && text(open)[2] == '-';
      return parse_template(start.type == Tok::oquote ? Tok::cquote : Tok::cheredoc, flush,
                            open.range());
    }
    case Tok::minus:
    case Tok::bang: {
      Token t = read();
      Expr* operand = parse_with_traversals();
      auto* u =
          arena_.make<UnaryOpExpr>(ExprKind::unary_op, Range::between(t.range(), operand->range));
      u->op = start.type == Tok::minus ? UnaryOpExpr::Op::negate : UnaryOpExpr::Op::logical_not;
      u->operand = operand;
      u->symbol = t.range();
      return u;
    }
    case Tok::obrack:
      return parse_tuple_cons();
    case Tok::obrace:
      return parse_object_cons();
    default:
      break;
  }
  if (!recovery_ && !is_invalid_token(start.type)) {
    if (start.type == Tok::eof) {
      error("Missing expression",
            "Expected the start of an expression, but found the end of the file.", start.range());
    } else {
      error("Invalid expression",
            "Expected the start of an expression, but found an invalid expression token.",
            start.range());
    }
  }
  recovery_ = true;
  return placeholder(start.range());
}

Expr* Parser::finish_function_call(const Token& name) {
  Token open = read();
  size_t mark = exprs_.mark();
  bool expand_final = false;
  Token close{};
  push_newlines(false);
  while (true) {
    const Token& t = peek();
    if (t.type == Tok::cparen) {
      close = read();
      break;
    }
    size_t before = diags_.size();
    Expr* arg = parse_expression();
    exprs_.push(arg);
    if (recovery_ && diags_.size() > before) {
      Token r = recover(Tok::cparen);
      if (r.type == Tok::cparen) close = r;
      break;
    }
    Token sep = read();
    if (sep.type == Tok::cparen) {
      close = sep;
      break;
    }
    if (sep.type == Tok::ellipsis) {
      expand_final = true;
      if (peek().type != Tok::cparen) {
        if (!recovery_) {
          error("Missing closing parenthesis",
                "An expanded function argument (with ...) must be immediately followed by closing "
                "parentheses.",
                sep.range());
        }
        close = recover(Tok::cparen);
      } else {
        close = read();
      }
      break;
    }
    if (sep.type != Tok::comma) {
      if (sep.type == Tok::eof) {
        error("Unterminated function call",
              "There is no closing parenthesis for this function call before the end of the file. "
              "This may be caused by incorrect parenthesis nesting elsewhere in this file.",
              Range::between(name.range(), open.range()));
      } else if (!is_invalid_token(sep.type)) {
        error("Missing argument separator",
              "A comma is required to separate each function argument from the next.", sep.range());
      }
      close = recover(Tok::cparen);
      break;
    }
    if (peek().type == Tok::cparen) {
      close = read();
      break;
    }
  }
  pop_newlines();
  auto* call = arena_.make<FunctionCall>(ExprKind::function_call,
                                         Range::between(name.range(), close.range()));
  if (close.type != Tok::cparen) call->range = Range::between(name.range(), prev_range());
  call->name = text(name);
  call->name_range = name.range();
  call->args = exprs_.take(mark, arena_);
  call->expand_final = expand_final;
  call->open_paren = open.range();
  call->close_paren = close.range();
  return call;
}

Expr* Parser::parse_tuple_cons() {
  Token open = read();
  push_newlines(false);
  if (is_keyword(peek(), "for")) {
    Expr* e = finish_for_expr(open);
    pop_newlines();
    return e;
  }
  size_t mark = exprs_.mark();
  Token close{};
  while (true) {
    if (peek().type == Tok::cbrack) {
      close = read();
      break;
    }
    size_t before = diags_.size();
    Expr* e = parse_expression();
    exprs_.push(e);
    if (recovery_ && diags_.size() > before) {
      close = recover(Tok::cbrack);
      break;
    }
    const Token& next = peek();
    if (next.type == Tok::cbrack) {
      close = read();
      break;
    }
    if (next.type != Tok::comma) {
      if (!recovery_ && !is_invalid_token(next.type)) {
        if (next.type == Tok::eof) {
          error("Unterminated tuple constructor expression",
                "There is no corresponding closing bracket before the end of the file. This may be "
                "caused by incorrect bracket nesting elsewhere in this file.",
                open.range());
        } else {
          error("Missing item separator",
                "Expected a comma to mark the beginning of the next item.", next.range());
        }
      }
      close = recover(Tok::cbrack);
      break;
    }
    read();
  }
  pop_newlines();
  auto* t =
      arena_.make<TupleCons>(ExprKind::tuple_cons, Range::between(open.range(), close.range()));
  t->items = exprs_.take(mark, arena_);
  t->open = open.range();
  return t;
}

Expr* Parser::parse_object_cons() {
  Token open = read();
  push_newlines(false);
  bool is_for = is_keyword(peek(), "for");
  pop_newlines();
  if (is_for) {
    push_newlines(false);
    Expr* e = finish_for_expr(open);
    pop_newlines();
    return e;
  }
  push_newlines(true);
  size_t mark = items_.mark();
  Token close{};
  while (true) {
    const Token& next = peek();
    if (next.type == Tok::newline) {
      read();
      continue;
    }
    if (next.type == Tok::cbrace) {
      close = read();
      break;
    }
    bool force_non_literal = next.type == Tok::oparen;
    size_t before = diags_.size();
    Expr* key = parse_expression();
    if (recovery_ && diags_.size() > before) {
      close = recover(Tok::cbrace);
      break;
    }
    auto* k = arena_.make<ObjectKey>(ExprKind::object_key, key->range);
    k->wrapped = key;
    k->force_non_literal = force_non_literal;
    const Token& sep = peek();
    if (sep.type != Tok::equal && sep.type != Tok::colon) {
      if (!recovery_ && !is_invalid_token(sep.type)) {
        switch (sep.type) {
          case Tok::newline:
          case Tok::comma:
            error("Missing attribute value",
                  "Expected an attribute value, introduced by an equals sign (\"=\").",
                  sep.range());
            break;
          case Tok::ident:
            error("Missing key/value separator",
                  "Expected an equals sign (\"=\") to mark the beginning of the attribute value. "
                  "If you intended to given an attribute name containing periods or spaces, write "
                  "the name in quotes to create a string literal.",
                  sep.range());
            break;
          case Tok::eof:
            error("Unterminated object constructor expression",
                  "There is no corresponding closing brace before the end of the file. This may be "
                  "caused by incorrect brace nesting elsewhere in this file.",
                  open.range());
            break;
          default:
            error("Missing key/value separator",
                  "Expected an equals sign (\"=\") to mark the beginning of the attribute value.",
                  sep.range());
        }
      }
      close = recover(Tok::cbrace);
      break;
    }
    read();
    before = diags_.size();
    Expr* value = parse_expression();
    items_.push(ObjectItem{k, value});
    if (recovery_ && diags_.size() > before) {
      close = recover(Tok::cbrace);
      break;
    }
    const Token& after = peek();
    if (after.type == Tok::cbrace) {
      close = read();
      break;
    }
    if (after.type != Tok::comma && after.type != Tok::newline) {
      if (!recovery_ && !is_invalid_token(after.type)) {
        if (after.type == Tok::eof) {
          error("Unterminated object constructor expression",
                "There is no corresponding closing brace before the end of the file. This may be "
                "caused by incorrect brace nesting elsewhere in this file.",
                open.range());
        } else {
          error("Missing attribute separator",
                "Expected a newline or comma to mark the beginning of the next attribute.",
                after.range());
        }
      }
      close = recover(Tok::cbrace);
      break;
    }
    read();
  }
  pop_newlines();
  auto* o =
      arena_.make<ObjectCons>(ExprKind::object_cons, Range::between(open.range(), close.range()));
  o->items = items_.take(mark, arena_);
  o->open = open.range();
  return o;
}

Expr* Parser::finish_for_expr(const Token& open) {
  push_newlines(false);
  read();  // "for"
  bool make_obj = open.type == Tok::obrace;
  Tok close_type = make_obj ? Tok::cbrace : Tok::cbrack;
  auto bail = [&](const char* detail) -> Expr* {
    if (!recovery_) error("Invalid 'for' expression", detail, peek().range());
    Token close = recover(close_type);
    pop_newlines();
    return placeholder(Range::between(open.range(), close.range()));
  };
  if (peek().type != Tok::ident) return bail("For expression requires variable name after 'for'.");
  std::string_view key_name, val_name = text(read());
  if (peek().type == Tok::comma) {
    key_name = val_name;
    read();
    if (peek().type != Tok::ident)
      return bail("For expression requires value variable name after comma.");
    val_name = text(read());
  }
  if (!is_keyword(peek(), "in"))
    return bail("For expression requires the 'in' keyword after its name declarations.");
  read();
  size_t before = diags_.size();
  Expr* coll = parse_expression();
  if (recovery_ && diags_.size() > before) {
    Token close = recover(close_type);
    pop_newlines();
    return placeholder(Range::between(open.range(), close.range()));
  }
  if (peek().type != Tok::colon)
    return bail("For expression requires a colon after the collection expression.");
  read();
  before = diags_.size();
  Expr* key = nullptr;
  Expr* val = parse_expression();
  if (peek().type == Tok::fat_arrow) {
    read();
    key = val;
    val = parse_expression();
  }
  if (recovery_ && diags_.size() > before) {
    Token close = recover(close_type);
    pop_newlines();
    return placeholder(Range::between(open.range(), close.range()));
  }
  bool group = false;
  Token ellipsis{};
  if (peek().type == Tok::ellipsis) {
    ellipsis = read();
    group = true;
  }
  Expr* cond = nullptr;
  if (is_keyword(peek(), "if")) {
    read();
    before = diags_.size();
    cond = parse_expression();
    if (recovery_ && diags_.size() > before) {
      Token close = recover(close_type);
      pop_newlines();
      return placeholder(Range::between(open.range(), close.range()));
    }
  }
  Token close{};
  if (peek().type == close_type) {
    close = read();
  } else {
    if (!recovery_) {
      error("Invalid 'for' expression", "Extra characters after the end of the 'for' expression.",
            peek().range());
    }
    close = recover(close_type);
  }
  if (!make_obj) {
    if (key)
      error("Invalid 'for' expression", "Key expression is not valid when building a tuple.",
            key->range);
    if (group) {
      error("Invalid 'for' expression",
            "Grouping ellipsis (...) cannot be used when building a tuple.", ellipsis.range());
    }
  } else if (!key) {
    error("Invalid 'for' expression", "Key expression is required when building an object.",
          val->range);
  }
  pop_newlines();
  auto* f = arena_.make<ForExpr>(ExprKind::for_expr, Range::between(open.range(), close.range()));
  f->key_var = key_name;
  f->val_var = val_name;
  f->collection = coll;
  f->key = key;
  f->value = val;
  f->condition = cond;
  f->group = group;
  f->object = make_obj;
  f->open = open.range();
  f->close = close.range();
  return f;
}

// ---- templates -----------------------------------------------------------------------------

// Resolves escapes in a literal token. Quoted strings know \n \r \t \" \\ \uXXXX \UXXXXXXXX;
// both quoted strings and heredocs turn $${ and %%{ into ${ and %{.
std::string Parser::unescape(const Token& t, bool quoted) {
  std::string_view s = text(t);
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  auto pos_at = [&](size_t offset) {
    Pos p = t.start;
    p.byte += static_cast<uint32_t>(offset);
    p.column += static_cast<uint32_t>(unicode::count_code_points(s.substr(0, offset)));
    return p;
  };
  while (i < s.size()) {
    char c = s[i];
    if (quoted && c == '\\') {
      if (i + 1 >= s.size()) {
        error("Invalid escape sequence",
              "Backslash must be followed by an escape sequence selector character.",
              Range{pos_at(i), pos_at(i + 1)});
        ++i;
        continue;
      }
      char e = s[i + 1];
      switch (e) {
        case 'n':
          out += '\n';
          i += 2;
          continue;
        case 'r':
          out += '\r';
          i += 2;
          continue;
        case 't':
          out += '\t';
          i += 2;
          continue;
        case '"':
          out += '"';
          i += 2;
          continue;
        case '\\':
          out += '\\';
          i += 2;
          continue;
        case 'u':
        case 'U': {
          size_t want = e == 'u' ? 4 : 8;
          size_t j = i + 2;
          while (j < s.size() && j - (i + 2) < want &&
                 std::isxdigit(static_cast<unsigned char>(s[j])))
            ++j;
          if (j - (i + 2) != want) {
            error("Invalid escape sequence",
                  e == 'u'
                      ? "The \\u escape sequence must be followed by four hexadecimal digits."
                      : "The \\U escape sequence must be followed by eight hexadecimal digits.",
                  Range{pos_at(i), pos_at(j)});
            i = j;
            continue;
          }
          unsigned long cp = std::stoul(std::string(s.substr(i + 2, want)), nullptr, 16);
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "U+%04lx", cp);
            error("Invalid escape sequence",
                  std::string("Cannot encode character ") + buf + " in UTF-8.",
                  Range{pos_at(i), pos_at(j)});
          } else {
            unicode::append_utf8(out, static_cast<char32_t>(cp));
          }
          i = j;
          continue;
        }
        default: {
          size_t len = unicode::sequence_length(static_cast<unsigned char>(e));
          error("Invalid escape sequence",
                "The symbol \"" + std::string(s.substr(i + 1, len)) +
                    "\" is not a valid escape sequence selector.",
                Range{pos_at(i), pos_at(i + 1 + len)});
          out.append(s.substr(i + 1, len));
          i += 1 + len;
          continue;
        }
      }
    }
    if ((c == '$' || c == '%') && i + 2 < s.size() && s[i + 1] == c && s[i + 2] == '{') {
      out += c;
      out += '{';
      i += 3;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

bool trim_left_space(std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    char32_t cp = unicode::decode(s, j);
    if (!unicode::is_space(cp)) break;
    i = j;
  }
  s.erase(0, i);
  return true;
}

void trim_right_space(std::string& s) {
  // Walk forward remembering where the trailing run of spaces starts.
  size_t i = 0, keep = 0;
  while (i < s.size()) {
    size_t j = i;
    char32_t cp = unicode::decode(s, j);
    if (!unicode::is_space(cp)) keep = j;
    i = j;
  }
  s.resize(keep);
}

bool Parser::parse_template_parts(Tok end, std::vector<TplToken>& parts, Range& src_range) {
  Range start_range = next_range();
  Range end_range;
  bool ltrim_next = false, next_can_trim_prev = false;
  while (true) {
    Token next = read();
    if (next.type == end) {
      end_range = next.range();
      break;
    }
    bool ltrim = ltrim_next;
    ltrim_next = false;
    bool can_trim_prev = next_can_trim_prev;
    next_can_trim_prev = false;
    switch (next.type) {
      case Tok::string_lit:
      case Tok::quoted_lit: {
        TplToken lit{
            TplKind::literal, unescape(next, next.type == Tok::quoted_lit), nullptr, {}, {},
            next.range()};
        if (ltrim) trim_left_space(lit.lit);
        parts.push_back(std::move(lit));
        next_can_trim_prev = true;
        break;
      }
      case Tok::template_interp: {
        bool strip = text(next).size() == 3;
        if (can_trim_prev && strip && !parts.empty() && parts.back().kind == TplKind::literal) {
          trim_right_space(parts.back().lit);
        }
        push_newlines(false);
        Expr* e = parse_expression();
        const Token& close = peek();
        Range close_range = close.range();
        if (close.type != Tok::template_seq_end) {
          if (!recovery_ && !is_invalid_token(close.type)) {
            if (close.type == Tok::eof) {
              error(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the "
                  "file. This might be caused by incorrect nesting inside the given expression.",
                  start_range);
            } else if (close.type == Tok::colon) {
              error(
                  "Extra characters after interpolation expression",
                  "Template interpolation doesn't expect a colon at this location. Did you intend "
                  "this to be a literal sequence to be processed as part of another language? If "
                  "so, you can escape it by starting with \"$${\" instead of just \"${\".",
                  close.range());
            } else if ((close.type == Tok::cquote || close.type == Tok::oquote) &&
                       end == Tok::cquote) {
              error("Unclosed template interpolation sequence",
                    "There is no closing brace for this interpolation sequence before the end of "
                    "the quoted template. This might be caused by incorrect nesting inside the "
                    "given expression.",
                    start_range);
            } else {
              error("Extra characters after interpolation expression",
                    "Expected a closing brace to end the interpolation expression, but found extra "
                    "characters.\n\nThis can happen when you include interpolation syntax for "
                    "another language, such as shell scripting, but forget to escape the "
                    "interpolation start token. If this is an embedded sequence for another "
                    "language, escape it by starting with \"$${\" instead of just \"${\".",
                    close.range());
            }
          }
          recover(Tok::template_seq_end);
        } else {
          Token c = read();
          if (text(c).size() == 2 && text(c)[0] == '~') ltrim_next = true;
        }
        pop_newlines();
        parts.push_back(
            TplToken{TplKind::interp, {}, e, {}, {}, Range::between(next.range(), close_range)});
        break;
      }
      case Tok::template_control: {
        bool strip = text(next).size() == 3;
        if (can_trim_prev && strip && !parts.empty() && parts.back().kind == TplKind::literal) {
          trim_right_space(parts.back().lit);
        }
        push_newlines(false);
        Token kw = peek();
        if (kw.type != Tok::ident) {
          if (!recovery_) {
            error("Invalid template directive",
                  "A template directive keyword (\"if\", \"for\", etc) is expected at the "
                  "beginning of a %{ sequence.",
                  kw.range());
          }
          recover(Tok::template_seq_end);
          pop_newlines();
          continue;
        }
        read();
        std::string_view k = text(kw);
        if (k == "if") {
          Expr* cond = parse_expression();
          parts.push_back(
              TplToken{TplKind::if_, {}, cond, {}, {}, Range::between(next.range(), next_range())});
        } else if (k == "else") {
          parts.push_back(TplToken{
              TplKind::else_, {}, nullptr, {}, {}, Range::between(next.range(), next_range())});
        } else if (k == "endif") {
          parts.push_back(TplToken{
              TplKind::endif, {}, nullptr, {}, {}, Range::between(next.range(), next_range())});
        } else if (k == "for") {
          std::string_view key_name, val_name;
          if (peek().type != Tok::ident) {
            if (!recovery_) {
              error("Invalid 'for' directive", "For directive requires variable name after 'for'.",
                    peek().range());
            }
            recover(Tok::template_seq_end);
            pop_newlines();
            continue;
          }
          val_name = text(read());
          if (peek().type == Tok::comma) {
            key_name = val_name;
            read();
            if (peek().type != Tok::ident) {
              if (!recovery_) {
                error("Invalid 'for' directive",
                      "For directive requires value variable name after comma.", peek().range());
              }
              recover(Tok::template_seq_end);
              pop_newlines();
              continue;
            }
            val_name = text(read());
          }
          if (!is_keyword(peek(), "in")) {
            if (!recovery_) {
              error("Invalid 'for' directive", "For directive requires 'in' keyword after names.",
                    peek().range());
            }
            recover(Tok::template_seq_end);
            pop_newlines();
            continue;
          }
          read();
          Expr* coll = parse_expression();
          parts.push_back(TplToken{TplKind::for_,
                                   {},
                                   coll,
                                   key_name,
                                   val_name,
                                   Range::between(next.range(), next_range())});
        } else if (k == "endfor") {
          parts.push_back(TplToken{
              TplKind::endfor, {}, nullptr, {}, {}, Range::between(next.range(), next_range())});
        } else {
          if (!recovery_) {
            std::string_view kws[] = {"if", "for", "else", "endif", "endfor"};
            std::string suggestion = did_you_mean(k, kws);
            error("Invalid template control keyword",
                  "\"" + std::string(k) + "\" is not a valid template control keyword." +
                      (suggestion.empty() ? "" : " Did you mean \"" + suggestion + "\"?"),
                  kw.range());
          }
          recover(Tok::template_seq_end);
          pop_newlines();
          continue;
        }
        const Token& close = peek();
        if (close.type != Tok::template_seq_end) {
          if (!recovery_) {
            error("Extra characters in " + std::string(k) + " marker",
                  "Expected a closing brace to end the sequence, but found extra characters.",
                  close.range());
          }
          recover(Tok::template_seq_end);
        } else {
          Token c = read();
          if (text(c).size() == 2 && text(c)[0] == '~') ltrim_next = true;
        }
        pop_newlines();
        break;
      }
      default: {
        if (!recovery_ && !is_invalid_token(next.type)) {
          error("Unterminated template string", "No closing marker was found for the string.",
                next.range());
        }
        Token final_tok = next.type == Tok::eof ? next : recover(end);
        end_range = final_tok.range();
        if (parts.empty()) {
          parts.push_back(TplToken{
              TplKind::literal, {}, nullptr, {}, {}, Range{start_range.start, start_range.start}});
        }
        parts.push_back(TplToken{TplKind::end, {}, nullptr, {}, {}, end_range});
        src_range = Range::between(start_range, end_range);
        return false;
      }
    }
  }
  if (parts.empty()) {
    parts.push_back(TplToken{
        TplKind::literal, {}, nullptr, {}, {}, Range{start_range.start, start_range.start}});
  }
  parts.push_back(TplToken{TplKind::end, {}, nullptr, {}, {}, end_range});
  src_range = Range::between(start_range, end_range);
  return true;
}

// The flush heredoc rule (<<-): find the line with the fewest leading white-space characters and
// remove that many characters from every line. Only literal text counts; a line starting with an
// interpolation has no indentation, and lines holding only white space are ignored.
void flush_heredoc(std::vector<TplToken>& parts) {
  size_t min_spaces = SIZE_MAX;
  bool newline = true;
  std::vector<size_t> adjust;
  for (size_t i = 0; i < parts.size(); ++i) {
    TplToken& t = parts[i];
    if (newline) {
      newline = false;
      size_t spaces = 0;
      if (t.kind == TplKind::literal) {
        size_t j = 0, count = 0;
        while (j < t.lit.size()) {
          size_t k = j;
          char32_t cp = unicode::decode(t.lit, k);
          if (!unicode::is_space(cp)) break;
          j = k;
          ++count;
        }
        if (j == t.lit.size() && !t.lit.empty() && t.lit.back() == '\n') {
          spaces = SIZE_MAX;  // a blank line
        } else {
          spaces = count;
          adjust.push_back(i);
        }
      } else if (t.kind == TplKind::end) {
        break;
      }
      min_spaces = std::min(min_spaces, spaces);
    }
    if (t.kind == TplKind::literal && !t.lit.empty() && t.lit.back() == '\n') newline = true;
  }
  if (min_spaces == SIZE_MAX) return;
  for (size_t i : adjust) {
    TplToken& t = parts[i];
    size_t j = 0;
    for (size_t n = 0; n < min_spaces && j < t.lit.size(); ++n) unicode::decode(t.lit, j);
    t.lit.erase(0, j);
    t.range.start.column += static_cast<uint32_t>(min_spaces);
    t.range.start.byte += static_cast<uint32_t>(j);
  }
}

void meld_literals(std::vector<TplToken>& parts) {
  std::vector<TplToken> out;
  out.reserve(parts.size());
  for (auto& t : parts) {
    if (t.kind == TplKind::literal && !out.empty() && out.back().kind == TplKind::literal) {
      out.back().lit += t.lit;
      out.back().range.end = t.range.end;
    } else {
      out.push_back(std::move(t));
    }
  }
  parts = std::move(out);
}

Expr* Parser::string_literal(std::string_view value, Range r, bool copy) {
  auto* lit = arena_.make<Literal>(ExprKind::literal, r);
  lit->lit = Literal::Kind::string;
  lit->text = copy ? arena_.str(value) : value;
  return lit;
}

Expr* Parser::make_template(std::vector<Expr*>& exprs, Range range) {
  auto* t = arena_.make<Template>(ExprKind::template_, range);
  t->parts = arena_.copy(exprs.data(), exprs.size());
  return t;
}

Expr* Parser::template_parse_expr(std::vector<TplToken>& parts, size_t& pos) {
  TplToken& t = parts[pos];
  switch (t.kind) {
    case TplKind::literal:
      ++pos;
      return string_literal(t.lit, t.range, true);
    case TplKind::interp:
      ++pos;
      return t.expr;
    case TplKind::if_:
      return template_parse_if(parts, pos);
    case TplKind::for_:
      return template_parse_for(parts, pos);
    case TplKind::end:
      error("Unexpected end of template",
            "The control directives within this template are unbalanced.", t.range);
      return placeholder(t.range);
    default:
      ++pos;
      error(std::string("Unexpected ") + directive_name(t.kind) + " directive",
            "The control directives within this template are unbalanced.", t.range);
      return placeholder(t.range);
  }
}

Expr* Parser::template_parse_if(std::vector<TplToken>& parts, size_t& pos) {
  TplToken& open = parts[pos++];
  std::vector<Expr*> if_exprs, else_exprs;
  std::vector<Expr*>* current = &if_exprs;
  Range endif_range;
  while (true) {
    TplToken& next = parts[pos];
    if (next.kind == TplKind::end) {
      error("Unexpected end of template",
            "The if directive at " + range_text(file_.name(), open.range) +
                " is missing its corresponding endif directive.",
            next.range);
      return placeholder(next.range);
    }
    if (next.kind == TplKind::else_ || next.kind == TplKind::endif ||
        next.kind == TplKind::endfor) {
      ++pos;
      if (next.kind == TplKind::else_) {
        if (current == &if_exprs) {
          current = &else_exprs;
          continue;
        }
        error("Unexpected else directive",
              "Already in the else clause for the if started at " +
                  range_text(file_.name(), open.range) + ".",
              next.range);
        return placeholder(next.range);
      }
      if (next.kind == TplKind::endif) {
        endif_range = next.range;
        break;
      }
      error("Unexpected endfor directive",
            "Expecting an endif directive for the if started at " +
                range_text(file_.name(), open.range) + ".",
            next.range);
      return placeholder(next.range);
    }
    current->push_back(template_parse_expr(parts, pos));
  }
  if (if_exprs.empty())
    if_exprs.push_back(string_literal("", Range{open.range.end, open.range.end}, false));
  if (else_exprs.empty())
    else_exprs.push_back(string_literal("", Range{endif_range.start, endif_range.start}, false));
  auto* c =
      arena_.make<Conditional>(ExprKind::conditional, Range::between(open.range, endif_range));
  c->condition = open.expr;
  c->true_result =
      make_template(if_exprs, Range::between(if_exprs.front()->range, if_exprs.back()->range));
  c->false_result = make_template(
      else_exprs, Range::between(else_exprs.front()->range, else_exprs.back()->range));
  return c;
}

Expr* Parser::template_parse_for(std::vector<TplToken>& parts, size_t& pos) {
  TplToken& open = parts[pos++];
  std::vector<Expr*> content;
  Range endfor_range;
  while (true) {
    TplToken& next = parts[pos];
    if (next.kind == TplKind::end) {
      error("Unexpected end of template",
            "The for directive at " + range_text(file_.name(), open.range) +
                " is missing its corresponding endfor directive.",
            next.range);
      return placeholder(next.range);
    }
    if (next.kind == TplKind::else_ || next.kind == TplKind::endif ||
        next.kind == TplKind::endfor) {
      ++pos;
      if (next.kind == TplKind::endfor) {
        endfor_range = next.range;
        break;
      }
      if (next.kind == TplKind::else_) {
        error("Unexpected else directive", "An else clause is not expected for a for directive.",
              next.range);
      } else {
        error("Unexpected endif directive",
              "Expecting an endfor directive corresponding to the for directive at " +
                  range_text(file_.name(), open.range) + ".",
              next.range);
      }
      return placeholder(next.range);
    }
    content.push_back(template_parse_expr(parts, pos));
  }
  if (content.empty())
    content.push_back(string_literal("", Range{open.range.end, open.range.end}, false));
  auto* f = arena_.make<ForExpr>(ExprKind::for_expr, Range::between(open.range, endfor_range));
  f->key_var = open.key_var;
  f->val_var = open.val_var;
  f->collection = open.expr;
  f->value = make_template(content, Range::between(content.front()->range, content.back()->range));
  f->open = open.range;
  f->close = endfor_range;
  auto* j = arena_.make<TemplateJoin>(ExprKind::template_join, f->range);
  j->tuple = f;
  return j;
}

Expr* Parser::parse_template(Tok end, bool flush, Range open_range) {
  // Fast path for the common "plain text" string: no escapes, no sequences.
  if (end == Tok::cquote) {
    const Token& a = toks_[next_];
    if (a.type == Tok::quoted_lit && toks_[next_ + 1].type == Tok::cquote) {
      std::string_view t = text(a);
      if (t.find('\\') == std::string_view::npos && t.find("{") == std::string_view::npos) {
        read();
        Token close = read();
        auto* lit = arena_.make<Literal>(ExprKind::literal, a.range());
        lit->lit = Literal::Kind::string;
        lit->text = t;
        auto* tpl =
            arena_.make<Template>(ExprKind::template_, Range::between(open_range, close.range()));
        Expr* part = lit;
        tpl->parts = arena_.copy(&part, 1);
        return tpl;
      }
    } else if (a.type == Tok::cquote) {
      Token close = read();
      Expr* lit = string_literal("", Range{a.start, a.start}, false);
      auto* tpl =
          arena_.make<Template>(ExprKind::template_, Range::between(open_range, close.range()));
      tpl->parts = arena_.copy(&lit, 1);
      return tpl;
    }
  }
  std::vector<TplToken> parts;
  Range src_range;
  parse_template_parts(end, parts, src_range);
  if (flush) flush_heredoc(parts);
  meld_literals(parts);
  bool passthru = parts.size() == 2 && parts[0].kind == TplKind::interp;
  std::vector<Expr*> exprs;
  size_t pos = 0;
  while (parts[pos].kind != TplKind::end) exprs.push_back(template_parse_expr(parts, pos));
  Range close = prev_range();
  Range whole = Range::between(open_range, close);
  if (passthru) {
    auto* w = arena_.make<TemplateWrap>(ExprKind::template_wrap, whole);
    w->wrapped = exprs[0];
    return w;
  }
  return make_template(exprs, whole);
}

Expr* Parser::parse_bare_template() {
  std::vector<TplToken> parts;
  Range src_range;
  parse_template_parts(Tok::eof, parts, src_range);
  meld_literals(parts);
  bool passthru = parts.size() == 2 && parts[0].kind == TplKind::interp;
  std::vector<Expr*> exprs;
  size_t pos = 0;
  while (parts[pos].kind != TplKind::end) exprs.push_back(template_parse_expr(parts, pos));
  if (passthru) {
    auto* w = arena_.make<TemplateWrap>(ExprKind::template_wrap, src_range);
    w->wrapped = exprs[0];
    return w;
  }
  return make_template(exprs, src_range);
}

}  // namespace

ParsedFile parse_config(std::string_view text, std::string filename) {
  ParsedFile out;
  out.file = std::make_unique<File>(std::move(filename), std::string(text));
  std::vector<Token> toks = lex(out.file->text(), LexMode::config, out.diagnostics);
  Parser p(*out.file, std::move(toks), out.diagnostics);
  out.file->set_body(p.parse_body(Tok::eof));
  out.file->source().annotate(out.diagnostics);
  return out;
}

ParsedExpression parse_expression(std::string_view text, std::string filename) {
  ParsedExpression out;
  out.file = std::make_unique<File>(std::move(filename), std::string(text));
  std::vector<Token> toks = lex(out.file->text(), LexMode::config, out.diagnostics);
  Parser p(*out.file, std::move(toks), out.diagnostics);
  out.expr = p.parse_standalone_expression();
  // Anything after the expression is an error, unless the parser is recovering from one (or the
  // lexer reported the token already).
  Tok next = p.peek().type;
  out.file->set_body(Arena(out.file->arena()).make_plain<Body>());
  if (next != Tok::eof && !p.recovering() && !is_invalid_token(next)) {
    Diagnostic d;
    d.summary = "Extra characters after expression";
    d.detail = "An expression was successfully parsed, but extra characters were found after it.";
    d.subject = p.peek().range();
    out.diagnostics.add(std::move(d));
  }
  out.file->source().annotate(out.diagnostics);
  return out;
}

ParsedExpression parse_template(std::string_view text, std::string filename) {
  ParsedExpression out;
  out.file = std::make_unique<File>(std::move(filename), std::string(text));
  std::vector<Token> toks = lex(out.file->text(), LexMode::template_only, out.diagnostics);
  Parser p(*out.file, std::move(toks), out.diagnostics);
  out.expr = p.parse_bare_template();
  out.file->set_body(Arena(out.file->arena()).make_plain<Body>());
  out.file->source().annotate(out.diagnostics);
  return out;
}

}  // namespace warden::hcl
