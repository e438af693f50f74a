#pragma once

#include <string>

#include "base/clock.hpp"
#include "base/id.hpp"

namespace tessera::core {

// A tenant. Every user has a personal account; Cloudflare's `account_id`.
struct Account {
    Id id;
    std::string name;
    Timestamp created_at = 0;
};

// A person who signs in. `password_hash` is an Argon2id PHC string, never the
// password; it is empty for users who cannot sign in with a password.
struct User {
    Id id;
    std::string email;  // stored lowercased; unique
    std::string name;
    std::string password_hash;
    Id account_id;  // the personal account
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

}  // namespace tessera::core
