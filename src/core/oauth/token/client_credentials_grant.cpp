// RFC 6749 §4.4: the client credentials grant.
#include <algorithm>
#include <memory>

#include "core/oauth/token/token_service.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {

Result<std::pair<IssuedToken, AccessToken>> TokenService::mint_client_credentials(
    const Client& client, const TokenRequest& request) {
    // RFC 6749 §4.4: only confidential clients may use this grant.
    if (client.is_public())
        return make_error(Code::unauthorized_client,
                          "public clients cannot use the client_credentials grant");
    if (!client.allows_grant("client_credentials"))
        return make_error(Code::unauthorized_client,
                          "the client is not registered for the client_credentials grant");

    std::vector<std::string> scope;
    if (request.scope) {
        TESSERA_TRY_ASSIGN(scope, parse_scope_parameter(*request.scope));
    } else {
        scope = client.scopes;  // RFC 6749 §3.3: a documented default
    }
    if (scope.empty())
        return make_error(Code::invalid_scope, "scope is required: the client has no default");
    TESSERA_TRY(check_scope(client, scopes_, scope));

    Timestamp now = clock_.now();
    AccessToken token;
    token.id = Id::generate_time_ordered(random_);
    token.id_in_token = true;
    token.client_id = client.id;
    token.scope = scope;
    token.expires_at = now + policy_.access_token_ttl;
    token.created_at = now;
    TESSERA_TRY_ASSIGN(Secret raw, raw_access_token(client, token, std::nullopt));
    token.digest = digester_.digest(raw.reveal());
    token.redacted = crypto::redact(raw.reveal());
    return std::pair{IssuedToken{std::move(raw), policy_.access_token_ttl, std::move(scope)},
                     std::move(token)};
}

Result<IssuedToken> TokenService::client_credentials(const Client& client,
                                                     const TokenRequest& request) {
    TESSERA_TRY_ASSIGN(auto minted, mint_client_credentials(client, request));
    TESSERA_TRY(tokens_.create_access_token(minted.second));
    return std::move(minted.first);
}

void TokenService::exchange_async(const Client& client, const TokenRequest& request,
                                  std::function<void(Result<IssuedToken>)> done) {
    if (request.grant_type != "client_credentials") return done(exchange(client, request));
    auto minted = mint_client_credentials(client, request);
    if (!minted) return done(std::move(minted).error());
    // The answer waits for the commit: a token is shown only once it is stored.
    auto issued = std::make_shared<IssuedToken>(std::move(minted->first));
    tokens_.create_access_token_async(minted->second,
                                      [issued, done = std::move(done)](Result<void> stored) {
                                          if (!stored) return done(std::move(stored).error());
                                          done(std::move(*issued));
                                      });
}

}  // namespace tessera::core
