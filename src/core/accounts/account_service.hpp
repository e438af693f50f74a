#pragma once

#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "core/store/account_store.hpp"
#include "core/store/user_store.hpp"

namespace tessera::core {

// Creating accounts and managing their members (`tessera admin accounts`).
// Thread-safe.
class AccountService {
public:
    AccountService(AccountStore& accounts, UserStore& users, const Clock& clock, Random& random)
        : accounts_(accounts), users_(users), clock_(clock), random_(random) {}

    // A new account named `name` (1..255 characters after trimming) whose
    // first member, the user with `owner_email`, is its super administrator.
    // `invalid_params` (subject "name"), `not_found` (subject "user").
    Result<Account> create(const std::string& name, const std::string& owner_email);

    // Adds the user with `email` to the account with `role`, or changes the
    // role of a member. `not_found` (subject "account" or "user").
    Result<Membership> add_member(const Id& account_id, const std::string& email, Role role);

private:
    AccountStore& accounts_;
    UserStore& users_;
    const Clock& clock_;
    Random& random_;
};

}  // namespace tessera::core
