// Input variables and locals of a job file (nomad's jobspec2 variables, with packer's rules).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "decoder.hpp"
#include "warden/job/jobspec.hpp"

namespace warden::job::detail {

class Variables {
 public:
  // Reads `variable "x" {}` and `variables {}` blocks from the file's top level.
  void declare(JobDecoder& dec, const Content& top);
  // Applies values from the environment, var files and explicit -var arguments (in that order
  // of precedence, lowest first). Diagnostics from other sources go into `diags` directly.
  void assign(const ParseOptions& opts, Diagnostics& diags);
  // The final values as the `var` object; reports unset variables and failed validations.
  hcl::Value values(JobDecoder& dec);
  // Evaluates the locals blocks in dependency order (with cycle detection) into the `local`
  // object, in `scope` (which already holds `var`).
  static hcl::Value locals(JobDecoder& dec, const Content& top, const hcl::Scope& scope);

 private:
  struct Assignment {
    std::string from;  // "default", "env", "varfile", "cmd"
    hcl::Value value;
    Range range;
  };
  struct Validation {
    const hcl::Expr* condition;
    std::string error_message;
    Range range;
  };
  struct Variable {
    std::string name;
    std::optional<hcl::Type> type;
    Range range;
    std::vector<Assignment> values;
    std::vector<Validation> validations;
  };

  void assign_text(const std::string& name, const std::string& text, const std::string& from,
                   const std::string& source_name, Diagnostics& diags);
  void assign_value(Variable& v, hcl::Value value, const std::string& from, Range range,
                    Diagnostics& diags, const std::string& source_name);

  std::map<std::string, Variable, std::less<>> vars_;
  std::vector<std::unique_ptr<hcl::File>> sources_;  // var files and -var expressions, kept alive
};

}  // namespace warden::job::detail
