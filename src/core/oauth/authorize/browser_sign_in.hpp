#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/accounts/password_authenticator.hpp"
#include "core/model/user.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/user_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// Who a browser is signed in as.
struct SignedIn {
    User user;
    Timestamp auth_time = 0;
};

struct SignInPolicy {
    std::int64_t session_ttl = 8 * 3600;  // seconds a sign-in lasts
};

// Signing a browser in and out of the authorization endpoint, and the CSRF
// tokens of its forms. The cookie holds a random token; the store keeps only
// its digest. Thread-safe.
class BrowserSignIn {
public:
    BrowserSignIn(PasswordAuthenticator& passwords, UserStore& users, GrantStore& grants,
                  const Clock& clock, Random& random, const crypto::Digester& digester,
                  SignInPolicy policy = {})
        : passwords_(passwords),
          users_(users),
          grants_(grants),
          clock_(clock),
          random_(random),
          digester_(digester),
          policy_(policy) {}

    // Checks the password (rate limited per account and per `address`, see
    // PasswordAuthenticator) and starts a browser session: returns the
    // cookie value. `unauthenticated` or `rate_limited` as the authenticator.
    Result<std::pair<Secret, SignedIn>> sign_in(std::string_view email, std::string_view password,
                                                const Id& address);

    // The user a cookie value signs in, or nullopt when it signs in no one
    // (malformed, unknown, expired or for a deleted user).
    Result<std::optional<SignedIn>> current(std::string_view cookie) const;

    // Ends the browser session of this cookie value, if any.
    Result<void> sign_out(std::string_view cookie);

    // A new random value for the CSRF cookie. Forms carry
    // csrf_token(csrf cookie, sign-in cookie): a keyed digest of both, which a
    // page on another origin cannot compute, and which a cookie planted by a
    // sibling site (cookie tossing) cannot match once the user is signed in,
    // since that page does not know the sign-in cookie.
    std::string new_csrf_cookie();
    // The token a form must carry for these cookie values (`session_cookie`
    // empty when the browser is not signed in).
    std::string csrf_token(std::string_view csrf_cookie, std::string_view session_cookie) const;
    // Whether `token` is csrf_token(csrf_cookie, session_cookie), compared in
    // constant time. False for an empty CSRF cookie.
    bool csrf_matches(std::string_view csrf_cookie, std::string_view session_cookie,
                      std::string_view token) const;

    std::int64_t session_ttl() const { return policy_.session_ttl; }

private:
    PasswordAuthenticator& passwords_;
    UserStore& users_;
    GrantStore& grants_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
    const SignInPolicy policy_;
};

}  // namespace tessera::core
