#include "backend.hpp"

#include <stdlib.h>

#include <filesystem>

#include "storage/postgres/connection.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/migrate.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/postgres/postgres_test_fixture.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrate.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace tessera::store_conformance {
namespace {

class SqliteBackend final : public Backend {
public:
    static Result<std::unique_ptr<Backend>> create() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "tessera-conformance-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr)
            return make_error(Code::internal, "cannot make a temporary directory");
        std::unique_ptr<SqliteBackend> backend(new SqliteBackend(pattern, /*owns=*/true));
        TESSERA_TRY(backend->open());
        TESSERA_TRY(storage::sqlite::migrate(*backend->database_));
        return std::unique_ptr<Backend>(std::move(backend));
    }

    ~SqliteBackend() override {
        store_.reset();
        database_.reset();
        if (owns_directory_) std::filesystem::remove_all(directory_);
    }

    Stores stores() override { return stores_of(*store_); }

    Result<std::unique_ptr<Backend>> second_node() override {
        std::unique_ptr<SqliteBackend> second(new SqliteBackend(directory_, /*owns=*/false));
        TESSERA_TRY(second->open());
        return std::unique_ptr<Backend>(std::move(second));
    }

    Result<std::int64_t> query_int(std::string_view sql) override {
        using storage::sqlite::Connection;
        using storage::sqlite::Statement;
        return database_->with_connection([&](Connection& c) -> Result<std::int64_t> {
            TESSERA_TRY_ASSIGN(Statement statement, c.prepare(sql));
            TESSERA_TRY_ASSIGN(bool has_row, statement.step());
            if (!has_row) return make_error(Code::internal, "no row");
            return statement.column_int(0);
        });
    }

    Result<void> execute(std::string_view sql) override {
        return database_->with_connection(
            [&](storage::sqlite::Connection& c) { return c.execute(sql); });
    }

    std::string id_literal(const Id& id) const override { return "x'" + id.hex() + "'"; }

private:
    SqliteBackend(std::string directory, bool owns)
        : directory_(std::move(directory)), owns_directory_(owns) {}

    Result<void> open() {
        TESSERA_TRY_ASSIGN(database_, storage::sqlite::Database::open(directory_ + "/tessera.db"));
        store_ = std::make_unique<storage::sqlite::SqliteStore>(*database_);
        return {};
    }

    std::string directory_;
    bool owns_directory_;
    std::unique_ptr<storage::sqlite::Database> database_;
    std::unique_ptr<storage::sqlite::SqliteStore> store_;
};

class PostgresBackend final : public Backend {
public:
    static Result<std::unique_ptr<Backend>> create() {
        TESSERA_TRY_ASSIGN(auto schema, storage::postgres::TestSchema::create());
        std::unique_ptr<PostgresBackend> backend(new PostgresBackend(schema->conninfo()));
        backend->sql_ = &schema->sql();
        backend->schema_ = std::move(schema);
        TESSERA_TRY(backend->open());
        TESSERA_TRY(storage::postgres::migrate(*backend->database_));
        return std::unique_ptr<Backend>(std::move(backend));
    }

    ~PostgresBackend() override {
        store_.reset();
        database_.reset();
        schema_.reset();
    }

    Stores stores() override { return stores_of(*store_); }

    Result<std::unique_ptr<Backend>> second_node() override {
        std::unique_ptr<PostgresBackend> second(new PostgresBackend(conninfo_));
        second->sql_ = sql_;
        TESSERA_TRY(second->open());
        return std::unique_ptr<Backend>(std::move(second));
    }

    Result<std::int64_t> query_int(std::string_view sql) override {
        TESSERA_TRY_ASSIGN(storage::postgres::Rows rows, connection().run(sql));
        if (rows.empty()) return make_error(Code::internal, "no row");
        storage::postgres::Row row = rows.row(0);
        std::int64_t value = row.int64(0);
        if (row.is_malformed()) return make_error(Code::internal, "not an integer");
        return value;
    }

    Result<void> execute(std::string_view sql) override { return connection().execute(sql); }

    std::string id_literal(const Id& id) const override { return "'\\x" + id.hex() + "'::bytea"; }

private:
    explicit PostgresBackend(std::string conninfo) : conninfo_(std::move(conninfo)) {}

    Result<void> open() {
        TESSERA_TRY_ASSIGN(database_, storage::postgres::Database::open(conninfo_));
        store_ = std::make_unique<storage::postgres::PostgresStore>(*database_);
        return {};
    }

    storage::postgres::Connection& connection() { return *sql_; }

    std::string conninfo_;
    std::unique_ptr<storage::postgres::TestSchema> schema_;  // the first node's only
    // Test SQL runs on the schema's own connection, the first node's.
    storage::postgres::Connection* sql_ = nullptr;
    std::unique_ptr<storage::postgres::Database> database_;
    std::unique_ptr<storage::postgres::PostgresStore> store_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_backend(BackendKind kind) {
    if (kind == BackendKind::sqlite_file) return SqliteBackend::create();
    return PostgresBackend::create();
}

}  // namespace tessera::store_conformance
