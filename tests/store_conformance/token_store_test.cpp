// core::TokenStore on every backend.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class TokenStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "Machine");
    }

    core::User user_;
    core::Client client_;
};

TEST_P(TokenStoreConformance, StandaloneTokenIsFoundWithoutAuthorizationOrUser) {
    core::AccessToken token = standalone_token_for(client_.id);
    core::AccessToken forever = standalone_token_for(client_.id);
    forever.expires_at = std::nullopt;
    forever.scope = {};

    for (const core::AccessToken* created : {&token, &forever}) {
        auto result = tokens().create_access_token(*created);
        ASSERT_TRUE(result.has_value()) << result.error().log_detail;
        auto found = authorizations().find_access_token(created->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        EXPECT_EQ(found->authorization_id, std::nullopt);
        EXPECT_EQ(found->user_id, std::nullopt);
        expect_same_token(*found, *created);
    }
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE authorization_id IS NULL"
                        " AND user_id IS NULL"),
              2);
}

TEST_P(TokenStoreConformance, AsyncCreateCallsDoneOnceWithTheResult) {
    core::AccessToken token = standalone_token_for(client_.id);
    core::AccessToken duplicate = standalone_token_for(client_.id);
    duplicate.digest = token.digest;
    for (const auto& [created, code] : {std::pair{token, std::optional<Code>()},
                                        std::pair{duplicate, std::optional(Code::conflict)}}) {
        std::atomic<int> calls{0};
        std::optional<Code> outcome;
        std::latch done(1);
        tokens().create_access_token_async(created, [&](Result<void> result) {
            if (!result.has_value()) outcome = result.error().code;
            if (++calls == 1) done.count_down();
        });
        done.wait();
        EXPECT_EQ(calls.load(), 1);
        EXPECT_EQ(outcome, code);
    }
    EXPECT_TRUE(authorizations().find_access_token(token.digest).has_value());
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(TokenStoreConformance, RevokeDeletesTheTokenOnceThenReportsFalse) {
    core::AccessToken token = standalone_token_for(client_.id);
    core::AccessToken other = standalone_token_for(client_.id);
    ASSERT_TRUE(tokens().create_access_token(token).has_value());
    ASSERT_TRUE(tokens().create_access_token(other).has_value());

    auto revoked = tokens().revoke_access_token(token.digest);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    auto gone = authorizations().find_access_token(token.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(gone.error().subject, "token");

    auto again = tokens().revoke_access_token(token.digest);
    ASSERT_TRUE(again.has_value()) << again.error().log_detail;
    EXPECT_FALSE(*again);
    auto never_issued = tokens().revoke_access_token(new_digest());
    ASSERT_TRUE(never_issued.has_value());
    EXPECT_FALSE(*never_issued);
    EXPECT_TRUE(authorizations().find_access_token(other.digest).has_value());
}

TEST_P(TokenStoreConformance, RevokingAnAuthorizationsTokenKeepsTheAuthorization) {
    auto [authorization, token] = create_authorization(user_, client_.id);
    auto revoked = tokens().revoke_access_token(token.digest);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    EXPECT_FALSE(authorizations().find_access_token(token.digest).has_value());
    EXPECT_TRUE(authorizations().find_authorization(authorization.id).has_value());
}

TEST_P(TokenStoreConformance, DuplicateIdOrDigestIsAConflictAndWritesNothing) {
    core::AccessToken first = standalone_token_for(client_.id);
    ASSERT_TRUE(tokens().create_access_token(first).has_value());
    core::AccessToken same_id = standalone_token_for(client_.id);
    same_id.id = first.id;
    core::AccessToken same_digest = standalone_token_for(client_.id);
    same_digest.digest = first.digest;

    for (const core::AccessToken* duplicate : {&same_id, &same_digest}) {
        auto created = tokens().create_access_token(*duplicate);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }
    EXPECT_FALSE(authorizations().find_access_token(same_id.digest).has_value());
    auto found = authorizations().find_access_token(first.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, first.id);
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(TokenStoreConformance, TokenOfAnUnknownClientAuthorizationOrSessionIsRejected) {
    core::AccessToken no_client = standalone_token_for(new_id());
    core::AccessToken no_authorization = standalone_token_for(client_.id);
    no_authorization.authorization_id = new_id();
    core::AccessToken no_session = standalone_token_for(client_.id);
    no_session.session_id = new_id();
    for (const auto* token : {&no_client, &no_authorization, &no_session}) {
        auto created = tokens().create_access_token(*token);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(TokenStoreConformance, DeletingAClientDeletesItsStandaloneTokensOnly) {
    core::Client other = create_client(user_, "Other");
    core::AccessToken doomed = standalone_token_for(client_.id);
    core::AccessToken kept = standalone_token_for(other.id);
    core::AccessToken unbound = standalone_token_for(std::nullopt);
    for (const core::AccessToken* token : {&doomed, &kept, &unbound}) {
        ASSERT_TRUE(tokens().create_access_token(*token).has_value());
    }
    auto [direct, direct_token] = create_authorization(user_, std::nullopt);

    ASSERT_TRUE(clients().delete_client(client_.id).has_value());

    auto gone = authorizations().find_access_token(doomed.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_TRUE(authorizations().find_access_token(kept.digest).has_value());
    EXPECT_TRUE(authorizations().find_access_token(unbound.digest).has_value());
    EXPECT_TRUE(authorizations().find_access_token(direct_token.digest).has_value());
    EXPECT_EQ(count("access_tokens"), 3);
}

TEST_P(TokenStoreConformance, ATokenWithItsIdInsideIsFoundByIdAndDigestOnly) {
    core::AccessToken token = standalone_token_for(client_.id);
    token.id_in_token = true;
    ASSERT_TRUE(tokens().create_access_token(token).has_value());
    auto found = authorizations().find_access_token(token.digest, token.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_token(*found, token);
    EXPECT_TRUE(found->id_in_token);
    // Not through the digest index, and not with another digest (a forged
    // token that names a real id).
    EXPECT_EQ(authorizations().find_access_token(token.digest).error().code, Code::not_found);
    EXPECT_EQ(authorizations().find_access_token(new_digest(), token.id).error().code,
              Code::not_found);
    // Two such tokens may share a digest: only the id finds them.
    core::AccessToken twin = standalone_token_for(client_.id);
    twin.id_in_token = true;
    twin.digest = token.digest;
    ASSERT_TRUE(tokens().create_access_token(twin).has_value());
    // A token without its id inside is not found by a guessed id either.
    core::AccessToken legacy = standalone_token_for(client_.id);
    ASSERT_TRUE(tokens().create_access_token(legacy).has_value());
    EXPECT_EQ(authorizations().find_access_token(legacy.digest, legacy.id).error().code,
              Code::not_found);
    EXPECT_TRUE(authorizations().find_access_token(legacy.digest).has_value());
    // Revocation by id needs the digest too.
    EXPECT_FALSE(*tokens().revoke_access_token(new_digest(), token.id));
    EXPECT_FALSE(*tokens().revoke_access_token(token.digest));
    EXPECT_TRUE(*tokens().revoke_access_token(token.digest, token.id));
    EXPECT_EQ(authorizations().find_access_token(token.digest, token.id).error().code,
              Code::not_found);
    EXPECT_TRUE(authorizations().find_access_token(twin.digest, twin.id).has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens WHERE NOT by_digest"), 1);
}

TEST_P(TokenStoreConformance, PurgeDeletesExpiredTokensOldestFirstUpToTheLimit) {
    const Timestamp now = clock_.now();
    std::vector<core::AccessToken> expired;
    for (Timestamp expires_at : {now - 30, now - 20, now - 10, now}) {
        core::AccessToken token = standalone_token_for(client_.id);
        token.expires_at = expires_at;
        ASSERT_TRUE(tokens().create_access_token(token).has_value());
        expired.push_back(token);
    }
    core::AccessToken live = standalone_token_for(client_.id);
    live.expires_at = now + 1;
    core::AccessToken forever = standalone_token_for(client_.id);
    forever.expires_at = std::nullopt;
    for (const auto* token : {&live, &forever})
        ASSERT_TRUE(tokens().create_access_token(*token).has_value());

    EXPECT_EQ(*tokens().purge_expired_access_tokens(now, 0), 0);
    auto first = tokens().purge_expired_access_tokens(now, 3);
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_EQ(*first, 3);
    // The oldest went first.
    EXPECT_TRUE(authorizations().find_access_token(expired[3].digest).has_value());
    EXPECT_FALSE(authorizations().find_access_token(expired[0].digest).has_value());
    EXPECT_EQ(*tokens().purge_expired_access_tokens(now, 3), 1);
    EXPECT_EQ(*tokens().purge_expired_access_tokens(now, 3), 0);
    EXPECT_TRUE(authorizations().find_access_token(live.digest).has_value());
    EXPECT_TRUE(authorizations().find_access_token(forever.digest).has_value());
    EXPECT_EQ(count("access_tokens"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenStoreConformance, kBackends, backend_name);

// PostgreSQL only: every node runs the janitor, and a purge that finds the
// janitor's advisory lock taken (another node is sweeping) deletes nothing
// and reports 0, so the node skips instead of fighting for the same rows.
using PostgresJanitorTurn = TokenStoreConformance;

TEST_P(PostgresJanitorTurn, APurgeSkipsWhileAnotherNodeHoldsTheJanitorsLock) {
    const Timestamp now = clock_.now();
    for (int i = 0; i < 3; ++i) {
        core::AccessToken token = standalone_token_for(client_.id);
        token.expires_at = now - 10;
        ASSERT_TRUE(tokens().create_access_token(token).has_value());
    }
    // The test's own session stands in for a node in the middle of a sweep.
    const std::string lock = "(1953722986, hashtext(current_schema()))";
    execute("SELECT pg_advisory_lock" + lock);
    auto skipped = tokens().purge_expired_access_tokens(now, 100);
    ASSERT_TRUE(skipped.has_value()) << skipped.error().log_detail;
    EXPECT_EQ(*skipped, 0);
    auto skipped_grants = grants().purge_expired_grants(now, 100);
    ASSERT_TRUE(skipped_grants.has_value()) << skipped_grants.error().log_detail;
    EXPECT_EQ(*skipped_grants, 0);
    EXPECT_EQ(count("access_tokens"), 3);

    execute("SELECT pg_advisory_unlock" + lock);
    auto purged = tokens().purge_expired_access_tokens(now, 100);
    ASSERT_TRUE(purged.has_value()) << purged.error().log_detail;
    EXPECT_EQ(*purged, 3);
    EXPECT_EQ(count("access_tokens"), 0);
}

INSTANTIATE_TEST_SUITE_P(Postgres, PostgresJanitorTurn, ::testing::Values(BackendKind::postgres),
                         backend_name);

}  // namespace
}  // namespace tessera::store_conformance
