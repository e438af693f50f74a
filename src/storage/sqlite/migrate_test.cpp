#include "storage/sqlite/migrate.hpp"

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteMigrate : public DatabaseTest {};

TEST(EmbeddedMigrations, AreNumberedFromOneInOrder) {
    auto migrations = embedded_migrations();
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations[0].version, 1);
    EXPECT_EQ(migrations[0].name, "0001_initial");
    EXPECT_NE(migrations[0].sql.find("CREATE TABLE clients"), std::string_view::npos);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        EXPECT_GT(migrations[i].version, migrations[i - 1].version);
    }
}

TEST_P(SqliteMigrate, AppliesEachMigrationOnceAndRecordsTheVersion) {
    const int count = static_cast<int>(embedded_migrations().size());
    auto version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, 0);

    auto first = migrate(*database_);
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_EQ(*first, count);
    auto second = migrate(*database_);
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    EXPECT_EQ(*second, 0);

    version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, embedded_migrations().back().version);
    EXPECT_EQ(query_int("SELECT count(*) FROM schema_migrations"), count);
    EXPECT_GT(query_int("SELECT min(applied_at) FROM schema_migrations"), 1700000000);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                        " ('accounts', 'users', 'clients', 'authorizations', 'access_tokens',"
                        " 'settings')"),
              6);
}

TEST_P(SqliteMigrate, FailingMigrationIsRolledBackAndEarlierOnesStay) {
    const Migration migrations[] = {
        {1, "0001_first", "CREATE TABLE first (x INTEGER);"},
        {2, "0002_broken", "CREATE TABLE second (x INTEGER); INSERT INTO missing VALUES (1);"},
    };
    auto applied = migrate(*database_, migrations);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, Code::internal);
    EXPECT_NE(applied.error().log_detail.find("0002_broken"), std::string::npos);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'first'"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'second'"), 0);
    auto version = schema_version(*database_);
    ASSERT_TRUE(version.has_value());
    EXPECT_EQ(*version, 1);
}

TEST_P(SqliteMigrate, AppliesOnlyTheMigrationsThatAreMissing) {
    const Migration old_build[] = {{1, "0001_first", "CREATE TABLE first (x INTEGER);"}};
    const Migration new_build[] = {{1, "0001_first", "CREATE TABLE first (x INTEGER);"},
                                   {2, "0002_second", "CREATE TABLE second (x INTEGER);"}};
    auto applied = migrate(*database_, old_build);
    ASSERT_TRUE(applied.has_value());
    EXPECT_EQ(*applied, 1);
    applied = migrate(*database_, new_build);
    ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
    EXPECT_EQ(*applied, 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'second'"), 1);
}

TEST_P(SqliteMigrate, RejectsMigrationsOutOfOrder) {
    const Migration migrations[] = {{2, "0002_b", "CREATE TABLE b (x INTEGER);"},
                                    {1, "0001_a", "CREATE TABLE a (x INTEGER);"}};
    auto applied = migrate(*database_, migrations);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().code, Code::internal);
    EXPECT_EQ(query_int("SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'b')"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteMigrate, kBothBackends, backend_name);

TEST(SqliteMigrateFile, ReopenedFileIsAlreadyUpToDate) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tessera-sqlite-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    const std::string path = pattern + "/tessera.db";
    for (int expected : {static_cast<int>(embedded_migrations().size()), 0}) {
        auto opened = Database::open(path);
        ASSERT_TRUE(opened.has_value()) << opened.error().log_detail;
        auto applied = migrate(**opened);
        ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
        EXPECT_EQ(*applied, expected);
    }
    std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace tessera::storage::sqlite
