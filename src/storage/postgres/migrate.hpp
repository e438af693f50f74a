#pragma once

#include <span>

#include "base/result.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/migrations.hpp"

namespace tessera::storage::postgres {

// Brings the schema (in the connection's current schema, the first of its
// search_path) up to date: applies each embedded migration whose version is
// not recorded in schema_migrations(version, applied_at), in version order,
// each in its own transaction together with its schema_migrations row.
// Returns how many were applied (0 when up to date), so it is idempotent.
//
// Safe to run from several nodes at once: each transaction first takes a
// transaction-scoped advisory lock (pg_advisory_xact_lock, keyed by the
// schema name), so one node applies a migration while the others wait and
// then find it recorded. Versions recorded but unknown to this build (a newer
// binary ran) are left alone. On failure the failing migration is rolled
// back, earlier ones stay applied; errors as Database::transaction().
Result<int> migrate(Database& database);

// As migrate(), with an explicit list (sorted by version); for tests.
Result<int> migrate(Database& database, std::span<const Migration> migrations);

// The highest applied version, 0 for a new schema.
Result<int> schema_version(Database& database);

}  // namespace tessera::storage::postgres
