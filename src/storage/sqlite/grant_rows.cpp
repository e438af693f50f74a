// Rows of the code-flow tables (migration 0005), read and written by grant_store.cpp.
#include "storage/sqlite/grant_rows.hpp"

#include <string>

#include "storage/sqlite/string_list.hpp"

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kInsertCode =
    "INSERT INTO authorization_codes (id, digest, authorization_id, client_id, user_id,"
    " redirect_uri, code_challenge, scope, nonce, auth_time, expires_at, created_at,"
    " consumed_at, session_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (id, authorization_id, user_id, client_id, nonce, description, scope,"
    " expires_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (id, session_id, digest, redacted, spent_at, successor_id,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kInsertBrowserSession =
    "INSERT INTO browser_sessions (id, digest, user_id, auth_time, expires_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

}  // namespace

Result<core::AuthorizationCode> read_code(Statement& row) {
    core::AuthorizationCode code;
    code.id = row.column_id(0);
    code.digest = row.column_blob(1);
    code.authorization_id = row.column_id(2);
    code.client_id = row.column_id(3);
    code.user_id = row.column_id(4);
    code.redirect_uri = row.column_text(5);
    code.code_challenge = row.column_text(6);
    code.scope = split_scope(row.column_text(7));
    code.nonce = row.column_text(8);
    code.auth_time = row.column_int(9);
    code.expires_at = row.column_int(10);
    code.created_at = row.column_int(11);
    code.consumed_at = row.column_optional_int(12);
    code.session_id = row.column_optional_id(13);
    if (row.has_malformed_column()) return Statement::malformed_row_error("authorization_codes");
    return code;
}

Result<core::Session> read_session(Statement& row) {
    core::Session session;
    session.id = row.column_id(0);
    session.authorization_id = row.column_id(1);
    session.user_id = row.column_id(2);
    session.client_id = row.column_optional_id(3);
    session.nonce = row.column_text(4);
    session.description = row.column_text(5);
    session.scope = split_scope(row.column_text(6));
    session.expires_at = row.column_optional_int(7);
    session.created_at = row.column_int(8);
    session.updated_at = row.column_int(9);
    if (row.has_malformed_column()) return Statement::malformed_row_error("sessions");
    return session;
}

Result<core::RefreshToken> read_refresh_token(Statement& row) {
    core::RefreshToken token;
    token.id = row.column_id(0);
    token.session_id = row.column_id(1);
    token.digest = row.column_blob(2);
    token.redacted = row.column_text(3);
    token.spent_at = row.column_optional_int(4);
    token.successor_id = row.column_optional_id(5);
    token.created_at = row.column_int(6);
    if (row.has_malformed_column()) return Statement::malformed_row_error("refresh_tokens");
    return token;
}

Result<core::BrowserSession> read_browser_session(Statement& row) {
    core::BrowserSession session;
    session.id = row.column_id(0);
    session.digest = row.column_blob(1);
    session.user_id = row.column_id(2);
    session.auth_time = row.column_int(3);
    session.expires_at = row.column_int(4);
    session.created_at = row.column_int(5);
    if (row.has_malformed_column()) return Statement::malformed_row_error("browser_sessions");
    return session;
}

Result<void> insert_session(Connection& connection, const core::Session& session) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertSession));
    insert.bind_id(1, session.id)
        .bind_id(2, session.authorization_id)
        .bind_id(3, session.user_id)
        .bind_optional_id(4, session.client_id)
        .bind_text(5, session.nonce)
        .bind_text(6, session.description)
        .bind_text(7, join_scope(session.scope))
        .bind_optional_int(8, session.expires_at)
        .bind_int(9, session.created_at)
        .bind_int(10, session.updated_at);
    return insert.run();
}

// Inserts `token` into the session `session_id`, whatever its own field says.
Result<void> insert_refresh_token(Connection& connection, const core::RefreshToken& token,
                                  const Id& session_id) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertRefreshToken));
    insert.bind_id(1, token.id)
        .bind_id(2, session_id)
        .bind_blob(3, token.digest)
        .bind_text(4, token.redacted)
        .bind_optional_int(5, token.spent_at)
        .bind_optional_id(6, token.successor_id)
        .bind_int(7, token.created_at);
    return insert.run();
}

Result<void> insert_code(Connection& connection, const core::AuthorizationCode& code) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertCode));
    insert.bind_id(1, code.id)
        .bind_blob(2, code.digest)
        .bind_id(3, code.authorization_id)
        .bind_id(4, code.client_id)
        .bind_id(5, code.user_id)
        .bind_text(6, code.redirect_uri)
        .bind_text(7, code.code_challenge)
        .bind_text(8, join_scope(code.scope))
        .bind_text(9, code.nonce)
        .bind_int(10, code.auth_time)
        .bind_int(11, code.expires_at)
        .bind_int(12, code.created_at)
        .bind_optional_int(13, code.consumed_at)
        .bind_optional_id(14, code.session_id);
    return insert.run();
}

Result<void> insert_browser_session(Connection& connection, const core::BrowserSession& session) {
    TESSERA_TRY_ASSIGN(Statement insert, connection.prepare(kInsertBrowserSession));
    insert.bind_id(1, session.id)
        .bind_blob(2, session.digest)
        .bind_id(3, session.user_id)
        .bind_int(4, session.auth_time)
        .bind_int(5, session.expires_at)
        .bind_int(6, session.created_at);
    return insert.run();
}

}  // namespace tessera::storage::sqlite
