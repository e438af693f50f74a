#pragma once

#include <span>

#include "base/result.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"

namespace tessera::storage::sqlite {

// Brings the schema up to date: creates schema_migrations(version, applied_at)
// if missing, then applies each embedded migration whose version is not
// recorded there, in version order, each in its own transaction together with
// its schema_migrations row. Returns how many were applied (0 when up to
// date), so it is idempotent. Safe to run from several processes at once:
// BEGIN IMMEDIATE serialises them and each re-checks inside its transaction.
// Versions recorded but unknown to this build (a newer binary ran) are left
// alone. On failure the failing migration is rolled back, earlier ones stay
// applied; errors as Database::transaction().
Result<int> migrate(Database& database);

// As migrate(), with an explicit list (sorted by version); for tests.
Result<int> migrate(Database& database, std::span<const Migration> migrations);

// The highest applied version, 0 for a new database.
Result<int> schema_version(Database& database);

}  // namespace tessera::storage::sqlite
