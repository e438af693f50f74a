#include "core/oauth/revocation.hpp"

#include "crypto/token_format.hpp"

namespace tessera::core {

Result<void> Revoker::revoke(const Client& caller, std::string_view token) {
    if (!crypto::has_valid_format(token)) return {};
    std::string digest = digester_.digest(token);
    auto found = authorizations_.find_access_token(digest);
    if (!found) {
        if (found.error().code == Code::not_found) return {};
        return std::move(found).error();
    }
    if (found->client_id != caller.id)
        return make_error(Code::unauthorized_client, "the token was not issued to this client");
    TESSERA_TRY(tokens_.revoke_access_token(digest));
    return {};
}

}  // namespace tessera::core
