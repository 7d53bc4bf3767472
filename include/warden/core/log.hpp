// Logging hook: the library never prints by itself. An application installs a sink;
// without one, messages below `warn` are dropped and the rest go to stderr.
#pragma once

#include <functional>
#include <string_view>

namespace warden {

enum class LogLevel : int { trace = 0, debug = 1, info = 2, warn = 3, error = 4 };

using LogSink = std::function<void(LogLevel, std::string_view component, std::string_view message)>;

void set_log_sink(LogSink sink);
void set_log_level(LogLevel min_level);
void log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace warden
