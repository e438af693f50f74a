#pragma once

#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/id.hpp"
#include "base/result.hpp"
#include "core/model/client.hpp"

namespace tessera::core {

// The client URI verifications that a background poller works through
// (Cloudflare spec §4.6), seen apart from the rest of the client: the poller
// reads and writes only Client::uri_verification.
//
// Thread-safe; every call is atomic. Failures of the backend come back as
// `unavailable` or `internal`.
class VerificationStore {
public:
    virtual ~VerificationStore() = default;

    // Up to `limit` verifications that are still open (status pending or
    // in_progress) and whose checked_at is before `checked_before`, with
    // the id of their client; the longest unchecked first (ties by client
    // id), so a poller that takes one batch after another reaches every
    // one. A `limit` below 1 returns none.
    virtual Result<std::vector<std::pair<Id, UriVerification>>> list_open_verifications(
        Timestamp checked_before, int limit) = 0;

    // Replaces the verification of client `client_id` with `next`, but only
    // if the stored one still has `expected`'s status, host and token: a
    // change made meanwhile (a new client_uri host, a restart, removal) is
    // never overwritten by a poller working from an older read. True when
    // written; false when the stored verification differs, is absent or
    // the client is gone. Nothing else of the client changes (updated_at
    // included: the poller is not an edit).
    virtual Result<bool> update_uri_verification(const Id& client_id,
                                                 const UriVerification& expected,
                                                 const UriVerification& next) = 0;
};

}  // namespace tessera::core
