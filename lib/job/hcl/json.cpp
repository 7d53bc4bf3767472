#include "warden/job/hcl/json.hpp"

#include <simdjson.h>

#include "warden/core/json_writer.hpp"

namespace warden::hcl {
namespace {

Value convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<Value::Entry> entries;
      for (auto field : simdjson::dom::object(e))
        entries.emplace_back(std::string(field.key), convert(field.value));
      return Value::object(std::move(entries));
    }
    case simdjson::dom::element_type::ARRAY: {
      std::vector<Value> items;
      for (auto item : simdjson::dom::array(e)) items.push_back(convert(item));
      return Value::tuple(std::move(items));
    }
    case simdjson::dom::element_type::STRING:
      return Value::string(std::string_view(e));
    case simdjson::dom::element_type::INT64:
      return Value::number(int64_t(e));
    case simdjson::dom::element_type::UINT64: {
      // Beyond int64: keep the exact digits.
      return Value::number(*Number::parse(std::to_string(uint64_t(e))));
    }
    case simdjson::dom::element_type::DOUBLE: {
      // Through the shortest text of the double, so that 0.1 reads as the decimal 0.1.
      return Value::number(*Number::parse(JsonWriter::format_double(double(e))));
    }
    case simdjson::dom::element_type::BOOL:
      return Value::boolean(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
      return Value();
  }
  return Value();
}

}  // namespace

std::optional<Value> value_from_json(std::string_view json, std::string& error) {
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

}  // namespace warden::hcl
