// SqliteStore: accounts and their members (core::AccountStore).
#include <string>

#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, created_at) VALUES (?1, ?2, ?3)";
constexpr std::string_view kSelectAccount =
    "SELECT id, name, created_at FROM accounts WHERE id = ?1";
constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = ?1";
constexpr std::string_view kPutMember =
    "INSERT INTO account_members (account_id, user_id, role, created_at)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role";
constexpr std::string_view kSelectMembership =
    "SELECT account_id, user_id, role, created_at FROM account_members"
    " WHERE account_id = ?1 AND user_id = ?2";
constexpr std::string_view kListMemberships =
    "SELECT account_id, user_id, role, created_at FROM account_members"
    " WHERE user_id = ?1 ORDER BY created_at ASC, account_id ASC";

constexpr std::string_view role_text(core::Role role) {
    switch (role) {
        case core::Role::super_administrator: return "super_administrator";
        case core::Role::administrator: return "administrator";
        case core::Role::oauth_client_read: return "oauth_client_read";
        case core::Role::oauth_client_write: return "oauth_client_write";
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

Result<core::Membership> read_membership(Statement& row) {
    core::Membership membership;
    membership.account_id = row.column_id(0);
    membership.user_id = row.column_id(1);
    auto role = parse_role(row.column_text(2));
    membership.created_at = row.column_int(3);
    if (!role || row.has_malformed_column()) return Statement::malformed_row_error("account_members");
    membership.role = *role;
    return membership;
}

Result<bool> exists(Connection& connection, std::string_view sql, const Id& id) {
    TESSERA_TRY_ASSIGN(Statement select, connection.prepare(sql));
    select.bind_id(1, id);
    return select.step();
}

Result<void> insert_member(Connection& connection, const core::Membership& membership) {
    TESSERA_TRY_ASSIGN(bool has_account, exists(connection, kSelectAccount, membership.account_id));
    if (!has_account)
        return make_error(Code::not_found, "the account was not found", {}, "account");
    TESSERA_TRY_ASSIGN(bool has_user, exists(connection, kUserExists, membership.user_id));
    if (!has_user) return make_error(Code::not_found, "the user was not found", {}, "user");
    TESSERA_TRY_ASSIGN(Statement put, connection.prepare(kPutMember));
    put.bind_id(1, membership.account_id)
        .bind_id(2, membership.user_id)
        .bind_text(3, role_text(membership.role))
        .bind_int(4, membership.created_at);
    return put.run();
}

}  // namespace

Result<void> SqliteStore::create_account(const core::Account& account,
                                         const core::Membership& first_member) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAccount));
        insert.bind_id(1, account.id).bind_text(2, account.name).bind_int(3, account.created_at);
        TESSERA_TRY(insert.run());
        core::Membership member = first_member;
        member.account_id = account.id;
        return insert_member(connection, member);
    });
}

Result<core::Account> SqliteStore::find_account(const Id& id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::Account> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectAccount));
        select.bind_id(1, id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return make_error(Code::not_found, "the account was not found", {}, "account");
        core::Account account{select.column_id(0), select.column_text(1), select.column_int(2)};
        if (select.has_malformed_column()) return Statement::malformed_row_error("accounts");
        return account;
    });
}

Result<void> SqliteStore::put_member(const core::Membership& membership) {
    return database_.transaction(
        [&](Connection& connection) { return insert_member(connection, membership); });
}

Result<core::Membership> SqliteStore::find_membership(const Id& account_id, const Id& user_id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::Membership> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectMembership));
        select.bind_id(1, account_id).bind_id(2, user_id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found)
            return make_error(Code::not_found, "the user is not a member of the account", {},
                              "membership");
        return read_membership(select);
    });
}

Result<std::vector<core::Membership>> SqliteStore::list_memberships(const Id& user_id) {
    using Memberships = std::vector<core::Membership>;
    return database_.with_connection([&](Connection& connection) -> Result<Memberships> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kListMemberships));
        select.bind_id(1, user_id);
        Memberships memberships;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return memberships;
            TESSERA_TRY_ASSIGN(core::Membership membership, read_membership(select));
            memberships.push_back(membership);
        }
    });
}

}  // namespace tessera::storage::sqlite
