// Structural decoding of a body against a schema: which attributes and blocks are allowed, which
// are required, how many labels each block has. Errors read like hashicorp/hcl's
// ("Unsupported argument", "Missing required argument", ...) with "did you mean" suggestions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "warden/core/diagnostic.hpp"
#include "warden/job/hcl/ast.hpp"

namespace warden::hcl {

struct AttributeSchema {
  std::string_view name;
  bool required = false;
};

struct BlockSchema {
  std::string_view type;
  std::vector<std::string_view> labels;  // label names, for messages
};

struct BodySchema {
  std::vector<AttributeSchema> attributes;
  std::vector<BlockSchema> blocks;
};

struct BodyContent {
  std::vector<const Attribute*> attributes;
  std::vector<const Block*> blocks;
  const Attribute* attribute(std::string_view name) const;
  std::vector<const Block*> blocks_of(std::string_view type) const;
};

// Content(): everything in the body must be in the schema.
// PartialContent() (partial = true): what the schema does not name is left alone.
BodyContent body_content(const Body& body, const BodySchema& schema, Diagnostics& diags,
                         bool partial = false);

// JustAttributes(): a body that may hold only attributes (blocks are errors).
std::vector<const Attribute*> just_attributes(const Body& body, Diagnostics& diags);

}  // namespace warden::hcl
