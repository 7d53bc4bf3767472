// Leaf conversions shared by every field: strings, integers with Go's ranges, durations,
// bytes, and the free-form values of driver configs.
#include <cmath>

#include "fields.hpp"
#include "warden/core/base64.hpp"
#include "warden/core/duration.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::job::detail {

bool read_string(const hcl::Value& v, std::string& out, std::string& err) {
  if (v.is_null()) {
    err = "value must not be null";
    return false;
  }
  auto c = hcl::convert(v, hcl::Type::string());
  if (!c.ok()) {
    err = c.error;
    return false;
  }
  out = c.value.as_string();
  return true;
}

bool read_int(const hcl::Value& v, int64_t& out, std::string& err, IntRange r) {
  if (v.is_null()) {
    err = "value must not be null";
    return false;
  }
  auto c = hcl::convert(v, hcl::Type::number());
  if (!c.ok()) {
    err = c.error;
    return false;
  }
  auto i = c.value.as_number().to_int64();
  if (!i || !int_in_range(*i, r)) {
    err = int_range_error(r);
    return false;
  }
  out = *i;
  return true;
}

bool read_bool(const hcl::Value& v, bool& out, std::string& err) {
  if (v.is_null()) {
    err = "value must not be null";
    return false;
  }
  auto c = hcl::convert(v, hcl::Type::boolean());
  if (!c.ok()) {
    err = c.error;
    return false;
  }
  out = c.value.as_bool();
  return true;
}

bool read_duration(const hcl::Value& v, Duration& out, std::string& err) {
  if (v.is_null()) {
    err = "value must not be null";
    return false;
  }
  if (v.type().kind() == hcl::Type::Kind::string) {
    std::string msg;
    auto d = parse_duration(v.as_string(), &msg);
    if (!d) {
      err = msg;
      return false;
    }
    out = Duration(*d);
    return true;
  }
  if (v.type().kind() != hcl::Type::Kind::number) {
    err = "expected a duration string (like \"30s\") or a number of nanoseconds, found " +
          v.type().friendly_name();
    return false;
  }
  int64_t ns = 0;
  if (!read_int(v, ns, err, IntRange::int64)) return false;
  out = Duration(ns);
  return true;
}

bool read_bytes(const hcl::Value& v, Bytes& out, std::string& err) {
  std::string s;
  if (!read_string(v, s, err)) return false;
  size_t at = 0;
  auto decoded = base64_decode(s, &at);
  if (!decoded) {
    err = "illegal base64 data at input byte " + std::to_string(at);
    return false;
  }
  out.data = std::move(*decoded);
  return true;
}

void write_bytes(JsonWriter& w, const Bytes& b) {
  w.string(base64_encode(b.data));
}

void write_opaque(JsonWriter& w, const hcl::Value& v) {
  if (v.is_null()) {
    w.null();
    return;
  }
  switch (v.type().kind()) {
    case hcl::Type::Kind::string:
      w.string(v.as_string());
      return;
    case hcl::Type::Kind::boolean:
      w.boolean(v.as_bool());
      return;
    case hcl::Type::Kind::number: {
      const hcl::Number& n = v.as_number();
      if (auto i = n.to_int64()) {
        w.integer(*i);
      } else {
        w.number(n.to_double());  // jobspec2 hands non-integers to Go as float64
      }
      return;
    }
    case hcl::Type::Kind::list:
    case hcl::Type::Kind::set:
    case hcl::Type::Kind::tuple:
      w.begin_array();
      for (const auto& e : v.elements()) write_opaque(w, e);
      w.end_array();
      return;
    case hcl::Type::Kind::map:
    case hcl::Type::Kind::object:
      w.begin_object();
      for (const auto& [k, e] : v.entries()) {
        w.key(k);
        write_opaque(w, e);
      }
      w.end_object();
      return;
    case hcl::Type::Kind::dynamic:
      w.null();
      return;
  }
}

}  // namespace warden::job::detail
