#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/random.hpp"
#include "base/secret.hpp"

namespace tessera::crypto {

// Seals small secrets with AES-256-GCM (OpenSSL) for storage, bound to
// associated data (e.g. the owning record's id) so a sealed value cannot be
// moved to another record. Sealed form: version byte 1, 12-byte random nonce,
// ciphertext, 16-byte tag. Thread-safe: the key is immutable.
class SecretBox {
public:
    // `key` must be exactly 32 bytes.
    explicit SecretBox(Secret key);

    std::string seal(std::string_view plaintext, std::string_view associated_data,
                     Random& random) const;
    // nullopt when `sealed` is malformed, was sealed under another key or
    // associated data, or was tampered with.
    std::optional<Secret> open(std::string_view sealed, std::string_view associated_data) const;

private:
    Secret key_;
};

}  // namespace tessera::crypto
