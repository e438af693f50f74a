#pragma once

#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/auth/caller.hpp"
#include "core/store/authorization_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// Turns a presented access token into a Caller. Thread-safe.
class TokenAuthenticator {
public:
    TokenAuthenticator(AuthorizationStore& store, const Clock& clock,
                       const crypto::Digester& digester)
        : store_(store), clock_(clock), digester_(digester) {}

    // `unauthenticated` for a malformed, unknown, revoked or expired token
    // (one message for all: the caller learns nothing about which);
    // `unavailable`/`internal` when the store fails.
    Result<Caller> authenticate(std::string_view token) const;

private:
    AuthorizationStore& store_;
    const Clock& clock_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
