// core::AuthorizationStore on every backend.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

class AuthorizationStoreConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        user_ = create_user("alice@example.com");
        client_ = create_client(user_, "App");
    }

    core::User user_;
    core::Client client_;
};

std::vector<Id> ids_of(const std::vector<core::Authorization>& list) {
    std::vector<Id> ids;
    for (const auto& authorization : list) ids.push_back(authorization.id);
    return ids;
}

std::vector<Id> ids_of(const std::vector<core::AccessToken>& list) {
    std::vector<Id> ids;
    for (const auto& token : list) ids.push_back(token.id);
    return ids;
}

TEST_P(AuthorizationStoreConformance, FindsTheAuthorizationAndItsTokenByDigest) {
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
        authorization.description = "laptop \"work\" \xc3\xa4";
        token.expires_at = c.expires_at;
        auto created = authorizations().create_authorization(authorization, token);
        ASSERT_TRUE(created.has_value()) << created.error().log_detail;

        auto found = authorizations().find_authorization(authorization.id);
        ASSERT_TRUE(found.has_value()) << found.error().log_detail;
        expect_same_authorization(*found, authorization);
        auto found_token = authorizations().find_access_token(token.digest);
        ASSERT_TRUE(found_token.has_value()) << found_token.error().log_detail;
        expect_same_token(*found_token, token);
        auto by_id = tokens().find_access_token_by_id(token.id);
        ASSERT_TRUE(by_id.has_value()) << by_id.error().log_detail;
        expect_same_token(*by_id, token);
    }
}

TEST_P(AuthorizationStoreConformance, MissingRowsAreNotFoundWithTheirSubject) {
    create_authorization(user_, client_.id);
    const struct {
        Result<void> result;
        const char* subject;
    } cases[] = {
        {as_void(authorizations().find_authorization(new_id())), "authorization"},
        {as_void(authorizations().find_access_token(new_digest())), "token"},
        {as_void(authorizations().find_access_token(new_digest(), new_id())), "token"},
        {as_void(tokens().find_access_token_by_id(new_id())), "token"},
        {authorizations().delete_authorization(new_id()), "authorization"},
    };
    for (const auto& c : cases) {
        ASSERT_FALSE(c.result.has_value()) << c.subject;
        EXPECT_EQ(c.result.error().code, Code::not_found);
        EXPECT_EQ(c.result.error().subject, c.subject);
    }
}

TEST_P(AuthorizationStoreConformance, DuplicateTokenDigestIsAConflictAndWritesNothing) {
    auto [first, first_token] = create_authorization(user_, client_.id);
    auto [second, second_token] = authorization_for(user_, client_.id);
    second_token.digest = first_token.digest;

    auto created = authorizations().create_authorization(second, second_token);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    auto found = authorizations().find_authorization(second.id);
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().code, Code::not_found);
    EXPECT_EQ(count("authorizations"), 1);
    EXPECT_EQ(count("access_tokens"), 1);
}

TEST_P(AuthorizationStoreConformance, DuplicateAuthorizationIdIsAConflict) {
    auto [first, first_token] = create_authorization(user_, client_.id);
    auto [second, second_token] = authorization_for(user_, client_.id);
    second.id = first.id;
    auto created = authorizations().create_authorization(second, second_token);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Code::conflict);
    EXPECT_FALSE(authorizations().find_access_token(second_token.digest).has_value());
}

TEST_P(AuthorizationStoreConformance, AnAuthorizationOfAnUnknownUserOrClientIsRejected) {
    core::User ghost{new_id(), "ghost@example.com", "", "", new_id(), 0, 0};
    auto [of_ghost, ghost_token] = authorization_for(ghost, std::nullopt);
    auto [of_nothing, nothing_token] = authorization_for(user_, new_id());
    for (const auto& [authorization, token] :
         {std::pair{of_ghost, ghost_token}, std::pair{of_nothing, nothing_token}}) {
        auto created = authorizations().create_authorization(authorization, token);
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, Code::internal);
    }
    EXPECT_EQ(count("authorizations"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

TEST_P(AuthorizationStoreConformance, DeletingAnAuthorizationDeletesItsTokensOnly) {
    auto [doomed, doomed_token] = create_authorization(user_, client_.id);
    auto [kept, kept_token] = create_authorization(user_, std::nullopt);

    ASSERT_TRUE(authorizations().delete_authorization(doomed.id).has_value());

    auto deleted = authorizations().find_authorization(doomed.id);
    ASSERT_FALSE(deleted.has_value());
    EXPECT_EQ(deleted.error().code, Code::not_found);
    auto gone = authorizations().find_access_token(doomed_token.digest);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().subject, "token");
    EXPECT_TRUE(authorizations().find_authorization(kept.id).has_value());
    EXPECT_TRUE(authorizations().find_access_token(kept_token.digest).has_value());
    auto again = authorizations().delete_authorization(doomed.id);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Code::not_found);
}

TEST_P(AuthorizationStoreConformance, PagingByIdWithExclusiveStartsVisitsEachOfTheUsersOnce) {
    constexpr int kAuthorizations = 25;
    std::vector<Id> expected;
    for (int i = 0; i < kAuthorizations; ++i) {
        expected.push_back(
            create_authorization(user_, i % 2 ? std::optional(client_.id) : std::nullopt).first.id);
    }
    core::User stranger = create_user("stranger@example.com");
    std::vector<Id> strangers;
    for (int i = 0; i < 4; ++i) strangers.push_back(create_authorization(stranger, {}).first.id);
    std::sort(expected.begin(), expected.end());

    for (bool descending : {false, true}) {
        SCOPED_TRACE(descending ? "desc" : "asc");
        core::PageQuery query;
        query.max = 10;
        query.descending = descending;
        // Any field is read as id.
        query.field = core::SortField::name;
        std::vector<Id> visited;
        std::vector<std::size_t> sizes;
        std::vector<bool> has_more;
        for (int pages = 0; pages < kAuthorizations; ++pages) {
            auto page = authorizations().list_authorizations_by_user(user_.id, query);
            ASSERT_TRUE(page.has_value()) << page.error().log_detail;
            ASSERT_FALSE(page->items.empty());
            for (const auto& authorization : page->items) {
                EXPECT_EQ(authorization.user_id, user_.id);
            }
            sizes.push_back(page->items.size());
            has_more.push_back(page->has_more);
            auto ids = ids_of(page->items);
            visited.insert(visited.end(), ids.begin(), ids.end());
            if (!page->has_more) break;
            query.start = page->items.back().id.uuid();
            query.start_exclusive = true;
        }
        auto order = expected;
        if (descending) std::reverse(order.begin(), order.end());
        EXPECT_EQ(visited, order);
        EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
        EXPECT_EQ(has_more, (std::vector<bool>{true, true, false}));
    }

    auto theirs = authorizations().list_authorizations_by_user(stranger.id, core::PageQuery{});
    ASSERT_TRUE(theirs.has_value());
    std::sort(strangers.begin(), strangers.end());
    EXPECT_EQ(ids_of(theirs->items), strangers);
    EXPECT_FALSE(theirs->has_more);
}

TEST_P(AuthorizationStoreConformance, ListingHonoursInclusiveBoundsAndClampsMax) {
    std::vector<Id> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(create_authorization(user_, {}).first.id);
    std::sort(ids.begin(), ids.end());

    core::PageQuery query;
    query.start = ids[1].uuid();
    query.end = ids[4].uuid();
    auto page = authorizations().list_authorizations_by_user(user_.id, query);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[1], ids[2], ids[3], ids[4]}));
    EXPECT_FALSE(page->has_more);

    query.end_exclusive = true;
    query.descending = true;
    query.start = ids[4].uuid();
    query.end = ids[1].uuid();
    page = authorizations().list_authorizations_by_user(user_.id, query);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[4], ids[3], ids[2]}));

    core::PageQuery tiny;
    tiny.max = 0;
    page = authorizations().list_authorizations_by_user(user_.id, tiny);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[0]}));
    EXPECT_TRUE(page->has_more);

    auto nobody = authorizations().list_authorizations_by_user(new_id(), core::PageQuery{});
    ASSERT_TRUE(nobody.has_value());
    EXPECT_TRUE(nobody->items.empty());
    EXPECT_FALSE(nobody->has_more);
}

TEST_P(AuthorizationStoreConformance, ListingKeysMustBeIds) {
    create_authorization(user_, {});
    core::PageQuery bad_start;
    bad_start.start = "not-an-id";
    core::PageQuery bad_end;
    bad_end.end = "";
    const struct {
        core::PageQuery query;
        const char* description;
    } cases[] = {{bad_start, "the Range start is not a valid id"},
                 {bad_end, "the Range end is not a valid id"}};
    for (const auto& c : cases) {
        auto page = authorizations().list_authorizations_by_user(user_.id, c.query);
        ASSERT_FALSE(page.has_value());
        EXPECT_EQ(page.error().code, Code::invalid_request);
        EXPECT_EQ(page.error().description, c.description);
    }
}

TEST_P(AuthorizationStoreConformance, FindApiKeyAuthorizationReturnsTheNewestMarked) {
    create_authorization(user_, client_.id);  // not an API key
    auto none = authorizations().find_api_key_authorization(user_.id);
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().code, Code::not_found);
    EXPECT_EQ(none.error().subject, "authorization");

    auto [older, older_token] = authorization_for(user_, std::nullopt);
    older.is_api_key = true;
    ASSERT_TRUE(authorizations().create_authorization(older, older_token).has_value());
    clock_.advance(60);
    auto [newer, newer_token] = authorization_for(user_, std::nullopt);
    newer.is_api_key = true;
    newer.description = "newest key";
    ASSERT_TRUE(authorizations().create_authorization(newer, newer_token).has_value());
    // Another user's newer key is not this user's.
    clock_.advance(60);
    core::User stranger = create_user("stranger@example.com");
    auto [theirs, their_token] = authorization_for(stranger, std::nullopt);
    theirs.is_api_key = true;
    ASSERT_TRUE(authorizations().create_authorization(theirs, their_token).has_value());

    auto found = authorizations().find_api_key_authorization(user_.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_authorization(*found, newer);
    auto their_found = authorizations().find_api_key_authorization(stranger.id);
    ASSERT_TRUE(their_found.has_value());
    EXPECT_EQ(their_found->id, theirs.id);
}

TEST_P(AuthorizationStoreConformance, ListAccessTokensIsOldestFirstAndEmptyWhenNone) {
    auto [authorization, first] = create_authorization(user_, client_.id);
    auto [other, other_token] = create_authorization(user_, client_.id);
    clock_.advance(10);
    auto [unused1, second] = authorization_for(user_, client_.id);
    second.authorization_id = authorization.id;
    second.created_at = clock_.now();
    ASSERT_TRUE(tokens().create_access_token(second).has_value());
    auto [unused2, earliest] = authorization_for(user_, client_.id);
    earliest.authorization_id = authorization.id;
    earliest.created_at = first.created_at - 100;  // inserted last, created first
    ASSERT_TRUE(tokens().create_access_token(earliest).has_value());

    auto listed = authorizations().list_access_tokens(authorization.id);
    ASSERT_TRUE(listed.has_value()) << listed.error().log_detail;
    ASSERT_EQ(listed->size(), 3u);
    EXPECT_EQ(ids_of(*listed), (std::vector<Id>{earliest.id, first.id, second.id}));
    expect_same_token((*listed)[1], first);

    auto others = authorizations().list_access_tokens(other.id);
    ASSERT_TRUE(others.has_value());
    EXPECT_EQ(ids_of(*others), std::vector<Id>{other_token.id});

    ASSERT_TRUE(tokens().revoke_access_token(other_token.digest).has_value());
    auto emptied = authorizations().list_access_tokens(other.id);
    ASSERT_TRUE(emptied.has_value());
    EXPECT_TRUE(emptied->empty());
    auto ghost = authorizations().list_access_tokens(new_id());
    ASSERT_TRUE(ghost.has_value());
    EXPECT_TRUE(ghost->empty());
}

TEST_P(AuthorizationStoreConformance, UpdateAuthorizationMovesItAndItsTokensToAnotherClient) {
    auto [authorization, token] = create_authorization(user_, std::nullopt);
    auto moved = authorization;
    moved.client_id = client_.id;
    moved.updated_at = authorization.updated_at + 1;
    ASSERT_TRUE(authorizations().update_authorization(moved).has_value());
    EXPECT_EQ(authorizations().find_authorization(authorization.id)->client_id, client_.id);
    EXPECT_EQ(authorizations().find_access_token(token.digest)->client_id, client_.id);
    // And back to none.
    moved.client_id.reset();
    ASSERT_TRUE(authorizations().update_authorization(moved).has_value());
    EXPECT_EQ(authorizations().find_access_token(token.digest)->client_id, std::nullopt);
}

TEST_P(AuthorizationStoreConformance, UpdateAuthorizationWritesDescriptionAndUpdatedAtOnly) {
    auto [authorization, token] = create_authorization(user_, client_.id);
    auto changed = authorization;
    changed.description = "renamed \"laptop\"";
    changed.updated_at = authorization.updated_at + 500;
    changed.scope = {"write"};          // not written
    changed.is_api_key = true;          // not written
    changed.declined_scope = {"read"};  // not written
    ASSERT_TRUE(authorizations().update_authorization(changed).has_value());

    auto found = authorizations().find_authorization(authorization.id);
    ASSERT_TRUE(found.has_value());
    auto expected = authorization;
    expected.description = changed.description;
    expected.updated_at = changed.updated_at;
    expect_same_authorization(*found, expected);

    auto ghost = authorization;
    ghost.id = new_id();
    auto missing = authorizations().update_authorization(ghost);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "authorization");
    EXPECT_EQ(count("authorizations"), 1);
}

TEST_P(AuthorizationStoreConformance,
       ReplaceAccessTokensSwapsEveryTokenAndTouchesTheAuthorization) {
    auto [authorization, first] = create_authorization(user_, client_.id);
    auto [unused, second] = authorization_for(user_, client_.id);
    second.authorization_id = authorization.id;
    ASSERT_TRUE(tokens().create_access_token(second).has_value());
    auto [kept, kept_token] = create_authorization(user_, client_.id);

    auto [unused2, replacement] = authorization_for(user_, client_.id);
    replacement.authorization_id = authorization.id;
    Timestamp updated_at = authorization.updated_at + 900;
    auto replaced =
        authorizations().replace_access_tokens(authorization.id, replacement, updated_at);
    ASSERT_TRUE(replaced.has_value()) << replaced.error().log_detail;

    for (const auto* old : {&first, &second}) {
        auto gone = authorizations().find_access_token(old->digest);
        ASSERT_FALSE(gone.has_value());
        EXPECT_EQ(gone.error().code, Code::not_found);
    }
    auto found = authorizations().find_access_token(replacement.digest);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_token(*found, replacement);
    auto listed = authorizations().list_access_tokens(authorization.id);
    ASSERT_TRUE(listed.has_value());
    EXPECT_EQ(ids_of(*listed), std::vector<Id>{replacement.id});
    auto touched = authorizations().find_authorization(authorization.id);
    ASSERT_TRUE(touched.has_value());
    EXPECT_EQ(touched->updated_at, updated_at);
    EXPECT_EQ(touched->created_at, authorization.created_at);
    EXPECT_TRUE(authorizations().find_access_token(kept_token.digest).has_value());
}

TEST_P(AuthorizationStoreConformance, ReplaceAccessTokensOfAGhostIsNotFoundAndWritesNothing) {
    create_authorization(user_, client_.id);
    Id ghost = new_id();
    auto [unused, token] = authorization_for(user_, client_.id);
    token.authorization_id = ghost;
    auto replaced = authorizations().replace_access_tokens(ghost, token, clock_.now());
    ASSERT_FALSE(replaced.has_value());
    EXPECT_EQ(replaced.error().code, Code::not_found);
    EXPECT_EQ(replaced.error().subject, "authorization");
    EXPECT_FALSE(authorizations().find_access_token(token.digest).has_value());
    EXPECT_EQ(count("access_tokens"), 1);
    EXPECT_EQ(count("authorizations"), 1);
}

TEST_P(AuthorizationStoreConformance, ReplaceAccessTokensConflictLeavesTheOldTokenInPlace) {
    auto [authorization, old_token] = create_authorization(user_, client_.id);
    auto [other, other_token] = create_authorization(user_, client_.id);

    const struct {
        const char* what;
        bool same_id;
    } cases[] = {{"duplicate digest", false}, {"duplicate id", true}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto [unused, clash] = authorization_for(user_, client_.id);
        clash.authorization_id = authorization.id;
        if (c.same_id) {
            clash.id = other_token.id;
        } else {
            clash.digest = other_token.digest;
        }
        auto replaced = authorizations().replace_access_tokens(authorization.id, clash,
                                                               authorization.updated_at + 5);
        ASSERT_FALSE(replaced.has_value());
        EXPECT_EQ(replaced.error().code, Code::conflict);

        auto still = authorizations().find_access_token(old_token.digest);
        ASSERT_TRUE(still.has_value()) << still.error().log_detail;
        expect_same_token(*still, old_token);
        auto listed = authorizations().list_access_tokens(authorization.id);
        ASSERT_TRUE(listed.has_value());
        EXPECT_EQ(ids_of(*listed), std::vector<Id>{old_token.id});
        auto unchanged = authorizations().find_authorization(authorization.id);
        ASSERT_TRUE(unchanged.has_value());
        EXPECT_EQ(unchanged->updated_at, authorization.updated_at);
        EXPECT_EQ(count("access_tokens"), 2);
    }
}

TEST_P(AuthorizationStoreConformance, ReplaceAccessTokensRejectsATokenOfAnotherAuthorization) {
    auto [authorization, old_token] = create_authorization(user_, client_.id);
    auto [other, other_token] = create_authorization(user_, client_.id);
    auto [unused, stray] = authorization_for(user_, client_.id);
    stray.authorization_id = other.id;
    auto replaced =
        authorizations().replace_access_tokens(authorization.id, stray, clock_.now() + 1);
    ASSERT_FALSE(replaced.has_value());
    EXPECT_EQ(replaced.error().code, Code::internal);
    EXPECT_TRUE(authorizations().find_access_token(old_token.digest).has_value());
    EXPECT_FALSE(authorizations().find_access_token(stray.digest).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthorizationStoreConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
