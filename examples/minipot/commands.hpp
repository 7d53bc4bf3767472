// The commands minipot offers, grouped by topic; main.cpp dispatches to them.
#pragma once

#include <vector>

#include "cli.hpp"

namespace minipot {

std::vector<Command> job_commands();

}  // namespace minipot
