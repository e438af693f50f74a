#pragma once

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/statement.hpp"

namespace tessera::storage::sqlite {

// Rows of the access_tokens table, shared by the store files that read and
// write them (authorization_store.cpp with an authorization, token_store.cpp
// alone).

// Inserts `token` on `connection`, which the caller holds in a transaction.
// An empty authorization_id, user_id, client_id or session_id is stored as
// NULL. `conflict` if the id or digest exists; `internal` if
// authorization_id, client_id or session_id names no row (foreign keys).
Result<void> insert_access_token(Connection& connection, const core::AccessToken& token);

// The token in the current row of `row`, whose step() returned true: a SELECT
// of (id, authorization_id, user_id, client_id, digest, redacted, scope,
// expires_at, created_at, session_id, by_digest), in that order. `internal` if the row is malformed.
Result<core::AccessToken> read_access_token(Statement& row);

}  // namespace tessera::storage::sqlite
