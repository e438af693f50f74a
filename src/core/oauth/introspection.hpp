#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/client_store.hpp"
#include "core/store/grant_store.hpp"
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
                 const Clock& clock, const crypto::Digester& digester)
        : tokens_(tokens), grants_(grants), clients_(clients), clock_(clock), digester_(digester) {}

    // RFC 7662: `caller` (an authenticated client) learns about tokens issued
    // to clients of its own account; every other token, like a malformed,
    // unknown, revoked or expired one, is inactive, so nothing leaks across
    // accounts. Fails only when the store does.
    Result<Introspection> introspect(const Client& caller, std::string_view token) const;

private:
    Result<Introspection> introspect_refresh_token(const Client& caller,
                                                   const std::string& digest) const;
    // Whether `caller` may learn about a token of `owner`: the same client,
    // or a client of the same account.
    Result<bool> may_see(const Client& caller, const Id& owner) const;

    AuthorizationStore& tokens_;
    GrantStore& grants_;
    ClientStore& clients_;
    const Clock& clock_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
