#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteRegistrationStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    core::InitialAccessToken token_with(std::optional<int> max_uses,
                                        std::optional<Timestamp> expires_at) {
        core::InitialAccessToken token{new_id(), new_digest(), max_uses,
                                       0,        expires_at,   clock_.now()};
        auto created = store_->create_initial_access_token(token);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return token;
    }

    core::Client registered_client() {
        core::Client client = client_for(owner_, "Registered");
        client.refresh_policy = "rotate";
        client.registration_token_digest = new_digest();
        return client;
    }

    core::User owner_;
};

TEST_P(SqliteRegistrationStore, FindsAnInitialTokenWithEveryField) {
    auto limited = token_with(3, clock_.now() + 60);
    auto unlimited = token_with(std::nullopt, std::nullopt);
    for (const auto* token : {&limited, &unlimited}) {
        auto found = store_->find_initial_access_token(token->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        EXPECT_EQ(found->id, token->id);
        EXPECT_EQ(found->digest, token->digest);
        EXPECT_EQ(found->max_uses, token->max_uses);
        EXPECT_EQ(found->uses, 0);
        EXPECT_EQ(found->expires_at, token->expires_at);
        EXPECT_EQ(found->created_at, token->created_at);
    }
    auto missing = store_->find_initial_access_token(new_digest());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "initial_access_token");
}

TEST_P(SqliteRegistrationStore, DuplicateInitialTokenDigestIsAConflict) {
    auto first = token_with(1, std::nullopt);
    core::InitialAccessToken again{new_id(), first.digest, 1, 0, std::nullopt, 0};
    auto created = store_->create_initial_access_token(again);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
}

TEST_P(SqliteRegistrationStore, RegisteredClientKeepsItsRegistrationTokenDigest) {
    auto client = registered_client();
    ASSERT_TRUE(store_->create_registered_client(client, std::nullopt, clock_.now()));
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_client(*found, client);
    // A client made any other way has none.
    auto plain = create_client(owner_, "Plain");
    EXPECT_EQ(store_->find_client(plain.id)->registration_token_digest, std::nullopt);
    // An update leaves it alone.
    found->name = "Renamed";
    ASSERT_TRUE(store_->update_client(*found));
    EXPECT_EQ(store_->find_client(client.id)->registration_token_digest,
              client.registration_token_digest);
}

TEST_P(SqliteRegistrationStore, SingleUseTokenRegistersOneClientOnly) {
    auto token = token_with(1, std::nullopt);
    auto first = registered_client();
    ASSERT_TRUE(store_->create_registered_client(first, token.digest, clock_.now()));
    EXPECT_EQ(store_->find_initial_access_token(token.digest)->uses, 1);
    auto second = registered_client();
    auto refused = store_->create_registered_client(second, token.digest, clock_.now());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::invalid_token);
    EXPECT_EQ(store_->find_client(second.id).error().code, Code::not_found);
    EXPECT_EQ(store_->find_initial_access_token(token.digest)->uses, 1);
}

TEST_P(SqliteRegistrationStore, MultiUseTokenCountsEveryUseUpToItsLimit) {
    auto token = token_with(3, std::nullopt);
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(store_->create_registered_client(registered_client(), token.digest, 0));
    EXPECT_FALSE(store_->create_registered_client(registered_client(), token.digest, 0));
    EXPECT_EQ(store_->find_initial_access_token(token.digest)->uses, 3);
    auto unlimited = token_with(std::nullopt, std::nullopt);
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(store_->create_registered_client(registered_client(), unlimited.digest, 0));
    EXPECT_EQ(store_->find_initial_access_token(unlimited.digest)->uses, 5);
}

TEST_P(SqliteRegistrationStore, ExpiredOrUnknownTokenRegistersNothing) {
    auto token = token_with(std::nullopt, 100);
    ASSERT_TRUE(store_->create_registered_client(registered_client(), token.digest, 99));
    for (auto [digest, now] :
         {std::pair{token.digest, Timestamp{100}}, std::pair{new_digest(), Timestamp{0}}}) {
        auto client = registered_client();
        auto refused = store_->create_registered_client(client, digest, now);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, Code::invalid_token);
        EXPECT_EQ(store_->find_client(client.id).error().code, Code::not_found);
    }
    EXPECT_EQ(query_int("SELECT count(*) FROM clients"), 1);  // only the first
}

TEST_P(SqliteRegistrationStore, AFailedClientInsertDoesNotSpendTheToken) {
    auto token = token_with(1, std::nullopt);
    auto existing = create_client(owner_, "Existing");
    auto clash = registered_client();
    clash.id = existing.id;
    auto refused = store_->create_registered_client(clash, token.digest, 0);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::conflict);
    EXPECT_EQ(store_->find_initial_access_token(token.digest)->uses, 0);
}

TEST_P(SqliteRegistrationStore, RacingRegistrationsTakeTheLastUseOnce) {
    auto token = token_with(1, std::nullopt);
    std::vector<core::Client> clients;
    for (int i = 0; i < 8; ++i) clients.push_back(registered_client());
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (const auto& client : clients)
        threads.emplace_back([&, client] {
            if (store_->create_registered_client(client, token.digest, 0)) ++won;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(store_->find_initial_access_token(token.digest)->uses, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteRegistrationStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
