#include "cli/login_token.hpp"

#include <unistd.h>

#include <cstdint>
#include <iostream>

#include "cli/credentials_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace tessera::cli {
namespace {

// A login's token lives 30 days, as the Heroku CLI's does.
constexpr std::int64_t kLoginLifetime = 30 * 24 * 3600;

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
    return name;
}

}  // namespace

int keep_login(const sdk::Api& api, const std::string& api_url, const std::string& email) {
    auto created =
        api.oauth().authorizations().create({.scope = {"global"},
                                             .description = "Tessera CLI login from " + host_name(),
                                             .expires_in = kLoginLifetime});
    if (!created) return report(created.error());
    if (!created->access_token)
        return report(sdk::ApiError{.kind = sdk::ErrorKind::protocol,
                                    .message = "the server returned no token"});
    StoredLogin login{api_url, created->user.email.empty() ? email : created->user.email,
                      created->access_token->token, created->id};
    if (auto error = save_login(credentials_path(), login); !error.empty())
        return usage_error(error);
    std::cout << "Logged in as " << login.email << " at " << api_url << ".\n";
    return kOk;
}

}  // namespace tessera::cli
