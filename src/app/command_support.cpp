#include "app/command_support.hpp"

#include <iostream>

namespace tessera::app {

int fail(const Error& error) {
    std::cerr << "tessera: " << error.description << '\n';
    return 1;
}

Result<std::unique_ptr<Application>> open_app(const std::optional<std::string>& config_file,
                                              const std::map<std::string, std::string>& flags,
                                              Config* out_config) {
    TESSERA_TRY_ASSIGN(Config config, load_config(config_file, flags));
    if (out_config)
        *out_config = config;
    else
        config.registration = "off";
    return Application::open(config);
}

}  // namespace tessera::app
