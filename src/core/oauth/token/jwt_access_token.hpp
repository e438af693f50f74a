#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/keys/key_ring.hpp"
#include "core/model/authorization.hpp"
#include "core/model/client.hpp"

namespace tessera::core {

// The values of Client::access_token_format: "opaque" (the default: a
// random "tat_" token, crypto::mint_token_with_id) or "jwt" (RFC 9068).
inline constexpr std::string_view kOpaqueAccessTokens = "opaque";
inline constexpr std::string_view kJwtAccessTokens = "jwt";

// Whether `client` gets JWT access tokens (RFC 9068) rather than opaque ones.
inline bool issues_jwt_access_tokens(const Client& client) {
    return client.access_token_format == kJwtAccessTokens;
}

// What a JWT access token says (RFC 9068 §2.2), before it is signed.
struct JwtAccessTokenClaims {
    std::string issuer;
    std::string audience;
    std::string subject;    // the user id; the client id when no user is involved
    std::string client_id;  // dashed UUID
    std::string jwt_id;     // the stored token's id, dashed UUID
    Timestamp issued_at = 0;
    Timestamp expires_at = 0;
    std::optional<Timestamp> auth_time;  // when the user signed in, if known
    std::vector<std::string> scope;      // rendered space-separated (RFC 8693 §4.2)
};

// The claims as one JSON object in a fixed order (iss, exp, aud, sub,
// client_id, iat, jti, scope, auth_time); scope is left out when empty.
std::string to_json(const JwtAccessTokenClaims& claims);

// Signs JWT access tokens (RFC 9068 §2) with the key ring's current key:
// header {"alg", "typ":"at+jwt", "kid"}, so the token verifies against the
// JWKS at /.well-known/jwks.json, where the key stays published until the
// tokens it signed have expired (KeyPolicy::signed_token_ttl must cover the
// access token lifetimes).
//
// `aud` (§3): Tessera accepts no resource indicator (RFC 8707), so every
// token carries the default one given here; the deployment wires in its
// issuer, whose origin serves the APIs the tokens are for (userinfo, the
// Heroku and Cloudflare surfaces). Thread-safe; holds references to `keys`,
// which must outlive it.
class JwtAccessTokenSigner {
public:
    JwtAccessTokenSigner(std::string issuer, std::string audience, const KeyRing& keys)
        : issuer_(std::move(issuer)), audience_(std::move(audience)), keys_(keys) {}

    // The compact JWS for `token`, which must have its id, client_id, scope,
    // created_at and expires_at set: sub is its user_id, or its client_id
    // for a token with no user (RFC 9068 §2.2: client_credentials); jti is
    // its id, so the store finds the row by it (AccessToken::id_in_token).
    // `internal` for a token without client_id or expiry (a programming
    // error); the key ring's errors (`unavailable`, `internal`).
    Result<Secret> sign(const AccessToken& token, std::optional<Timestamp> auth_time) const;

    const std::string& issuer() const { return issuer_; }
    const std::string& audience() const { return audience_; }

private:
    std::string issuer_;
    std::string audience_;
    const KeyRing& keys_;
};

}  // namespace tessera::core
