#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/client.hpp"
#include "core/oauth/id_token.hpp"
#include "core/oauth/token/jwt_access_token.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/token_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// A parsed token request (RFC 6749 §4.1.3, §4.4.2, §6), after client
// authentication. Parameters a grant does not use are ignored.
struct TokenRequest {
    std::string grant_type;
    std::optional<std::string> scope;  // space-delimited, as sent
    std::optional<std::string> code;
    std::optional<std::string> redirect_uri;
    std::optional<std::string> code_verifier;
    std::optional<std::string> refresh_token;
};

// What the token endpoint answers (RFC 6749 §5.1). The raw tokens exist only
// here, on their way to the one response that shows them.
struct IssuedToken {
    Secret access_token;
    std::int64_t expires_in = 0;
    std::vector<std::string> scope;
    std::optional<Secret> refresh_token;  // none for client_credentials
    // For tokens issued to a user (Heroku spec §4.1, §6.2): the stored access
    // token and its session.
    std::optional<AccessToken> stored;
    std::optional<Session> session;
    std::optional<RefreshToken> stored_refresh;  // the refresh token's row, when there is one
    // OpenID Connect Core §3.1.3.3: a signed ID token when the scope has
    // `openid` (code and refresh grants only).
    std::optional<std::string> id_token;
};

struct TokenPolicy {
    std::int64_t access_token_ttl = 3600;        // seconds; client_credentials
    std::int64_t user_access_token_ttl = 28800;  // seconds; code and refresh (Heroku: 8 h)
    std::int64_t refresh_token_ttl = 0;          // seconds a session lives; 0: no expiry
    std::int64_t refresh_grace = 10;             // seconds a spent refresh token may be retried
};

// The token endpoint's rules: one grant per grant_type, each in its own file.
// Access tokens are opaque, or JWTs (RFC 9068) for a client whose
// access_token_format is "jwt"; both kinds are stored alike (digest of the
// whole token, its id in the token: a JWT's jti), so introspection,
// revocation and bearer use treat them the same. A jwt client needs
// `jwt_access_tokens`: without it its requests fail with `internal`.
// Thread-safe.
class TokenService {
public:
    TokenService(TokenStore& tokens, GrantStore& grants, const ScopeCatalog& scopes,
                 const Clock& clock, Random& random, const crypto::Digester& digester,
                 TokenPolicy policy = {}, const IdTokenIssuer* id_tokens = nullptr,
                 const JwtAccessTokenSigner* jwt_access_tokens = nullptr)
        : tokens_(tokens),
          grants_(grants),
          scopes_(scopes),
          clock_(clock),
          random_(random),
          digester_(digester),
          policy_(policy),
          id_tokens_(id_tokens),
          jwt_access_tokens_(jwt_access_tokens) {}

    // `unsupported_grant_type` for a grant type this server does not offer;
    // otherwise what the grant returns.
    Result<IssuedToken> exchange(const Client& client, const TokenRequest& request);

    // As exchange(), reporting to `done` (exactly once, on any thread). The
    // client_credentials grant, which only inserts a token, does not wait
    // for the store: its write joins the store's group commit and `done`
    // runs once it is durable. Other grants answer before this returns.
    void exchange_async(const Client& client, const TokenRequest& request,
                        std::function<void(Result<IssuedToken>)> done);

    // The grant types exchange() supports, for the RFC 8414 metadata.
    static std::vector<std::string> supported_grant_types();

    // Heroku spec §6.2 sends no client_id: the client a code or refresh token
    // was issued to, for authenticating the request's client_secret against.
    // `invalid_grant` when the request names no such code or token.
    Result<Id> client_of(const TokenRequest& request) const;

    // RFC 6749 §4.1.3 with RFC 7636 §4.6 and RFC 9700 §4.8.2: a code issued
    // to this client, unexpired and unused, for the redirect URI it was
    // issued for, with the PKCE verifier of its challenge (and none without
    // one) starts a session: an access token and, when the client may use
    // refresh tokens, a refresh token; with `openid` in the code's scope and
    // an IdTokenIssuer, an ID token too (signed before anything is written,
    // so a signing failure leaves the code unused). A second use of a code fails and
    // revokes the session the first use started. `invalid_grant` for every
    // failure about the code, `invalid_request` for a missing parameter,
    // `unauthorized_client`.
    Result<IssuedToken> authorization_code(const Client& client, const TokenRequest& request);

    // RFC 6749 §6 with RFC 9700 §4.14.2 and Heroku spec §9 D3: a live refresh
    // token of this client yields a new access token (scope at most the
    // session's). A rotating client (policy `rotate`, and every public
    // client) also gets a new refresh token and the presented one is spent;
    // presenting a spent one revokes the session, unless it was spent less
    // than refresh_grace seconds ago and its successor was never used: then
    // the successor dies and a fresh pair is issued (a lost response). A
    // stable client keeps its refresh token. With `openid` in the new scope,
    // an ID token without auth_time and nonce (OpenID Connect Core §12.2).
    // `invalid_grant`, `invalid_scope`, `unauthorized_client`.
    Result<IssuedToken> refresh_token(const Client& client, const TokenRequest& request);

    // RFC 6749 §4.4: a confidential client registered for client_credentials
    // gets an access token for the requested scopes (default: its registered
    // scopes), with no refresh token and no user.
    // `unauthorized_client`, `invalid_scope`.
    Result<IssuedToken> client_credentials(const Client& client, const TokenRequest& request);

    const TokenPolicy& policy() const { return policy_; }

private:
    // The rules of client_credentials and the token to store.
    Result<std::pair<IssuedToken, AccessToken>> mint_client_credentials(
        const Client& client, const TokenRequest& request);
    // A user's access token in `session`, with its id inside the raw token;
    // `auth_time` (when the user signed in, if known) goes into a JWT.
    Result<std::pair<Secret, AccessToken>> new_access_token(
        const Client& client, const Session& session, std::vector<std::string> scope, Timestamp now,
        std::optional<Timestamp> auth_time) const;
    // The raw form of `token` (all set but digest and redacted): opaque with
    // its id, or a signed JWT for a jwt client. Fails only for a JWT.
    Result<Secret> raw_access_token(const Client& client, const AccessToken& token,
                                    std::optional<Timestamp> auth_time) const;
    RefreshToken new_refresh_token(const Secret& raw, const Id& session_id, Timestamp now) const;
    // The ID token for `request` when its scope has openid and we issue
    // ID tokens; nullopt otherwise.
    Result<std::optional<std::string>> id_token_for(const IdTokenRequest& request) const;

    TokenStore& tokens_;
    GrantStore& grants_;
    const ScopeCatalog& scopes_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const TokenPolicy policy_;
    const IdTokenIssuer* id_tokens_;                 // nullptr: no ID tokens
    const JwtAccessTokenSigner* jwt_access_tokens_;  // nullptr: opaque access tokens only
};

// Whether this client's refresh tokens rotate (Heroku spec §9 D3): policy
// `rotate`, and always for public clients.
bool rotates_refresh_tokens(const Client& client);

// Splits a space-delimited scope parameter (RFC 6749 §3.3); duplicates are
// dropped, order kept. `invalid_scope` for an empty element (two spaces).
Result<std::vector<std::string>> parse_scope_parameter(const std::string& scope);

// RFC 6749 §3.3: every requested scope must be registered for the client (an
// empty registration allows the whole catalog) and offered by the catalog.
Result<void> check_scope(const Client& client, const ScopeCatalog& catalog,
                         const std::vector<std::string>& requested);

}  // namespace tessera::core
