#include "variables.hpp"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "warden/core/unicode.hpp"
#include "warden/job/hcl/convert.hpp"
#include "warden/job/hcl/json.hpp"
#include "warden/job/hcl/parser.hpp"
#include "warden/job/hcl/typeexpr.hpp"

namespace warden::job::detail {
namespace {

Diagnostic make_error(std::string summary, std::string detail, std::optional<Range> subject,
                      std::string file = {}) {
  Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.subject = subject;
  d.file = std::move(file);
  return d;
}

bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  if (!unicode::is_id_start(unicode::decode(s, i))) return false;
  while (i < s.size()) {
    char32_t c = unicode::decode(s, i);
    if (!unicode::is_id_continue(c) && c != '-') return false;
  }
  return true;
}

// Validation messages must read as sentences, since they are quoted inside ours.
bool looks_like_sentences(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  char32_t first = unicode::decode(s, i);
  if (unicode::is_letter(first) && !unicode::is_upper(first)) return false;
  char last = s.back();
  return last == '.' || last == '?' || last == '!';
}

}  // namespace

void Variables::declare(JobDecoder& dec, const Content& top) {
  hcl::Scope no_vars;  // defaults and descriptions are constants: no variables, no functions
  for (const BlockRef& b : top.blocks) {
    if (b.type == "variables") {
      for (const AttrRef& a : dec.attributes(b.body)) {
        std::string name(a.attr->name);
        if (vars_.count(name)) {
          dec.error("Duplicate variable", "Duplicate " + name + " variable definition found.",
                    a.attr->name_range);
          continue;
        }
        auto v = hcl::evaluate(a.attr->expr, *b.body.scope, dec.file(), dec.diags());
        if (!v) continue;
        Variable var{name, v->type(), a.attr->range, {{"default", *v, a.attr->expr->range}}, {}};
        vars_.emplace(name, std::move(var));
      }
      continue;
    }
    if (b.type != "variable") continue;
    std::string name = b.labels.empty() ? std::string() : b.labels[0];
    if (vars_.count(name)) {
      dec.error("Duplicate variable", "Duplicate " + name + " variable definition found.",
                b.def_range);
      continue;
    }
    if (!valid_identifier(name)) {
      dec.error("Invalid variable name",
                "A name must start with a letter or underscore and may contain only letters, "
                "digits, underscores, and dashes.",
                b.label_ranges.empty() ? b.def_range : b.label_ranges[0]);
    }
    hcl::BodySchema schema{{{"description", false}, {"default", false}, {"type", false}},
                           {{"validation", {}}}};
    Content c = dec.content(b.body, schema);
    Variable var{name, std::nullopt, b.def_range, {}, {}};
    if (const AttrRef* t = c.attribute("type")) {
      auto type = hcl::type_from_expr(t->attr->expr, dec.diags());
      if (!type) continue;
      var.type = *type;
    }
    if (const AttrRef* d = c.attribute("default")) {
      auto v = hcl::evaluate(d->attr->expr, *b.body.scope, dec.file(), dec.diags());
      if (v) {
        hcl::Value value = *v;
        if (var.type) {
          auto conv = hcl::convert(value, *var.type);
          if (!conv.ok()) {
            dec.error("Invalid default value for variable",
                      "This default value is not compatible with the variable's type constraint: " +
                          conv.error + ".",
                      d->attr->expr->range);
          } else {
            value = conv.value;
          }
        } else {
          var.type = value.type();
        }
        var.values.push_back({"default", value, d->attr->expr->range});
      }
    }
    for (const BlockRef* vb : c.blocks_of("validation")) {
      hcl::BodySchema vs{{{"condition", true}, {"error_message", true}}, {}};
      Content vc = dec.content(vb->body, vs);
      const AttrRef* cond = vc.attribute("condition");
      const AttrRef* msg = vc.attribute("error_message");
      if (!cond || !msg) continue;
      int good = 0;
      for (const auto& ref : hcl::references(cond->attr->expr)) {
        if (ref.root == "var" && ref.attr == name) {
          ++good;
          continue;
        }
        dec.error("Invalid reference in variable validation",
                  "The condition for variable \"" + name +
                      "\" can only refer to the variable itself, using var." + name + ".",
                  ref.range);
      }
      if (good < 1) {
        dec.error("Invalid variable validation condition",
                  "The condition for variable \"" + name + "\" must refer to var." + name +
                      " in order to test incoming values.",
                  cond->attr->expr->range);
      }
      auto m = hcl::evaluate(msg->attr->expr, no_vars, dec.file(), dec.diags());
      if (!m) continue;
      auto ms = hcl::convert(*m, hcl::Type::string());
      std::string text = ms.ok() && !ms.value.is_null() ? ms.value.as_string() : std::string();
      if (text.empty()) {
        dec.error("Invalid validation error message",
                  "An empty string is not a valid nor useful error message.",
                  msg->attr->expr->range);
      } else if (!looks_like_sentences(text)) {
        dec.error("Invalid validation error message",
                  "Validation error message must be at least one full sentence starting with an "
                  "uppercase letter ( if the alphabet permits it ) and ending with a period or "
                  "question mark.",
                  msg->attr->expr->range);
      }
      var.validations.push_back({cond->attr->expr, text, vb->def_range});
    }
    vars_.emplace(name, std::move(var));
  }
}

void Variables::assign_value(Variable& v, hcl::Value value, const std::string& from, Range range,
                             Diagnostics& diags, const std::string& source_name) {
  if (v.type) {
    auto conv = hcl::convert(value, *v.type);
    if (!conv.ok()) {
      diags.add(make_error(
          "Invalid value for variable",
          "The value for " + v.name +
              " is not compatible with the variable's type constraint: " + conv.error + ".",
          range, source_name));
      return;
    }
    value = conv.value;
  }
  v.values.push_back({from, std::move(value), range});
}

// Values given as text (environment, -var): taken literally for string and number variables
// and for variables without a type; read as an HCL expression otherwise.
void Variables::assign_text(const std::string& name, const std::string& text,
                            const std::string& from, const std::string& source_name,
                            Diagnostics& diags) {
  auto it = vars_.find(name);
  Variable& v = it->second;
  bool literal = !v.type || v.type->kind() == hcl::Type::Kind::string ||
                 v.type->kind() == hcl::Type::Kind::number;
  if (literal) {
    assign_value(v, hcl::Value::string(text), from, Range{}, diags, source_name);
    return;
  }
  auto parsed = hcl::parse_expression(text, source_name);
  if (parsed.diagnostics.has_errors()) {
    diags.append(parsed.diagnostics);
    return;
  }
  hcl::Scope none;
  Diagnostics eval_diags;
  auto value = hcl::evaluate(parsed.expr, none, *parsed.file, eval_diags);
  parsed.file->source().annotate(eval_diags);
  diags.append(eval_diags);
  if (value) assign_value(v, *value, from, parsed.expr->range, diags, source_name);
  sources_.push_back(std::move(parsed.file));
}

void Variables::assign(const ParseOptions& opts, Diagnostics& diags) {
  const std::string prefix = "NOMAD_VAR_";
  for (const std::string& entry : opts.environment) {
    if (entry.compare(0, prefix.size(), prefix) != 0) continue;
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(prefix.size(), eq - prefix.size());
    if (!vars_.count(name)) continue;  // not declared by this job: ignored, as nomad does
    assign_text(name, entry.substr(eq + 1), "env", "<value for var." + name + " from env>", diags);
  }

  Severity undefined = opts.strict ? Severity::error : Severity::warning;
  for (const std::string& path : opts.var_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diags.add(
          make_error("Failed to read file", "failed to read \"" + path + "\"", std::nullopt, path));
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
      std::string err;
      auto obj = hcl::value_from_json(text, err);
      if (!obj || !obj->type().is_map_like()) {
        diags.add(make_error("Invalid variable file",
                             "The JSON variable file must hold an object" +
                                 (err.empty() ? std::string(".") : ": " + err + "."),
                             std::nullopt, path));
        continue;
      }
      for (const auto& [name, value] : obj->entries()) {
        auto it = vars_.find(name);
        if (it == vars_.end()) {
          Diagnostic d = make_error("Undefined variable",
                                    "A \"" + name +
                                        "\" variable was set but was not found in known variables. "
                                        "To declare variable \"" +
                                        name + "\", place this block in your job files",
                                    std::nullopt, path);
          d.severity = undefined;
          diags.add(d);
          continue;
        }
        assign_value(it->second, value, "varfile", Range{}, diags, path);
      }
      continue;
    }
    auto parsed = hcl::parse_config(text, path);
    if (parsed.diagnostics.has_errors()) {
      diags.append(parsed.diagnostics);
      continue;
    }
    Diagnostics file_diags;
    bool declared_here = false;
    for (const hcl::Block* b : parsed.file->body().blocks) {
      if (b->type != "variable") continue;
      declared_here = true;
      std::string name = b->labels.empty() ? std::string() : std::string(b->labels[0]);
      file_diags.add(
          make_error("Variable declaration in a .var file",
                     "A .var file is used to assign values to variables that have already been "
                     "declared in job files, not to declare new variables. To declare variable \"" +
                         name +
                         "\", place this block in one of your job files\n\nTo set a value for this "
                         "variable in " +
                         path + ", use the definition syntax instead:\n    " + name + " = <value>",
                     b->type_range));
    }
    if (!declared_here) {
      for (const hcl::Attribute* a : hcl::just_attributes(parsed.file->body(), file_diags)) {
        std::string name(a->name);
        auto it = vars_.find(name);
        if (it == vars_.end()) {
          Diagnostic d = make_error("Undefined variable",
                                    "A \"" + name +
                                        "\" variable was set but was not found in known variables. "
                                        "To declare variable \"" +
                                        name + "\", place this block in your job files",
                                    a->range);
          d.severity = undefined;
          file_diags.add(d);
          continue;
        }
        hcl::Scope none;
        auto value = hcl::evaluate(a->expr, none, *parsed.file, file_diags);
        if (value) assign_value(it->second, *value, "varfile", a->expr->range, file_diags, path);
      }
    }
    parsed.file->source().annotate(file_diags);
    diags.append(file_diags);
    sources_.push_back(std::move(parsed.file));
  }

  for (const auto& [name, text] : opts.variables) {
    if (!vars_.count(name)) {
      Diagnostic d = make_error("Undefined -var variable",
                                "A \"" + name +
                                    "\" variable was passed in the command line but was not found "
                                    "in known variables. To declare variable \"" +
                                    name + "\", place this block in your job file",
                                std::nullopt);
      d.severity = undefined;
      diags.add(d);
      continue;
    }
    assign_text(name, text, "cmd", "<value for var." + name + " from arguments>", diags);
  }
}

hcl::Value Variables::values(JobDecoder& dec) {
  std::vector<hcl::Value::Entry> out;
  for (auto& [name, v] : vars_) {
    if (v.values.empty()) {
      dec.error("Unset variable \"" + name + "\"",
                "A used variable must be set or have a default value; see "
                "https://developer.hashicorp.com/nomad/docs/job-specification/hcl2/variables for "
                "details.",
                v.range);
      out.emplace_back(name, hcl::Value::null(v.type.value_or(hcl::Type::dynamic())));
      continue;
    }
    const Assignment& chosen = v.values.back();
    for (const Validation& val : v.validations) {
      hcl::Scope scope;
      scope.set("var", hcl::Value::object({{name, chosen.value}}));
      scope.set_functions(&hcl::default_library());
      auto result = hcl::evaluate(val.condition, scope, dec.file(), dec.diags());
      if (!result) continue;
      if (result->is_null()) {
        dec.error("Invalid variable validation result",
                  "Validation condition expression must return either true or false, not null.",
                  val.condition->range);
        continue;
      }
      auto b = hcl::convert(*result, hcl::Type::boolean());
      if (!b.ok()) {
        dec.error("Invalid variable validation result",
                  "Invalid validation condition result value: " + b.error + ".",
                  val.condition->range);
        continue;
      }
      if (!b.value.as_bool()) {
        Range subject = chosen.from == "default" ? chosen.range : val.range;
        dec.error("Invalid value for " + chosen.from + " variable",
                  val.error_message + "\n\nThis was checked by the validation rule at line " +
                      std::to_string(val.range.start.line) + ".",
                  subject);
      }
    }
    out.emplace_back(name, chosen.value);
  }
  return hcl::Value::object(std::move(out));
}

hcl::Value Variables::locals(JobDecoder& dec, const Content& top, const hcl::Scope& scope) {
  std::map<std::string, AttrRef, std::less<>> defs;
  for (const BlockRef& b : top.blocks) {
    if (b.type != "locals") continue;
    for (const AttrRef& a : dec.attributes(b.body)) {
      std::string name(a.attr->name);
      if (defs.count(name)) {
        dec.error("Duplicate value in locals", "Duplicate " + name + " definition found.",
                  a.attr->name_range);
        continue;
      }
      defs.emplace(name, a);
    }
  }
  // Evaluate in dependency order: a local may refer to locals defined after it; a cycle is an
  // error.
  std::map<std::string, hcl::Value, std::less<>> done;
  std::set<std::string, std::less<>> failed;
  std::vector<std::string> stack;
  hcl::Scope local_scope(&scope);
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (done.count(name) || failed.count(name)) return;
    auto it = std::find(stack.begin(), stack.end(), name);
    if (it != stack.end()) {
      std::string chain;
      for (auto c = it; c != stack.end(); ++c) chain += "local." + *c + " -> ";
      chain += "local." + name;
      dec.error("Cycle in local values",
                "The local values refer to each other in a cycle: " + chain + ".",
                defs.at(name).attr->name_range);
      for (auto c = it; c != stack.end(); ++c) failed.insert(*c);
      return;
    }
    stack.push_back(name);
    for (const auto& ref : hcl::references(defs.at(name).attr->expr)) {
      if (ref.root == "local" && defs.count(ref.attr)) visit(std::string(ref.attr));
    }
    stack.pop_back();
    if (failed.count(name)) return;
    std::vector<hcl::Value::Entry> so_far(done.begin(), done.end());
    local_scope.set("local", hcl::Value::object(std::move(so_far)));
    auto v = hcl::evaluate(defs.at(name).attr->expr, local_scope, dec.file(), dec.diags());
    if (v) {
      done.emplace(name, *v);
    } else {
      failed.insert(name);
    }
  };
  for (const auto& [name, a] : defs) visit(name);
  return hcl::Value::object(std::vector<hcl::Value::Entry>(done.begin(), done.end()));
}

}  // namespace warden::job::detail
