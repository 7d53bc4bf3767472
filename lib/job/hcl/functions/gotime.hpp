// Instants as Go's time package parses and prints them, for formatdate, timeadd and the YAML
// timestamps go-cty-yaml turns into RFC 3339 strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::hcl::fn {

struct GoTime {
  int64_t seconds = 0;  // since the Unix epoch
  int32_t nanos = 0;
  int32_t offset = 0;  // the zone's offset east of UTC, in seconds; Go keeps it for printing
};

// Calendar fields of an instant in its own offset.
struct Civil {
  int64_t year;
  int month, day, hour, minute, second;
  int weekday;  // 0 = Sunday
};
Civil civil(const GoTime& t);

// t.Format(time.RFC3339): whole seconds, "Z" for a zero offset.
std::string format_rfc3339(const GoTime& t);
// "+hh:mm" (colon) or "+hhmm".
std::string format_offset(int32_t offset, bool colon);

// time.Parse(time.RFC3339, s); on failure `err` holds go-cty's rewording of Go's ParseError
// ("not a valid RFC3339 timestamp: ...").
std::optional<GoTime> parse_rfc3339(std::string_view s, std::string& err);

// The timestamp forms go-cty-yaml accepts: 2006-1-2T15:4:5.999999999Z07:00 (also with 't'),
// "2006-1-2 15:4:5.999999999" (UTC) and "2006-1-2".
std::optional<GoTime> parse_yaml_timestamp(std::string_view s);

}  // namespace warden::hcl::fn
