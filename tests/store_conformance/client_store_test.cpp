// core::ClientStore on every backend (paging: client_pagination_test.cpp).
#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class ClientStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
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
        client.uri_verification =
            core::UriVerification{core::UriVerification::Status::in_progress, "app.example",
                                  std::string(32, 'a'), clock_.now() + 172800, clock_.now()};
        return client;
    }

    core::User owner_;
};

TEST_P(ClientStoreConformance, FindsACreatedClientWithEveryField) {
    core::Client plain = client_for(owner_, "Plain");
    core::Client tricky = client_for(owner_, "Tricky \"name\", \xc3\xa4");
    tricky.redirect_uris = {"https://a.example/cb?x=\"1\"", "http://localhost:5000/cb\n", ""};
    tricky.post_logout_redirect_uris = {"https://a.example/bye?x=\"1\"", "http://localhost/"};
    tricky.previous_secret_digest = new_digest();
    tricky.secret_ciphertext = std::string("\0sealed\xff", 8);
    tricky.grant_types = {"client_credentials"};
    tricky.scopes = {"read-protected", "write", "\xc3\xa4"};
    tricky.token_endpoint_auth_method = "client_secret_post";
    tricky.refresh_policy = "rotate";
    tricky.promoted_at = 12345;
    core::Client none = client_for(owner_, "");
    none.redirect_uris = {};
    none.grant_types = {};
    none.scopes = {};
    none.token_endpoint_auth_method = "none";
    core::Client full = full_client("Full");

    for (const core::Client* client : {&plain, &tricky, &none, &full}) {
        auto created = clients().create_client(*client);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
        auto found = clients().find_client(client->id);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_client(*found, *client);
    }
}

TEST_P(ClientStoreConformance, DuplicateIdIsAConflict) {
    core::Client first = create_client(owner_, "First");
    core::Client second = client_for(owner_, "Second");
    second.id = first.id;
    auto created = clients().create_client(second);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    auto within_limit = clients().create_client_within_limit(second, 10);
    ASSERT_FALSE(within_limit.has_value());
    EXPECT_EQ(within_limit.error().code, Code::conflict);
    auto found = clients().find_client(first.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "First");
    EXPECT_EQ(count("clients"), 1);
}

TEST_P(ClientStoreConformance, MissingClientIsNotFoundForEveryOperation) {
    core::Client ghost = client_for(owner_, "Ghost");
    const Result<void> results[] = {
        as_void(clients().find_client(ghost.id)),
        clients().update_client(ghost),
        clients().update_client_and_verification(ghost),
        clients().set_client_secrets(ghost.id, new_digest(), std::nullopt, std::nullopt, 5),
        as_void(clients().rotate_client_secret(ghost.id, new_digest(), std::nullopt, 0)),
        as_void(clients().drop_previous_secret(ghost.id, 0)),
        as_void(clients().delete_client(ghost.id)),
    };
    for (const auto& result : results) {
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, Code::not_found);
        EXPECT_EQ(result.error().subject, "client");
    }
    EXPECT_EQ(count("clients"), 0);
}

TEST_P(ClientStoreConformance, UpdateWritesMetadataAndUpdatedAtOnly) {
    core::Client client = full_client("Before");
    client.registration_token_digest = new_digest();
    ASSERT_TRUE(clients().create_client(client).has_value());
    core::Client update = client;
    update.name = "After";
    update.redirect_uris = {"https://new.example/a", "https://new.example/b"};
    update.post_logout_redirect_uris = {"https://new.example/bye"};
    update.grant_types = {"authorization_code", "client_credentials"};
    update.scopes = {"read"};
    update.token_endpoint_auth_method = "client_secret_post";
    update.refresh_policy = "rotate";
    update.response_types = {"code"};
    update.optional_scopes = {};
    update.allowed_cors_origins = {};
    update.client_uri = "https://new.example/";
    update.logo_uri.reset();
    update.visibility = "public";
    update.promoted_at = clock_.now() + 5;
    update.id_token_signed_response_alg = "EdDSA";
    update.access_token_format = "opaque";
    update.updated_at = client.updated_at + 60;
    // Not written by update_client:
    update.secret_digest = new_digest();
    update.previous_secret_digest = new_digest();
    update.secret_ciphertext = "sealed";
    update.registration_token_digest = new_digest();
    update.account_id = new_id();
    update.owner_id = new_id();
    update.created_at = 1;
    update.uri_verification->status = core::UriVerification::Status::failed;

    ASSERT_TRUE(clients().update_client(update).has_value());
    auto found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    core::Client expected = update;
    expected.secret_digest = client.secret_digest;
    expected.previous_secret_digest = client.previous_secret_digest;
    expected.secret_ciphertext = client.secret_ciphertext;
    expected.registration_token_digest = client.registration_token_digest;
    expected.account_id = client.account_id;
    expected.owner_id = client.owner_id;
    expected.created_at = client.created_at;
    expected.uri_verification = client.uri_verification;
    expect_same_client(*found, expected);

    // With the verification, and then without one (cleared).
    ASSERT_TRUE(clients().update_client_and_verification(update).has_value());
    expected.uri_verification = update.uri_verification;
    expect_same_client(*clients().find_client(client.id), expected);
    update.client_uri.reset();
    update.uri_verification.reset();
    ASSERT_TRUE(clients().update_client_and_verification(update).has_value());
    found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_FALSE(found->uri_verification.has_value());
    EXPECT_FALSE(found->client_uri.has_value());
    EXPECT_EQ(found->secret_digest, client.secret_digest);
}

TEST_P(ClientStoreConformance, SetSecretsReplacesCurrentPreviousAndCiphertext) {
    core::Client client = create_client(owner_, "App");
    const std::string rotated = new_digest();
    ASSERT_TRUE(
        clients().set_client_secrets(client.id, rotated, client.secret_digest, "sealed", 100));
    auto found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, rotated);
    EXPECT_EQ(found->previous_secret_digest, client.secret_digest);
    EXPECT_EQ(found->secret_ciphertext, "sealed");
    EXPECT_EQ(found->updated_at, 100);

    ASSERT_TRUE(clients().set_client_secrets(client.id, rotated, std::nullopt, std::nullopt, 200));
    found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, rotated);
    EXPECT_EQ(found->previous_secret_digest, std::nullopt);
    EXPECT_EQ(found->secret_ciphertext, std::nullopt);
    EXPECT_EQ(found->updated_at, 200);
}

TEST_P(ClientStoreConformance, RotationKeepsTwoSecretsAndRefusesAThird) {
    core::Client client = create_client(owner_, "Rotating");
    std::string next = new_digest();
    auto rotated = clients().rotate_client_secret(client.id, next, "sealed", clock_.now() + 1);
    ASSERT_TRUE(rotated.has_value()) << rotated.error().log_detail;
    EXPECT_TRUE(*rotated);
    auto found = clients().find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, next);
    EXPECT_EQ(found->previous_secret_digest, client.secret_digest);
    EXPECT_EQ(found->secret_ciphertext, "sealed");
    EXPECT_EQ(found->updated_at, clock_.now() + 1);

    auto again =
        clients().rotate_client_secret(client.id, new_digest(), std::nullopt, clock_.now());
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);
    found = clients().find_client(client.id);
    EXPECT_EQ(found->secret_digest, next);
    EXPECT_EQ(found->updated_at, clock_.now() + 1);

    auto dropped = clients().drop_previous_secret(client.id, clock_.now() + 2);
    ASSERT_TRUE(dropped.has_value());
    EXPECT_TRUE(*dropped);
    found = clients().find_client(client.id);
    EXPECT_EQ(found->secret_digest, next);
    EXPECT_FALSE(found->previous_secret_digest.has_value());
    EXPECT_EQ(found->updated_at, clock_.now() + 2);
    auto nothing = clients().drop_previous_secret(client.id, clock_.now() + 3);
    ASSERT_TRUE(nothing.has_value());
    EXPECT_FALSE(*nothing);
    EXPECT_EQ(clients().find_client(client.id)->updated_at, clock_.now() + 2);
}

TEST_P(ClientStoreConformance, OfTwoRacingRotationsExactlyOneWins) {
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::ClientStore* nodes[] = {&clients(), &(*second)->stores().clients};
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            core::Client client = create_client(owner_, "Race");
            std::atomic<int> wins{0};
            std::string digests[] = {new_digest(), new_digest()};
            std::latch start(2);
            std::vector<std::thread> threads;
            for (int i = 0; i < 2; ++i) {
                threads.emplace_back([&, i] {
                    start.arrive_and_wait();
                    auto result = nodes[separate ? i : 0]->rotate_client_secret(
                        client.id, digests[i], std::nullopt, 1);
                    ASSERT_TRUE(result.has_value()) << result.error().log_detail;
                    if (*result) ++wins;
                });
            }
            for (auto& thread : threads) thread.join();
            EXPECT_EQ(wins.load(), 1);
            auto found = clients().find_client(client.id);
            ASSERT_TRUE(found.has_value());
            EXPECT_EQ(found->previous_secret_digest, client.secret_digest);
            EXPECT_TRUE(found->secret_digest == digests[0] || found->secret_digest == digests[1]);
        }
    }
}

TEST_P(ClientStoreConformance, ListsAnAccountsClientsOldestFirst) {
    core::User other = create_user("other@example.com");
    std::vector<Id> expected;
    for (int i = 0; i < 3; ++i) {
        core::Client client = full_client("c" + std::to_string(i));
        client.created_at = clock_.now() + 10 - i;  // newest made first
        ASSERT_TRUE(clients().create_client(client).has_value());
        expected.insert(expected.begin(), client.id);
    }
    ASSERT_TRUE(clients().create_client(client_for(other, "elsewhere")).has_value());
    auto listed = clients().list_account_clients(owner_.account_id, 100);
    ASSERT_TRUE(listed.has_value()) << listed.error().log_detail;
    std::vector<Id> ids;
    for (const auto& c : *listed) ids.push_back(c.id);
    EXPECT_EQ(ids, expected);
    expect_same_client(listed->back(), *clients().find_client(expected.back()));
    auto limited = clients().list_account_clients(owner_.account_id, 2);
    ASSERT_TRUE(limited.has_value());
    ASSERT_EQ(limited->size(), 2u);
    EXPECT_EQ((*limited)[1].id, expected[1]);
    EXPECT_TRUE(clients().list_account_clients(owner_.account_id, 0)->empty());
    EXPECT_TRUE(clients().list_account_clients(new_id(), 10)->empty());
}

TEST_P(ClientStoreConformance, CreateWithinLimitRefusesTheOneTooMany) {
    for (int i = 0; i < 3; ++i) {
        auto created = clients().create_client_within_limit(full_client("c"), 3);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
        EXPECT_TRUE(*created);
    }
    core::Client extra = full_client("extra");
    auto refused = clients().create_client_within_limit(extra, 3);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(*refused);
    EXPECT_EQ(clients().find_client(extra.id).error().code, Code::not_found);
    // Another account's clients do not count.
    core::User other = create_user("other@example.com");
    auto elsewhere = clients().create_client_within_limit(client_for(other, "x"), 3);
    ASSERT_TRUE(elsewhere.has_value());
    EXPECT_TRUE(*elsewhere);
}

TEST_P(ClientStoreConformance, RacingCreatesWithinLimitNeverExceedIt) {
    constexpr int kThreads = 6;
    constexpr int kLimit = 3;
    auto second = backend_->second_node();
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    core::ClientStore* nodes[] = {&clients(), &(*second)->stores().clients};
    for (int round = 0; round < 3; ++round) {
        core::User account_owner = create_user("round" + std::to_string(round) + "@example.com");
        std::vector<core::Client> candidates;
        for (int i = 0; i < kThreads; ++i) candidates.push_back(client_for(account_owner, "c"));
        std::atomic<int> created{0};
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                auto result = nodes[i % 2]->create_client_within_limit(candidates[i], kLimit);
                ASSERT_TRUE(result.has_value()) << result.error().log_detail;
                if (*result) ++created;
            });
        }
        for (auto& thread : threads) thread.join();
        EXPECT_EQ(created.load(), kLimit);
        EXPECT_EQ(clients().list_account_clients(account_owner.account_id, 100)->size(),
                  static_cast<std::size_t>(kLimit));
    }
}

TEST_P(ClientStoreConformance, DeleteReturnsTheClientAndCascadesToWhatWasIssuedUnderIt) {
    core::Client client = create_client(owner_, "Doomed");
    core::Client other = create_client(owner_, "Kept");
    auto [authorization, token] = create_authorization(owner_, client.id);
    auto [kept, kept_token] = create_authorization(owner_, other.id);
    auto [direct, direct_token] = create_authorization(owner_, std::nullopt);
    core::AccessToken standalone = standalone_token_for(client.id);
    ASSERT_TRUE(tokens().create_access_token(standalone).has_value());

    auto deleted = clients().delete_client(client.id);
    ASSERT_TRUE(deleted.has_value()) << deleted.error().log_detail;
    expect_same_client(*deleted, client);

    EXPECT_FALSE(clients().find_client(client.id).has_value());
    auto gone = authorizations().find_authorization(authorization.id);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    for (const auto* dead : {&token, &standalone}) {
        auto gone_token = authorizations().find_access_token(dead->digest);
        ASSERT_FALSE(gone_token.has_value());
        EXPECT_EQ(gone_token.error().code, Code::not_found);
    }
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE client_id IS NOT NULL"), 1);

    EXPECT_TRUE(clients().find_client(other.id).has_value());
    EXPECT_TRUE(authorizations().find_access_token(kept_token.digest).has_value());
    EXPECT_TRUE(authorizations().find_access_token(direct_token.digest).has_value());
    EXPECT_EQ(clients().delete_client(client.id).error().code, Code::not_found);
}

TEST_P(ClientStoreConformance, ConcurrentCreatesAllSucceedAndAreAllListed) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 20;
    std::vector<std::vector<core::Client>> batches(kThreads);
    for (auto& batch : batches) {
        for (int i = 0; i < kPerThread; ++i) batch.push_back(client_for(owner_, "Concurrent"));
    }
    std::vector<int> failures(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (const auto& client : batches[t]) {
                if (!clients().create_client(client).has_value()) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(std::count(failures.begin(), failures.end(), 0), kThreads);

    core::PageQuery everything;
    everything.max = 1000;
    auto listed = clients().list_clients_by_owner(owner_.id, everything);
    ASSERT_TRUE(listed.has_value()) << listed.error().log_detail;
    std::vector<Id> expected;
    for (const auto& batch : batches) {
        for (const auto& client : batch) expected.push_back(client.id);
    }
    std::sort(expected.begin(), expected.end());
    std::vector<Id> actual;
    for (const auto& client : listed->items) actual.push_back(client.id);
    EXPECT_EQ(actual, expected);
    EXPECT_FALSE(listed->has_more);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClientStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
