#include "core/oauth/token/jwt_access_token.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/jws.hpp"

namespace tessera::core {

std::string to_json(const JwtAccessTokenClaims& claims) {
    boost::json::object o;
    o["iss"] = claims.issuer;
    o["exp"] = claims.expires_at;
    o["aud"] = claims.audience;
    o["sub"] = claims.subject;
    o["client_id"] = claims.client_id;
    o["iat"] = claims.issued_at;
    o["jti"] = claims.jwt_id;
    if (!claims.scope.empty()) {
        std::string scope;
        for (const auto& s : claims.scope) scope += (scope.empty() ? "" : " ") + s;
        o["scope"] = std::move(scope);
    }
    if (claims.auth_time) o["auth_time"] = *claims.auth_time;
    return boost::json::serialize(o);
}

Result<Secret> JwtAccessTokenSigner::sign(const AccessToken& token,
                                          std::optional<Timestamp> auth_time) const {
    if (!token.client_id || !token.expires_at)
        return make_error(Code::internal, "the access token cannot be issued",
                          "jwt access token: no client_id or expiry");
    TESSERA_TRY_ASSIGN(ActiveKey active, keys_.current());
    JwtAccessTokenClaims claims;
    claims.issuer = issuer_;
    claims.audience = audience_;
    // RFC 9068 §2.2: the resource owner, or the client itself when none is
    // involved (client_credentials).
    claims.subject = token.user_id ? token.user_id->uuid() : token.client_id->uuid();
    claims.client_id = token.client_id->uuid();
    claims.jwt_id = token.id.uuid();
    claims.issued_at = token.created_at;
    claims.expires_at = *token.expires_at;
    claims.auth_time = auth_time;
    claims.scope = token.scope;
    // RFC 9068 §2.1: typ at+jwt keeps it from passing for an ID token.
    return Secret(crypto::sign_compact(*active.key, active.kid, "at+jwt", to_json(claims)));
}

}  // namespace tessera::core
