// The store operations of Cloudflare-surface clients: full metadata, the
// account list and its limit, and conditional secret rotation.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteAccountClients : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    // A private client with every Cloudflare field set.
    core::Client full_client(const std::string& name) {
        core::Client client = client_for(owner_, name);
        client.response_types = {"code", "id_token"};
        client.scopes = {"account.read", "openid", "offline_access"};
        client.optional_scopes = {"account.read"};
        client.allowed_cors_origins = {"https://app.example", "http://localhost:3000"};
        client.client_uri = "https://app.example/home";
        client.logo_uri = "https://app.example/logo.png";
        client.policy_uri = "https://app.example/privacy";
        client.tos_uri = "https://app.example/terms";
        client.visibility = "private";
        client.id_token_signed_response_alg = "RS256";
        client.access_token_format = "jwt";
        client.uri_verification = core::UriVerification{core::UriVerification::Status::in_progress,
                                                        "app.example", std::string(32, 'a'),
                                                        clock_.now() + 172800, clock_.now()};
        return client;
    }

    core::User owner_;
};

TEST_P(SqliteAccountClients, KeepsEveryMetadataFieldAndTheVerification) {
    core::Client client = full_client("Full");
    ASSERT_TRUE(store_->create_client(client).has_value());
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_client(*found, client);
}

TEST_P(SqliteAccountClients, UpdateWritesMetadataButLeavesTheVerification) {
    core::Client client = full_client("Before");
    ASSERT_TRUE(store_->create_client(client).has_value());
    core::Client changed = client;
    changed.name = "After";
    changed.logo_uri.reset();
    changed.visibility = "public";
    changed.promoted_at = clock_.now() + 5;
    changed.allowed_cors_origins = {};
    changed.uri_verification->status = core::UriVerification::Status::failed;
    changed.updated_at = clock_.now() + 5;
    ASSERT_TRUE(store_->update_client(changed).has_value());
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    core::Client expected = changed;
    expected.uri_verification = client.uri_verification;  // not written by update_client
    expect_same_client(*found, expected);

    ASSERT_TRUE(store_->update_client_and_verification(changed).has_value());
    found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    expect_same_client(*found, changed);

    changed.client_uri.reset();
    changed.uri_verification.reset();
    ASSERT_TRUE(store_->update_client_and_verification(changed).has_value());
    found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_FALSE(found->uri_verification.has_value());
    EXPECT_FALSE(found->client_uri.has_value());
}

TEST_P(SqliteAccountClients, ListsAnAccountsClientsOldestFirst) {
    core::User other = create_user("other@example.com");
    std::vector<Id> expected;
    for (int i = 0; i < 3; ++i) {
        core::Client client = full_client("c" + std::to_string(i));
        client.created_at = clock_.now() + 10 - i;  // newest made first
        ASSERT_TRUE(store_->create_client(client).has_value());
        expected.insert(expected.begin(), client.id);
    }
    ASSERT_TRUE(store_->create_client(client_for(other, "elsewhere")).has_value());
    auto listed = store_->list_account_clients(owner_.account_id, 100);
    ASSERT_TRUE(listed.has_value());
    std::vector<Id> ids;
    for (const auto& c : *listed) ids.push_back(c.id);
    EXPECT_EQ(ids, expected);
    auto limited = store_->list_account_clients(owner_.account_id, 2);
    ASSERT_TRUE(limited.has_value());
    EXPECT_EQ(limited->size(), 2u);
}

TEST_P(SqliteAccountClients, CreateWithinLimitRefusesTheOneTooMany) {
    for (int i = 0; i < 3; ++i) {
        auto created = store_->create_client_within_limit(full_client("c"), 3);
        ASSERT_TRUE(created.has_value());
        EXPECT_TRUE(*created);
    }
    core::Client extra = full_client("extra");
    auto refused = store_->create_client_within_limit(extra, 3);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(*refused);
    EXPECT_EQ(store_->find_client(extra.id).error().code, Code::not_found);
}

TEST_P(SqliteAccountClients, RotationKeepsTwoSecretsAndRefusesAThird) {
    core::Client client = create_client(owner_, "Rotating");
    std::string next = new_digest();
    auto rotated = store_->rotate_client_secret(client.id, next, std::nullopt, clock_.now() + 1);
    ASSERT_TRUE(rotated.has_value());
    EXPECT_TRUE(*rotated);
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, next);
    EXPECT_EQ(found->previous_secret_digest, client.secret_digest);
    EXPECT_EQ(found->updated_at, clock_.now() + 1);

    auto again = store_->rotate_client_secret(client.id, new_digest(), std::nullopt, clock_.now());
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);
    EXPECT_EQ(store_->find_client(client.id)->secret_digest, next);

    auto dropped = store_->drop_previous_secret(client.id, clock_.now() + 2);
    ASSERT_TRUE(dropped.has_value());
    EXPECT_TRUE(*dropped);
    found = store_->find_client(client.id);
    EXPECT_EQ(found->secret_digest, next);
    EXPECT_FALSE(found->previous_secret_digest.has_value());
    auto nothing = store_->drop_previous_secret(client.id, clock_.now());
    ASSERT_TRUE(nothing.has_value());
    EXPECT_FALSE(*nothing);
}

TEST_P(SqliteAccountClients, RotatingAMissingClientIsNotFound) {
    Id ghost = new_id();
    EXPECT_EQ(store_->rotate_client_secret(ghost, new_digest(), std::nullopt, 0).error().code,
              Code::not_found);
    EXPECT_EQ(store_->drop_previous_secret(ghost, 0).error().code, Code::not_found);
    EXPECT_EQ(store_->update_client_and_verification(client_for(owner_, "x")).error().code,
              Code::not_found);
}

TEST_P(SqliteAccountClients, OfTwoRacingRotationsExactlyOneWins) {
    for (int round = 0; round < 10; ++round) {
        core::Client client = create_client(owner_, "Race");
        std::atomic<int> wins{0};
        std::string a = new_digest(), b = new_digest();
        auto rotate = [&](const std::string& digest) {
            auto result = store_->rotate_client_secret(client.id, digest, std::nullopt, 1);
            ASSERT_TRUE(result.has_value()) << result.error().log_detail;
            if (*result) ++wins;
        };
        std::thread first(rotate, a), second(rotate, b);
        first.join();
        second.join();
        EXPECT_EQ(wins.load(), 1);
        EXPECT_EQ(store_->find_client(client.id)->previous_secret_digest, client.secret_digest);
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteAccountClients, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
