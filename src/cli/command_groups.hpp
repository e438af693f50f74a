#pragma once

#include <CLI/CLI.hpp>

// One function per command group, each in its own file; commands.cpp adds
// them all. Every command stores its exit code in `exit_code`.
namespace tessera::cli {

void add_login_commands(CLI::App& app, int& exit_code);           // login, logout, whoami
void add_clients_commands(CLI::App& app, int& exit_code);         // clients ...
void add_authorizations_commands(CLI::App& app, int& exit_code);  // authorizations ...
void add_sessions_commands(CLI::App& app, int& exit_code);        // sessions ...
void add_accounts_commands(CLI::App& app, int& exit_code);        // accounts clients|scopes ...
void add_token_commands(CLI::App& app, int& exit_code);           // token introspect|revoke

}  // namespace tessera::cli
