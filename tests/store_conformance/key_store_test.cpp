// core::KeyStore on every backend.
#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

using State = core::KeyState;
using Published = std::vector<std::pair<std::string, core::KeyState>>;

class KeyStoreConformance : public StoreConformance {
protected:
    core::SigningKey key(const std::string& id, Timestamp created_at,
                         const std::string& algorithm = "ES256") {
        core::SigningKey k;
        k.id = id;
        k.algorithm = algorithm;
        k.public_jwk = "{\"kid\":\"" + id + "\"}";
        k.sealed_private_key = std::string("\x01sealed\0bytes\xff", 14);
        k.created_at = created_at;
        return k;
    }

    Published published(Timestamp now) {
        auto keys = this->keys().list_published_keys(now);
        EXPECT_TRUE(keys.has_value()) << keys.error().log_detail;
        Published out;
        if (keys)
            for (const auto& k : *keys) out.emplace_back(k.id, k.state);
        return out;
    }
};

TEST_P(KeyStoreConformance, FirstKeyIsCreatedOnceAndIsCurrent) {
    auto none = keys().find_current_key();
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().code, Code::not_found);
    EXPECT_TRUE(published(0).empty());
    auto first = keys().create_first_key(key("k1", 100));
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_TRUE(*first);
    auto again = keys().create_first_key(key("k2", 101));
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);

    auto current = keys().find_current_key();
    ASSERT_TRUE(current.has_value()) << current.error().log_detail;
    EXPECT_EQ(current->id, "k1");
    EXPECT_EQ(current->algorithm, "ES256");
    EXPECT_EQ(current->public_jwk, "{\"kid\":\"k1\"}");
    EXPECT_EQ(current->sealed_private_key, std::string("\x01sealed\0bytes\xff", 14));
    EXPECT_EQ(current->state, State::current);
    EXPECT_EQ(current->created_at, 100);
    EXPECT_EQ(current->activated_at, 100);
    EXPECT_FALSE(current->retired_at.has_value());
    EXPECT_FALSE(current->expires_at.has_value());
    EXPECT_EQ(count("signing_keys"), 1);
}

TEST_P(KeyStoreConformance, RacingFirstStartsStoreOneKey) {
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::KeyStore* nodes[] = {&keys(), &(*second)->stores().keys};
    constexpr int kThreads = 4;
    std::atomic<int> created{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto result = nodes[i % 2]->create_first_key(key("k" + std::to_string(i), 100));
            ASSERT_TRUE(result.has_value()) << result.error().log_detail;
            if (*result) ++created;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(count("signing_keys"), 1);
    EXPECT_TRUE(keys().find_current_key().has_value());
}

TEST_P(KeyStoreConformance, RotationPublishesNextBeforeItSignsAndKeepsRetiredUntilExpiry) {
    ASSERT_TRUE(keys().create_first_key(key("k1", 100)).has_value());

    // First rotation: k2 is published as next; k1 keeps signing.
    auto r1 = keys().rotate_keys(key("k2", 200), 200, 200 + 3600);
    ASSERT_TRUE(r1.has_value()) << r1.error().log_detail;
    EXPECT_EQ(r1->published, "k2");
    EXPECT_FALSE(r1->promoted.has_value());
    EXPECT_FALSE(r1->retired.has_value());
    EXPECT_EQ(keys().find_current_key()->id, "k1");
    EXPECT_EQ(published(200), (Published{{"k1", State::current}, {"k2", State::next}}));
    auto next = keys().list_published_keys(200)->back();
    EXPECT_FALSE(next.activated_at.has_value());

    // Second: k2 (published since 200) signs, k1 retires until 300 + 3600.
    auto r2 = keys().rotate_keys(key("k3", 300), 300, 300 + 3600);
    ASSERT_TRUE(r2.has_value()) << r2.error().log_detail;
    EXPECT_EQ(r2->published, "k3");
    EXPECT_EQ(r2->promoted, "k2");
    EXPECT_EQ(r2->retired, "k1");
    auto current = keys().find_current_key();
    EXPECT_EQ(current->id, "k2");
    EXPECT_EQ(current->activated_at, 300);
    EXPECT_EQ(published(300),
              (Published{{"k2", State::current}, {"k3", State::next}, {"k1", State::retired}}));
    auto listed = keys().list_published_keys(300);
    EXPECT_EQ(listed->back().retired_at, 300);
    EXPECT_EQ(listed->back().expires_at, 3900);
    EXPECT_EQ(listed->back().sealed_private_key, std::string("\x01sealed\0bytes\xff", 14));

    // The retired key leaves the JWKS when its tokens have expired, and the
    // janitor's purge deletes it then, not before.
    EXPECT_EQ(published(3899).size(), 3u);
    EXPECT_EQ(published(3900), (Published{{"k2", State::current}, {"k3", State::next}}));
    EXPECT_EQ(*keys().purge_retired_keys(3899, 10), 0);
    EXPECT_EQ(*keys().purge_retired_keys(3900, 0), 0);
    EXPECT_EQ(*keys().purge_retired_keys(3900, 10), 1);
    EXPECT_EQ(count("signing_keys"), 2);
}

TEST_P(KeyStoreConformance, RetiredKeysAreListedNewestFirstAndPurgedUpToTheLimit) {
    ASSERT_TRUE(keys().create_first_key(key("k1", 100)).has_value());
    for (int i = 2; i <= 5; ++i) {
        Timestamp now = 100 * i;
        ASSERT_TRUE(keys().rotate_keys(key("k" + std::to_string(i), now), now, 1000).has_value());
    }
    // k1..k3 retired (newest first), k4 current, k5 next.
    EXPECT_EQ(published(500), (Published{{"k4", State::current},
                                         {"k5", State::next},
                                         {"k3", State::retired},
                                         {"k2", State::retired},
                                         {"k1", State::retired}}));
    EXPECT_EQ(*keys().purge_retired_keys(1000, 2), 2);
    EXPECT_EQ(published(500).size(), 3u);
    EXPECT_EQ(*keys().purge_retired_keys(1000, 2), 1);
    EXPECT_EQ(*keys().purge_retired_keys(1000, 2), 0);
}

TEST_P(KeyStoreConformance, RotationWithoutAnyKeyMakesTheNewKeyCurrent) {
    auto r = keys().rotate_keys(key("k1", 10), 10, 10 + 60);
    ASSERT_TRUE(r.has_value()) << r.error().log_detail;
    EXPECT_EQ(r->published, "k1");
    EXPECT_FALSE(r->promoted.has_value());
    EXPECT_EQ(keys().find_current_key()->id, "k1");
    EXPECT_EQ(keys().find_current_key()->activated_at, 10);
    EXPECT_EQ(published(10), (Published{{"k1", State::current}}));
}

// Each algorithm is a line with its own next and current key (SQLite
// migration 0012, PostgreSQL 0004).
TEST_P(KeyStoreConformance, EachAlgorithmRotatesItsOwnLine) {
    ASSERT_TRUE(keys().create_first_key(key("es1", 100)).has_value());
    EXPECT_EQ(keys().find_current_key_of("RS256").error().code, Code::not_found);
    auto rs1 = keys().rotate_keys(key("rs1", 200, "RS256"), 200, 3800);
    ASSERT_TRUE(rs1.has_value()) << rs1.error().log_detail;
    EXPECT_FALSE(rs1->promoted || rs1->retired);  // the line's first key: current
    EXPECT_EQ(keys().find_current_key_of("RS256")->id, "rs1");
    EXPECT_EQ(keys().find_current_key_of("ES256")->id, "es1");
    EXPECT_EQ(keys().find_current_key()->id, "es1");  // the default line is ES256's

    ASSERT_TRUE(keys().rotate_keys(key("rs2", 300, "RS256"), 300, 3900).has_value());
    auto rs3 = keys().rotate_keys(key("rs3", 400, "RS256"), 400, 4000);
    ASSERT_TRUE(rs3.has_value()) << rs3.error().log_detail;
    EXPECT_EQ(rs3->promoted, "rs2");
    EXPECT_EQ(rs3->retired, "rs1");
    EXPECT_EQ(keys().find_current_key_of("ES256")->id, "es1");  // untouched
    EXPECT_EQ(published(400), (Published{{"rs2", State::current},
                                         {"es1", State::current},
                                         {"rs3", State::next},
                                         {"rs1", State::retired}}));
    // A next key in each line at once: the unique index is per line.
    auto es2 = keys().rotate_keys(key("es2", 500), 500, 4100);
    ASSERT_TRUE(es2.has_value()) << es2.error().log_detail;
    EXPECT_FALSE(es2->promoted || es2->retired);
    EXPECT_EQ(published(500), (Published{{"rs2", State::current},
                                         {"es1", State::current},
                                         {"es2", State::next},
                                         {"rs3", State::next},
                                         {"rs1", State::retired}}));
}

TEST_P(KeyStoreConformance, WithoutAnEs256KeyTheDefaultIsTheLineActivatedFirst) {
    ASSERT_TRUE(keys().rotate_keys(key("ed1", 100, "EdDSA"), 100, 3700).has_value());
    ASSERT_TRUE(keys().rotate_keys(key("rs1", 200, "RS256"), 200, 3800).has_value());
    EXPECT_EQ(keys().find_current_key()->id, "ed1");
    ASSERT_TRUE(keys().rotate_keys(key("es1", 300), 300, 3900).has_value());
    EXPECT_EQ(keys().find_current_key()->id, "es1");
}

TEST_P(KeyStoreConformance, ReusedKidIsAConflictAndChangesNothing) {
    ASSERT_TRUE(keys().create_first_key(key("k1", 100)).has_value());
    ASSERT_TRUE(keys().rotate_keys(key("k2", 200), 200, 300).has_value());
    auto again = keys().rotate_keys(key("k1", 250), 250, 350);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Code::conflict);
    // The transaction rolled back: k1 is still current, k2 still next.
    EXPECT_EQ(published(250), (Published{{"k1", State::current}, {"k2", State::next}}));
}

TEST_P(KeyStoreConformance, ConcurrentRotationsLeaveOneCurrentAndOneNext) {
    ASSERT_TRUE(keys().create_first_key(key("k0", 100)).has_value());
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::KeyStore* nodes[] = {&keys(), &(*second)->stores().keys};
    constexpr int kThreads = 4;
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> rotated{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto result = nodes[i % 2]->rotate_keys(key("r" + std::to_string(i), 200), 200, 5000);
            // One at a time on either backend; a conflict would be allowed
            // by the contract, but neither store needs one.
            ASSERT_TRUE(result.has_value()) << result.error().log_detail;
            ++rotated;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(rotated.load(), kThreads);
    auto listed = published(200);
    EXPECT_EQ(std::count_if(listed.begin(), listed.end(),
                            [](const auto& k) { return k.second == State::current; }),
              1);
    EXPECT_EQ(std::count_if(listed.begin(), listed.end(),
                            [](const auto& k) { return k.second == State::next; }),
              1);
    EXPECT_EQ(listed.size(), static_cast<std::size_t>(kThreads + 1));
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
