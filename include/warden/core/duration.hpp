// Durations in Go's syntax ("5s", "1h30m", "300ms", "1.5h"), as nomad job files write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden {

// Nanoseconds, like Go's time.Duration.
using Nanos = int64_t;

inline constexpr Nanos kNanosecond = 1;
inline constexpr Nanos kMicrosecond = 1000;
inline constexpr Nanos kMillisecond = 1000 * kMicrosecond;
inline constexpr Nanos kSecond = 1000 * kMillisecond;
inline constexpr Nanos kMinute = 60 * kSecond;
inline constexpr Nanos kHour = 60 * kMinute;

// Parses like Go's time.ParseDuration; on failure returns nullopt and, if err is given,
// Go's message ("time: invalid duration \"5x\"", "time: missing unit in duration \"5\"", ...).
std::optional<Nanos> parse_duration(std::string_view s, std::string* err = nullptr);

// Formats like Go's time.Duration.String(): "1h30m0s", "5s", "300ms", "0s".
std::string format_duration(Nanos d);

}  // namespace warden
