#pragma once

#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "core/auth/caller.hpp"
#include "core/store/user_store.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {

// Users' global API keys (Cloudflare spec §1.3: X-Auth-Email + X-Auth-Key).
// A key is a "tak_" token kept only as a keyed digest; a user has at most
// one, and issuing a new one ends the old. Thread-safe.
class ApiKeyAuthenticator {
public:
    ApiKeyAuthenticator(UserStore& store, const Clock& clock, Random& random,
                        const crypto::Digester& digester)
        : store_(store), clock_(clock), random_(random), digester_(digester) {}

    // A new key for the user, replacing any previous one; the raw key exists
    // only in the return value. `not_found` (subject "user") when absent.
    Result<Secret> issue(const Id& user_id);

    // The user whose email and current key these are, as a Caller with scope
    // `global` and no authorization or session. `unauthenticated` for every
    // mismatch (unknown email, no key, wrong key), one message for all; the
    // key is compared in constant time.
    Result<Caller> authenticate(std::string_view email, std::string_view key) const;

private:
    UserStore& store_;
    const Clock& clock_;
    Random& random_;
    const crypto::Digester& digester_;
};

}  // namespace tessera::core
