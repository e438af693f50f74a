#pragma once

#include <string>

#include "tessera/api.hpp"

namespace tessera::cli {

// The last step of every `tessera login`: with `api` (credentials that may
// create a global authorization: the password, or a global token from the
// browser sign-in), creates the 30-day `global` direct authorization the
// CLI keeps, stores it in the credentials file for `api_url`, and prints
// "Logged in as EMAIL at URL.". `email` is shown when the server's answer
// names no user. Returns the exit code (errors already printed).
int keep_login(const sdk::Api& api, const std::string& api_url, const std::string& email);

}  // namespace tessera::cli
