// Functions callable from HCL expressions, and the library nomad's jobspec2 offers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "warden/job/hcl/value.hpp"

namespace warden::hcl {

struct Param {
  std::string name;
  Type type;                // arguments are converted to this type; dynamic accepts anything
  bool allow_null = false;  // otherwise a null argument is an error before the call
};

// What a function call produced: a value, or an error about the call as a whole
// ("Call to function "x" failed: ...") or about one argument ("Invalid value for "y" parameter").
struct CallResult {
  Value value;
  std::string error;
  int arg = -1;  // with an error: the index of the offending argument, or -1

  static CallResult ok(Value v) { return CallResult{std::move(v), {}, -1}; }
  static CallResult fail(std::string msg) { return CallResult{Value(), std::move(msg), -1}; }
  static CallResult bad_arg(int index, std::string msg) {
    return CallResult{Value(), std::move(msg), index};
  }
};

struct Function {
  std::vector<Param> params;
  std::optional<Param> var_param;  // the type of each variadic argument
  // Receives the arguments already converted to the parameter types.
  std::function<CallResult(std::span<const Value> args)> impl;
  // try() and can() see their arguments unevaluated; the evaluator implements them itself.
  bool lazy = false;
};

class FunctionTable {
 public:
  void add(std::string name, Function f) { fns_[std::move(name)] = std::move(f); }
  const Function* find(std::string_view name) const {
    auto it = fns_.find(name);
    return it == fns_.end() ? nullptr : &it->second;
  }
  std::vector<std::string_view> names() const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : fns_) out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, Function, std::less<>> fns_;
};

struct LibraryOptions {
  // Filesystem functions (file, fileexists, fileset, abspath, ...) are off by default, as in
  // nomad's API; when off they exist but fail with a clear message.
  bool allow_fs = false;
  std::string base_dir = ".";  // relative paths given to file functions start here
};

// The functions of nomad's jobspec2 (go-cty's stdlib, go-cty-funcs, try/can, ...).
FunctionTable standard_library(const LibraryOptions& opts = {});
// The same with the filesystem functions disabled, built once and shared (read-only, thread-safe).
const FunctionTable& default_library();

// Individual families, so that embedders can build their own table.
void add_string_functions(FunctionTable& t);
void add_collection_functions(FunctionTable& t);
void add_numeric_functions(FunctionTable& t);
void add_encoding_functions(FunctionTable& t);
void add_hash_functions(FunctionTable& t);
void add_datetime_functions(FunctionTable& t);
void add_regex_functions(FunctionTable& t);
void add_cidr_functions(FunctionTable& t);
void add_uuid_functions(FunctionTable& t);
void add_type_functions(FunctionTable& t);  // try, can, convert
void add_filesystem_functions(FunctionTable& t, const LibraryOptions& opts);

}  // namespace warden::hcl
