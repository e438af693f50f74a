// RFC 6749 §4.1.2, §4.2.2; OpenID Connect Core §3.2.2.5, §3.3.2.5: what the
// authorization endpoint does once the user approved, and its answers.
#include <algorithm>

#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

bool contains(const std::vector<std::string>& items, std::string_view item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string join_scope(const std::vector<std::string>& scope) {
    std::string out;
    for (const auto& s : scope) out += (out.empty() ? "" : " ") + s;
    return out;
}

}  // namespace

Result<Authorization> AuthorizationEndpoint::record_consent(
    const Id& user_id, const Client& client, const std::vector<std::string>& scope,
    const std::optional<std::vector<std::string>>& declined, Timestamp now) {
    TESSERA_TRY_ASSIGN(auto granted, grants_.find_client_authorizations(user_id, client.id));
    if (!granted.empty()) {
        // One standing grant per user and client: widen the oldest.
        Authorization authorization = std::move(granted.front());
        bool changed = false;
        for (const auto& s : scope) {
            if (!contains(authorization.scope, s)) {
                authorization.scope.push_back(s);
                changed = true;
            }
        }
        std::vector<std::string> still_declined;
        for (const auto& s : declined ? *declined : authorization.declined_scope)
            if (!contains(authorization.scope, s) && !contains(still_declined, s))
                still_declined.push_back(s);
        if (still_declined != authorization.declined_scope) {
            authorization.declined_scope = std::move(still_declined);
            changed = true;
        }
        if (changed) {
            TESSERA_TRY(grants_.update_authorization_scope(authorization.id, authorization.scope,
                                                           authorization.declined_scope, now));
            authorization.updated_at = now;
        }
        return authorization;
    }
    Authorization authorization{Id::generate(random_), user_id, client.id, scope,
                                client.name,           false,   now,       now};
    if (declined) authorization.declined_scope = *declined;
    TESSERA_TRY(grants_.create_client_authorization(authorization));
    return authorization;
}

std::pair<Secret, AuthorizationCode> AuthorizationEndpoint::new_code(
    const Authorization& authorization, const Client& client, const std::string& redirect_uri,
    const std::string& code_challenge, const std::vector<std::string>& scope,
    const std::string& nonce, Timestamp auth_time, Timestamp now) {
    Secret raw = crypto::mint_token(crypto::TokenKind::authorization_code, random_);
    AuthorizationCode code;
    code.id = Id::generate(random_);
    code.digest = digester_.digest(raw.reveal());
    code.authorization_id = authorization.id;
    code.client_id = client.id;
    code.user_id = authorization.user_id;
    code.redirect_uri = redirect_uri;
    code.code_challenge = code_challenge;
    code.scope = scope;
    code.nonce = nonce;
    code.auth_time = auth_time;
    code.expires_at = now + policy_.code_ttl;
    code.created_at = now;
    return std::pair{std::move(raw), std::move(code)};
}

Result<AuthorizationResponse> AuthorizationEndpoint::approve(
    const Id& user_id, Timestamp auth_time, const AuthorizeRequest& request,
    std::optional<std::vector<std::string>> declined) {
    TESSERA_TRY(check_user(user_id, request.client));
    const ResponseType& type = request.response_type;
    if (type.returns_tokens() && !front_channel_)
        return make_error(Code::internal, "the server failed",
                          "authorize: a token response type without FrontChannelTokens");
    Timestamp now = clock_.now();
    const auto& optional = request.client.optional_scopes;
    const bool fresh = declined.has_value();
    if (!fresh) {
        // No consent page: what the user declined before stays declined.
        TESSERA_TRY_ASSIGN(auto earlier,
                           grants_.find_client_authorizations(user_id, request.client.id));
        if (!earlier.empty()) declined = earlier.front().declined_scope;
    }
    std::vector<std::string> declined_now, scope;
    for (const auto& s : request.scope) {
        bool declines = declined && contains(*declined, s) && contains(optional, s);
        (declines ? declined_now : scope).push_back(s);
    }
    TESSERA_TRY_ASSIGN(Authorization authorization,
                       record_consent(user_id, request.client, scope,
                                      fresh ? std::optional(declined_now) : std::nullopt, now));

    AuthorizationResponse response{request.redirect_uri, request.response_mode, {}};
    auto& params = response.params;
    std::optional<std::pair<Secret, AuthorizationCode>> code;
    if (type.code) {
        // The code is bound to the redirect URI only when the request named
        // one (RFC 6749 §4.1.3); either way the URI it is sent to is exact.
        code = new_code(authorization, request.client,
                        request.redirect_uri_sent ? request.redirect_uri : "",
                        request.code_challenge, scope, request.nonce, auth_time, now);
        params.emplace_back("code", std::string(code->first.reveal()));
    }
    std::optional<FrontChannelTokens::AccessToken> access;
    if (type.token) {
        access = front_channel_->mint_access_token(authorization, request.client, scope, now);
        params.emplace_back("access_token", std::string(access->raw.reveal()));
        params.emplace_back("token_type", "Bearer");
        params.emplace_back("expires_in", std::to_string(front_channel_->access_token_ttl()));
        params.emplace_back("scope", join_scope(scope));
    }
    if (type.id_token) {
        // OpenID Connect Core §3.2.2.10, §3.3.2.11: signed before anything
        // is stored, binding the code and access token beside it.
        TESSERA_TRY_ASSIGN(
            std::string id_token,
            front_channel_->id_token({user_id, request.client.id, scope, request.nonce, auth_time,
                                      access ? std::string(access->raw.reveal()) : "",
                                      request.client.id_token_signed_response_alg,
                                      code ? std::string(code->first.reveal()) : ""}));
        params.emplace_back("id_token", std::move(id_token));
    }
    if (code) TESSERA_TRY(grants_.create_code(code->second));
    if (access) TESSERA_TRY(front_channel_->store(access->stored));
    if (request.state) params.emplace_back("state", *request.state);
    params.emplace_back("iss", issuer_);
    return response;
}

AuthorizationResponse AuthorizationEndpoint::error_response(
    const std::string& redirect_uri, ResponseMode mode, const Error& error,
    const std::optional<std::string>& state) const {
    AuthorizationResponse response{redirect_uri, mode, {}};
    response.params.emplace_back("error", std::string(to_string(error.code)));
    if (!error.description.empty())
        response.params.emplace_back("error_description", error.description);
    if (state) response.params.emplace_back("state", *state);
    response.params.emplace_back("iss", issuer_);
    return response;
}

}  // namespace tessera::core
