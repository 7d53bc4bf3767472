// HCL's type system (go-cty's): primitives, collections (list, set, map) whose elements share one
// type, structural types (tuple, object) whose elements each have their own, and `dynamic`
// (written `any` in type constraints), which stands for "any type" and is the type of `null`.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::hcl {

class Type {
 public:
  enum class Kind : uint8_t { dynamic, string, number, boolean, list, set, map, tuple, object };
  using Attribute = std::pair<std::string, Type>;

  Type();  // dynamic
  static Type dynamic();
  static Type string();
  static Type number();
  static Type boolean();
  static Type list(Type element);
  static Type set(Type element);
  static Type map(Type element);
  static Type tuple(std::vector<Type> elements);
  // Attributes are sorted by name; `optional` names attributes a type constraint lets be absent.
  static Type object(std::vector<Attribute> attributes, std::vector<std::string> optional = {});

  Kind kind() const;
  bool is_dynamic() const { return kind() == Kind::dynamic; }
  bool is_primitive() const;
  bool is_collection() const;                        // list, set, map
  bool is_list_like() const;                         // list, set, tuple
  bool is_map_like() const;                          // map, object
  const Type& element() const;                       // list, set, map
  const std::vector<Type>& elements() const;         // tuple
  const std::vector<Attribute>& attributes() const;  // object, sorted by name
  const Type* attribute(std::string_view name) const;
  bool is_optional_attribute(std::string_view name) const;
  bool has_dynamic() const;  // dynamic anywhere inside

  // "string", "list of number", "object", ... as cty's FriendlyName.
  std::string friendly_name() const;
  // The type constraint syntax: "map(string)", "object({a=number})", "any".
  std::string to_string() const;

  friend bool operator==(const Type& a, const Type& b);

  struct Impl;

 private:
  explicit Type(std::shared_ptr<const Impl> p) : p_(std::move(p)) {}
  std::shared_ptr<const Impl> p_;
};

}  // namespace warden::hcl
