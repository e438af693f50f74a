#pragma once

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "storage/postgres/connection.hpp"

namespace tessera::storage::postgres {

// Rows of the authorizations table, shared by authorization_store.cpp and
// grant_store.cpp (a client's standing grants).

// The columns read_authorization() reads, in its order.
#define TESSERA_AUTHORIZATION_COLUMNS                                                  \
    "id, user_id, client_id, scope, description, is_api_key, created_at, updated_at, " \
    "declined_scope"

// Inserts `authorization` on `connection`, inside the caller's transaction.
// `conflict` if the id exists; `internal` if user_id or client_id names no
// row (foreign keys).
Result<void> insert_authorization(Connection& connection, const core::Authorization& authorization);

// The authorization in `row`, a SELECT of TESSERA_AUTHORIZATION_COLUMNS.
// `internal` if the row is malformed.
Result<core::Authorization> read_authorization(Row row);

// Every row of `rows`, read as above.
Result<std::vector<core::Authorization>> read_authorizations(const Rows& rows);

}  // namespace tessera::storage::postgres
