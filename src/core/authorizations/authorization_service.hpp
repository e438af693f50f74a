#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/authorization.hpp"
#include "core/model/client.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/grant_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

struct NewDirectAuthorization {
    Id user_id;
    std::vector<std::string> scope;  // empty: ["global"] (Heroku spec §3.2)
    std::string description;
    std::optional<std::int64_t> expires_in;  // seconds; nullopt: never expires
    bool is_api_key = false;
};

// An authorization together with the raw access token minted for it. The
// raw token exists only here, on the way to the one response that shows it.
struct MintedAuthorization {
    Authorization authorization;
    AccessToken access_token;
    Secret raw_access_token;
};

// An authorization as its owner sees it: with the tokens issued under it
// (stored as digests; only their redacted forms can be shown) and, for a
// client's authorization, its newest session with that session's unspent
// refresh token (Heroku spec §3.1 `session`, `refresh_token`).
struct AuthorizationView {
    Authorization authorization;
    std::vector<AccessToken> access_tokens;  // oldest first, sessions' tokens too
    std::optional<Session> session;
    std::optional<RefreshToken> refresh_token;
};

// Authorizations: standing grants and direct (personal) tokens. Every call
// that names an authorization takes its owner: someone else's is `not_found`
// (subject "authorization"), so ids do not leak. Thread-safe.
class AuthorizationService {
public:
    AuthorizationService(AuthorizationStore& store, GrantStore& grants, const ScopeCatalog& scopes,
                         const Clock& clock, Random& random, const crypto::Digester& digester)
        : store_(store),
          grants_(grants),
          scopes_(scopes),
          clock_(clock),
          random_(random),
          digester_(digester) {}

    // A direct authorization with a fresh `HRKU-` access token.
    // `invalid_params` (subject "scope", "description" or "expires_in").
    Result<MintedAuthorization> create_direct(const NewDirectAuthorization& input);

    // As create_direct(), for a caller holding `caller_scope`: the new scope
    // may not exceed it (Heroku spec §3.2: a `read` token cannot mint
    // `global`), else `forbidden`.
    Result<MintedAuthorization> create_direct_as(const std::vector<std::string>& caller_scope,
                                                 const NewDirectAuthorization& input);

    Result<Page<AuthorizationView>> list(const Id& user_id, const PageQuery& query);
    Result<AuthorizationView> info(const Id& user_id, const Id& id);
    // Heroku spec §3.4: the account's API-key authorization (`~`).
    Result<AuthorizationView> api_key(const Id& user_id);
    // `invalid_params` (subject "description").
    Result<AuthorizationView> update_description(const Id& user_id, const Id& id,
                                                 const std::string& description);
    // Heroku spec §3.5: re-associates the user's authorization with `client`,
    // which the caller has already proven to own (ClientService::
    // verify_owned_client). Its tokens follow.
    Result<AuthorizationView> associate_client(const Id& user_id, const Id& id,
                                               const Client& client);
    // Revokes the authorization and everything issued under it; returns it
    // as it was.
    Result<AuthorizationView> remove(const Id& user_id, const Id& id);
    // Heroku spec §3.7: a fresh access token replaces every old one at once
    // (same lifetime as the first). Direct authorizations only: `forbidden`
    // for a client's.
    Result<MintedAuthorization> regenerate_tokens(const Id& user_id, const Id& id);

private:
    Result<Authorization> find_owned(const Id& user_id, const Id& id);
    Result<AuthorizationView> view(Authorization authorization);
    Result<std::pair<AccessToken, Secret>> mint(const Authorization& authorization,
                                                std::optional<std::int64_t> expires_in,
                                                Timestamp now);

    AuthorizationStore& store_;
    GrantStore& grants_;
    const ScopeCatalog& scopes_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
};

// Heroku spec §3.2: 1..31536000 seconds.
inline constexpr std::int64_t kMaxExpiresIn = 31536000;

}  // namespace tessera::core
