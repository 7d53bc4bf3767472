// Runs hashicorp/hcl's implementation-neutral spec suite (tests/conformance/hclspec, a verbatim
// copy of ../shared/conformance/hclspec) against our parser and evaluator.
//
// Upstream's harness is `hcldec --spec=X.hcldec X.hcl` compared with X.t; this file contains a
// small hcldec of its own (object, attr, block, block_list, block_map, literal specs and spec
// variables). The .t and .hcldec files are HCL and are read with our own parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "warden/job/hcl/convert.hpp"
#include "warden/job/hcl/eval.hpp"
#include "warden/job/hcl/parser.hpp"
#include "warden/job/hcl/schema.hpp"
#include "warden/job/hcl/typeexpr.hpp"

namespace fs = std::filesystem;
using namespace warden;
using namespace warden::hcl;

namespace {

fs::path suite_dir() {
  if (const char* env = std::getenv("WARDEN_CONFORMANCE_DIR")) return fs::path(env) / "hclspec";
  return fs::path(WARDEN_SOURCE_DIR) / "tests" / "conformance" / "hclspec";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(suite_dir())) {
    if (e.path().extension() == ".t") {
      out.push_back(fs::relative(e.path(), suite_dir()).replace_extension("").string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Structural equality that treats objects and maps (and tuples and lists) alike, since the
// expected results are written as HCL object and tuple literals.
bool same_value(const Value& want, const Value& got, std::string& why, const std::string& path) {
  if (want.is_null() || got.is_null()) {
    if (want.is_null() && got.is_null()) return true;
    why = path + ": want " + want.display() + ", got " + got.display();
    return false;
  }
  const Type& wt = want.type();
  const Type& gt = got.type();
  if (wt.is_map_like() && gt.is_map_like()) {
    if (want.entries().size() != got.entries().size()) {
      why = path + ": want " + want.display() + ", got " + got.display();
      return false;
    }
    for (const auto& [k, v] : want.entries()) {
      const Value* g = got.get(k);
      if (!g) {
        why = path + "." + k + ": missing";
        return false;
      }
      if (!same_value(v, *g, why, path + "." + k)) return false;
    }
    return true;
  }
  if (wt.is_list_like() && gt.is_list_like()) {
    if (want.elements().size() != got.elements().size()) {
      why = path + ": length differs";
      return false;
    }
    for (size_t i = 0; i < want.elements().size(); ++i) {
      if (!same_value(want.elements()[i], got.elements()[i], why,
                      path + "[" + std::to_string(i) + "]"))
        return false;
    }
    return true;
  }
  if (wt.kind() != gt.kind()) {
    why = path + ": want " + wt.friendly_name() + " " + want.display() + ", got " +
          gt.friendly_name() + " " + got.display();
    return false;
  }
  bool eq = want.equals(got);
  if (!eq) why = path + ": want " + want.display() + ", got " + got.display();
  return eq;
}

// A minimal hcldec: decodes `body` as described by the spec block.
class SpecDecoder {
 public:
  SpecDecoder(const Scope& scope, const File& input, Diagnostics& diags)
      : scope_(scope), input_(input), diags_(diags) {}

  // `spec` is a spec block (object, attr, block, ...); `label` is its property name, if any.
  Value decode(const Block& spec, const Body& body) {
    std::string_view kind = spec.type;
    if (kind == "literal") {
      Diagnostics d;
      Scope empty;
      auto v = evaluate(spec.body->attribute("value")->expr, empty, *spec_file_, d);
      return v ? *v : Value();
    }
    if (kind == "object") {
      BodySchema schema;
      for (const Block* child : spec.body->blocks) add_schema(*child, schema);
      body_content(body, schema, diags_);
      std::vector<Value::Entry> entries;
      for (const Block* child : spec.body->blocks) {
        entries.emplace_back(std::string(child->labels[0]), decode_child(*child, body));
      }
      return Value::object(std::move(entries));
    }
    // A root spec that is not an object: decode it against the whole body.
    BodySchema schema;
    add_schema(spec, schema);
    body_content(body, schema, diags_);
    return decode_child(spec, body);
  }

  void set_spec_file(const File* f) { spec_file_ = f; }

 private:
  std::string name_of(const Block& spec, const char* attr) {
    if (const Attribute* a = spec.body->attribute(attr)) {
      Diagnostics d;
      Scope empty;
      auto v = evaluate(a->expr, empty, *spec_file_, d);
      if (v) return v->as_string();
    }
    return spec.labels.empty() ? "" : std::string(spec.labels[0]);
  }

  std::optional<Type> type_of(const Block& spec) {
    const Attribute* a = spec.body->attribute("type");
    if (!a) return Type::dynamic();
    Diagnostics d;
    return type_from_expr(a->expr, d);
  }

  bool required(const Block& spec) {
    const Attribute* a = spec.body->attribute("required");
    if (!a) return false;
    Diagnostics d;
    Scope empty;
    auto v = evaluate(a->expr, empty, *spec_file_, d);
    return v && v->as_bool();
  }

  std::vector<std::string_view> labels_of(const Block& spec) {
    std::vector<std::string_view> out;
    const Attribute* a = spec.body->attribute("labels");
    if (!a) return out;
    for (const Expr* e : static_cast<const TupleCons*>(a->expr)->items) {
      auto* t = static_cast<const Template*>(e);
      out.push_back(static_cast<const Literal*>(t->parts[0])->text);
    }
    return out;
  }

  const Block* nested_spec(const Block& spec) {
    return spec.body->blocks.empty() ? nullptr : spec.body->blocks[0];
  }

  void add_schema(const Block& spec, BodySchema& schema) {
    std::string_view kind = spec.type;
    if (kind == "attr") {
      names_.push_back(name_of(spec, "name"));
      schema.attributes.push_back({names_.back(), required(spec)});
    } else if (kind == "block" || kind == "block_list" || kind == "block_map" ||
               kind == "block_set") {
      names_.push_back(name_of(spec, "block_type"));
      BlockSchema bs{names_.back(), {}};
      if (kind == "block_map") bs.labels = labels_of(spec);
      schema.blocks.push_back(bs);
    }
  }

  Value decode_child(const Block& spec, const Body& body) {
    std::string_view kind = spec.type;
    if (kind == "attr") {
      std::string name = name_of(spec, "name");
      auto type = type_of(spec);
      const Attribute* a = body.attribute(name);
      if (!a) return Value::null(type ? *type : Type::dynamic());
      auto v = evaluate(a->expr, scope_, input_, diags_);
      if (!v) return Value();
      auto c = convert(*v, *type);
      if (!c.ok()) {
        Diagnostic d;
        d.summary = "Incorrect attribute value type";
        d.detail = "Inappropriate value for attribute \"" + name + "\": " + c.error + ".";
        d.subject = a->expr->range;
        diags_.add(d);
        return Value();
      }
      return c.value;
    }
    if (kind == "literal" || kind == "object") return decode(spec, body);
    std::string type = name_of(spec, "block_type");
    std::vector<const Block*> blocks;
    for (const Block* b : body.blocks) {
      if (b->type == type) blocks.push_back(b);
    }
    const Block* nested = nested_spec(spec);
    if (kind == "block") {
      if (blocks.empty()) return Value();
      if (blocks.size() > 1) {
        Diagnostic d;
        d.summary = "Duplicate " + type + " block";
        d.subject = blocks[1]->def_range();
        diags_.add(d);
      }
      return decode(*nested, *blocks[0]->body);
    }
    if (kind == "block_list" || kind == "block_set") {
      std::vector<Value> items;
      for (const Block* b : blocks) items.push_back(decode(*nested, *b->body));
      return Value::tuple(std::move(items));
    }
    // block_map: nested maps keyed by each label.
    std::vector<Value::Entry> entries;
    for (const Block* b : blocks) {
      Value v = decode(*nested, *b->body);
      for (size_t i = b->labels.size(); i-- > 1;)
        v = Value::map({{std::string(b->labels[i]), v}}, v.type());
      entries.emplace_back(std::string(b->labels[0]), v);
    }
    Type elem = entries.empty() ? Type::dynamic() : entries[0].second.type();
    return Value::map(std::move(entries), elem);
  }

  const Scope& scope_;
  const File& input_;
  const File* spec_file_ = nullptr;
  Diagnostics& diags_;
  std::deque<std::string> names_;
};

struct ExpectedError {
  Pos from, to;
  bool has_to;
};

class HclSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(HclSpec, Passes) {
  fs::path base = suite_dir() / GetParam();
  fs::path hcl_path = base;
  hcl_path += ".hcl";
  fs::path spec_path = base;
  spec_path += ".hcldec";
  fs::path t_path = base;
  t_path += ".t";

  // The expectation.
  ParsedFile t = parse_config(read_file(t_path), t_path.string());
  ASSERT_FALSE(t.diagnostics.has_errors()) << t.diagnostics.format();
  Scope empty;
  std::optional<Value> want_result;
  std::optional<Type> want_type;
  std::vector<ExpectedError> want_errors;
  if (const Attribute* a = t.file->body().attribute("result")) {
    Diagnostics d;
    want_result = evaluate(a->expr, empty, *t.file, d);
    ASSERT_TRUE(want_result) << d.format();
  }
  if (const Attribute* a = t.file->body().attribute("result_type")) {
    Diagnostics d;
    want_type = type_from_expr(a->expr, d);
    ASSERT_TRUE(want_type) << d.format();
  }
  for (const Block* b : t.file->body().blocks) {
    if (b->type != "diagnostics") continue;
    // hashicorp/hcl form: error { from {line column byte} to {...} }
    for (const Block* e : b->body->blocks) {
      ExpectedError ee{};
      for (const Block* end : e->body->blocks) {
        Pos p;
        for (const Attribute& a : end->body->attributes) {
          Diagnostics d;
          auto v = evaluate(a.expr, empty, *t.file, d);
          uint32_t n = static_cast<uint32_t>(*v->as_number().to_int64());
          if (a.name == "line") p.line = n;
          if (a.name == "column") p.column = n;
          if (a.name == "byte") p.byte = n;
        }
        if (end->type == "from") ee.from = p;
        if (end->type == "to") {
          ee.to = p;
          ee.has_to = true;
        }
      }
      want_errors.push_back(ee);
    }
    // hcl-rs form: error = " --> HCL parse error in line L, column C ..."
    if (const Attribute* a = b->body->attribute("error")) {
      Diagnostics d;
      auto v = evaluate(a->expr, empty, *t.file, d);
      std::smatch m;
      std::string msg = v->as_string();
      ASSERT_TRUE(std::regex_search(msg, m, std::regex("line (\\d+), column (\\d+)")));
      ExpectedError ee{};
      ee.from.line = static_cast<uint32_t>(std::stoul(m[1]));
      ee.from.column = static_cast<uint32_t>(std::stoul(m[2]));
      ee.from.byte = UINT32_MAX;  // not given
      want_errors.push_back(ee);
    }
  }

  // The spec, if any (hcl-rs cases have none: a spec-less decode is a plain evaluation).
  ParsedFile input = parse_config(read_file(hcl_path), hcl_path.string());
  Diagnostics diags = input.diagnostics;
  Value got;
  if (!diags.has_errors()) {
    if (fs::exists(spec_path)) {
      ParsedFile spec = parse_config(read_file(spec_path), spec_path.string());
      ASSERT_FALSE(spec.diagnostics.has_errors()) << spec.diagnostics.format();
      Scope scope;
      const Block* root = nullptr;
      for (const Block* b : spec.file->body().blocks) {
        if (b->type == "variables") {
          for (const Attribute& a : b->body->attributes) {
            Diagnostics d;
            auto v = evaluate(a.expr, empty, *spec.file, d);
            ASSERT_TRUE(v) << d.format();
            scope.set(std::string(a.name), *v);
          }
        } else {
          root = b;
        }
      }
      ASSERT_NE(root, nullptr);
      SpecDecoder dec(scope, *input.file, diags);
      dec.set_spec_file(spec.file.get());
      got = dec.decode(*root, input.file->body());
    } else {
      // Evaluate the whole body as an object of attributes and (single) blocks.
      std::function<Value(const Body&)> body_value = [&](const Body& body) {
        std::vector<Value::Entry> entries;
        for (const Attribute& a : body.attributes) {
          auto v = evaluate(a.expr, empty, *input.file, diags);
          entries.emplace_back(std::string(a.name), v ? *v : Value());
        }
        for (const Block* b : body.blocks)
          entries.emplace_back(std::string(b->type), body_value(*b->body));
        return Value::object(std::move(entries));
      };
      got = body_value(input.file->body());
    }
  }

  if (!want_errors.empty() || diags.has_errors()) {
    ASSERT_EQ(diags.size(), want_errors.size()) << diags.format();
    for (size_t i = 0; i < want_errors.size(); ++i) {
      const auto& w = want_errors[i];
      ASSERT_TRUE(diags[i].subject) << diags[i].format();
      const Range& r = *diags[i].subject;
      EXPECT_EQ(r.start.line, w.from.line) << diags[i].format();
      EXPECT_EQ(r.start.column, w.from.column) << diags[i].format();
      if (w.from.byte != UINT32_MAX) {
        EXPECT_EQ(r.start.byte, w.from.byte) << diags[i].format();
      }
      if (w.has_to) {
        EXPECT_EQ(r.end.line, w.to.line) << diags[i].format();
        EXPECT_EQ(r.end.column, w.to.column) << diags[i].format();
        EXPECT_EQ(r.end.byte, w.to.byte) << diags[i].format();
      }
    }
    return;
  }
  if (want_result) {
    std::string why;
    EXPECT_TRUE(same_value(*want_result, got, why, "result")) << why;
  }
  if (want_type) {
    EXPECT_EQ(got.type().to_string(), want_type->to_string());
  }
}

INSTANTIATE_TEST_SUITE_P(Suite, HclSpec, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

// The vendored copy must stay identical to the suite the project was given.
TEST(HclSpecCopy, MatchesSharedSuite) {
  fs::path shared = fs::path(WARDEN_SOURCE_DIR) / ".." / "shared" / "conformance";
  if (!fs::exists(shared)) GTEST_SKIP() << "no ../shared/conformance next to this checkout";
  for (const auto& e : fs::recursive_directory_iterator(shared)) {
    if (!e.is_regular_file()) continue;
    fs::path rel = fs::relative(e.path(), shared);
    fs::path ours = fs::path(WARDEN_SOURCE_DIR) / "tests" / "conformance" / rel;
    ASSERT_TRUE(fs::exists(ours)) << rel;
    EXPECT_EQ(read_file(ours), read_file(e.path())) << rel;
  }
}

}  // namespace
