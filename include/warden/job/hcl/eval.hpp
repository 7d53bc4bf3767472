// Evaluating HCL expressions against a scope of variables and functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "warden/core/diagnostic.hpp"
#include "warden/job/hcl/ast.hpp"
#include "warden/job/hcl/function.hpp"
#include "warden/job/hcl/value.hpp"

namespace warden::hcl {

// Variables visible to an expression. Scopes chain: a `for` expression's iterator variables
// live in a child of the scope the expression was evaluated in.
class Scope {
 public:
  Scope() = default;
  explicit Scope(const Scope* parent) : parent_(parent) {}

  void set(std::string name, Value v) { vars_[std::move(name)] = std::move(v); }
  const Value* lookup(std::string_view name) const;
  bool has_variables() const;

  const FunctionTable* functions() const;
  void set_functions(const FunctionTable* f) { functions_ = f; }

  // Called with the source text of a traversal whose root no scope defines (e.g.
  // "attr.kernel.name"). Nomad answers "${attr.kernel.name}" so that runtime interpolations
  // survive parsing; without a handler the reference is an "Unknown variable" error.
  using UnknownVariable = std::function<std::optional<Value>(std::string_view source)>;
  void set_unknown_variable(UnknownVariable f) { unknown_ = std::move(f); }
  const UnknownVariable* unknown_variable() const;

 private:
  const Scope* parent_ = nullptr;
  std::map<std::string, Value, std::less<>> vars_;
  const FunctionTable* functions_ = nullptr;
  UnknownVariable unknown_;
};

// Evaluates an expression of `file`. On failure returns nullopt with at least one error in
// `diags` (annotated later by the caller with the file's source).
std::optional<Value> evaluate(const Expr* e, const Scope& scope, const File& file,
                              Diagnostics& diags);

// The variable references an expression makes (root names with their ranges), e.g. to check that a
// validation condition only refers to its own variable.
struct Reference {
  std::string_view root;
  std::string_view attr;  // first attribute step, if any
  Range range;
};
std::vector<Reference> references(const Expr* e);

// Apply a single attribute or index step, as traversals do; used by decoders too.
std::optional<Value> get_attr(const Value& v, std::string_view name, Range r, Diagnostics& diags);
std::optional<Value> index_value(const Value& coll, const Value& key, Range r, Diagnostics& diags);

}  // namespace warden::hcl
