#include "core/oauth/id_token.hpp"

#include <algorithm>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/jws.hpp"

namespace tessera::core {

bool has_openid(const std::vector<std::string>& scope) {
    return std::find(scope.begin(), scope.end(), "openid") != scope.end();
}

void add_scope_claims(IdTokenClaims& claims, const User& user,
                      const std::vector<std::string>& scope) {
    auto has = [&](std::string_view s) {
        return std::find(scope.begin(), scope.end(), s) != scope.end();
    };
    if (has("profile")) claims.name = user.name;
    if (has("email")) claims.email = user.email;
}

std::string to_json(const IdTokenClaims& claims) {
    boost::json::object o;
    o["iss"] = claims.issuer;
    o["sub"] = claims.subject.uuid();
    o["aud"] = claims.audience.uuid();
    o["iat"] = claims.issued_at;
    o["exp"] = claims.expires_at;
    if (claims.auth_time) o["auth_time"] = *claims.auth_time;
    if (!claims.nonce.empty()) o["nonce"] = claims.nonce;
    if (!claims.at_hash.empty()) o["at_hash"] = claims.at_hash;
    if (claims.name) o["name"] = *claims.name;
    if (claims.email) {
        o["email"] = *claims.email;
        o["email_verified"] = false;
    }
    return boost::json::serialize(o);
}

Result<std::string> IdTokenIssuer::issue(const IdTokenRequest& request) const {
    TESSERA_TRY_ASSIGN(ActiveKey active, keys_.current());
    auto user = users_.find_user(request.user_id);
    if (!user) {
        if (user.error().code == Code::not_found)
            return make_error(Code::internal, "the user is gone",
                              "id token: the code's user no longer exists");
        return std::move(user).error();
    }
    IdTokenClaims claims;
    claims.issuer = issuer_;
    claims.subject = request.user_id;
    claims.audience = request.client_id;
    claims.issued_at = clock_.now();
    claims.expires_at = claims.issued_at + ttl_;
    claims.auth_time = request.auth_time;
    claims.nonce = request.nonce;
    // Core §3.1.3.6: at_hash binds the access token issued beside it.
    if (!request.access_token.empty())
        claims.at_hash = crypto::left_half_hash(active.key->algorithm(), request.access_token);
    add_scope_claims(claims, *user, request.scope);
    return crypto::sign_compact(*active.key, active.kid, "JWT", to_json(claims));
}

}  // namespace tessera::core
