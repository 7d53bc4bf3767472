// Evaluation of HCL expressions with hashicorp/hcl's semantics and messages.
#include "warden/job/hcl/eval.hpp"

#include <algorithm>
#include <unordered_map>

#include "warden/core/strings.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::hcl {

const Value* Scope::lookup(std::string_view name) const {
  for (const Scope* s = this; s; s = s->parent_) {
    auto it = s->vars_.find(name);
    if (it != s->vars_.end()) return &it->second;
  }
  return nullptr;
}

bool Scope::has_variables() const {
  for (const Scope* s = this; s; s = s->parent_) {
    if (!s->vars_.empty() || s->unknown_) return true;
  }
  return false;
}

const FunctionTable* Scope::functions() const {
  for (const Scope* s = this; s; s = s->parent_) {
    if (s->functions_) return s->functions_;
  }
  return nullptr;
}

const Scope::UnknownVariable* Scope::unknown_variable() const {
  for (const Scope* s = this; s; s = s->parent_) {
    if (s->unknown_) return &s->unknown_;
  }
  return nullptr;
}

namespace {

using Opt = std::optional<Value>;

void add_error(Diagnostics& diags, std::string summary, std::string detail, Range subject) {
  Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.subject = subject;
  diags.add(std::move(d));
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

std::optional<Value> get_attr(const Value& v, std::string_view name, Range r, Diagnostics& diags) {
  if (v.is_null()) {
    add_error(diags, "Attempt to get attribute from null value",
              "This value is null, so it does not have any attributes.", r);
    return std::nullopt;
  }
  const Type& t = v.type();
  switch (t.kind()) {
    case Type::Kind::object: {
      if (const Value* a = v.get(name)) return *a;
      add_error(diags, "Unsupported attribute",
                "This object does not have an attribute named " + quoted(name) + ".", r);
      return std::nullopt;
    }
    case Type::Kind::map: {
      if (const Value* a = v.get(name)) return *a;
      add_error(diags, "Missing map element",
                "This map does not have an element with the key " + quoted(name) + ".", r);
      return std::nullopt;
    }
    case Type::Kind::list:
      if (t.element().kind() == Type::Kind::object) {
        std::string detail =
            t.element().attribute(name)
                ? "Can't access attributes on a list of objects. Did you mean to access "
                  "attribute " +
                      quoted(name) +
                      " for a specific element of the list, or across all elements of the list?"
                : "Can't access attributes on a list of objects. Did you mean to access an "
                  "attribute for a specific element of the list, or across all elements of the "
                  "list?";
        add_error(diags, "Unsupported attribute", detail, r);
        return std::nullopt;
      }
      break;
    case Type::Kind::set:
      if (t.element().kind() == Type::Kind::object) {
        add_error(diags, "Unsupported attribute",
                  "Can't access attributes on a set of objects. Did you mean to access an "
                  "attribute across all elements of the set?",
                  r);
        return std::nullopt;
      }
      break;
    case Type::Kind::string:
    case Type::Kind::number:
    case Type::Kind::boolean:
      add_error(diags, "Unsupported attribute",
                "Can't access attributes on a primitive-typed value (" + t.friendly_name() + ").",
                r);
      return std::nullopt;
    default:
      break;
  }
  add_error(diags, "Unsupported attribute", "This value does not have any attributes.", r);
  return std::nullopt;
}

std::optional<Value> index_value(const Value& coll, const Value& key, Range r, Diagnostics& diags) {
  const char* summary = "Invalid index";
  if (coll.is_null()) {
    add_error(diags, "Attempt to index null value",
              "This value is null, so it does not have any indices.", r);
    return std::nullopt;
  }
  if (key.is_null()) {
    add_error(diags, summary, "Can't use a null value as an indexing key.", r);
    return std::nullopt;
  }
  const Type& t = coll.type();
  const std::string base = "The given key does not identify an element in this collection value";
  switch (t.kind()) {
    case Type::Kind::list:
    case Type::Kind::tuple: {
      auto k = convert(key, Type::number());
      if (!k.ok()) {
        add_error(diags, summary, base + ": " + k.error + ".", r);
        return std::nullopt;
      }
      const Number& n = k.value.as_number();
      const auto& elems = coll.elements();
      if (!n.is_whole()) {
        add_error(diags, summary,
                  base +
                      ": indexing a sequence requires a whole number, but the given index has a "
                      "fractional part.",
                  r);
        return std::nullopt;
      }
      if (n.sign() < 0) {
        add_error(diags, summary, base + ": a negative number is not a valid index for a sequence.",
                  r);
        return std::nullopt;
      }
      auto i = n.to_int64();
      if (!i || static_cast<uint64_t>(*i) >= elems.size()) {
        add_error(diags, summary,
                  base + (elems.empty() ? ": the collection has no elements."
                                        : ": the given index is greater than or equal to the "
                                          "length of the collection."),
                  r);
        return std::nullopt;
      }
      return elems[static_cast<size_t>(*i)];
    }
    case Type::Kind::map:
    case Type::Kind::object: {
      auto k = convert(key, Type::string());
      if (!k.ok()) {
        add_error(diags, summary, base + ": " + k.error + ".", r);
        return std::nullopt;
      }
      if (const Value* v = coll.get(k.value.as_string())) return *v;
      std::string extra;
      if (t.kind() == Type::Kind::object && key.type().kind() == Type::Kind::number) {
        extra = " An object only supports looking up attributes by name, not by numeric index.";
      }
      add_error(diags, summary, base + "." + extra, r);
      return std::nullopt;
    }
    case Type::Kind::set:
      add_error(diags, summary,
                "Elements of a set are identified only by their value and don't have any separate "
                "index or key to select with, so it's only possible to perform operations across "
                "all elements of the set.",
                r);
      return std::nullopt;
    default:
      add_error(diags, summary, "This value does not have any indices.", r);
      return std::nullopt;
  }
}

namespace {

// hashicorp/hcl's Expression.StartRange(): the part of an expression that a diagnostic about it
// as a function argument points at (the "[" of a tuple, the literal text of a quoted string...).
Range start_range(const Expr* e) {
  switch (e->kind) {
    case ExprKind::template_: {
      auto* t = static_cast<const Template*>(e);
      return t->parts.empty() ? e->range : start_range(t->parts[0]);
    }
    case ExprKind::template_join:
      return static_cast<const TemplateJoin*>(e)->tuple->open;
    case ExprKind::function_call: {
      auto* c = static_cast<const FunctionCall*>(e);
      return Range::between(c->name_range, c->open_paren);
    }
    case ExprKind::conditional:
      return start_range(static_cast<const Conditional*>(e)->condition);
    case ExprKind::binary_op:
      return start_range(static_cast<const BinaryOpExpr*>(e)->lhs);
    case ExprKind::unary_op:
      return static_cast<const UnaryOpExpr*>(e)->symbol;
    case ExprKind::tuple_cons:
      return static_cast<const TupleCons*>(e)->open;
    case ExprKind::object_cons:
      return static_cast<const ObjectCons*>(e)->open;
    case ExprKind::object_key:
      return start_range(static_cast<const ObjectKey*>(e)->wrapped);
    case ExprKind::for_expr:
      return static_cast<const ForExpr*>(e)->open;
    case ExprKind::index: {  // the "["
      Pos open = static_cast<const IndexExpr*>(e)->bracket.start;
      return Range{open, Pos{open.line, open.column + 1, open.byte + 1}};
    }
    case ExprKind::splat:
      return static_cast<const Splat*>(e)->marker;
    case ExprKind::parentheses:
      return start_range(static_cast<const Parentheses*>(e)->inner);
    default:
      return e->range;
  }
}

// Whether an expression refers to one of the given (non-empty) root names.
bool refers_to(const Expr* e, std::string_view a, std::string_view b) {
  for (const Reference& r : references(e)) {
    if ((!a.empty() && r.root == a) || (!b.empty() && r.root == b)) return true;
  }
  return false;
}

// hashicorp/hcl's describeConditionalTypeMismatch.
std::string describe_mismatch(const Type& t, const Type& f) {
  using K = Type::Kind;
  if (t.kind() == K::object && f.kind() == K::object) {
    for (const auto& [name, ty] : t.attributes()) {
      const Type* other = f.attribute(name);
      if (!other) {
        return "The 'true' value includes object attribute " + quoted(name) +
               ", which is absent in the 'false' value";
      }
      if (!(ty == *other)) {
        return "Type mismatch for object attribute " + quoted(name) + ": " +
               describe_mismatch(ty, *other);
      }
    }
    for (const auto& [name, ty] : f.attributes()) {
      if (!t.attribute(name)) {
        return "The 'false' value includes object attribute " + quoted(name) +
               ", which is absent in the 'true' value";
      }
    }
  } else if (t.kind() == K::tuple && f.kind() == K::tuple) {
    const auto &te = t.elements(), &fe = f.elements();
    if (te.size() != fe.size()) {
      return "The 'true' tuple has length " + std::to_string(te.size()) +
             ", but the 'false' tuple has length " + std::to_string(fe.size());
    }
    for (size_t i = 0; i < te.size(); ++i) {
      if (!(te[i] == fe[i])) {
        return "Type mismatch for tuple element " + std::to_string(i) + ": " +
               describe_mismatch(te[i], fe[i]);
      }
    }
  } else if (t.is_collection() && t.kind() == f.kind()) {
    const Type &te = t.element(), &fe = f.element();
    if ((te.kind() == K::object && fe.kind() == K::object) ||
        (te.kind() == K::tuple && fe.kind() == K::tuple)) {
      const char* noun = t.kind() == K::list ? "list" : t.kind() == K::set ? "set" : "map";
      return std::string("Mismatched ") + noun + " element types: " + describe_mismatch(te, fe);
    }
  }
  if (t.friendly_name() == f.friendly_name()) {
    return "At least one deeply-nested attribute or element is not compatible across both the "
           "'true' and the 'false' value";
  }
  return "The 'true' value is " + t.friendly_name() + ", but the 'false' value is " +
         f.friendly_name();
}

class Evaluator {
 public:
  Evaluator(const File& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  Opt eval(const Expr* e, const Scope& scope);

 private:
  Opt literal(const Literal* l);
  Opt template_(const Template* t, const Scope& scope);
  Opt template_join(const TemplateJoin* t, const Scope& scope);
  Opt scope_traversal(const ScopeTraversal* t, const Scope& scope);
  Opt apply_steps(Value v, const Span<Traverser>& steps, const Scope& scope);
  Opt function_call(const FunctionCall* c, const Scope& scope);
  Opt lazy_call(const FunctionCall* c, const Scope& scope);
  Opt conditional(const Conditional* c, const Scope& scope);
  Opt binary(const BinaryOpExpr* b, const Scope& scope);
  Opt unary(const UnaryOpExpr* u, const Scope& scope);
  Opt tuple(const TupleCons* t, const Scope& scope);
  Opt object(const ObjectCons* o, const Scope& scope);
  Opt object_key(const ObjectKey* k, const Scope& scope, Range value_range);
  Opt for_expr(const ForExpr* f, const Scope& scope);
  Opt splat(const Splat* s, const Scope& scope);

  void error(std::string summary, std::string detail, Range subject) {
    add_error(diags_, std::move(summary), std::move(detail), subject);
  }

  const File& file_;
  Diagnostics& diags_;
  std::vector<std::pair<const AnonSymbol*, Value>> anon_;  // splat items being evaluated
};

Opt Evaluator::eval(const Expr* e, const Scope& scope) {
  switch (e->kind) {
    case ExprKind::literal:
      return literal(static_cast<const Literal*>(e));
    case ExprKind::template_:
      return template_(static_cast<const Template*>(e), scope);
    case ExprKind::template_wrap:
      return eval(static_cast<const TemplateWrap*>(e)->wrapped, scope);
    case ExprKind::template_join:
      return template_join(static_cast<const TemplateJoin*>(e), scope);
    case ExprKind::scope_traversal:
      return scope_traversal(static_cast<const ScopeTraversal*>(e), scope);
    case ExprKind::relative_traversal: {
      auto* t = static_cast<const RelativeTraversal*>(e);
      Opt src = eval(t->source, scope);
      if (!src) return std::nullopt;
      return apply_steps(std::move(*src), t->steps, scope);
    }
    case ExprKind::function_call:
      return function_call(static_cast<const FunctionCall*>(e), scope);
    case ExprKind::conditional:
      return conditional(static_cast<const Conditional*>(e), scope);
    case ExprKind::binary_op:
      return binary(static_cast<const BinaryOpExpr*>(e), scope);
    case ExprKind::unary_op:
      return unary(static_cast<const UnaryOpExpr*>(e), scope);
    case ExprKind::tuple_cons:
      return tuple(static_cast<const TupleCons*>(e), scope);
    case ExprKind::object_cons:
      return object(static_cast<const ObjectCons*>(e), scope);
    case ExprKind::object_key:
      return object_key(static_cast<const ObjectKey*>(e), scope, e->range);
    case ExprKind::for_expr:
      return for_expr(static_cast<const ForExpr*>(e), scope);
    case ExprKind::index: {
      auto* ix = static_cast<const IndexExpr*>(e);
      Opt coll = eval(ix->collection, scope);
      Opt key = eval(ix->key, scope);
      if (!coll || !key) return std::nullopt;
      return index_value(*coll, *key, ix->bracket, diags_);
    }
    case ExprKind::splat:
      return splat(static_cast<const Splat*>(e), scope);
    case ExprKind::anon_symbol: {
      for (auto it = anon_.rbegin(); it != anon_.rend(); ++it) {
        if (it->first == e) return it->second;
      }
      error("Invalid use of anonymous symbol",
            "The splat item symbol can only be used inside a splat expression.", e->range);
      return std::nullopt;
    }
    case ExprKind::parentheses:
      return eval(static_cast<const Parentheses*>(e)->inner, scope);
    case ExprKind::error:
      return std::nullopt;  // the syntax error was reported already
  }
  return std::nullopt;
}

Opt Evaluator::literal(const Literal* l) {
  switch (l->lit) {
    case Literal::Kind::null:
      return Value();
    case Literal::Kind::boolean:
      return Value::boolean(l->truth);
    case Literal::Kind::string:
      return Value::string(l->text);
    case Literal::Kind::number: {
      if (auto n = Number::parse(l->text)) return Value::number(*n);
      error("Invalid number literal", "Failed to recognize the value of this number literal.",
            l->range);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Opt Evaluator::template_(const Template* t, const Scope& scope) {
  if (t->parts.size() == 1 && t->parts[0]->kind == ExprKind::literal)
    return literal(static_cast<const Literal*>(t->parts[0]));
  std::string out;
  bool ok = true;
  for (const Expr* part : t->parts) {
    Opt v = eval(part, scope);
    if (!v) {
      ok = false;
      continue;
    }
    if (v->is_null()) {
      error("Invalid template interpolation value",
            "The expression result is null. Cannot include a null value in a string template.",
            part->range);
      ok = false;
      continue;
    }
    auto s = convert(*v, Type::string());
    if (!s.ok()) {
      error("Invalid template interpolation value",
            "Cannot include the given value in a string template: " + s.error + ".", part->range);
      ok = false;
      continue;
    }
    out += s.value.as_string();
  }
  if (!ok) return std::nullopt;
  return Value::string(out);
}

Opt Evaluator::template_join(const TemplateJoin* t, const Scope& scope) {
  Opt tuple = eval(t->tuple, scope);
  if (!tuple) return std::nullopt;
  std::string out;
  for (const auto& v : tuple->elements()) {
    if (v.is_null()) {
      error("Invalid template interpolation value",
            "An iteration result is null. Cannot include a null value in a string template.",
            t->range);
      return std::nullopt;
    }
    auto s = convert(v, Type::string());
    if (!s.ok()) {
      error("Invalid template interpolation value",
            "Cannot include one of the interpolation results into the string template: " + s.error +
                ".",
            t->range);
      return std::nullopt;
    }
    out += s.value.as_string();
  }
  return Value::string(out);
}

Opt Evaluator::scope_traversal(const ScopeTraversal* t, const Scope& scope) {
  const Value* root = scope.lookup(t->root);
  if (!root) {
    if (const auto* unknown = scope.unknown_variable()) {
      if (auto v = (*unknown)(file_.text(t->range))) return v;
    }
    if (!scope.has_variables()) {
      error("Variables not allowed", "Variables may not be used here.", t->root_range);
      return std::nullopt;
    }
    error("Unknown variable", "There is no variable named " + quoted(t->root) + ".", t->root_range);
    return std::nullopt;
  }
  return apply_steps(*root, t->steps, scope);
}

Opt Evaluator::apply_steps(Value v, const Span<Traverser>& steps, const Scope& scope) {
  for (const Traverser& step : steps) {
    Opt next;
    if (step.kind == Traverser::Kind::attr) {
      next = get_attr(v, step.name, step.range, diags_);
    } else {
      if (!step.key) {
        error("Invalid index", "This index is not valid.", step.range);
        return std::nullopt;
      }
      Opt key = eval(step.key, scope);
      if (!key) return std::nullopt;
      next = index_value(v, *key, step.range, diags_);
    }
    if (!next) return std::nullopt;
    v = std::move(*next);
  }
  return v;
}

std::string range_string(const File& file, const Range& r) {
  std::string s =
      file.name() + ":" + std::to_string(r.start.line) + "," + std::to_string(r.start.column) + "-";
  if (r.end.line != r.start.line) s += std::to_string(r.end.line) + ",";
  return s + std::to_string(r.end.column);
}

Opt Evaluator::lazy_call(const FunctionCall* c, const Scope& scope) {
  Range call_range = Range::between(c->name_range, c->open_paren);
  if (c->name == "can") {
    if (c->args.size() != 1) {
      error(c->args.empty() ? "Not enough function arguments" : "Too many function arguments",
            c->args.empty()
                ? "Function \"can\" expects 1 argument(s). Missing value for \"expression\"."
                : "Function \"can\" expects only 1 argument(s).",
            c->args.empty() ? c->close_paren : start_range(c->args[1]));
      return std::nullopt;
    }
    Diagnostics inner;
    Evaluator sub(file_, inner);
    sub.anon_ = anon_;
    Opt v = sub.eval(c->args[0], scope);
    return Value::boolean(v.has_value() && !inner.has_errors());
  }
  // try
  if (c->args.empty()) {
    error("Error in function call",
          "Call to function \"try\" failed: at least one argument is required.", call_range);
    return std::nullopt;
  }
  std::string failures;
  for (const Expr* arg : c->args) {
    Diagnostics inner;
    Evaluator sub(file_, inner);
    sub.anon_ = anon_;
    Opt v = sub.eval(arg, scope);
    if (v && !inner.has_errors()) return v;
    for (const auto& d : inner) {
      if (d.subject) {
        failures += "- " + d.summary + " (at " + range_string(file_, *d.subject) + ")\n  " +
                    d.detail + "\n";
      } else {
        failures += "- " + d.summary + "\n  " + d.detail + "\n";
      }
    }
  }
  error("Error in function call",
        "Call to function \"try\" failed: no expression succeeded:\n" + failures +
            "\nAt least one expression must produce a successful result.",
        call_range);
  return std::nullopt;
}

Opt Evaluator::function_call(const FunctionCall* c, const Scope& scope) {
  const FunctionTable* table = scope.functions();
  if (!table) {
    error("Function calls not allowed", "Functions may not be called here.", c->range);
    return std::nullopt;
  }
  const Function* fn = table->find(c->name);
  if (!fn) {
    auto names = table->names();
    std::string hint = did_you_mean(c->name, names);
    error("Call to unknown function",
          "There is no function named " + quoted(c->name) + "." +
              (hint.empty() ? "" : " Did you mean " + quoted(hint) + "?"),
          c->name_range);
    return std::nullopt;
  }
  if (fn->lazy) return lazy_call(c, scope);

  // As hashicorp/hcl: expand the last argument first ("f(x...)"), check the argument count, then
  // evaluate and convert every argument, reporting each one that does not fit its parameter.
  size_t given = c->args.size();
  std::vector<Value> expanded;
  if (c->expand_final) {
    const Expr* last = c->args.back();
    Opt v = eval(last, scope);
    if (!v) return std::nullopt;
    if (v->is_null()) {
      error("Invalid expanding argument value",
            "The expanding argument (indicated by ...) must not be null.", last->range);
      return std::nullopt;
    }
    if (!v->type().is_list_like()) {
      error("Invalid expanding argument value",
            "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
            last->range);
      return std::nullopt;
    }
    expanded = v->elements();
    --given;
  }
  // An expanded element's diagnostics point at the whole expanded expression.
  auto arg_range = [&](size_t i) {
    return i < given ? start_range(c->args[i]) : c->args.back()->range;
  };

  const std::string name(c->name);
  size_t np = fn->params.size();
  size_t count = given + expanded.size();
  if (count < np) {
    error("Not enough function arguments",
          "Function " + quoted(name) + " expects" + (fn->var_param ? " at least" : "") + " " +
              std::to_string(np) + " argument(s). Missing value for " +
              quoted(fn->params[count].name) + ".",
          c->close_paren);
    return std::nullopt;
  }
  if (!fn->var_param && count > np) {
    error("Too many function arguments",
          "Function " + quoted(name) + " expects only " + std::to_string(np) + " argument(s).",
          arg_range(np));
    return std::nullopt;
  }

  std::vector<Value> args;
  std::vector<Range> ranges;
  bool ok = true;
  for (size_t i = 0; i < count; ++i) {
    const Param& p = i < np ? fn->params[i] : *fn->var_param;
    Opt v = i < given ? eval(c->args[i], scope) : Opt(expanded[i - given]);
    if (!v) {
      ok = false;
      continue;
    }
    auto conv = convert(*v, p.type);
    if (!conv.ok()) {
      error("Invalid function argument",
            "Invalid value for " + quoted(p.name) + " parameter: " + conv.error + ".",
            arg_range(i));
      ok = false;
      continue;
    }
    args.push_back(std::move(conv.value));
    ranges.push_back(arg_range(i));
  }
  if (!ok) return std::nullopt;
  // cty's Function.Call rejects null arguments of parameters that do not allow them.
  for (size_t i = 0; i < args.size(); ++i) {
    const Param& p = i < np ? fn->params[i] : *fn->var_param;
    if (args[i].is_null() && !p.allow_null) {
      error("Invalid function argument",
            "Invalid value for " + quoted(p.name) + " parameter: argument must not be null.",
            ranges[i]);
      return std::nullopt;
    }
  }
  CallResult r;
  try {
    r = fn->impl(args);
  } catch (const std::exception& ex) {
    r = CallResult::fail(ex.what());
  }
  if (!r.error.empty()) {
    if (r.arg >= 0 && static_cast<size_t>(r.arg) < args.size()) {
      size_t i = static_cast<size_t>(r.arg);
      const Param& p = i < np ? fn->params[i] : *fn->var_param;
      error("Invalid function argument",
            "Invalid value for " + quoted(p.name) + " parameter: " + r.error + ".", ranges[i]);
    } else if (r.arg >= 0 && fn->var_param) {
      // About variadic arguments the call did not have: the call as a whole.
      error("Invalid function argument",
            "Invalid value for " + quoted(fn->var_param->name) + " parameter: " + r.error + ".",
            c->range);
    } else {
      error("Error in function call",
            "Call to function " + quoted(name) + " failed: " + r.error + ".",
            Range::between(c->name_range, c->open_paren));
    }
    return std::nullopt;
  }
  return r.value;
}

bool is_untyped_null(const Value& v) {
  return v.is_null() && v.type().is_dynamic();
}

Opt Evaluator::conditional(const Conditional* c, const Scope& scope) {
  Diagnostics true_diags, false_diags;
  Evaluator te(file_, true_diags), fe(file_, false_diags);
  te.anon_ = anon_;
  fe.anon_ = anon_;
  Opt t = te.eval(c->true_result, scope);
  Opt f = fe.eval(c->false_result, scope);

  std::optional<Type> result_type;
  if (t && f) {
    if (is_untyped_null(*t)) {
      result_type = f->type();
    } else if (is_untyped_null(*f)) {
      result_type = t->type();
    } else {
      result_type = unify({t->type(), f->type()});
      if (!result_type) {
        error("Inconsistent conditional result types",
              "The true and false result expressions must have consistent types. " +
                  describe_mismatch(t->type(), f->type()) + ".",
              Range::between(c->true_result->range, c->false_result->range));
        return std::nullopt;
      }
    }
  }

  Opt cond = eval(c->condition, scope);
  if (!cond) return std::nullopt;
  if (cond->is_null()) {
    error("Null condition", "The condition value is null. Conditions must either be true or false.",
          c->condition->range);
    return std::nullopt;
  }
  auto b = convert(*cond, Type::boolean());
  if (!b.ok()) {
    error("Incorrect condition type", "The condition expression must be of type bool.",
          c->condition->range);
    return std::nullopt;
  }
  bool which = b.value.as_bool();
  Opt& chosen = which ? t : f;
  diags_.append(which ? true_diags : false_diags);
  if (!chosen) return std::nullopt;
  if (!result_type) return chosen;
  auto conv = convert(*chosen, *result_type);
  if (!conv.ok()) {
    error("Inconsistent conditional result types",
          std::string(which ? "The true" : "The false") +
              " result value has the wrong type: " + conv.error + ".",
          which ? c->true_result->range : c->false_result->range);
    return std::nullopt;
  }
  return conv.value;
}

Opt Evaluator::binary(const BinaryOpExpr* b, const Scope& scope) {
  Opt l = eval(b->lhs, scope);
  Opt r = eval(b->rhs, scope);
  if (b->op == BinaryOp::equal || b->op == BinaryOp::not_equal) {
    if (!l || !r) return std::nullopt;
    bool eq = l->equals(*r);
    return Value::boolean(b->op == BinaryOp::equal ? eq : !eq);
  }
  Type want = (b->op == BinaryOp::logical_and || b->op == BinaryOp::logical_or) ? Type::boolean()
                                                                                : Type::number();
  // Both operands are converted and each unsuitable one reported, also when the other failed to
  // evaluate (hashicorp/hcl converts its unknown placeholder without complaint).
  auto operand = [&](const Opt& v, const Expr* e, const char* side) -> Opt {
    if (!v) return std::nullopt;
    auto c = convert(*v, want);
    if (!c.ok()) {
      error("Invalid operand",
            std::string("Unsuitable value for ") + side + " operand: " + c.error + ".", e->range);
      return std::nullopt;
    }
    return c.value;
  };
  Opt lv = operand(l, b->lhs, "left");
  Opt rv = operand(r, b->rhs, "right");
  if (!lv || !rv) return std::nullopt;
  auto failed = [&](const char* msg) -> Opt {
    error("Operation failed", std::string("Error during operation: ") + msg + ".", b->range);
    return std::nullopt;
  };
  // The operator functions reject null arguments when called.
  if (lv->is_null() || rv->is_null()) return failed("argument must not be null");
  switch (b->op) {
    case BinaryOp::logical_and:
      return Value::boolean(lv->as_bool() && rv->as_bool());
    case BinaryOp::logical_or:
      return Value::boolean(lv->as_bool() || rv->as_bool());
    default:
      break;
  }
  const Number& x = lv->as_number();
  const Number& y = rv->as_number();
  switch (b->op) {
    case BinaryOp::greater:
      return Value::boolean(x > y);
    case BinaryOp::greater_eq:
      return Value::boolean(x >= y);
    case BinaryOp::less:
      return Value::boolean(x < y);
    case BinaryOp::less_eq:
      return Value::boolean(x <= y);
    case BinaryOp::add:
      if (x.is_infinite() && y.is_infinite() && x.sign() != y.sign())
        return failed("can't compute sum of opposing infinities");
      return Value::number(x + y);
    case BinaryOp::subtract:
      if (x.is_infinite() && y.is_infinite() && x.sign() == y.sign())
        return failed("can't subtract infinity from itself");
      return Value::number(x - y);
    case BinaryOp::multiply:
      if ((x.is_infinite() && y.sign() == 0) || (y.is_infinite() && x.sign() == 0))
        return failed("can't multiply zero by infinity");
      return Value::number(x * y);
    case BinaryOp::divide: {
      auto q = Number::divide(x, y);
      if (!q) return failed("can't divide zero by zero or infinity by infinity");
      return Value::number(*q);
    }
    case BinaryOp::modulo: {
      auto m = Number::modulo(x, y);
      if (!m) return failed("can't use modulo with zero and infinity");
      return Value::number(*m);
    }
    default:
      break;
  }
  return std::nullopt;
}

Opt Evaluator::unary(const UnaryOpExpr* u, const Scope& scope) {
  Opt v = eval(u->operand, scope);
  if (!v) return std::nullopt;
  Type want = u->op == UnaryOpExpr::Op::negate ? Type::number() : Type::boolean();
  auto c = convert(*v, want);
  if (!c.ok()) {
    error("Invalid operand", "Unsuitable value for unary operand: " + c.error + ".",
          u->operand->range);
    return std::nullopt;
  }
  if (c.value.is_null()) {
    error("Operation failed", "Error during operation: argument must not be null.", u->range);
    return std::nullopt;
  }
  if (u->op == UnaryOpExpr::Op::negate) return Value::number(-c.value.as_number());
  return Value::boolean(!c.value.as_bool());
}

Opt Evaluator::tuple(const TupleCons* t, const Scope& scope) {
  std::vector<Value> out;
  out.reserve(t->items.size());
  bool ok = true;
  for (const Expr* e : t->items) {
    Opt v = eval(e, scope);
    if (!v) {
      ok = false;
      continue;
    }
    out.push_back(std::move(*v));
  }
  if (!ok) return std::nullopt;
  return Value::tuple(std::move(out));
}

Opt Evaluator::object_key(const ObjectKey* k, const Scope& scope, Range value_range) {
  const Expr* w = k->wrapped;
  if (!k->force_non_literal) {
    if (w->kind == ExprKind::scope_traversal) {
      auto* st = static_cast<const ScopeTraversal*>(w);
      if (!st->steps.empty()) {
        error("Ambiguous attribute key",
              "If this expression is intended to be a reference, wrap it in parentheses. If it's "
              "instead intended as a literal name containing periods, wrap it in quotes to create "
              "a string literal.",
              k->range);
        return std::nullopt;
      }
      return Value::string(st->root);
    }
    if (w->kind == ExprKind::literal) {
      auto* l = static_cast<const Literal*>(w);
      if (l->lit == Literal::Kind::null) return Value::string("null");
      if (l->lit == Literal::Kind::boolean) return Value::string(l->truth ? "true" : "false");
    }
  }
  Opt v = eval(w, scope);
  if (!v) return std::nullopt;
  if (v->is_null()) {
    error("Null value as key", "Can't use a null value as a key.", value_range);
    return std::nullopt;
  }
  auto s = convert(*v, Type::string());
  if (!s.ok()) {
    error("Incorrect key type", "Can't use this value as a key: " + s.error + ".", k->range);
    return std::nullopt;
  }
  return s.value;
}

Opt Evaluator::object(const ObjectCons* o, const Scope& scope) {
  std::vector<Value::Entry> entries;
  entries.reserve(o->items.size());
  bool ok = true;
  for (const ObjectItem& item : o->items) {
    Opt k = object_key(item.key, scope, item.value->range);
    Opt v = eval(item.value, scope);
    if (!k || !v) {
      ok = false;
      continue;
    }
    entries.emplace_back(k->as_string(), std::move(*v));
  }
  if (!ok) return std::nullopt;
  return Value::object(std::move(entries));
}

Opt Evaluator::for_expr(const ForExpr* f, const Scope& scope) {
  Opt coll = eval(f->collection, scope);
  if (!coll) return std::nullopt;
  if (coll->is_null()) {
    error("Iteration over null value",
          "A null value cannot be used as the collection in a 'for' expression.",
          f->collection->range);
    return std::nullopt;
  }
  const Type& ct = coll->type();
  if (!ct.is_list_like() && !ct.is_map_like()) {
    error("Iteration over non-iterable value",
          "A value of type " + ct.friendly_name() +
              " cannot be used as the collection in a 'for' expression.",
          f->collection->range);
    return std::nullopt;
  }

  // hashicorp/hcl checks the condition once before iterating, with unknown iterator variables.
  // warden has no unknown values, so it does that check for a condition that does not depend on
  // the iterator variables (the others are checked for each element below).
  if (f->condition && !refers_to(f->condition, f->key_var, f->val_var)) {
    Scope child(&scope);
    if (!f->key_var.empty()) child.set(std::string(f->key_var), Value());
    child.set(std::string(f->val_var), Value());
    Opt c = eval(f->condition, child);
    if (!c) return std::nullopt;
    if (c->is_null()) {
      error("Condition is null", "The value of the 'if' clause must not be null.",
            f->condition->range);
      return std::nullopt;
    }
    auto b = convert(*c, Type::boolean());
    if (!b.ok()) {
      error("Invalid 'for' condition", "The 'if' clause value is invalid: " + b.error + ".",
            f->condition->range);
      return std::nullopt;
    }
  }

  struct Item {
    Value key, value;
  };
  std::vector<Item> items;
  if (ct.is_map_like()) {
    for (const auto& [k, v] : coll->entries()) items.push_back({Value::string(k), v});
  } else if (ct.kind() == Type::Kind::set) {
    for (const auto& v : coll->elements()) items.push_back({v, v});
  } else {
    int64_t i = 0;
    for (const auto& v : coll->elements()) items.push_back({Value::number(i++), v});
  }

  std::vector<Value> tuple_out;
  std::vector<std::string> keys_out;
  std::vector<Value> values_out;
  std::unordered_map<std::string, size_t> key_index;
  std::vector<std::vector<Value>> groups;
  for (const Item& item : items) {
    Scope child(&scope);
    if (!f->key_var.empty()) child.set(std::string(f->key_var), item.key);
    child.set(std::string(f->val_var), item.value);
    if (f->condition) {
      Opt c = eval(f->condition, child);
      if (!c) return std::nullopt;
      if (c->is_null()) {
        error("Invalid 'for' condition", "The value of the 'if' clause must not be null.",
              f->condition->range);
        return std::nullopt;
      }
      auto b = convert(*c, Type::boolean());
      if (!b.ok()) {
        error("Invalid 'for' condition", "The 'if' clause value is invalid: " + b.error + ".",
              f->condition->range);
        return std::nullopt;
      }
      if (!b.value.as_bool()) continue;
    }
    if (!f->object) {
      Opt v = eval(f->value, child);
      if (!v) return std::nullopt;
      tuple_out.push_back(std::move(*v));
      continue;
    }
    Opt k = eval(f->key, child);
    if (!k) return std::nullopt;
    if (k->is_null()) {
      error("Invalid object key",
            "Key expression in 'for' expression must not produce a null value.", f->key->range);
      return std::nullopt;
    }
    auto ks = convert(*k, Type::string());
    if (!ks.ok()) {
      error("Invalid object key",
            "The key expression produced an invalid result: " + ks.error + ".", f->key->range);
      return std::nullopt;
    }
    Opt v = eval(f->value, child);
    if (!v) return std::nullopt;
    const std::string& key = ks.value.as_string();
    auto it = key_index.find(key);
    if (f->group) {
      if (it == key_index.end()) {
        key_index.emplace(key, groups.size());
        keys_out.push_back(key);
        groups.push_back({std::move(*v)});
      } else {
        groups[it->second].push_back(std::move(*v));
      }
      continue;
    }
    if (it != key_index.end()) {
      error("Duplicate object key",
            "Two different items produced the key " + quoted(key) +
                " in this 'for' expression. If duplicates are expected, use the ellipsis (...) "
                "after the value expression to enable grouping by key.",
            f->key->range);
      return std::nullopt;
    }
    key_index.emplace(key, keys_out.size());
    keys_out.push_back(key);
    values_out.push_back(std::move(*v));
  }
  if (!f->object) return Value::tuple(std::move(tuple_out));
  std::vector<Value::Entry> entries;
  for (size_t i = 0; i < keys_out.size(); ++i) {
    entries.emplace_back(keys_out[i],
                         f->group ? Value::tuple(std::move(groups[i])) : std::move(values_out[i]));
  }
  return Value::object(std::move(entries));
}

Opt Evaluator::splat(const Splat* s, const Scope& scope) {
  Opt src = eval(s->source, scope);
  if (!src) return std::nullopt;
  const Type& t = src->type();
  bool upgrade = !t.is_list_like();
  if (src->is_null()) {
    if (upgrade) return Value::tuple({});
    error("Splat of null value",
          "Splat expressions (with the * symbol) cannot be applied to null sequences.",
          s->source->range);
    return std::nullopt;
  }
  std::vector<Value> elems = upgrade ? std::vector<Value>{*src} : src->elements();
  std::vector<Value> out;
  out.reserve(elems.size());
  bool ok = true;
  for (auto& e : elems) {
    anon_.emplace_back(s->item, e);
    Opt v = eval(s->each, scope);
    anon_.pop_back();
    if (!v) {
      ok = false;
      continue;
    }
    out.push_back(std::move(*v));
  }
  if (!ok) return std::nullopt;
  if (!upgrade && (t.kind() == Type::Kind::list || t.kind() == Type::Kind::set)) {
    std::vector<Type> types;
    for (const auto& v : out) types.push_back(v.type());
    auto u = unify(types);
    Type elem = u ? *u : Type::dynamic();
    std::vector<Value> conv;
    for (auto& v : out) conv.push_back(convert(v, elem).value);
    return Value::list(std::move(conv), elem);
  }
  return Value::tuple(std::move(out));
}

void collect_references(const Expr* e, std::vector<Reference>& out) {
  if (!e) return;
  switch (e->kind) {
    case ExprKind::literal:
    case ExprKind::anon_symbol:
    case ExprKind::error:
      return;
    case ExprKind::template_:
      for (const Expr* p : static_cast<const Template*>(e)->parts) collect_references(p, out);
      return;
    case ExprKind::template_wrap:
      collect_references(static_cast<const TemplateWrap*>(e)->wrapped, out);
      return;
    case ExprKind::template_join:
      collect_references(static_cast<const TemplateJoin*>(e)->tuple, out);
      return;
    case ExprKind::scope_traversal: {
      auto* t = static_cast<const ScopeTraversal*>(e);
      Reference r{t->root, {}, t->range};
      if (!t->steps.empty() && t->steps[0].kind == Traverser::Kind::attr) r.attr = t->steps[0].name;
      out.push_back(r);
      for (const auto& s : t->steps) collect_references(s.key, out);
      return;
    }
    case ExprKind::relative_traversal: {
      auto* t = static_cast<const RelativeTraversal*>(e);
      collect_references(t->source, out);
      for (const auto& s : t->steps) collect_references(s.key, out);
      return;
    }
    case ExprKind::function_call:
      for (const Expr* a : static_cast<const FunctionCall*>(e)->args) collect_references(a, out);
      return;
    case ExprKind::conditional: {
      auto* c = static_cast<const Conditional*>(e);
      collect_references(c->condition, out);
      collect_references(c->true_result, out);
      collect_references(c->false_result, out);
      return;
    }
    case ExprKind::binary_op:
      collect_references(static_cast<const BinaryOpExpr*>(e)->lhs, out);
      collect_references(static_cast<const BinaryOpExpr*>(e)->rhs, out);
      return;
    case ExprKind::unary_op:
      collect_references(static_cast<const UnaryOpExpr*>(e)->operand, out);
      return;
    case ExprKind::tuple_cons:
      for (const Expr* i : static_cast<const TupleCons*>(e)->items) collect_references(i, out);
      return;
    case ExprKind::object_cons:
      for (const auto& i : static_cast<const ObjectCons*>(e)->items) {
        collect_references(i.key, out);
        collect_references(i.value, out);
      }
      return;
    case ExprKind::object_key: {
      auto* k = static_cast<const ObjectKey*>(e);
      bool bare = !k->force_non_literal && k->wrapped->kind == ExprKind::scope_traversal &&
                  static_cast<const ScopeTraversal*>(k->wrapped)->steps.empty();
      if (!bare) collect_references(k->wrapped, out);
      return;
    }
    case ExprKind::for_expr: {
      // Iterator variables are local to the expression; report only references to other roots.
      auto* f = static_cast<const ForExpr*>(e);
      collect_references(f->collection, out);
      std::vector<Reference> inner;
      collect_references(f->key, inner);
      collect_references(f->value, inner);
      collect_references(f->condition, inner);
      for (auto& r : inner) {
        if (r.root != f->key_var && r.root != f->val_var) out.push_back(r);
      }
      return;
    }
    case ExprKind::index:
      collect_references(static_cast<const IndexExpr*>(e)->collection, out);
      collect_references(static_cast<const IndexExpr*>(e)->key, out);
      return;
    case ExprKind::splat:
      collect_references(static_cast<const Splat*>(e)->source, out);
      collect_references(static_cast<const Splat*>(e)->each, out);
      return;
    case ExprKind::parentheses:
      collect_references(static_cast<const Parentheses*>(e)->inner, out);
      return;
  }
}

}  // namespace

std::optional<Value> evaluate(const Expr* e, const Scope& scope, const File& file,
                              Diagnostics& diags) {
  Evaluator ev(file, diags);
  size_t before = diags.size();
  Opt v = ev.eval(e, scope);
  if (!v && diags.size() == before) {
    add_error(diags, "Invalid expression", "The expression could not be evaluated.", e->range);
  }
  if (v && diags.size() > before) return std::nullopt;
  return v;
}

std::vector<Reference> references(const Expr* e) {
  std::vector<Reference> out;
  collect_references(e, out);
  return out;
}

}  // namespace warden::hcl
