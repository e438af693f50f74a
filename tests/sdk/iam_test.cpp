// The SDK's Cloudflare calls (spec cloudflare-oauth-clients.md) against the
// real server on loopback: every oauth_clients method, oauth_scopes, both
// kinds of credentials, and the envelope's errors.
#include "core/model/user.hpp"
#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

sdk::AccountOAuthClientCreate valid_client() {
    return {.client_name = "My OAuth App",
            .grant_types = {"authorization_code", "refresh_token"},
            .redirect_uris = {"https://example.com/callback"},
            .response_types = {"code"},
            .scopes = {"account.read"},
            .token_endpoint_auth_method = "client_secret_post"};
}

class SdkIam : public SdkTest {
protected:
    SdkIam() : account_(new_account("Acme")) {}
    sdk::AccountOAuthClients clients(const std::string& token = "") const {
        return api(token).iam().oauth_clients(account_);
    }
    std::string account_;
};

TEST_F(SdkIam, CreateReturnsEveryFieldAndTheSecretOnce) {
    auto body = valid_client();
    body.client_uri = "https://example.com";
    body.logo_uri = "https://example.com/logo.png";
    body.policy_uri = "https://example.com/privacy";
    body.tos_uri = "https://example.com/tos";
    body.allowed_cors_origins = {"https://app.example.com"};
    body.post_logout_redirect_uris = {"https://example.com/bye"};
    auto created = clients().create(body);
    ASSERT_TRUE(created) << created.error().to_string();
    const auto& c = *created;
    EXPECT_EQ(c.client_id.size(), 32u);
    EXPECT_EQ(c.visibility, "private");
    EXPECT_EQ(c.client_name, "My OAuth App");
    EXPECT_EQ(c.client_uri, "https://example.com");
    ASSERT_TRUE(c.client_uri_verification);
    EXPECT_EQ(c.client_uri_verification->status, "pending");
    EXPECT_TRUE(c.client_uri_verification->text.starts_with("cloudflare_oauth_client_publisher="));
    EXPECT_EQ(c.logo_uri, "https://example.com/logo.png");
    EXPECT_EQ(c.policy_uri, "https://example.com/privacy");
    EXPECT_EQ(c.tos_uri, "https://example.com/tos");
    EXPECT_EQ(c.redirect_uris, std::vector<std::string>{"https://example.com/callback"});
    EXPECT_EQ(c.post_logout_redirect_uris, std::vector<std::string>{"https://example.com/bye"});
    EXPECT_EQ(c.allowed_cors_origins, std::vector<std::string>{"https://app.example.com"});
    EXPECT_EQ(c.grant_types, (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(c.response_types, std::vector<std::string>{"code"});
    EXPECT_EQ(c.scopes, (std::vector<std::string>{"account.read", "offline_access"}));
    EXPECT_TRUE(c.optional_scopes.empty());
    EXPECT_EQ(c.token_endpoint_auth_method, "client_secret_post");
    EXPECT_FALSE(c.has_rotated_secret);
    EXPECT_FALSE(c.promoted_at);
    EXPECT_FALSE(c.created_at.empty());
    ASSERT_TRUE(c.client_secret);
    EXPECT_FALSE(c.client_secret->empty());

    auto fetched = clients().get(c.client_id);
    ASSERT_TRUE(fetched) << fetched.error().to_string();
    EXPECT_FALSE(fetched->client_secret);
    EXPECT_EQ(fetched->client_name, c.client_name);
}

TEST_F(SdkIam, APublicClientHasNoSecret) {
    auto body = valid_client();
    body.token_endpoint_auth_method = "none";
    auto created = clients().create(body);
    ASSERT_TRUE(created) << created.error().to_string();
    EXPECT_FALSE(created->client_secret);
    auto error = expect_api_error(clients().rotate_secret(created->client_id), 400);
    EXPECT_EQ(error.code, 1400);
}

TEST_F(SdkIam, ListReturnsEveryClientOldestFirst) {
    auto empty = clients().list();
    ASSERT_TRUE(empty) << empty.error().to_string();
    EXPECT_TRUE(empty->empty());
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto body = valid_client();
        body.client_name = "app " + std::to_string(i);
        auto created = clients().create(body);
        ASSERT_TRUE(created);
        ids.push_back(created->client_id);
    }
    auto list = clients().list();
    ASSERT_TRUE(list) << list.error().to_string();
    ASSERT_EQ(list->size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ((*list)[i].client_id, ids[i]);
        EXPECT_FALSE((*list)[i].client_secret);
    }
}

TEST_F(SdkIam, UpdateSendsOnlyTheFieldsSetAndClearsWithNull) {
    auto body = valid_client();
    body.logo_uri = "https://example.com/logo.png";
    auto created = clients().create(body);
    ASSERT_TRUE(created);
    auto renamed = clients().update(
        created->client_id,
        {.client_name = "Renamed", .grant_types = std::vector<std::string>{"authorization_code"}});
    ASSERT_TRUE(renamed) << renamed.error().to_string();
    EXPECT_EQ(renamed->client_name, "Renamed");
    EXPECT_EQ(renamed->scopes, std::vector<std::string>{"account.read"});  // offline_access dropped
    EXPECT_EQ(renamed->logo_uri, "https://example.com/logo.png");

    auto cleared = clients().update(created->client_id, {.logo_uri = sdk::null});
    ASSERT_TRUE(cleared) << cleared.error().to_string();
    EXPECT_FALSE(cleared->logo_uri);
    EXPECT_EQ(cleared->client_name, "Renamed");

    auto set = clients().update(created->client_id, {.tos_uri = "https://example.com/terms"});
    ASSERT_TRUE(set);
    EXPECT_EQ(set->tos_uri, "https://example.com/terms");

    auto unchanged = clients().update(created->client_id, {});
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->updated_at, set->updated_at);
}

TEST_F(SdkIam, PromotionPreconditionsAreReportedOneByOne) {
    auto created = clients().create(valid_client());
    ASSERT_TRUE(created);
    auto promoted = clients().update(created->client_id, {.visibility = "public"});
    auto error = expect_api_error(promoted, 400);
    EXPECT_EQ(error.code, 1005);
    EXPECT_GE(error.details.size(), 2u);  // no logo, no verified client_uri
    for (const auto& detail : error.details) EXPECT_EQ(detail.code, 1005);
}

TEST_F(SdkIam, RotateSecretThenDeleteTheRotatedOne) {
    auto created = clients().create(valid_client());
    ASSERT_TRUE(created);
    auto secret = clients().rotate_secret(created->client_id);
    ASSERT_TRUE(secret) << secret.error().to_string();
    EXPECT_FALSE(*secret == *created->client_secret);
    auto rotated = clients().get(created->client_id);
    ASSERT_TRUE(rotated);
    EXPECT_TRUE(rotated->has_rotated_secret);

    // §2.6: rotating again is a conflict, not to be retried.
    auto again = clients().rotate_secret(created->client_id);
    auto error = expect_api_error(again, 409);
    EXPECT_EQ(error.code, 1409);

    auto dropped = clients().delete_rotated_secret(created->client_id);
    ASSERT_TRUE(dropped) << dropped.error().to_string();
    EXPECT_EQ(*dropped, created->client_id);
    EXPECT_FALSE(clients().get(created->client_id)->has_rotated_secret);
    auto none = clients().delete_rotated_secret(created->client_id);
    EXPECT_EQ(expect_api_error(none, 404).code, 1404);
}

TEST_F(SdkIam, RemoveReturnsTheIdAndTheClientIsGone) {
    auto created = clients().create(valid_client());
    ASSERT_TRUE(created);
    auto removed = clients().remove(created->client_id);
    ASSERT_TRUE(removed) << removed.error().to_string();
    EXPECT_EQ(*removed, created->client_id);
    auto gone = clients().get(created->client_id);
    auto error = expect_api_error(gone, 404);
    EXPECT_EQ(error.code, 7003);
    EXPECT_TRUE(error.is_not_found());
}

TEST_F(SdkIam, InvalidBodiesReportEveryProblemWithItsPointer) {
    auto body = valid_client();
    body.client_name = " ";
    body.redirect_uris = {"http://example.com/cb"};
    body.scopes = {"bad:scope"};
    auto created = clients().create(body);
    auto error = expect_api_error(created, 400);
    ASSERT_EQ(error.details.size(), 3u) << error.to_string();
    EXPECT_EQ(error.code, error.details[0].code);
    EXPECT_EQ(error.message, error.details[0].message);
    std::vector<std::string> pointers;
    for (const auto& d : error.details) pointers.push_back(d.pointer);
    EXPECT_EQ(pointers,
              (std::vector<std::string>{"/client_name", "/redirect_uris/0", "/scopes/0"}));
}

TEST_F(SdkIam, CredentialsAndRolesAreChecked) {
    // Unknown token: 401 code 10000.
    auto anonymous = clients("HRKU-nope").list();
    EXPECT_EQ(expect_api_error(anonymous, 401).code, 10000);
    // A member who may only read cannot write: 403 code 10000.
    auto reader = user_token("reader@example.com");
    auto added = server_.app().accounts().add_member(*Id::parse(account_), "reader@example.com",
                                                     core::Role::oauth_client_read);
    ASSERT_TRUE(added);
    EXPECT_TRUE(clients(reader).list());
    EXPECT_EQ(expect_api_error(clients(reader).create(valid_client()), 403).code, 10000);
    // Not a member: the account does not exist for them.
    auto stranger = user_token("stranger@example.com");
    EXPECT_EQ(expect_api_error(clients(stranger).list(), 404).code, 7003);
}

TEST_F(SdkIam, AGlobalApiKeyWorksLikeAToken) {
    auto user = server_.app().users().find_by_email(kOwner);
    ASSERT_TRUE(user);
    auto key = server_.app().api_keys().issue(user->id);
    ASSERT_TRUE(key);
    auto with_key = api_with(sdk::Credentials::api_key(kOwner, sdk::Secret(key->reveal())));
    auto created = with_key.iam().oauth_clients(account_).create(valid_client());
    ASSERT_TRUE(created) << created.error().to_string();
    auto wrong = api_with(sdk::Credentials::api_key(kOwner, sdk::Secret("tak_wrong")));
    EXPECT_EQ(expect_api_error(wrong.iam().oauth_clients(account_).list(), 401).code, 10000);
}

TEST_F(SdkIam, ScopesListTheCatalog) {
    auto scopes = api().iam().oauth_scopes().list();
    ASSERT_TRUE(scopes) << scopes.error().to_string();
    ASSERT_FALSE(scopes->empty());
    bool found = false;
    for (const auto& s : *scopes) {
        EXPECT_NE(s.id.find('.'), std::string::npos) << s.id;
        EXPECT_FALSE(s.name.empty());
        if (s.id == "account.read") found = true;
    }
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace tessera::testing
