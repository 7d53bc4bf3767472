// The set functions: go-cty's stdlib set.go (setunion, setintersection, setproduct).
#include <algorithm>

#include "common.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

using K = Type::Kind;

// The set type all arguments convert to. Empty sets of unknown element type (`[]`) fit anything,
// so they take no part in choosing it.
std::optional<Type> set_result_type(std::span<const Value> a) {
  std::vector<Type> elems;
  for (const auto& v : a) {
    const Type& e = v.type().element();
    if (v.length() == 0 && e.is_dynamic()) continue;
    elems.push_back(e);
  }
  if (elems.empty()) return Type::set(Type::dynamic());
  auto u = unify(elems);
  if (!u) return std::nullopt;
  return Type::set(*u);
}

CallResult set_operation(std::span<const Value> a, bool unite) {
  auto type = set_result_type(a);
  if (!type) return CallResult::fail("given sets must all have compatible element types");
  std::vector<Value> sets;
  for (size_t i = 0; i < a.size(); ++i) {
    auto c = convert(a[i], *type);
    if (!c.ok()) return CallResult::bad_arg(static_cast<int>(i), c.error);
    sets.push_back(std::move(c.value));
  }
  auto member = [](const Value& set, const Value& v) {
    const auto& es = set.elements();
    return std::any_of(es.begin(), es.end(), [&](const Value& e) { return e.equals(v); });
  };
  std::vector<Value> out = sets[0].elements();
  for (size_t i = 1; i < sets.size(); ++i) {
    if (unite) {
      for (const auto& e : sets[i].elements()) out.push_back(e);
    } else {
      std::erase_if(out, [&](const Value& e) { return !member(sets[i], e); });
    }
  }
  return CallResult::ok(Value::set(std::move(out), type->element()));
}

CallResult setproduct(std::span<const Value> a) {
  if (a.size() < 2) return CallResult::fail("at least two arguments are required");
  std::vector<Type> elem_types;
  size_t lists = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const Type& t = a[i].type();
    switch (t.kind()) {
      case K::set:
        elem_types.push_back(t.element());
        break;
      case K::list:
        elem_types.push_back(t.element());
        ++lists;
        break;
      case K::tuple: {
        ++lists;
        if (t.elements().empty()) {
          elem_types.push_back(Type::dynamic());
          break;
        }
        auto u = unify(t.elements());
        if (!u)
          return CallResult::bad_arg(static_cast<int>(i), "all elements must be of the same type");
        elem_types.push_back(*u);
        break;
      }
      default:
        return CallResult::bad_arg(static_cast<int>(i), "a set or a list is required");
    }
  }
  Type tuple = Type::tuple(elem_types);
  bool as_list = lists == a.size();

  // Each argument's elements, converted to its unified element type.
  std::vector<std::vector<Value>> columns;
  size_t total = 1;
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<Value> col;
    for (const auto& e : a[i].elements()) {
      auto c = convert(e, elem_types[i]);
      if (!c.ok()) return CallResult::bad_arg(static_cast<int>(i), c.error);
      col.push_back(std::move(c.value));
    }
    total *= col.size();
    columns.push_back(std::move(col));
  }
  std::vector<Value> out;
  if (total > 0) {
    // An odometer whose last wheel turns fastest.
    std::vector<size_t> pos(a.size(), 0);
    for (size_t n = 0; n < total; ++n) {
      std::vector<Value> row;
      for (size_t i = 0; i < a.size(); ++i) row.push_back(columns[i][pos[i]]);
      out.push_back(Value::tuple(std::move(row)));
      for (size_t i = a.size(); i-- > 0;) {
        if (++pos[i] < columns[i].size()) break;
        pos[i] = 0;
      }
    }
  }
  if (as_list) return CallResult::ok(Value::list(std::move(out), tuple));
  return CallResult::ok(Value::set(std::move(out), tuple));
}

}  // namespace

namespace fn {

void add_set_functions(FunctionTable& t) {
  const Type any_set = Type::set(Type::dynamic());
  t.add("setunion", variadic({param("first_set", any_set)}, param("other_sets", any_set),
                             [](std::span<const Value> a) { return set_operation(a, true); }));
  t.add("setintersection",
        variadic({param("first_set", any_set)}, param("other_sets", any_set),
                 [](std::span<const Value> a) { return set_operation(a, false); }));
  t.add("setproduct", variadic({}, param("sets", Type::dynamic()), setproduct));
}

}  // namespace fn

}  // namespace warden::hcl
