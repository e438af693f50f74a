#include "cli/context.hpp"

#include <cstdlib>
#include <iostream>

#include "cli/credentials_file.hpp"
#include "cli/exit_codes.hpp"

namespace tessera::cli {

void CommonFlags::add_to(CLI::App& command, bool with_json) {
    command
        .add_option("--api-url", api_url,
                    "Server URL (default: the login's, else " + std::string(kDefaultApiUrl) + ")")
        ->envname("TESSERA_API_URL");
    command.add_option("--ca-file", ca_file, "PEM file of CAs to trust for https")
        ->envname("TESSERA_CA_FILE");
    if (with_json) command.add_flag("--json", json, "Print the API's JSON instead of a table");
}

std::string resolve_api_url(const CommonFlags& flags) {
    if (!flags.api_url.empty()) return flags.api_url;
    if (auto stored = load_login(credentials_path()); stored && !stored->api_url.empty())
        return stored->api_url;
    return kDefaultApiUrl;
}

sdk::Options api_options(const CommonFlags& flags) {
    sdk::Options options;
    if (!flags.ca_file.empty()) options.ca_file = flags.ca_file;
    options.user_agent = "tessera-cli/0.1.0";
    return options;
}

std::variant<sdk::Api, int> open_api(const CommonFlags& flags) {
    std::string url = resolve_api_url(flags);
    if (const char* key = std::getenv("TESSERA_API_KEY"); key && *key)
        return sdk::Api(url, sdk::Credentials::token(sdk::Secret(key)), api_options(flags));
    auto stored = load_login(credentials_path());
    if (stored && stored->api_url == url)
        return sdk::Api(url, sdk::Credentials::token(stored->token), api_options(flags));
    std::cerr << "Error: not logged in to " << url
              << ".\n  Run `tessera login`, or set TESSERA_API_KEY to an API token.\n";
    if (stored)
        std::cerr << "  (The stored login is for " << stored->api_url
                  << "; it is not sent to another server.)\n";
    return kUnreachable;
}

std::optional<sdk::Secret> secret_argument(const std::string& value) {
    if (value != "-") return sdk::Secret(value);
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return sdk::Secret(std::move(line));
}

void describe_group(CLI::App& group) {
    group.footer(std::string(kExitCodesHelp) +
                 "\nEnvironment: TESSERA_API_URL (server), TESSERA_API_KEY (token; overrides the "
                 "login), TESSERA_CA_FILE (extra CAs), XDG_CONFIG_HOME (where the login is kept).");
}

}  // namespace tessera::cli
