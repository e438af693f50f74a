// SqliteStore: access tokens by digest (core::TokenStore, and
// AuthorizationStore::find_access_token).
#include <string>

#include "base/encoding.hpp"

#include "storage/sqlite/access_token_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens"
    " (id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at,"
    " session_id, by_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
// Tokens without their id inside are found through the partial unique index
// access_tokens_digest (migration 0006), hence `by_digest = 1`.
constexpr std::string_view kSelectAccessTokenByDigest =
    "SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at,"
    " created_at, session_id, by_digest FROM access_tokens WHERE digest = ?1 AND by_digest = 1";
constexpr std::string_view kSelectAccessTokenById =
    "SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at,"
    " created_at, session_id, by_digest FROM access_tokens WHERE id = ?1";
constexpr std::string_view kDeleteAccessTokenByDigest =
    "DELETE FROM access_tokens WHERE digest = ?1 AND by_digest = 1";
constexpr std::string_view kDeleteAccessTokenById =
    "DELETE FROM access_tokens WHERE id = ?1 AND digest = ?2";
// A range scan of access_tokens_expires_at (migration 0004).
constexpr std::string_view kPurgeExpiredAccessTokens =
    "DELETE FROM access_tokens WHERE id IN (SELECT id FROM access_tokens"
    " WHERE expires_at IS NOT NULL AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2)";

Error token_not_found() {
    return make_error(Code::not_found, "the token was not found", {}, "token");
}

}  // namespace

Result<core::AccessToken> read_access_token(Statement& row) {
    core::AccessToken token;
    token.id = row.column_id(0);
    token.authorization_id = row.column_optional_id(1);
    token.user_id = row.column_optional_id(2);
    token.client_id = row.column_optional_id(3);
    token.digest = row.column_blob(4);
    token.redacted = row.column_text(5);
    token.scope = split_scope(row.column_text(6));
    token.expires_at = row.column_optional_int(7);
    token.created_at = row.column_int(8);
    token.session_id = row.column_optional_id(9);
    token.id_in_token = row.column_int(10) == 0;
    if (row.has_malformed_column()) return Statement::malformed_row_error("access_tokens");
    return token;
}

Result<void> insert_access_token(Connection& connection, const core::AccessToken& token) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertAccessToken));
    insert.bind_id(1, token.id)
        .bind_optional_id(2, token.authorization_id)
        .bind_optional_id(3, token.user_id)
        .bind_optional_id(4, token.client_id)
        .bind_blob(5, token.digest)
        .bind_text(6, token.redacted)
        .bind_text(7, join_scope(token.scope))
        .bind_optional_int(8, token.expires_at)
        .bind_int(9, token.created_at)
        .bind_optional_id(10, token.session_id)
        .bind_int(11, token.id_in_token ? 0 : 1);
    return insert.run();
}

Result<core::AccessToken> SqliteStore::find_access_token_by_id(const Id& id) {
    return database_.with_connection([&](Connection& connection) -> Result<core::AccessToken> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectAccessTokenById));
        select.bind_id(1, id);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return token_not_found();
        return read_access_token(select);
    });
}

Result<core::AccessToken> SqliteStore::find_access_token(const std::string& digest,
                                                         const std::optional<Id>& id) {
    if (id) {
        // A token that carries its id: by primary key, then the digest must
        // match (a forged token with a real id but other random bits).
        auto found = find_access_token_by_id(*id);
        if (found && (!found->id_in_token || !constant_time_equals(found->digest, digest)))
            return token_not_found();
        return found;
    }
    return database_.with_connection([&](Connection& connection) -> Result<core::AccessToken> {
        TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectAccessTokenByDigest));
        select.bind_blob(1, digest);
        TESSERA_TRY_ASSIGN(bool found, select.step());
        if (!found) return token_not_found();
        return read_access_token(select);
    });
}

Result<void> SqliteStore::create_access_token(const core::AccessToken& token) {
    return database_.transaction(
        [&](Connection& connection) { return insert_access_token(connection, token); });
}

WriteBatcher& SqliteStore::batcher() {
    std::call_once(batcher_started_,
                   [this] { batcher_ = std::make_unique<WriteBatcher>(database_); });
    return *batcher_;
}

void SqliteStore::create_access_token_async(const core::AccessToken& token,
                                            std::function<void(Result<void>)> done) {
    batcher().submit(
        [token](Connection& connection) { return insert_access_token(connection, token); },
        std::move(done));
}

Result<bool> SqliteStore::revoke_access_token(const std::string& digest,
                                              const std::optional<Id>& id) {
    return database_.transaction([&](Connection& connection) -> Result<bool> {
        TESSERA_TRY_ASSIGN(Statement remove, connection.prepare(id ? kDeleteAccessTokenById
                                                                   : kDeleteAccessTokenByDigest));
        if (id) {
            remove.bind_id(1, *id).bind_blob(2, digest);
        } else {
            remove.bind_blob(1, digest);
        }
        TESSERA_TRY(remove.run());
        return connection.changes() > 0;
    });
}

Result<int> SqliteStore::purge_expired_access_tokens(Timestamp now, int limit) {
    return database_.transaction([&](Connection& connection) -> Result<int> {
        TESSERA_TRY_ASSIGN(Statement purge, connection.prepare(kPurgeExpiredAccessTokens));
        purge.bind_int(1, now).bind_int(2, limit);
        TESSERA_TRY(purge.run());
        return connection.changes();
    });
}

}  // namespace tessera::storage::sqlite
