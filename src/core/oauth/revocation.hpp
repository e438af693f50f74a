#pragma once

#include <string_view>

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/token_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// RFC 7009 token revocation. Thread-safe.
class Revoker {
public:
    Revoker(AuthorizationStore& authorizations, TokenStore& tokens, GrantStore& grants,
            const crypto::Digester& digester)
        : authorizations_(authorizations), tokens_(tokens), grants_(grants), digester_(digester) {}

    // Revokes `token` if it was issued to `caller`: an access token alone, a
    // refresh token with its whole session (RFC 7009 §2.1). RFC 7009 §2.2: an unknown,
    // malformed or already revoked token is a success too. A token of another
    // client is refused with `unauthorized_client` (§2.1) and left alone.
    Result<void> revoke(const Client& caller, std::string_view token);

    // Heroku spec §4.3: the user revokes one of their own access tokens by
    // id; returns it as it was. Someone else's, or an unknown id, is
    // `not_found` (subject "token").
    Result<AccessToken> revoke_owned(const Id& user_id, const Id& token_id);

private:
    AuthorizationStore& authorizations_;
    TokenStore& tokens_;
    GrantStore& grants_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
