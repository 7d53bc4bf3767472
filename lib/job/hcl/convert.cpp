#include "warden/job/hcl/convert.hpp"

#include <algorithm>
#include <deque>

namespace warden::hcl {
namespace {

using K = Type::Kind;

ConvertResult fail(std::string msg) {
  return ConvertResult{Value(), std::move(msg)};
}

// cty's FriendlyNameForConstraint: like Type::friendly_name, but "any type" for dynamic.
std::string constraint_name(const Type& t) {
  switch (t.kind()) {
    case K::dynamic:
      return "any type";
    case K::list:
      return "list of " + constraint_name(t.element());
    case K::set:
      return "set of " + constraint_name(t.element());
    case K::map:
      return "map of " + constraint_name(t.element());
    default:
      return t.friendly_name();
  }
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

bool convertible(const Type& from, const Type& to);

// The element type a tuple (or an object's attributes) converts to for a collection of `want`:
// want itself, or for `dynamic` the unified type of all elements. Nullopt if there is none.
std::optional<Type> structural_element(const std::vector<Type>& types, const Type& want) {
  if (!want.is_dynamic() || types.empty()) return want;
  auto u = unify(types);
  if (!u) return std::nullopt;
  // Unified to dynamic, only values that are themselves of unknown type fit (cty).
  if (u->is_dynamic() &&
      !std::all_of(types.begin(), types.end(), [](const Type& t) { return t.is_dynamic(); })) {
    return std::nullopt;
  }
  return u;
}

std::vector<Type> attribute_types(const Type& object) {
  std::vector<Type> out;
  for (const auto& a : object.attributes()) out.push_back(a.second);
  return out;
}

// Whether cty has a conversion (in its unsafe mode, as Convert uses) from one type to another.
// A conversion may still fail for a particular value ("a number is required").
bool convertible(const Type& from, const Type& to) {
  if (to.is_dynamic() || from.is_dynamic() || from == to) return true;
  if (from.is_primitive() && to.is_primitive()) {
    // number and bool become strings; strings may become numbers and bools.
    return to.kind() == K::string || from.kind() == K::string;
  }
  switch (to.kind()) {
    case K::list:
    case K::set: {
      if (from.kind() == K::list || from.kind() == K::set)
        return convertible(from.element(), to.element());
      if (from.kind() != K::tuple) return false;
      auto elem = structural_element(from.elements(), to.element());
      if (!elem) return false;
      return std::all_of(from.elements().begin(), from.elements().end(),
                         [&](const Type& t) { return convertible(t, *elem); });
    }
    case K::map: {
      if (from.kind() == K::map) return convertible(from.element(), to.element());
      if (from.kind() != K::object) return false;
      auto types = attribute_types(from);
      auto elem = structural_element(types, to.element());
      if (!elem) return false;
      return std::all_of(types.begin(), types.end(),
                         [&](const Type& t) { return convertible(t, *elem); });
    }
    case K::object:
      if (from.kind() == K::map) {
        return std::all_of(
            to.attributes().begin(), to.attributes().end(),
            [&](const Type::Attribute& a) { return convertible(from.element(), a.second); });
      }
      if (from.kind() != K::object) return false;
      for (const auto& [name, type] : to.attributes()) {
        const Type* got = from.attribute(name);
        if (!got) {
          if (!to.is_optional_attribute(name)) return false;
          continue;
        }
        if (!convertible(*got, type)) return false;
      }
      return true;
    case K::tuple: {
      // Only from another tuple of the same length: there is no list to tuple conversion.
      if (from.kind() != K::tuple || from.elements().size() != to.elements().size()) return false;
      for (size_t i = 0; i < to.elements().size(); ++i) {
        if (!convertible(from.elements()[i], to.elements()[i])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// cty's MismatchMessage: why no conversion exists from `got` to `want`.
std::string mismatch_message(const Type& got, const Type& want) {
  const std::string required = constraint_name(want) + " required";
  if (got.kind() == K::object && want.kind() == K::object) {
    std::vector<std::string> missing;
    std::string unsafe;
    for (const auto& [name, type] : want.attributes()) {
      const Type* g = got.attribute(name);
      if (!g) {
        if (!want.is_optional_attribute(name)) missing.push_back(name);
        continue;
      }
      if (unsafe.empty() && !(*g == type) && !convertible(*g, type))
        unsafe = "attribute " + quoted(name) + ": " + mismatch_message(*g, type);
    }
    if (missing.size() == 1) return "attribute " + quoted(missing[0]) + " is required";
    if (missing.size() == 2)
      return "attributes " + quoted(missing[0]) + " and " + quoted(missing[1]) + " are required";
    if (!missing.empty()) {
      std::string list;
      for (size_t i = 0; i + 1 < missing.size(); ++i) list += quoted(missing[i]) + ", ";
      return "attributes " + list + "and " + quoted(missing.back()) + " are required";
    }
    if (!unsafe.empty()) return unsafe;
    return "incorrect object attributes";
  }
  if (want.is_collection() && want.element().is_dynamic()) {
    if (got.kind() == K::tuple && want.kind() == K::list)
      return "all list elements must have the same type";
    if (got.kind() == K::tuple && want.kind() == K::set)
      return "all set elements must have the same type";
    if (got.kind() == K::object && want.kind() == K::map)
      return "all map elements must have the same type";
  }
  if ((got.kind() == K::tuple || got.kind() == K::object) && want.is_collection()) {
    if (want.kind() == K::map ? got.kind() != K::object : got.kind() != K::tuple) return required;
    const Type& elem = want.element();
    if (got.kind() == K::tuple) {
      for (size_t i = 0; i < got.elements().size(); ++i) {
        const Type& t = got.elements()[i];
        if (!(t == elem) && !convertible(t, elem))
          return "element " + std::to_string(i) + ": " + mismatch_message(t, elem);
      }
    } else {
      for (const auto& [name, t] : got.attributes()) {
        if (!(t == elem) && !convertible(t, elem))
          return "element " + quoted(name) + ": " + mismatch_message(t, elem);
      }
    }
    return "all elements must be " + constraint_name(elem);
  }
  if (got.is_collection() && want.is_collection()) {
    if (want.kind() == K::map ? got.kind() != K::map : got.kind() == K::map) return required;
    const char* noun = want.kind() == K::list  ? "list element type"
                       : want.kind() == K::set ? "set element type"
                                               : "map element type";
    return std::string("incorrect ") + noun + ": " +
           mismatch_message(got.element(), want.element());
  }
  return required;
}

ConvertResult convert_value(const Value& in, const Type& want);

// Elements already known to be convertible; a value that still does not fit reports only its
// own problem ("a number is required"), as cty's path errors read.
ConvertResult convert_sequence(const Value& in, const Type& want) {
  const auto& elems = in.elements();
  const Type& got = in.type();
  Type elem = want.element();
  if (elem.is_dynamic()) {
    if (got.kind() != K::tuple) {
      elem = got.element();
    } else if (auto e = structural_element(got.elements(), elem)) {
      elem = *e;
    }
  }
  std::vector<Value> out;
  out.reserve(elems.size());
  for (const auto& e : elems) {
    auto r = convert_value(e, elem);
    if (!r.ok()) return r;
    out.push_back(std::move(r.value));
  }
  if (want.kind() == K::set) return {Value::set(std::move(out), elem), {}};
  return {Value::list(std::move(out), elem), {}};
}

ConvertResult convert_map(const Value& in, const Type& want) {
  const auto& entries = in.entries();
  const Type& got = in.type();
  Type elem = want.element();
  if (elem.is_dynamic()) {
    if (got.kind() == K::map) {
      elem = got.element();
    } else if (auto e = structural_element(attribute_types(got), elem)) {
      elem = *e;
    }
  }
  std::vector<Value::Entry> out;
  out.reserve(entries.size());
  for (const auto& [k, v] : entries) {
    auto r = convert_value(v, elem);
    if (!r.ok()) return r;
    out.emplace_back(k, std::move(r.value));
  }
  return {Value::map(std::move(out), elem), {}};
}

ConvertResult convert_object(const Value& in, const Type& want) {
  // Attributes the target type does not have are dropped, as cty does.
  std::vector<Value::Entry> out;
  bool from_map = in.type().kind() == K::map;
  for (const auto& [name, type] : want.attributes()) {
    const Value* v = in.get(name);
    if (!v) {
      if (want.is_optional_attribute(name)) {
        out.emplace_back(name, Value::null(type));
        continue;
      }
      return fail(from_map ? "map has no element for required attribute " + quoted(name)
                           : "attribute " + quoted(name) + " is required");
    }
    auto r = convert_value(*v, type);
    if (!r.ok()) return r;
    out.emplace_back(name, std::move(r.value));
  }
  // Keep the declared attribute types even where a value is null.
  Value obj = Value::object(std::move(out));
  return {std::move(obj), {}};
}

ConvertResult convert_tuple(const Value& in, const Type& want) {
  const auto& elems = in.elements();
  const auto& types = want.elements();
  std::vector<Value> out;
  for (size_t i = 0; i < elems.size(); ++i) {
    auto r = convert_value(elems[i], types[i]);
    if (!r.ok()) return r;
    out.push_back(std::move(r.value));
  }
  return {Value::tuple(std::move(out)), {}};
}

// big.Float.Parse also reads infinities, which cty's string to number conversion inherits.
std::optional<Number> parse_number(const std::string& s) {
  if (s == "Inf" || s == "inf" || s == "+Inf" || s == "+inf") return Number::infinity(false);
  if (s == "-Inf" || s == "-inf") return Number::infinity(true);
  return Number::parse(s);
}

std::string ascii_lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Converts a value whose type is known to be convertible to `want`.
ConvertResult convert_value(const Value& in, const Type& want) {
  if (want.is_dynamic()) return {in, {}};
  if (in.is_null()) return {Value::null(want), {}};
  if (in.type() == want) return {in, {}};
  const Type& got = in.type();
  switch (want.kind()) {
    case K::string:
      if (got.kind() == K::number) return {Value::string(in.as_number().to_string()), {}};
      if (got.kind() == K::boolean) return {Value::string(in.as_bool() ? "true" : "false"), {}};
      break;
    case K::number:
      if (got.kind() == K::string) {
        if (auto n = parse_number(in.as_string())) return {Value::number(*n), {}};
        return fail("a number is required");
      }
      break;
    case K::boolean:
      if (got.kind() == K::string) {
        const std::string& s = in.as_string();
        if (s == "true" || s == "1") return {Value::boolean(true), {}};
        if (s == "false" || s == "0") return {Value::boolean(false), {}};
        std::string lower = ascii_lower(s);
        if (lower == "true" || lower == "false") {
          return fail("a bool is required; to convert from string, use lowercase \"" + lower +
                      "\"");
        }
        return fail("a bool is required");
      }
      break;
    case K::list:
    case K::set:
      return convert_sequence(in, want);
    case K::map:
      return convert_map(in, want);
    case K::object:
      return convert_object(in, want);
    case K::tuple:
      return convert_tuple(in, want);
    case K::dynamic:
      break;
  }
  return fail(mismatch_message(got, want));
}

// ---- unification ------------------------------------------------------------------------------

// cty's compareTypes: < 0 when a is the preferable (more general) unification result.
int compare_types(const Type& a, const Type& b) {
  if (a.is_dynamic() || b.is_dynamic()) {
    if (!a.is_dynamic()) return -1;
    if (!b.is_dynamic()) return 1;
    return 0;
  }
  if (a.is_primitive() && b.is_primitive() && (a.kind() == K::string || b.kind() == K::string)) {
    if (a.kind() != K::string) return 1;
    if (b.kind() != K::string) return -1;
    return 0;
  }
  if (a.is_collection() && a.kind() == b.kind()) return compare_types(a.element(), b.element());
  // Lists are preferred over tuples, tuples over sets, and maps over objects.
  auto rank = [](const Type& t) {
    switch (t.kind()) {
      case K::list:
        return 0;
      case K::tuple:
        return 1;
      case K::set:
        return 2;
      default:
        return -1;
    }
  };
  if (rank(a) >= 0 && rank(b) >= 0 && rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (a.kind() == K::map && b.kind() == K::object) return -1;
  if (a.kind() == K::object && b.kind() == K::map) return 1;
  bool sup_a = false, sup_b = false;
  auto weigh = [&](const Type& x, const Type& y) {
    int c = compare_types(x, y);
    if (c < 0) sup_a = true;
    if (c > 0) sup_b = true;
  };
  if (a.kind() == K::object && b.kind() == K::object) {
    if (a.attributes().size() != b.attributes().size()) return 0;
    for (const auto& [name, t] : a.attributes()) {
      const Type* o = b.attribute(name);
      if (!o) return 0;
      weigh(t, *o);
    }
  } else if (a.kind() == K::tuple && b.kind() == K::tuple) {
    if (a.elements().size() != b.elements().size()) return 0;
    for (size_t i = 0; i < a.elements().size(); ++i) weigh(a.elements()[i], b.elements()[i]);
  } else {
    return 0;
  }
  if (sup_a == sup_b) return 0;
  return sup_a ? -1 : 1;
}

// cty's sortTypes: a topological order of "more general than", stable otherwise.
std::vector<size_t> preference_order(const std::vector<Type>& types) {
  size_t n = types.size();
  std::vector<std::vector<size_t>> edges(n);
  std::vector<int> in_degree(n, 0);
  for (size_t i = 0; i + 1 < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      int c = compare_types(types[i], types[j]);
      if (c < 0) {
        edges[i].push_back(j);
        ++in_degree[j];
      } else if (c > 0) {
        edges[j].push_back(i);
        ++in_degree[i];
      }
    }
  }
  std::vector<size_t> order;
  std::deque<size_t> queue;
  for (size_t i = 0; i < n; ++i) {
    if (in_degree[i] == 0) queue.push_back(i);
  }
  while (!queue.empty()) {
    size_t i = queue.front();
    queue.pop_front();
    order.push_back(i);
    for (size_t j : edges[i]) {
      if (--in_degree[j] == 0) queue.push_back(j);
    }
  }
  return order;
}

std::optional<Type> unify_nonempty(const std::vector<Type>& types);

std::optional<Type> unify_all_elements(const std::vector<Type>& types, Type (*make)(Type)) {
  std::vector<Type> elems;
  for (const auto& t : types) {
    if (t.kind() == K::tuple) {
      elems.insert(elems.end(), t.elements().begin(), t.elements().end());
    } else if (t.kind() == K::object) {
      for (const auto& a : t.attributes()) elems.push_back(a.second);
    } else {
      elems.push_back(t.element());
    }
  }
  if (elems.empty()) return std::nullopt;
  auto u = unify_nonempty(elems);
  if (!u) return std::nullopt;
  return make(*u);
}

std::optional<Type> unify_objects(const std::vector<Type>& types) {
  const auto& first = types[0].attributes();
  bool same_names = std::all_of(types.begin(), types.end(), [&](const Type& t) {
    const auto& a = t.attributes();
    return a.size() == first.size() &&
           std::equal(a.begin(), a.end(), first.begin(),
                      [](const Type::Attribute& x, const Type::Attribute& y) {
                        return x.first == y.first;
                      });
  });
  if (!same_names) return unify_all_elements(types, Type::map);
  std::vector<Type::Attribute> attrs;
  for (const auto& [name, type] : first) {
    std::vector<Type> across;
    for (const auto& t : types) across.push_back(*t.attribute(name));
    auto u = unify_nonempty(across);
    if (!u) return std::nullopt;
    attrs.emplace_back(name, *u);
  }
  return Type::object(std::move(attrs));
}

std::optional<Type> unify_tuples(const std::vector<Type>& types) {
  size_t n = types[0].elements().size();
  bool same_length = std::all_of(types.begin(), types.end(),
                                 [&](const Type& t) { return t.elements().size() == n; });
  if (!same_length) return unify_all_elements(types, Type::list);
  std::vector<Type> out;
  for (size_t i = 0; i < n; ++i) {
    std::vector<Type> across;
    for (const auto& t : types) across.push_back(t.elements()[i]);
    auto u = unify_nonempty(across);
    if (!u) return std::nullopt;
    out.push_back(*u);
  }
  return Type::tuple(std::move(out));
}

std::optional<Type> unify_nonempty(const std::vector<Type>& types) {
  if (std::all_of(types.begin(), types.end(), [&](const Type& t) { return t == types[0]; }))
    return types[0];
  size_t maps = 0, lists = 0, sets = 0, objects = 0, tuples = 0, dynamics = 0;
  for (const auto& t : types) {
    switch (t.kind()) {
      case K::map:
        ++maps;
        break;
      case K::list:
        ++lists;
        break;
      case K::set:
        ++sets;
        break;
      case K::object:
        ++objects;
        break;
      case K::tuple:
        ++tuples;
        break;
      case K::dynamic:
        ++dynamics;
        break;
      default:
        break;
    }
  }
  size_t n = types.size();
  // Types of one structural kind unify to a type built for them; any dynamic among them makes the
  // result dynamic, since its eventual type could take another path.
  auto same_kind = [&](Type (*make)(Type)) -> std::optional<Type> {
    if (dynamics > 0) return Type::dynamic();
    return unify_all_elements(types, make);
  };
  if (maps > 0 && maps + dynamics == n) return same_kind(Type::map);
  if (maps > 0 && maps + objects == n) {
    // Objects are often maps in disguise.
    if (auto u = unify_all_elements(types, Type::map)) return u;
  } else if (lists > 0 && lists + dynamics == n) {
    return same_kind(Type::list);
  } else if (lists > 0 && lists + tuples == n) {
    // Tuples are often lists in disguise.
    if (auto u = unify_all_elements(types, Type::list)) return u;
  } else if (sets > 0 && sets + dynamics == n) {
    return same_kind(Type::set);
  } else if (objects > 0 && objects + dynamics == n) {
    if (dynamics > 0) return Type::dynamic();
    return unify_objects(types);
  } else if (tuples > 0 && tuples + dynamics == n) {
    if (dynamics > 0) return Type::dynamic();
    return unify_tuples(types);
  } else if (objects > 0 && tuples > 0) {
    return std::nullopt;
  }
  // Otherwise the most general of the given types that all others convert to.
  for (size_t want : preference_order(types)) {
    bool all = std::all_of(types.begin(), types.end(),
                           [&](const Type& t) { return convertible(t, types[want]); });
    if (all) return types[want];
  }
  return std::nullopt;
}

}  // namespace

ConvertResult convert(const Value& in, const Type& want) {
  if (want.is_dynamic()) return {in, {}};
  // As cty's Convert: no conversion between the types is a type error ("number required"); a
  // conversion that fails for this value reports the value's problem ("a number is required").
  if (!convertible(in.type(), want)) return fail(mismatch_message(in.type(), want));
  return convert_value(in, want);
}

std::optional<Type> unify(const std::vector<Type>& types) {
  if (types.empty()) return Type::dynamic();
  return unify_nonempty(types);
}

}  // namespace warden::hcl
