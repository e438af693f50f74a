#include "cli/commands.hpp"

#include <set>
#include <string>

#include "cli/command_groups.hpp"
#include "cli/exit_codes.hpp"

namespace tessera::cli {
namespace {

const std::set<std::string> kGroups = {"login",    "logout",         "whoami",   "clients",
                                       "sessions", "authorizations", "accounts", "token"};

}  // namespace

void add_api_commands(CLI::App& app, int& exit_code) {
    add_login_commands(app, exit_code);
    add_clients_commands(app, exit_code);
    add_authorizations_commands(app, exit_code);
    add_sessions_commands(app, exit_code);
    add_accounts_commands(app, exit_code);
    add_token_commands(app, exit_code);
}

int exit_for_parse_error(CLI::App& app, const CLI::ParseError& error) {
    int code = app.exit(error);
    if (code == 0) return 0;
    for (const auto* command : app.get_subcommands())
        if (kGroups.count(command->get_name())) return kUsage;
    return code;
}

}  // namespace tessera::cli
