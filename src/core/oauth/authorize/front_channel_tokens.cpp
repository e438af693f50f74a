// RFC 6749 §4.2.2: access tokens from the authorization endpoint.
#include "core/oauth/authorize/front_channel_tokens.hpp"

#include "crypto/token_format.hpp"

namespace tessera::core {

FrontChannelTokens::AccessToken FrontChannelTokens::mint_access_token(
    const Authorization& authorization, const Client& client, std::vector<std::string> scope,
    Timestamp now) const {
    core::AccessToken token;
    token.id = Id::generate_time_ordered(random_);
    Secret raw = crypto::mint_token_with_id(crypto::TokenKind::access_token, token.id, random_);
    token.id_in_token = true;
    token.authorization_id = authorization.id;
    token.user_id = authorization.user_id;
    token.client_id = client.id;
    token.digest = digester_.digest(raw.reveal());
    token.redacted = crypto::redact(raw.reveal());
    token.scope = std::move(scope);
    token.expires_at = now + access_token_ttl_;
    token.created_at = now;
    return AccessToken{std::move(raw), std::move(token)};
}

}  // namespace tessera::core
