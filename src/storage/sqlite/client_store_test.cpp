#include <algorithm>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteClientStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
    }

    core::User owner_;
};

TEST_P(SqliteClientStore, FindsACreatedClientWithEveryField) {
    core::Client plain = client_for(owner_, "Plain");
    core::Client tricky = client_for(owner_, "Tricky \"name\", \xc3\xa4");
    tricky.redirect_uris = {"https://a.example/cb?x=\"1\"", "http://localhost:5000/cb\n", ""};
    tricky.post_logout_redirect_uris = {"https://a.example/bye?x=\"1\"", "http://localhost/"};
    tricky.previous_secret_digest = new_digest();
    tricky.grant_types = {"client_credentials"};
    tricky.scopes = {"read-protected", "write", "\xc3\xa4"};
    tricky.token_endpoint_auth_method = "client_secret_post";
    tricky.refresh_policy = "rotate";
    core::Client none = client_for(owner_, "");
    none.redirect_uris = {};
    none.grant_types = {};
    none.scopes = {};
    none.token_endpoint_auth_method = "none";

    for (const core::Client* client : {&plain, &tricky, &none}) {
        ASSERT_TRUE(store_->create_client(*client).has_value());
        auto found = store_->find_client(client->id);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_client(*found, *client);
    }
}

TEST_P(SqliteClientStore, DuplicateIdIsAConflict) {
    core::Client first = create_client(owner_, "First");
    core::Client second = client_for(owner_, "Second");
    second.id = first.id;
    auto created = store_->create_client(second);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    auto found = store_->find_client(first.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "First");
}

TEST_P(SqliteClientStore, MissingClientIsNotFoundForEveryOperation) {
    core::Client ghost = client_for(owner_, "Ghost");
    auto as_void = [](auto result) -> Result<void> {
        if (result.has_value()) return {};
        return std::move(result).error();
    };
    const Result<void> results[] = {
        as_void(store_->find_client(ghost.id)),
        store_->update_client(ghost),
        store_->set_client_secrets(ghost.id, new_digest(), std::nullopt, std::nullopt, 5),
        as_void(store_->delete_client(ghost.id)),
    };
    for (const auto& result : results) {
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, Code::not_found);
        EXPECT_EQ(result.error().subject, "client");
    }
}

TEST_P(SqliteClientStore, UpdateWritesNameRedirectUrisMetadataAndUpdatedAtOnly) {
    core::Client client = create_client(owner_, "Before");
    core::Client update = client;
    update.name = "After";
    update.redirect_uris = {"https://new.example/a", "https://new.example/b"};
    update.post_logout_redirect_uris = {"https://new.example/bye"};
    update.grant_types = {"authorization_code", "client_credentials"};
    update.scopes = {"read"};
    update.token_endpoint_auth_method = "client_secret_post";
    update.refresh_policy = "rotate";
    update.updated_at = client.updated_at + 60;
    update.secret_digest = new_digest();  // ignored: secrets change only via set_client_secrets
    update.previous_secret_digest = new_digest();  // ignored
    update.account_id = new_id();                  // ignored
    update.created_at = 1;                         // ignored

    ASSERT_TRUE(store_->update_client(update).has_value());
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    core::Client expected = client;
    expected.name = update.name;
    expected.redirect_uris = update.redirect_uris;
    expected.post_logout_redirect_uris = update.post_logout_redirect_uris;
    expected.grant_types = update.grant_types;
    expected.scopes = update.scopes;
    expected.token_endpoint_auth_method = update.token_endpoint_auth_method;
    expected.refresh_policy = update.refresh_policy;
    expected.updated_at = update.updated_at;
    expect_same_client(*found, expected);
}

TEST_P(SqliteClientStore, ListReturnsEveryFieldOfEachClient) {
    core::Client heroku = create_client(owner_, "Heroku");
    core::Client machine = client_for(owner_, "Machine");
    machine.grant_types = {"client_credentials"};
    machine.scopes = {};
    machine.token_endpoint_auth_method = "client_secret_post";
    machine.refresh_policy = "rotate";
    ASSERT_TRUE(store_->create_client(machine).has_value());

    for (bool by_name : {false, true}) {
        core::PageQuery query;
        query.field = by_name ? core::SortField::name : core::SortField::id;
        auto listed = store_->list_clients_by_owner(owner_.id, query);
        ASSERT_TRUE(listed.has_value()) << listed.error().log_detail;
        ASSERT_EQ(listed->items.size(), 2u);
        EXPECT_NE(listed->items[0].id, listed->items[1].id);
        for (const core::Client& item : listed->items) {
            expect_same_client(item, item.id == heroku.id ? heroku : machine);
        }
    }
}

TEST_P(SqliteClientStore, SetSecretsReplacesCurrentAndPrevious) {
    core::Client client = create_client(owner_, "App");
    const std::string rotated = new_digest();
    ASSERT_TRUE(
        store_->set_client_secrets(client.id, rotated, client.secret_digest, std::nullopt, 100)
            .has_value());
    auto found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, rotated);
    EXPECT_EQ(found->previous_secret_digest, client.secret_digest);
    EXPECT_EQ(found->updated_at, 100);

    ASSERT_TRUE(store_->set_client_secrets(client.id, rotated, std::nullopt, std::nullopt, 200)
                    .has_value());
    found = store_->find_client(client.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->secret_digest, rotated);
    EXPECT_EQ(found->previous_secret_digest, std::nullopt);
    EXPECT_EQ(found->updated_at, 200);
}

TEST_P(SqliteClientStore, DeleteReturnsTheClientAndCascadesToAuthorizationsAndTokens) {
    core::Client client = create_client(owner_, "Doomed");
    core::Client other = create_client(owner_, "Kept");
    auto [authorization, token] = create_authorization(owner_, client.id);
    auto [kept, kept_token] = create_authorization(owner_, other.id);
    auto [direct, direct_token] = create_authorization(owner_, std::nullopt);

    auto deleted = store_->delete_client(client.id);
    ASSERT_TRUE(deleted.has_value()) << deleted.error().log_detail;
    expect_same_client(*deleted, client);

    EXPECT_EQ(store_->find_client(client.id).has_value(), false);
    auto gone = store_->find_authorization(authorization.id);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    auto gone_token = store_->find_access_token(token.digest);
    ASSERT_FALSE(gone_token.has_value());
    EXPECT_EQ(gone_token.error().code, Code::not_found);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE client_id IS NOT NULL"), 1);

    EXPECT_TRUE(store_->find_client(other.id).has_value());
    EXPECT_TRUE(store_->find_access_token(kept_token.digest).has_value());
    EXPECT_TRUE(store_->find_access_token(direct_token.digest).has_value());
}

TEST_P(SqliteClientStore, ConcurrentCreatesAllSucceedAndAreAllListed) {
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
                if (!store_->create_client(client).has_value()) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(std::count(failures.begin(), failures.end(), 0), kThreads);

    core::PageQuery everything;
    everything.max = 1000;
    auto listed = store_->list_clients_by_owner(owner_.id, everything);
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

INSTANTIATE_TEST_SUITE_P(Backends, SqliteClientStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
