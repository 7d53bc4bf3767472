// csvdecode: go-cty's stdlib csv.go over a reader with the rules of Go's encoding/csv (comma
// separated, RFC 4180 quoting, CRLF folded to LF, empty lines skipped, no lazy quotes).
#include <set>

#include "common.hpp"

namespace warden::hcl {

using namespace fn;

namespace {

struct CsvError {
  int line;
  std::string what;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view in) : in_(in) {}

  // The next record; nullopt at the end of the input. Throws CsvError.
  std::optional<std::vector<std::string>> read() {
    std::string line;
    for (;;) {
      if (!read_line(line)) return std::nullopt;
      if (!line.empty() && line != "\n") break;  // empty lines are skipped
    }
    int record_line = lines_;
    std::vector<std::string> fields;
    std::string_view rest = line;
    for (;;) {
      if (rest.empty() || rest[0] != '"') {
        size_t comma = rest.find(',');
        std::string_view field =
            comma == std::string_view::npos ? strip_newline(rest) : rest.substr(0, comma);
        if (field.find('"') != std::string_view::npos)
          throw CsvError{lines_, "bare \" in non-quoted-field"};
        fields.emplace_back(field);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
        continue;
      }
      // A quoted field, which may run over several lines.
      rest.remove_prefix(1);
      std::string field;
      bool more_fields = false;
      for (;;) {
        size_t quote = rest.find('"');
        if (quote != std::string_view::npos) {
          field += rest.substr(0, quote);
          rest.remove_prefix(quote + 1);
          if (!rest.empty() && rest[0] == '"') {
            field += '"';
            rest.remove_prefix(1);
          } else if (!rest.empty() && rest[0] == ',') {
            rest.remove_prefix(1);
            more_fields = true;
            break;
          } else if (rest.empty() || rest == "\n") {
            break;
          } else {
            throw CsvError{lines_, "extraneous or missing \" in quoted-field"};
          }
        } else if (!rest.empty()) {
          field += rest;
          if (!read_line(line)) line.clear();
          rest = line;
        } else {
          throw CsvError{lines_,
                         "extraneous or missing \" in quoted-field"};  // end of input inside quotes
        }
      }
      fields.push_back(std::move(field));
      if (!more_fields) break;
    }
    if (width_ == 0) width_ = fields.size();
    if (fields.size() != width_) throw CsvError{record_line, "wrong number of fields"};
    return fields;
  }

 private:
  static std::string_view strip_newline(std::string_view s) {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    return s;
  }

  // One line with its "\n" (CRLF folded to LF); a final line without newline loses a trailing CR.
  bool read_line(std::string& line) {
    if (pos_ >= in_.size()) return false;
    size_t nl = in_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      line = std::string(in_.substr(pos_));
      pos_ = in_.size();
      if (!line.empty() && line.back() == '\r') line.pop_back();
    } else {
      line = std::string(in_.substr(pos_, nl + 1 - pos_));
      pos_ = nl + 1;
      if (line.size() >= 2 && line[line.size() - 2] == '\r') line.erase(line.size() - 2, 1);
    }
    ++lines_;
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  int lines_ = 0;
  size_t width_ = 0;  // fields per record, set by the header
};

CallResult csvdecode(std::span<const Value> a) {
  CsvReader reader(a[0].as_string());
  try {
    auto header = reader.read();
    if (!header) return CallResult::fail("missing header line");
    std::set<std::string> seen;
    std::vector<Type::Attribute> attrs;
    for (const auto& name : *header) {
      if (!seen.insert(name).second)
        return CallResult::fail("duplicate column name " + go_quote(name));
      attrs.emplace_back(name, Type::string());
    }
    Type row_type = Type::object(std::move(attrs));
    std::vector<Value> rows;
    while (auto record = reader.read()) {
      std::vector<Value::Entry> entries;
      for (size_t i = 0; i < record->size(); ++i)
        entries.emplace_back((*header)[i], Value::string((*record)[i]));
      rows.push_back(Value::object(std::move(entries)));
    }
    return CallResult::ok(Value::list(std::move(rows), row_type));
  } catch (const CsvError& e) {
    return CallResult::fail("CSV parse error on line " + std::to_string(e.line) + ": " + e.what);
  }
}

}  // namespace

namespace fn {

void add_csv_functions(FunctionTable& t) {
  t.add("csvdecode", fixed({param("str", Type::string())}, csvdecode));
}

}  // namespace fn

}  // namespace warden::hcl
