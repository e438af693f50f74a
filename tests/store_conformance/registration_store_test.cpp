// core::RegistrationStore on every backend.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class RegistrationStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    core::InitialAccessToken token_with(std::optional<int> max_uses,
                                        std::optional<Timestamp> expires_at) {
        core::InitialAccessToken token{new_id(), new_digest(), max_uses,
                                       0,        expires_at,   clock_.now()};
        auto created = registrations().create_initial_access_token(token);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return token;
    }

    core::Client registered_client() {
        core::Client client = client_for(owner_, "Registered");
        client.refresh_policy = "rotate";
        client.registration_token_digest = new_digest();
        return client;
    }

    int uses_of(const core::InitialAccessToken& token) {
        auto found = registrations().find_initial_access_token(token.digest);
        EXPECT_TRUE(found.has_value()) << found.error().log_detail;
        return found.has_value() ? found->uses : -1;
    }

    core::User owner_;
};

TEST_P(RegistrationStoreConformance, FindsAnInitialTokenWithEveryField) {
    auto limited = token_with(3, clock_.now() + 60);
    auto unlimited = token_with(std::nullopt, std::nullopt);
    core::InitialAccessToken used{new_id(), new_digest(), 5, 2, std::nullopt, 7};
    ASSERT_TRUE(registrations().create_initial_access_token(used).has_value());
    for (const auto* token : {&limited, &unlimited, &used}) {
        auto found = registrations().find_initial_access_token(token->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        EXPECT_EQ(found->id, token->id);
        EXPECT_EQ(found->digest, token->digest);
        EXPECT_EQ(found->max_uses, token->max_uses);
        EXPECT_EQ(found->uses, token->uses);
        EXPECT_EQ(found->expires_at, token->expires_at);
        EXPECT_EQ(found->created_at, token->created_at);
    }
    auto missing = registrations().find_initial_access_token(new_digest());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "initial_access_token");
}

TEST_P(RegistrationStoreConformance, DuplicateInitialTokenIdOrDigestIsAConflict) {
    auto first = token_with(1, std::nullopt);
    core::InitialAccessToken same_digest{new_id(), first.digest, 1, 0, std::nullopt, 0};
    core::InitialAccessToken same_id{first.id, new_digest(), 1, 0, std::nullopt, 0};
    for (const auto* token : {&same_digest, &same_id}) {
        auto created = registrations().create_initial_access_token(*token);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }
    EXPECT_EQ(count("initial_access_tokens"), 1);
}

TEST_P(RegistrationStoreConformance, RegisteredClientKeepsItsRegistrationTokenDigest) {
    auto client = registered_client();
    ASSERT_TRUE(registrations().create_registered_client(client, std::nullopt, clock_.now()));
    auto found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_client(*found, client);
    // A client made any other way has none.
    auto plain = create_client(owner_, "Plain");
    EXPECT_EQ(clients().find_client(plain.id)->registration_token_digest, std::nullopt);
    // An update leaves it alone.
    found->name = "Renamed";
    ASSERT_TRUE(clients().update_client(*found));
    EXPECT_EQ(clients().find_client(client.id)->registration_token_digest,
              client.registration_token_digest);
}

TEST_P(RegistrationStoreConformance, SingleUseTokenRegistersOneClientOnly) {
    auto token = token_with(1, std::nullopt);
    auto first = registered_client();
    ASSERT_TRUE(registrations().create_registered_client(first, token.digest, clock_.now()));
    EXPECT_EQ(uses_of(token), 1);
    auto second = registered_client();
    auto refused = registrations().create_registered_client(second, token.digest, clock_.now());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::invalid_token);
    EXPECT_EQ(clients().find_client(second.id).error().code, Code::not_found);
    EXPECT_EQ(uses_of(token), 1);
}

TEST_P(RegistrationStoreConformance, MultiUseTokenCountsEveryUseUpToItsLimit) {
    auto token = token_with(3, std::nullopt);
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(registrations().create_registered_client(registered_client(), token.digest, 0));
    EXPECT_FALSE(registrations().create_registered_client(registered_client(), token.digest, 0));
    EXPECT_EQ(uses_of(token), 3);
    auto unlimited = token_with(std::nullopt, std::nullopt);
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(
            registrations().create_registered_client(registered_client(), unlimited.digest, 0));
    EXPECT_EQ(uses_of(unlimited), 5);
}

TEST_P(RegistrationStoreConformance, ExpiredOrUnknownTokenRegistersNothing) {
    auto token = token_with(std::nullopt, 100);
    ASSERT_TRUE(registrations().create_registered_client(registered_client(), token.digest, 99));
    for (auto [digest, now] :
         {std::pair{token.digest, Timestamp{100}}, std::pair{new_digest(), Timestamp{0}}}) {
        auto client = registered_client();
        auto refused = registrations().create_registered_client(client, digest, now);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, Code::invalid_token);
        EXPECT_EQ(clients().find_client(client.id).error().code, Code::not_found);
    }
    EXPECT_EQ(count("clients"), 1);  // only the first
    EXPECT_EQ(uses_of(token), 1);
}

TEST_P(RegistrationStoreConformance, AFailedClientInsertDoesNotSpendTheToken) {
    auto token = token_with(1, std::nullopt);
    auto existing = create_client(owner_, "Existing");
    auto clash = registered_client();
    clash.id = existing.id;
    auto refused = registrations().create_registered_client(clash, token.digest, 0);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::conflict);
    EXPECT_EQ(uses_of(token), 0);
    EXPECT_EQ(clients().find_client(existing.id)->name, "Existing");
}

TEST_P(RegistrationStoreConformance, RacingRegistrationsTakeTheLastUseOnce) {
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::RegistrationStore* nodes[] = {&registrations(), &(*second)->stores().registrations};
    for (int round = 0; round < 3; ++round) {
        auto token = token_with(1 + round, std::nullopt);
        std::vector<core::Client> candidates;
        for (int i = 0; i < 8; ++i) candidates.push_back(registered_client());
        std::atomic<int> won{0};
        std::latch start(8);
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                auto result =
                    nodes[i % 2]->create_registered_client(candidates[i], token.digest, 0);
                if (result) {
                    ++won;
                } else {
                    EXPECT_EQ(result.error().code, Code::invalid_token)
                        << result.error().log_detail;
                }
            });
        for (auto& t : threads) t.join();
        EXPECT_EQ(won.load(), 1 + round);
        EXPECT_EQ(uses_of(token), 1 + round);
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistrationStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
