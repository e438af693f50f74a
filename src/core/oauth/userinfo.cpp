#include "core/oauth/userinfo.hpp"

#include "core/oauth/id_token.hpp"

namespace tessera::core {

Result<UserInfo> UserInfoEndpoint::userinfo(std::string_view access_token) const {
    TESSERA_TRY_ASSIGN(Caller caller, bearers_.authenticate(access_token));
    if (!has_openid(caller.scope))
        return make_error(Code::forbidden, "the access token was not issued for the openid scope");
    auto user = users_.find_user(caller.user_id);
    if (!user) {
        // A token that outlived its user proves nothing.
        if (user.error().code == Code::not_found)
            return make_error(Code::unauthenticated, "Invalid credentials provided.");
        return std::move(user).error();
    }
    // The same claims an ID token carries for this scope (Core §5.4).
    IdTokenClaims claims;
    add_scope_claims(claims, *user, caller.scope);
    return UserInfo{caller.user_id, std::move(claims.name), std::move(claims.email)};
}

}  // namespace tessera::core
