#pragma once

#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/store/grant_store.hpp"
#include "core/store/key_store.hpp"
#include "core/store/token_store.hpp"

namespace tessera::core {

// Purges expired access tokens, codes, sessions, browser sign-ins and (when
// given a KeyStore) retired signing keys past their expiry, so the
// tables do not grow without bound (a client_credentials client mints a token
// per call). Works in small
// batches, each its own short transaction, so requests are never held up for
// long. Thread-safe; one instance per process is enough.
class Janitor {
public:
    Janitor(TokenStore& tokens, GrantStore& grants, const Clock& clock, int batch_size = 1000,
            KeyStore* keys = nullptr)
        : tokens_(tokens), grants_(grants), keys_(keys), clock_(clock), batch_size_(batch_size) {}

    // Deletes every row expired by now, batch by batch; returns how many.
    // Stops at the first store failure and returns it (the next run retries).
    Result<int> sweep();

private:
    TokenStore& tokens_;
    GrantStore& grants_;
    KeyStore* keys_;  // nullptr: keys are not purged
    const Clock& clock_;
    const int batch_size_;
};

}  // namespace tessera::core
