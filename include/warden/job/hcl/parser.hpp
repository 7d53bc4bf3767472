// Parsing HCL native syntax into a syntax tree.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "warden/core/diagnostic.hpp"
#include "warden/job/hcl/ast.hpp"

namespace warden::hcl {

struct ParsedFile {
  std::unique_ptr<File> file;  // always set, even when there are errors (partial tree)
  Diagnostics diagnostics;     // annotated with the file name and source excerpts
};

// A whole configuration file: a body of attributes and blocks.
ParsedFile parse_config(std::string_view text, std::string filename);

// A single expression (e.g. a -var value); the file's body is empty and `expr` holds the result.
struct ParsedExpression {
  std::unique_ptr<File> file;
  Expr* expr = nullptr;
  Diagnostics diagnostics;
};
ParsedExpression parse_expression(std::string_view text, std::string filename);

// A bare template, such as the content of a template file.
ParsedExpression parse_template(std::string_view text, std::string filename);

}  // namespace warden::hcl
