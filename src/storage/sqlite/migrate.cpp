#include "storage/sqlite/migrate.hpp"

#include <string>

namespace tessera::storage::sqlite {
namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " applied_at INTEGER NOT NULL)";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = ?1";
constexpr std::string_view kRecordApplied =
    "INSERT INTO schema_migrations (version, applied_at)"
    " VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER))";
constexpr std::string_view kHasMigrationsTable =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kSchemaVersion =
    "SELECT coalesce(max(version), 0) FROM schema_migrations";

Result<void> create_migrations_table(Database& database) {
    return database.transaction([](Connection& connection) -> Result<void> {
        return connection.execute(kCreateMigrationsTable);
    });
}

// Applies `migration` unless recorded; true if it was applied now.
Result<bool> apply(Database& database, const Migration& migration) {
    return database.transaction([&](Connection& connection) -> Result<bool> {
        {
            TESSERA_TRY_ASSIGN(Statement is_applied, connection.prepare(kIsApplied));
            is_applied.bind_int(1, migration.version);
            TESSERA_TRY_ASSIGN(bool applied, is_applied.step());
            if (applied) return false;
        }
        if (auto executed = connection.execute(migration.sql); !executed.has_value()) {
            Error error = std::move(executed).error();
            error.log_detail = "migration " + std::string(migration.name) + ": " + error.log_detail;
            return error;
        }
        TESSERA_TRY_ASSIGN(Statement record, connection.prepare(kRecordApplied));
        record.bind_int(1, migration.version);
        TESSERA_TRY(record.run());
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
    TESSERA_TRY(create_migrations_table(database));
    int applied = 0;
    for (const Migration& migration : migrations) {
        TESSERA_TRY_ASSIGN(bool applied_now, apply(database, migration));
        if (applied_now) ++applied;
    }
    return applied;
}

Result<int> schema_version(Database& database) {
    return database.with_connection([](Connection& connection) -> Result<int> {
        {
            TESSERA_TRY_ASSIGN(Statement has_table, connection.prepare(kHasMigrationsTable));
            TESSERA_TRY_ASSIGN(bool exists, has_table.step());
            if (!exists) return 0;
        }
        TESSERA_TRY_ASSIGN(Statement statement, connection.prepare(kSchemaVersion));
        TESSERA_TRY_ASSIGN(bool has_row, statement.step());
        if (!has_row) return 0;
        return static_cast<int>(statement.column_int(0));
    });
}

}  // namespace tessera::storage::sqlite
