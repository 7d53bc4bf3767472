// HCL values (go-cty's model): immutable, typed, and cheap to copy (collections are shared).
//
// Maps and objects keep their entries sorted by key and sets keep their elements sorted, so
// iteration order is deterministic, as in cty.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "warden/job/hcl/number.hpp"
#include "warden/job/hcl/type.hpp"

namespace warden {
class JsonWriter;
}

namespace warden::hcl {

class Value {
 public:
  using Entry = std::pair<std::string, Value>;

  Value();  // null of dynamic type: what the literal `null` evaluates to
  static Value null(Type type);
  // Strings are normalized to Unicode NFC, as cty does.
  static Value string(std::string_view s);
  static Value number(Number n);
  static Value number(int64_t n) { return number(Number(n)); }
  static Value boolean(bool b);
  // Elements must already have the element type (see convert.hpp to get there).
  static Value list(std::vector<Value> elements, Type element_type);
  static Value set(std::vector<Value> elements, Type element_type);  // sorts and removes duplicates
  static Value map(std::vector<Entry> entries,
                   Type element_type);  // sorts by key; last duplicate wins
  static Value tuple(std::vector<Value> elements);
  static Value object(std::vector<Entry> entries);  // sorts by key; last duplicate wins

  const Type& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }

  bool as_bool() const { return std::get<bool>(data_); }
  const Number& as_number() const { return std::get<Number>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }

  // list, set, tuple
  const std::vector<Value>& elements() const;
  // map, object (sorted by key)
  const std::vector<Entry>& entries() const;
  // An entry of a map or object, or nullptr.
  const Value* get(std::string_view key) const;
  // Number of elements or entries (0 for null and primitives).
  size_t length() const;

  // cty's Equals: nulls equal each other; otherwise types and contents must match.
  bool equals(const Value& other) const;
  friend bool operator==(const Value& a, const Value& b) { return a.equals(b); }
  // A total order used to sort set elements.
  static bool less(const Value& a, const Value& b);

  // JSON as cty's encoding: lists, sets and tuples are arrays, maps and objects are objects.
  void write_json(JsonWriter& w) const;
  std::string to_json() const;
  // A short rendering for messages: strings quoted, collections as JSON.
  std::string display() const;

 private:
  using Seq = std::shared_ptr<const std::vector<Value>>;
  using Entries = std::shared_ptr<const std::vector<Entry>>;

  Type type_;
  std::variant<std::monostate, bool, Number, std::string, Seq, Entries> data_;
};

}  // namespace warden::hcl
