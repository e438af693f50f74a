#pragma once

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/statement.hpp"

namespace tessera::storage::sqlite {

// Rows of the authorizations table, shared by authorization_store.cpp and
// grant_store.cpp (a client's standing grants).

// Inserts `authorization` on `connection`, which the caller holds in a
// transaction. `conflict` if the id exists; `internal` if user_id or
// client_id names no row (foreign keys).
Result<void> insert_authorization(Connection& connection, const core::Authorization& authorization);

// The authorization in the current row of `row`, whose step() returned true:
// a SELECT of (id, user_id, client_id, scope, description, is_api_key,
// created_at, updated_at), in that order. `internal` if the row is malformed.
Result<core::Authorization> read_authorization(Statement& row);

}  // namespace tessera::storage::sqlite
