#pragma once

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "storage/postgres/connection.hpp"

namespace tessera::storage::postgres {

// Rows of the access_tokens table, shared by the store files that read and
// write them (token_store.cpp, authorization_store.cpp, grant_store.cpp).

// The columns read_access_token() reads, in its order.
#define TESSERA_ACCESS_TOKEN_COLUMNS                                                  \
    "id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, " \
    "created_at, session_id, by_digest"

// Inserts `token` on `connection`, inside the caller's transaction. An empty
// authorization_id, user_id, client_id or session_id is stored as NULL.
// `conflict` if the id or (for a token without its id inside) the digest
// exists; `internal` if authorization_id, client_id or session_id names no
// row (foreign keys).
Result<void> insert_access_token(Connection& connection, const core::AccessToken& token);

// The token in `row`, a SELECT of TESSERA_ACCESS_TOKEN_COLUMNS. `internal` if
// the row is malformed.
Result<core::AccessToken> read_access_token(Row row);

}  // namespace tessera::storage::postgres
