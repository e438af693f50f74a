#include <algorithm>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_test_fixture.hpp"

namespace tessera::storage::sqlite {
namespace {

using core::Rotation;

// A session as redeem_code() starts it: the session, its first refresh token
// and its first access token.
struct Family {
    core::Session session;
    core::RefreshToken refresh;
    core::AccessToken access;
};

class SqliteGrantStore : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "App");
        authorization_ = client_authorization_for(user_, client_.id);
        auto created = store_->create_client_authorization(authorization_);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    }

    core::Authorization client_authorization_for(const core::User& user, const Id& client_id) {
        core::Authorization authorization;
        authorization.id = new_id();
        authorization.user_id = user.id;
        authorization.client_id = client_id;
        authorization.scope = {"global"};
        authorization.created_at = authorization.updated_at = clock_.now();
        return authorization;
    }

    core::AuthorizationCode code_for(const core::Authorization& authorization) {
        core::AuthorizationCode code;
        code.id = new_id();
        code.digest = new_digest();
        code.authorization_id = authorization.id;
        code.client_id = *authorization.client_id;
        code.user_id = authorization.user_id;
        code.redirect_uri = "https://app.example/callback";
        code.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        code.scope = {"global", "read"};
        code.nonce = "n-0S6_WzA2Mj";
        code.auth_time = clock_.now() - 30;
        code.expires_at = clock_.now() + 60;
        code.created_at = clock_.now();
        return code;
    }

    core::AuthorizationCode create_code() {
        core::AuthorizationCode code = code_for(authorization_);
        auto created = store_->create_code(code);
        EXPECT_TRUE(created.has_value()) << created.error().log_detail;
        return code;
    }

    core::Session session_for(const core::Authorization& authorization) {
        core::Session session;
        session.id = new_id();
        session.authorization_id = authorization.id;
        session.user_id = authorization.user_id;
        session.client_id = authorization.client_id;
        session.nonce = "0123456789abcdef";
        session.description = "laptop";
        session.scope = {"global", "read"};
        session.expires_at = clock_.now() + 86400;
        session.created_at = session.updated_at = clock_.now();
        return session;
    }

    // session_id is left empty: the store fills it in.
    core::RefreshToken refresh_token() {
        core::RefreshToken token;
        token.id = new_id();
        token.digest = new_digest();
        token.redacted = "trt_abcde**********wxyz";
        token.created_at = clock_.now();
        return token;
    }

    // An access token of the session `session_id`; redeem_code() and
    // rotate_refresh_token() fill in session_id themselves.
    core::AccessToken session_access(std::optional<Id> session_id = std::nullopt) {
        core::AccessToken token;
        token.id = new_id();
        token.authorization_id = authorization_.id;
        token.user_id = user_.id;
        token.client_id = client_.id;
        token.digest = new_digest();
        token.redacted = "tat_abcde**********wxyz";
        token.scope = {"global", "read"};
        token.expires_at = clock_.now() + 3600;
        token.created_at = clock_.now();
        token.session_id = session_id;
        return token;
    }

    // Redeems a fresh code, as the first exchange does.
    Family redeem(const core::AuthorizationCode& code) {
        Family family{session_for(authorization_), refresh_token(), session_access()};
        auto redeemed = store_->redeem_code(code.id, clock_.now(), family.session, family.refresh,
                                            family.access);
        EXPECT_TRUE(redeemed.has_value()) << redeemed.error().log_detail;
        EXPECT_TRUE(redeemed.has_value() && *redeemed);
        family.refresh.session_id = family.session.id;
        family.access.session_id = family.session.id;
        return family;
    }

    Family start_family() { return redeem(create_code()); }

    Result<Rotation> rotate(const Id& presented, Timestamp grace_since,
                            const core::RefreshToken& successor, const core::AccessToken& access) {
        return store_->rotate_refresh_token(presented, clock_.now(), grace_since, successor,
                                            access);
    }

    std::int64_t count(const std::string& table) {
        return query_int("SELECT count(*) FROM " + table);
    }
    // The refresh and access tokens of the session, counted in the tables.
    std::int64_t tokens_of(const core::Session& session) {
        const std::string hex = "x'" + session.id.hex() + "'";
        return query_int("SELECT (SELECT count(*) FROM refresh_tokens WHERE session_id = " + hex +
                         ") + (SELECT count(*) FROM access_tokens WHERE session_id = " + hex + ")");
    }

    void expect_gone(const Family& family) {
        auto session = store_->find_session(family.session.id);
        ASSERT_FALSE(session.has_value());
        EXPECT_EQ(session.error().code, Code::not_found);
        EXPECT_EQ(session.error().subject, "session");
        EXPECT_FALSE(store_->find_refresh_token(family.refresh.digest).has_value());
        EXPECT_FALSE(store_->find_access_token(family.access.digest).has_value());
        EXPECT_EQ(tokens_of(family.session), 0);
    }

    core::User user_;
    core::Client client_;
    core::Authorization authorization_;
};

void expect_same_code(const core::AuthorizationCode& actual,
                      const core::AuthorizationCode& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.redirect_uri, expected.redirect_uri);
    EXPECT_EQ(actual.code_challenge, expected.code_challenge);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.nonce, expected.nonce);
    EXPECT_EQ(actual.auth_time, expected.auth_time);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.consumed_at, expected.consumed_at);
    EXPECT_EQ(actual.session_id, expected.session_id);
}

void expect_same_session(const core::Session& actual, const core::Session& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.authorization_id, expected.authorization_id);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.client_id, expected.client_id);
    EXPECT_EQ(actual.nonce, expected.nonce);
    EXPECT_EQ(actual.description, expected.description);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

void expect_same_refresh(const core::RefreshToken& actual, const core::RefreshToken& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.session_id, expected.session_id);
    EXPECT_EQ(actual.digest, expected.digest);
    EXPECT_EQ(actual.redacted, expected.redacted);
    EXPECT_EQ(actual.spent_at, expected.spent_at);
    EXPECT_EQ(actual.successor_id, expected.successor_id);
    EXPECT_EQ(actual.created_at, expected.created_at);
}

// -- Standing grants.

TEST_P(SqliteGrantStore, ClientAuthorizationsAreTheUsersForThatClientOldestFirst) {
    core::Client other_client = create_client(user_, "Other");
    core::User bob = create_user("bob@example.com");
    clock_.advance(10);
    core::Authorization newer = client_authorization_for(user_, client_.id);
    core::Authorization older = client_authorization_for(user_, client_.id);
    older.created_at = authorization_.created_at - 5;
    core::Authorization elsewhere = client_authorization_for(user_, other_client.id);
    core::Authorization bobs = client_authorization_for(bob, client_.id);
    for (const auto* authorization : {&newer, &older, &elsewhere, &bobs}) {
        auto created = store_->create_client_authorization(*authorization);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    }
    create_authorization(user_, std::nullopt);  // a direct one, with its token

    auto found = store_->find_client_authorizations(user_.id, client_.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    ASSERT_EQ(found->size(), 3u);
    EXPECT_EQ((*found)[0].id, older.id);
    EXPECT_EQ((*found)[1].id, authorization_.id);
    EXPECT_EQ((*found)[2].id, newer.id);
    EXPECT_EQ((*found)[1].scope, authorization_.scope);
    EXPECT_EQ((*found)[1].client_id, client_.id);

    auto none = store_->find_client_authorizations(bob.id, other_client.id);
    ASSERT_TRUE(none.has_value()) << none.error().log_detail;
    EXPECT_TRUE(none->empty());
    // No access token comes with a standing grant.
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(SqliteGrantStore, CreateClientAuthorizationRejectsDuplicatesAndUnknownRows) {
    core::Authorization same_id = client_authorization_for(user_, client_.id);
    same_id.id = authorization_.id;
    auto duplicate = store_->create_client_authorization(same_id);
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().code, Code::conflict);

    core::Authorization ghost_client = client_authorization_for(user_, new_id());
    core::Authorization ghost_user = client_authorization_for(user_, client_.id);
    ghost_user.user_id = new_id();
    for (const auto* authorization : {&ghost_client, &ghost_user}) {
        auto created = store_->create_client_authorization(*authorization);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("authorizations"), 1);
}

TEST_P(SqliteGrantStore, UpdateAuthorizationScopeSetsScopeDeclinedAndUpdatedAtOnly) {
    auto updated =
        store_->update_authorization_scope(authorization_.id, {"global", "identity"}, {"write"}, 99);
    ASSERT_TRUE(updated.has_value()) << updated.error().log_detail;
    auto found = store_->find_authorization(authorization_.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->scope, (std::vector<std::string>{"global", "identity"}));
    EXPECT_EQ(found->declined_scope, (std::vector<std::string>{"write"}));
    EXPECT_EQ(found->updated_at, 99);
    EXPECT_EQ(found->created_at, authorization_.created_at);
    EXPECT_EQ(found->client_id, client_.id);

    auto missing = store_->update_authorization_scope(new_id(), {"global"}, {}, 100);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "authorization");
}

// -- Codes.

TEST_P(SqliteGrantStore, CodeIsFoundByDigestWithEveryField) {
    core::AuthorizationCode full = create_code();
    core::AuthorizationCode bare = code_for(authorization_);
    bare.redirect_uri = bare.code_challenge = bare.nonce = "";
    bare.scope = {};
    ASSERT_TRUE(store_->create_code(bare).has_value());

    for (const auto* code : {&full, &bare}) {
        auto found = store_->find_code(code->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_code(*found, *code);
    }
    auto missing = store_->find_code(new_digest());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "grant");
}

TEST_P(SqliteGrantStore, CreateCodeRejectsDuplicatesAndUnknownRows) {
    core::AuthorizationCode first = create_code();
    core::AuthorizationCode same_id = code_for(authorization_);
    same_id.id = first.id;
    core::AuthorizationCode same_digest = code_for(authorization_);
    same_digest.digest = first.digest;
    for (const auto* code : {&same_id, &same_digest}) {
        auto created = store_->create_code(*code);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }
    core::AuthorizationCode ghost_authorization = code_for(authorization_);
    ghost_authorization.authorization_id = new_id();
    core::AuthorizationCode ghost_client = code_for(authorization_);
    ghost_client.client_id = new_id();
    core::AuthorizationCode ghost_user = code_for(authorization_);
    ghost_user.user_id = new_id();
    for (const auto* code : {&ghost_authorization, &ghost_client, &ghost_user}) {
        auto created = store_->create_code(*code);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("authorization_codes"), 1);
}

TEST_P(SqliteGrantStore, RedeemConsumesTheCodeAndStartsTheSession) {
    core::AuthorizationCode code = create_code();
    clock_.advance(5);
    Family family = redeem(code);

    auto consumed = store_->find_code(code.digest);
    ASSERT_TRUE(consumed.has_value());
    code.consumed_at = clock_.now();
    code.session_id = family.session.id;
    expect_same_code(*consumed, code);

    auto session = store_->find_session(family.session.id);
    ASSERT_TRUE(session.has_value()) << session.error().log_detail;
    expect_same_session(*session, family.session);
    auto refresh = store_->find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(refresh.has_value()) << refresh.error().log_detail;
    expect_same_refresh(*refresh, family.refresh);
    auto access = store_->find_access_token(family.access.digest);
    ASSERT_TRUE(access.has_value()) << access.error().log_detail;
    expect_same_token(*access, family.access);
    EXPECT_EQ(access->session_id, family.session.id);
    auto by_id = store_->find_access_token_by_id(family.access.id);
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->session_id, family.session.id);
    auto listed = store_->list_access_tokens(authorization_.id);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].session_id, family.session.id);
}

TEST_P(SqliteGrantStore, RedeemWithoutARefreshTokenStartsASessionWithNone) {
    core::AuthorizationCode code = create_code();
    core::Session session = session_for(authorization_);
    session.expires_at = std::nullopt;
    core::AccessToken access = session_access();
    auto redeemed = store_->redeem_code(code.id, clock_.now(), session, std::nullopt, access);
    ASSERT_TRUE(redeemed.has_value()) << redeemed.error().log_detail;
    EXPECT_TRUE(*redeemed);
    auto found = store_->find_session(session.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->expires_at, std::nullopt);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(store_->find_access_token(access.digest)->session_id, session.id);
}

TEST_P(SqliteGrantStore, RedeemingTwiceReturnsFalseAndWritesNothing) {
    core::AuthorizationCode code = create_code();
    Family first = redeem(code);
    clock_.advance(1);

    core::Session second = session_for(authorization_);
    core::RefreshToken refresh = refresh_token();
    core::AccessToken access = session_access();
    auto again = store_->redeem_code(code.id, clock_.now(), second, refresh, access);
    ASSERT_TRUE(again.has_value()) << again.error().log_detail;
    EXPECT_FALSE(*again);
    auto unknown = store_->redeem_code(new_id(), clock_.now(), second, refresh, access);
    ASSERT_TRUE(unknown.has_value()) << unknown.error().log_detail;
    EXPECT_FALSE(*unknown);

    auto found = store_->find_code(code.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->consumed_at, clock_.now() - 1);
    EXPECT_EQ(found->session_id, first.session.id);
    EXPECT_FALSE(store_->find_session(second.id).has_value());
    EXPECT_EQ(count("sessions"), 1);
    EXPECT_EQ(count("refresh_tokens"), 1);
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(SqliteGrantStore, RedeemConflictWritesNothingAndLeavesTheCodeRedeemable) {
    Family existing = start_family();
    core::AuthorizationCode code = create_code();

    core::Session same_session = session_for(authorization_);
    same_session.id = existing.session.id;
    core::RefreshToken same_refresh = refresh_token();
    same_refresh.digest = existing.refresh.digest;
    core::AccessToken same_access = session_access();
    same_access.digest = existing.access.digest;
    struct Case {
        core::Session session;
        core::RefreshToken refresh;
        core::AccessToken access;
    };
    const Case cases[] = {
        {same_session, refresh_token(), session_access()},
        {session_for(authorization_), same_refresh, session_access()},
        {session_for(authorization_), refresh_token(), same_access},
    };
    for (const Case& c : cases) {
        auto redeemed = store_->redeem_code(code.id, clock_.now(), c.session, c.refresh, c.access);
        ASSERT_FALSE(redeemed.has_value());
        EXPECT_EQ(redeemed.error().code, Code::conflict);
        auto found = store_->find_code(code.digest);
        ASSERT_TRUE(found.has_value());
        EXPECT_EQ(found->consumed_at, std::nullopt);
        EXPECT_EQ(found->session_id, std::nullopt);
        EXPECT_EQ(count("sessions"), 1);
        EXPECT_EQ(count("refresh_tokens"), 1);
        EXPECT_EQ(count("access_tokens"), 1);
    }
    redeem(code);  // a retry with fresh values wins
    EXPECT_EQ(count("sessions"), 2);
}

TEST_P(SqliteGrantStore, RevokeCodeSessionDeletesThatSessionWithEveryToken) {
    core::AuthorizationCode code = create_code();
    Family replayed = redeem(code);
    core::AccessToken later = session_access(replayed.session.id);
    ASSERT_TRUE(store_->add_session_access_token(later, clock_.now()).value());
    core::RefreshToken successor = refresh_token();
    ASSERT_EQ(rotate(replayed.refresh.id, clock_.now(), successor, session_access()).value(),
              Rotation::rotated);
    ASSERT_EQ(tokens_of(replayed.session), 5);
    Family bystander = start_family();
    core::AuthorizationCode unredeemed = create_code();

    auto revoked = store_->revoke_code_session(code.id);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    expect_gone(replayed);
    EXPECT_FALSE(store_->find_access_token(later.digest).has_value());
    EXPECT_FALSE(store_->find_refresh_token(successor.digest).has_value());
    // The code stays, consumed, so a further replay is still recognised.
    EXPECT_EQ(store_->find_code(code.digest)->session_id, replayed.session.id);
    EXPECT_TRUE(store_->find_session(bystander.session.id).has_value());
    EXPECT_EQ(tokens_of(bystander.session), 2);

    for (const Id& id : {code.id, unredeemed.id, new_id()}) {
        auto again = store_->revoke_code_session(id);
        ASSERT_TRUE(again.has_value()) << again.error().log_detail;
        EXPECT_FALSE(*again);
    }
    EXPECT_EQ(count("sessions"), 1);
}

// -- Rotation.

TEST_P(SqliteGrantStore, LiveRefreshTokenRotates) {
    Family family = start_family();
    clock_.advance(100);
    core::RefreshToken successor = refresh_token();
    core::AccessToken access = session_access();
    auto rotated = rotate(family.refresh.id, clock_.now() - 30, successor, access);
    ASSERT_TRUE(rotated.has_value()) << rotated.error().log_detail;
    EXPECT_EQ(*rotated, Rotation::rotated);

    auto spent = store_->find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(spent.has_value());
    EXPECT_EQ(spent->spent_at, clock_.now());
    EXPECT_EQ(spent->successor_id, successor.id);
    auto issued = store_->find_refresh_token(successor.digest);
    ASSERT_TRUE(issued.has_value()) << issued.error().log_detail;
    successor.session_id = family.session.id;
    expect_same_refresh(*issued, successor);
    EXPECT_EQ(store_->find_access_token(access.digest)->session_id, family.session.id);
    EXPECT_TRUE(store_->find_access_token(family.access.digest).has_value());
    auto session = store_->find_session(family.session.id);
    ASSERT_TRUE(session.has_value());
    EXPECT_EQ(session->updated_at, clock_.now());
    EXPECT_EQ(session->created_at, family.session.created_at);
}

TEST_P(SqliteGrantStore, SpentWithinGraceWithAnUnusedSuccessorIsReissued) {
    Family family = start_family();
    const Timestamp spent_at = clock_.now();
    core::RefreshToken lost = refresh_token();  // the response that never arrived
    core::AccessToken lost_access = session_access();
    ASSERT_EQ(rotate(family.refresh.id, spent_at - 30, lost, lost_access).value(),
              Rotation::rotated);
    clock_.advance(10);

    core::RefreshToken successor = refresh_token();
    core::AccessToken access = session_access();
    // Spent exactly at grace_since still counts as within the grace window.
    auto reissued = rotate(family.refresh.id, spent_at, successor, access);
    ASSERT_TRUE(reissued.has_value()) << reissued.error().log_detail;
    EXPECT_EQ(*reissued, Rotation::reissued);

    auto old_successor = store_->find_refresh_token(lost.digest);
    ASSERT_FALSE(old_successor.has_value());
    EXPECT_EQ(old_successor.error().code, Code::not_found);
    EXPECT_EQ(old_successor.error().subject, "token");
    auto presented = store_->find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(presented.has_value());
    EXPECT_EQ(presented->spent_at, spent_at);  // unchanged
    EXPECT_EQ(presented->successor_id, successor.id);
    auto issued = store_->find_refresh_token(successor.digest);
    ASSERT_TRUE(issued.has_value());
    EXPECT_EQ(issued->session_id, family.session.id);
    EXPECT_EQ(issued->spent_at, std::nullopt);
    EXPECT_EQ(store_->find_access_token(access.digest)->session_id, family.session.id);
    EXPECT_EQ(store_->find_session(family.session.id)->updated_at, clock_.now());
    EXPECT_EQ(count("refresh_tokens"), 2);
    EXPECT_EQ(count("access_tokens"), 3);
}

TEST_P(SqliteGrantStore, SpentBeforeGraceSinceIsReuseAndDeletesTheSession) {
    Family family = start_family();
    Family bystander = start_family();
    const Timestamp spent_at = clock_.now();
    core::RefreshToken successor = refresh_token();
    ASSERT_EQ(rotate(family.refresh.id, spent_at, successor, session_access()).value(),
              Rotation::rotated);
    clock_.advance(60);

    core::RefreshToken attempt = refresh_token();
    core::AccessToken attempt_access = session_access();
    auto reused = rotate(family.refresh.id, spent_at + 1, attempt, attempt_access);
    ASSERT_TRUE(reused.has_value()) << reused.error().log_detail;
    EXPECT_EQ(*reused, Rotation::reused);

    expect_gone(family);  // committed although no token was issued
    EXPECT_FALSE(store_->find_refresh_token(successor.digest).has_value());
    EXPECT_FALSE(store_->find_refresh_token(attempt.digest).has_value());
    EXPECT_FALSE(store_->find_access_token(attempt_access.digest).has_value());
    EXPECT_TRUE(store_->find_session(bystander.session.id).has_value());
    EXPECT_EQ(tokens_of(bystander.session), 2);
    EXPECT_TRUE(store_->find_authorization(authorization_.id).has_value());
}

TEST_P(SqliteGrantStore, SpentWithinGraceAfterTheSuccessorWasUsedIsReuse) {
    Family family = start_family();
    const Timestamp spent_at = clock_.now();
    core::RefreshToken second = refresh_token();
    core::RefreshToken third = refresh_token();
    ASSERT_EQ(rotate(family.refresh.id, spent_at, second, session_access()).value(),
              Rotation::rotated);
    ASSERT_EQ(rotate(second.id, spent_at, third, session_access()).value(), Rotation::rotated);

    auto reused = rotate(family.refresh.id, spent_at, refresh_token(), session_access());
    ASSERT_TRUE(reused.has_value()) << reused.error().log_detail;
    EXPECT_EQ(*reused, Rotation::reused);
    expect_gone(family);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(SqliteGrantStore, RotatingAnUnknownOrRevokedTokenIsGoneAndWritesNothing) {
    Family family = start_family();
    auto never = rotate(new_id(), clock_.now(), refresh_token(), session_access());
    ASSERT_TRUE(never.has_value()) << never.error().log_detail;
    EXPECT_EQ(*never, Rotation::gone);
    EXPECT_EQ(count("refresh_tokens"), 1);
    EXPECT_EQ(count("access_tokens"), 1);

    ASSERT_TRUE(store_->delete_session(family.session.id).value());
    auto revoked = rotate(family.refresh.id, clock_.now(), refresh_token(), session_access());
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_EQ(*revoked, Rotation::gone);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(SqliteGrantStore, RotationConflictWritesNothing) {
    Family family = start_family();
    Family other = start_family();
    core::RefreshToken duplicate = refresh_token();
    duplicate.digest = other.refresh.digest;
    core::AccessToken duplicate_access = session_access();
    duplicate_access.id = other.access.id;
    clock_.advance(5);

    for (const auto& [successor, access] :
         {std::pair{duplicate, session_access()}, std::pair{refresh_token(), duplicate_access}}) {
        auto rotated = rotate(family.refresh.id, clock_.now(), successor, access);
        ASSERT_FALSE(rotated.has_value());
        EXPECT_EQ(rotated.error().code, Code::conflict);
        auto presented = store_->find_refresh_token(family.refresh.digest);
        ASSERT_TRUE(presented.has_value());
        EXPECT_EQ(presented->spent_at, std::nullopt);
        EXPECT_EQ(presented->successor_id, std::nullopt);
        EXPECT_EQ(store_->find_session(family.session.id)->updated_at, family.session.updated_at);
        EXPECT_EQ(count("refresh_tokens"), 2);
        EXPECT_EQ(count("access_tokens"), 2);
    }
}

// -- Sessions.

TEST_P(SqliteGrantStore, AddSessionAccessTokenTouchesALiveSessionOnly) {
    Family family = start_family();
    clock_.advance(20);
    core::AccessToken access = session_access(family.session.id);
    auto added = store_->add_session_access_token(access, clock_.now());
    ASSERT_TRUE(added.has_value()) << added.error().log_detail;
    EXPECT_TRUE(*added);
    auto found = store_->find_access_token(access.digest);
    ASSERT_TRUE(found.has_value());
    expect_same_token(*found, access);
    EXPECT_EQ(found->session_id, family.session.id);
    EXPECT_EQ(store_->find_session(family.session.id)->updated_at, clock_.now());

    ASSERT_TRUE(store_->delete_session(family.session.id).value());
    core::AccessToken late = session_access(family.session.id);
    auto refused = store_->add_session_access_token(late, clock_.now());
    ASSERT_TRUE(refused.has_value()) << refused.error().log_detail;
    EXPECT_FALSE(*refused);
    EXPECT_FALSE(store_->find_access_token(late.digest).has_value());

    auto sessionless = store_->add_session_access_token(session_access(), clock_.now());
    ASSERT_FALSE(sessionless.has_value());
    EXPECT_EQ(sessionless.error().code, Code::internal);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(SqliteGrantStore, AddSessionAccessTokenConflictWritesNothing) {
    Family family = start_family();
    clock_.advance(20);
    core::AccessToken duplicate = session_access(family.session.id);
    duplicate.digest = family.access.digest;
    auto added = store_->add_session_access_token(duplicate, clock_.now());
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code, Code::conflict);
    EXPECT_EQ(store_->find_session(family.session.id)->updated_at, family.session.updated_at);
}

TEST_P(SqliteGrantStore, DeleteSessionDeletesItsTokensOnly) {
    Family doomed = start_family();
    Family kept = start_family();
    auto [direct, direct_token] = create_authorization(user_, std::nullopt);
    core::AccessToken standalone = standalone_token_for(client_.id);
    ASSERT_TRUE(store_->create_access_token(standalone).has_value());

    auto deleted = store_->delete_session(doomed.session.id);
    ASSERT_TRUE(deleted.has_value()) << deleted.error().log_detail;
    EXPECT_TRUE(*deleted);
    expect_gone(doomed);
    auto again = store_->delete_session(doomed.session.id);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);

    EXPECT_EQ(tokens_of(kept.session), 2);
    EXPECT_TRUE(store_->find_access_token(direct_token.digest).has_value());
    EXPECT_TRUE(store_->find_access_token(standalone.digest).has_value());
    EXPECT_TRUE(store_->find_authorization(authorization_.id).has_value());
    EXPECT_EQ(count("authorization_codes"), 2);
}

TEST_P(SqliteGrantStore, FindSessionOfAnUnknownIdIsNotFound) {
    auto missing = store_->find_session(new_id());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "session");
    auto token = store_->find_refresh_token(new_digest());
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error().code, Code::not_found);
    EXPECT_EQ(token.error().subject, "token");
}

TEST_P(SqliteGrantStore, SessionsArePagedByIdForTheirUserOnly) {
    std::vector<Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(start_family().session.id);
    std::sort(ids.begin(), ids.end());  // Id orders by its bytes, as the column does
    core::User bob = create_user("bob@example.com");
    core::Authorization bobs = client_authorization_for(bob, client_.id);
    ASSERT_TRUE(store_->create_client_authorization(bobs).has_value());
    core::Session theirs = session_for(bobs);
    core::AuthorizationCode code = code_for(bobs);
    ASSERT_TRUE(store_->create_code(code).has_value());
    core::AccessToken access = session_access();
    access.authorization_id = bobs.id;
    access.user_id = bob.id;
    ASSERT_TRUE(store_->redeem_code(code.id, clock_.now(), theirs, std::nullopt, access).value());

    std::vector<Id> seen;
    core::PageQuery query;
    query.max = 2;
    for (int pages = 0; pages < 10; ++pages) {
        auto page = store_->list_sessions_by_user(user_.id, query);
        ASSERT_TRUE(page.has_value()) << page.error().log_detail;
        for (const auto& session : page->items) {
            EXPECT_EQ(session.user_id, user_.id);
            seen.push_back(session.id);
        }
        if (!page->has_more) break;
        ASSERT_EQ(page->items.size(), 2u);
        query.start = page->items.back().id.uuid();
        query.start_exclusive = true;
    }
    EXPECT_EQ(seen, ids);

    core::PageQuery descending;
    descending.descending = true;
    descending.start = ids[3].uuid();
    descending.end = ids[1].uuid();
    descending.end_exclusive = true;
    auto page = store_->list_sessions_by_user(user_.id, descending);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].id, ids[3]);
    EXPECT_EQ(page->items[1].id, ids[2]);
    EXPECT_FALSE(page->has_more);

    auto bobs_page = store_->list_sessions_by_user(bob.id, core::PageQuery{});
    ASSERT_TRUE(bobs_page.has_value());
    ASSERT_EQ(bobs_page->items.size(), 1u);
    expect_same_session(bobs_page->items[0], theirs);

    core::PageQuery bad;
    bad.start = "not-an-id";
    auto rejected = store_->list_sessions_by_user(user_.id, bad);
    ASSERT_FALSE(rejected.has_value());
    EXPECT_EQ(rejected.error().code, Code::invalid_request);
}

TEST_P(SqliteGrantStore, LatestSessionIsTheNewestWithItsUnspentRefreshToken) {
    auto none = store_->find_latest_session(authorization_.id);
    ASSERT_TRUE(none.has_value()) << none.error().log_detail;
    EXPECT_FALSE(none->has_value());
    EXPECT_FALSE(store_->find_latest_session(new_id())->has_value());

    Family older = start_family();
    clock_.advance(10);
    Family newer = start_family();
    clock_.advance(10);
    // A session of another authorization of the same user and client.
    core::Authorization other = client_authorization_for(user_, client_.id);
    ASSERT_TRUE(store_->create_client_authorization(other).has_value());
    core::AuthorizationCode others_code = code_for(other);
    ASSERT_TRUE(store_->create_code(others_code).has_value());
    core::AccessToken others_access = session_access();
    others_access.authorization_id = other.id;
    ASSERT_TRUE(store_
                    ->redeem_code(others_code.id, clock_.now(), session_for(other), std::nullopt,
                                  others_access)
                    .value());

    auto latest = store_->find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value()) << latest.error().log_detail;
    ASSERT_TRUE(latest->has_value());
    expect_same_session((*latest)->session, newer.session);
    ASSERT_TRUE((*latest)->refresh_token.has_value());
    expect_same_refresh(*(*latest)->refresh_token, newer.refresh);

    // After a rotation the successor continues the session.
    clock_.advance(5);
    core::RefreshToken successor = refresh_token();
    ASSERT_EQ(rotate(newer.refresh.id, clock_.now(), successor, session_access()).value(),
              Rotation::rotated);
    latest = store_->find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->refresh_token->id, successor.id);

    // A session without a refresh token has none to show.
    auto others = store_->find_latest_session(other.id);
    ASSERT_TRUE(others.has_value() && others->has_value());
    EXPECT_EQ((*others)->session.authorization_id, other.id);
    EXPECT_FALSE((*others)->refresh_token.has_value());

    // With the newest gone, the older one is the latest.
    ASSERT_TRUE(store_->delete_session(newer.session.id).value());
    latest = store_->find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->session.id, older.session.id);
}

TEST_P(SqliteGrantStore, DeletingTheAuthorizationDeletesItsCodesSessionsAndTokens) {
    Family family = start_family();
    core::AuthorizationCode pending = create_code();
    core::Authorization other = client_authorization_for(user_, client_.id);
    ASSERT_TRUE(store_->create_client_authorization(other).has_value());
    core::AuthorizationCode others_code = code_for(other);
    ASSERT_TRUE(store_->create_code(others_code).has_value());

    ASSERT_TRUE(store_->delete_authorization(authorization_.id).has_value());
    expect_gone(family);
    EXPECT_FALSE(store_->find_code(pending.digest).has_value());
    EXPECT_TRUE(store_->find_code(others_code.digest).has_value());
    EXPECT_EQ(count("authorization_codes"), 1);
    EXPECT_EQ(count("sessions"), 0);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(SqliteGrantStore, DeletingTheClientDeletesItsGrants) {
    Family family = start_family();
    ASSERT_TRUE(store_->delete_client(client_.id).has_value());
    expect_gone(family);
    EXPECT_EQ(count("authorizations"), 0);
    EXPECT_EQ(count("authorization_codes"), 0);
}

// -- Browser sign-ins.

TEST_P(SqliteGrantStore, BrowserSessionIsFoundByDigestUntilDeleted) {
    core::BrowserSession session{new_id(),         new_digest(),         user_.id,
                                 clock_.now() - 5, clock_.now() + 86400, clock_.now()};
    ASSERT_TRUE(store_->create_browser_session(session).has_value());
    auto found = store_->find_browser_session(session.digest);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    EXPECT_EQ(found->id, session.id);
    EXPECT_EQ(found->digest, session.digest);
    EXPECT_EQ(found->user_id, user_.id);
    EXPECT_EQ(found->auth_time, session.auth_time);
    EXPECT_EQ(found->expires_at, session.expires_at);
    EXPECT_EQ(found->created_at, session.created_at);

    core::BrowserSession same_id = session;
    same_id.digest = new_digest();
    core::BrowserSession same_digest = session;
    same_digest.id = new_id();
    for (const auto* duplicate : {&same_id, &same_digest}) {
        auto created = store_->create_browser_session(*duplicate);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }

    ASSERT_TRUE(store_->delete_browser_session(session.digest).has_value());
    auto gone = store_->find_browser_session(session.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(gone.error().subject, "session");
    EXPECT_TRUE(store_->delete_browser_session(session.digest).has_value());
    EXPECT_EQ(count("browser_sessions"), 0);
}

// -- The janitor.

TEST_P(SqliteGrantStore, PurgeDeletesExpiredGrantsUpToTheLimitOfEachKind) {
    const Timestamp now = clock_.now();
    std::vector<core::AuthorizationCode> kept_codes;
    for (Timestamp expires_at : {now - 30, now - 20, now - 10, now, now + 60}) {
        core::AuthorizationCode code = code_for(authorization_);
        code.expires_at = expires_at;
        ASSERT_TRUE(store_->create_code(code).has_value());
        if (expires_at >= now) kept_codes.push_back(code);
    }
    // A consumed code is kept until it expires.
    core::AuthorizationCode consumed = code_for(authorization_);
    consumed.expires_at = now + 5;
    ASSERT_TRUE(store_->create_code(consumed).has_value());
    Family redeemed = redeem(consumed);
    kept_codes.push_back(consumed);

    std::vector<Family> expired_families;
    for (std::optional<Timestamp> expires_at :
         std::initializer_list<std::optional<Timestamp>>{now - 30, now - 10, now, std::nullopt}) {
        Family family = start_family();
        auto set = database_->transaction([&](Connection& c) -> Result<void> {
            TESSERA_TRY_ASSIGN(Statement s,
                               c.prepare("UPDATE sessions SET expires_at = ?2 WHERE id = ?1"));
            s.bind_id(1, family.session.id).bind_optional_int(2, expires_at);
            return s.run();
        });
        ASSERT_TRUE(set.has_value()) << set.error().log_detail;
        if (expires_at) expired_families.push_back(family);
    }
    for (Timestamp expires_at : {now - 30, now - 10, now, now + 1}) {
        core::BrowserSession browser{new_id(),  new_digest(), user_.id,
                                     now - 100, expires_at,   now - 100};
        ASSERT_TRUE(store_->create_browser_session(browser).has_value());
    }
    ASSERT_EQ(count("authorization_codes"), 6 + 4);  // and one code per started family
    ASSERT_EQ(count("sessions"), 5);

    auto none = store_->purge_expired_grants(now, 0);
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(*none, 0);
    EXPECT_EQ(count("sessions"), 5);

    auto first = store_->purge_expired_grants(now, 2);
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_EQ(*first, 6);
    auto second = store_->purge_expired_grants(now, 2);
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    EXPECT_EQ(*second, 1 + 1 + 1);
    auto third = store_->purge_expired_grants(now, 2);
    ASSERT_TRUE(third.has_value());
    EXPECT_EQ(*third, 0);

    // Codes made now (the families') expire at now + 60 and survive too.
    EXPECT_EQ(count("authorization_codes"), static_cast<std::int64_t>(kept_codes.size()) + 4);
    for (const auto& code : kept_codes) EXPECT_TRUE(store_->find_code(code.digest).has_value());
    for (const auto& family : expired_families) expect_gone(family);
    EXPECT_EQ(count("sessions"), 2);  // the never-expiring one and `redeemed`
    EXPECT_TRUE(store_->find_session(redeemed.session.id).has_value());
    EXPECT_EQ(count("browser_sessions"), 1);
    EXPECT_EQ(query_int("SELECT expires_at FROM browser_sessions"), now + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteGrantStore, kBothBackends, backend_name);

// -- Races, on a file: each thread runs on its own Database (its own
// connections, as two server processes would) or both share one.

class SqliteGrantStoreRace : public SqliteGrantStore {
protected:
    // Runs `fn(store, i)` for i = 0, 1 on two threads started together.
    template <typename F>
    void race(bool separate_databases, F fn) {
        std::unique_ptr<Database> second;
        std::unique_ptr<SqliteStore> second_store;
        if (separate_databases) {
            auto opened = Database::open(path_);
            ASSERT_TRUE(opened.has_value()) << opened.error().log_detail;
            second = std::move(opened).value();
            second_store = std::make_unique<SqliteStore>(*second);
        }
        SqliteStore* stores[] = {store_.get(), second_store ? second_store.get() : store_.get()};
        std::latch start(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                fn(*stores[i], i);
            });
        }
        for (auto& thread : threads) thread.join();
    }
};

TEST_P(SqliteGrantStoreRace, ConcurrentRedeemsOfOneCodeHaveOneWinner) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            core::AuthorizationCode code = create_code();
            Family families[2] = {{session_for(authorization_), refresh_token(), session_access()},
                                  {session_for(authorization_), refresh_token(), session_access()}};
            Result<bool> results[2] = {false, false};
            race(separate, [&](SqliteStore& store, int i) {
                results[i] = store.redeem_code(code.id, clock_.now(), families[i].session,
                                               families[i].refresh, families[i].access);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            ASSERT_NE(*results[0], *results[1]) << "exactly one exchange wins";
            const Family& winner = families[*results[0] ? 0 : 1];
            const Family& loser = families[*results[0] ? 1 : 0];
            EXPECT_EQ(store_->find_code(code.digest)->session_id, winner.session.id);
            EXPECT_TRUE(store_->find_session(winner.session.id).has_value());
            EXPECT_FALSE(store_->find_session(loser.session.id).has_value());
            EXPECT_FALSE(store_->find_refresh_token(loser.refresh.digest).has_value());
            EXPECT_FALSE(store_->find_access_token(loser.access.digest).has_value());
        }
    }
    EXPECT_EQ(count("sessions"), 20);
    EXPECT_EQ(count("access_tokens"), 20);
}

// Both present the same live token at the same `now`. The first to commit
// rotates it, so the second finds it spent at `now`. With grace_since <= now
// that is within the grace window and the winner's successor is still unused
// (nobody has seen it yet), so the loser is reissued: the winner's successor
// is deleted and the loser's is the one that stays.
TEST_P(SqliteGrantStoreRace, ConcurrentRotationsWithinGraceRotateThenReissue) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            Family family = start_family();
            core::RefreshToken successors[2] = {refresh_token(), refresh_token()};
            core::AccessToken accesses[2] = {session_access(), session_access()};
            Result<Rotation> results[2] = {Rotation::gone, Rotation::gone};
            race(separate, [&](SqliteStore& store, int i) {
                results[i] = store.rotate_refresh_token(
                    family.refresh.id, clock_.now(), clock_.now() - 30, successors[i], accesses[i]);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            std::vector<Rotation> outcomes = {*results[0], *results[1]};
            std::sort(outcomes.begin(), outcomes.end());
            ASSERT_EQ(outcomes, (std::vector<Rotation>{Rotation::rotated, Rotation::reissued}));
            int loser = *results[0] == Rotation::reissued ? 0 : 1;
            EXPECT_EQ(store_->find_refresh_token(family.refresh.digest)->successor_id,
                      successors[loser].id);
            EXPECT_TRUE(store_->find_refresh_token(successors[loser].digest).has_value());
            EXPECT_FALSE(store_->find_refresh_token(successors[1 - loser].digest).has_value());
            // The presented token and the loser's successor; the first access
            // token and both racers' (access tokens outlive a reissue).
            EXPECT_EQ(tokens_of(family.session), 2 + 3);
            EXPECT_TRUE(store_->find_access_token(accesses[0].digest).has_value());
            EXPECT_TRUE(store_->find_access_token(accesses[1].digest).has_value());
        }
    }
}

// As above, with no grace window at all (grace_since after `now`): the loser
// finds the token spent before grace_since, which is reuse, and the whole
// session dies, the winner's fresh tokens with it.
TEST_P(SqliteGrantStoreRace, ConcurrentRotationsWithoutGraceRotateThenRevoke) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            Family family = start_family();
            core::RefreshToken successors[2] = {refresh_token(), refresh_token()};
            core::AccessToken accesses[2] = {session_access(), session_access()};
            Result<Rotation> results[2] = {Rotation::gone, Rotation::gone};
            race(separate, [&](SqliteStore& store, int i) {
                results[i] = store.rotate_refresh_token(
                    family.refresh.id, clock_.now(), clock_.now() + 1, successors[i], accesses[i]);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            std::vector<Rotation> outcomes = {*results[0], *results[1]};
            std::sort(outcomes.begin(), outcomes.end());
            ASSERT_EQ(outcomes, (std::vector<Rotation>{Rotation::rotated, Rotation::reused}));
            expect_gone(family);
            for (const auto& successor : successors) {
                EXPECT_FALSE(store_->find_refresh_token(successor.digest).has_value());
            }
        }
    }
    EXPECT_EQ(count("sessions"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

INSTANTIATE_TEST_SUITE_P(File, SqliteGrantStoreRace, ::testing::Values(Backend::file),
                         backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
