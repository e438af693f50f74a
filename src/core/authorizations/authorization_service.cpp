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

namespace {

Error authorization_not_found() {
    return make_error(Code::not_found, "Couldn't find that authorization.", {}, "authorization");
}

}  // namespace

Result<MintedAuthorization> AuthorizationService::create_direct_as(
    const std::vector<std::string>& caller_scope, const NewDirectAuthorization& input) {
    std::vector<std::string> requested = input.scope;
    if (requested.empty()) requested = {"global"};
    TESSERA_TRY(check_grantable(caller_scope, requested));
    return create_direct(input);
}

Result<Authorization> AuthorizationService::find_owned(const Id& user_id, const Id& id) {
    auto found = store_.find_authorization(id);
    if (!found) {
        if (found.error().code == Code::not_found) return authorization_not_found();
        return found;
    }
    if (found->user_id != user_id) return authorization_not_found();
    return found;
}

Result<AuthorizationView> AuthorizationService::view(Authorization authorization) {
    TESSERA_TRY_ASSIGN(auto tokens, store_.list_access_tokens(authorization.id));
    AuthorizationView shown{std::move(authorization), std::move(tokens), {}, {}};
    // Only a client's authorization has sessions (the code flow starts them).
    if (shown.authorization.client_id) {
        TESSERA_TRY_ASSIGN(auto latest, grants_.find_latest_session(shown.authorization.id));
        if (latest) {
            shown.session = std::move(latest->session);
            shown.refresh_token = std::move(latest->refresh_token);
        }
    }
    return shown;
}

Result<Page<AuthorizationView>> AuthorizationService::list(const Id& user_id,
                                                           const PageQuery& query) {
    TESSERA_TRY_ASSIGN(auto page, store_.list_authorizations_by_user(user_id, query));
    Page<AuthorizationView> out;
    out.has_more = page.has_more;
    for (auto& authorization : page.items) {
        TESSERA_TRY_ASSIGN(auto shown, view(std::move(authorization)));
        out.items.push_back(std::move(shown));
    }
    return out;
}

Result<AuthorizationView> AuthorizationService::info(const Id& user_id, const Id& id) {
    TESSERA_TRY_ASSIGN(auto authorization, find_owned(user_id, id));
    return view(std::move(authorization));
}

Result<AuthorizationView> AuthorizationService::api_key(const Id& user_id) {
    auto found = store_.find_api_key_authorization(user_id);
    if (!found) {
        if (found.error().code == Code::not_found) return authorization_not_found();
        return std::move(found).error();
    }
    return view(std::move(*found));
}

Result<AuthorizationView> AuthorizationService::update_description(const Id& user_id, const Id& id,
                                                                   const std::string& description) {
    if (description.size() > 1024)
        return make_error(Code::invalid_params, "description must be at most 1024 characters", {},
                          "description");
    TESSERA_TRY_ASSIGN(auto authorization, find_owned(user_id, id));
    authorization.description = description;
    authorization.updated_at = clock_.now();
    TESSERA_TRY(store_.update_authorization(authorization));
    return view(std::move(authorization));
}

Result<AuthorizationView> AuthorizationService::associate_client(const Id& user_id, const Id& id,
                                                                 const Client& client) {
    TESSERA_TRY_ASSIGN(auto authorization, find_owned(user_id, id));
    if (client.owner_id != user_id) return authorization_not_found();
    authorization.client_id = client.id;
    authorization.updated_at = clock_.now();
    TESSERA_TRY(store_.update_authorization(authorization));
    return view(std::move(authorization));
}

Result<AuthorizationView> AuthorizationService::remove(const Id& user_id, const Id& id) {
    TESSERA_TRY_ASSIGN(auto authorization, find_owned(user_id, id));
    TESSERA_TRY_ASSIGN(auto shown, view(std::move(authorization)));
    auto deleted = store_.delete_authorization(id);
    if (!deleted && deleted.error().code == Code::not_found) return authorization_not_found();
    TESSERA_TRY(deleted);
    return shown;
}

Result<MintedAuthorization> AuthorizationService::regenerate_tokens(const Id& user_id,
                                                                    const Id& id) {
    TESSERA_TRY_ASSIGN(auto authorization, find_owned(user_id, id));
    if (authorization.client_id)
        return make_error(Code::forbidden,
                          "Only direct authorizations can regenerate their tokens here.");
    TESSERA_TRY_ASSIGN(auto old_tokens, store_.list_access_tokens(id));
    // Keep the lifetime the authorization was created with.
    std::optional<std::int64_t> lifetime;
    if (!old_tokens.empty() && old_tokens.front().expires_at)
        lifetime = *old_tokens.front().expires_at - old_tokens.front().created_at;
    Timestamp now = clock_.now();
    TESSERA_TRY_ASSIGN(auto minted, mint(authorization, lifetime, now));
    auto replaced = store_.replace_access_tokens(id, minted.first, now);
    if (!replaced && replaced.error().code == Code::not_found) return authorization_not_found();
    TESSERA_TRY(replaced);
    authorization.updated_at = now;
    return MintedAuthorization{std::move(authorization), std::move(minted.first),
                               std::move(minted.second)};
}

Result<std::pair<AccessToken, Secret>> AuthorizationService::mint(
    const Authorization& authorization, std::optional<std::int64_t> expires_in, Timestamp now) {
    Secret raw = crypto::mint_token(crypto::TokenKind::heroku_access_token, random_);
    AccessToken token{Id::generate(random_),
                      authorization.id,
                      authorization.user_id,
                      authorization.client_id,
                      digester_.digest(raw.reveal()),
                      crypto::redact(raw.reveal()),
                      authorization.scope,
                      expires_in ? std::optional(now + *expires_in) : std::nullopt,
                      now};
    return std::pair{std::move(token), std::move(raw)};
}

}  // namespace tessera::core
