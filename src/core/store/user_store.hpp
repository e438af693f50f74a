#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "core/model/user.hpp"

namespace tessera::core {

// Users and their accounts. Implementations are thread-safe; every call is
// atomic. Store failures return `unavailable` (database unreachable/busy) or
// `internal`.
class UserStore {
public:
    virtual ~UserStore() = default;

    // Inserts `account` and then `user` (whose account_id is account.id) in one
    // transaction, with the user as the account's super administrator.
    // `conflict` if a user with the same email exists.
    virtual Result<void> create_user(const User& user, const Account& account) = 0;

    // `not_found` (subject "user") when absent. `email` is matched lowercased.
    virtual Result<User> find_user_by_email(std::string_view email) = 0;
    virtual Result<User> find_user(const Id& id) = 0;

    // Replaces the digest of the user's global API key (Cloudflare spec
    // §1.3), so the previous key stops working at once. `not_found` (subject
    // "user") when absent.
    virtual Result<void> set_api_key_digest(const Id& user_id, const std::string& digest,
                                            Timestamp updated_at) = 0;
};

}  // namespace tessera::core
