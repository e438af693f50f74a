// SqliteStore: authorizations and their access tokens (core::AuthorizationStore).
#include <string>

#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAuthorization =
    "INSERT INTO authorizations"
    " (id, user_id, client_id, scope, description, is_api_key, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens"
    " (id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr std::string_view kSelectAuthorization =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at"
    " FROM authorizations WHERE id = ?1";
constexpr std::string_view kSelectAccessTokenByDigest =
    "SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at,"
    " created_at FROM access_tokens WHERE digest = ?1";
// Foreign keys cascade to the authorization's tokens.
constexpr std::string_view kDeleteAuthorization = "DELETE FROM authorizations WHERE id = ?1";

Error authorization_not_found() {
    return make_error(Code::not_found, "the authorization was not found", {}, "authorization");
}

Error token_not_found() {
    return make_error(Code::not_found, "the token was not found", {}, "token");
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

Result<core::AccessToken> read_access_token(Statement& row) {
    core::AccessToken token;
    token.id = row.column_id(0);
    token.authorization_id = row.column_id(1);
    token.user_id = row.column_id(2);
    token.client_id = row.column_optional_id(3);
    token.digest = row.column_blob(4);
    token.redacted = row.column_text(5);
    token.scope = split_scope(row.column_text(6));
    token.expires_at = row.column_optional_int(7);
    token.created_at = row.column_int(8);
    if (row.has_malformed_column()) return Statement::malformed_row_error("access_tokens");
    return token;
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
        TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAccessToken));
        insert.bind_id(1, token.id)
            .bind_id(2, token.authorization_id)
            .bind_id(3, token.user_id)
            .bind_optional_id(4, token.client_id)
            .bind_blob(5, token.digest)
            .bind_text(6, token.redacted)
            .bind_text(7, join_scope(token.scope))
            .bind_optional_int(8, token.expires_at)
            .bind_int(9, token.created_at);
        return insert.run();
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

Result<core::AccessToken> SqliteStore::find_access_token(const std::string& digest) {
    return database_.with_connection([&](Connection& connection) -> Result<core::AccessToken> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectAccessTokenByDigest));
        select.bind_blob(1, digest);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return token_not_found();
        return read_access_token(select);
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
