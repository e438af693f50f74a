#pragma once

#include "base/result.hpp"
#include "core/model/authorization.hpp"
#include "storage/sqlite/connection.hpp"

namespace tessera::storage::sqlite {

// Rows of the access_tokens table, shared by the store files that write them
// (authorization_store.cpp with an authorization, token_store.cpp alone).

// Inserts `token` on `connection`, which the caller holds in a transaction.
// An empty authorization_id, user_id or client_id is stored as NULL.
// `conflict` if the id or digest exists; `internal` if authorization_id or
// client_id names no row (foreign keys).
Result<void> insert_access_token(Connection& connection, const core::AccessToken& token);

}  // namespace tessera::storage::sqlite
