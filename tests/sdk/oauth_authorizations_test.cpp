// The SDK's Heroku authorization, token, session and account calls (spec
// heroku-oauth.md §3–§5) against the real server on loopback.
#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

class SdkAuthorizations : public SdkTest {
protected:
    // A client of the owner, its secret, and a code the owner granted it.
    struct Granted {
        sdk::OAuthClient client;
        sdk::OAuthAuthorization authorization;
    };
    Granted grant() {
        auto client = api().oauth().clients().create({"Amazing", "https://example.com/cb"});
        EXPECT_TRUE(client);
        auto authorization =
            api().oauth().authorizations().create({.scope = {"global"}, .client = client->id});
        EXPECT_TRUE(authorization) << authorization.error().to_string();
        return {*client, *authorization};
    }
};

TEST_F(SdkAuthorizations, CreateDirectReturnsTheRawTokenWhichWorks) {
    auto created = api().oauth().authorizations().create(
        {.scope = {"identity"}, .description = "CI", .expires_in = 3600});
    ASSERT_TRUE(created) << created.error().to_string();
    EXPECT_EQ(created->description, "CI");
    EXPECT_EQ(created->scope, std::vector<std::string>{"identity"});
    EXPECT_FALSE(created->client);
    ASSERT_TRUE(created->access_token);
    EXPECT_TRUE(created->access_token->token.reveal().starts_with("HRKU-"));
    EXPECT_EQ(created->access_token->expires_in, 3600);
    EXPECT_EQ(created->user.email, kOwner);
    // The new token authenticates: it reads the account, but cannot manage
    // clients (scope identity).
    auto me = api(created->access_token->token.reveal()).account().info();
    ASSERT_TRUE(me) << me.error().to_string();
    EXPECT_EQ(me->email, kOwner);
    expect_api_error(api(created->access_token->token.reveal()).oauth().clients().list(), 403,
                     "forbidden");
}

TEST_F(SdkAuthorizations, ListInfoUpdateRemove) {
    auto created = api().oauth().authorizations().create({.description = "first"});
    ASSERT_TRUE(created);
    auto list = api().oauth().authorizations().list();
    ASSERT_TRUE(list) << list.error().to_string();
    ASSERT_EQ(list->size(), 2u);  // the fixture's token and this one
    auto info = api().oauth().authorizations(created->id).info();
    ASSERT_TRUE(info);
    EXPECT_EQ(info->scope, std::vector<std::string>{"global"});  // §3.2 default
    ASSERT_TRUE(info->access_token);
    EXPECT_NE(info->access_token->token.reveal().find("**********"), std::string::npos);  // D2

    auto renamed = api().oauth().authorizations(created->id).update({.description = "renamed"});
    ASSERT_TRUE(renamed) << renamed.error().to_string();
    EXPECT_EQ(renamed->description, "renamed");

    auto removed = api().oauth().authorizations(created->id).remove();
    ASSERT_TRUE(removed) << removed.error().to_string();
    EXPECT_EQ(removed->id, created->id);
    auto token = created->access_token->token.reveal();
    expect_api_error(api(token).account().info(), 401, "unauthorized");
    expect_api_error(api().oauth().authorizations(created->id).info(), 404, "not_found");
}

TEST_F(SdkAuthorizations, UpdateAssociatesAClientGivenItsSecret) {
    auto client = api().oauth().clients().create({"Tied", "https://example.com/cb"});
    ASSERT_TRUE(client);
    auto created = api().oauth().authorizations().create({.description = "direct"});
    ASSERT_TRUE(created);
    auto wrong =
        api()
            .oauth()
            .authorizations(created->id)
            .update({.client = sdk::ClientCredentials{client->id, sdk::Secret("tcs_wrong")}});
    expect_api_error(wrong, 422, "invalid_params");
    auto tied = api()
                    .oauth()
                    .authorizations(created->id)
                    .update({.client = sdk::ClientCredentials{client->id, *client->secret}});
    ASSERT_TRUE(tied) << tied.error().to_string();
    ASSERT_TRUE(tied->client);
    EXPECT_EQ(tied->client->id, client->id);
    EXPECT_EQ(tied->client->name, "Tied");
}

TEST_F(SdkAuthorizations, RegenerateTokensReplacesTheTokenAtOnce) {
    auto created = api().oauth().authorizations().create({.description = "rotating"});
    ASSERT_TRUE(created);
    auto old_token = created->access_token->token.reveal();
    auto regenerated = api().oauth().authorizations(created->id).regenerate_tokens();
    ASSERT_TRUE(regenerated) << regenerated.error().to_string();
    auto new_token = regenerated->access_token->token.reveal();
    EXPECT_NE(new_token, old_token);
    EXPECT_TRUE(api(new_token).account().info());
    expect_api_error(api(old_token).account().info(), 401);
}

TEST_F(SdkAuthorizations, TildeWithoutAnApiKeyIsNotFound) {
    auto error = expect_api_error(api().oauth().authorizations("~").info(), 404, "not_found");
    EXPECT_EQ(error.resource, "authorization");
}

TEST_F(SdkAuthorizations, PasswordCredentialsLogIn) {
    auto login = api_with(sdk::Credentials::password(kOwner, sdk::Secret(kPassword)))
                     .oauth()
                     .authorizations()
                     .create({.scope = {"global"}, .description = "login", .expires_in = 2592000});
    ASSERT_TRUE(login) << login.error().to_string();
    EXPECT_EQ(login->user.email, kOwner);
    ASSERT_TRUE(login->access_token);
    EXPECT_TRUE(api(login->access_token->token.reveal()).oauth().clients().list());

    auto wrong = api_with(sdk::Credentials::password(kOwner, sdk::Secret("wrong password")))
                     .oauth()
                     .authorizations()
                     .create({});
    expect_api_error(wrong, 401, "unauthorized");
    // Password credentials are for logging in only.
    auto elsewhere = api_with(sdk::Credentials::password(kOwner, sdk::Secret(kPassword)))
                         .iam()
                         .oauth_scopes()
                         .list();
    ASSERT_FALSE(elsewhere);
    EXPECT_EQ(elsewhere.error().kind, sdk::ErrorKind::usage);
}

TEST_F(SdkAuthorizations, ClientGrantExchangesForTokensThenRefreshes) {
    auto granted = grant();
    ASSERT_TRUE(granted.authorization.grant);
    EXPECT_FALSE(granted.authorization.access_token);
    ASSERT_TRUE(granted.authorization.client);
    EXPECT_EQ(granted.authorization.client->id, granted.client.id);

    // §4.2: no credentials needed; the client's secret proves it.
    auto tokens = api_with({}).oauth().tokens().create({.grant_type = "authorization_code",
                                                        .code = granted.authorization.grant->code,
                                                        .client_secret = granted.client.secret});
    ASSERT_TRUE(tokens) << tokens.error().to_string();
    EXPECT_EQ(tokens->id, tokens->access_token.id);
    EXPECT_EQ(tokens->grant_type, "authorization_code");
    EXPECT_EQ(tokens->authorization_id, granted.authorization.id);
    EXPECT_FALSE(tokens->client_secret);
    ASSERT_TRUE(tokens->refresh_token);
    ASSERT_TRUE(tokens->session_id);
    ASSERT_TRUE(tokens->user_id);
    EXPECT_EQ(tokens->access_token.expires_in, 28800);

    auto refreshed =
        api_with({}).oauth().tokens().create({.grant_type = "refresh_token",
                                              .refresh_token = tokens->refresh_token->token,
                                              .client_secret = granted.client.secret});
    ASSERT_TRUE(refreshed) << refreshed.error().to_string();
    EXPECT_EQ(refreshed->grant_type, "refresh_token");
    EXPECT_FALSE(refreshed->access_token.token == tokens->access_token.token);

    // DELETE /oauth/tokens/{id}: the first access token stops working.
    auto revoked = api().oauth().tokens(tokens->id).remove();
    ASSERT_TRUE(revoked) << revoked.error().to_string();
    EXPECT_EQ(revoked->id, tokens->id);
    EXPECT_NE(revoked->access_token.token.reveal().find("**********"), std::string::npos);
    expect_api_error(api(tokens->access_token.token.reveal()).account().info(), 401);
    expect_api_error(api().oauth().tokens(tokens->id).remove(), 404, "not_found");
    EXPECT_TRUE(api(refreshed->access_token.token.reveal()).account().info());

    // A used code fails with the one generic 401 (§4.2), and its replay
    // revokes what it issued (RFC 9700): the refreshed token too.
    auto replay = api_with({}).oauth().tokens().create({.grant_type = "authorization_code",
                                                        .code = granted.authorization.grant->code,
                                                        .client_secret = granted.client.secret});
    expect_api_error(replay, 401, "unauthorized");
    expect_api_error(api(refreshed->access_token.token.reveal()).account().info(), 401);
}

TEST_F(SdkAuthorizations, SessionsListInfoTildeAndRemove) {
    auto granted = grant();
    auto tokens = api_with({}).oauth().tokens().create(
        {.code = granted.authorization.grant->code, .client_secret = granted.client.secret});
    ASSERT_TRUE(tokens) << tokens.error().to_string();
    auto sessions = api().oauth().sessions().list();
    ASSERT_TRUE(sessions) << sessions.error().to_string();
    ASSERT_EQ(sessions->size(), 1u);
    EXPECT_EQ(sessions->front().id, *tokens->session_id);

    auto page = api().oauth().sessions().list_page(sdk::Range{.max = 1}.header());
    ASSERT_TRUE(page);
    EXPECT_EQ(page->items.size(), 1u);
    EXPECT_FALSE(page->next_range);

    auto info = api().oauth().sessions(*tokens->session_id).info();
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->id, *tokens->session_id);
    EXPECT_FALSE(info->expires_in);  // refresh_token_ttl 0: never

    // `~`: the session of the presented token.
    auto session_api = api(tokens->access_token.token.reveal());
    auto current = session_api.oauth().sessions("~").info();
    ASSERT_TRUE(current) << current.error().to_string();
    EXPECT_EQ(current->id, *tokens->session_id);
    expect_api_error(api().oauth().sessions("~").info(), 404, "not_found");

    auto removed = api().oauth().sessions(*tokens->session_id).remove();
    ASSERT_TRUE(removed) << removed.error().to_string();
    EXPECT_EQ(removed->id, *tokens->session_id);
    expect_api_error(session_api.account().info(), 401);
    auto after = api().oauth().sessions().list();
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->empty());
}

TEST_F(SdkAuthorizations, AuthorizationsListPaginates) {
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(api().oauth().authorizations().create({}));
    auto all = api().oauth().authorizations().list({.max = 2});
    ASSERT_TRUE(all) << all.error().to_string();
    EXPECT_EQ(all->size(), 5u);
    auto first = api().oauth().authorizations().list_page(sdk::Range{.max = 2}.header());
    ASSERT_TRUE(first);
    EXPECT_EQ(first->items.size(), 2u);
    ASSERT_TRUE(first->next_range);
}

TEST_F(SdkAuthorizations, AccountInfoIsTheCaller) {
    auto me = api().account().info();
    ASSERT_TRUE(me) << me.error().to_string();
    EXPECT_EQ(me->email, kOwner);
    EXPECT_EQ(me->id.size(), 36u);
}

}  // namespace
}  // namespace tessera::testing
