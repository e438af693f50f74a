#include "storage/postgres/migrate.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/postgres/postgres_test_fixture.hpp"

namespace tessera::storage::postgres {
namespace {

class PostgresMigrate : public SchemaTest {
protected:
    std::int64_t query_int(const std::string& sql) {
        auto rows = schema_->sql().run(sql);
        EXPECT_TRUE(rows.has_value()) << rows.error().log_detail;
        return rows.has_value() && !rows->empty() ? rows->row(0).int64(0) : -1;
    }
};

TEST_F(PostgresMigrate, AppliesEveryMigrationOnceInItsOwnSchema) {
    auto database = open();
    ASSERT_TRUE(database);
    EXPECT_EQ(*schema_version(*database), 0);
    auto applied = migrate(*database);
    ASSERT_TRUE(applied.has_value()) << applied.error().log_detail;
    const int total = static_cast<int>(embedded_migrations().size());
    EXPECT_EQ(*applied, total);
    EXPECT_EQ(*schema_version(*database), embedded_migrations().back().version);
    EXPECT_EQ(*migrate(*database), 0);
    EXPECT_EQ(query_int("SELECT count(*) FROM schema_migrations"), total);
    // The tables are in the test's schema, not in public.
    EXPECT_EQ(query_int("SELECT count(*) FROM pg_tables WHERE tablename = 'clients'"
                        " AND schemaname = current_schema()"),
              1);
}

TEST_F(PostgresMigrate, NodesStartingTogetherApplyEachMigrationOnce) {
    constexpr int kNodes = 4;
    std::vector<std::unique_ptr<Database>> nodes;
    for (int i = 0; i < kNodes; ++i) nodes.push_back(open());
    std::vector<Result<int>> results(kNodes, Result<int>(0));
    std::vector<std::thread> threads;
    for (int i = 0; i < kNodes; ++i) {
        threads.emplace_back([&, i] { results[i] = migrate(*nodes[i]); });
    }
    for (auto& thread : threads) thread.join();
    int applied = 0;
    for (const auto& result : results) {
        ASSERT_TRUE(result.has_value()) << result.error().log_detail;
        applied += *result;
    }
    EXPECT_EQ(applied, static_cast<int>(embedded_migrations().size()));
}

TEST_F(PostgresMigrate, AFailingMigrationRollsBackAloneAndOrderIsChecked) {
    auto database = open();
    ASSERT_TRUE(database);
    const Migration good[] = {{1, "0001_a", "CREATE TABLE a (x bigint)"},
                              {2, "0002_b", "CREATE TABLE b (x bigint); SELECT nonsense"}};
    auto failed = migrate(*database, good);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::internal);
    EXPECT_NE(failed.error().log_detail.find("migration 0002_b"), std::string::npos);
    EXPECT_EQ(*schema_version(*database), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM pg_tables WHERE tablename = 'b'"
                        " AND schemaname = current_schema()"),
              0);

    const Migration unordered[] = {{2, "0002_b", "SELECT 1"}, {2, "0002_c", "SELECT 1"}};
    auto refused = migrate(*database, unordered);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().log_detail.find("out of order"), std::string::npos);
}

}  // namespace
}  // namespace tessera::storage::postgres
