#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"

namespace tessera::core {

// A user's standing grant of scopes to a client, or a direct authorization
// (no client: a personal API token). Revoking it revokes everything issued
// under it.
struct Authorization {
    Id id;
    Id user_id;
    std::optional<Id> client_id;  // nullopt: direct authorization
    std::vector<std::string> scope;
    std::string description;
    bool is_api_key = false;  // the account's API key (Heroku `~` alias)
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
    // Cloudflare spec §8: optional scopes the user declined at consent (and
    // has not granted since); a later request for them is not asked again.
    std::vector<std::string> declined_scope{};
};

// An access token as stored: digest only, plus its redacted display form
// (first 9 + "**********" + last 4 characters), which reveals too little to use.
// A client_credentials token has no authorization and no user.
struct AccessToken {
    Id id;
    std::optional<Id> authorization_id;
    std::optional<Id> user_id;
    std::optional<Id> client_id;
    std::string digest;  // keyed digest, 32 raw bytes
    std::string redacted;
    std::vector<std::string> scope;
    std::optional<Timestamp> expires_at;  // nullopt: never expires
    Timestamp created_at = 0;
    std::optional<Id> session_id;  // the session (refresh-token family) it belongs to
    // The raw token carries `id` (crypto::mint_token_with_id, or a JWT access
    // token's jti): the store finds it by id and needs no index on its digest.
    bool id_in_token = false;
};

}  // namespace tessera::core
