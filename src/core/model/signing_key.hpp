#pragma once

#include <optional>
#include <string>

#include "base/clock.hpp"

namespace tessera::core {

// Where a signing key is in its life (DESIGN.md "Signing key"). Keys move
// only forward: next -> current -> retired -> purged.
//  - next:    published in the JWKS, signs nothing yet, so relying parties
//             can fetch it before the first token it signs reaches them;
//  - current: published, signs every new token; at most one;
//  - retired: published until `expires_at` (when the last token it signed
//             has expired), signs nothing; then the janitor deletes it.
enum class KeyState { next, current, retired };

// One JWS signing key as stored. The private key is never stored in the
// clear: `sealed_private_key` is its DER sealed with the deployment's key
// (crypto::SecretBox, associated data naming the kid).
struct SigningKey {
    std::string id;          // the JWK `kid`: base64url, 22 characters
    std::string algorithm;   // "ES256", "RS256" or "EdDSA"
    std::string public_jwk;  // the public key as one JSON object, with kid, use and alg
    std::string sealed_private_key;
    KeyState state = KeyState::next;
    Timestamp created_at = 0;
    std::optional<Timestamp> activated_at;  // when it became current
    std::optional<Timestamp> retired_at;
    std::optional<Timestamp> expires_at;  // retired keys: unpublished and purged from then
};

}  // namespace tessera::core
