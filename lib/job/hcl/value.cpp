#include "warden/job/hcl/value.hpp"

#include <algorithm>

#include "warden/core/json_writer.hpp"
#include "warden/core/unicode.hpp"

namespace warden::hcl {
namespace {

const std::vector<Value> kNoValues;
const std::vector<Value::Entry> kNoEntries;

void sort_entries(std::vector<Value::Entry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Value::Entry& a, const Value::Entry& b) { return a.first < b.first; });
  // Keep the last of equal keys.
  std::vector<Value::Entry> out;
  out.reserve(entries.size());
  for (auto& e : entries) {
    if (!out.empty() && out.back().first == e.first) {
      out.back() = std::move(e);
    } else {
      out.push_back(std::move(e));
    }
  }
  entries = std::move(out);
}

int kind_rank(const Value& v) {
  if (v.is_null()) return 0;
  return static_cast<int>(v.type().kind()) + 1;
}

}  // namespace

Value::Value() : type_(Type::dynamic()) {}

Value Value::null(Type type) {
  Value v;
  v.type_ = std::move(type);
  return v;
}

Value Value::string(std::string_view s) {
  Value v;
  v.type_ = Type::string();
  v.data_ = unicode::is_ascii(s) ? std::string(s) : unicode::nfc(s);
  return v;
}

Value Value::number(Number n) {
  Value v;
  v.type_ = Type::number();
  v.data_ = std::move(n);
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.type_ = Type::boolean();
  v.data_ = b;
  return v;
}

Value Value::list(std::vector<Value> elements, Type element_type) {
  Value v;
  v.type_ = Type::list(std::move(element_type));
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::set(std::vector<Value> elements, Type element_type) {
  std::sort(elements.begin(), elements.end(), less);
  elements.erase(std::unique(elements.begin(), elements.end(),
                             [](const Value& a, const Value& b) { return a.equals(b); }),
                 elements.end());
  Value v;
  v.type_ = Type::set(std::move(element_type));
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::map(std::vector<Entry> entries, Type element_type) {
  sort_entries(entries);
  Value v;
  v.type_ = Type::map(std::move(element_type));
  v.data_ = std::make_shared<const std::vector<Entry>>(std::move(entries));
  return v;
}

Value Value::tuple(std::vector<Value> elements) {
  std::vector<Type> types;
  types.reserve(elements.size());
  for (const auto& e : elements) types.push_back(e.type());
  Value v;
  v.type_ = Type::tuple(std::move(types));
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::object(std::vector<Entry> entries) {
  sort_entries(entries);
  std::vector<Type::Attribute> attrs;
  attrs.reserve(entries.size());
  for (const auto& e : entries) attrs.emplace_back(e.first, e.second.type());
  Value v;
  v.type_ = Type::object(std::move(attrs));
  v.data_ = std::make_shared<const std::vector<Entry>>(std::move(entries));
  return v;
}

const std::vector<Value>& Value::elements() const {
  if (auto* s = std::get_if<Seq>(&data_)) return **s;
  return kNoValues;
}

const std::vector<Value::Entry>& Value::entries() const {
  if (auto* e = std::get_if<Entries>(&data_)) return **e;
  return kNoEntries;
}

const Value* Value::get(std::string_view key) const {
  const auto& es = entries();
  auto it = std::lower_bound(es.begin(), es.end(), key,
                             [](const Entry& e, std::string_view k) { return e.first < k; });
  if (it != es.end() && it->first == key) return &it->second;
  return nullptr;
}

size_t Value::length() const {
  if (auto* s = std::get_if<Seq>(&data_)) return (*s)->size();
  if (auto* e = std::get_if<Entries>(&data_)) return (*e)->size();
  return 0;
}

bool Value::equals(const Value& o) const {
  if (is_null() || o.is_null()) return is_null() && o.is_null();
  if (!(type_ == o.type_)) return false;
  switch (type_.kind()) {
    case Type::Kind::string:
      return as_string() == o.as_string();
    case Type::Kind::number:
      return as_number() == o.as_number();
    case Type::Kind::boolean:
      return as_bool() == o.as_bool();
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::tuple: {
      const auto &a = elements(), &b = o.elements();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].equals(b[i])) return false;
      }
      return true;
    }
    case Type::Kind::map:
    case Type::Kind::object: {
      const auto &a = entries(), &b = o.entries();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first || !a[i].second.equals(b[i].second)) return false;
      }
      return true;
    }
    case Type::Kind::dynamic:
      return true;
  }
  return false;
}

bool Value::less(const Value& a, const Value& b) {
  int ra = kind_rank(a), rb = kind_rank(b);
  if (ra != rb) return ra < rb;
  if (a.is_null()) return false;
  switch (a.type().kind()) {
    case Type::Kind::string:
      return a.as_string() < b.as_string();
    case Type::Kind::number:
      return a.as_number() < b.as_number();
    case Type::Kind::boolean:
      return !a.as_bool() && b.as_bool();
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::tuple:
      return std::lexicographical_compare(a.elements().begin(), a.elements().end(),
                                          b.elements().begin(), b.elements().end(), less);
    case Type::Kind::map:
    case Type::Kind::object:
      return std::lexicographical_compare(a.entries().begin(), a.entries().end(),
                                          b.entries().begin(), b.entries().end(),
                                          [](const Entry& x, const Entry& y) {
                                            if (x.first != y.first) return x.first < y.first;
                                            return less(x.second, y.second);
                                          });
    case Type::Kind::dynamic:
      return false;
  }
  return false;
}

void Value::write_json(JsonWriter& w) const {
  if (is_null()) {
    w.null();
    return;
  }
  switch (type_.kind()) {
    case Type::Kind::string:
      w.string(as_string());
      break;
    case Type::Kind::number: {
      const Number& n = as_number();
      if (n.is_infinite()) {
        w.null();
      } else {
        w.raw_number(n.to_string());
      }
      break;
    }
    case Type::Kind::boolean:
      w.boolean(as_bool());
      break;
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::tuple:
      w.begin_array();
      for (const auto& e : elements()) e.write_json(w);
      w.end_array();
      break;
    case Type::Kind::map:
    case Type::Kind::object:
      w.begin_object();
      for (const auto& [k, v] : entries()) {
        w.key(k);
        v.write_json(w);
      }
      w.end_object();
      break;
    case Type::Kind::dynamic:
      w.null();
      break;
  }
}

std::string Value::to_json() const {
  JsonWriter w;
  write_json(w);
  return w.take();
}

std::string Value::display() const {
  if (is_null()) return "null";
  return to_json();
}

}  // namespace warden::hcl
