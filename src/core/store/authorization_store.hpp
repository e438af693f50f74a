#pragma once

#include <string>

#include "base/result.hpp"
#include "core/model/authorization.hpp"

namespace tessera::core {

// Authorizations and the access tokens issued under them. Implementations are
// thread-safe; every call is atomic. Store failures return `unavailable` or
// `internal`.
class AuthorizationStore {
public:
    virtual ~AuthorizationStore() = default;

    // Inserts the authorization and its first access token in one transaction.
    // `conflict` if either id or the token digest exists.
    virtual Result<void> create_authorization(const Authorization& authorization,
                                              const AccessToken& token) = 0;

    // `not_found` (subject "authorization") when absent.
    virtual Result<Authorization> find_authorization(const Id& id) = 0;

    // The access token with this digest; `not_found` (subject "token") when
    // absent (never issued, revoked, or its authorization deleted). Expiry is
    // not checked here: that is a rule, and rules live in the services.
    virtual Result<AccessToken> find_access_token(const std::string& digest) = 0;

    // Deletes the authorization and every token under it.
    // `not_found` when absent.
    virtual Result<void> delete_authorization(const Id& id) = 0;
};

}  // namespace tessera::core
