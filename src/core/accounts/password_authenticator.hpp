#pragma once

#include <string_view>

#include "base/result.hpp"
#include "core/limits/rate_limiter.hpp"
#include "core/model/user.hpp"
#include "core/store/user_store.hpp"

namespace tessera::core {

// Signs users in with email and password (Argon2id). Slow on purpose, so
// callers must run it off the I/O threads. Attempts are rate limited per
// account and per client address, so guessing stays slow too. Thread-safe.
// The rate-limit key of a network address (the bucket of a client's address,
// without keeping the address itself).
Id network_address_key(std::string_view address);

class PasswordAuthenticator {
public:
    PasswordAuthenticator(UserStore& users, RateLimiter& per_account, RateLimiter& per_address)
        : users_(users), per_account_(per_account), per_address_(per_address) {}

    // The user, when `password` is theirs. `unauthenticated` with one
    // message for an unknown email and a wrong password alike (an unknown
    // email costs the same Argon2id time), `rate_limited` when either bucket
    // is empty; `address` identifies the client's network address.
    Result<User> authenticate(std::string_view email, std::string_view password, const Id& address);

private:
    UserStore& users_;
    RateLimiter& per_account_;
    RateLimiter& per_address_;
};

}  // namespace tessera::core
