#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/model/user.hpp"

namespace tessera::core {

// Accounts (tenants) and their members. Implementations are thread-safe;
// every call is atomic. Store failures return `unavailable` or `internal`.
class AccountStore {
public:
    virtual ~AccountStore() = default;

    // Inserts `account` and, in the same transaction, `first_member` (whose
    // account_id is account.id). `conflict` if the id exists; `not_found`
    // (subject "user") if the member's user does not exist.
    virtual Result<void> create_account(const Account& account, const Membership& first_member) = 0;

    // `not_found` (subject "account") when absent.
    virtual Result<Account> find_account(const Id& id) = 0;

    // Adds the member, or changes the role of one who already is.
    // `not_found` (subject "account" or "user") when either is absent.
    virtual Result<void> put_member(const Membership& membership) = 0;

    // `not_found` (subject "membership") when the user is not a member.
    virtual Result<Membership> find_membership(const Id& account_id, const Id& user_id) = 0;

    // Every account the user belongs to, oldest membership first.
    virtual Result<std::vector<Membership>> list_memberships(const Id& user_id) = 0;
};

}  // namespace tessera::core
