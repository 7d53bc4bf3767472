#include "warden/job/hcl/typeexpr.hpp"

#include <set>

namespace warden::hcl {
namespace {

const char* kSummary = "Invalid type specification";

std::optional<Type> fail(Diagnostics& diags, std::string detail, Range r) {
  Diagnostic d;
  d.summary = kSummary;
  d.detail = std::move(detail);
  d.subject = r;
  diags.add(std::move(d));
  return std::nullopt;
}

std::optional<Type> parse(const Expr* e, Diagnostics& diags, bool in_object_attr,
                          bool* optional_out) {
  while (e->kind == ExprKind::parentheses) e = static_cast<const Parentheses*>(e)->inner;
  if (e->kind == ExprKind::scope_traversal) {
    auto* t = static_cast<const ScopeTraversal*>(e);
    if (!t->steps.empty())
      return fail(diags,
                  "A type specification is either a primitive type keyword (bool, number, string) "
                  "or a complex type constructor call, like list(string).",
                  e->range);
    std::string_view k = t->root;
    if (k == "string") return Type::string();
    if (k == "number") return Type::number();
    if (k == "bool") return Type::boolean();
    if (k == "any") return Type::dynamic();
    if (k == "list" || k == "set" || k == "map" || k == "object" || k == "tuple") {
      return fail(diags,
                  "The " + std::string(k) +
                      " type constructor requires one argument specifying the element type.",
                  e->range);
    }
    return fail(diags, "The keyword \"" + std::string(k) + "\" is not a valid type specification.",
                e->range);
  }
  if (e->kind != ExprKind::function_call) {
    return fail(diags,
                "A type specification is either a primitive type keyword (bool, number, string) or "
                "a complex type constructor call, like list(string).",
                e->range);
  }
  auto* c = static_cast<const FunctionCall*>(e);
  std::string_view name = c->name;
  if (name == "string" || name == "number" || name == "bool") {
    return fail(diags,
                "Primitive type keyword \"" + std::string(name) + "\" does not expect arguments.",
                e->range);
  }
  if (name == "any")
    return fail(diags, "Type constraint keyword \"any\" does not expect arguments.", e->range);
  if (name == "optional") {
    if (!in_object_attr)
      return fail(diags,
                  "Keyword \"optional\" is valid only as a modifier for object type attributes.",
                  e->range);
    if (c->args.size() != 1)
      return fail(diags,
                  "Optional attribute modifier expects only one argument: the attribute type.",
                  e->range);
    *optional_out = true;
    return parse(c->args[0], diags, false, nullptr);
  }
  if (name == "list" || name == "set" || name == "map") {
    if (c->args.size() != 1) {
      return fail(diags,
                  "The " + std::string(name) +
                      " type constructor requires one argument specifying the element type.",
                  e->range);
    }
    auto elem = parse(c->args[0], diags, false, nullptr);
    if (!elem) return std::nullopt;
    if (name == "list") return Type::list(*elem);
    if (name == "set") return Type::set(*elem);
    return Type::map(*elem);
  }
  if (name == "tuple") {
    if (c->args.size() != 1 || c->args[0]->kind != ExprKind::tuple_cons) {
      return fail(diags,
                  "The tuple type constructor requires one argument specifying the element types "
                  "as a list.",
                  e->range);
    }
    std::vector<Type> elems;
    for (const Expr* item : static_cast<const TupleCons*>(c->args[0])->items) {
      auto t = parse(item, diags, false, nullptr);
      if (!t) return std::nullopt;
      elems.push_back(*t);
    }
    return Type::tuple(std::move(elems));
  }
  if (name == "object") {
    if (c->args.size() != 1 || c->args[0]->kind != ExprKind::object_cons) {
      return fail(diags,
                  "The object type constructor requires one argument specifying the attribute "
                  "types and values as a map.",
                  e->range);
    }
    std::vector<Type::Attribute> attrs;
    std::vector<std::string> optional;
    std::set<std::string> seen;
    for (const ObjectItem& item : static_cast<const ObjectCons*>(c->args[0])->items) {
      const Expr* k = item.key->wrapped;
      std::string key;
      if (k->kind == ExprKind::scope_traversal &&
          static_cast<const ScopeTraversal*>(k)->steps.empty()) {
        key = std::string(static_cast<const ScopeTraversal*>(k)->root);
      } else if (k->kind == ExprKind::literal &&
                 static_cast<const Literal*>(k)->lit == Literal::Kind::boolean) {
        key = static_cast<const Literal*>(k)->truth ? "true" : "false";
      } else if (k->kind == ExprKind::literal &&
                 static_cast<const Literal*>(k)->lit == Literal::Kind::null) {
        key = "null";
      } else if (k->kind == ExprKind::template_ &&
                 static_cast<const Template*>(k)->parts.size() == 1 &&
                 static_cast<const Template*>(k)->parts[0]->kind == ExprKind::literal) {
        key = std::string(
            static_cast<const Literal*>(static_cast<const Template*>(k)->parts[0])->text);
      } else {
        return fail(diags, "Object constructor map keys must be attribute names.", k->range);
      }
      if (!seen.insert(key).second)
        return fail(diags, "Object constructor map keys must be unique.", k->range);
      bool opt = false;
      auto t = parse(item.value, diags, true, &opt);
      if (!t) return std::nullopt;
      if (opt) optional.push_back(key);
      attrs.emplace_back(key, *t);
    }
    return Type::object(std::move(attrs), std::move(optional));
  }
  return fail(diags, "Keyword \"" + std::string(name) + "\" is not a valid type constructor.",
              e->range);
}

}  // namespace

std::optional<Type> type_from_expr(const Expr* e, Diagnostics& diags) {
  return parse(e, diags, false, nullptr);
}

}  // namespace warden::hcl
