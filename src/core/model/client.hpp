#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"

namespace tessera::core {

// Cloudflare spec §4.6: proof that whoever publishes a client controls the
// host of its client_uri, by a DNS TXT record on that host whose value is
// record(). Enumerators are spelled like the wire's `status`.
struct UriVerification {
    enum class Status { pending, in_progress, verified, failed };
    Status status = Status::pending;
    std::string host;          // the client_uri host it proves, lowercased
    std::string token;         // 32 lowercase hex, new for each new host
    Timestamp deadline = 0;    // still unverified then: failed
    Timestamp checked_at = 0;  // the last lookup; 0 before the first

    // The exact TXT record value the publisher must put on `host`.
    std::string record() const { return "cloudflare_oauth_client_publisher=" + token; }
};

inline std::string_view to_string(UriVerification::Status status) {
    switch (status) {
        case UriVerification::Status::pending: return "pending";
        case UriVerification::Status::in_progress: return "in_progress";
        case UriVerification::Status::verified: return "verified";
        case UriVerification::Status::failed: return "failed";
    }
    return "pending";
}

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
    // RFC 7591 §2 metadata that the Cloudflare surface manages (Cloudflare
    // spec §3). response_types: code, token, id_token. optional_scopes: a
    // subset of `scopes` that a user may decline at consent.
    std::vector<std::string> response_types;
    std::vector<std::string> optional_scopes;
    std::vector<std::string> allowed_cors_origins;  // scheme://host[:port]
    std::optional<std::string> client_uri;
    std::optional<std::string> logo_uri;
    std::optional<std::string> policy_uri;
    std::optional<std::string> tos_uri;
    // Cloudflare spec §4.7: a private client may be authorized only by
    // members of its account. Clients made on the Heroku surface or by
    // registration are public; Cloudflare-surface clients start private.
    std::string visibility = "public";  // or private
    std::optional<Timestamp> promoted_at;
    // Present iff client_uri was set on the Cloudflare surface.
    std::optional<UriVerification> uri_verification;
    // OpenID Connect Dynamic Client Registration §2: how its ID tokens are
    // signed (ES256, RS256 or EdDSA); empty for the server's default.
    std::string id_token_signed_response_alg;
    // RFC 9068: "jwt" for JWT access tokens, "opaque" (the default) otherwise.
    std::string access_token_format = "opaque";

    // Whether the client registered for the grant type `type`.
    bool allows_grant(std::string_view type) const {
        return std::find(grant_types.begin(), grant_types.end(), type) != grant_types.end();
    }
    // A public client (RFC 6749 §2.1): it has no secret.
    bool is_public() const { return token_endpoint_auth_method == "none"; }
    // Whether only members of the owning account may authorize it.
    bool is_private() const { return visibility == "private"; }
    // Cloudflare spec §2.6: a previous secret still authenticates.
    bool has_rotated_secret() const { return previous_secret_digest.has_value(); }
    // Cloudflare spec §8: whether a browser app at `origin` may read this
    // client's answers from the token, revocation and introspection
    // endpoints (CORS); exact match against allowed_cors_origins.
    bool allows_origin(std::string_view origin) const {
        return std::find(allowed_cors_origins.begin(), allowed_cors_origins.end(), origin) !=
               allowed_cors_origins.end();
    }
};

}  // namespace tessera::core
