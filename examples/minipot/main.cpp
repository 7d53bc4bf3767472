// minipot: a single-binary agent and CLI on warden's C API — the minipot installation of the
// pot world (nomad + pot + consul + traefik on one machine), as one program.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "warden.h"

namespace {

using minipot::Command;

std::vector<Command> version_commands() {
  return {{"version",
           "",
           "Print minipot's and libwarden's versions.",
           "",
           {{"json", false, false, "Print as JSON."}},
           [](const minipot::Parsed& p) {
             if (p.has("json")) {
               std::printf("{\"Version\":\"%s\"}\n", warden_version());
             } else {
               std::printf("minipot %d.%d.%d (libwarden %s)\n", WARDEN_VERSION_MAJOR,
                           WARDEN_VERSION_MINOR, WARDEN_VERSION_PATCH, warden_version());
             }
             return 0;
           }}};
}
const minipot::Registrar version_registrar(version_commands);

void print_overview(const std::vector<Command>& cmds) {
  std::printf("Usage: minipot <command> [options] [args]\n\n");
  std::printf(
      "minipot is warden's single-binary agent and CLI, built on its C API. This version\n");
  std::printf(
      "reads job files, plans them on a described cluster, fetches and serves pot images, and\n"
      "runs jails.\n\nCommands:\n");
  for (const auto& c : cmds) {
    std::string left = "  " + c.path;
    if (left.size() < 18) left.append(18 - left.size(), ' ');
    std::printf("%s %s\n", left.c_str(), c.summary.c_str());
  }
  std::printf("\nRun `minipot <command> --help` for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<Command> cmds = minipot::all_commands();
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" ||
      args[0] == "help") {
    print_overview(cmds);
    return args.empty() ? 1 : 0;
  }
  // The longest command path that prefixes the arguments ("job validate" before "job").
  const Command* match = nullptr;
  size_t words = 0;
  for (const auto& c : cmds) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= c.path.size()) {
      size_t sp = c.path.find(' ', start);
      parts.push_back(
          c.path.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
      if (sp == std::string::npos) break;
      start = sp + 1;
    }
    if (parts.size() > args.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < parts.size(); ++i) ok = ok && args[i] == parts[i];
    if (ok && parts.size() > words) {
      match = &c;
      words = parts.size();
    }
  }
  if (!match) {
    // A topic alone ("minipot job") lists its commands.
    bool topic = false;
    for (const auto& c : cmds) {
      if (c.path.rfind(args[0] + " ", 0) == 0) {
        if (!topic)
          std::printf("Usage: minipot %s <command> [options] [args]\n\nCommands:\n",
                      args[0].c_str());
        topic = true;
        std::printf("  %-16s %s\n", c.path.c_str(), c.summary.c_str());
      }
    }
    if (topic)
      return args.size() > 1 && args[1] != "--help" && args[1] != "-help" && args[1] != "-h" ? 1
                                                                                             : 0;
    std::fprintf(stderr, "minipot: unknown command \"%s\". Run `minipot --help` for the list.\n",
                 args[0].c_str());
    return 1;
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(words), args.end());
  minipot::Parsed parsed;
  std::string error;
  if (!minipot::parse_flags(rest, match->flags, parsed, error)) {
    std::fprintf(stderr, "minipot %s: %s\n\n%s", match->path.c_str(), error.c_str(),
                 minipot::usage(*match).c_str());
    return 1;
  }
  if (parsed.help) {
    std::printf("%s", minipot::usage(*match).c_str());
    return 0;
  }
  return match->run(parsed);
}
