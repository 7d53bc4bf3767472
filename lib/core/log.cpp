#include "warden/core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace warden {
namespace {

std::mutex g_mu;
LogSink g_sink;
std::atomic<int> g_level{static_cast<int>(LogLevel::warn)};

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::trace:
      return "TRACE";
    case LogLevel::debug:
      return "DEBUG";
    case LogLevel::info:
      return "INFO";
    case LogLevel::warn:
      return "WARN";
    case LogLevel::error:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

void set_log_level(LogLevel min_level) {
  g_level = static_cast<int>(min_level);
}

void log(LogLevel level, std::string_view component, std::string_view message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(level, component, message);
    return;
  }
  std::string line = std::string("[") + level_name(level) + "] " + std::string(component) + ": " +
                     std::string(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace warden
