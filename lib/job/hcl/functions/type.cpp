// try, can and convert (hcl's ext/tryfunc and ext/typeexpr).
//
// try and can see their arguments unevaluated, which the evaluator does itself for functions
// marked lazy; the table only has to declare them.
//
// convert's second argument is a type constraint, which upstream HCL decodes without evaluating
// it. Our evaluator evaluates every argument of a non-lazy function, and a bare `string` or
// `list(string)` would be an unknown variable or function there, so convert takes the constraint
// as a string instead: convert(x, "list(string)"). A string of the form "${string}" is also
// accepted, since that is what nomad's lenient decoding turns an unknown bare name into.
#include "common.hpp"
#include "warden/job/hcl/convert.hpp"
#include "warden/job/hcl/parser.hpp"
#include "warden/job/hcl/typeexpr.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

CallResult convert_value(std::span<const Value> a) {
  std::string_view text = a[1].as_string();
  if (text.size() > 3 && text.substr(0, 2) == "${" && text.back() == '}')
    text = text.substr(2, text.size() - 3);
  ParsedExpression parsed = parse_expression(text, "<type>");
  if (parsed.diagnostics.has_errors() || !parsed.expr) {
    return CallResult::bad_arg(
        1, "a type constraint such as \"string\" or \"list(number)\" is required");
  }
  Diagnostics diags;
  std::optional<Type> type = type_from_expr(parsed.expr, diags);
  if (!type || diags.has_errors()) {
    std::string detail = diags.empty() ? "invalid type specification" : diags[0].detail;
    while (!detail.empty() && detail.back() == '.')
      detail.pop_back();  // the caller appends a period
    return CallResult::bad_arg(1, detail);
  }
  ConvertResult c = convert(a[0], *type);
  if (!c.ok()) return CallResult::bad_arg(0, c.error);
  return CallResult::ok(c.value);
}

}  // namespace

void add_type_functions(FunctionTable& t) {
  Function lazy;
  lazy.lazy = true;
  lazy.var_param = param("expressions", Type::dynamic());
  lazy.impl = [](std::span<const Value>) { return CallResult::fail("evaluated by the evaluator"); };
  t.add("try", lazy);
  lazy.var_param.reset();
  lazy.params = {param("expression", Type::dynamic())};
  t.add("can", lazy);
  t.add("convert", fixed({param("value", Type::dynamic(), true), param("type", Type::string())},
                         convert_value));
}

}  // namespace warden::hcl
