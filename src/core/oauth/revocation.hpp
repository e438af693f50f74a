#pragma once

#include <string_view>

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "core/store/authorization_store.hpp"
#include "core/store/token_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// RFC 7009 token revocation. Thread-safe.
class Revoker {
public:
    Revoker(AuthorizationStore& authorizations, TokenStore& tokens,
            const crypto::Digester& digester)
        : authorizations_(authorizations), tokens_(tokens), digester_(digester) {}

    // Revokes `token` if it was issued to `caller`. RFC 7009 §2.2: an unknown,
    // malformed or already revoked token is a success too. A token of another
    // client is refused with `unauthorized_client` (§2.1) and left alone.
    Result<void> revoke(const Client& caller, std::string_view token);

private:
    AuthorizationStore& authorizations_;
    TokenStore& tokens_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
