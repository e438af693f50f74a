#include "core/oauth/revocation.hpp"

#include "core/tokens/presented_token.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {

Result<void> Revoker::revoke(const Client& caller, std::string_view token) {
    auto presented = read_presented_token(token);
    if (!presented) return {};
    std::string digest = digester_.digest(token);
    if (token.starts_with(crypto::prefix_of(crypto::TokenKind::refresh_token))) {
        auto refresh = grants_.find_refresh_token(digest);
        if (!refresh)
            return refresh.error().code == Code::not_found ? Result<void>() : refresh.error();
        auto session = grants_.find_session(refresh->session_id);
        if (!session)
            return session.error().code == Code::not_found ? Result<void>() : session.error();
        if (session->client_id != caller.id)
            return make_error(Code::unauthorized_client, "the token was not issued to this client");
        TESSERA_TRY(grants_.delete_session(session->id));
        return {};
    }
    auto found = authorizations_.find_access_token(digest, presented->id);
    if (!found) {
        if (found.error().code == Code::not_found) return {};
        return std::move(found).error();
    }
    if (found->client_id != caller.id)
        return make_error(Code::unauthorized_client, "the token was not issued to this client");
    TESSERA_TRY(tokens_.revoke_access_token(
        digest, found->id_in_token ? std::optional<Id>(found->id) : std::nullopt));
    return {};
}

Result<AccessToken> Revoker::revoke_owned(const Id& user_id, const Id& token_id) {
    auto not_found = [] {
        return make_error(Code::not_found, "Couldn't find that token.", {}, "token");
    };
    auto token = tokens_.find_access_token_by_id(token_id);
    if (!token) {
        if (token.error().code == Code::not_found) return not_found();
        return token;
    }
    if (token->user_id != user_id) return not_found();
    TESSERA_TRY_ASSIGN(
        bool revoked,
        tokens_.revoke_access_token(
            token->digest, token->id_in_token ? std::optional<Id>(token->id) : std::nullopt));
    if (!revoked) return not_found();  // revoked meanwhile
    return token;
}

}  // namespace tessera::core
