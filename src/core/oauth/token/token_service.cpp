#include "core/oauth/token/token_service.hpp"

#include <algorithm>

#include "crypto/token_format.hpp"

namespace tessera::core {

Result<IssuedToken> TokenService::exchange(const Client& client, const TokenRequest& request) {
    if (request.grant_type == "authorization_code") return authorization_code(client, request);
    if (request.grant_type == "refresh_token") return refresh_token(client, request);
    if (request.grant_type == "client_credentials") return client_credentials(client, request);
    return make_error(
        Code::unsupported_grant_type,
        "this server does not support the grant type '" + request.grant_type.substr(0, 64) + "'");
}

std::vector<std::string> TokenService::supported_grant_types() {
    return {"authorization_code", "refresh_token", "client_credentials"};
}

bool rotates_refresh_tokens(const Client& client) {
    return client.refresh_policy == "rotate" || client.is_public();
}

Result<Secret> TokenService::raw_access_token(const Client& client, const AccessToken& token,
                                              std::optional<Timestamp> auth_time) const {
    if (!issues_jwt_access_tokens(client))
        return crypto::mint_token_with_id(crypto::TokenKind::access_token, token.id, random_);
    if (!jwt_access_tokens_)
        return make_error(Code::internal, "the access token cannot be issued",
                          "token service: a jwt client but no JwtAccessTokenSigner");
    return jwt_access_tokens_->sign(token, auth_time);
}

Result<std::pair<Secret, AccessToken>> TokenService::new_access_token(
    const Client& client, const Session& session, std::vector<std::string> scope, Timestamp now,
    std::optional<Timestamp> auth_time) const {
    AccessToken token;
    token.id = Id::generate_time_ordered(random_);
    token.id_in_token = true;
    token.authorization_id = session.authorization_id;
    token.user_id = session.user_id;
    token.client_id = client.id;
    token.scope = std::move(scope);
    token.expires_at = now + policy_.user_access_token_ttl;
    token.created_at = now;
    token.session_id = session.id;
    TESSERA_TRY_ASSIGN(Secret raw, raw_access_token(client, token, auth_time));
    token.digest = digester_.digest(raw.reveal());
    token.redacted = crypto::redact(raw.reveal());
    return std::pair{std::move(raw), std::move(token)};
}

RefreshToken TokenService::new_refresh_token(const Secret& raw, const Id& session_id,
                                             Timestamp now) const {
    return RefreshToken{Id::generate(random_),
                        session_id,
                        digester_.digest(raw.reveal()),
                        crypto::redact(raw.reveal()),
                        std::nullopt,
                        std::nullopt,
                        now};
}

Result<std::optional<std::string>> TokenService::id_token_for(const IdTokenRequest& request) const {
    if (!id_tokens_ || !has_openid(request.scope)) return std::optional<std::string>();
    TESSERA_TRY_ASSIGN(std::string signed_token, id_tokens_->issue(request));
    return std::optional<std::string>(std::move(signed_token));
}

Result<Id> TokenService::client_of(const TokenRequest& request) const {
    auto unknown = [] {
        return make_error(Code::invalid_grant,
                          "the authorization code or refresh token is invalid");
    };
    if (request.grant_type == "authorization_code" && request.code &&
        crypto::has_valid_format(*request.code)) {
        auto code = grants_.find_code(digester_.digest(*request.code));
        if (code) return code->client_id;
        if (code.error().code != Code::not_found) return code.error();
    } else if (request.grant_type == "refresh_token" && request.refresh_token &&
               crypto::has_valid_format(*request.refresh_token)) {
        auto token = grants_.find_refresh_token(digester_.digest(*request.refresh_token));
        if (!token) return token.error().code == Code::not_found ? unknown() : token.error();
        auto session = grants_.find_session(token->session_id);
        if (!session) return session.error().code == Code::not_found ? unknown() : session.error();
        if (session->client_id) return *session->client_id;
    }
    return unknown();
}

Result<std::vector<std::string>> parse_scope_parameter(const std::string& scope) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= scope.size()) {
        auto space = scope.find(' ', pos);
        std::string item =
            scope.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
        if (item.empty())
            return make_error(Code::invalid_scope,
                              "scope must be scope names separated by one space");
        if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
        if (space == std::string::npos) break;
        pos = space + 1;
    }
    return out;
}

Result<void> check_scope(const Client& client, const ScopeCatalog& catalog,
                         const std::vector<std::string>& requested) {
    for (const auto& scope : requested) {
        bool registered = client.scopes.empty()
                              ? catalog.contains(scope)
                              : std::find(client.scopes.begin(), client.scopes.end(), scope) !=
                                    client.scopes.end();
        if (!registered || !catalog.contains(scope))
            return make_error(Code::invalid_scope,
                              "the client may not request the scope '" + scope.substr(0, 64) + "'");
    }
    return {};
}

}  // namespace tessera::core
