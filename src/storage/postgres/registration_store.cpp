// PostgresStore: dynamic client registration (core::RegistrationStore).
#include <string>

#include "storage/postgres/client_rows.hpp"
#include "storage/postgres/postgres_store.hpp"

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertInitialToken =
    "INSERT INTO initial_access_tokens (id, digest, max_uses, uses, expires_at, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kSelectInitialToken =
    "SELECT id, digest, max_uses, uses, expires_at, created_at FROM initial_access_tokens"
    " WHERE digest = $1";
// One use, only while the token is unexpired and has uses left. The
// condition and the increment are one statement: a racing registration waits
// for the row lock and then re-checks the condition on the row as the winner
// left it, so two cannot both take the last use.
constexpr std::string_view kUseInitialToken =
    "UPDATE initial_access_tokens SET uses = uses + 1 WHERE digest = $1"
    " AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)";

Error unusable_token() {
    return make_error(Code::invalid_token, "the initial access token is invalid or expired");
}

}  // namespace

Result<void> PostgresStore::create_initial_access_token(const core::InitialAccessToken& token) {
    std::optional<std::int64_t> max_uses;
    if (token.max_uses) max_uses = *token.max_uses;
    return database_.transaction(
        "create_initial_access_token", [&](Connection& connection) -> Result<void> {
            TESSERA_TRY(connection.run(kInsertInitialToken, Params()
                                                                .id(token.id)
                                                                .bytes(token.digest)
                                                                .optional_int64(max_uses)
                                                                .int64(token.uses)
                                                                .optional_int64(token.expires_at)
                                                                .int64(token.created_at)));
            return {};
        });
}

Result<core::InitialAccessToken> PostgresStore::find_initial_access_token(
    const std::string& digest) {
    return database_.read(
        "find_initial_access_token",
        [&](Connection& connection) -> Result<core::InitialAccessToken> {
            TESSERA_TRY_ASSIGN(Rows rows,
                               connection.run(kSelectInitialToken, Params().bytes(digest)));
            if (rows.empty())
                return make_error(Code::not_found, "the initial access token was not found", {},
                                  "initial_access_token");
            Row row = rows.row(0);
            core::InitialAccessToken token;
            token.id = row.id(0);
            token.digest = row.bytes(1);
            if (auto max_uses = row.optional_int64(2)) token.max_uses = static_cast<int>(*max_uses);
            token.uses = static_cast<int>(row.int64(3));
            token.expires_at = row.optional_int64(4);
            token.created_at = row.int64(5);
            if (row.is_malformed()) return Row::malformed_error("initial_access_tokens");
            return token;
        });
}

Result<void> PostgresStore::create_registered_client(
    const core::Client& client, const std::optional<std::string>& initial_token_digest,
    Timestamp now) {
    return database_.transaction(
        "create_registered_client", [&](Connection& connection) -> Result<void> {
            if (initial_token_digest) {
                TESSERA_TRY_ASSIGN(
                    Rows used, connection.run(kUseInitialToken,
                                              Params().bytes(*initial_token_digest).int64(now)));
                if (used.affected() == 0) return unusable_token();
            }
            // A failed insert rolls the use back with it.
            return insert_client(connection, client);
        });
}

}  // namespace tessera::storage::postgres
