// The SDK's standard endpoint calls (RFC 6749 token, RFC 7662, RFC 7009,
// RFC 8414, RFC 7517, OpenID Connect Discovery and UserInfo) against the
// real server on loopback.
#include "sdk/sdk_fixture.hpp"
#include "support/http_client.hpp"

namespace tessera::testing {
namespace {

class SdkEndpoints : public SdkTest {
protected:
    // A machine client of the owner's account (client_credentials).
    sdk::ClientAuth machine_client(
        sdk::ClientAuth::Method method = sdk::ClientAuth::Method::basic) {
        auto user = server_.app().users().find_by_email(kOwner);
        EXPECT_TRUE(user);
        auto registered = server_.app().clients().register_client(
            {user->id,
             user->account_id,
             "Machine",
             {},
             {"client_credentials"},
             {},
             method == sdk::ClientAuth::Method::post ? "client_secret_post" : "",
             ""},
            server_.app().scopes());
        EXPECT_TRUE(registered) << registered.error().description;
        return {registered->client.id.uuid(), sdk::Secret(registered->secret.reveal()), method};
    }
    sdk::Result<sdk::TokenResponse> client_credentials(const sdk::ClientAuth& client) {
        return api_with({}).endpoints().token(
            {.grant_type = "client_credentials", .client = client, .scope = "read"});
    }
};

TEST_F(SdkEndpoints, DiscoveryDescribesTheServer) {
    auto metadata = api_with({}).endpoints().discovery();
    ASSERT_TRUE(metadata) << metadata.error().to_string();
    EXPECT_EQ(metadata->issuer, "http://127.0.0.1:8080");
    EXPECT_EQ(metadata->token_endpoint, "http://127.0.0.1:8080/oauth/token");
    EXPECT_EQ(metadata->introspection_endpoint, "http://127.0.0.1:8080/oauth/introspect");
    EXPECT_EQ(metadata->revocation_endpoint, "http://127.0.0.1:8080/oauth/revoke");
    EXPECT_EQ(metadata->code_challenge_methods_supported, std::vector<std::string>{"S256"});
    EXPECT_TRUE(metadata->authorization_response_iss_parameter_supported);
    EXPECT_FALSE(metadata->grant_types_supported.empty());
}

TEST_F(SdkEndpoints, OpenIdConfigurationIsTheSameDocument) {
    auto oidc = api_with({}).endpoints().openid_configuration();
    ASSERT_TRUE(oidc) << oidc.error().to_string();
    auto oauth = api_with({}).endpoints().discovery();
    ASSERT_TRUE(oauth);
    EXPECT_EQ(sdk::to_json(*oidc), sdk::to_json(*oauth));
    EXPECT_EQ(oidc->jwks_uri, "http://127.0.0.1:8080/.well-known/jwks.json");
    EXPECT_EQ(oidc->userinfo_endpoint, "http://127.0.0.1:8080/userinfo");
    EXPECT_EQ(oidc->id_token_signing_alg_values_supported, std::vector<std::string>{"ES256"});
}

TEST_F(SdkEndpoints, JwksListsThePublishedKeys) {
    auto jwks = api_with({}).endpoints().jwks();
    ASSERT_TRUE(jwks) << jwks.error().to_string();
    ASSERT_EQ(jwks->keys.size(), 1u);
    const auto& key = jwks->keys.front();
    EXPECT_EQ(key.kty, "EC");
    EXPECT_EQ(key.crv, "P-256");
    EXPECT_EQ(key.alg, "ES256");
    EXPECT_EQ(key.use, "sig");
    EXPECT_TRUE(key.kid && !key.kid->empty());
    EXPECT_EQ(key.x->size(), 43u);
    EXPECT_EQ(key.y->size(), 43u);
    EXPECT_FALSE(key.n || key.e);
    Client http(server_.port());
    EXPECT_EQ(sdk::to_json(*jwks), http.send("GET", "/.well-known/jwks.json").body);
}

TEST_F(SdkEndpoints, UserInfoErrorsFollowRfc6750) {
    // No token at all: 401 whose only word is the challenge.
    auto anonymous = api_with({}).endpoints().userinfo();
    auto error = expect_api_error(anonymous, 401);
    EXPECT_EQ(error.id, "");
    EXPECT_EQ(error.message, "the server asks for credentials: Bearer realm=\"tessera\"");
    auto bogus = api_with({}).endpoints().userinfo(sdk::Secret("tat_bogus"));
    error = expect_api_error(bogus, 401, "invalid_token");
    EXPECT_EQ(error.message, "the access token is invalid or expired");
    // The owner's API token has no `openid`.
    error = expect_api_error(api().endpoints().userinfo(), 403, "insufficient_scope");
    EXPECT_EQ(error.message, "the access token does not have the openid scope");
}

TEST_F(SdkEndpoints, ClientCredentialsWithBasicAndWithPost) {
    for (auto method : {sdk::ClientAuth::Method::basic, sdk::ClientAuth::Method::post}) {
        auto tokens = client_credentials(machine_client(method));
        ASSERT_TRUE(tokens) << tokens.error().to_string();
        EXPECT_FALSE(tokens->access_token.empty());
        EXPECT_EQ(tokens->token_type, "Bearer");
        EXPECT_EQ(tokens->expires_in, 3600);
        EXPECT_FALSE(tokens->refresh_token);
    }
}

TEST_F(SdkEndpoints, IntrospectAndRevoke) {
    auto client = machine_client();
    auto tokens = client_credentials(client);
    ASSERT_TRUE(tokens) << tokens.error().to_string();

    auto seen = api_with({}).endpoints().introspect(tokens->access_token, client);
    ASSERT_TRUE(seen) << seen.error().to_string();
    EXPECT_TRUE(seen->active);
    EXPECT_EQ(seen->client_id, client.client_id);
    EXPECT_EQ(seen->token_type, "Bearer");
    EXPECT_EQ(seen->iss, "http://127.0.0.1:8080");
    ASSERT_TRUE(seen->exp && seen->iat);
    EXPECT_EQ(*seen->exp - *seen->iat, 3600);

    // With the Api's own global token instead of client credentials.
    auto as_user = api().endpoints().introspect(tokens->access_token);
    ASSERT_TRUE(as_user) << as_user.error().to_string();
    EXPECT_TRUE(as_user->active);
    auto narrow = api(user_token("narrow@example.com", {"read"}))
                      .endpoints()
                      .introspect(tokens->access_token);
    expect_api_error(narrow, 403, "insufficient_scope");

    auto revoked = api_with({}).endpoints().revoke(tokens->access_token, client, "access_token");
    ASSERT_TRUE(revoked) << revoked.error().to_string();
    auto after = api_with({}).endpoints().introspect(tokens->access_token, client);
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->active);
    EXPECT_FALSE(after->scope);
    // RFC 7009 §2.2: an unknown token revokes fine too.
    EXPECT_TRUE(api_with({}).endpoints().revoke(sdk::Secret("nonsense"), client));
}

TEST_F(SdkEndpoints, AuthorizationCodeFromAHerokuGrant) {
    auto client = api().oauth().clients().create({"Web", "https://example.com/cb"});
    ASSERT_TRUE(client);
    auto granted = api().oauth().authorizations().create({.client = client->id});
    ASSERT_TRUE(granted && granted->grant) << granted.error().to_string();
    auto tokens = api_with({}).endpoints().token(
        {.grant_type = "authorization_code",
         .client = {client->id, *client->secret, sdk::ClientAuth::Method::basic},
         .code = granted->grant->code});
    ASSERT_TRUE(tokens) << tokens.error().to_string();
    EXPECT_TRUE(tokens->refresh_token);
    EXPECT_TRUE(tokens->user_id);
    ASSERT_TRUE(tokens->session_nonce);
    EXPECT_EQ(tokens->session_nonce->size(), 16u);

    auto refreshed = api_with({}).endpoints().token(
        {.grant_type = "refresh_token",
         .client = {client->id, *client->secret, sdk::ClientAuth::Method::basic},
         .refresh_token = tokens->refresh_token});
    ASSERT_TRUE(refreshed) << refreshed.error().to_string();
    EXPECT_FALSE(refreshed->access_token == tokens->access_token);
}

TEST_F(SdkEndpoints, ErrorsCarryTheOAuthErrorCode) {
    auto client = machine_client();
    client.client_secret = sdk::Secret("wrong");
    auto basic = client_credentials(client);
    expect_api_error(basic, 401, "invalid_client");  // RFC 6749 §5.2: 401 after Basic
    client.method = sdk::ClientAuth::Method::post;
    expect_api_error(client_credentials(client), 400, "invalid_client");
    auto right = machine_client();
    auto unsupported = api_with({}).endpoints().token({.grant_type = "password", .client = right});
    auto error = expect_api_error(unsupported, 400, "unsupported_grant_type");
    EXPECT_FALSE(error.message.empty());
}

}  // namespace
}  // namespace tessera::testing
