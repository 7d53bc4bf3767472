// The collection functions: go-cty's stdlib collection.go, general.go and sequence.go.
#include <algorithm>

#include "common.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

using K = Type::Kind;
const Type kAny = Type::dynamic();
const Type kNumber = Type::number();
const Type kString = Type::string();

bool is(const Value& v, K k) {
  return v.type().kind() == k;
}

// cty's HasIndex on a list or tuple: a whole, non-negative number below the length.
std::optional<size_t> sequence_index(const Value& seq, const Value& key) {
  auto i = to_int(key);
  if (!i || *i < 0 || static_cast<size_t>(*i) >= seq.length()) return std::nullopt;
  return static_cast<size_t>(*i);
}

CallResult length(std::span<const Value> a) {
  K k = a[0].type().kind();
  if (k != K::list && k != K::set && k != K::tuple && k != K::map) {
    return CallResult::fail("collection must be a list, a map or a tuple");
  }
  return CallResult::ok(Value::number(static_cast<int64_t>(a[0].length())));
}

CallResult element(std::span<const Value> a) {
  const Value& list = a[0];
  if (a[1].as_number().sign() < 0)
    return CallResult::fail("cannot use element function with a negative index");
  if (!is(list, K::list) && !is(list, K::tuple)) {
    return CallResult::fail("cannot read elements from " + list.type().friendly_name());
  }
  auto index = to_int(a[1]);
  if (!index) return CallResult::fail("invalid index: " + std::string(kWholeNumber));
  if (list.length() == 0) return CallResult::fail("cannot use element function with an empty list");
  // The index wraps around, so element(list, length) is the first element again.
  return CallResult::ok(list.elements()[static_cast<size_t>(*index) % list.length()]);
}

CallResult index(std::span<const Value> a) {
  const Value& coll = a[0];
  const Value& key = a[1];
  K kk = key.type().kind();
  switch (coll.type().kind()) {
    case K::tuple: {
      if (kk != K::number && kk != K::dynamic)
        return CallResult::fail("key for tuple must be number");
      auto i = to_int(key);
      if (!i) return CallResult::fail("invalid key for tuple: " + std::string(kWholeNumber));
      if (*i < 0 || static_cast<size_t>(*i) >= coll.length()) {
        return CallResult::fail("key must be between 0 and " + std::to_string(coll.length()) +
                                " inclusive");
      }
      return CallResult::ok(coll.elements()[static_cast<size_t>(*i)]);
    }
    case K::list: {
      if (kk != K::number && kk != K::dynamic)
        return CallResult::fail("key for list must be number");
      auto i = sequence_index(coll, key);
      if (!i) return CallResult::fail("invalid index");
      return CallResult::ok(coll.elements()[*i]);
    }
    case K::map: {
      if (kk != K::string && kk != K::dynamic)
        return CallResult::fail("key for map must be string");
      const Value* v = coll.get(key.as_string());
      if (!v) return CallResult::fail("invalid index");
      return CallResult::ok(*v);
    }
    default:
      return CallResult::fail("collection must be a list, a map or a tuple");
  }
}

CallResult lookup(std::span<const Value> a) {
  const Value& m = a[0];
  const std::string& key = a[1].as_string();
  if (is(m, K::object)) {
    if (const Value* v = m.get(key)) return CallResult::ok(*v);
    return CallResult::ok(a[2]);
  }
  if (is(m, K::map)) {
    auto def = convert(a[2], m.type().element());
    if (!def.ok())
      return CallResult::bad_arg(2,
                                 "the default value must have the same type as the map elements");
    if (const Value* v = m.get(key)) return CallResult::ok(*v);
    return CallResult::ok(def.value);
  }
  return CallResult::bad_arg(0, "lookup() requires a map as the first argument");
}

CallResult keys(std::span<const Value> a) {
  const Value& m = a[0];
  if (!m.type().is_map_like()) return CallResult::bad_arg(0, "must have map or object type");
  std::vector<Value> out;
  for (const auto& [k, v] : m.entries()) out.push_back(Value::string(k));
  if (is(m, K::map)) return CallResult::ok(Value::list(std::move(out), kString));
  return CallResult::ok(Value::tuple(std::move(out)));
}

CallResult values(std::span<const Value> a) {
  const Value& m = a[0];
  if (!m.type().is_map_like())
    return CallResult::fail("values() requires a map as the first argument");
  std::vector<Value> out;
  for (const auto& [k, v] : m.entries()) out.push_back(v);
  if (is(m, K::map)) return CallResult::ok(Value::list(std::move(out), m.type().element()));
  return CallResult::ok(Value::tuple(std::move(out)));
}

CallResult merge(std::span<const Value> a) {
  if (a.empty()) return CallResult::ok(Value::object({}));
  // The result is a map only when every argument has the same map type; with a `null` literal
  // (dynamic type) cty gives up on typing and builds an object.
  bool dynamic = false;
  for (const auto& v : a) {
    if (v.type().is_dynamic()) {
      dynamic = true;
      break;
    }
    if (!v.type().is_map_like()) {
      return CallResult::fail("arguments must be maps or objects, got " +
                              go_quote(v.type().friendly_name()));
    }
  }
  bool matching = !dynamic && std::all_of(a.begin(), a.end(),
                                          [&](const Value& v) { return v.type() == a[0].type(); });
  std::vector<Value::Entry> entries;
  for (const auto& v : a) {
    if (v.is_null()) continue;
    for (const auto& e : v.entries())
      entries.push_back(e);  // Value::map/object keep the last duplicate
  }
  if (matching && is(a[0], K::map))
    return CallResult::ok(Value::map(std::move(entries), a[0].type().element()));
  return CallResult::ok(Value::object(std::move(entries)));
}

CallResult zipmap(std::span<const Value> a) {
  const auto& ks = a[0].elements();
  const Value& vals = a[1];
  if (!is(vals, K::list) && !is(vals, K::tuple))
    return CallResult::fail("values argument must be a list or tuple value");
  if (ks.size() != vals.length()) {
    return CallResult::fail("number of keys (" + std::to_string(ks.size()) +
                            ") does not match number of values (" + std::to_string(vals.length()) +
                            ")");
  }
  std::vector<Value::Entry> entries;
  for (size_t i = 0; i < ks.size(); ++i) {
    if (ks[i].is_null())
      return CallResult::fail("keys list has null value at index " + std::to_string(i));
    entries.emplace_back(ks[i].as_string(), vals.elements()[i]);
  }
  if (is(vals, K::list))
    return CallResult::ok(Value::map(std::move(entries), vals.type().element()));
  return CallResult::ok(Value::object(std::move(entries)));
}

CallResult concat(std::span<const Value> a) {
  if (a.empty()) return CallResult::fail("at least one argument is required");
  // Only lists throughout make a list; anything else concatenates into a tuple.
  if (is(a[0], K::list) &&
      std::all_of(a.begin(), a.end(), [](const Value& v) { return is(v, K::list); })) {
    std::vector<Type> types;
    for (const auto& v : a) types.push_back(v.type());
    if (auto common = unify(types)) {
      std::vector<Value> out;
      for (size_t i = 0; i < a.size(); ++i) {
        auto c = convert(a[i], *common);
        if (!c.ok()) return CallResult::bad_arg(static_cast<int>(i), c.error);
        for (const auto& e : c.value.elements()) out.push_back(e);
      }
      return CallResult::ok(Value::list(std::move(out), common->element()));
    }
  }
  std::vector<Value> out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!is(a[i], K::list) && !is(a[i], K::tuple)) {
      return CallResult::bad_arg(
          static_cast<int>(i),
          "all arguments must be lists or tuples; got " + a[i].type().friendly_name());
    }
    for (const auto& e : a[i].elements()) out.push_back(e);
  }
  return CallResult::ok(Value::tuple(std::move(out)));
}

CallResult contains(std::span<const Value> a) {
  if (!a[0].type().is_list_like()) return CallResult::fail("argument must be list, tuple, or set");
  for (const auto& e : a[0].elements()) {
    if (a[1].equals(e)) return CallResult::ok(Value::boolean(true));
  }
  return CallResult::ok(Value::boolean(false));
}

CallResult distinct(std::span<const Value> a) {
  std::vector<Value> out;
  for (const auto& e : a[0].elements()) {
    if (std::none_of(out.begin(), out.end(), [&](const Value& o) { return o.equals(e); }))
      out.push_back(e);
  }
  return CallResult::ok(Value::list(std::move(out), a[0].type().element()));
}

CallResult chunklist(std::span<const Value> a) {
  const Value& list = a[0];
  auto size = to_int(a[1]);
  if (!size) return CallResult::fail("invalid size: " + std::string(kWholeNumber));
  if (*size < 0) return CallResult::fail("the size argument must be positive");
  std::vector<Value> chunks;
  if (list.length() > 0) {
    if (*size == 0) {
      chunks.push_back(list);
    } else {
      const auto& elems = list.elements();
      for (size_t i = 0; i < elems.size(); i += static_cast<size_t>(*size)) {
        size_t end = std::min(elems.size(), i + static_cast<size_t>(*size));
        std::vector<Value> chunk(elems.begin() + static_cast<ptrdiff_t>(i),
                                 elems.begin() + static_cast<ptrdiff_t>(end));
        chunks.push_back(Value::list(std::move(chunk), list.type().element()));
      }
    }
  }
  return CallResult::ok(Value::list(std::move(chunks), list.type()));
}

CallResult compact(std::span<const Value> a) {
  std::vector<Value> out;
  for (const auto& e : a[0].elements()) {
    if (!e.is_null() && !e.as_string().empty()) out.push_back(e);
  }
  return CallResult::ok(Value::list(std::move(out), kString));
}

CallResult coalesce(std::span<const Value> a) {
  std::vector<Type> types;
  for (const auto& v : a) types.push_back(v.type());
  auto common = a.empty() ? std::nullopt : unify(types);
  if (!common) return CallResult::fail("all arguments must have the same type");
  for (const auto& v : a) {
    if (v.is_null()) continue;
    auto c = convert(v, *common);
    if (!c.ok()) return CallResult::fail(c.error);
    return CallResult::ok(c.value);
  }
  return CallResult::fail("no non-null arguments");
}

CallResult coalescelist(std::span<const Value> a) {
  if (a.empty()) return CallResult::fail("at least one argument is required");
  for (const auto& v : a) {
    if (!is(v, K::list) && !is(v, K::tuple))
      return CallResult::fail("coalescelist arguments must be lists or tuples");
  }
  for (const auto& v : a) {
    if (!v.is_null() && v.length() > 0) return CallResult::ok(v);
  }
  return CallResult::fail("no non-null arguments");
}

void flatten_into(const Value& v, std::vector<Value>& out) {
  for (const auto& e : v.elements()) {
    if (e.type().is_list_like()) {
      if (!e.is_null()) flatten_into(e, out);
    } else {
      out.push_back(e);
    }
  }
}

CallResult flatten(std::span<const Value> a) {
  if (!a[0].type().is_list_like())
    return CallResult::fail("can only flatten lists, sets and tuples");
  std::vector<Value> out;
  flatten_into(a[0], out);
  return CallResult::ok(Value::tuple(std::move(out)));
}

CallResult slice(std::span<const Value> a) {
  const Value& list = a[0];
  if (is(list, K::set)) {
    return CallResult::bad_arg(
        0,
        "cannot slice a set, because its elements do not have indices; explicitly convert to a "
        "list if the ordering of the result is not important");
  }
  if (!is(list, K::list) && !is(list, K::tuple))
    return CallResult::bad_arg(0, "must be a list or tuple value");
  auto start = to_int(a[1]);
  if (!start) return CallResult::bad_arg(1, "invalid start index: " + std::string(kWholeNumber));
  auto len = static_cast<int64_t>(list.length());
  if (*start < 0) return CallResult::bad_arg(1, "start index must not be less than zero");
  if (*start > len)
    return CallResult::bad_arg(1, "start index must not be greater than the length of the list");
  auto end = to_int(a[2]);
  if (!end) return CallResult::bad_arg(2, "invalid end index: " + std::string(kWholeNumber));
  if (*end < 0) return CallResult::bad_arg(2, "end index must not be less than zero");
  if (*end > len)
    return CallResult::bad_arg(2, "end index must not be greater than the length of the list");
  if (*start > *end)
    return CallResult::bad_arg(1, "start index must not be greater than end index");
  const auto& elems = list.elements();
  std::vector<Value> out(elems.begin() + *start, elems.begin() + *end);
  if (is(list, K::tuple)) return CallResult::ok(Value::tuple(std::move(out)));
  return CallResult::ok(Value::list(std::move(out), list.type().element()));
}

CallResult sort(std::span<const Value> a) {
  std::vector<std::string> items;
  const auto& elems = a[0].elements();
  for (size_t i = 0; i < elems.size(); ++i) {
    if (elems[i].is_null()) {
      return CallResult::fail("given list element " + std::to_string(i) +
                              " is null; a null string cannot be sorted");
    }
    items.push_back(elems[i].as_string());
  }
  std::sort(items.begin(), items.end());  // bytewise, as Go's sort.Strings
  return CallResult::ok(string_list(items));
}

}  // namespace

void add_collection_functions(FunctionTable& t) {
  t.add("length", fixed({param("collection", kAny)}, length));
  t.add("element", fixed({param("list", kAny), param("index", kNumber)}, element));
  t.add("index", fixed({param("collection", kAny), param("key", kAny)}, index));
  t.add("lookup",
        fixed({param("inputMap", kAny), param("key", kString), param("default", kAny, true)},
              lookup));
  t.add("keys", fixed({param("inputMap", kAny)}, keys));
  t.add("values", fixed({param("values", kAny)}, values));
  t.add("merge", variadic({}, param("maps", kAny, true), merge));
  t.add("zipmap", fixed({param("keys", Type::list(kString)), param("values", kAny)}, zipmap));
  t.add("concat", variadic({}, param("seqs", kAny), concat));
  t.add("contains", fixed({param("list", kAny), param("value", kAny)}, contains));
  t.add("distinct", fixed({param("list", Type::list(kAny))}, distinct));
  t.add("chunklist", fixed({param("list", Type::list(kAny)), param("size", kNumber)}, chunklist));
  t.add("compact", fixed({param("list", Type::list(kString))}, compact));
  t.add("coalesce", variadic({}, param("vals", kAny, true), coalesce));
  t.add("coalescelist", variadic({}, param("vals", kAny, true), coalescelist));
  t.add("flatten", fixed({param("list", kAny)}, flatten));
  t.add("slice",
        fixed({param("list", kAny), param("start_index", kNumber), param("end_index", kNumber)},
              slice));
  t.add("sort", fixed({param("list", Type::list(kString))}, sort));
  add_set_functions(t);
}

}  // namespace warden::hcl
