// The SDK's Heroku client calls (spec heroku-oauth.md §2, §1.5) against the
// real server on loopback: every call, Range pagination past 1000 clients,
// and each class of error.
#include <atomic>
#include <set>
#include <thread>

#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

class SdkOAuthClients : public SdkTest {};

TEST_F(SdkOAuthClients, CreateReturnsTheClientWithItsSecretOnce) {
    auto created = api().oauth().clients().create(
        {.name = "My app", .redirect_uri = "https://example.com/cb"});
    ASSERT_TRUE(created) << created.error().to_string();
    EXPECT_EQ(created->id.size(), 36u);
    EXPECT_EQ(created->name, "My app");
    EXPECT_EQ(created->redirect_uri, "https://example.com/cb");
    ASSERT_TRUE(created->secret);
    EXPECT_FALSE(created->secret->empty());
    EXPECT_FALSE(created->ignores_delinquent.has_value());  // null on the wire
    EXPECT_EQ(created->created_at.size(), 20u);
    EXPECT_EQ(created->updated_at, created->created_at);

    auto info = api().oauth().clients(created->id).info();
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->name, "My app");
    EXPECT_FALSE(info->secret);  // D1: digests only by default
}

TEST_F(SdkOAuthClients, UpdateChangesOnlyTheFieldsGiven) {
    auto created = api().oauth().clients().create({"Before", "https://example.com/cb"});
    ASSERT_TRUE(created);
    auto renamed = api().oauth().clients(created->id).update({.name = "After"});
    ASSERT_TRUE(renamed) << renamed.error().to_string();
    EXPECT_EQ(renamed->name, "After");
    EXPECT_EQ(renamed->redirect_uri, "https://example.com/cb");
    auto moved =
        api().oauth().clients(created->id).update({.redirect_uri = "http://localhost:3000/cb"});
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->name, "After");
    EXPECT_EQ(moved->redirect_uri, "http://localhost:3000/cb");
    auto unchanged = api().oauth().clients(created->id).update({});
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->updated_at, moved->updated_at);
}

TEST_F(SdkOAuthClients, RotateCredentialsReturnsANewSecret) {
    auto created = api().oauth().clients().create({"Rotating", "https://example.com/cb"});
    ASSERT_TRUE(created);
    auto rotated = api().oauth().clients(created->id).rotate_credentials();
    ASSERT_TRUE(rotated) << rotated.error().to_string();
    ASSERT_TRUE(rotated->secret);
    EXPECT_FALSE(*rotated->secret == *created->secret);
    EXPECT_EQ(rotated->id, created->id);
}

TEST_F(SdkOAuthClients, RemoveDeletesAndReturnsTheClient) {
    auto created = api().oauth().clients().create({"Doomed", "https://example.com/cb"});
    ASSERT_TRUE(created);
    auto removed = api().oauth().clients(created->id).remove();
    ASSERT_TRUE(removed) << removed.error().to_string();
    EXPECT_EQ(removed->id, created->id);
    EXPECT_FALSE(removed->secret);
    auto gone = api().oauth().clients(created->id).info();
    auto error = expect_api_error(gone, 404, "not_found");
    EXPECT_EQ(error.resource, "client");
    EXPECT_EQ(error.message, "Couldn't find that OAuth client.");
    EXPECT_TRUE(error.is_not_found());
}

TEST_F(SdkOAuthClients, ListFollowsRangePaginationPastAThousandClients) {
    create_clients_directly(1203);
    auto all = api().oauth().clients().list();
    ASSERT_TRUE(all) << all.error().to_string();
    ASSERT_EQ(all->size(), 1203u);
    std::set<std::string> ids;
    for (const auto& c : *all) ids.insert(c.id);
    EXPECT_EQ(ids.size(), 1203u);
    // Ordered by id, the server's default, across the page boundary.
    for (std::size_t i = 1; i < all->size(); ++i) EXPECT_LT((*all)[i - 1].id, (*all)[i].id);
}

TEST_F(SdkOAuthClients, ListPageWalksPageByPage) {
    create_clients_directly(25);
    auto clients = api().oauth().clients();
    auto page = clients.list_page(sdk::Range{.field = "name", .max = 10}.header());
    std::vector<std::string> names;
    int pages = 0;
    for (;;) {
        ASSERT_TRUE(page) << page.error().to_string();
        ++pages;
        EXPECT_LE(page->items.size(), 10u);
        EXPECT_TRUE(page->content_range.starts_with("name ")) << page->content_range;
        for (const auto& c : page->items) names.push_back(c.name);
        if (!page->next_range) break;
        page = clients.list_page(*page->next_range);
    }
    EXPECT_EQ(pages, 3);
    ASSERT_EQ(names.size(), 25u);
    EXPECT_EQ(names.front(), "bulk-0000");
    EXPECT_EQ(names.back(), "bulk-0024");
}

TEST_F(SdkOAuthClients, ListInDescendingOrder) {
    create_clients_directly(5);
    auto all = api().oauth().clients().list({.field = "name", .max = 2, .descending = true});
    ASSERT_TRUE(all) << all.error().to_string();
    ASSERT_EQ(all->size(), 5u);
    EXPECT_EQ(all->front().name, "bulk-0004");
    EXPECT_EQ(all->back().name, "bulk-0000");
}

TEST_F(SdkOAuthClients, EmptyListIsEmpty) {
    auto all = api().oauth().clients().list();
    ASSERT_TRUE(all) << all.error().to_string();
    EXPECT_TRUE(all->empty());
}

TEST_F(SdkOAuthClients, OneApiServesManyThreads) {
    auto shared = api();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto created = shared.oauth().clients().create(
                    {"t" + std::to_string(t) + "-" + std::to_string(i), "https://example.com/cb"});
                if (!created || !shared.oauth().clients(created->id).info()) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures, 0);
    auto all = shared.oauth().clients().list();
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 40u);
}

// -- Each class of error, as the server reports it.

TEST_F(SdkOAuthClients, InvalidParamsIs422WithTheServersMessage) {
    auto created = api().oauth().clients().create({"Bad", "ftp://example.com/cb"});
    auto error = expect_api_error(created, 422, "invalid_params");
    EXPECT_FALSE(error.message.empty());
}

TEST_F(SdkOAuthClients, BadTokenIs401) {
    auto list = api("HRKU-not-a-real-token").oauth().clients().list();
    auto error = expect_api_error(list, 401, "unauthorized");
    EXPECT_TRUE(error.is_unauthenticated());
}

TEST_F(SdkOAuthClients, NoCredentialsIs401) {
    auto list = api_with({}).oauth().clients().list();
    expect_api_error(list, 401, "unauthorized");
}

TEST_F(SdkOAuthClients, NarrowScopeIs403) {
    auto reader = user_token("reader@example.com", {"read"});
    auto created = api(reader).oauth().clients().create({"X", "https://example.com/cb"});
    expect_api_error(created, 403, "forbidden");
}

TEST_F(SdkOAuthClients, SomeoneElsesClientIsNotFound) {
    auto created = api().oauth().clients().create({"Mine", "https://example.com/cb"});
    ASSERT_TRUE(created);
    auto other = user_token("other@example.com");
    auto info = api(other).oauth().clients(created->id).info();
    expect_api_error(info, 404, "not_found");
}

TEST_F(SdkOAuthClients, MalformedRangeIs400AndUnknownFieldIs416) {
    expect_api_error(api().oauth().clients().list_page("id ..; max=many"), 400, "bad_request");
    expect_api_error(api().oauth().clients().list({.field = "secret"}), 416,
                     "requested_range_not_satisfiable");
}

TEST_F(SdkOAuthClients, ConnectionRefusedIsANetworkError) {
    sdk::Api api("http://127.0.0.1:" + std::to_string(unused_port()),
                 sdk::Credentials::token(sdk::Secret(token_)), quick_options());
    auto list = api.oauth().clients().list();
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().kind, sdk::ErrorKind::network) << list.error().to_string();
    EXPECT_EQ(list.error().status, 0);
    EXPECT_NE(list.error().message.find("cannot connect"), std::string::npos);
}

TEST_F(SdkOAuthClients, MalformedBaseUrlIsAUsageError) {
    for (const char* url :
         {"127.0.0.1:8080", "ftp://example.com", "http://", "http://h/?q=1", "http://user@h/"}) {
        sdk::Api api(url, sdk::Credentials::token(sdk::Secret(token_)));
        auto list = api.oauth().clients().list();
        ASSERT_FALSE(list) << url;
        EXPECT_EQ(list.error().kind, sdk::ErrorKind::usage) << url;
    }
}

TEST_F(SdkOAuthClients, BasePathPrefixIsKept) {
    // The prefix is prepended: a server without it answers 404 (not ours).
    sdk::Api api(base_url() + "/prefix/", sdk::Credentials::token(sdk::Secret(token_)));
    auto list = api.oauth().clients().list();
    expect_api_error(list, 404);
}

TEST_F(SdkOAuthClients, ResultReportsMisuse) {
    auto list = api("bad").oauth().clients().list();
    ASSERT_FALSE(list);
    EXPECT_THROW((void)list.value(), sdk::BadResultAccess);
    EXPECT_NE(list.error().to_string().find("401 unauthorized: "), std::string::npos);
    EXPECT_NE(list.error().to_string().find("(request id "), std::string::npos);
}

// §1.7: an empty bucket answers 429 with Retry-After (60 s here), longer
// than the SDK's max_retry_wait: not waited for, reported with the wait.
class SdkRateLimited : public SdkTest {
protected:
    SdkRateLimited() : SdkTest(config()) {}
    static app::Config config() {
        app::Config c;
        c.rate_limit_capacity = 3;
        c.rate_limit_per_minute = 1;
        return c;
    }
};

TEST_F(SdkRateLimited, TooManyCallsIs429WithRetryAfter) {
    auto clients = api().oauth().clients();
    sdk::Result<std::vector<sdk::OAuthClient>> last = std::vector<sdk::OAuthClient>{};
    for (int i = 0; i < 5 && last; ++i) last = clients.list();
    auto error = expect_api_error(last, 429, "rate_limit");
    EXPECT_TRUE(error.is_rate_limited());
    ASSERT_TRUE(error.retry_after);
    EXPECT_EQ(error.retry_after->count(), 60);
}

}  // namespace
}  // namespace tessera::testing
