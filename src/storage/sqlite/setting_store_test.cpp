#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteSettingStore : public StoreTest {};

TEST_P(SqliteSettingStore, GetOrPutKeepsTheFirstValuePerName) {
    const struct {
        const char* name;
        const char* offered;
        const char* expected;
    } steps[] = {
        {"digest_key", "first", "first"}, {"digest_key", "second", "first"}, {"other", "", ""},
        {"other", "later", ""},           {"digest_key", "first", "first"},
    };
    for (const auto& step : steps) {
        auto stored = store_->get_or_put_setting(step.name, step.offered);
        ASSERT_TRUE(stored.has_value()) << stored.error().log_detail;
        EXPECT_EQ(*stored, step.expected) << step.name << " " << step.offered;
    }
    EXPECT_EQ(query_int("SELECT count(*) FROM settings"), 2);
}

TEST_P(SqliteSettingStore, ConcurrentFirstPutsAllSeeTheSameValue) {
    constexpr int kThreads = 6;
    std::vector<std::string> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            auto stored = store_->get_or_put_setting("digest_key", "value-" + std::to_string(i));
            results[i] = stored.has_value() ? *stored : "error: " + stored.error().log_detail;
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<std::string> distinct(results.begin(), results.end());
    ASSERT_EQ(distinct.size(), 1u) << *distinct.begin();
    EXPECT_EQ(distinct.begin()->rfind("value-", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteSettingStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
