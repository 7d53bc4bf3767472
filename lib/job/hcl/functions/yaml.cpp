// yamldecode and yamlencode, as go-cty-yaml's YAMLDecodeFunc and YAMLEncodeFunc.
#include "yaml.hpp"
#include "common.hpp"

namespace warden::hcl::fn {

void add_yaml_functions(FunctionTable& t) {
  t.add("yamldecode", fixed({param("src", Type::string())}, [](std::span<const Value> a) {
          try {
            return CallResult::ok(yaml_decode(a[0].as_string()));
          } catch (const YamlError& e) {
            return CallResult::fail(e.message);
          }
        }));
  t.add("yamlencode", fixed({param("value", Type::dynamic(), true)}, [](std::span<const Value> a) {
          try {
            return CallResult::ok(Value::string(yaml_encode(a[0])));
          } catch (const YamlError& e) {
            return CallResult::fail(e.message);
          }
        }));
}

}  // namespace warden::hcl::fn
