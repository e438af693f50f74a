// SqliteStore: dynamic client registration (core::RegistrationStore).
#include <string>

#include "storage/sqlite/client_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertInitialToken =
    "INSERT INTO initial_access_tokens (id, digest, max_uses, uses, expires_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kSelectInitialToken =
    "SELECT id, digest, max_uses, uses, expires_at, created_at FROM initial_access_tokens"
    " WHERE digest = ?1";
// One use, only while the token is unexpired and has uses left: the
// condition and the increment are one statement, so racing registrations
// cannot both take the last use.
constexpr std::string_view kUseInitialToken =
    "UPDATE initial_access_tokens SET uses = uses + 1 WHERE digest = ?1"
    " AND (expires_at IS NULL OR expires_at > ?2) AND (max_uses IS NULL OR uses < max_uses)";

Error unusable_token() {
    return make_error(Code::invalid_token, "the initial access token is invalid or expired");
}

}  // namespace

Result<void> SqliteStore::create_initial_access_token(const core::InitialAccessToken& token) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertInitialToken));
        std::optional<std::int64_t> max_uses;
        if (token.max_uses) max_uses = *token.max_uses;
        insert.bind_id(1, token.id)
            .bind_blob(2, token.digest)
            .bind_optional_int(3, max_uses)
            .bind_int(4, token.uses)
            .bind_optional_int(5, token.expires_at)
            .bind_int(6, token.created_at);
        return insert.run();
    });
}

Result<core::InitialAccessToken> SqliteStore::find_initial_access_token(const std::string& digest) {
    return database_.with_connection(
        [&](Connection& connection) -> Result<core::InitialAccessToken> {
            TESSERA_TRY_ASSIGN(Statement select, connection.prepare(kSelectInitialToken));
            select.bind_blob(1, digest);
            TESSERA_TRY_ASSIGN(bool found, select.step());
            if (!found)
                return make_error(Code::not_found, "the initial access token was not found", {},
                                  "initial_access_token");
            core::InitialAccessToken token;
            token.id = select.column_id(0);
            token.digest = select.column_blob(1);
            if (auto max_uses = select.column_optional_int(2))
                token.max_uses = static_cast<int>(*max_uses);
            token.uses = static_cast<int>(select.column_int(3));
            token.expires_at = select.column_optional_int(4);
            token.created_at = select.column_int(5);
            if (select.has_malformed_column())
                return Statement::malformed_row_error("initial_access_tokens");
            return token;
        });
}

Result<void> SqliteStore::create_registered_client(
    const core::Client& client, const std::optional<std::string>& initial_token_digest,
    Timestamp now) {
    return database_.transaction([&](Connection& connection) -> Result<void> {
        if (initial_token_digest) {
            TESSERA_TRY_ASSIGN(Statement use, connection.prepare(kUseInitialToken));
            use.bind_blob(1, *initial_token_digest).bind_int(2, now);
            TESSERA_TRY(use.run());
            if (connection.changes() == 0) return unusable_token();
        }
        return insert_client(connection, client);
    });
}

}  // namespace tessera::storage::sqlite
