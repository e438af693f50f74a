#include "core/oauth/introspection.hpp"

#include "crypto/token_format.hpp"

namespace tessera::core {

Result<bool> Introspector::may_see(const Client& caller, const Id& owner) const {
    if (owner == caller.id) return true;
    auto client = clients_.find_client(owner);
    if (!client) {
        if (client.error().code == Code::not_found) return false;
        return std::move(client).error();
    }
    return client->account_id == caller.account_id;
}

Result<Introspection> Introspector::introspect(const Client& caller, std::string_view token) const {
    Introspection inactive;
    if (!crypto::has_valid_format(token)) return inactive;
    std::string digest = digester_.digest(token);
    if (token.starts_with(crypto::prefix_of(crypto::TokenKind::refresh_token)))
        return introspect_refresh_token(caller, digest);
    auto found = tokens_.find_access_token(digest);
    if (!found) {
        if (found.error().code == Code::not_found) return inactive;
        return std::move(found).error();
    }
    if (found->expires_at && *found->expires_at <= clock_.now()) return inactive;
    if (!found->client_id) return inactive;  // a personal API token: not a client's
    TESSERA_TRY_ASSIGN(bool visible, may_see(caller, *found->client_id));
    if (!visible) return inactive;
    return Introspection{true,           std::move(found->scope), found->client_id,
                         found->user_id, found->created_at,       found->expires_at};
}

Result<Introspection> Introspector::introspect_refresh_token(const Client& caller,
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
    TESSERA_TRY_ASSIGN(bool visible, may_see(caller, *session->client_id));
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
