#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessera/secret.hpp"

// Requests and answers of the standard OAuth 2.0 endpoints (RFC 6749 §5,
// RFC 7662, RFC 7009, RFC 8414 / OpenID Connect Discovery, RFC 7517 JWKS,
// OpenID Connect UserInfo, RFC 7591 / RFC 7592 dynamic client registration).
namespace tessera::sdk {

// How a client authenticates at the token, introspection and revocation
// endpoints (RFC 6749 §2.3.1). A public client sends its id only.
struct ClientAuth {
    enum class Method { basic, post, none };
    std::string client_id;
    Secret client_secret;
    Method method = Method::basic;
};

// POST /oauth/token. Set what the grant needs: `code` (+ `redirect_uri`,
// `code_verifier`) for authorization_code, `refresh_token` for
// refresh_token, `scope` for client_credentials or a narrower refresh.
struct TokenRequest {
    std::string grant_type;  // "authorization_code", "refresh_token", "client_credentials"
    ClientAuth client;
    std::optional<Secret> code;
    std::optional<std::string> redirect_uri;
    std::optional<Secret> code_verifier;
    std::optional<Secret> refresh_token;
    std::optional<std::string> scope;  // space-delimited
};

// RFC 6749 §5.1, plus Heroku's user_id and session_nonce (spec §6.2) and
// OpenID Connect's id_token.
struct TokenResponse {
    Secret access_token;
    std::string token_type;
    std::optional<std::int64_t> expires_in;
    std::optional<Secret> refresh_token;
    std::optional<std::string> scope;
    std::optional<Secret> id_token;
    std::optional<std::string> user_id;
    std::optional<std::string> session_nonce;
};

// RFC 7662 §2.2. An inactive token has only `active` false.
struct Introspection {
    bool active = false;
    std::optional<std::string> scope;
    std::optional<std::string> client_id;
    std::optional<std::string> sub;
    std::optional<std::string> token_type;
    std::optional<std::int64_t> iat;
    std::optional<std::int64_t> exp;
    std::optional<std::string> iss;
};

// RFC 8414 authorization server metadata (OpenID Connect Discovery fields
// when the server publishes them).
struct ServerMetadata {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::optional<std::string> revocation_endpoint;
    std::optional<std::string> introspection_endpoint;
    std::optional<std::string> registration_endpoint;
    std::optional<std::string> userinfo_endpoint;
    std::optional<std::string> jwks_uri;
    std::optional<std::string> end_session_endpoint;
    std::vector<std::string> scopes_supported;
    std::vector<std::string> response_types_supported;
    std::vector<std::string> response_modes_supported;
    std::vector<std::string> grant_types_supported;
    std::vector<std::string> token_endpoint_auth_methods_supported;
    std::vector<std::string> revocation_endpoint_auth_methods_supported;
    std::vector<std::string> introspection_endpoint_auth_methods_supported;
    std::vector<std::string> code_challenge_methods_supported;
    std::vector<std::string> subject_types_supported;
    std::vector<std::string> id_token_signing_alg_values_supported;
    std::vector<std::string> claims_supported;
    bool authorization_response_iss_parameter_supported = false;
};

// RFC 7517 §4 One public key of the server's JWK Set. Members the key type
// does not use are nullopt: EC has crv, x, y; RSA has n, e; OKP (EdDSA) has
// crv, x. Values are base64url as on the wire.
struct Jwk {
    std::string kty;                 // "EC", "RSA", "OKP"
    std::optional<std::string> kid;  // names the key in a JWS header
    std::optional<std::string> use;  // "sig"
    std::optional<std::string> alg;  // "ES256", "RS256", "EdDSA", ...
    std::optional<std::string> crv;  // "P-256", "Ed25519"
    std::optional<std::string> x;
    std::optional<std::string> y;
    std::optional<std::string> n;
    std::optional<std::string> e;
};

// RFC 7517 §5 GET /.well-known/jwks.json: every published key, the ones
// that sign now and the ones that did or will.
struct JwkSet {
    std::vector<Jwk> keys;
};

// OpenID Connect Core §5.3.2 The claims of UserInfo: `sub` always, the
// others as the token's scope allows (`profile`: name; `email`: email and
// email_verified).
struct UserInfo {
    std::string sub;
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<bool> email_verified;
};

// RFC 7591 §2 Client metadata for register_client() and, RFC 7592 §2.2,
// for a registration's update(). Only the fields that are set are sent; the
// server gives every other its default (and an update replaces the whole
// registration, so a field left out returns to its default). Values are
// strings so that values a newer server accepts need no new SDK.
struct ClientMetadata {
    // Absolute URIs: https, or http on a loopback or private host. For a
    // native app, http://127.0.0.1/callback matches any port (RFC 8252 §7.3).
    std::optional<std::vector<std::string>> redirect_uris;
    // OpenID Connect RP-Initiated Logout §3.1.
    std::optional<std::vector<std::string>> post_logout_redirect_uris;
    // "client_secret_basic" (the default), "client_secret_post" or "none"
    // (a public client: no secret, PKCE required).
    std::optional<std::string> token_endpoint_auth_method;
    // "authorization_code" (the default), "refresh_token", "client_credentials", ...
    std::optional<std::vector<std::string>> grant_types;
    // Each one response type combination: "code", "code id_token", ...;
    // default ["code"] with authorization_code, [] without.
    std::optional<std::vector<std::string>> response_types;
    std::optional<std::string> client_name;  // default "Unnamed client"
    // Space-delimited, within the server's catalog. Without it the client
    // may ask for any catalog scope but has no default one.
    std::optional<std::string> scope;
    // Tessera extension: "opaque" (the default) or "jwt" (RFC 9068 JWT
    // access tokens).
    std::optional<std::string> access_token_format;
    // OpenID Connect Registration §2: the ID token algorithm ("ES256",
    // "RS256", "EdDSA", ... as the server offers); default: the server's.
    std::optional<std::string> id_token_signed_response_alg;
};

// RFC 7591 §3.2.1 / RFC 7592 §3 A registered client as the registration
// endpoints describe it: its credentials and its metadata as stored.
struct ClientRegistration {
    std::string client_id;
    // The raw secret: only in the answer to register_client(), and never for
    // a public ("none") client.
    std::optional<Secret> client_secret;
    std::optional<std::int64_t> client_id_issued_at;       // Unix seconds
    std::optional<std::int64_t> client_secret_expires_at;  // 0: never; absent for "none"
    // Manages the registration (RFC 7592): keep it with the client id.
    Secret registration_access_token;
    std::string registration_client_uri;  // {issuer}/oauth/register/{client_id}
    std::string client_name;
    std::vector<std::string> redirect_uris;
    std::vector<std::string> post_logout_redirect_uris;
    std::vector<std::string> grant_types;
    std::vector<std::string> response_types;
    std::string token_endpoint_auth_method;
    std::optional<std::string> scope;  // space-delimited; absent: none registered
    std::optional<std::string> access_token_format;
    std::optional<std::string> id_token_signed_response_alg;
};

}  // namespace tessera::sdk
