#pragma once

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
    // transaction. `conflict` if a user with the same email exists.
    virtual Result<void> create_user(const User& user, const Account& account) = 0;

    // `not_found` (subject "user") when absent. `email` is matched lowercased.
    virtual Result<User> find_user_by_email(std::string_view email) = 0;
    virtual Result<User> find_user(const Id& id) = 0;
};

}  // namespace tessera::core
