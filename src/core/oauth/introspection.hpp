#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/auth/caller.hpp"
#include "core/model/client.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/user_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// RFC 7662 §2.2: what an introspection says about a token. Only `active` is
// meaningful when it is false.
struct Introspection {
    bool active = false;
    std::vector<std::string> scope;
    std::optional<Id> client_id;
    std::optional<Id> user_id;
    Timestamp issued_at = 0;
    std::optional<Timestamp> expires_at;
    bool refresh_token = false;  // a refresh token rather than an access token
};

// Token introspection for resource servers. Thread-safe.
class Introspector {
public:
    Introspector(AuthorizationStore& tokens, GrantStore& grants, ClientStore& clients,
                 UserStore& users, const Clock& clock, const crypto::Digester& digester)
        : tokens_(tokens),
          grants_(grants),
          clients_(clients),
          users_(users),
          clock_(clock),
          digester_(digester) {}

    // RFC 7662: `caller` (an authenticated client) learns about tokens issued
    // to clients of its own account; every other token, like a malformed,
    // unknown, revoked or expired one, is inactive, so nothing leaks across
    // accounts. `invalid_client` for a public caller; otherwise fails only
    // when the store does.
    Result<Introspection> introspect(const Client& caller, std::string_view token) const;

    // RFC 7662 §2.1, a bearer token allowed to introspect: a user's token with
    // scope `global` learns about tokens issued to clients of the user's
    // account, as a client of that account would. `forbidden` without that
    // scope.
    Result<Introspection> introspect_for_user(const Caller& caller, std::string_view token) const;

private:
    // Who may see which tokens: those of `client_id` and of every client
    // of `account_id`.
    struct Audience {
        Id account_id;
        std::optional<Id> client_id;
    };
    Result<Introspection> introspect_for(const Audience& audience, std::string_view token) const;
    Result<Introspection> introspect_refresh_token(const Audience& audience,
                                                   const std::string& digest) const;
    Result<bool> may_see(const Audience& audience, const Id& owner) const;

    AuthorizationStore& tokens_;
    GrantStore& grants_;
    ClientStore& clients_;
    UserStore& users_;
    const Clock& clock_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
