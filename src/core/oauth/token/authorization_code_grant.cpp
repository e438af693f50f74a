// RFC 6749 §4.1.3: the authorization code grant, with PKCE (RFC 7636) and the
// replay rules of RFC 9700 §4.5.
#include <algorithm>
#include <array>

#include "base/encoding.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/token_format.hpp"

namespace tessera::core {
namespace {

// One answer for every failure about the code, so a caller learns nothing
// about which check failed (Heroku spec §4.2).
Error bad_code() {
    return make_error(Code::invalid_grant,
                      "the authorization code is invalid, expired, already used, or was issued "
                      "for another client or redirect URI");
}

}  // namespace

Result<IssuedToken> TokenService::authorization_code(const Client& client,
                                                     const TokenRequest& request) {
    if (!client.allows_grant("authorization_code"))
        return make_error(Code::unauthorized_client,
                          "the client is not registered for the authorization_code grant");
    if (!request.code) return make_error(Code::invalid_request, "code is required");
    if (!crypto::has_valid_format(*request.code)) return bad_code();
    auto found = grants_.find_code(digester_.digest(*request.code));
    if (!found) return found.error().code == Code::not_found ? bad_code() : found.error();
    const AuthorizationCode& code = *found;

    // Checks that leave the code as it is: a request that fails them proves
    // nothing about who holds the code.
    if (code.client_id != client.id) return bad_code();
    Timestamp now = clock_.now();
    if (code.consumed_at) {
        // A replay (RFC 6749 §4.1.2): whoever holds the code may have the
        // tokens, so the first exchange's session dies.
        TESSERA_TRY(grants_.revoke_code_session(code.id));
        return bad_code();
    }
    if (now >= code.expires_at) return bad_code();
    if (!code.redirect_uri.empty()) {
        if (!request.redirect_uri || *request.redirect_uri != code.redirect_uri) return bad_code();
    } else if (request.redirect_uri) {
        auto& registered = client.redirect_uris;
        if (std::find(registered.begin(), registered.end(), *request.redirect_uri) ==
            registered.end())
            return bad_code();
    }
    // PKCE, and no downgrade either way (RFC 9700 §4.8.2).
    if (!code.code_challenge.empty()) {
        if (!request.code_verifier || !is_pkce_string(*request.code_verifier) ||
            !pkce_matches(*request.code_verifier, code.code_challenge))
            return bad_code();
    } else if (request.code_verifier) {
        return bad_code();
    }

    Session session;
    session.id = Id::generate(random_);
    session.authorization_id = code.authorization_id;
    session.user_id = code.user_id;
    session.client_id = client.id;
    std::array<std::uint8_t, 8> nonce{};
    random_.fill(nonce);
    session.nonce = hex_encode(nonce);
    session.description = client.name;
    session.scope = code.scope;
    if (policy_.refresh_token_ttl > 0) session.expires_at = now + policy_.refresh_token_ttl;
    session.created_at = now;
    session.updated_at = now;

    std::optional<Timestamp> auth_time =
        code.auth_time > 0 ? std::optional<Timestamp>(code.auth_time) : std::nullopt;
    TESSERA_TRY_ASSIGN(auto minted, new_access_token(client, session, code.scope, now, auth_time));
    auto& [access_raw, access] = minted;
    std::optional<Secret> refresh_raw;
    std::optional<RefreshToken> refresh;
    if (client.allows_grant("refresh_token")) {
        refresh_raw = crypto::mint_token(crypto::TokenKind::refresh_token, random_);
        refresh = new_refresh_token(*refresh_raw, session.id, now);
    }
    // OpenID Connect Core §3.1.3.3, signed before the code is spent.
    TESSERA_TRY_ASSIGN(std::optional<std::string> id_token,
                       id_token_for({code.user_id, client.id, code.scope, code.nonce, auth_time,
                                     access_raw.reveal(), client.id_token_signed_response_alg}));
    TESSERA_TRY_ASSIGN(bool redeemed, grants_.redeem_code(code.id, now, session, refresh, access));
    if (!redeemed) {
        // Another request consumed it between our read and our write.
        TESSERA_TRY(grants_.revoke_code_session(code.id));
        return bad_code();
    }
    IssuedToken issued{std::move(access_raw),
                       policy_.user_access_token_ttl,
                       code.scope,
                       std::move(refresh_raw),
                       std::move(access),
                       std::move(session)};
    issued.stored_refresh = std::move(refresh);
    issued.id_token = std::move(id_token);
    return issued;
}

}  // namespace tessera::core
