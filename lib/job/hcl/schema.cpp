#include "warden/job/hcl/schema.hpp"

#include "warden/core/strings.hpp"

namespace warden::hcl {
namespace {

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string label_list(const std::vector<std::string_view>& labels) {
  std::string s;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) s += ", ";
    s += std::string(labels[i]);
  }
  return s;
}

void error(Diagnostics& diags, std::string summary, std::string detail, Range subject) {
  Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.subject = subject;
  diags.add(std::move(d));
}

}  // namespace

const Attribute* BodyContent::attribute(std::string_view name) const {
  for (const Attribute* a : attributes) {
    if (a->name == name) return a;
  }
  return nullptr;
}

std::vector<const Block*> BodyContent::blocks_of(std::string_view type) const {
  std::vector<const Block*> out;
  for (const Block* b : blocks) {
    if (b->type == type) out.push_back(b);
  }
  return out;
}

BodyContent body_content(const Body& body, const BodySchema& schema, Diagnostics& diags,
                         bool partial) {
  BodyContent out;
  for (const AttributeSchema& as : schema.attributes) {
    const Attribute* a = body.attribute(as.name);
    if (a) {
      out.attributes.push_back(a);
    } else if (as.required) {
      error(diags, "Missing required argument",
            "The argument " + quoted(as.name) + " is required, but no definition was found.",
            Range{body.range.start, body.range.start});
    }
  }
  if (!partial) {
    for (const Attribute& a : body.attributes) {
      bool known = false;
      for (const auto& as : schema.attributes) known = known || as.name == a.name;
      if (known) continue;
      std::vector<std::string_view> names;
      for (const auto& as : schema.attributes) names.push_back(as.name);
      std::string hint = did_you_mean(a.name, names);
      std::string detail = "An argument named " + quoted(a.name) + " is not expected here.";
      if (!hint.empty()) {
        detail += " Did you mean " + quoted(hint) + "?";
      } else {
        for (const auto& bs : schema.blocks) {
          if (bs.type == a.name) {
            detail += " Did you mean to define a block of type " + quoted(a.name) + "?";
            break;
          }
        }
      }
      error(diags, "Unsupported argument", detail, a.name_range);
    }
  }
  for (const Block* b : body.blocks) {
    const BlockSchema* bs = nullptr;
    for (const auto& s : schema.blocks) {
      if (s.type == b->type) bs = &s;
    }
    if (!bs) {
      if (partial) continue;
      std::vector<std::string_view> names;
      for (const auto& s : schema.blocks) names.push_back(s.type);
      std::string hint = did_you_mean(b->type, names);
      std::string detail = "Blocks of type " + quoted(b->type) + " are not expected here.";
      if (!hint.empty()) {
        detail += " Did you mean " + quoted(hint) + "?";
      } else {
        for (const auto& as : schema.attributes) {
          if (as.name == b->type) {
            detail += " Did you mean to define argument " + quoted(b->type) +
                      "? If so, use the equals sign to assign it a value.";
            break;
          }
        }
      }
      error(diags, "Unsupported block type", detail, b->type_range);
      continue;
    }
    if (b->labels.size() > bs->labels.size()) {
      Range extra = b->label_ranges[bs->labels.size()];
      if (bs->labels.empty()) {
        error(diags, "Extraneous label for " + std::string(b->type),
              "No labels are expected for " + std::string(b->type) + " blocks.", extra);
      } else {
        error(diags, "Extraneous label for " + std::string(b->type),
              "Only " + std::to_string(bs->labels.size()) + " labels (" + label_list(bs->labels) +
                  ") are expected for " + std::string(b->type) + " blocks.",
              extra);
      }
      continue;
    }
    if (b->labels.size() < bs->labels.size()) {
      error(diags,
            "Missing " + std::string(bs->labels[b->labels.size()]) + " for " + std::string(b->type),
            "All " + std::string(b->type) + " blocks must have " +
                std::to_string(bs->labels.size()) + " labels (" + label_list(bs->labels) + ").",
            b->open_brace);
      continue;
    }
    out.blocks.push_back(b);
  }
  return out;
}

std::vector<const Attribute*> just_attributes(const Body& body, Diagnostics& diags) {
  std::vector<const Attribute*> out;
  for (const Attribute& a : body.attributes) out.push_back(&a);
  for (const Block* b : body.blocks) {
    error(diags, "Unexpected " + quoted(b->type) + " block", "Blocks are not allowed here.",
          b->type_range);
  }
  return out;
}

}  // namespace warden::hcl
