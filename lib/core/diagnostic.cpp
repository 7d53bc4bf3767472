#include "warden/core/diagnostic.hpp"

#include <algorithm>

#include "warden/core/unicode.hpp"

namespace warden {

std::string Diagnostic::format() const {
  std::string out;
  if (!file.empty()) out += file;
  if (subject) {
    if (!out.empty()) out += ':';
    out += std::to_string(subject->start.line) + ':' + std::to_string(subject->start.column);
  }
  if (!out.empty()) out += ": ";
  out += severity == Severity::error ? "error: " : "warning: ";
  out += summary;
  if (!detail.empty()) {
    out += "\n  ";
    for (char c : detail) {
      out += c;
      if (c == '\n') out += "  ";
    }
  }
  if (!excerpt.empty()) {
    out += '\n';
    out += excerpt;
  }
  return out;
}

void Diagnostics::error(std::string summary, std::string detail, std::optional<Range> subject) {
  Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.subject = subject;
  items_.push_back(std::move(d));
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::append(Diagnostics&& other) {
  for (auto& d : other.items_) items_.push_back(std::move(d));
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& d : items_) {
    if (!out.empty()) out += "\n\n";
    out += d.format();
  }
  return out;
}

SourceFile::SourceFile(std::string name, std::string_view text)
    : name_(std::move(name)), text_(text) {}

const std::vector<uint32_t>& SourceFile::line_starts() const {
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
    }
  }
  return line_starts_;
}

Pos SourceFile::pos_at(size_t byte) const {
  byte = std::min(byte, text_.size());
  const auto& starts = line_starts();
  auto it = std::upper_bound(starts.begin(), starts.end(), byte);
  size_t line_index = static_cast<size_t>(it - starts.begin()) - 1;
  size_t start = starts[line_index];
  Pos p;
  p.line = static_cast<uint32_t>(line_index + 1);
  p.column =
      static_cast<uint32_t>(unicode::count_code_points(text_.substr(start, byte - start)) + 1);
  p.byte = static_cast<uint32_t>(byte);
  return p;
}

std::string_view SourceFile::line(uint32_t line) const {
  const auto& starts = line_starts();
  if (line == 0 || line > starts.size()) return {};
  size_t start = starts[line - 1];
  size_t end = line < starts.size() ? starts[line] : text_.size();
  std::string_view l = text_.substr(start, end - start);
  while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.remove_suffix(1);
  return l;
}

void SourceFile::annotate(Diagnostic& d) const {
  if (d.file.empty()) d.file = name_;
  if (!d.subject || !d.excerpt.empty()) return;
  const Range& r = *d.subject;
  std::string_view text = line(r.start.line);
  std::string number = std::to_string(r.start.line);
  std::string gutter(number.size(), ' ');

  // The caret line repeats tabs so that the caret lines up under any tab width.
  std::string marks;
  size_t i = 0;
  uint32_t col = 1;
  while (i < text.size() && col < r.start.column) {
    if (text[i] == '\t')
      marks += '\t';
    else
      marks += ' ';
    unicode::decode(text, i);
    ++col;
  }
  size_t width = 1;
  if (r.end.line == r.start.line && r.end.column > r.start.column) {
    width = r.end.column - r.start.column;
  } else if (r.end.line > r.start.line) {
    size_t rest = unicode::count_code_points(text.substr(std::min(i, text.size())));
    width = std::max<size_t>(1, rest);
  }
  marks += '^';
  marks.append(width - 1, '~');

  d.excerpt = "  " + number + " | " + std::string(text) + "\n  " + gutter + " | " + marks;
}

void SourceFile::annotate(Diagnostics& ds) const {
  for (auto& d : ds) annotate(d);
}

}  // namespace warden
