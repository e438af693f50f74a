#pragma once

#include "base/id.hpp"
#include "base/result.hpp"
#include "core/model/grant.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/statement.hpp"

namespace tessera::storage::sqlite {

// Rows of the code-flow tables (migration 0005): authorization_codes,
// sessions, refresh_tokens and browser_sessions.
//
// Each insert_* runs on `connection`, which the caller holds in a
// transaction: `conflict` if the id or digest exists; `internal` if a
// referenced row does not exist (foreign keys).
// Each read_* reads the current row of `row`, whose step() returned true, a
// SELECT of the columns listed, in that order; `internal` if the row is
// malformed.

Result<void> insert_code(Connection& connection, const core::AuthorizationCode& code);
// (id, digest, authorization_id, client_id, user_id, redirect_uri,
// code_challenge, scope, nonce, auth_time, expires_at, created_at,
// consumed_at, session_id)
Result<core::AuthorizationCode> read_code(Statement& row);

Result<void> insert_session(Connection& connection, const core::Session& session);
// (id, authorization_id, user_id, client_id, nonce, description, scope,
// expires_at, created_at, updated_at)
Result<core::Session> read_session(Statement& row);

// Inserts `token` into the session `session_id`, whatever token.session_id says.
Result<void> insert_refresh_token(Connection& connection, const core::RefreshToken& token,
                                  const Id& session_id);
// (id, session_id, digest, redacted, spent_at, successor_id, created_at)
Result<core::RefreshToken> read_refresh_token(Statement& row);

Result<void> insert_browser_session(Connection& connection, const core::BrowserSession& session);
// (id, digest, user_id, auth_time, expires_at, created_at)
Result<core::BrowserSession> read_browser_session(Statement& row);

}  // namespace tessera::storage::sqlite
