// core::GrantStore on every backend: standing grants, codes, rotation,
// sessions, browser sign-ins and the janitor (races: grant_race_test.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "grant_conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

using core::Rotation;

// -- Standing grants.

TEST_P(GrantStoreConformance, ClientAuthorizationsAreTheUsersForThatClientOldestFirst) {
    core::Client other_client = create_client(user_, "Other");
    core::User bob = create_user("bob@example.com");
    clock_.advance(10);
    core::Authorization newer = client_authorization_for(user_, client_.id);
    core::Authorization older = client_authorization_for(user_, client_.id);
    older.created_at = authorization_.created_at - 5;
    older.declined_scope = {"write"};
    core::Authorization elsewhere = client_authorization_for(user_, other_client.id);
    core::Authorization bobs = client_authorization_for(bob, client_.id);
    for (const auto* authorization : {&newer, &older, &elsewhere, &bobs}) {
        auto created = grants().create_client_authorization(*authorization);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;
    }
    create_authorization(user_, std::nullopt);  // a direct one, with its token

    auto found = grants().find_client_authorizations(user_.id, client_.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    ASSERT_EQ(found->size(), 3u);
    expect_same_authorization((*found)[0], older);
    expect_same_authorization((*found)[1], authorization_);
    expect_same_authorization((*found)[2], newer);

    auto none = grants().find_client_authorizations(bob.id, other_client.id);
    ASSERT_TRUE(none.has_value()) << none.error().log_detail;
    EXPECT_TRUE(none->empty());
    // No access token comes with a standing grant.
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(GrantStoreConformance, CreateClientAuthorizationRejectsDuplicatesAndUnknownRows) {
    core::Authorization same_id = client_authorization_for(user_, client_.id);
    same_id.id = authorization_.id;
    auto duplicate = grants().create_client_authorization(same_id);
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().code, Code::conflict);

    core::Authorization ghost_client = client_authorization_for(user_, new_id());
    core::Authorization ghost_user = client_authorization_for(user_, client_.id);
    ghost_user.user_id = new_id();
    for (const auto* authorization : {&ghost_client, &ghost_user}) {
        auto created = grants().create_client_authorization(*authorization);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("authorizations"), 1);
}

TEST_P(GrantStoreConformance, UpdateAuthorizationScopeSetsScopeDeclinedAndUpdatedAtOnly) {
    auto updated = grants().update_authorization_scope(authorization_.id, {"global", "identity"},
                                                       {"write"}, 99);
    ASSERT_TRUE(updated.has_value()) << updated.error().log_detail;
    auto found = authorizations().find_authorization(authorization_.id);
    ASSERT_TRUE(found.has_value());
    core::Authorization expected = authorization_;
    expected.scope = {"global", "identity"};
    expected.declined_scope = {"write"};
    expected.updated_at = 99;
    expect_same_authorization(*found, expected);

    ASSERT_TRUE(grants().update_authorization_scope(authorization_.id, {}, {}, 100));
    found = authorizations().find_authorization(authorization_.id);
    EXPECT_TRUE(found->scope.empty());
    EXPECT_TRUE(found->declined_scope.empty());

    auto missing = grants().update_authorization_scope(new_id(), {"global"}, {}, 100);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "authorization");
}

// -- Codes.

TEST_P(GrantStoreConformance, CodeIsFoundByDigestWithEveryField) {
    core::AuthorizationCode full = create_code();
    core::AuthorizationCode bare = code_for(authorization_);
    bare.redirect_uri = bare.code_challenge = bare.nonce = "";
    bare.scope = {};
    ASSERT_TRUE(grants().create_code(bare).has_value());

    for (const auto* code : {&full, &bare}) {
        auto found = grants().find_code(code->digest);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_code(*found, *code);
    }
    auto missing = grants().find_code(new_digest());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "grant");
}

TEST_P(GrantStoreConformance, CreateCodeRejectsDuplicatesAndUnknownRows) {
    core::AuthorizationCode first = create_code();
    core::AuthorizationCode same_id = code_for(authorization_);
    same_id.id = first.id;
    core::AuthorizationCode same_digest = code_for(authorization_);
    same_digest.digest = first.digest;
    for (const auto* code : {&same_id, &same_digest}) {
        auto created = grants().create_code(*code);
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
        auto created = grants().create_code(*code);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("authorization_codes"), 1);
}

TEST_P(GrantStoreConformance, RedeemConsumesTheCodeAndStartsTheSession) {
    core::AuthorizationCode code = create_code();
    clock_.advance(5);
    Family family = redeem(code);

    auto consumed = grants().find_code(code.digest);
    ASSERT_TRUE(consumed.has_value());
    code.consumed_at = clock_.now();
    code.session_id = family.session.id;
    expect_same_code(*consumed, code);

    auto session = grants().find_session(family.session.id);
    ASSERT_TRUE(session.has_value()) << session.error().log_detail;
    expect_same_session(*session, family.session);
    auto refresh = grants().find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(refresh.has_value()) << refresh.error().log_detail;
    expect_same_refresh(*refresh, family.refresh);
    auto access = authorizations().find_access_token(family.access.digest);
    ASSERT_TRUE(access.has_value()) << access.error().log_detail;
    expect_same_token(*access, family.access);
    auto by_id = tokens().find_access_token_by_id(family.access.id);
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->session_id, family.session.id);
    auto listed = authorizations().list_access_tokens(authorization_.id);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].session_id, family.session.id);
}

TEST_P(GrantStoreConformance, RedeemStoresTheTokensInTheSessionWhateverTheyName) {
    core::AuthorizationCode code = create_code();
    core::Session session = session_for(authorization_);
    core::RefreshToken refresh = refresh_token();
    refresh.session_id = new_id();
    core::AccessToken access = session_access(new_id());
    ASSERT_TRUE(grants().redeem_code(code.id, clock_.now(), session, refresh, access).value());
    EXPECT_EQ(grants().find_refresh_token(refresh.digest)->session_id, session.id);
    EXPECT_EQ(authorizations().find_access_token(access.digest)->session_id, session.id);
}

TEST_P(GrantStoreConformance, RedeemWithoutARefreshTokenStartsASessionWithNone) {
    core::AuthorizationCode code = create_code();
    core::Session session = session_for(authorization_);
    session.expires_at = std::nullopt;
    core::AccessToken access = session_access();
    auto redeemed = grants().redeem_code(code.id, clock_.now(), session, std::nullopt, access);
    ASSERT_TRUE(redeemed.has_value()) << redeemed.error().log_detail;
    EXPECT_TRUE(*redeemed);
    auto found = grants().find_session(session.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->expires_at, std::nullopt);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(authorizations().find_access_token(access.digest)->session_id, session.id);
}

TEST_P(GrantStoreConformance, RedeemingTwiceReturnsFalseAndWritesNothing) {
    core::AuthorizationCode code = create_code();
    Family first = redeem(code);
    clock_.advance(1);

    core::Session second = session_for(authorization_);
    core::RefreshToken refresh = refresh_token();
    core::AccessToken access = session_access();
    auto again = grants().redeem_code(code.id, clock_.now(), second, refresh, access);
    ASSERT_TRUE(again.has_value()) << again.error().log_detail;
    EXPECT_FALSE(*again);
    auto unknown = grants().redeem_code(new_id(), clock_.now(), second, refresh, access);
    ASSERT_TRUE(unknown.has_value()) << unknown.error().log_detail;
    EXPECT_FALSE(*unknown);

    auto found = grants().find_code(code.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->consumed_at, clock_.now() - 1);
    EXPECT_EQ(found->session_id, first.session.id);
    EXPECT_FALSE(grants().find_session(second.id).has_value());
    EXPECT_EQ(count("sessions"), 1);
    EXPECT_EQ(count("refresh_tokens"), 1);
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(GrantStoreConformance, RedeemConflictWritesNothingAndLeavesTheCodeRedeemable) {
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
        auto redeemed = grants().redeem_code(code.id, clock_.now(), c.session, c.refresh, c.access);
        ASSERT_FALSE(redeemed.has_value());
        EXPECT_EQ(redeemed.error().code, Code::conflict);
        auto found = grants().find_code(code.digest);
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

TEST_P(GrantStoreConformance, RevokeCodeSessionDeletesThatSessionWithEveryToken) {
    core::AuthorizationCode code = create_code();
    Family replayed = redeem(code);
    core::AccessToken later = session_access(replayed.session.id);
    ASSERT_TRUE(grants().add_session_access_token(later, clock_.now()).value());
    core::RefreshToken successor = refresh_token();
    ASSERT_EQ(rotate(replayed.refresh.id, clock_.now(), successor, session_access()).value(),
              Rotation::rotated);
    ASSERT_EQ(tokens_of(replayed.session), 5);
    Family bystander = start_family();
    core::AuthorizationCode unredeemed = create_code();

    auto revoked = grants().revoke_code_session(code.id);
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_TRUE(*revoked);
    expect_gone(replayed);
    EXPECT_FALSE(authorizations().find_access_token(later.digest).has_value());
    EXPECT_FALSE(grants().find_refresh_token(successor.digest).has_value());
    // The code stays, consumed, so a further replay is still recognised.
    EXPECT_EQ(grants().find_code(code.digest)->session_id, replayed.session.id);
    EXPECT_TRUE(grants().find_session(bystander.session.id).has_value());
    EXPECT_EQ(tokens_of(bystander.session), 2);

    for (const Id& id : {code.id, unredeemed.id, new_id()}) {
        auto again = grants().revoke_code_session(id);
        ASSERT_TRUE(again.has_value()) << again.error().log_detail;
        EXPECT_FALSE(*again);
    }
    EXPECT_EQ(count("sessions"), 1);
}

// -- Rotation.

TEST_P(GrantStoreConformance, LiveRefreshTokenRotates) {
    Family family = start_family();
    clock_.advance(100);
    core::RefreshToken successor = refresh_token();
    core::AccessToken access = session_access();
    auto rotated = rotate(family.refresh.id, clock_.now() - 30, successor, access);
    ASSERT_TRUE(rotated.has_value()) << rotated.error().log_detail;
    EXPECT_EQ(*rotated, Rotation::rotated);

    auto spent = grants().find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(spent.has_value());
    EXPECT_EQ(spent->spent_at, clock_.now());
    EXPECT_EQ(spent->successor_id, successor.id);
    auto issued = grants().find_refresh_token(successor.digest);
    ASSERT_TRUE(issued.has_value()) << issued.error().log_detail;
    successor.session_id = family.session.id;
    expect_same_refresh(*issued, successor);
    EXPECT_EQ(authorizations().find_access_token(access.digest)->session_id, family.session.id);
    EXPECT_TRUE(authorizations().find_access_token(family.access.digest).has_value());
    auto session = grants().find_session(family.session.id);
    ASSERT_TRUE(session.has_value());
    EXPECT_EQ(session->updated_at, clock_.now());
    EXPECT_EQ(session->created_at, family.session.created_at);
}

TEST_P(GrantStoreConformance, SpentWithinGraceWithAnUnusedSuccessorIsReissued) {
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

    auto old_successor = grants().find_refresh_token(lost.digest);
    ASSERT_FALSE(old_successor.has_value());
    EXPECT_EQ(old_successor.error().code, Code::not_found);
    EXPECT_EQ(old_successor.error().subject, "token");
    auto presented = grants().find_refresh_token(family.refresh.digest);
    ASSERT_TRUE(presented.has_value());
    EXPECT_EQ(presented->spent_at, spent_at);  // unchanged
    EXPECT_EQ(presented->successor_id, successor.id);
    auto issued = grants().find_refresh_token(successor.digest);
    ASSERT_TRUE(issued.has_value());
    EXPECT_EQ(issued->session_id, family.session.id);
    EXPECT_EQ(issued->spent_at, std::nullopt);
    EXPECT_EQ(authorizations().find_access_token(access.digest)->session_id, family.session.id);
    EXPECT_EQ(grants().find_session(family.session.id)->updated_at, clock_.now());
    EXPECT_EQ(count("refresh_tokens"), 2);
    EXPECT_EQ(count("access_tokens"), 3);
}

TEST_P(GrantStoreConformance, SpentBeforeGraceSinceIsReuseAndDeletesTheSession) {
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
    EXPECT_FALSE(grants().find_refresh_token(successor.digest).has_value());
    EXPECT_FALSE(grants().find_refresh_token(attempt.digest).has_value());
    EXPECT_FALSE(authorizations().find_access_token(attempt_access.digest).has_value());
    EXPECT_TRUE(grants().find_session(bystander.session.id).has_value());
    EXPECT_EQ(tokens_of(bystander.session), 2);
    EXPECT_TRUE(authorizations().find_authorization(authorization_.id).has_value());
}

TEST_P(GrantStoreConformance, SpentWithinGraceAfterTheSuccessorWasUsedIsReuse) {
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

TEST_P(GrantStoreConformance, ASpentTokenWhoseSuccessorRowIsMissingIsReuse) {
    Family family = start_family();
    const Timestamp spent_at = clock_.now();
    core::RefreshToken successor = refresh_token();
    ASSERT_EQ(rotate(family.refresh.id, spent_at, successor, session_access()).value(),
              Rotation::rotated);
    execute("DELETE FROM refresh_tokens WHERE id = " + id_literal(successor.id));
    auto reused = rotate(family.refresh.id, spent_at, refresh_token(), session_access());
    ASSERT_TRUE(reused.has_value()) << reused.error().log_detail;
    EXPECT_EQ(*reused, Rotation::reused);
    expect_gone(family);
}

TEST_P(GrantStoreConformance, RotatingAnUnknownOrRevokedTokenIsGoneAndWritesNothing) {
    Family family = start_family();
    auto never = rotate(new_id(), clock_.now(), refresh_token(), session_access());
    ASSERT_TRUE(never.has_value()) << never.error().log_detail;
    EXPECT_EQ(*never, Rotation::gone);
    EXPECT_EQ(count("refresh_tokens"), 1);
    EXPECT_EQ(count("access_tokens"), 1);

    ASSERT_TRUE(grants().delete_session(family.session.id).value());
    auto revoked = rotate(family.refresh.id, clock_.now(), refresh_token(), session_access());
    ASSERT_TRUE(revoked.has_value()) << revoked.error().log_detail;
    EXPECT_EQ(*revoked, Rotation::gone);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(GrantStoreConformance, RotationConflictWritesNothing) {
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
        auto presented = grants().find_refresh_token(family.refresh.digest);
        ASSERT_TRUE(presented.has_value());
        EXPECT_EQ(presented->spent_at, std::nullopt);
        EXPECT_EQ(presented->successor_id, std::nullopt);
        EXPECT_EQ(grants().find_session(family.session.id)->updated_at, family.session.updated_at);
        EXPECT_EQ(count("refresh_tokens"), 2);
        EXPECT_EQ(count("access_tokens"), 2);
    }
}

// -- Sessions.

TEST_P(GrantStoreConformance, AddSessionAccessTokenTouchesALiveSessionOnly) {
    Family family = start_family();
    clock_.advance(20);
    core::AccessToken access = session_access(family.session.id);
    auto added = grants().add_session_access_token(access, clock_.now());
    ASSERT_TRUE(added.has_value()) << added.error().log_detail;
    EXPECT_TRUE(*added);
    auto found = authorizations().find_access_token(access.digest);
    ASSERT_TRUE(found.has_value());
    expect_same_token(*found, access);
    EXPECT_EQ(grants().find_session(family.session.id)->updated_at, clock_.now());

    ASSERT_TRUE(grants().delete_session(family.session.id).value());
    core::AccessToken late = session_access(family.session.id);
    auto refused = grants().add_session_access_token(late, clock_.now());
    ASSERT_TRUE(refused.has_value()) << refused.error().log_detail;
    EXPECT_FALSE(*refused);
    EXPECT_FALSE(authorizations().find_access_token(late.digest).has_value());

    auto sessionless = grants().add_session_access_token(session_access(), clock_.now());
    ASSERT_FALSE(sessionless.has_value());
    EXPECT_EQ(sessionless.error().code, Code::internal);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(GrantStoreConformance, AddSessionAccessTokenConflictWritesNothing) {
    Family family = start_family();
    clock_.advance(20);
    core::AccessToken duplicate = session_access(family.session.id);
    duplicate.digest = family.access.digest;
    auto added = grants().add_session_access_token(duplicate, clock_.now());
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code, Code::conflict);
    EXPECT_EQ(grants().find_session(family.session.id)->updated_at, family.session.updated_at);
}

TEST_P(GrantStoreConformance, DeleteSessionDeletesItsTokensOnly) {
    Family doomed = start_family();
    Family kept = start_family();
    auto [direct, direct_token] = create_authorization(user_, std::nullopt);
    core::AccessToken standalone = standalone_token_for(client_.id);
    ASSERT_TRUE(tokens().create_access_token(standalone).has_value());

    auto deleted = grants().delete_session(doomed.session.id);
    ASSERT_TRUE(deleted.has_value()) << deleted.error().log_detail;
    EXPECT_TRUE(*deleted);
    expect_gone(doomed);
    auto again = grants().delete_session(doomed.session.id);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);

    EXPECT_EQ(tokens_of(kept.session), 2);
    EXPECT_TRUE(authorizations().find_access_token(direct_token.digest).has_value());
    EXPECT_TRUE(authorizations().find_access_token(standalone.digest).has_value());
    EXPECT_TRUE(authorizations().find_authorization(authorization_.id).has_value());
    EXPECT_EQ(count("authorization_codes"), 2);
}

TEST_P(GrantStoreConformance, FindSessionOfAnUnknownIdIsNotFound) {
    auto missing = grants().find_session(new_id());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "session");
    auto token = grants().find_refresh_token(new_digest());
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error().code, Code::not_found);
    EXPECT_EQ(token.error().subject, "token");
}

TEST_P(GrantStoreConformance, SessionsArePagedByIdForTheirUserOnly) {
    std::vector<Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(start_family().session.id);
    std::sort(ids.begin(), ids.end());  // Id orders by its bytes, as the column does
    core::User bob = create_user("bob@example.com");
    core::Authorization bobs = client_authorization_for(bob, client_.id);
    ASSERT_TRUE(grants().create_client_authorization(bobs).has_value());
    core::Session theirs = session_for(bobs);
    core::AuthorizationCode code = code_for(bobs);
    ASSERT_TRUE(grants().create_code(code).has_value());
    core::AccessToken access = session_access();
    access.authorization_id = bobs.id;
    access.user_id = bob.id;
    ASSERT_TRUE(grants().redeem_code(code.id, clock_.now(), theirs, std::nullopt, access).value());

    std::vector<Id> seen;
    core::PageQuery query;
    query.max = 2;
    for (int pages = 0; pages < 10; ++pages) {
        auto page = grants().list_sessions_by_user(user_.id, query);
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
    auto page = grants().list_sessions_by_user(user_.id, descending);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].id, ids[3]);
    EXPECT_EQ(page->items[1].id, ids[2]);
    EXPECT_FALSE(page->has_more);

    core::PageQuery tiny;
    tiny.max = -3;
    page = grants().list_sessions_by_user(user_.id, tiny);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_TRUE(page->has_more);

    auto bobs_page = grants().list_sessions_by_user(bob.id, core::PageQuery{});
    ASSERT_TRUE(bobs_page.has_value());
    ASSERT_EQ(bobs_page->items.size(), 1u);
    expect_same_session(bobs_page->items[0], theirs);

    core::PageQuery bad;
    bad.start = "not-an-id";
    auto rejected = grants().list_sessions_by_user(user_.id, bad);
    ASSERT_FALSE(rejected.has_value());
    EXPECT_EQ(rejected.error().code, Code::invalid_request);
    EXPECT_EQ(rejected.error().description, "the Range start is not a valid id");
}

TEST_P(GrantStoreConformance, LatestSessionIsTheNewestWithItsUnspentRefreshToken) {
    auto none = grants().find_latest_session(authorization_.id);
    ASSERT_TRUE(none.has_value()) << none.error().log_detail;
    EXPECT_FALSE(none->has_value());
    EXPECT_FALSE(grants().find_latest_session(new_id())->has_value());

    Family older = start_family();
    clock_.advance(10);
    Family newer = start_family();
    clock_.advance(10);
    // A session of another authorization of the same user and client.
    core::Authorization other = client_authorization_for(user_, client_.id);
    ASSERT_TRUE(grants().create_client_authorization(other).has_value());
    core::AuthorizationCode others_code = code_for(other);
    ASSERT_TRUE(grants().create_code(others_code).has_value());
    core::AccessToken others_access = session_access();
    others_access.authorization_id = other.id;
    ASSERT_TRUE(grants()
                    .redeem_code(others_code.id, clock_.now(), session_for(other), std::nullopt,
                                 others_access)
                    .value());

    auto latest = grants().find_latest_session(authorization_.id);
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
    latest = grants().find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->refresh_token->id, successor.id);
    EXPECT_EQ((*latest)->session.updated_at, clock_.now());

    // A session without a refresh token has none to show.
    auto others = grants().find_latest_session(other.id);
    ASSERT_TRUE(others.has_value() && others->has_value());
    EXPECT_EQ((*others)->session.authorization_id, other.id);
    EXPECT_FALSE((*others)->refresh_token.has_value());

    // With the newest gone, the older one is the latest.
    ASSERT_TRUE(grants().delete_session(newer.session.id).value());
    latest = grants().find_latest_session(authorization_.id);
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->session.id, older.session.id);
}

TEST_P(GrantStoreConformance, DeletingTheAuthorizationDeletesItsCodesSessionsAndTokens) {
    Family family = start_family();
    core::AuthorizationCode pending = create_code();
    core::Authorization other = client_authorization_for(user_, client_.id);
    ASSERT_TRUE(grants().create_client_authorization(other).has_value());
    core::AuthorizationCode others_code = code_for(other);
    ASSERT_TRUE(grants().create_code(others_code).has_value());

    ASSERT_TRUE(authorizations().delete_authorization(authorization_.id).has_value());
    expect_gone(family);
    EXPECT_FALSE(grants().find_code(pending.digest).has_value());
    EXPECT_TRUE(grants().find_code(others_code.digest).has_value());
    EXPECT_EQ(count("authorization_codes"), 1);
    EXPECT_EQ(count("sessions"), 0);
    EXPECT_EQ(count("refresh_tokens"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(GrantStoreConformance, DeletingTheClientDeletesItsGrants) {
    Family family = start_family();
    ASSERT_TRUE(clients().delete_client(client_.id).has_value());
    expect_gone(family);
    EXPECT_EQ(count("authorizations"), 0);
    EXPECT_EQ(count("authorization_codes"), 0);
}

// -- Browser sign-ins.

TEST_P(GrantStoreConformance, BrowserSessionIsFoundByDigestUntilDeleted) {
    core::BrowserSession session{new_id(),         new_digest(),         user_.id,
                                 clock_.now() - 5, clock_.now() + 86400, clock_.now()};
    ASSERT_TRUE(grants().create_browser_session(session).has_value());
    auto found = grants().find_browser_session(session.digest);
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
        auto created = grants().create_browser_session(*duplicate);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::conflict);
    }

    ASSERT_TRUE(grants().delete_browser_session(session.digest).has_value());
    auto gone = grants().find_browser_session(session.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, Code::not_found);
    EXPECT_EQ(gone.error().subject, "session");
    EXPECT_TRUE(grants().delete_browser_session(session.digest).has_value());
    EXPECT_EQ(count("browser_sessions"), 0);
}

// -- The janitor.

TEST_P(GrantStoreConformance, PurgeDeletesExpiredGrantsUpToTheLimitOfEachKind) {
    const Timestamp now = clock_.now();
    std::vector<core::AuthorizationCode> kept_codes;
    for (Timestamp expires_at : {now - 30, now - 20, now - 10, now, now + 60}) {
        core::AuthorizationCode code = code_for(authorization_);
        code.expires_at = expires_at;
        ASSERT_TRUE(grants().create_code(code).has_value());
        if (expires_at >= now) kept_codes.push_back(code);
    }
    // A consumed code is kept until it expires.
    core::AuthorizationCode consumed = code_for(authorization_);
    consumed.expires_at = now + 5;
    ASSERT_TRUE(grants().create_code(consumed).has_value());
    Family redeemed = redeem(consumed);
    kept_codes.push_back(consumed);

    std::vector<Family> expired_families;
    for (std::optional<Timestamp> expires_at :
         std::initializer_list<std::optional<Timestamp>>{now - 30, now - 10, now, std::nullopt}) {
        Family family = start_family();
        execute("UPDATE sessions SET expires_at = " +
                (expires_at ? std::to_string(*expires_at) : std::string("NULL")) +
                " WHERE id = " + id_literal(family.session.id));
        if (expires_at) expired_families.push_back(family);
    }
    for (Timestamp expires_at : {now - 30, now - 10, now, now + 1}) {
        core::BrowserSession browser{new_id(),  new_digest(), user_.id,
                                     now - 100, expires_at,   now - 100};
        ASSERT_TRUE(grants().create_browser_session(browser).has_value());
    }
    ASSERT_EQ(count("authorization_codes"), 6 + 4);  // and one code per started family
    ASSERT_EQ(count("sessions"), 5);

    auto none = grants().purge_expired_grants(now, 0);
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(*none, 0);
    EXPECT_EQ(count("sessions"), 5);

    auto first = grants().purge_expired_grants(now, 2);
    ASSERT_TRUE(first.has_value()) << first.error().log_detail;
    EXPECT_EQ(*first, 6);
    auto second = grants().purge_expired_grants(now, 2);
    ASSERT_TRUE(second.has_value()) << second.error().log_detail;
    EXPECT_EQ(*second, 1 + 1 + 1);
    auto third = grants().purge_expired_grants(now, 2);
    ASSERT_TRUE(third.has_value());
    EXPECT_EQ(*third, 0);

    // Codes made now (the families') expire at now + 60 and survive too.
    EXPECT_EQ(count("authorization_codes"), static_cast<std::int64_t>(kept_codes.size()) + 4);
    for (const auto& code : kept_codes) EXPECT_TRUE(grants().find_code(code.digest).has_value());
    for (const auto& family : expired_families) expect_gone(family);
    EXPECT_EQ(count("sessions"), 2);  // the never-expiring one and `redeemed`
    EXPECT_TRUE(grants().find_session(redeemed.session.id).has_value());
    EXPECT_EQ(count("browser_sessions"), 1);
    EXPECT_EQ(query_int("SELECT expires_at FROM browser_sessions"), now + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, GrantStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
