#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/secret.hpp"

namespace tessera::crypto {

// SHA-256 of `data`, raw 32 bytes.
std::array<std::uint8_t, 32> sha256(std::string_view data);

// Keyed digests of secrets and tokens (HMAC-SHA256 under the deployment's
// digest key). The store keeps only these, so a copy of the database does not
// yield usable credentials, and lookups by digest are O(1).
// Thread-safe: the key is immutable after construction. Each thread keeps
// an HMAC context keyed for the Digester it last used, so a digest costs no
// algorithm lookup or key setup (OpenSSL 3's one-shot HMAC() does both on
// every call, which showed in the token endpoints' profiles).
class Digester {
public:
    // `key` must be at least 32 bytes of secret material.
    explicit Digester(Secret key);

    // 32 raw bytes, as stored in the database.
    std::string digest(std::string_view secret) const;

private:
    Secret key_;
    std::uint64_t instance_;  // unique per Digester: names the thread's cached context
};

}  // namespace tessera::crypto
