#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"
#include "base/result.hpp"
#include "core/keys/key_ring.hpp"
#include "core/model/user.hpp"
#include "core/store/user_store.hpp"

namespace tessera::core {

// What an ID token says (OpenID Connect Core §2), before it is signed.
struct IdTokenClaims {
    std::string issuer;
    Id subject;   // the user id: a public subject identifier
    Id audience;  // the client id
    Timestamp issued_at = 0;
    Timestamp expires_at = 0;
    std::optional<Timestamp> auth_time;  // when the user signed in; none on refresh
    std::string nonce;                   // empty: none was sent
    std::string at_hash;                 // empty: no access token beside it
    std::string c_hash;                  // empty: no code beside it (Core §3.3.2.11)
    // Core §5.4: `profile` → name, `email` → email and email_verified.
    std::optional<std::string> name;
    std::optional<std::string> email;
};

// The claims for `user`, by scope (`profile`, `email`); scope-independent
// fields are left for the caller.
void add_scope_claims(IdTokenClaims& claims, const User& user,
                      const std::vector<std::string>& scope);

// The claims as one JSON object, in a fixed order (iss, sub, aud, iat, exp,
// auth_time, nonce, at_hash, c_hash, name, email, email_verified). Ids render as
// dashed UUIDs, as client_id and user_id do on the wire. email_verified is
// false: Tessera does not verify addresses.
std::string to_json(const IdTokenClaims& claims);

// Whether `scope` asks for OpenID Connect (Core §3.1.2.1).
bool has_openid(const std::vector<std::string>& scope);

// What the token or authorization endpoint knows when it issues an ID token.
struct IdTokenRequest {
    Id user_id;
    Id client_id;
    std::vector<std::string> scope;
    std::string nonce;                   // empty: none
    std::optional<Timestamp> auth_time;  // none on refresh
    std::string access_token;            // issued beside it, for at_hash; empty: none
    // The client's id_token_signed_response_alg; empty: the default line.
    std::string algorithm;
    std::string code;  // issued beside it (hybrid flow), for c_hash; empty: none
};

// Signs ID tokens with the current key of the client's algorithm (Core
// §3.1.3.6, §3.1.3.7, §3.2.2.10, §3.3.2.11). The code and refresh grants
// call it for an `openid` scope, and the authorization endpoint for the
// response types that return an id_token: nothing here runs for
// client_credentials or introspection. Thread-safe.
class IdTokenIssuer {
public:
    IdTokenIssuer(std::string issuer, const KeyRing& keys, UserStore& users, const Clock& clock,
                  std::int64_t ttl = 3600)
        : issuer_(std::move(issuer)), keys_(keys), users_(users), clock_(clock), ttl_(ttl) {}

    // The compact JWS. `internal` when the user is gone; `unavailable` when
    // the client's algorithm has no current key; the key ring's and the
    // store's errors.
    Result<std::string> issue(const IdTokenRequest& request) const;

    std::int64_t ttl() const { return ttl_; }

private:
    std::string issuer_;
    const KeyRing& keys_;
    UserStore& users_;
    const Clock& clock_;
    const std::int64_t ttl_;
};

// What an id_token_hint (OpenID Connect RP-Initiated Logout 1.0 §2) tells
// us once verified.
struct IdTokenHint {
    Id subject;
    Id audience;
};

// Checks an ID token we issued, as a logout hint: the JWS signature against
// the published key named by its `kid` (with that key's algorithm, never the
// header's choice of another), `iss` equal to `issuer`, `sub` and `aud` ids,
// and, when `client_id` is given, `aud` equal to it. Expiry is not checked
// (RP-Initiated Logout §2 accepts expired hints). `invalid_request` for any
// failed check; the key ring's errors otherwise.
Result<IdTokenHint> verify_id_token_hint(const KeyRing& keys, std::string_view issuer,
                                         std::string_view token,
                                         const std::optional<Id>& client_id = std::nullopt);

}  // namespace tessera::core
