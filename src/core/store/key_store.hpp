#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "core/model/signing_key.hpp"

namespace tessera::core {

// What rotate_keys() did, by kid.
struct KeyRotation {
    std::string published;                // the new key (next, or current when none was)
    std::optional<std::string> promoted;  // the previous next, now current
    std::optional<std::string> retired;   // the previous current, now retired
};

// JWS signing keys (DESIGN.md "Signing key"), in one line per algorithm:
// each algorithm has at most one next and one current key, and rotates on
// its own. Every operation is atomic, so concurrent rotations and first
// starts never leave two current keys in a line or a promoted key without
// its predecessor retired. Thread-safe. Failures of the
// backend come back as `unavailable` or `internal`.
class KeyStore {
public:
    virtual ~KeyStore() = default;

    // Stores `key` as the current key unless any key exists (a first start);
    // false when one does, whoever stored it. `key.state` is ignored.
    virtual Result<bool> create_first_key(const SigningKey& key) = 0;

    // The default line's current key: the ES256 one, else (a deployment
    // that rotated ES256 away) the current key that was activated first.
    // `not_found` when no key is current.
    virtual Result<SigningKey> find_current_key() = 0;

    // The current key of `algorithm`'s line. `not_found` when it has none.
    virtual Result<SigningKey> find_current_key_of(const std::string& algorithm) = 0;

    // The keys a JWKS must list at `now`: next, current, and retired ones
    // whose expires_at is after `now`; current first, then next, then
    // retired, newest first. Their sealed private keys are included.
    virtual Result<std::vector<SigningKey>> list_published_keys(Timestamp now) = 0;

    // One rotation of the line of `key.algorithm`, in one transaction (other
    // lines are untouched): when a next key exists, the current key (if
    // any) becomes retired with retired_at = now and expires_at =
    // `retired_until`, and the next key becomes current (activated_at =
    // now). Then `key` is stored as the new next key, or as current when
    // after that step no key is current. `key.state` is ignored. `conflict`
    // when `key.id` is taken.
    virtual Result<KeyRotation> rotate_keys(const SigningKey& key, Timestamp now,
                                            Timestamp retired_until) = 0;

    // Deletes up to `limit` retired keys whose expires_at is at or before
    // `now`; returns how many. A `limit` below 1 deletes nothing.
    virtual Result<int> purge_retired_keys(Timestamp now, int limit) = 0;
};

}  // namespace tessera::core
