// PostgresStore: authorizations and the access tokens under them
// (core::AuthorizationStore; find_access_token is in token_store.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include "storage/postgres/access_token_rows.hpp"
#include "storage/postgres/authorization_rows.hpp"
#include "storage/postgres/key_range.hpp"
#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertAuthorization =
    "INSERT INTO authorizations (" TESSERA_AUTHORIZATION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kSelectAuthorization =
    "SELECT " TESSERA_AUTHORIZATION_COLUMNS " FROM authorizations WHERE id = $1";
// Foreign keys cascade to the authorization's codes, sessions and tokens.
constexpr std::string_view kDeleteAuthorization = "DELETE FROM authorizations WHERE id = $1";
// Locks the authorization against deletion while its tokens are replaced.
constexpr std::string_view kLockAuthorization =
    "SELECT 1 FROM authorizations WHERE id = $1 FOR NO KEY UPDATE";
constexpr std::string_view kUpdateAuthorization =
    "UPDATE authorizations SET description = $2, updated_at = $3, client_id = $4 WHERE id = $1";
// Tokens carry their authorization's client (introspection reads it there).
constexpr std::string_view kSetTokensClient =
    "UPDATE access_tokens SET client_id = $2 WHERE authorization_id = $1";
constexpr std::string_view kTouchAuthorization =
    "UPDATE authorizations SET updated_at = $2 WHERE id = $1";

// One page of a user's authorizations: $2 <= id < $3 (see KeyRange), at most
// $4 rows; a range scan of authorizations_user_id (user_id, id).
constexpr std::string_view kListByIdAscending =
    "SELECT " TESSERA_AUTHORIZATION_COLUMNS
    " FROM authorizations"
    " WHERE user_id = $1 AND id >= $2 AND id < $3 ORDER BY id ASC LIMIT $4";
constexpr std::string_view kListByIdDescending =
    "SELECT " TESSERA_AUTHORIZATION_COLUMNS
    " FROM authorizations"
    " WHERE user_id = $1 AND id >= $2 AND id < $3 ORDER BY id DESC LIMIT $4";

// The newest of the user's API-key authorizations (ties on created_at broken
// by the larger id).
constexpr std::string_view kSelectApiKeyAuthorization =
    "SELECT " TESSERA_AUTHORIZATION_COLUMNS
    " FROM authorizations"
    " WHERE user_id = $1 AND is_api_key ORDER BY created_at DESC, id DESC LIMIT 1";

// A scan of access_tokens_authorization_id (authorization_id, created_at, id).
constexpr std::string_view kListAccessTokens =
    "SELECT " TESSERA_ACCESS_TOKEN_COLUMNS
    " FROM access_tokens"
    " WHERE authorization_id = $1 ORDER BY created_at, id";
constexpr std::string_view kDeleteAccessTokensOfAuthorization =
    "DELETE FROM access_tokens WHERE authorization_id = $1";

constexpr int kMaxPageSize = 1000;

Error authorization_not_found() {
    return make_error(Code::not_found, "the authorization was not found", {}, "authorization");
}

}  // namespace

Result<core::Authorization> read_authorization(Row row) {
    core::Authorization authorization;
    authorization.id = row.id(0);
    authorization.user_id = row.id(1);
    authorization.client_id = row.optional_id(2);
    authorization.scope = row.text_list(3);
    authorization.description = row.text(4);
    authorization.is_api_key = row.boolean(5);
    authorization.created_at = row.int64(6);
    authorization.updated_at = row.int64(7);
    authorization.declined_scope = row.text_list(8);
    if (row.is_malformed()) return Row::malformed_error("authorizations");
    return authorization;
}

Result<std::vector<core::Authorization>> read_authorizations(const Rows& rows) {
    std::vector<core::Authorization> authorizations;
    for (int i = 0; i < rows.size(); ++i) {
        TESSERA_TRY_ASSIGN(core::Authorization authorization, read_authorization(rows.row(i)));
        authorizations.push_back(std::move(authorization));
    }
    return authorizations;
}

Result<void> insert_authorization(Connection& connection,
                                  const core::Authorization& authorization) {
    TESSERA_TRY(connection.run(kInsertAuthorization, Params()
                                                         .id(authorization.id)
                                                         .id(authorization.user_id)
                                                         .optional_id(authorization.client_id)
                                                         .text_list(authorization.scope)
                                                         .text(authorization.description)
                                                         .boolean(authorization.is_api_key)
                                                         .int64(authorization.created_at)
                                                         .int64(authorization.updated_at)
                                                         .text_list(authorization.declined_scope)));
    return {};
}

Result<void> PostgresStore::create_authorization(const core::Authorization& authorization,
                                                 const core::AccessToken& token) {
    return database_.transaction("create_authorization",
                                 [&](Connection& connection) -> Result<void> {
                                     TESSERA_TRY(insert_authorization(connection, authorization));
                                     return insert_access_token(connection, token);
                                 });
}

Result<core::Authorization> PostgresStore::find_authorization(const Id& id) {
    return database_.read(
        "find_authorization", [&](Connection& connection) -> Result<core::Authorization> {
            TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectAuthorization, Params().id(id)));
            if (rows.empty()) return authorization_not_found();
            return read_authorization(rows.row(0));
        });
}

Result<void> PostgresStore::delete_authorization(const Id& id) {
    return database_.transaction(
        "delete_authorization", [&](Connection& connection) -> Result<void> {
            TESSERA_TRY_ASSIGN(Rows deleted, connection.run(kDeleteAuthorization, Params().id(id)));
            if (deleted.affected() == 0) return authorization_not_found();
            return {};
        });
}

Result<core::Page<core::Authorization>> PostgresStore::list_authorizations_by_user(
    const Id& user_id, const core::PageQuery& query) {
    using AuthorizationPage = core::Page<core::Authorization>;
    int max = std::clamp(query.max, 1, kMaxPageSize);
    return database_.read(
        "list_authorizations_by_user", [&](Connection& connection) -> Result<AuthorizationPage> {
            // Listed by id only (the interface's precondition); any other
            // field is read as id, so its keys must be ids too.
            core::PageQuery by_id = query;
            by_id.field = core::SortField::id;
            TESSERA_TRY_ASSIGN(KeyRange range, key_range(by_id));
            // One more than asked tells whether more follow.
            TESSERA_TRY_ASSIGN(
                Rows rows,
                connection.run(
                    by_id.descending ? kListByIdDescending : kListByIdAscending,
                    Params().id(user_id).bytes(range.low).bytes(range.high).int64(max + 1)));
            AuthorizationPage page;
            TESSERA_TRY_ASSIGN(page.items, read_authorizations(rows));
            if (static_cast<int>(page.items.size()) > max) {
                page.items.pop_back();
                page.has_more = true;
            }
            return page;
        });
}

Result<core::Authorization> PostgresStore::find_api_key_authorization(const Id& user_id) {
    return database_.read(
        "find_api_key_authorization", [&](Connection& connection) -> Result<core::Authorization> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               connection.run(kSelectApiKeyAuthorization, Params().id(user_id)));
            if (rows.empty()) return authorization_not_found();
            return read_authorization(rows.row(0));
        });
}

Result<std::vector<core::AccessToken>> PostgresStore::list_access_tokens(
    const Id& authorization_id) {
    using Tokens = std::vector<core::AccessToken>;
    return database_.read("list_access_tokens", [&](Connection& connection) -> Result<Tokens> {
        TESSERA_TRY_ASSIGN(Rows rows,
                           connection.run(kListAccessTokens, Params().id(authorization_id)));
        Tokens tokens;
        for (int i = 0; i < rows.size(); ++i) {
            TESSERA_TRY_ASSIGN(core::AccessToken token, read_access_token(rows.row(i)));
            tokens.push_back(std::move(token));
        }
        return tokens;
    });
}

Result<void> PostgresStore::update_authorization(const core::Authorization& authorization) {
    return database_.transaction(
        "update_authorization", [&](Connection& connection) -> Result<void> {
            TESSERA_TRY_ASSIGN(
                Rows updated,
                connection.run(kUpdateAuthorization, Params()
                                                         .id(authorization.id)
                                                         .text(authorization.description)
                                                         .int64(authorization.updated_at)
                                                         .optional_id(authorization.client_id)));
            if (updated.affected() == 0) return authorization_not_found();
            TESSERA_TRY(
                connection.run(kSetTokensClient,
                               Params().id(authorization.id).optional_id(authorization.client_id)));
            return {};
        });
}

Result<void> PostgresStore::replace_access_tokens(const Id& authorization_id,
                                                  const core::AccessToken& token,
                                                  Timestamp updated_at) {
    return database_.transaction(
        "replace_access_tokens", [&](Connection& connection) -> Result<void> {
            if (token.authorization_id != authorization_id) {
                return make_error(
                    Code::internal, "the database failed",
                    "replace_access_tokens: the token belongs to another authorization");
            }
            TESSERA_TRY_ASSIGN(Rows locked,
                               connection.run(kLockAuthorization, Params().id(authorization_id)));
            if (locked.empty()) return authorization_not_found();
            TESSERA_TRY(
                connection.run(kDeleteAccessTokensOfAuthorization, Params().id(authorization_id)));
            TESSERA_TRY(insert_access_token(connection, token));
            TESSERA_TRY(connection.run(kTouchAuthorization,
                                       Params().id(authorization_id).int64(updated_at)));
            return {};
        });
}

}  // namespace tessera::storage::postgres
