#include "core/oauth/introspection.hpp"

#include "crypto/token_format.hpp"

namespace tessera::core {

Result<Introspection> Introspector::introspect(const Client& caller, std::string_view token) const {
    Introspection inactive;
    if (!crypto::has_valid_format(token)) return inactive;
    auto found = tokens_.find_access_token(digester_.digest(token));
    if (!found) {
        if (found.error().code == Code::not_found) return inactive;
        return std::move(found).error();
    }
    if (found->expires_at && *found->expires_at <= clock_.now()) return inactive;
    if (!found->client_id) return inactive;  // a personal API token: not a client's
    if (*found->client_id != caller.id) {
        auto owner = clients_.find_client(*found->client_id);
        if (!owner) {
            if (owner.error().code == Code::not_found) return inactive;
            return std::move(owner).error();
        }
        if (owner->account_id != caller.account_id) return inactive;
    }
    return Introspection{true,           std::move(found->scope), found->client_id,
                         found->user_id, found->created_at,       found->expires_at};
}

}  // namespace tessera::core
