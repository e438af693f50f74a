#pragma once

#include "tessera/result.hpp"

namespace tessera::cli {

// The exit status of every API command (documented in --help and README).
inline constexpr int kOk = 0;
inline constexpr int kApiError = 1;     // the server refused: 4xx (but 401) or 5xx, or nonsense
inline constexpr int kUsage = 2;        // bad arguments or flags; nothing was sent
inline constexpr int kUnreachable = 3;  // network, timeout or TLS failure; not logged in, or 401

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success, 1 API error (the server refused the request), 2 usage error, "
    "3 network, TLS or authentication error (not logged in, or the token was refused).";

// The exit code for a failed call.
int exit_code_for(const sdk::ApiError& error);

}  // namespace tessera::cli
