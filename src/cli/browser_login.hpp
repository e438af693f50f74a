#pragma once

#include <string>

#include "cli/context.hpp"

namespace tessera::cli {

// What `tessera login --browser` takes besides the common flags.
struct BrowserLoginFlags {
    // A public client (token_endpoint_auth_method "none") registered with
    // the redirect URI http://127.0.0.1/callback and scope global.
    std::string client_id;
    int timeout_seconds = 300;  // how long to wait for the browser
};

// `tessera login --browser` (RFC 8252): signs in through the user's
// browser with the code flow and PKCE S256 on a loopback redirect, then
// keeps a 30-day login token as the password login does (keep_login) and
// revokes the browser sign-in's own tokens. Prints the URL on stderr in
// case no browser opens. Returns the exit code (errors already printed).
int browser_login(const CommonFlags& flags, const BrowserLoginFlags& browser);

}  // namespace tessera::cli
