#pragma once

#include "base/result.hpp"
#include "core/model/client.hpp"
#include "storage/postgres/connection.hpp"

namespace tessera::storage::postgres {

// Inserts `client` on `connection`, inside the caller's transaction
// (client_store.cpp; registration_store.cpp uses it too). `conflict` if the
// id exists.
Result<void> insert_client(Connection& connection, const core::Client& client);

}  // namespace tessera::storage::postgres
