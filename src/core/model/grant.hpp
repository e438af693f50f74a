#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"

namespace tessera::core {

// An authorization code (DESIGN.md "Grant"): single use, short-lived, bound to
// the client, the redirect URI sent at authorize, the PKCE challenge and the
// user. Stored as a digest only.
struct AuthorizationCode {
    Id id;
    std::string digest;   // keyed digest of the raw code, 32 raw bytes
    Id authorization_id;  // the standing grant it was issued under
    Id client_id;
    Id user_id;
    std::string redirect_uri;    // as sent at authorize; empty when it was omitted
    std::string code_challenge;  // S256 (RFC 7636); empty when none was sent
    std::vector<std::string> scope;
    std::string nonce;        // OpenID Connect; empty when none was sent
    Timestamp auth_time = 0;  // when the user signed in
    Timestamp expires_at = 0;
    Timestamp created_at = 0;
    std::optional<Timestamp> consumed_at;  // set by the one exchange that wins
    std::optional<Id> session_id;          // the session that exchange started
};

// An OAuth session (Heroku spec §5): one refresh-token family and the access
// tokens issued under it. Deleting it revokes all of them.
struct Session {
    Id id;
    Id authorization_id;
    Id user_id;
    std::optional<Id> client_id;
    std::string nonce;  // 16 lowercase hex (Heroku `session_nonce`)
    std::string description;
    std::vector<std::string> scope;
    std::optional<Timestamp> expires_at;  // nullopt: never expires
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

// One refresh token of a session. A rotating client's token is spent by its
// first use, which names its successor; a stable client's is never spent.
struct RefreshToken {
    Id id;
    Id session_id;
    std::string digest;  // keyed digest, 32 raw bytes
    std::string redacted;
    std::optional<Timestamp> spent_at;
    std::optional<Id> successor_id;
    Timestamp created_at = 0;
};

// A signed-in browser (the authorization endpoint's cookie), stored as the
// digest of the cookie value.
struct BrowserSession {
    Id id;
    std::string digest;  // keyed digest of the cookie value, 32 raw bytes
    Id user_id;
    Timestamp auth_time = 0;  // when the user entered their password
    Timestamp expires_at = 0;
    Timestamp created_at = 0;
};

}  // namespace tessera::core
