#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace tessera::crypto {

// Argon2id password hashing (libsodium, PHC string format). Slow on purpose:
// for human passwords only, never for tokens or client secrets.
// Thread-safe.

// Returns the PHC-encoded hash. Fails with `internal` only if memory for the
// hash cannot be had.
Result<std::string> hash_password(std::string_view password);

// Constant-time verification against a stored hash; false on any mismatch or
// malformed hash.
bool verify_password(std::string_view password, const std::string& hash);

}  // namespace tessera::crypto
