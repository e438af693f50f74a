#include "storage/sqlite/database.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include <gtest/gtest.h>

#include "storage/sqlite/database_error.hpp"
#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

TEST(DatabaseError, MapsSqliteCodesToOurCodesWithGenericDescriptions) {
    const struct {
        int rc;
        Code code;
        const char* description;
    } cases[] = {
        {SQLITE_BUSY, Code::unavailable, "the database is unavailable"},
        {SQLITE_BUSY_SNAPSHOT, Code::unavailable, "the database is unavailable"},
        {SQLITE_LOCKED, Code::unavailable, "the database is unavailable"},
        {SQLITE_IOERR_WRITE, Code::unavailable, "the database is unavailable"},
        {SQLITE_CANTOPEN, Code::unavailable, "the database is unavailable"},
        {SQLITE_FULL, Code::unavailable, "the database is unavailable"},
        {SQLITE_CONSTRAINT_UNIQUE, Code::conflict, "the resource already exists"},
        {SQLITE_CONSTRAINT_PRIMARYKEY, Code::conflict, "the resource already exists"},
        {SQLITE_CONSTRAINT_FOREIGNKEY, Code::internal, "the database failed"},
        {SQLITE_CONSTRAINT_NOTNULL, Code::internal, "the database failed"},
        {SQLITE_CONSTRAINT, Code::internal, "the database failed"},
        {SQLITE_ERROR, Code::internal, "the database failed"},
        {SQLITE_CORRUPT, Code::internal, "the database failed"},
        {SQLITE_NOMEM, Code::internal, "the database failed"},
    };
    for (const auto& c : cases) {
        Error error = database_error(c.rc, "step", "sqlite says no");
        EXPECT_EQ(error.code, c.code) << c.rc;
        EXPECT_EQ(error.description, c.description) << c.rc;
        EXPECT_NE(error.log_detail.find("sqlite says no"), std::string::npos) << c.rc;
        EXPECT_NE(error.log_detail.find("step"), std::string::npos) << c.rc;
    }
}

TEST(Database, OpeningAFileInAMissingDirectoryIsUnavailable) {
    auto opened = Database::open("/nonexistent-tessera-dir/sub/tessera.db");
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, Code::unavailable);
    EXPECT_EQ(opened.error().description, "the database is unavailable");
}

TEST(Database, InMemoryDatabaseHasExactlyOneConnection) {
    auto opened = Database::open(":memory:", {.max_connections = 8});
    ASSERT_TRUE(opened.has_value());
    EXPECT_TRUE((*opened)->is_memory());
    EXPECT_EQ((*opened)->max_connections(), 1);
}

TEST(Database, CallingBackIntoABusyPoolTimesOutAsUnavailable) {
    auto opened = Database::open(":memory:", {.busy_timeout_ms = 20});
    ASSERT_TRUE(opened.has_value());
    Database& database = **opened;
    auto outer = database.with_connection([&](Connection&) -> Result<void> {
        // The only connection is held by this call, so the inner call must wait and give up.
        return database.with_connection([](Connection&) -> Result<void> { return {}; });
    });
    ASSERT_FALSE(outer.has_value());
    EXPECT_EQ(outer.error().code, Code::unavailable);
}

class SqliteDatabase : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        if (HasFatalFailure()) return;
        auto created = database_->transaction([](Connection& c) {
            return c.execute("CREATE TABLE things (name TEXT PRIMARY KEY NOT NULL)");
        });
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    }

    Result<void> insert(Connection& connection, std::string_view name) {
        TESSERA_TRY_ASSIGN(Statement insert,
                           connection.prepare("INSERT INTO things (name) VALUES (?1)"));
        insert.bind_text(1, name);
        return insert.run();
    }

    std::int64_t count_things() { return query_int("SELECT count(*) FROM things"); }
};

TEST_P(SqliteDatabase, AppliesTheConnectionSettings) {
    auto settings = database_->with_connection([](Connection& c) -> Result<std::string> {
        std::string out;
        for (auto sql : {"PRAGMA journal_mode", "PRAGMA foreign_keys", "PRAGMA busy_timeout"}) {
            TESSERA_TRY_ASSIGN(Statement pragma, c.prepare(sql));
            TESSERA_TRY(pragma.step());
            out += pragma.column_text(0) + " ";
        }
        return out;
    });
    ASSERT_TRUE(settings.has_value()) << settings.error().log_detail;
    EXPECT_EQ(*settings, GetParam() == Backend::file ? "wal 1 5000 " : "memory 1 5000 ");
}

TEST_P(SqliteDatabase, TransactionCommitsWhatTheFunctionWrote) {
    auto written = database_->transaction([&](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, "a"));
        return insert(c, "b");
    });
    ASSERT_TRUE(written.has_value()) << written.error().log_detail;
    EXPECT_EQ(count_things(), 2);
}

TEST_P(SqliteDatabase, TransactionRollsBackWhenTheFunctionFails) {
    auto written = database_->transaction([&](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, "a"));
        return make_error(Code::forbidden, "no");
    });
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().code, Code::forbidden);
    EXPECT_EQ(count_things(), 0);
}

TEST_P(SqliteDatabase, TransactionRollsBackAndReportsInternalWhenTheFunctionThrows) {
    auto written = database_->transaction([&](Connection& c) -> Result<void> {
        TESSERA_TRY(insert(c, "a"));
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().code, Code::internal);
    EXPECT_EQ(count_things(), 0);
    // The connection went back to the pool usable.
    auto again = database_->transaction([&](Connection& c) { return insert(c, "b"); });
    EXPECT_TRUE(again.has_value());
    EXPECT_EQ(count_things(), 1);
}

TEST_P(SqliteDatabase, DuplicateKeyIsAConflictWhoseDetailOmitsTheBoundValue) {
    const std::string value = "digest-like-value-7f3a";
    auto first = database_->transaction([&](Connection& c) { return insert(c, value); });
    auto second = database_->transaction([&](Connection& c) { return insert(c, value); });
    ASSERT_TRUE(first.has_value());
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, Code::conflict);
    EXPECT_EQ(second.error().log_detail.find(value), std::string::npos);
    EXPECT_EQ(second.error().description.find(value), std::string::npos);
    EXPECT_NE(second.error().log_detail.find("UNIQUE constraint failed"), std::string::npos);
}

TEST_P(SqliteDatabase, InvalidSqlIsInternal) {
    auto result = database_->with_connection([](Connection& c) -> Result<void> {
        TESSERA_TRY(c.prepare("SELEKT 1"));
        return {};
    });
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::internal);
}

TEST_P(SqliteDatabase, CachedStatementIsReusedWithFreshBindings) {
    for (auto name : {"x", "y", "z"}) {
        auto written = database_->transaction([&](Connection& c) { return insert(c, name); });
        ASSERT_TRUE(written.has_value()) << written.error().log_detail;
    }
    EXPECT_EQ(count_things(), 3);
    EXPECT_EQ(query_int("SELECT count(*) FROM things WHERE name IN ('x', 'y', 'z')"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteDatabase, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
