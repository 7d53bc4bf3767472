#include "json_value.hpp"

#include <simdjson.h>

#include "warden/core/json_writer.hpp"

namespace warden::job::detail {
namespace {

hcl::Value convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<hcl::Value::Entry> entries;
      for (auto field : simdjson::dom::object(e))
        entries.emplace_back(std::string(field.key), convert(field.value));
      return hcl::Value::object(std::move(entries));
    }
    case simdjson::dom::element_type::ARRAY: {
      std::vector<hcl::Value> items;
      for (auto item : simdjson::dom::array(e)) items.push_back(convert(item));
      return hcl::Value::tuple(std::move(items));
    }
    case simdjson::dom::element_type::STRING:
      return hcl::Value::string(std::string_view(e));
    case simdjson::dom::element_type::INT64:
      return hcl::Value::number(int64_t(e));
    case simdjson::dom::element_type::UINT64: {
      // Beyond int64: keep the exact digits.
      return hcl::Value::number(*hcl::Number::parse(std::to_string(uint64_t(e))));
    }
    case simdjson::dom::element_type::DOUBLE: {
      // Through the shortest text of the double, so that 0.1 reads as the decimal 0.1.
      return hcl::Value::number(*hcl::Number::parse(JsonWriter::format_double(double(e))));
    }
    case simdjson::dom::element_type::BOOL:
      return hcl::Value::boolean(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
      return hcl::Value();
  }
  return hcl::Value();
}

}  // namespace

std::optional<hcl::Value> json_to_value(std::string_view json, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  auto err = parser.parse(padded).get(root);
  if (err) {
    error = simdjson::error_message(err);
    return std::nullopt;
  }
  return convert(root);
}

}  // namespace warden::job::detail
