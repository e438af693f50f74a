// RFC 6749 §6: the refresh token grant, with rotation and reuse detection
// (RFC 9700 §4.14.2) as a per-client policy (Heroku spec §9 D3).
#include <algorithm>

#include "core/oauth/token/token_service.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

Error bad_refresh_token() {
    return make_error(Code::invalid_grant, "the refresh token is invalid, expired or revoked");
}

}  // namespace

Result<IssuedToken> TokenService::refresh_token(const Client& client, const TokenRequest& request) {
    if (!client.allows_grant("refresh_token"))
        return make_error(Code::unauthorized_client,
                          "the client is not registered for the refresh_token grant");
    if (!request.refresh_token)
        return make_error(Code::invalid_request, "refresh_token is required");
    const std::string& presented = *request.refresh_token;
    if (!crypto::has_valid_format(presented)) return bad_refresh_token();
    auto token = grants_.find_refresh_token(digester_.digest(presented));
    if (!token) return token.error().code == Code::not_found ? bad_refresh_token() : token.error();
    auto session = grants_.find_session(token->session_id);
    if (!session)
        return session.error().code == Code::not_found ? bad_refresh_token() : session.error();
    // Another client's token is refused and left alone: the caller proved
    // only that it knows the token, not that it may end the session.
    if (session->client_id != client.id) return bad_refresh_token();
    Timestamp now = clock_.now();
    if (session->expires_at && now >= *session->expires_at) return bad_refresh_token();

    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    std::vector<std::string> scope = session->scope;
    if (request.scope && !request.scope->empty()) {
        TESSERA_TRY_ASSIGN(scope, parse_scope_parameter(*request.scope));
        for (const auto& s : scope) {
            if (std::find(session->scope.begin(), session->scope.end(), s) == session->scope.end())
                return make_error(
                    Code::invalid_scope,
                    "the scope '" + s.substr(0, 64) + "' was not granted to this refresh token");
        }
    }

    // The session does not keep when its user signed in: no auth_time.
    TESSERA_TRY_ASSIGN(auto minted, new_access_token(client, *session, scope, now, std::nullopt));
    auto& [access_raw, access] = minted;
    // OpenID Connect Core §12.2: a fresh ID token for the same user; the
    // original sign-in time and nonce belong to the first one.
    TESSERA_TRY_ASSIGN(std::optional<std::string> id_token,
                       id_token_for({session->user_id,
                                     client.id,
                                     scope,
                                     {},
                                     std::nullopt,
                                     access_raw.reveal(),
                                     client.id_token_signed_response_alg}));

    if (!rotates_refresh_tokens(client) && !token->spent_at) {
        // Stable: the same refresh token again (Heroku's documented behaviour).
        TESSERA_TRY_ASSIGN(bool added, grants_.add_session_access_token(access, now));
        if (!added) return bad_refresh_token();
        IssuedToken issued{std::move(access_raw), policy_.user_access_token_ttl,
                           std::move(scope),      Secret(presented),
                           std::move(access),     std::move(*session)};
        issued.stored_refresh = std::move(*token);
        issued.id_token = std::move(id_token);
        return issued;
    }

    Secret refresh_raw = crypto::mint_token(crypto::TokenKind::refresh_token, random_);
    RefreshToken successor = new_refresh_token(refresh_raw, session->id, now);
    TESSERA_TRY_ASSIGN(Rotation rotation,
                       grants_.rotate_refresh_token(token->id, now, now - policy_.refresh_grace,
                                                    successor, access));
    switch (rotation) {
        case Rotation::rotated:
        case Rotation::reissued: {
            IssuedToken issued{std::move(access_raw), policy_.user_access_token_ttl,
                               std::move(scope),      std::move(refresh_raw),
                               std::move(access),     std::move(*session)};
            issued.stored_refresh = std::move(successor);
            issued.id_token = std::move(id_token);
            return issued;
        }
        case Rotation::reused:
        case Rotation::gone:
            break;
    }
    return bad_refresh_token();
}

}  // namespace tessera::core
