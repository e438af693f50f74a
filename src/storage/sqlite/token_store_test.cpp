#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

class SqliteTokenStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "Machine");
    }

    core::User user_;
    core::Client client_;
};

TEST_P(SqliteTokenStore, StandaloneTokenIsFoundWithoutAuthorizationOrUser) {
    core::AccessToken token = standalone_token_for(client_.id);
    core::AccessToken forever = standalone_token_for(client_.id);
    forever.expires_at = std::nullopt;
    forever.scope = {};

    for (const core::AccessToken* created : {&token, &forever}) {
        auto result = store_->create_access_token(*created);
        ASSERT_TRUE(result.has_value()) << result.error().log_detail;
        auto found = store_->find_access_token(created->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        EXPECT_EQ(found->authorization_id, std::nullopt);
        EXPECT_EQ(found->user_id, std::nullopt);
        expect_same_token(*found, *created);
    }
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE authorization_id IS NULL"
                        " AND user_id IS NULL"),
              2);
}

TEST_P(SqliteTokenStore, RevokeDeletesTheTokenOnceThenReportsFalse) {
    core::AccessToken token = standalone_token_for(client_.id);
    core::AccessToken other = standalone_token_for(client_.id);
    ASSERT_TRUE(store_->create_access_token(token).has_value());
    ASSERT_TRUE(store_->create_access_token(other).has_value());

    auto revoked = store_->revoke_access_token(token.digest);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    auto gone = store_->find_access_token(token.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(gone.error().subject, "token");

    auto again = store_->revoke_access_token(token.digest);
    ASSERT_TRUE(again.has_value()) << again.error().log_detail;
    EXPECT_FALSE(*again);
    auto never_issued = store_->revoke_access_token(new_digest());
    ASSERT_TRUE(never_issued.has_value());
    EXPECT_FALSE(*never_issued);
    EXPECT_TRUE(store_->find_access_token(other.digest).has_value());
}

TEST_P(SqliteTokenStore, RevokingAnAuthorizationsTokenKeepsTheAuthorization) {
    auto [authorization, token] = create_authorization(user_, client_.id);
    auto revoked = store_->revoke_access_token(token.digest);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    EXPECT_FALSE(store_->find_access_token(token.digest).has_value());
    EXPECT_TRUE(store_->find_authorization(authorization.id).has_value());
}

TEST_P(SqliteTokenStore, DuplicateIdOrDigestIsAConflictAndWritesNothing) {
    core::AccessToken first = standalone_token_for(client_.id);
    ASSERT_TRUE(store_->create_access_token(first).has_value());
    core::AccessToken same_id = standalone_token_for(client_.id);
    same_id.id = first.id;
    core::AccessToken same_digest = standalone_token_for(client_.id);
    same_digest.digest = first.digest;

    for (const core::AccessToken* duplicate : {&same_id, &same_digest}) {
        auto created = store_->create_access_token(*duplicate);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }
    EXPECT_FALSE(store_->find_access_token(same_id.digest).has_value());
    auto found = store_->find_access_token(first.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, first.id);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 1);
}

TEST_P(SqliteTokenStore, TokenOfAnUnknownClientIsRejected) {
    core::AccessToken token = standalone_token_for(new_id());
    auto created = store_->create_access_token(token);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::internal);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 0);
}

TEST_P(SqliteTokenStore, DeletingAClientDeletesItsStandaloneTokensOnly) {
    core::Client other = create_client(user_, "Other");
    core::AccessToken doomed = standalone_token_for(client_.id);
    core::AccessToken kept = standalone_token_for(other.id);
    core::AccessToken unbound = standalone_token_for(std::nullopt);
    for (const core::AccessToken* token : {&doomed, &kept, &unbound}) {
        ASSERT_TRUE(store_->create_access_token(*token).has_value());
    }
    auto [direct, direct_token] = create_authorization(user_, std::nullopt);

    ASSERT_TRUE(store_->delete_client(client_.id).has_value());

    auto gone = store_->find_access_token(doomed.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_TRUE(store_->find_access_token(kept.digest).has_value());
    EXPECT_TRUE(store_->find_access_token(unbound.digest).has_value());
    EXPECT_TRUE(store_->find_access_token(direct_token.digest).has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 3);
}

TEST_P(SqliteTokenStore, ATokenWithItsIdInsideIsFoundByIdAndDigestOnly) {
    core::AccessToken token = standalone_token_for(client_.id);
    token.id_in_token = true;
    ASSERT_TRUE(store_->create_access_token(token).has_value());
    auto found = store_->find_access_token(token.digest, token.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_token(*found, token);
    EXPECT_TRUE(found->id_in_token);
    // Not through the digest index, and not with another digest (a forged
    // token that names a real id).
    EXPECT_EQ(store_->find_access_token(token.digest).error().code, Code::not_found);
    EXPECT_EQ(store_->find_access_token(new_digest(), token.id).error().code, Code::not_found);
    // A token without its id inside is not found by a guessed id either.
    core::AccessToken legacy = standalone_token_for(client_.id);
    ASSERT_TRUE(store_->create_access_token(legacy).has_value());
    EXPECT_EQ(store_->find_access_token(legacy.digest, legacy.id).error().code, Code::not_found);
    EXPECT_TRUE(store_->find_access_token(legacy.digest).has_value());
    // Revocation by id needs the digest too.
    EXPECT_FALSE(*store_->revoke_access_token(new_digest(), token.id));
    EXPECT_FALSE(*store_->revoke_access_token(token.digest));
    EXPECT_TRUE(*store_->revoke_access_token(token.digest, token.id));
    EXPECT_EQ(store_->find_access_token(token.digest, token.id).error().code, Code::not_found);
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE by_digest = 0"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteTokenStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
