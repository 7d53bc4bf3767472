// The HCL side of job decoding: bodies with their scopes, `dynamic` block expansion, nomad's
// blocks-as-attributes reading of free-form bodies, and the diagnostics of one file.
#pragma once

#include <deque>
#include <map>
#include <memory>

#include "../model/fields.hpp"
#include "warden/job/hcl/ast.hpp"

namespace warden::job::detail {

class JobDecoder final : public HclDecoder {
 public:
  JobDecoder(const hcl::File& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  Content content(const BodyRef& body, const hcl::BodySchema& schema,
                  bool partial = false) override;
  std::optional<hcl::Value> evaluate(const AttrRef& a) override;
  std::optional<hcl::Value> body_value(const BodyRef& body) override;
  std::vector<AttrRef> attributes(const BodyRef& body) override;
  void error(std::string summary, std::string detail, Range subject) override;
  void push_path(std::string element) override { path_.push_back(path_.back() + element); }
  void pop_path() override { path_.pop_back(); }
  void record(std::string_view suffix, Range r) override;
  void set_source_map(std::map<std::string, Range>* ranges) { ranges_ = ranges; }

  // A scope owned by the decoder (for the iterator variables of dynamic blocks).
  hcl::Scope& make_scope(const hcl::Scope* parent);
  BlockRef block_ref(const hcl::Block& b, const hcl::Scope* scope) const;
  const hcl::File& file() const { return file_; }
  Diagnostics& diags() { return diags_; }

 private:
  void expand_dynamic(const hcl::Block& dyn, const BodyRef& parent, const hcl::BodySchema& schema,
                      std::vector<BlockRef>& out);
  std::optional<hcl::Value> block_value(const hcl::Block& b, const hcl::Scope* scope);

  const hcl::File& file_;
  Diagnostics& diags_;
  std::deque<std::unique_ptr<hcl::Scope>> scopes_;
  std::vector<std::string> path_{std::string()};
  std::map<std::string, Range>* ranges_ = nullptr;
};

}  // namespace warden::job::detail
