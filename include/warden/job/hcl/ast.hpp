// The syntax tree of HCL's native syntax. Every node carries its source range.
//
// Nodes live in an arena owned by their File and are trivially destructible: names and string
// literals are views into the source or into the arena, lists are spans.
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>

#include "warden/core/diagnostic.hpp"

namespace warden::hcl {

template <class T>
struct Span {
  T* data = nullptr;
  uint32_t count = 0;
  T* begin() const { return data; }
  T* end() const { return data + count; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  T& operator[](size_t i) const { return data[i]; }
  T& back() const { return data[count - 1]; }
};

enum class ExprKind : uint8_t {
  literal,             // null, true, false, a number or a string without interpolation
  template_,           // "a ${b} c", heredocs
  template_wrap,       // "${x}": evaluates to x itself, not to a string
  template_join,       // %{ for } ... %{ endfor }: joins the strings of a for expression
  scope_traversal,     // a.b[0].c
  relative_traversal,  // (expr).b[0]
  function_call,
  conditional,
  binary_op,
  unary_op,
  tuple_cons,
  object_cons,
  object_key,  // a bare identifier as object key means the string, not a variable
  for_expr,
  index,        // collection[key] with a non-literal key
  splat,        // list[*].attr, list.*.attr
  anon_symbol,  // the current element inside a splat
  parentheses,
  error,  // placeholder left where a syntax error was reported
};

struct Expr {
  ExprKind kind;
  Range range;
};

struct Literal : Expr {
  enum class Kind : uint8_t { null, boolean, number, string } lit;
  bool truth = false;
  std::string_view text;  // a number's source text or a string's (unescaped) value
};

struct Template : Expr {
  Span<Expr*> parts;
};

struct TemplateWrap : Expr {
  Expr* wrapped;
};

struct ForExpr;

struct TemplateJoin : Expr {
  ForExpr* tuple;
};

struct Traverser {
  enum class Kind : uint8_t { attr, index } kind;
  std::string_view name;  // attr
  Expr* key = nullptr;    // index: a literal (nullptr for an invalid legacy index)
  Range range;
};

struct ScopeTraversal : Expr {
  std::string_view root;
  Range root_range;
  Span<Traverser> steps;
};

struct RelativeTraversal : Expr {
  Expr* source;
  Span<Traverser> steps;
};

struct FunctionCall : Expr {
  std::string_view name;
  Range name_range;
  Span<Expr*> args;
  bool expand_final = false;
  Range open_paren, close_paren;
};

struct Conditional : Expr {
  Expr* condition;
  Expr* true_result;
  Expr* false_result;
};

enum class BinaryOp : uint8_t {
  logical_or,
  logical_and,
  equal,
  not_equal,
  greater,
  greater_eq,
  less,
  less_eq,
  add,
  subtract,
  multiply,
  divide,
  modulo
};

struct BinaryOpExpr : Expr {
  BinaryOp op;
  Expr* lhs;
  Expr* rhs;
};

struct UnaryOpExpr : Expr {
  enum class Op : uint8_t { negate, logical_not } op;
  Expr* operand;
  Range symbol;
};

struct TupleCons : Expr {
  Span<Expr*> items;
  Range open;
};

struct ObjectKey : Expr {
  Expr* wrapped;
  bool force_non_literal;  // the key was written in parentheses
};

struct ObjectItem {
  ObjectKey* key;
  Expr* value;
};

struct ObjectCons : Expr {
  Span<ObjectItem> items;
  Range open;
};

struct ForExpr : Expr {
  std::string_view key_var;  // empty when only the value is named
  std::string_view val_var;
  Expr* collection;
  Expr* key = nullptr;  // object for only
  Expr* value;
  Expr* condition = nullptr;
  bool group = false;   // value followed by "..."
  bool object = false;  // {for ...} rather than [for ...]
  Range open, close;
};

struct IndexExpr : Expr {
  Expr* collection;
  Expr* key;
  Range bracket;
};

struct AnonSymbol : Expr {};

struct Splat : Expr {
  Expr* source;
  Expr* each;
  AnonSymbol* item;
  bool attr_only;
  Range marker;
};

struct Parentheses : Expr {
  Expr* inner;
};

struct Block;

struct Attribute {
  std::string_view name;
  Expr* expr;
  Range range;
  Range name_range;
  Range equals_range;
};

struct Body {
  Span<Attribute> attributes;  // in source order, names unique
  Span<Block*> blocks;         // in source order
  Range range;
  Range end_range;  // an empty range at the end, for "missing argument" diagnostics
  const Attribute* attribute(std::string_view name) const {
    for (const auto& a : attributes) {
      if (a.name == name) return &a;
    }
    return nullptr;
  }
};

struct Block {
  std::string_view type;
  Span<std::string_view> labels;
  Span<Range> label_ranges;
  Body* body;
  Range type_range;
  Range open_brace;
  Range close_brace;
  // The block header: type and labels, what a diagnostic about the whole block points at.
  Range def_range() const {
    return label_ranges.empty() ? type_range : Range::between(type_range, label_ranges.back());
  }
};

// A parsed source: owns the text, the arena and the tree.
class File {
 public:
  File(std::string name, std::string text);
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& name() const { return source_.name(); }
  std::string_view text() const { return text_; }
  const SourceFile& source() const { return source_; }
  // The source text a range covers.
  std::string_view text(const Range& r) const {
    if (r.start.byte > text_.size() || r.end.byte > text_.size() || r.end.byte < r.start.byte)
      return {};
    return std::string_view(text_).substr(r.start.byte, r.end.byte - r.start.byte);
  }

  const Body& body() const { return *body_; }
  Body& body() { return *body_; }
  void set_body(Body* b) { body_ = b; }
  std::pmr::memory_resource* arena() { return &arena_; }

 private:
  std::string text_;
  SourceFile source_;
  std::pmr::monotonic_buffer_resource arena_;
  Body* body_ = nullptr;
};

}  // namespace warden::hcl
