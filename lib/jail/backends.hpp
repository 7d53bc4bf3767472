// The backends behind make_driver().
#pragma once

#include <memory>

#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

Result<std::unique_ptr<Driver>> make_linux_driver(DriverOptions options);
Result<std::unique_ptr<Driver>> make_pot_driver(DriverOptions options);

}  // namespace warden::jail::detail
