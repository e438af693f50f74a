// Rows of the code-flow tables, read and written by grant_store.cpp.
#include "storage/postgres/grant_rows.hpp"

#include <string>

namespace tessera::storage::postgres {
namespace {

constexpr std::string_view kInsertCode =
    "INSERT INTO authorization_codes (" TESSERA_CODE_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kInsertSession = "INSERT INTO sessions (" TESSERA_SESSION_COLUMNS
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (" TESSERA_REFRESH_TOKEN_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kInsertBrowserSession =
    "INSERT INTO browser_sessions (" TESSERA_BROWSER_SESSION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6)";

}  // namespace

Result<core::AuthorizationCode> read_code(Row row) {
    core::AuthorizationCode code;
    code.id = row.id(0);
    code.digest = row.bytes(1);
    code.authorization_id = row.id(2);
    code.client_id = row.id(3);
    code.user_id = row.id(4);
    code.redirect_uri = row.text(5);
    code.code_challenge = row.text(6);
    code.scope = row.text_list(7);
    code.nonce = row.text(8);
    code.auth_time = row.int64(9);
    code.expires_at = row.int64(10);
    code.created_at = row.int64(11);
    code.consumed_at = row.optional_int64(12);
    code.session_id = row.optional_id(13);
    if (row.is_malformed()) return Row::malformed_error("authorization_codes");
    return code;
}

Result<core::Session> read_session(Row row) {
    core::Session session;
    session.id = row.id(0);
    session.authorization_id = row.id(1);
    session.user_id = row.id(2);
    session.client_id = row.optional_id(3);
    session.nonce = row.text(4);
    session.description = row.text(5);
    session.scope = row.text_list(6);
    session.expires_at = row.optional_int64(7);
    session.created_at = row.int64(8);
    session.updated_at = row.int64(9);
    if (row.is_malformed()) return Row::malformed_error("sessions");
    return session;
}

Result<core::RefreshToken> read_refresh_token(Row row) {
    core::RefreshToken token;
    token.id = row.id(0);
    token.session_id = row.id(1);
    token.digest = row.bytes(2);
    token.redacted = row.text(3);
    token.spent_at = row.optional_int64(4);
    token.successor_id = row.optional_id(5);
    token.created_at = row.int64(6);
    if (row.is_malformed()) return Row::malformed_error("refresh_tokens");
    return token;
}

Result<core::BrowserSession> read_browser_session(Row row) {
    core::BrowserSession session;
    session.id = row.id(0);
    session.digest = row.bytes(1);
    session.user_id = row.id(2);
    session.auth_time = row.int64(3);
    session.expires_at = row.int64(4);
    session.created_at = row.int64(5);
    if (row.is_malformed()) return Row::malformed_error("browser_sessions");
    return session;
}

Result<void> insert_code(Connection& connection, const core::AuthorizationCode& code) {
    TESSERA_TRY(connection.run(kInsertCode, Params()
                                                .id(code.id)
                                                .bytes(code.digest)
                                                .id(code.authorization_id)
                                                .id(code.client_id)
                                                .id(code.user_id)
                                                .text(code.redirect_uri)
                                                .text(code.code_challenge)
                                                .text_list(code.scope)
                                                .text(code.nonce)
                                                .int64(code.auth_time)
                                                .int64(code.expires_at)
                                                .int64(code.created_at)
                                                .optional_int64(code.consumed_at)
                                                .optional_id(code.session_id)));
    return {};
}

Result<void> insert_session(Connection& connection, const core::Session& session) {
    TESSERA_TRY(connection.run(kInsertSession, Params()
                                                   .id(session.id)
                                                   .id(session.authorization_id)
                                                   .id(session.user_id)
                                                   .optional_id(session.client_id)
                                                   .text(session.nonce)
                                                   .text(session.description)
                                                   .text_list(session.scope)
                                                   .optional_int64(session.expires_at)
                                                   .int64(session.created_at)
                                                   .int64(session.updated_at)));
    return {};
}

Result<void> insert_refresh_token(Connection& connection, const core::RefreshToken& token,
                                  const Id& session_id) {
    TESSERA_TRY(connection.run(kInsertRefreshToken, Params()
                                                        .id(token.id)
                                                        .id(session_id)
                                                        .bytes(token.digest)
                                                        .text(token.redacted)
                                                        .optional_int64(token.spent_at)
                                                        .optional_id(token.successor_id)
                                                        .int64(token.created_at)));
    return {};
}

Result<void> insert_browser_session(Connection& connection, const core::BrowserSession& session) {
    TESSERA_TRY(connection.run(kInsertBrowserSession, Params()
                                                          .id(session.id)
                                                          .bytes(session.digest)
                                                          .id(session.user_id)
                                                          .int64(session.auth_time)
                                                          .int64(session.expires_at)
                                                          .int64(session.created_at)));
    return {};
}

}  // namespace tessera::storage::postgres
