#include "warden/job/hcl/convert.hpp"

#include <algorithm>
#include <set>

namespace warden::hcl {
namespace {

ConvertResult fail(std::string msg) {
  return ConvertResult{Value(), std::move(msg)};
}

std::string mismatch(const Type& want) {
  switch (want.kind()) {
    case Type::Kind::object:
      return "object required";
    case Type::Kind::tuple:
      return "tuple required";
    default:
      return want.friendly_name() + " required";
  }
}

ConvertResult prefixed(ConvertResult r, const std::string& prefix) {
  if (!r.ok()) r.error = prefix + r.error;
  return r;
}

ConvertResult convert_sequence(const Value& in, const Type& want) {
  const auto& elems = in.elements();
  Type elem = want.element();
  if (elem.is_dynamic()) {
    std::vector<Type> types;
    for (const auto& e : elems) types.push_back(e.type());
    if (types.empty()) {
      elem = Type::dynamic();
    } else if (auto u = unify(types)) {
      elem = *u;
    } else {
      return fail(want.kind() == Type::Kind::set ? "all set elements must have the same type"
                                                 : "all list elements must have the same type");
    }
  }
  std::vector<Value> out;
  out.reserve(elems.size());
  for (size_t i = 0; i < elems.size(); ++i) {
    auto r = convert(elems[i], elem);
    if (!r.ok()) return prefixed(std::move(r), "element " + std::to_string(i) + ": ");
    out.push_back(std::move(r.value));
  }
  if (want.kind() == Type::Kind::set) return {Value::set(std::move(out), elem), {}};
  return {Value::list(std::move(out), elem), {}};
}

ConvertResult convert_map(const Value& in, const Type& want) {
  const auto& entries = in.entries();
  Type elem = want.element();
  if (elem.is_dynamic()) {
    std::vector<Type> types;
    for (const auto& e : entries) types.push_back(e.second.type());
    if (types.empty()) {
      elem = Type::dynamic();
    } else if (auto u = unify(types)) {
      elem = *u;
    } else {
      return fail("all map elements must have the same type");
    }
  }
  std::vector<Value::Entry> out;
  out.reserve(entries.size());
  for (const auto& [k, v] : entries) {
    auto r = convert(v, elem);
    if (!r.ok()) return prefixed(std::move(r), "element \"" + k + "\": ");
    out.emplace_back(k, std::move(r.value));
  }
  return {Value::map(std::move(out), elem), {}};
}

ConvertResult convert_object(const Value& in, const Type& want) {
  // Attributes the target type does not have are dropped, as cty does.
  std::vector<Value::Entry> out;
  bool from_map = in.type().kind() == Type::Kind::map;
  for (const auto& [name, type] : want.attributes()) {
    const Value* v = in.get(name);
    if (!v) {
      if (want.is_optional_attribute(name)) {
        out.emplace_back(name, Value::null(type));
        continue;
      }
      return fail(from_map ? "map has no element for required attribute \"" + name + "\""
                           : "attribute \"" + name + "\" is required");
    }
    auto r = convert(*v, type);
    if (!r.ok()) return prefixed(std::move(r), "attribute \"" + name + "\": ");
    out.emplace_back(name, std::move(r.value));
  }
  // Keep the declared attribute types even where a value is null.
  Value obj = Value::object(std::move(out));
  return {std::move(obj), {}};
}

ConvertResult convert_tuple(const Value& in, const Type& want) {
  const auto& elems = in.elements();
  const auto& types = want.elements();
  if (elems.size() != types.size()) {
    return fail("tuple required with exactly " + std::to_string(types.size()) + " elements");
  }
  std::vector<Value> out;
  for (size_t i = 0; i < elems.size(); ++i) {
    auto r = convert(elems[i], types[i]);
    if (!r.ok()) return prefixed(std::move(r), "element " + std::to_string(i) + ": ");
    out.push_back(std::move(r.value));
  }
  return {Value::tuple(std::move(out)), {}};
}

}  // namespace

ConvertResult convert(const Value& in, const Type& want) {
  if (want.is_dynamic()) return {in, {}};
  if (in.is_null()) return {Value::null(want), {}};
  if (in.type() == want) return {in, {}};
  const Type& got = in.type();
  switch (want.kind()) {
    case Type::Kind::string:
      if (got.kind() == Type::Kind::number) return {Value::string(in.as_number().to_string()), {}};
      if (got.kind() == Type::Kind::boolean)
        return {Value::string(in.as_bool() ? "true" : "false"), {}};
      return fail(mismatch(want));
    case Type::Kind::number:
      if (got.kind() == Type::Kind::string) {
        if (auto n = Number::parse(in.as_string())) return {Value::number(*n), {}};
        return fail("a number is required");
      }
      return fail(mismatch(want));
    case Type::Kind::boolean:
      if (got.kind() == Type::Kind::string) {
        const std::string& s = in.as_string();
        if (s == "true" || s == "1") return {Value::boolean(true), {}};
        if (s == "false" || s == "0") return {Value::boolean(false), {}};
        if (s == "True" || s == "TRUE")
          return fail("a bool is required; to convert from string, use lowercase \"true\"");
        if (s == "False" || s == "FALSE")
          return fail("a bool is required; to convert from string, use lowercase \"false\"");
        return fail("a bool is required");
      }
      return fail(mismatch(want));
    case Type::Kind::list:
    case Type::Kind::set:
      if (got.is_list_like()) return convert_sequence(in, want);
      return fail(mismatch(want));
    case Type::Kind::map:
      if (got.is_map_like()) return convert_map(in, want);
      return fail(mismatch(want));
    case Type::Kind::object:
      if (got.is_map_like()) return convert_object(in, want);
      return fail(mismatch(want));
    case Type::Kind::tuple:
      if (got.is_list_like()) return convert_tuple(in, want);
      return fail(mismatch(want));
    case Type::Kind::dynamic:
      break;
  }
  return {in, {}};
}

std::optional<Type> unify(const std::vector<Type>& types) {
  if (types.empty()) return Type::dynamic();
  bool all_equal =
      std::all_of(types.begin(), types.end(), [&](const Type& t) { return t == types[0]; });
  if (all_equal) return types[0];
  std::vector<Type> known;
  for (const auto& t : types) {
    if (!t.is_dynamic()) known.push_back(t);
  }
  if (known.size() != types.size()) return Type::dynamic();

  bool all_primitive =
      std::all_of(known.begin(), known.end(), [](const Type& t) { return t.is_primitive(); });
  if (all_primitive) {
    bool has_string = std::any_of(known.begin(), known.end(),
                                  [](const Type& t) { return t.kind() == Type::Kind::string; });
    if (has_string) return Type::string();
    return std::nullopt;  // number and bool do not mix
  }

  bool all_map_like =
      std::all_of(known.begin(), known.end(), [](const Type& t) { return t.is_map_like(); });
  if (all_map_like) {
    bool all_objects = std::all_of(known.begin(), known.end(),
                                   [](const Type& t) { return t.kind() == Type::Kind::object; });
    if (all_objects) {
      auto names = [](const Type& t) {
        std::vector<std::string> n;
        for (const auto& a : t.attributes()) n.push_back(a.first);
        return n;
      };
      auto first = names(known[0]);
      bool same_names =
          std::all_of(known.begin(), known.end(), [&](const Type& t) { return names(t) == first; });
      if (same_names) {
        std::vector<Type::Attribute> attrs;
        for (const auto& name : first) {
          std::vector<Type> ts;
          for (const auto& t : known) ts.push_back(*t.attribute(name));
          auto u = unify(ts);
          if (!u) return std::nullopt;
          attrs.emplace_back(name, *u);
        }
        return Type::object(std::move(attrs));
      }
    }
    std::vector<Type> elems;
    for (const auto& t : known) {
      if (t.kind() == Type::Kind::map) {
        elems.push_back(t.element());
      } else {
        for (const auto& a : t.attributes()) elems.push_back(a.second);
      }
    }
    auto u = unify(elems);
    if (!u) return std::nullopt;
    return Type::map(*u);
  }

  bool all_list_like =
      std::all_of(known.begin(), known.end(), [](const Type& t) { return t.is_list_like(); });
  if (all_list_like) {
    bool all_tuples = std::all_of(known.begin(), known.end(),
                                  [](const Type& t) { return t.kind() == Type::Kind::tuple; });
    if (all_tuples) {
      size_t n = known[0].elements().size();
      bool same_len = std::all_of(known.begin(), known.end(),
                                  [&](const Type& t) { return t.elements().size() == n; });
      if (same_len) {
        std::vector<Type> out;
        for (size_t i = 0; i < n; ++i) {
          std::vector<Type> ts;
          for (const auto& t : known) ts.push_back(t.elements()[i]);
          auto u = unify(ts);
          if (!u) return std::nullopt;
          out.push_back(*u);
        }
        return Type::tuple(std::move(out));
      }
    }
    bool any_set = std::any_of(known.begin(), known.end(),
                               [](const Type& t) { return t.kind() == Type::Kind::set; });
    std::vector<Type> elems;
    for (const auto& t : known) {
      if (t.kind() == Type::Kind::tuple) {
        for (const auto& e : t.elements()) elems.push_back(e);
      } else {
        elems.push_back(t.element());
      }
    }
    auto u = unify(elems);
    if (!u) return std::nullopt;
    return any_set ? Type::set(*u) : Type::list(*u);
  }
  return std::nullopt;
}

}  // namespace warden::hcl
