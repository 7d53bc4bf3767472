// A streaming JSON writer whose output is byte-compatible with Go's encoding/json
// (the format of nomad's API): the same string escaping (including <, >, & as \u003c...),
// the same float formatting, and MarshalIndent's layout when indenting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

class JsonWriter {
 public:
  // indent = "" gives compact output; "    " gives json.MarshalIndent(v, "", "    ").
  explicit JsonWriter(std::string indent = "") : indent_(std::move(indent)) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& null();
  JsonWriter& boolean(bool b);
  JsonWriter& integer(int64_t i);
  JsonWriter& unsigned_integer(uint64_t u);
  JsonWriter& number(double d);                     // Go's float64 formatting
  JsonWriter& raw_number(std::string_view digits);  // already formatted
  JsonWriter& string(std::string_view s);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

  // Appends s as a quoted, Go-escaped JSON string.
  static void append_quoted(std::string& out, std::string_view s);
  // Go's strconv.FormatFloat(f, 'g'-like JSON rules): 'f' for 1e-6 <= |f| < 1e21, else 'e'.
  static std::string format_double(double d);

 private:
  void before_value();
  void newline();

  struct Frame {
    bool array;
    bool empty;
  };
  std::string out_;
  std::string indent_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

}  // namespace warden
