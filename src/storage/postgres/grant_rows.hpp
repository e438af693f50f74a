#pragma once

#include "base/id.hpp"
#include "base/result.hpp"
#include "core/model/grant.hpp"
#include "storage/postgres/connection.hpp"

namespace tessera::storage::postgres {

// Rows of the code-flow tables: authorization_codes, sessions,
// refresh_tokens and browser_sessions (grant_store.cpp).
//
// Each insert_* runs on `connection`, inside the caller's transaction:
// `conflict` if the id or digest exists; `internal` if a referenced row does
// not exist (foreign keys). Each read_* reads a SELECT of the columns its
// TESSERA_*_COLUMNS macro lists; `internal` if the row is malformed.

#define TESSERA_CODE_COLUMNS                                                                  \
    "id, digest, authorization_id, client_id, user_id, redirect_uri, code_challenge, scope, " \
    "nonce, auth_time, expires_at, created_at, consumed_at, session_id"
#define TESSERA_SESSION_COLUMNS                                                         \
    "id, authorization_id, user_id, client_id, nonce, description, scope, expires_at, " \
    "created_at, updated_at"
#define TESSERA_REFRESH_TOKEN_COLUMNS \
    "id, session_id, digest, redacted, spent_at, successor_id, created_at"
#define TESSERA_BROWSER_SESSION_COLUMNS "id, digest, user_id, auth_time, expires_at, created_at"

Result<void> insert_code(Connection& connection, const core::AuthorizationCode& code);
Result<core::AuthorizationCode> read_code(Row row);

Result<void> insert_session(Connection& connection, const core::Session& session);
Result<core::Session> read_session(Row row);

// Inserts `token` into the session `session_id`, whatever token.session_id says.
Result<void> insert_refresh_token(Connection& connection, const core::RefreshToken& token,
                                  const Id& session_id);
Result<core::RefreshToken> read_refresh_token(Row row);

Result<void> insert_browser_session(Connection& connection, const core::BrowserSession& session);
Result<core::BrowserSession> read_browser_session(Row row);

}  // namespace tessera::storage::postgres
