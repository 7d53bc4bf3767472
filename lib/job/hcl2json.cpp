#include "warden/job/hcl2json.hpp"

#include <map>
#include <memory>
#include <vector>

#include "warden/core/json_writer.hpp"
#include "warden/job/hcl/eval.hpp"
#include "warden/job/hcl/parser.hpp"

namespace warden::job {
namespace {

// A JSON tree under construction; objects keep keys sorted, as Go's hcl2json prints them.
struct Node {
  enum class Kind { leaf, object, array } kind = Kind::object;
  hcl::Value leaf;
  std::map<std::string, Node> object;
  std::vector<Node> array;

  void write(JsonWriter& w) const {
    switch (kind) {
      case Kind::leaf:
        leaf.write_json(w);
        return;
      case Kind::object:
        w.begin_object();
        for (const auto& [k, v] : object) {
          w.key(k);
          v.write(w);
        }
        w.end_object();
        return;
      case Kind::array:
        w.begin_array();
        for (const auto& v : array) v.write(w);
        w.end_array();
        return;
    }
  }
};

class Converter {
 public:
  explicit Converter(const hcl::File& file) : file_(file) {
    scope_.set_functions(&hcl::default_library());
  }

  Node body(const hcl::Body& b) {
    Node n;
    for (const hcl::Attribute& a : b.attributes) {
      Node leaf;
      leaf.kind = Node::Kind::leaf;
      leaf.leaf = value(a.expr);
      n.object[std::string(a.name)] = std::move(leaf);
    }
    for (const hcl::Block* blk : b.blocks) {
      Node* at = &n.object[std::string(blk->type)];
      for (auto label : blk->labels) {
        if (at->kind != Node::Kind::object) *at = Node{};
        at = &at->object[std::string(label)];
      }
      if (at->kind != Node::Kind::array) {
        *at = Node{};
        at->kind = Node::Kind::array;
      }
      at->array.push_back(body(*blk->body));
    }
    return n;
  }

 private:
  std::string source(const hcl::Expr* e) const { return std::string(file_.text(e->range)); }

  // A template's text: literal parts as written (escapes resolved), everything else as source.
  std::string template_text(const hcl::Template* t) {
    std::string out;
    for (const hcl::Expr* p : t->parts) {
      if (p->kind == hcl::ExprKind::literal) {
        out += static_cast<const hcl::Literal*>(p)->text;
      } else if (p->kind == hcl::ExprKind::conditional || p->kind == hcl::ExprKind::template_join) {
        out += source(p);  // a %{ if } or %{ for } directive, as written
      } else {
        out += "${" + source(p) + "}";
      }
    }
    return out;
  }

  hcl::Value value(const hcl::Expr* e) {
    if (e->kind == hcl::ExprKind::template_) {
      auto* t = static_cast<const hcl::Template*>(e);
      bool literal = t->parts.size() == 1 && t->parts[0]->kind == hcl::ExprKind::literal;
      if (!literal) return hcl::Value::string(template_text(t));
    }
    if (e->kind == hcl::ExprKind::template_wrap) {
      return hcl::Value::string("${" + source(static_cast<const hcl::TemplateWrap*>(e)->wrapped) +
                                "}");
    }
    Diagnostics ignored;
    auto v = hcl::evaluate(e, scope_, file_, ignored);
    if (v) return *v;
    return hcl::Value::string("${" + source(e) + "}");
  }

  const hcl::File& file_;
  hcl::Scope scope_;
};

}  // namespace

Result<std::string> hcl_to_json(std::string_view text, const std::string& filename,
                                const std::string& indent) {
  hcl::ParsedFile parsed = hcl::parse_config(text, filename);
  if (parsed.diagnostics.has_errors())
    return Error(ErrorCode::syntax, std::move(parsed.diagnostics));
  Converter c(*parsed.file);
  Node root = c.body(parsed.file->body());
  JsonWriter w(indent);
  root.write(w);
  return w.take();
}

}  // namespace warden::job
