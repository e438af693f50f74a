// PostgresStore: users and their personal accounts (core::UserStore).
#include <string>

#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, password_hash, account_id, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";
// Every user is the super administrator of their personal account.
constexpr std::string_view kInsertOwner =
    "INSERT INTO account_members (account_id, user_id, role, created_at)"
    " VALUES ($1, $2, 'super_administrator', $3)";
constexpr std::string_view kSelectUserByEmail =
    "SELECT id, email, name, password_hash, account_id, created_at, updated_at, api_key_digest"
    " FROM users WHERE email = $1";
constexpr std::string_view kSelectUserById =
    "SELECT id, email, name, password_hash, account_id, created_at, updated_at, api_key_digest"
    " FROM users WHERE id = $1";
constexpr std::string_view kSetApiKeyDigest =
    "UPDATE users SET api_key_digest = $2, updated_at = $3 WHERE id = $1";

// ASCII only, as SqliteStore folds: the same folding on the way in and on
// lookup is what matters, and it never changes the byte length of UTF-8.
std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

Error user_not_found() { return make_error(Code::not_found, "the user was not found", {}, "user"); }

Result<core::User> read_user(Row row) {
    core::User user;
    user.id = row.id(0);
    user.email = row.text(1);
    user.name = row.text(2);
    user.password_hash = row.text(3);
    user.account_id = row.id(4);
    user.created_at = row.int64(5);
    user.updated_at = row.int64(6);
    user.api_key_digest = row.optional_bytes(7);
    if (row.is_malformed()) return Row::malformed_error("users");
    return user;
}

// Runs a SELECT of one user with the parameters `make_params()` gives,
// inside the read so that nothing it allocates can throw past the store.
template <typename MakeParams>
Result<core::User> select_user(Database& database, std::string_view sql, MakeParams make_params) {
    return database.read("find_user", [&](Connection& connection) -> Result<core::User> {
        TESSERA_TRY_ASSIGN(Rows rows, connection.run(sql, make_params()));
        if (rows.empty()) return user_not_found();
        return read_user(rows.row(0));
    });
}

}  // namespace

Result<void> PostgresStore::create_user(const core::User& user, const core::Account& account) {
    return database_.transaction("create_user", [&](Connection& connection) -> Result<void> {
        TESSERA_TRY(connection.run(
            kInsertAccount, Params().id(account.id).text(account.name).int64(account.created_at)));
        TESSERA_TRY(connection.run(kInsertUser, Params()
                                                    .id(user.id)
                                                    .text(lowercase(user.email))
                                                    .text(user.name)
                                                    .text(user.password_hash)
                                                    .id(user.account_id)
                                                    .int64(user.created_at)
                                                    .int64(user.updated_at)));
        TESSERA_TRY(connection.run(kInsertOwner,
                                   Params().id(account.id).id(user.id).int64(user.created_at)));
        return {};
    });
}

Result<core::User> PostgresStore::find_user_by_email(std::string_view email) {
    return select_user(database_, kSelectUserByEmail,
                       [&] { return Params().text(lowercase(email)); });
}

Result<core::User> PostgresStore::find_user(const Id& id) {
    return select_user(database_, kSelectUserById, [&] { return Params().id(id); });
}

Result<void> PostgresStore::set_api_key_digest(const Id& user_id, const std::string& digest,
                                               Timestamp updated_at) {
    return database_.transaction("set_api_key_digest", [&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(
            Rows updated,
            connection.run(kSetApiKeyDigest, Params().id(user_id).bytes(digest).int64(updated_at)));
        if (updated.affected() == 0) return user_not_found();
        return {};
    });
}

}  // namespace tessera::storage::postgres
