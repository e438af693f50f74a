#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/model/authorization.hpp"
#include "core/model/client.hpp"
#include "core/oauth/id_token.hpp"
#include "core/store/token_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// The tokens the authorization endpoint hands out itself, for the implicit
// and hybrid response types (RFC 6749 §4.2.2; OpenID Connect Core §3.2,
// §3.3): access tokens without a refresh token or session, and ID tokens.
// Thread-safe.
class FrontChannelTokens {
public:
    FrontChannelTokens(TokenStore& tokens, const IdTokenIssuer& id_tokens, Random& random,
                       const crypto::Digester& digester, std::int64_t access_token_ttl = 3600)
        : tokens_(tokens),
          id_tokens_(id_tokens),
          random_(random),
          digester_(digester),
          access_token_ttl_(access_token_ttl) {}

    // A minted access token: the raw value and the row to store.
    struct AccessToken {
        Secret raw;
        core::AccessToken stored;
    };

    // A new access token of the user of `authorization` for `client`,
    // living access_token_ttl() seconds from `now`: it dies with the
    // authorization or the client, and there is no refresh token (RFC 6749
    // §4.2.2). Not stored yet: see store().
    AccessToken mint_access_token(const Authorization& authorization, const Client& client,
                                  std::vector<std::string> scope, Timestamp now) const;

    // Stores a minted access token. The store's errors.
    Result<void> store(const core::AccessToken& token) const {
        return tokens_.create_access_token(token);
    }

    // A signed ID token (IdTokenIssuer::issue), its errors.
    Result<std::string> id_token(const IdTokenRequest& request) const {
        return id_tokens_.issue(request);
    }

    std::int64_t access_token_ttl() const { return access_token_ttl_; }

private:
    TokenStore& tokens_;
    const IdTokenIssuer& id_tokens_;
    Random& random_;
    const crypto::Digester& digester_;
    const std::int64_t access_token_ttl_;
};

}  // namespace tessera::core
