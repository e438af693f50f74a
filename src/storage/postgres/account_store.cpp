// PostgresStore: accounts and their members (core::AccountStore).
#include <string>

#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kSelectAccount =
    "SELECT id, name, created_at FROM accounts WHERE id = $1";
// Locks the account and the user against deletion until the member is in.
constexpr std::string_view kLockAccount = "SELECT 1 FROM accounts WHERE id = $1 FOR KEY SHARE";
constexpr std::string_view kLockUser = "SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE";
// A role change keeps the membership's created_at.
constexpr std::string_view kPutMember =
    "INSERT INTO account_members (account_id, user_id, role, created_at)"
    " VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role";
constexpr std::string_view kSelectMembership =
    "SELECT account_id, user_id, role, created_at FROM account_members"
    " WHERE account_id = $1 AND user_id = $2";
constexpr std::string_view kListMemberships =
    "SELECT account_id, user_id, role, created_at FROM account_members"
    " WHERE user_id = $1 ORDER BY created_at ASC, account_id ASC";

constexpr std::string_view role_text(core::Role role) {
    switch (role) {
        case core::Role::super_administrator:
            return "super_administrator";
        case core::Role::administrator:
            return "administrator";
        case core::Role::oauth_client_read:
            return "oauth_client_read";
        case core::Role::oauth_client_write:
            return "oauth_client_write";
    }
    return "oauth_client_read";
}

std::optional<core::Role> parse_role(std::string_view text) {
    using core::Role;
    for (Role role : {Role::super_administrator, Role::administrator, Role::oauth_client_read,
                      Role::oauth_client_write})
        if (role_text(role) == text) return role;
    return std::nullopt;
}

Result<core::Membership> read_membership(Row row) {
    core::Membership membership;
    membership.account_id = row.id(0);
    membership.user_id = row.id(1);
    auto role = parse_role(row.text(2));
    membership.created_at = row.int64(3);
    if (!role || row.is_malformed()) return Row::malformed_error("account_members");
    membership.role = *role;
    return membership;
}

Result<void> insert_member(Connection& connection, const core::Membership& membership) {
    TESSERA_TRY_ASSIGN(Rows account,
                       connection.run(kLockAccount, Params().id(membership.account_id)));
    if (account.empty())
        return make_error(Code::not_found, "the account was not found", {}, "account");
    TESSERA_TRY_ASSIGN(Rows user, connection.run(kLockUser, Params().id(membership.user_id)));
    if (user.empty()) return make_error(Code::not_found, "the user was not found", {}, "user");
    TESSERA_TRY(connection.run(kPutMember, Params()
                                               .id(membership.account_id)
                                               .id(membership.user_id)
                                               .text(role_text(membership.role))
                                               .int64(membership.created_at)));
    return {};
}

}  // namespace

Result<void> PostgresStore::create_account(const core::Account& account,
                                           const core::Membership& first_member) {
    return database_.transaction("create_account", [&](Connection& connection) -> Result<void> {
        TESSERA_TRY(connection.run(
            kInsertAccount, Params().id(account.id).text(account.name).int64(account.created_at)));
        core::Membership member = first_member;
        member.account_id = account.id;
        return insert_member(connection, member);
    });
}

Result<core::Account> PostgresStore::find_account(const Id& id) {
    return database_.read("find_account", [&](Connection& connection) -> Result<core::Account> {
        TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectAccount, Params().id(id)));
        if (rows.empty())
            return make_error(Code::not_found, "the account was not found", {}, "account");
        Row row = rows.row(0);
        core::Account account{row.id(0), row.text(1), row.int64(2)};
        if (row.is_malformed()) return Row::malformed_error("accounts");
        return account;
    });
}

Result<void> PostgresStore::put_member(const core::Membership& membership) {
    return database_.transaction("put_member", [&](Connection& connection) {
        return insert_member(connection, membership);
    });
}

Result<core::Membership> PostgresStore::find_membership(const Id& account_id, const Id& user_id) {
    return database_.read(
        "find_membership", [&](Connection& connection) -> Result<core::Membership> {
            TESSERA_TRY_ASSIGN(
                Rows rows, connection.run(kSelectMembership, Params().id(account_id).id(user_id)));
            if (rows.empty())
                return make_error(Code::not_found, "the user is not a member of the account", {},
                                  "membership");
            return read_membership(rows.row(0));
        });
}

Result<std::vector<core::Membership>> PostgresStore::list_memberships(const Id& user_id) {
    using Memberships = std::vector<core::Membership>;
    return database_.read("list_memberships", [&](Connection& connection) -> Result<Memberships> {
        TESSERA_TRY_ASSIGN(Rows rows, connection.run(kListMemberships, Params().id(user_id)));
        Memberships memberships;
        for (int i = 0; i < rows.size(); ++i) {
            TESSERA_TRY_ASSIGN(core::Membership membership, read_membership(rows.row(i)));
            memberships.push_back(membership);
        }
        return memberships;
    });
}

}  // namespace tessera::storage::postgres
