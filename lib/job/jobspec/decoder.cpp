#include "decoder.hpp"

#include <map>

#include "warden/job/hcl/convert.hpp"

namespace warden::job::detail {

hcl::Scope& JobDecoder::make_scope(const hcl::Scope* parent) {
  scopes_.push_back(std::make_unique<hcl::Scope>(parent));
  return *scopes_.back();
}

void JobDecoder::error(std::string summary, std::string detail, Range subject) {
  Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.subject = subject;
  diags_.add(std::move(d));
}

void JobDecoder::record(std::string_view suffix, Range r) {
  if (!ranges_) return;
  std::string key = path_.back() + std::string(suffix);
  if (!key.empty() && key[0] == '.') key.erase(0, 1);
  ranges_->emplace(std::move(key), r);
}

BlockRef JobDecoder::block_ref(const hcl::Block& b, const hcl::Scope* scope) const {
  BlockRef r;
  r.type = b.type;
  for (auto l : b.labels) r.labels.emplace_back(l);
  for (auto lr : b.label_ranges) r.label_ranges.push_back(lr);
  r.type_range = b.type_range;
  r.def_range = b.def_range();
  r.open_brace = b.open_brace;
  r.body = BodyRef{b.body, scope};
  return r;
}

std::optional<hcl::Value> JobDecoder::evaluate(const AttrRef& a) {
  return hcl::evaluate(a.attr->expr, *a.scope, file_, diags_);
}

std::vector<AttrRef> JobDecoder::attributes(const BodyRef& body) {
  std::vector<AttrRef> out;
  for (const hcl::Attribute* a : hcl::just_attributes(*body.body, diags_))
    out.push_back(AttrRef{a, body.scope});
  return out;
}

Content JobDecoder::content(const BodyRef& body, const hcl::BodySchema& schema, bool partial) {
  hcl::BodySchema with_dynamic = schema;
  with_dynamic.blocks.push_back({"dynamic", {"type"}});
  hcl::BodyContent c = hcl::body_content(*body.body, with_dynamic, diags_, partial);
  Content out;
  for (const hcl::Attribute* a : c.attributes) out.attributes.push_back(AttrRef{a, body.scope});
  for (const hcl::Block* b : c.blocks) {
    if (b->type == "dynamic") {
      expand_dynamic(*b, body, schema, out.blocks);
    } else {
      out.blocks.push_back(block_ref(*b, body.scope));
    }
  }
  return out;
}

// dynamic "T" { for_each = ..., iterator = name, labels = [...], content { ... } } generates one
// block of type T per element, whose content sees `name.key` and `name.value`.
void JobDecoder::expand_dynamic(const hcl::Block& dyn, const BodyRef& parent,
                                const hcl::BodySchema& schema, std::vector<BlockRef>& out) {
  std::string_view type = dyn.labels[0];
  const hcl::BlockSchema* target = nullptr;
  for (const auto& bs : schema.blocks) {
    if (bs.type == type) target = &bs;
  }
  if (!target) {
    error("Unsupported block type",
          "Blocks of type \"" + std::string(type) + "\" are not expected here.",
          dyn.label_ranges[0]);
    return;
  }
  hcl::BodySchema dyn_schema;
  dyn_schema.attributes = {
      {"for_each", true}, {"iterator", false}, {"labels", !target->labels.empty()}};
  dyn_schema.blocks = {{"content", {}}};
  hcl::BodyContent c = hcl::body_content(*dyn.body, dyn_schema, diags_);
  std::vector<const hcl::Block*> contents = c.blocks_of("content");
  if (contents.empty()) {
    error("Missing dynamic content block",
          "A dynamic block must have a nested block of type \"content\" to describe the body of "
          "each generated block.",
          dyn.def_range());
    return;
  }
  if (contents.size() > 1) {
    error("Extraneous dynamic content block",
          "Only one nested content block is allowed for each dynamic block.",
          contents[1]->def_range());
    return;
  }
  const hcl::Attribute* for_each = c.attribute("for_each");
  if (!for_each) return;
  std::string iterator(type);
  if (const hcl::Attribute* it = c.attribute("iterator")) {
    if (it->expr->kind != hcl::ExprKind::scope_traversal ||
        !static_cast<const hcl::ScopeTraversal*>(it->expr)->steps.empty()) {
      error("Invalid dynamic iterator name", "Dynamic iterator must be a single variable name.",
            it->expr->range);
      return;
    }
    iterator = std::string(static_cast<const hcl::ScopeTraversal*>(it->expr)->root);
  }
  auto coll = hcl::evaluate(for_each->expr, *parent.scope, file_, diags_);
  if (!coll) return;
  if (coll->is_null()) {
    error("Invalid dynamic for_each value", "Cannot use a null value in for_each.",
          for_each->expr->range);
    return;
  }
  if (!coll->type().is_list_like() && !coll->type().is_map_like()) {
    error("Invalid dynamic for_each value",
          "Cannot use a " + coll->type().friendly_name() +
              " value in for_each. An iterable collection is required.",
          for_each->expr->range);
    return;
  }
  std::vector<std::pair<hcl::Value, hcl::Value>> items;
  if (coll->type().is_map_like()) {
    for (const auto& [k, v] : coll->entries()) items.emplace_back(hcl::Value::string(k), v);
  } else if (coll->type().kind() == hcl::Type::Kind::set) {
    for (const auto& v : coll->elements()) items.emplace_back(v, v);
  } else {
    int64_t i = 0;
    for (const auto& v : coll->elements()) items.emplace_back(hcl::Value::number(i++), v);
  }
  const hcl::Attribute* labels = c.attribute("labels");
  for (auto& [key, value] : items) {
    hcl::Scope& scope = make_scope(parent.scope);
    scope.set(iterator, hcl::Value::object({{"key", key}, {"value", value}}));
    BlockRef r;
    r.type = target->type;
    r.type_range = dyn.label_ranges[0];
    r.def_range = dyn.def_range();
    r.open_brace = contents[0]->open_brace;
    r.body = BodyRef{contents[0]->body, &scope};
    if (labels) {
      auto lv = hcl::evaluate(labels->expr, scope, file_, diags_);
      if (!lv) return;
      if (!lv->type().is_list_like()) {
        error("Invalid dynamic block label", "The labels argument must be a list of strings.",
              labels->expr->range);
        return;
      }
      if (lv->elements().size() != target->labels.size()) {
        error(lv->elements().size() > target->labels.size() ? "Extraneous dynamic block label"
                                                            : "Insufficient dynamic block labels",
              "Blocks of type \"" + std::string(type) + "\" require " +
                  std::to_string(target->labels.size()) + " label(s).",
              labels->expr->range);
        return;
      }
      for (const auto& l : lv->elements()) {
        if (l.is_null()) {
          error("Invalid dynamic block label", "Cannot use a null value as a dynamic block label.",
                labels->expr->range);
          return;
        }
        auto s = hcl::convert(l, hcl::Type::string());
        if (!s.ok()) {
          error("Invalid dynamic block label",
                "Cannot use this value as a dynamic block label: " + s.error + ".",
                labels->expr->range);
          return;
        }
        r.labels.push_back(s.value.as_string());
        r.label_ranges.push_back(labels->expr->range);
      }
    }
    out.push_back(std::move(r));
  }
}

// nomad's BlocksAsAttrs: inside a free-form body, an attribute holding an object literal becomes
// a one-element list, and blocks of one type become a list of objects (labels become nested keys).
std::optional<hcl::Value> JobDecoder::block_value(const hcl::Block& b, const hcl::Scope* scope) {
  auto body = body_value(BodyRef{b.body, scope});
  if (!body) return std::nullopt;
  hcl::Value v = *body;
  for (size_t i = b.labels.size(); i-- > 0;) {
    v = hcl::Value::object({{std::string(b.labels[i]), hcl::Value::tuple({v})}});
  }
  return v;
}

std::optional<hcl::Value> JobDecoder::body_value(const BodyRef& body) {
  std::vector<hcl::Value::Entry> entries;
  bool ok = true;
  for (const hcl::Attribute& a : body.body->attributes) {
    auto v = hcl::evaluate(a.expr, *body.scope, file_, diags_);
    if (!v) {
      ok = false;
      continue;
    }
    if (a.expr->kind == hcl::ExprKind::object_cons) v = hcl::Value::tuple({*v});
    entries.emplace_back(std::string(a.name), std::move(*v));
  }
  std::map<std::string_view, std::vector<hcl::Value>> groups;
  std::vector<std::string_view> order;
  for (const hcl::Block* b : body.body->blocks) {
    auto v = block_value(*b, body.scope);
    if (!v) {
      ok = false;
      continue;
    }
    if (!groups.count(b->type)) order.push_back(b->type);
    groups[b->type].push_back(std::move(*v));
  }
  for (auto type : order)
    entries.emplace_back(std::string(type), hcl::Value::tuple(std::move(groups[type])));
  if (!ok) return std::nullopt;
  return hcl::Value::object(std::move(entries));
}

}  // namespace warden::job::detail
