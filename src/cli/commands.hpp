#pragma once

#include <CLI/CLI.hpp>

// The `tessera` commands that talk to a server through the SDK: login,
// logout, whoami, clients, authorizations, sessions, accounts, token.
namespace tessera::cli {

// Adds the API commands to the `tessera` app. The chosen command's exit
// code (cli/exit_codes.hpp) is stored in `exit_code`, which must outlive
// the parse.
void add_api_commands(CLI::App& app, int& exit_code);

// For a CLI11 parse error: prints it (or the help asked for) and returns the
// exit code, 2 for a usage error in an API command, CLI11's own otherwise
// (the serve and admin commands keep theirs).
int exit_for_parse_error(CLI::App& app, const CLI::ParseError& error);

}  // namespace tessera::cli
