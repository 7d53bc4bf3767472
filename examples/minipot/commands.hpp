// The commands minipot offers. Each topic (job, image, jail, ...) defines its commands in its
// own <topic>_commands.cpp and registers them with a static Registrar; main.cpp dispatches.
#pragma once

#include <vector>

#include "cli.hpp"

namespace minipot {

// Every registered command, sorted by path.
std::vector<Command> all_commands();

struct Registrar {
  explicit Registrar(std::vector<Command> (*topic)());
};

}  // namespace minipot
