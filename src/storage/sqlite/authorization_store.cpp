// SqliteStore: authorizations and the access tokens under them
// (core::AuthorizationStore; find_access_token is in token_store.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include "storage/sqlite/access_token_rows.hpp"
#include "storage/sqlite/authorization_rows.hpp"
#include "storage/sqlite/key_range.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAuthorization =
    "INSERT INTO authorizations"
    " (id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr std::string_view kSelectAuthorization =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope"
    " FROM authorizations WHERE id = ?1";
// Foreign keys cascade to the authorization's tokens.
constexpr std::string_view kDeleteAuthorization = "DELETE FROM authorizations WHERE id = ?1";
constexpr std::string_view kAuthorizationExists = "SELECT 1 FROM authorizations WHERE id = ?1";
constexpr std::string_view kUpdateAuthorization =
    "UPDATE authorizations SET description = ?2, updated_at = ?3, client_id = ?4 WHERE id = ?1";
// Tokens carry their authorization's client (introspection reads it there).
constexpr std::string_view kSetTokensClient =
    "UPDATE access_tokens SET client_id = ?2 WHERE authorization_id = ?1";
constexpr std::string_view kTouchAuthorization =
    "UPDATE authorizations SET updated_at = ?2 WHERE id = ?1";

// One page of a user's authorizations: ?2 <= id < ?3 (see KeyRange), at most
// ?4 rows. Each is a range scan of authorizations_user_id (user_id, id).
constexpr std::string_view kListByIdAscending =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope"
    " FROM authorizations WHERE user_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id ASC LIMIT ?4";
constexpr std::string_view kListByIdDescending =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope"
    " FROM authorizations WHERE user_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4";

// The newest of the user's API-key authorizations (ties on created_at broken
// by the larger id). Scans the user's rows through authorizations_user_id.
constexpr std::string_view kSelectApiKeyAuthorization =
    "SELECT id, user_id, client_id, scope, description, is_api_key, created_at, updated_at,"
    " declined_scope"
    " FROM authorizations WHERE user_id = ?1 AND is_api_key = 1"
    " ORDER BY created_at DESC, id DESC LIMIT 1";

// The columns in read_access_token()'s order (access_token_rows.hpp). A scan
// of access_tokens_authorization_id.
constexpr std::string_view kListAccessTokens =
    "SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at,"
    " created_at, session_id, by_digest FROM access_tokens WHERE authorization_id = ?1"
    " ORDER BY created_at, id";
constexpr std::string_view kDeleteAccessTokensOfAuthorization =
    "DELETE FROM access_tokens WHERE authorization_id = ?1";

constexpr int kMaxPageSize = 1000;

Error authorization_not_found() {
    return make_error(Code::not_found, "the authorization was not found", {}, "authorization");
}

}  // namespace

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
    authorization.declined_scope = split_scope(row.column_text(8));
    if (row.has_malformed_column()) return Statement::malformed_row_error("authorizations");
    return authorization;
}

Result<void> insert_authorization(Connection& connection,
                                  const core::Authorization& authorization) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAuthorization));
    insert.bind_id(1, authorization.id)
        .bind_id(2, authorization.user_id)
        .bind_optional_id(3, authorization.client_id)
        .bind_text(4, join_scope(authorization.scope))
        .bind_text(5, authorization.description)
        .bind_int(6, authorization.is_api_key ? 1 : 0)
        .bind_int(7, authorization.created_at)
        .bind_int(8, authorization.updated_at)
        .bind_text(9, join_scope(authorization.declined_scope));
    return insert.run();
}

Result<void> SqliteStore::create_authorization(const core::Authorization& authorization,
                                               const core::AccessToken& token) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY(insert_authorization(connection, authorization));
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

Result<core::Page<core::Authorization>> SqliteStore::list_authorizations_by_user(
    const Id& user_id, const core::PageQuery& query) {
    using AuthorizationPage = core::Page<core::Authorization>;
    // Authorizations are listed by id only (the interface's precondition);
    // any other field is read as id, so its keys must be ids too.
    core::PageQuery by_id = query;
    by_id.field = core::SortField::id;
    return database_.with_connection([&](Connection& connection) -> Result<AuthorizationPage> {
        TESSERA_TRY_ASSIGN(KeyRange range, key_range(by_id));
        int max = std::clamp(by_id.max, 1, kMaxPageSize);
        TESSERA_TRY_ASSIGN(
            Statement select,
            connection.prepare(by_id.descending ? kListByIdDescending : kListByIdAscending));
        select.bind_id(1, user_id);
        bind_key(select, 2, range.low);
        bind_key(select, 3, range.high);
        select.bind_int(4, max + 1);  // one more than asked tells whether more follow
        AuthorizationPage page;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return page;
            TESSERA_TRY_ASSIGN(core::Authorization authorization, read_authorization(select));
            if (static_cast<int>(page.items.size()) == max) {
                page.has_more = true;
                return page;
            }
            page.items.push_back(std::move(authorization));
        }
    });
}

Result<core::Authorization> SqliteStore::find_api_key_authorization(const Id& user_id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::Authorization> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectApiKeyAuthorization));
        select.bind_id(1, user_id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return authorization_not_found();
        return read_authorization(select);
    });
}

Result<std::vector<core::AccessToken>> SqliteStore::list_access_tokens(const Id& authorization_id) {
    using Tokens = std::vector<core::AccessToken>;
    return database_.with_connection([&](Connection& connection) -> Result<Tokens> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kListAccessTokens));
        select.bind_id(1, authorization_id);
        Tokens tokens;
        for (;;) {
            TESSERA_TRY_ASSIGN(bool has_row, select.step());
            if (!has_row) return tokens;
            TESSERA_TRY_ASSIGN(core::AccessToken token, read_access_token(select));
            tokens.push_back(std::move(token));
        }
    });
}

Result<void> SqliteStore::update_authorization(const core::Authorization& authorization) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement update, connection.prepare(kUpdateAuthorization));
        update.bind_id(1, authorization.id)
            .bind_text(2, authorization.description)
            .bind_int(3, authorization.updated_at)
            .bind_optional_id(4, authorization.client_id);
        TESSERA_TRY(update.run());
        if (connection.changes() == 0) return authorization_not_found();
        TESSERA_TRY_ASSIGN(Statement tokens, connection.prepare(kSetTokensClient));
        tokens.bind_id(1, authorization.id).bind_optional_id(2, authorization.client_id);
        return tokens.run();
    });
}

Result<void> SqliteStore::replace_access_tokens(const Id& authorization_id,
                                                const core::AccessToken& token,
                                                Timestamp updated_at) {
    if (token.authorization_id != authorization_id) {
        return make_error(Code::internal, "the database failed",
                          "replace_access_tokens: the token belongs to another authorization");
    }
    return database_.transaction([&](Connection& connection) -> Result<void> {
        {
            TESSERA_TRY_ASSIGN(Statement exists, connection.prepare(kAuthorizationExists));
            exists.bind_id(1, authorization_id);
            TESSERA_TRY_ASSIGN(bool found, exists.step());
            if (!found) return authorization_not_found();
        }
        {
            TESSERA_TRY_ASSIGN(Statement remove,
                               connection.prepare(kDeleteAccessTokensOfAuthorization));
            remove.bind_id(1, authorization_id);
            TESSERA_TRY(remove.run());
        }
        TESSERA_TRY(insert_access_token(connection, token));
        TESSERA_TRY_ASSIGN(Statement touch, connection.prepare(kTouchAuthorization));
        touch.bind_id(1, authorization_id).bind_int(2, updated_at);
        return touch.run();
    });
}

}  // namespace tessera::storage::sqlite
