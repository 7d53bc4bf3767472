// Diagnostics: what went wrong in a user's input, where, and how to show it.
//
// Every layer reports problems with a file's content as diagnostics that carry a position
// (file, line, column, byte offset) and, once annotated with the source, the offending line
// with a caret under the subject — the way a compiler does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

// A position in a source file. Lines and columns count from 1, columns in characters
// (Unicode code points); byte counts from 0.
struct Pos {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t byte = 0;
  friend bool operator==(const Pos&, const Pos&) = default;
};

// A half-open range [start, end) in one source file.
struct Range {
  Pos start;
  Pos end;
  friend bool operator==(const Range&, const Range&) = default;
  static Range between(const Range& a, const Range& b) { return Range{a.start, b.end}; }
};

enum class Severity : uint8_t { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string summary;           // one line, e.g. "Unsupported argument"
  std::string detail;            // full sentences, may be empty
  std::string file;              // file name as given by the caller; may be empty
  std::optional<Range> subject;  // the exact span the diagnostic is about
  std::string excerpt;           // source line(s) with a caret; filled by SourceFile::annotate

  // "file:line:column: error: summary: detail" followed by the excerpt, if any.
  std::string format() const;
};

// An ordered list of diagnostics; several problems are reported at once.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(std::string summary, std::string detail, std::optional<Range> subject = {});
  void append(const Diagnostics& other);
  void append(Diagnostics&& other);

  bool has_errors() const;
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const Diagnostic& operator[](size_t i) const { return items_[i]; }
  Diagnostic& operator[](size_t i) { return items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }

  // All diagnostics, formatted and separated by blank lines.
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
};

// The text of one source file, indexed by line, used to turn byte offsets into positions
// and to annotate diagnostics with the offending line and a caret.
class SourceFile {
 public:
  SourceFile(std::string name, std::string_view text);

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }

  // The position of a byte offset (clamped to the text).
  Pos pos_at(size_t byte) const;
  // The text of a line (1-based), without its line terminator.
  std::string_view line(uint32_t line) const;
  // Fills d.file (if empty) and d.excerpt from this file's text.
  void annotate(Diagnostic& d) const;
  void annotate(Diagnostics& ds) const;

 private:
  // Built on first use: most files parse without a diagnostic.
  const std::vector<uint32_t>& line_starts() const;

  std::string name_;
  std::string_view text_;
  mutable std::vector<uint32_t> line_starts_;
};

}  // namespace warden
