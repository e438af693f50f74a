#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessera/secret.hpp"

// The resources of the Heroku Platform API v3 OAuth surface (spec
// heroku-oauth.md §2–§5), field for field. Ids are lowercase dashed uuids;
// times are RFC 3339 UTC strings ("2026-01-01T12:00:00Z").
namespace tessera::sdk {

// §2.1 An OAuth client.
struct OAuthClient {
    std::string id;
    std::string name;
    std::string redirect_uri;
    // Present on create and rotate_credentials only (and on info/list when
    // the server keeps retrievable secrets, decision D1).
    std::optional<Secret> secret;
    std::optional<bool> ignores_delinquent;  // Tessera: always null
    std::string created_at;
    std::string updated_at;
};

// §2.2 Body of clients().create(): both fields are required.
struct OAuthClientCreate {
    std::string name;
    std::string redirect_uri;  // https, or http for localhost, *.local, 10.*, 127.*, 192.*
};

// §2.5 Body of clients(id).update(): only the fields set are sent.
struct OAuthClientUpdate {
    std::optional<std::string> name;
    std::optional<std::string> redirect_uri;
};

// §3.1 `access_token` / `refresh_token` of an authorization, and the tokens
// of §4.1. `token` is the raw value only in the response that minted it
// (create, regenerate, token exchange); elsewhere the server's redacted form
// `HRKU-abcd**********wxyz`.
struct TokenInfo {
    std::optional<std::int64_t> expires_in;  // seconds left; nullopt: never expires
    std::string id;
    Secret token;
};

// §3.1 `grant`: the code of a client authorization until it is exchanged.
struct GrantInfo {
    Secret code;
    std::optional<std::int64_t> expires_in;
    std::string id;
};

// §3.1 `client` of an authorization.
struct AuthorizationClient {
    std::string id;
    std::string name;
    std::string redirect_uri;
};

// §3.1 `user` of an authorization.
struct AuthorizationUser {
    std::string id;
    std::string email;
    std::optional<std::string> full_name;
};

// §3.1 An authorization: a user's standing grant to a client, or a direct
// authorization (a personal API token, `client` null).
struct OAuthAuthorization {
    std::optional<TokenInfo> access_token;
    std::optional<AuthorizationClient> client;
    std::string created_at;
    std::string description;  // "" when none
    std::optional<GrantInfo> grant;
    std::string id;
    std::optional<TokenInfo> refresh_token;
    std::vector<std::string> scope;
    std::optional<std::string> session_id;  // `session.id`
    AuthorizationUser user;
    std::string updated_at;
};

// §3.2 Body of authorizations().create(). Without `client` it mints a
// direct authorization whose raw token is in `access_token.token`; with
// `client` (a client id) it records the grant and returns a `grant` code to
// exchange with tokens().create().
struct OAuthAuthorizationCreate {
    std::vector<std::string> scope;  // empty: the server's default (["global"])
    std::optional<std::string> description;
    std::optional<std::int64_t> expires_in;  // 1..31536000 seconds; nullopt: never
    std::optional<std::string> client;       // a client id
};

// §3.5 `client` of an update: the client and its secret, both required.
struct ClientCredentials {
    std::string id;
    Secret secret;
};

// §3.5 Body of authorizations(id).update(): only the fields set are sent.
struct OAuthAuthorizationUpdate {
    std::optional<std::string> description;
    std::optional<ClientCredentials> client;
};

// §4.2 Body of tokens().create(): exchange a grant code, or refresh.
struct OAuthTokenCreate {
    std::string grant_type = "authorization_code";  // or "refresh_token"
    std::optional<Secret> code;                     // authorization_code
    std::optional<Secret> refresh_token;            // refresh_token
    std::optional<Secret> client_secret;            // the client's secret
};

// §4.1 A token: what tokens().create() returns (raw values) and
// tokens(id).remove() returns (redacted).
struct OAuthToken {
    TokenInfo access_token;
    std::optional<std::string> authorization_id;  // `authorization.id`
    std::optional<Secret> client_secret;          // `client.secret`; Tessera: always null
    std::optional<std::string> grant_type;        // `grant.type`
    std::optional<Secret> grant_code;             // `grant.code`; Tessera never echoes it
    std::string id;                               // equals access_token.id
    std::optional<TokenInfo> refresh_token;
    std::optional<std::string> session_id;  // `session.id`
    std::optional<std::string> user_id;     // `user.id`
    std::string created_at;
    std::string updated_at;
};

// §5.1 A session: a family of access and refresh tokens.
struct OAuthSession {
    std::string created_at;
    std::string description;                 // "" when null
    std::optional<std::int64_t> expires_in;  // nullopt: never
    std::string id;
    std::string updated_at;
};

// GET /account: the caller's user (Heroku spec §8, whoami).
struct Account {
    std::string created_at;
    std::string email;
    std::string id;
    std::optional<std::string> name;
    std::string updated_at;
};

}  // namespace tessera::sdk
