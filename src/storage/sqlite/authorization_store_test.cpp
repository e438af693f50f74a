#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteAuthorizationStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "App");
    }

    core::User user_;
    core::Client client_;
};

void expect_same_authorization(const core::Authorization& actual,
                               const core::Authorization& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.description, expected.description);
    EXPECT_EQ(actual.is_api_key, expected.is_api_key);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

TEST_P(SqliteAuthorizationStore, FindsTheAuthorizationAndItsTokenByDigest) {
    struct Case {
        std::optional<Id> client_id;
        std::vector<std::string> scope;
        bool is_api_key;
        std::optional<Timestamp> expires_at;
    };
    const Case cases[] = {
        {client_.id, {"read", "write-protected"}, false, clock_.now() + 28800},
        {std::nullopt, {"global"}, true, std::nullopt},  // the account's API key
        {std::nullopt, {}, false, 0},
    };
    for (const auto& c : cases) {
        auto [authorization, token] = authorization_for(user_, c.client_id);
        authorization.scope = token.scope = c.scope;
        authorization.is_api_key = c.is_api_key;
        authorization.description = "laptop \"work\"";
        token.expires_at = c.expires_at;
        ASSERT_TRUE(store_->create_authorization(authorization, token).has_value());

        auto found = store_->find_authorization(authorization.id);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_authorization(*found, authorization);
        auto found_token = store_->find_access_token(token.digest);
        ASSERT_TRUE(found_token.has_value()) << found_token.error().log_detail;
        expect_same_token(*found_token, token);
    }
}

TEST_P(SqliteAuthorizationStore, MissingRowsAreNotFoundWithTheirSubject) {
    create_authorization(user_, client_.id);
    const struct {
        Result<void> result;
        const char* subject;
    } cases[] = {
        {[&]() -> Result<void> {
             TESSERA_TRY(store_->find_authorization(new_id()));
             return {};
         }(),
         "authorization"},
        {[&]() -> Result<void> {
             TESSERA_TRY(store_->find_access_token(new_digest()));
             return {};
         }(),
         "token"},
        {store_->delete_authorization(new_id()), "authorization"},
    };
    for (const auto& c : cases) {
        ASSERT_FALSE(c.result.has_value()) << c.subject;
        EXPECT_EQ(c.result.error().code, Code::not_found);
        EXPECT_EQ(c.result.error().subject, c.subject);
    }
}

TEST_P(SqliteAuthorizationStore, DuplicateTokenDigestIsAConflictAndWritesNothing) {
    auto [first, first_token] = create_authorization(user_, client_.id);
    auto [second, second_token] = authorization_for(user_, client_.id);
    second_token.digest = first_token.digest;

    auto created = store_->create_authorization(second, second_token);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    auto found = store_->find_authorization(second.id);
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().code, Code::not_found);
    EXPECT_EQ(query_int("SELECT count(*) FROM authorizations"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 1);
}

TEST_P(SqliteAuthorizationStore, DuplicateAuthorizationIdIsAConflict) {
    auto [first, first_token] = create_authorization(user_, client_.id);
    auto [second, second_token] = authorization_for(user_, client_.id);
    second.id = first.id;
    auto created = store_->create_authorization(second, second_token);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_FALSE(store_->find_access_token(second_token.digest).has_value());
}

TEST_P(SqliteAuthorizationStore, DeletingAnAuthorizationDeletesItsTokensOnly) {
    auto [doomed, doomed_token] = create_authorization(user_, client_.id);
    auto [kept, kept_token] = create_authorization(user_, std::nullopt);

    ASSERT_TRUE(store_->delete_authorization(doomed.id).has_value());

    auto deleted = store_->find_authorization(doomed.id);
    ASSERT_FALSE(deleted.has_value());
    EXPECT_EQ(deleted.error().code, Code::not_found);
    auto gone = store_->find_access_token(doomed_token.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().subject, "token");
    EXPECT_TRUE(store_->find_authorization(kept.id).has_value());
    EXPECT_TRUE(store_->find_access_token(kept_token.digest).has_value());
    auto again = store_->delete_authorization(doomed.id);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Code::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteAuthorizationStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
