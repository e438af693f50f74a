#include <algorithm>
#include <string>
#include <vector>

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

std::vector<Id> ids_of(const std::vector<core::Authorization>& authorizations) {
    std::vector<Id> ids;
    for (const auto& authorization : authorizations) ids.push_back(authorization.id);
    return ids;
}

std::vector<Id> ids_of(const std::vector<core::AccessToken>& tokens) {
    std::vector<Id> ids;
    for (const auto& token : tokens) ids.push_back(token.id);
    return ids;
}

TEST_P(SqliteAuthorizationStore, PagingByIdWithExclusiveStartsVisitsEachOfTheUsersOnce) {
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
        std::vector<Id> visited;
        std::vector<std::size_t> sizes;
        std::vector<bool> has_more;
        for (int pages = 0; pages < kAuthorizations; ++pages) {
            auto page = store_->list_authorizations_by_user(user_.id, query);
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
        for (const auto& id : strangers) {
            EXPECT_EQ(std::count(visited.begin(), visited.end(), id), 0);
        }
    }

    // The stranger sees only their own.
    auto theirs = store_->list_authorizations_by_user(stranger.id, core::PageQuery{});
    ASSERT_TRUE(theirs.has_value());
    auto their_ids = ids_of(theirs->items);
    std::sort(strangers.begin(), strangers.end());
    EXPECT_EQ(their_ids, strangers);
    EXPECT_FALSE(theirs->has_more);
}

TEST_P(SqliteAuthorizationStore, ListingHonoursInclusiveBoundsAndClampsMax) {
    std::vector<Id> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(create_authorization(user_, {}).first.id);
    std::sort(ids.begin(), ids.end());

    core::PageQuery query;
    query.start = ids[1].uuid();
    query.end = ids[4].uuid();
    auto page = store_->list_authorizations_by_user(user_.id, query);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[1], ids[2], ids[3], ids[4]}));
    EXPECT_FALSE(page->has_more);

    query.end_exclusive = true;
    query.descending = true;
    query.start = ids[4].uuid();
    query.end = ids[1].uuid();
    page = store_->list_authorizations_by_user(user_.id, query);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[4], ids[3], ids[2]}));

    core::PageQuery tiny;
    tiny.max = 0;
    page = store_->list_authorizations_by_user(user_.id, tiny);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(ids_of(page->items), (std::vector<Id>{ids[0]}));
    EXPECT_TRUE(page->has_more);

    auto nobody = store_->list_authorizations_by_user(new_id(), core::PageQuery{});
    ASSERT_TRUE(nobody.has_value());
    EXPECT_TRUE(nobody->items.empty());
    EXPECT_FALSE(nobody->has_more);
}

TEST_P(SqliteAuthorizationStore, ListingKeysMustBeIds) {
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
        auto page = store_->list_authorizations_by_user(user_.id, c.query);
        ASSERT_FALSE(page.has_value());
        EXPECT_EQ(page.error().code, Code::invalid_request);
        EXPECT_EQ(page.error().description, c.description);
    }
}

TEST_P(SqliteAuthorizationStore, FindApiKeyAuthorizationReturnsTheNewestMarked) {
    create_authorization(user_, client_.id);  // not an API key
    auto none = store_->find_api_key_authorization(user_.id);
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().code, Code::not_found);
    EXPECT_EQ(none.error().subject, "authorization");

    auto [older, older_token] = authorization_for(user_, std::nullopt);
    older.is_api_key = true;
    ASSERT_TRUE(store_->create_authorization(older, older_token).has_value());
    clock_.advance(60);
    auto [newer, newer_token] = authorization_for(user_, std::nullopt);
    newer.is_api_key = true;
    newer.description = "newest key";
    ASSERT_TRUE(store_->create_authorization(newer, newer_token).has_value());
    // Another user's newer key is not this user's.
    clock_.advance(60);
    core::User stranger = create_user("stranger@example.com");
    auto [theirs, their_token] = authorization_for(stranger, std::nullopt);
    theirs.is_api_key = true;
    ASSERT_TRUE(store_->create_authorization(theirs, their_token).has_value());

    auto found = store_->find_api_key_authorization(user_.id);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_authorization(*found, newer);
    auto their_found = store_->find_api_key_authorization(stranger.id);
    ASSERT_TRUE(their_found.has_value());
    EXPECT_EQ(their_found->id, theirs.id);
}

TEST_P(SqliteAuthorizationStore, ListAccessTokensIsOldestFirstAndEmptyWhenNone) {
    auto [authorization, first] = create_authorization(user_, client_.id);
    auto [other, other_token] = create_authorization(user_, client_.id);
    clock_.advance(10);
    auto [unused1, second] = authorization_for(user_, client_.id);
    second.authorization_id = authorization.id;
    second.created_at = clock_.now();
    ASSERT_TRUE(store_->create_access_token(second).has_value());
    auto [unused2, earliest] = authorization_for(user_, client_.id);
    earliest.authorization_id = authorization.id;
    earliest.created_at = first.created_at - 100;  // inserted last, created first
    ASSERT_TRUE(store_->create_access_token(earliest).has_value());

    auto tokens = store_->list_access_tokens(authorization.id);
    ASSERT_TRUE(tokens.has_value()) << tokens.error().log_detail;
    ASSERT_EQ(tokens->size(), 3u);
    EXPECT_EQ(ids_of(*tokens), (std::vector<Id>{earliest.id, first.id, second.id}));
    expect_same_token((*tokens)[1], first);

    auto others = store_->list_access_tokens(other.id);
    ASSERT_TRUE(others.has_value());
    EXPECT_EQ(ids_of(*others), std::vector<Id>{other_token.id});

    ASSERT_TRUE(store_->revoke_access_token(other_token.digest).has_value());
    auto emptied = store_->list_access_tokens(other.id);
    ASSERT_TRUE(emptied.has_value());
    EXPECT_TRUE(emptied->empty());
    auto ghost = store_->list_access_tokens(new_id());
    ASSERT_TRUE(ghost.has_value());
    EXPECT_TRUE(ghost->empty());
}

TEST_P(SqliteAuthorizationStore, UpdateAuthorizationMovesItAndItsTokensToAnotherClient) {
    auto [authorization, token] = create_authorization(user_, std::nullopt);
    auto moved = authorization;
    moved.client_id = client_.id;
    moved.updated_at = authorization.updated_at + 1;
    ASSERT_TRUE(store_->update_authorization(moved).has_value());
    EXPECT_EQ(store_->find_authorization(authorization.id)->client_id, client_.id);
    EXPECT_EQ(store_->find_access_token(token.digest)->client_id, client_.id);
}

TEST_P(SqliteAuthorizationStore, UpdateAuthorizationWritesDescriptionAndUpdatedAtOnly) {
    auto [authorization, token] = create_authorization(user_, client_.id);
    auto changed = authorization;
    changed.description = "renamed \"laptop\"";
    changed.updated_at = authorization.updated_at + 500;
    changed.scope = {"write"};  // not written
    changed.is_api_key = true;  // not written
    ASSERT_TRUE(store_->update_authorization(changed).has_value());

    auto found = store_->find_authorization(authorization.id);
    ASSERT_TRUE(found.has_value());
    auto expected = authorization;
    expected.description = changed.description;
    expected.updated_at = changed.updated_at;
    expect_same_authorization(*found, expected);

    auto ghost = authorization;
    ghost.id = new_id();
    auto missing = store_->update_authorization(ghost);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Code::not_found);
    EXPECT_EQ(missing.error().subject, "authorization");
    EXPECT_EQ(query_int("SELECT count(*) FROM authorizations"), 1);
}

TEST_P(SqliteAuthorizationStore, ReplaceAccessTokensSwapsEveryTokenAndTouchesTheAuthorization) {
    auto [authorization, first] = create_authorization(user_, client_.id);
    auto [unused, second] = authorization_for(user_, client_.id);
    second.authorization_id = authorization.id;
    ASSERT_TRUE(store_->create_access_token(second).has_value());
    auto [kept, kept_token] = create_authorization(user_, client_.id);

    auto [unused2, replacement] = authorization_for(user_, client_.id);
    replacement.authorization_id = authorization.id;
    Timestamp updated_at = authorization.updated_at + 900;
    auto replaced = store_->replace_access_tokens(authorization.id, replacement, updated_at);
    ASSERT_TRUE(replaced.has_value()) << replaced.error().log_detail;

    for (const auto* old : {&first, &second}) {
        auto gone = store_->find_access_token(old->digest);
        ASSERT_FALSE(gone.has_value());
        EXPECT_EQ(gone.error().code, Code::not_found);
    }
    auto found = store_->find_access_token(replacement.digest);
    ASSERT_TRUE(found.has_value()) << found.error().log_detail;
    expect_same_token(*found, replacement);
    auto tokens = store_->list_access_tokens(authorization.id);
    ASSERT_TRUE(tokens.has_value());
    EXPECT_EQ(ids_of(*tokens), std::vector<Id>{replacement.id});
    auto touched = store_->find_authorization(authorization.id);
    ASSERT_TRUE(touched.has_value());
    EXPECT_EQ(touched->updated_at, updated_at);
    EXPECT_EQ(touched->created_at, authorization.created_at);
    // Another authorization's token is untouched.
    EXPECT_TRUE(store_->find_access_token(kept_token.digest).has_value());
}

TEST_P(SqliteAuthorizationStore, ReplaceAccessTokensOfAGhostIsNotFoundAndWritesNothing) {
    create_authorization(user_, client_.id);
    Id ghost = new_id();
    auto [unused, token] = authorization_for(user_, client_.id);
    token.authorization_id = ghost;
    auto replaced = store_->replace_access_tokens(ghost, token, clock_.now());
    ASSERT_FALSE(replaced.has_value());
    EXPECT_EQ(replaced.error().code, Code::not_found);
    EXPECT_EQ(replaced.error().subject, "authorization");
    EXPECT_FALSE(store_->find_access_token(token.digest).has_value());
    EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 1);
    EXPECT_EQ(query_int("SELECT count(*) FROM authorizations"), 1);
}

TEST_P(SqliteAuthorizationStore, ReplaceAccessTokensConflictLeavesTheOldTokenInPlace) {
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
        auto replaced =
            store_->replace_access_tokens(authorization.id, clash, authorization.updated_at + 5);
        ASSERT_FALSE(replaced.has_value());
        EXPECT_EQ(replaced.error().code, Code::conflict);

        auto still = store_->find_access_token(old_token.digest);
        ASSERT_TRUE(still.has_value()) << still.error().log_detail;
        expect_same_token(*still, old_token);
        auto tokens = store_->list_access_tokens(authorization.id);
        ASSERT_TRUE(tokens.has_value());
        EXPECT_EQ(ids_of(*tokens), std::vector<Id>{old_token.id});
        auto unchanged = store_->find_authorization(authorization.id);
        ASSERT_TRUE(unchanged.has_value());
        EXPECT_EQ(unchanged->updated_at, authorization.updated_at);
        EXPECT_EQ(query_int("SELECT count(*) FROM access_tokens"), 2);
    }
}

TEST_P(SqliteAuthorizationStore, ReplaceAccessTokensRejectsATokenOfAnotherAuthorization) {
    auto [authorization, old_token] = create_authorization(user_, client_.id);
    auto [other, other_token] = create_authorization(user_, client_.id);
    auto [unused, stray] = authorization_for(user_, client_.id);
    stray.authorization_id = other.id;
    auto replaced = store_->replace_access_tokens(authorization.id, stray, clock_.now() + 1);
    ASSERT_FALSE(replaced.has_value());
    EXPECT_EQ(replaced.error().code, Code::internal);
    EXPECT_TRUE(store_->find_access_token(old_token.digest).has_value());
    EXPECT_FALSE(store_->find_access_token(stray.digest).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteAuthorizationStore, kBothBackends, backend_name);

}  // namespace
}  // namespace tessera::storage::sqlite
