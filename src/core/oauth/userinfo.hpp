#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/id.hpp"
#include "base/result.hpp"
#include "core/auth/token_authenticator.hpp"
#include "core/store/user_store.hpp"

namespace tessera::core {

// The UserInfo response (OpenID Connect Core §5.3.2): claims by scope.
struct UserInfo {
    Id subject;
    std::optional<std::string> name;   // `profile`
    std::optional<std::string> email;  // `email`; email_verified is always false
};

// The UserInfo endpoint's rule (Core §5.3): a live access token issued to a
// user with the `openid` scope reads that user's claims. Thread-safe.
class UserInfoEndpoint {
public:
    UserInfoEndpoint(const TokenAuthenticator& bearers, UserStore& users)
        : bearers_(bearers), users_(users) {}

    // `unauthenticated` for a malformed, unknown, revoked or expired token,
    // or one that acts for no user (RFC 6750 invalid_token); `forbidden`
    // when its scope lacks `openid` (insufficient_scope); store failures.
    Result<UserInfo> userinfo(std::string_view access_token) const;

private:
    const TokenAuthenticator& bearers_;
    UserStore& users_;
};

}  // namespace tessera::core
