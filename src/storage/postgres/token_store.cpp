// PostgresStore: access tokens by id and digest (core::TokenStore, and
// AuthorizationStore::find_access_token).
#include <string>

#include "base/encoding.hpp"
#include "storage/postgres/access_token_rows.hpp"
#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertAccessToken =
    "INSERT INTO access_tokens (" TESSERA_ACCESS_TOKEN_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
// Tokens without their id inside are found through the partial unique index
// access_tokens_digest, hence `by_digest`.
constexpr std::string_view kSelectAccessTokenByDigest =
    "SELECT " TESSERA_ACCESS_TOKEN_COLUMNS " FROM access_tokens WHERE digest = $1 AND by_digest";
constexpr std::string_view kSelectAccessTokenById =
    "SELECT " TESSERA_ACCESS_TOKEN_COLUMNS " FROM access_tokens WHERE id = $1";
constexpr std::string_view kDeleteAccessTokenByDigest =
    "DELETE FROM access_tokens WHERE digest = $1 AND by_digest";
constexpr std::string_view kDeleteAccessTokenById =
    "DELETE FROM access_tokens WHERE id = $1 AND digest = $2";
// A range scan of access_tokens_expires_at, oldest first.
constexpr std::string_view kPurgeExpiredAccessTokens =
    "DELETE FROM access_tokens WHERE id IN (SELECT id FROM access_tokens"
    " WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2)";

// The first key of the janitor's advisory lock: "tsrj" (the migrations'
// lock is "tsra"); the second is the schema's.
constexpr std::string_view kTryJanitorLock =
    "SELECT pg_try_advisory_xact_lock(1953722986, hashtext(current_schema()))";

Error token_not_found() {
    return make_error(Code::not_found, "the token was not found", {}, "token");
}

}  // namespace

Result<core::AccessToken> read_access_token(Row row) {
    core::AccessToken token;
    token.id = row.id(0);
    token.authorization_id = row.optional_id(1);
    token.user_id = row.optional_id(2);
    token.client_id = row.optional_id(3);
    token.digest = row.bytes(4);
    token.redacted = row.text(5);
    token.scope = row.text_list(6);
    token.expires_at = row.optional_int64(7);
    token.created_at = row.int64(8);
    token.session_id = row.optional_id(9);
    token.id_in_token = !row.boolean(10);
    if (row.is_malformed()) return Row::malformed_error("access_tokens");
    return token;
}

Result<void> insert_access_token(Connection& connection, const core::AccessToken& token) {
    TESSERA_TRY(connection.run(kInsertAccessToken, Params()
                                                       .id(token.id)
                                                       .optional_id(token.authorization_id)
                                                       .optional_id(token.user_id)
                                                       .optional_id(token.client_id)
                                                       .bytes(token.digest)
                                                       .text(token.redacted)
                                                       .text_list(token.scope)
                                                       .optional_int64(token.expires_at)
                                                       .int64(token.created_at)
                                                       .optional_id(token.session_id)
                                                       .boolean(!token.id_in_token)));
    return {};
}

Result<core::AccessToken> PostgresStore::find_access_token_by_id(const Id& id) {
    return database_.read(
        "find_access_token_by_id", [&](Connection& connection) -> Result<core::AccessToken> {
            TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectAccessTokenById, Params().id(id)));
            if (rows.empty()) return token_not_found();
            return read_access_token(rows.row(0));
        });
}

Result<core::AccessToken> PostgresStore::find_access_token(const std::string& digest,
                                                           const std::optional<Id>& id) {
    return database_.read(
        "find_access_token", [&](Connection& connection) -> Result<core::AccessToken> {
            if (!id) {
                TESSERA_TRY_ASSIGN(
                    Rows rows, connection.run(kSelectAccessTokenByDigest, Params().bytes(digest)));
                if (rows.empty()) return token_not_found();
                return read_access_token(rows.row(0));
            }
            // A token that carries its id: by primary key,
            // then the digest must match (a forged token
            // with a real id but other random bits).
            TESSERA_TRY_ASSIGN(Rows rows, connection.run(kSelectAccessTokenById, Params().id(*id)));
            if (rows.empty()) return token_not_found();
            TESSERA_TRY_ASSIGN(core::AccessToken token, read_access_token(rows.row(0)));
            if (!token.id_in_token || !constant_time_equals(token.digest, digest))
                return token_not_found();
            return token;
        });
}

Result<void> PostgresStore::create_access_token(const core::AccessToken& token) {
    return database_.write_one("create_access_token", [&](Connection& connection) {
        return insert_access_token(connection, token);
    });
}

Result<bool> PostgresStore::revoke_access_token(const std::string& digest,
                                                const std::optional<Id>& id) {
    return database_.write_one(
        "revoke_access_token", [&](Connection& connection) -> Result<bool> {
            TESSERA_TRY_ASSIGN(
                Rows deleted,
                id ? connection.run(kDeleteAccessTokenById, Params().id(*id).bytes(digest))
                   : connection.run(kDeleteAccessTokenByDigest, Params().bytes(digest)));
            return deleted.affected() > 0;
        });
}

Result<bool> take_janitor_turn(Connection& connection) {
    TESSERA_TRY_ASSIGN(Rows locked, connection.run(kTryJanitorLock));
    if (locked.size() != 1) return Row::malformed_error("pg_try_advisory_xact_lock");
    return locked.row(0).boolean(0);
}

Result<int> PostgresStore::purge_expired_access_tokens(Timestamp now, int limit) {
    if (limit < 1) return 0;
    return database_.transaction(
        "purge_expired_access_tokens", [&](Connection& connection) -> Result<int> {
            TESSERA_TRY_ASSIGN(bool turn, take_janitor_turn(connection));
            if (!turn) return 0;
            TESSERA_TRY_ASSIGN(Rows purged, connection.run(kPurgeExpiredAccessTokens,
                                                           Params().int64(now).int64(limit)));
            return purged.affected();
        });
}

}  // namespace tessera::storage::postgres
