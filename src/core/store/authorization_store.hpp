#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "core/model/page.hpp"

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
    // `id`: the id the presented token carries (crypto::embedded_id), if any;
    // such a token is looked up by id, and found only if its digest matches.
    virtual Result<AccessToken> find_access_token(const std::string& digest,
                                                  const std::optional<Id>& id = std::nullopt) = 0;

    // Deletes the authorization and every token under it.
    // `not_found` when absent.
    virtual Result<void> delete_authorization(const Id& id) = 0;

    // The user's authorizations, one page in id order (PageQuery with
    // SortField::id only; `start`/`end` are dashed uuids, as for clients).
    virtual Result<Page<Authorization>> list_authorizations_by_user(const Id& user_id,
                                                                    const PageQuery& query) = 0;

    // The user's API-key authorization (is_api_key, Heroku `~`): the newest
    // if several are marked. `not_found` (subject "authorization") when none.
    virtual Result<Authorization> find_api_key_authorization(const Id& user_id) = 0;

    // The access tokens issued under the authorization, oldest first (empty
    // when none or when the authorization does not exist).
    virtual Result<std::vector<AccessToken>> list_access_tokens(const Id& authorization_id) = 0;

    // Writes description, client_id and updated_at, and the client_id of the
    // authorization's tokens, in one transaction. `not_found` when absent.
    virtual Result<void> update_authorization(const Authorization& authorization) = 0;

    // In one transaction: deletes every access token of the authorization,
    // inserts `token` (whose authorization_id is this one) and sets
    // updated_at. `not_found` when the authorization is absent (nothing
    // written), `conflict` on a duplicate token id or digest.
    virtual Result<void> replace_access_tokens(const Id& authorization_id, const AccessToken& token,
                                               Timestamp updated_at) = 0;
};

}  // namespace tessera::core
