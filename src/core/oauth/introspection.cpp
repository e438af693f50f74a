#include "core/oauth/introspection.hpp"

#include "core/scopes/scope_catalog.hpp"
#include "core/tokens/presented_token.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {

Result<bool> Introspector::may_see(const Audience& audience, const Id& owner) const {
    if (audience.client_id == owner) return true;
    auto client = clients_.find_client(owner);
    if (!client) {
        if (client.error().code == Code::not_found) return false;
        return std::move(client).error();
    }
    return client->account_id == audience.account_id;
}

Result<Introspection> Introspector::introspect(const Client& caller, std::string_view token) const {
    // RFC 7662 §2.1: the caller must be authorized; a public client proves
    // nothing about itself.
    if (caller.is_public())
        return make_error(Code::invalid_client,
                          "public clients cannot use the introspection endpoint");
    return introspect_for({caller.account_id, caller.id}, token);
}

Result<Introspection> Introspector::introspect_for_user(const Caller& caller,
                                                        std::string_view token) const {
    if (!scope_covers(caller.scope, "global"))
        return make_error(Code::forbidden, "introspection needs a token with the global scope");
    auto user = users_.find_user(caller.user_id);
    if (!user) {
        if (user.error().code == Code::not_found)
            return make_error(Code::unauthenticated, "the token's user no longer exists");
        return std::move(user).error();
    }
    return introspect_for({user->account_id, std::nullopt}, token);
}

Result<Introspection> Introspector::introspect_for(const Audience& audience,
                                                   std::string_view token) const {
    Introspection inactive;
    auto presented = read_presented_token(token);
    if (!presented) return inactive;
    std::string digest = digester_.digest(token);
    if (token.starts_with(crypto::prefix_of(crypto::TokenKind::refresh_token)))
        return introspect_refresh_token(audience, digest);
    // A JWT access token is found by its jti, so a revoked one is inactive.
    auto found = tokens_.find_access_token(digest, presented->id);
    if (!found) {
        if (found.error().code == Code::not_found) return inactive;
        return std::move(found).error();
    }
    if (found->expires_at && *found->expires_at <= clock_.now()) return inactive;
    if (!found->client_id) return inactive;  // a personal API token: not a client's
    TESSERA_TRY_ASSIGN(bool visible, may_see(audience, *found->client_id));
    if (!visible) return inactive;
    return Introspection{true,           std::move(found->scope), found->client_id,
                         found->user_id, found->created_at,       found->expires_at};
}

Result<Introspection> Introspector::introspect_refresh_token(const Audience& audience,
                                                             const std::string& digest) const {
    Introspection inactive;
    auto found = grants_.find_refresh_token(digest);
    if (!found) {
        if (found.error().code == Code::not_found) return inactive;
        return std::move(found).error();
    }
    if (found->spent_at) return inactive;
    auto session = grants_.find_session(found->session_id);
    if (!session) {
        if (session.error().code == Code::not_found) return inactive;
        return std::move(session).error();
    }
    if (session->expires_at && *session->expires_at <= clock_.now()) return inactive;
    if (!session->client_id) return inactive;
    TESSERA_TRY_ASSIGN(bool visible, may_see(audience, *session->client_id));
    if (!visible) return inactive;
    return Introspection{true,
                         std::move(session->scope),
                         session->client_id,
                         session->user_id,
                         found->created_at,
                         session->expires_at,
                         true};
}

}  // namespace tessera::core
