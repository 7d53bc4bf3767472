#include "warden/job/hcl/type.hpp"

#include <algorithm>

namespace warden::hcl {

struct Type::Impl {
  Kind kind;
  std::vector<Type> elems;  // one element for list/set/map; all elements for tuple
  std::vector<Attribute> attrs;
  std::vector<std::string> optional;
};

namespace {

std::shared_ptr<const Type::Impl> primitive(Type::Kind k) {
  return std::make_shared<const Type::Impl>(Type::Impl{k, {}, {}, {}});
}

const std::vector<Type> kNoTypes;

}  // namespace

Type::Type() : Type(dynamic()) {}

Type Type::dynamic() {
  static const std::shared_ptr<const Impl> p = primitive(Kind::dynamic);
  return Type(p);
}
Type Type::string() {
  static const std::shared_ptr<const Impl> p = primitive(Kind::string);
  return Type(p);
}
Type Type::number() {
  static const std::shared_ptr<const Impl> p = primitive(Kind::number);
  return Type(p);
}
Type Type::boolean() {
  static const std::shared_ptr<const Impl> p = primitive(Kind::boolean);
  return Type(p);
}
Type Type::list(Type element) {
  return Type(std::make_shared<const Impl>(Impl{Kind::list, {std::move(element)}, {}, {}}));
}
Type Type::set(Type element) {
  return Type(std::make_shared<const Impl>(Impl{Kind::set, {std::move(element)}, {}, {}}));
}
Type Type::map(Type element) {
  return Type(std::make_shared<const Impl>(Impl{Kind::map, {std::move(element)}, {}, {}}));
}
Type Type::tuple(std::vector<Type> elements) {
  return Type(std::make_shared<const Impl>(Impl{Kind::tuple, std::move(elements), {}, {}}));
}
Type Type::object(std::vector<Attribute> attributes, std::vector<std::string> optional) {
  std::sort(attributes.begin(), attributes.end(),
            [](const Attribute& a, const Attribute& b) { return a.first < b.first; });
  std::sort(optional.begin(), optional.end());
  return Type(std::make_shared<const Impl>(
      Impl{Kind::object, {}, std::move(attributes), std::move(optional)}));
}

Type::Kind Type::kind() const {
  return p_->kind;
}

bool Type::is_primitive() const {
  Kind k = kind();
  return k == Kind::string || k == Kind::number || k == Kind::boolean;
}
bool Type::is_collection() const {
  Kind k = kind();
  return k == Kind::list || k == Kind::set || k == Kind::map;
}
bool Type::is_list_like() const {
  Kind k = kind();
  return k == Kind::list || k == Kind::set || k == Kind::tuple;
}
bool Type::is_map_like() const {
  Kind k = kind();
  return k == Kind::map || k == Kind::object;
}

const Type& Type::element() const {
  return p_->elems.at(0);
}
const std::vector<Type>& Type::elements() const {
  return kind() == Kind::tuple ? p_->elems : kNoTypes;
}
const std::vector<Type::Attribute>& Type::attributes() const {
  return p_->attrs;
}

const Type* Type::attribute(std::string_view name) const {
  const auto& a = p_->attrs;
  auto it = std::lower_bound(a.begin(), a.end(), name,
                             [](const Attribute& x, std::string_view n) { return x.first < n; });
  if (it != a.end() && it->first == name) return &it->second;
  return nullptr;
}

bool Type::is_optional_attribute(std::string_view name) const {
  return std::binary_search(p_->optional.begin(), p_->optional.end(), name);
}

bool Type::has_dynamic() const {
  switch (kind()) {
    case Kind::dynamic:
      return true;
    case Kind::list:
    case Kind::set:
    case Kind::map:
      return element().has_dynamic();
    case Kind::tuple:
      return std::any_of(p_->elems.begin(), p_->elems.end(),
                         [](const Type& t) { return t.has_dynamic(); });
    case Kind::object:
      return std::any_of(p_->attrs.begin(), p_->attrs.end(),
                         [](const Attribute& a) { return a.second.has_dynamic(); });
    default:
      return false;
  }
}

std::string Type::friendly_name() const {
  switch (kind()) {
    case Kind::dynamic:
      return "dynamic";
    case Kind::string:
      return "string";
    case Kind::number:
      return "number";
    case Kind::boolean:
      return "bool";
    case Kind::list:
      return "list of " + element().friendly_name();
    case Kind::set:
      return "set of " + element().friendly_name();
    case Kind::map:
      return "map of " + element().friendly_name();
    case Kind::tuple:
      return "tuple";
    case Kind::object:
      return "object";
  }
  return "?";
}

std::string Type::to_string() const {
  switch (kind()) {
    case Kind::dynamic:
      return "any";
    case Kind::string:
      return "string";
    case Kind::number:
      return "number";
    case Kind::boolean:
      return "bool";
    case Kind::list:
      return "list(" + element().to_string() + ")";
    case Kind::set:
      return "set(" + element().to_string() + ")";
    case Kind::map:
      return "map(" + element().to_string() + ")";
    case Kind::tuple: {
      std::string s = "tuple([";
      for (size_t i = 0; i < p_->elems.size(); ++i) {
        if (i) s += ", ";
        s += p_->elems[i].to_string();
      }
      return s + "])";
    }
    case Kind::object: {
      std::string s = "object({";
      for (size_t i = 0; i < p_->attrs.size(); ++i) {
        if (i) s += ", ";
        s += p_->attrs[i].first + "=";
        if (is_optional_attribute(p_->attrs[i].first)) {
          s += "optional(" + p_->attrs[i].second.to_string() + ")";
        } else {
          s += p_->attrs[i].second.to_string();
        }
      }
      return s + "})";
    }
  }
  return "?";
}

bool operator==(const Type& a, const Type& b) {
  if (a.p_ == b.p_) return true;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Type::Kind::list:
    case Type::Kind::set:
    case Type::Kind::map:
    case Type::Kind::tuple:
      return a.p_->elems == b.p_->elems;
    case Type::Kind::object:
      return a.p_->attrs == b.p_->attrs && a.p_->optional == b.p_->optional;
    default:
      return true;
  }
}

}  // namespace warden::hcl
