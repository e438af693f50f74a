// SqliteStore: users and their accounts (core::UserStore).
#include <string>

#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, created_at) VALUES (?1, ?2, ?3)";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, password_hash, account_id, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
// Every user is the super administrator of their personal account.
constexpr std::string_view kInsertOwner =
    "INSERT INTO account_members (account_id, user_id, role, created_at)"
    " VALUES (?1, ?2, 'super_administrator', ?3)";
constexpr std::string_view kSelectUserByEmail =
    "SELECT id, email, name, password_hash, account_id, created_at, updated_at, api_key_digest"
    " FROM users WHERE email = ?1";
constexpr std::string_view kSelectUserById =
    "SELECT id, email, name, password_hash, account_id, created_at, updated_at, api_key_digest"
    " FROM users WHERE id = ?1";
constexpr std::string_view kSetApiKeyDigest =
    "UPDATE users SET api_key_digest = ?2, updated_at = ?3 WHERE id = ?1";

// ASCII only: the same folding on the way in and on lookup is what matters,
// and it never changes the byte length of UTF-8.
std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

Error user_not_found() { return make_error(Code::not_found, "the user was not found", {}, "user"); }

core::User read_user(Statement& row) {
    core::User user;
    user.id = row.column_id(0);
    user.email = row.column_text(1);
    user.name = row.column_text(2);
    user.password_hash = row.column_text(3);
    user.account_id = row.column_id(4);
    user.created_at = row.column_int(5);
    user.updated_at = row.column_int(6);
    user.api_key_digest = row.column_optional_blob(7);
    return user;
}

// Runs a SELECT bound to one key and reads its only row.
template <typename Bind>
Result<core::User> select_user(Database& database, std::string_view sql, Bind bind) {
    return database.with_connection([&](Connection& connection) -> Result<core::User> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(sql));
        bind(select);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return user_not_found();
        core::User user = read_user(select);
        if (select.has_malformed_column()) return Statement::malformed_row_error("users");
        return user;
    });
}

}  // namespace

Result<void> SqliteStore::create_user(const core::User& user, const core::Account& account) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        {
            TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAccount));
            insert.bind_id(1, account.id)
                .bind_text(2, account.name)
                .bind_int(3, account.created_at);
            TESSERA_TRY(insert.run());
        }
        TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertUser));
        insert.bind_id(1, user.id)
            .bind_text(2, lowercase(user.email))
            .bind_text(3, user.name)
            .bind_text(4, user.password_hash)
            .bind_id(5, user.account_id)
            .bind_int(6, user.created_at)
            .bind_int(7, user.updated_at);
        TESSERA_TRY(insert.run());
        TESSERA_TRY_ASSIGN(Statement owner, connection.prepare(kInsertOwner));
        owner.bind_id(1, account.id).bind_id(2, user.id).bind_int(3, user.created_at);
        return owner.run();
    });
}

Result<core::User> SqliteStore::find_user_by_email(std::string_view email) {
    return select_user(database_, kSelectUserByEmail,
                       [&](Statement& select) { select.bind_text(1, lowercase(email)); });
}

Result<core::User> SqliteStore::find_user(const Id& id) {
    return select_user(database_, kSelectUserById,
                       [&](Statement& select) { select.bind_id(1, id); });
}

Result<void> SqliteStore::set_api_key_digest(const Id& user_id, const std::string& digest,
                                             Timestamp updated_at) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement update, connection.prepare(kSetApiKeyDigest));
        update.bind_id(1, user_id).bind_blob(2, digest).bind_int(3, updated_at);
        TESSERA_TRY(update.run());
        if (connection.changes() == 0) return user_not_found();
        return {};
    });
}

}  // namespace tessera::storage::sqlite
