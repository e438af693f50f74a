#pragma once

#include <optional>
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

// What a member may do in an account (Cloudflare spec §1.3). Enumerators are
// the wire spelling of the role names in snake case; see role_name().
enum class Role { super_administrator, administrator, oauth_client_read, oauth_client_write };

// A user's place in an account. Every user is the super administrator of
// their personal account.
struct Membership {
    Id account_id;
    Id user_id;
    Role role = Role::oauth_client_read;
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
    // Cloudflare spec §1.3: the keyed digest of the user's global API key
    // (X-Auth-Key with X-Auth-Email); nullopt until one is created.
    std::optional<std::string> api_key_digest;
};

}  // namespace tessera::core
