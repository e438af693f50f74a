#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "core/model/authorization.hpp"

namespace tessera::core {

// Access tokens that stand on their own (client_credentials: no authorization,
// no user) and revocation by digest. Implementations are thread-safe; every
// call is atomic. Store failures return `unavailable` or `internal`.
class TokenStore {
public:
    virtual ~TokenStore() = default;

    // Inserts a token whose authorization_id may be empty. `conflict` if the
    // id or digest exists. A token with a client_id dies with its client.
    virtual Result<void> create_access_token(const AccessToken& token) = 0;

    // As create_access_token(), without waiting: `done` is called exactly
    // once with the result, on any thread, possibly before this returns.
    // Stores that can commit many writes together (group commit) override it.
    virtual void create_access_token_async(const AccessToken& token,
                                           std::function<void(Result<void>)> done) {
        done(create_access_token(token));
    }

    // The access token with this id; `not_found` (subject "token") when absent.
    virtual Result<AccessToken> find_access_token_by_id(const Id& id) = 0;

    // Deletes the access token with this digest. Returns whether one existed.
    // `id`, as for find_access_token(): the token's id when it carries one.
    virtual Result<bool> revoke_access_token(const std::string& digest,
                                             const std::optional<Id>& id = std::nullopt) = 0;

    // Deletes at most `limit` access tokens that expired at or before `now`
    // (the janitor), in one short transaction. Returns how many it deleted.
    virtual Result<int> purge_expired_access_tokens(Timestamp now, int limit) = 0;
};

}  // namespace tessera::core
