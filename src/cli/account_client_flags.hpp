#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

#include "tessera/iam_types.hpp"

namespace tessera::cli {

// The client metadata flags of `tessera accounts clients create|update`
// (Cloudflare spec §2.1, §2.4): create needs --name, --redirect-uri and
// --scope; update sends only the flags given, and --clear FIELD removes one.
class AccountClientFlags {
public:
    void add_to(CLI::App& command, bool is_create);

    sdk::AccountOAuthClientCreate create_body() const;
    sdk::AccountOAuthClientUpdate update_body() const;
    // True when any metadata flag was given (an update must change something).
    bool any_given() const;

private:
    bool has(const std::string& flag) const;
    bool clears(const std::string& field) const;

    std::string name_, auth_method_, client_uri_, logo_uri_, policy_uri_, tos_uri_, visibility_;
    std::vector<std::string> redirect_uris_, grant_types_, response_types_, scopes_,
        optional_scopes_, cors_origins_, post_logout_redirect_uris_, clear_;
    std::map<std::string, CLI::Option*> given_;  // flag -> its option, to tell what was set
};

}  // namespace tessera::cli
