#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteKeyStore : public StoreTest {
protected:
    core::SigningKey key(const std::string& id, Timestamp created_at,
                         const std::string& algorithm = "ES256") {
        core::SigningKey k;
        k.id = id;
        k.algorithm = algorithm;
        k.public_jwk = "{\"kid\":\"" + id + "\"}";
        k.sealed_private_key = std::string("\x01sealed\0bytes", 13);
        k.created_at = created_at;
        return k;
    }

    std::vector<std::pair<std::string, core::KeyState>> published(Timestamp now) {
        auto keys = store_->list_published_keys(now);
        EXPECT_TRUE(keys.has_value()) << keys.error().log_detail;
        std::vector<std::pair<std::string, core::KeyState>> out;
        if (keys)
            for (const auto& k : *keys) out.emplace_back(k.id, k.state);
        return out;
    }
};

using State = core::KeyState;
using Published = std::vector<std::pair<std::string, core::KeyState>>;

TEST_P(SqliteKeyStore, FirstKeyIsCreatedOnceAndIsCurrent) {
    EXPECT_EQ(store_->find_current_key().error().code, Code::not_found);
    auto first = store_->create_first_key(key("k1", 100));
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_TRUE(*first);
    auto again = store_->create_first_key(key("k2", 101));
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);

    auto current = store_->find_current_key();
    ASSERT_TRUE(current.has_value()) << current.error().log_detail;
    EXPECT_EQ(current->id, "k1");
    EXPECT_EQ(current->algorithm, "ES256");
    EXPECT_EQ(current->public_jwk, "{\"kid\":\"k1\"}");
    EXPECT_EQ(current->sealed_private_key, std::string("\x01sealed\0bytes", 13));
    EXPECT_EQ(current->state, State::current);
    EXPECT_EQ(current->created_at, 100);
    EXPECT_EQ(current->activated_at, 100);
    EXPECT_FALSE(current->retired_at.has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM signing_keys"), 1);
}

TEST_P(SqliteKeyStore, RotationPublishesNextBeforeItSignsAndKeepsRetiredUntilExpiry) {
    ASSERT_TRUE(store_->create_first_key(key("k1", 100)).has_value());

    // First rotation: k2 is published as next; k1 keeps signing.
    auto r1 = store_->rotate_keys(key("k2", 200), 200, 200 + 3600);
    ASSERT_TRUE(r1.has_value()) << r1.error().log_detail;
    EXPECT_EQ(r1->published, "k2");
    EXPECT_FALSE(r1->promoted.has_value());
    EXPECT_FALSE(r1->retired.has_value());
    EXPECT_EQ(store_->find_current_key()->id, "k1");
    EXPECT_EQ(published(200), (Published{{"k1", State::current}, {"k2", State::next}}));

    // Second: k2 (published since 200) signs, k1 retires until 300 + 3600.
    auto r2 = store_->rotate_keys(key("k3", 300), 300, 300 + 3600);
    ASSERT_TRUE(r2.has_value()) << r2.error().log_detail;
    EXPECT_EQ(r2->published, "k3");
    EXPECT_EQ(r2->promoted, "k2");
    EXPECT_EQ(r2->retired, "k1");
    auto current = store_->find_current_key();
    EXPECT_EQ(current->id, "k2");
    EXPECT_EQ(current->activated_at, 300);
    EXPECT_EQ(published(300),
              (Published{{"k2", State::current}, {"k3", State::next}, {"k1", State::retired}}));
    auto keys = store_->list_published_keys(300);
    EXPECT_EQ(keys->back().retired_at, 300);
    EXPECT_EQ(keys->back().expires_at, 3900);

    // The retired key leaves the JWKS when its tokens have expired, and the
    // janitor's purge deletes it then, not before.
    EXPECT_EQ(published(3899).size(), 3u);
    EXPECT_EQ(published(3900), (Published{{"k2", State::current}, {"k3", State::next}}));
    EXPECT_EQ(*store_->purge_retired_keys(3899, 10), 0);
    EXPECT_EQ(*store_->purge_retired_keys(3900, 0), 0);
    EXPECT_EQ(*store_->purge_retired_keys(3900, 10), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM signing_keys"), 2);
}

TEST_P(SqliteKeyStore, RotationWithoutAnyKeyMakesTheNewKeyCurrent) {
    auto r = store_->rotate_keys(key("k1", 10), 10, 10 + 60);
    ASSERT_TRUE(r.has_value()) << r.error().log_detail;
    EXPECT_EQ(store_->find_current_key()->id, "k1");
    EXPECT_EQ(published(10), (Published{{"k1", State::current}}));
}

// Migration 0012: each algorithm is a line with its own next and current key.
TEST_P(SqliteKeyStore, EachAlgorithmRotatesItsOwnLine) {
    ASSERT_TRUE(store_->create_first_key(key("es1", 100)).has_value());
    EXPECT_EQ(store_->find_current_key_of("RS256").error().code, Code::not_found);
    auto rs1 = store_->rotate_keys(key("rs1", 200, "RS256"), 200, 3800);
    ASSERT_TRUE(rs1.has_value()) << rs1.error().log_detail;
    EXPECT_FALSE(rs1->promoted || rs1->retired);  // the line's first key: current
    EXPECT_EQ(store_->find_current_key_of("RS256")->id, "rs1");
    EXPECT_EQ(store_->find_current_key_of("ES256")->id, "es1");
    EXPECT_EQ(store_->find_current_key()->id, "es1");  // the default line is ES256's

    ASSERT_TRUE(store_->rotate_keys(key("rs2", 300, "RS256"), 300, 3900).has_value());
    auto rs3 = store_->rotate_keys(key("rs3", 400, "RS256"), 400, 4000);
    ASSERT_TRUE(rs3.has_value());
    EXPECT_EQ(rs3->promoted, "rs2");
    EXPECT_EQ(rs3->retired, "rs1");
    EXPECT_EQ(store_->find_current_key_of("ES256")->id, "es1");  // untouched
    EXPECT_EQ(published(400), (Published{{"rs2", State::current},
                                         {"es1", State::current},
                                         {"rs3", State::next},
                                         {"rs1", State::retired}}));
    // Two next keys, two current keys, one per line: the index allows it.
    ASSERT_TRUE(store_->rotate_keys(key("es2", 500), 500, 4100).has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM signing_keys WHERE state = 'next'"), 2);
}

TEST_P(SqliteKeyStore, WithoutAnEs256KeyTheDefaultIsTheLineActivatedFirst) {
    ASSERT_TRUE(store_->rotate_keys(key("ed1", 100, "EdDSA"), 100, 3700).has_value());
    ASSERT_TRUE(store_->rotate_keys(key("rs1", 200, "RS256"), 200, 3800).has_value());
    EXPECT_EQ(store_->find_current_key()->id, "ed1");
    ASSERT_TRUE(store_->rotate_keys(key("es1", 300), 300, 3900).has_value());
    EXPECT_EQ(store_->find_current_key()->id, "es1");
}

TEST_P(SqliteKeyStore, ReusedKidIsAConflictAndChangesNothing) {
    ASSERT_TRUE(store_->create_first_key(key("k1", 100)).has_value());
    ASSERT_TRUE(store_->rotate_keys(key("k2", 200), 200, 300).has_value());
    auto again = store_->rotate_keys(key("k1", 250), 250, 350);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Code::conflict);
    // The transaction rolled back: k1 is still current, k2 still next.
    EXPECT_EQ(published(250), (Published{{"k1", State::current}, {"k2", State::next}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteKeyStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
