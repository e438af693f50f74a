#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/wiring.hpp"
#include "base/error.hpp"

namespace tessera::app {

// Prints `tessera: <description>` on stderr and returns exit code 1.
int fail(const Error& error);

// Loads the configuration and opens the Application. Admin commands run with
// registration off: they must work before the registration owner exists
// (`admin users create` makes it). Only `serve` (which passes `out_config`)
// checks the owner.
Result<std::unique_ptr<Application>> open_app(const std::optional<std::string>& config_file,
                                              const std::map<std::string, std::string>& flags,
                                              Config* out_config = nullptr);

}  // namespace tessera::app
