// core::SettingStore on every backend.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class SettingStoreConformance : public StoreConformance {};

TEST_P(SettingStoreConformance, GetOrPutKeepsTheFirstValuePerName) {
    const struct {
        const char* name;
        const char* offered;
        const char* expected;
    } steps[] = {
        {"digest_key", "first", "first"}, {"digest_key", "second", "first"}, {"other", "", ""},
        {"other", "later", ""},           {"digest_key", "first", "first"},
    };
    for (const auto& step : steps) {
        auto stored = settings().get_or_put_setting(step.name, step.offered);
        ASSERT_TRUE(stored.has_value()) << stored.error().log_detail;
        EXPECT_EQ(*stored, step.expected) << step.name << " " << step.offered;
    }
    EXPECT_EQ(count("settings"), 2);
}

TEST_P(SettingStoreConformance, ConcurrentFirstPutsAllSeeTheSameValue) {
    constexpr int kThreads = 6;
    std::vector<std::string> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            auto stored = settings().get_or_put_setting("digest_key", "value-" + std::to_string(i));
            results[i] = stored.has_value() ? *stored : "error: " + stored.error().log_detail;
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<std::string> distinct(results.begin(), results.end());
    ASSERT_EQ(distinct.size(), 1u) << *distinct.begin();
    EXPECT_EQ(distinct.begin()->rfind("value-", 0), 0u);
}

TEST_P(SettingStoreConformance, ConcurrentFirstPutsOnTwoNodesAgree) {
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::SettingStore* nodes[] = {&settings(), &(*second)->stores().settings};
    std::string results[2];
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
            auto stored = nodes[i]->get_or_put_setting("digest_key", "node-" + std::to_string(i));
            results[i] = stored.has_value() ? *stored : "error: " + stored.error().log_detail;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(results[0], results[1]);
    EXPECT_EQ(results[0].rfind("node-", 0), 0u) << results[0];
}

INSTANTIATE_TEST_SUITE_P(Backends, SettingStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
