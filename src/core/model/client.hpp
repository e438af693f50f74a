#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"

namespace tessera::core {

// An OAuth client. Secrets are held only as keyed digests (32 raw bytes).
// After a rotation with a grace period the previous digest stays valid until
// it is deleted; on the Heroku surface rotation drops it at once.
struct Client {
    Id id;
    Id account_id;  // owning account
    Id owner_id;    // the user who registered it
    std::string name;
    std::vector<std::string> redirect_uris;  // exact-match list; Heroku shows the first
    // RFC 7591 metadata, in wire spelling. Clients made on the Heroku surface
    // get authorization_code + refresh_token, every catalog scope,
    // client_secret_basic and a stable refresh token (Heroku spec D3).
    std::vector<std::string> grant_types;  // authorization_code, refresh_token, client_credentials
    std::vector<std::string> scopes;       // what the client may ask for
    std::string token_endpoint_auth_method = "client_secret_basic";  // or client_secret_post, none
    std::string refresh_policy = "stable";                           // or rotate
    std::string secret_digest;
    std::optional<std::string> previous_secret_digest;
    // Heroku spec §9 D1: with retrievable client secrets on, the current
    // secret sealed with AEAD (crypto::SecretBox); otherwise nullopt.
    std::optional<std::string> secret_ciphertext;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
    // RFC 7592: the digest of the registration access token of a client
    // registered through POST /oauth/register; nullopt for every other client.
    std::optional<std::string> registration_token_digest;
    // OpenID Connect RP-Initiated Logout §3.1: exact-match list of where a
    // logout may send the browser back to; same rules as redirect_uris.
    std::vector<std::string> post_logout_redirect_uris;

    // Whether the client registered for the grant type `type`.
    bool allows_grant(std::string_view type) const {
        return std::find(grant_types.begin(), grant_types.end(), type) != grant_types.end();
    }
    // A public client (RFC 6749 §2.1): it has no secret.
    bool is_public() const { return token_endpoint_auth_method == "none"; }
};

}  // namespace tessera::core
