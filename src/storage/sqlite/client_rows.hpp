#pragma once

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "storage/sqlite/connection.hpp"

namespace tessera::storage::sqlite {

// Inserts `client` on `connection`, inside the caller's transaction
// (client_store.cpp). `conflict` if the id exists.
Result<void> insert_client(Connection& connection, const core::Client& client);

}  // namespace tessera::storage::sqlite
