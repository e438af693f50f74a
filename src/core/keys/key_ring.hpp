#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "core/store/key_store.hpp"
#include "crypto/jws.hpp"
#include "crypto/secret_box.hpp"

namespace tessera::core {

struct KeyPolicy {
    // The longest life of anything we sign (ID tokens, JWT access tokens),
    // so a retired key stays published until the last token it signed has
    // expired. Rotation fixes a key's expiry with the value of the process
    // that rotates: `tessera admin keys rotate` must see the server's TTLs.
    std::int64_t signed_token_ttl = 3600;  // seconds
};

// The key that signs now, loaded and ready.
struct ActiveKey {
    std::string kid;
    std::shared_ptr<const crypto::SigningKey> key;
};

// The deployment's JWS signing keys (DESIGN.md "Signing key") over a
// KeyStore: creates the first one, rotates, hands out the current key and
// the published set. Private keys are unsealed only here, when a key first
// signs in this process, and kept in memory by kid (a key never changes
// once stored). Thread-safe.
//
// Keys form one line per algorithm (ES256, RS256, EdDSA): a line exists once
// a key of its algorithm was stored, and each line rotates on its own.
// Rotation (rotate()) publishes a new key as `next` of its line and, when a
// next key was already published, promotes it to `current` and retires the
// current one; a line's first key is current at once (nothing can have
// asked for its algorithm before it existed).
// So a key has been in the JWKS for at least one rotation interval before
// it signs: relying parties that cache the JWKS for its max-age see a key
// before its first token, provided rotations are further apart than that
// max-age. A retired key stays published for signed_token_ttl seconds.
class KeyRing {
public:
    KeyRing(KeyStore& store, const crypto::SecretBox& sealer, const Clock& clock, Random& random,
            KeyPolicy policy = {})
        : store_(store), sealer_(sealer), clock_(clock), random_(random), policy_(policy) {}

    // On first start: an ES256 current key unless any key exists.
    // `internal` when a key cannot be generated; store failures.
    Result<void> ensure_key();

    // One rotation (see above) with a fresh key of `algorithm`.
    Result<KeyRotation> rotate(crypto::JwsAlgorithm algorithm);

    // The default line's current key (KeyStore::find_current_key), unsealed:
    // what signs for a client that chose no algorithm. `unavailable` when
    // there is none (before ensure_key()); `internal` when its sealed
    // private key does not open under our key (a different digest key) or
    // is damaged.
    Result<ActiveKey> current() const;

    // The current key of `algorithm`'s line, unsealed. `unavailable` when
    // that line has no current key; `internal` as above.
    Result<ActiveKey> current(crypto::JwsAlgorithm algorithm) const;

    // The current key for a client's id_token_signed_response_alg: empty
    // for the default line, else that algorithm's. `internal` for a name
    // that is no algorithm of ours (the client record is damaged).
    Result<ActiveKey> current_for(std::string_view algorithm) const;

    // The keys a JWKS lists now (KeyStore::list_published_keys).
    Result<std::vector<SigningKey>> published() const;

    // The published key `kid`, unsealed, for checking a signature we made
    // (an id_token_hint). `not_found` when no published key has that kid;
    // `internal` as current().
    Result<std::shared_ptr<const crypto::SigningKey>> published_key(std::string_view kid) const;

    // Deletes retired keys past their expiry (the janitor's call).
    Result<int> purge_expired(int limit) { return store_.purge_retired_keys(clock_.now(), limit); }

    const KeyPolicy& policy() const { return policy_; }

private:
    Result<std::shared_ptr<const crypto::SigningKey>> load(const SigningKey& stored) const;
    // `stored`, unsealed; `line` names it in the log when it is missing.
    Result<ActiveKey> activate(Result<SigningKey> stored, std::string_view line) const;
    Result<SigningKey> new_key(crypto::JwsAlgorithm algorithm) const;

    KeyStore& store_;
    const crypto::SecretBox& sealer_;
    const Clock& clock_;
    Random& random_;
    const KeyPolicy policy_;
    mutable std::mutex mutex_;  // guards loaded_
    mutable std::map<std::string, std::shared_ptr<const crypto::SigningKey>> loaded_;
};

// The associated data a key's private part is sealed under: binds it to its kid.
std::string sealing_context(const std::string& kid);

}  // namespace tessera::core
