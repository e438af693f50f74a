#include "core/tokens/janitor.hpp"

#include <gtest/gtest.h>

#include "base/fake_clock.hpp"
#include "base/random.hpp"
#include "storage/sqlite/memory_store.hpp"

namespace tessera::core {
namespace {

class JanitorTest : public ::testing::Test {
protected:
    JanitorTest() {
        Account account{Id::generate(random_), "a", 0};
        User user{Id::generate(random_), "o@example.com", "", "", account.id, 0, 0};
        EXPECT_TRUE(store_.create_user(user, account).has_value());
        client_ = Client{Id::generate(random_),
                         account.id,
                         user.id,
                         "m",
                         {},
                         {"client_credentials"},
                         {"read"},
                         "client_secret_basic",
                         "rotate",
                         std::string(32, 's'),
                         {},
                         {},
                         0,
                         0};
        EXPECT_TRUE(store_.create_client(client_).has_value());
    }
    std::string add_token(std::optional<Timestamp> expires_at) {
        std::array<std::uint8_t, 32> digest{};
        random_.fill(digest);
        AccessToken token{Id::generate(random_),
                          {},
                          {},
                          client_.id,
                          std::string(digest.begin(), digest.end()),
                          "tat_xxxxx**********xxxx",
                          {"read"},
                          expires_at,
                          clock_.now()};
        EXPECT_TRUE(store_.create_access_token(token).has_value());
        return token.digest;
    }

    FakeClock clock_;
    SeededRandom random_{5};
    storage::sqlite::MemoryStore memory_;
    storage::sqlite::SqliteStore& store_ = memory_.store();
    Client client_;
};

TEST_F(JanitorTest, PurgesExactlyTheExpiredTokensInBatches) {
    std::vector<std::string> expired, live;
    for (int i = 0; i < 25; ++i) expired.push_back(add_token(clock_.now() + 60));
    for (int i = 0; i < 5; ++i) live.push_back(add_token(clock_.now() + 61));
    std::string forever = add_token(std::nullopt);
    clock_.advance(60);  // expires_at <= now counts as expired

    Janitor janitor(store_, store_, clock_, /*batch_size=*/10);
    auto purged = janitor.sweep();
    ASSERT_TRUE(purged.has_value());
    EXPECT_EQ(*purged, 25);
    for (const auto& d : expired)
        EXPECT_EQ(store_.find_access_token(d).error().code, Code::not_found);
    for (const auto& d : live) EXPECT_TRUE(store_.find_access_token(d).has_value());
    EXPECT_TRUE(store_.find_access_token(forever).has_value());
    EXPECT_EQ(*janitor.sweep(), 0);
    clock_.advance(1);
    EXPECT_EQ(*janitor.sweep(), 5);
}

TEST_F(JanitorTest, PurgesRetiredSigningKeysOnlyAfterTheirExpiry) {
    SigningKey key{"k1", "ES256", "{}", "sealed", KeyState::next, clock_.now()};
    ASSERT_TRUE(store_.create_first_key(key).has_value());
    key.id = "k2";
    ASSERT_TRUE(store_.rotate_keys(key, clock_.now(), clock_.now() + 60).has_value());
    key.id = "k3";
    ASSERT_TRUE(
        store_.rotate_keys(key, clock_.now(), clock_.now() + 60).has_value());  // k1 retires

    Janitor janitor(store_, store_, clock_, /*batch_size=*/10, &store_);
    Janitor without_keys(store_, store_, clock_);
    clock_.advance(59);
    EXPECT_EQ(*janitor.sweep(), 0);
    clock_.advance(1);
    EXPECT_EQ(*without_keys.sweep(), 0);  // keys are purged only when asked to
    EXPECT_EQ(store_.list_published_keys(clock_.now())->size(), 2u);
    EXPECT_EQ(*janitor.sweep(), 1);
    EXPECT_EQ(*janitor.sweep(), 0);
    EXPECT_EQ(store_.find_current_key()->id, "k2");
}

}  // namespace
}  // namespace tessera::core
