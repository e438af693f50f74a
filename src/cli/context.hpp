#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <variant>

#include "tessera/api.hpp"

namespace tessera::cli {

inline constexpr const char* kDefaultApiUrl = "http://127.0.0.1:8080";

// The flags every API command takes: where the server is and which CA to
// trust, and whether to print JSON.
struct CommonFlags {
    std::string api_url;  // --api-url or TESSERA_API_URL; else the login's, else the default
    std::string ca_file;  // --ca-file or TESSERA_CA_FILE: extra CAs (PEM) for https
    bool json = false;    // --json

    // Adds --api-url and --ca-file (and --json when `with_json`) to `command`.
    void add_to(CLI::App& command, bool with_json = true);
};

// The URL the command talks to: --api-url / TESSERA_API_URL, else the
// stored login's, else kDefaultApiUrl.
std::string resolve_api_url(const CommonFlags& flags);

// SDK options from the flags.
sdk::Options api_options(const CommonFlags& flags);

// An Api with the caller's token: TESSERA_API_KEY, else the stored login's
// (only when it was made for the same URL, so a token never goes to another
// server). Without one, prints how to log in and yields kUnreachable.
std::variant<sdk::Api, int> open_api(const CommonFlags& flags);

// Runs `body(api)` with open_api(flags)'s Api; its exit code, or open_api's.
template <typename Body>
int with_api(const CommonFlags& flags, Body&& body) {
    auto api = open_api(flags);
    if (auto* code = std::get_if<int>(&api)) return *code;
    return body(std::get<sdk::Api>(api));
}

// A token or secret given on the command line, or read from stdin when it
// is "-" (keeps it out of `ps` and shell history). nullopt at end of input.
std::optional<sdk::Secret> secret_argument(const std::string& value);

// Adds an API command group's footer (exit codes and environment).
void describe_group(CLI::App& group);

}  // namespace tessera::cli
