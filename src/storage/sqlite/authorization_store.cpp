// SqliteStore: authorizations and their first access tokens (core::AuthorizationStore;
// find_access_token is in token_store.cpp).
#include <string>

#include "storage/sqlite/access_token_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAuthorization =
    "INSERT INTO authorizations"
    " (id, user_id, client_id, scope, description, is_api_key, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kSelectAuthorization =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at"
    " FROM authorizations WHERE id = ?1";
// Foreign keys cascade to the authorization's tokens.
constexpr std::string_view kDeleteAuthorization = "DELETE FROM authorizations WHERE id = ?1";

Error authorization_not_found() {
    return make_error(Code::not_found, "the authorization was not found", {}, "authorization");
}

Result<core::Authorization> read_authorization(Statement& row) {
    core::Authorization authorization;
    authorization.id = row.column_id(0);
    authorization.user_id = row.column_id(1);
    authorization.client_id = row.column_optional_id(2);
    authorization.scope = split_scope(row.column_text(3));
    authorization.description = row.column_text(4);
    authorization.is_api_key = row.column_int(5) != 0;
    authorization.created_at = row.column_int(6);
    authorization.updated_at = row.column_int(7);
    if (row.has_malformed_column()) return Statement::malformed_row_error("authorizations");
    return authorization;
}

}  // namespace

Result<void> SqliteStore::create_authorization(const core::Authorization& authorization,
                                               const core::AccessToken& token) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        {
            TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAuthorization));
            insert.bind_id(1, authorization.id)
                .bind_id(2, authorization.user_id)
                .bind_optional_id(3, authorization.client_id)
                .bind_text(4, join_scope(authorization.scope))
                .bind_text(5, authorization.description)
                .bind_int(6, authorization.is_api_key ? 1 : 0)
                .bind_int(7, authorization.created_at)
                .bind_int(8, authorization.updated_at);
            TESSERA_TRY(insert.run());
        }
        return insert_access_token(connection, token);
    });
}

Result<core::Authorization> SqliteStore::find_authorization(const Id& id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::Authorization> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectAuthorization));
        select.bind_id(1, id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return authorization_not_found();
        return read_authorization(select);
    });
}

Result<void> SqliteStore::delete_authorization(const Id& id) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement remove, connection.prepare(kDeleteAuthorization));
        remove.bind_id(1, id);
        TESSERA_TRY(remove.run());
        if (connection.changes() == 0) return authorization_not_found();
        return {};
    });
}

}  // namespace tessera::storage::sqlite
