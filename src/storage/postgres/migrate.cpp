#include "storage/postgres/migrate.hpp"

#include <string>

namespace tessera::storage::postgres {
namespace {

// The first key of the advisory lock: "tsra"; the second is the schema's.
constexpr std::int64_t kLockClass = 0x74737261;

constexpr std::string_view kLock =
    "SELECT pg_advisory_xact_lock($1::integer, hashtext(current_schema()))";
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " applied_at bigint NOT NULL)";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
constexpr std::string_view kRecordApplied =
    "INSERT INTO schema_migrations (version, applied_at)"
    " VALUES ($1, extract(epoch FROM now())::bigint)";
constexpr std::string_view kHasMigrationsTable =
    "SELECT 1 FROM pg_tables"
    " WHERE schemaname = current_schema() AND tablename = 'schema_migrations'";
constexpr std::string_view kSchemaVersion =
    "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations";

// Applies `migration` unless recorded; true if it was applied now.
Result<bool> apply(Database& database, const Migration& migration) {
    return database.transaction("migrate", [&](Connection& connection) -> Result<bool> {
        TESSERA_TRY(connection.run(kLock, Params().int64(kLockClass)));
        // Under the lock, so two first starts do not both create it.
        TESSERA_TRY(connection.execute(kCreateMigrationsTable));
        TESSERA_TRY_ASSIGN(Rows applied,
                           connection.run(kIsApplied, Params().int64(migration.version)));
        if (!applied.empty()) return false;
        if (auto executed = connection.execute(migration.sql); !executed.has_value()) {
            Error error = std::move(executed).error();
            error.log_detail = "migration " + std::string(migration.name) + ": " + error.log_detail;
            return error;
        }
        TESSERA_TRY(connection.run(kRecordApplied, Params().int64(migration.version)));
        return true;
    });
}

}  // namespace

Result<int> migrate(Database& database) { return migrate(database, embedded_migrations()); }

Result<int> migrate(Database& database, std::span<const Migration> migrations) {
    int previous = 0;
    for (const Migration& migration : migrations) {
        if (migration.version <= previous) {
            return make_error(Code::internal, "the database failed",
                              "migration " + std::string(migration.name) + ": out of order");
        }
        previous = migration.version;
    }
    int applied = 0;
    for (const Migration& migration : migrations) {
        TESSERA_TRY_ASSIGN(bool applied_now, apply(database, migration));
        if (applied_now) ++applied;
    }
    return applied;
}

Result<int> schema_version(Database& database) {
    return database.read("schema_version", [](Connection& connection) -> Result<int> {
        TESSERA_TRY_ASSIGN(Rows table, connection.run(kHasMigrationsTable));
        if (table.empty()) return 0;
        TESSERA_TRY_ASSIGN(Rows version, connection.run(kSchemaVersion));
        Row row = version.row(0);
        auto value = row.int64(0);
        if (row.is_malformed()) return Row::malformed_error("schema_migrations");
        return static_cast<int>(value);
    });
}

}  // namespace tessera::storage::postgres
