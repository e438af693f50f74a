// to_json() renders what the server sent: the SDK's values, parsed from a
// response, serialize back to the same bytes.
#include "sdk/sdk_fixture.hpp"
#include "support/http_client.hpp"

namespace tessera::testing {
namespace {

class SdkJson : public SdkTest {
protected:
    WireResponse get(const std::string& path) {
        Client http(server_.port());
        return http.send("GET", path, "Authorization: Bearer " + token_ + "\r\n");
    }
};

TEST_F(SdkJson, HerokuResourcesRoundTrip) {
    auto client = api().oauth().clients().create({"Round trip", "https://example.com/cb"});
    ASSERT_TRUE(client);
    EXPECT_EQ(sdk::to_json(*api().oauth().clients(client->id).info()),
              get("/oauth/clients/" + client->id).body);
    auto list = api().oauth().clients().list();
    ASSERT_TRUE(list);
    EXPECT_EQ(sdk::to_json(*list), get("/oauth/clients").body);

    auto authorizations = api().oauth().authorizations().list();
    ASSERT_TRUE(authorizations);
    EXPECT_EQ(sdk::to_json(*authorizations), get("/oauth/authorizations").body);
    auto account = api().account().info();
    ASSERT_TRUE(account);
    EXPECT_EQ(sdk::to_json(*account), get("/account").body);
}

TEST_F(SdkJson, CloudflareResourcesRoundTrip) {
    auto account = new_account("Acme");
    auto created =
        api().iam().oauth_clients(account).create({.client_name = "Round trip",
                                                   .redirect_uris = {"https://example.com/cb"},
                                                   .scopes = {"account.read"},
                                                   .client_uri = "https://example.com",
                                                   .logo_uri = "https://example.com/logo.png"});
    ASSERT_TRUE(created) << created.error().to_string();
    auto path = "/client/v4/accounts/" + account + "/oauth_clients/" + created->client_id;
    auto fetched = api().iam().oauth_clients(account).get(created->client_id);
    ASSERT_TRUE(fetched);
    EXPECT_EQ(
        R"({"success":true,"errors":[],"messages":[],"result":)" + sdk::to_json(*fetched) + "}",
        get(path).body);
    auto scopes = api().iam().oauth_scopes().list();
    ASSERT_TRUE(scopes);
    EXPECT_EQ(
        R"({"success":true,"errors":[],"messages":[],"result":)" + sdk::to_json(*scopes) + "}",
        get("/client/v4/oauth/scopes").body);
}

TEST_F(SdkJson, DiscoveryRoundTrips) {
    auto metadata = api_with({}).endpoints().discovery();
    ASSERT_TRUE(metadata);
    // The server lists OIDC fields too; every field the SDK knows is kept.
    auto body = get("/.well-known/oauth-authorization-server").body;
    auto rendered = sdk::to_json(*metadata);
    for (const char* field : {"\"issuer\":", "\"token_endpoint\":", "\"scopes_supported\":",
                              "\"code_challenge_methods_supported\":[\"S256\"]"})
        EXPECT_NE(rendered.find(field), std::string::npos) << field;
    EXPECT_NE(body.find(sdk::json_string(metadata->issuer)), std::string::npos);
}

}  // namespace
}  // namespace tessera::testing
