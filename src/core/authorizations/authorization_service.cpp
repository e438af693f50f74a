#include "core/authorizations/authorization_service.hpp"

#include "crypto/token_format.hpp"

namespace tessera::core {

Result<MintedAuthorization> AuthorizationService::create_direct(
    const NewDirectAuthorization& input) {
    std::vector<std::string> requested = input.scope;
    if (requested.empty()) requested = {"global"};  // Heroku spec §3.2 default
    TESSERA_TRY_ASSIGN(auto scope, scopes_.normalize(requested));
    if (input.description.size() > 1024)
        return make_error(Code::invalid_params, "description must be at most 1024 characters", {},
                          "description");
    if (input.expires_in && (*input.expires_in < 1 || *input.expires_in > kMaxExpiresIn))
        return make_error(Code::invalid_params, "expires_in must be between 1 and 31536000 seconds",
                          {}, "expires_in");

    Timestamp now = clock_.now();
    Authorization authorization{Id::generate(random_), input.user_id,    std::nullopt, scope,
                                input.description,     input.is_api_key, now,          now};
    Secret raw = crypto::mint_token(crypto::TokenKind::heroku_access_token, random_);
    AccessToken token{Id::generate(random_),
                      authorization.id,
                      input.user_id,
                      std::nullopt,
                      digester_.digest(raw.reveal()),
                      crypto::redact(raw.reveal()),
                      scope,
                      input.expires_in ? std::optional(now + *input.expires_in) : std::nullopt,
                      now};
    TESSERA_TRY(store_.create_authorization(authorization, token));
    return MintedAuthorization{std::move(authorization), std::move(token), std::move(raw)};
}

}  // namespace tessera::core
