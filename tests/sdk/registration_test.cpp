// The SDK's dynamic client registration calls (RFC 7591, RFC 7592) against
// the real server on loopback: register, read, update and delete with the
// registration access token, and each error class.
#include "sdk/sdk_fixture.hpp"
#include "support/http_client.hpp"

namespace tessera::testing {
namespace {

app::Config registration(const std::string& mode) {
    app::Config config;
    config.registration = mode;
    config.registration_owner = mode == "off" ? "" : kOwner;
    return config;
}

sdk::ClientMetadata web_app() {
    return {.redirect_uris = std::vector<std::string>{"https://app.example.com/cb"},
            .grant_types = std::vector<std::string>{"authorization_code", "refresh_token"},
            .client_name = "Web app",
            .scope = "openid read"};
}

class SdkRegistration : public SdkTest {
protected:
    explicit SdkRegistration(const std::string& mode = "token")
        : SdkTest(registration(mode), {kOwner}) {}

    // Single use, as `tessera admin registration-tokens create` makes them.
    sdk::Secret initial_token() {
        auto issued = server_.app().registration().issue_initial_token(std::nullopt, 1);
        EXPECT_TRUE(issued) << issued.error().description;
        return sdk::Secret(issued->value.reveal());
    }
    sdk::Endpoints endpoints() const { return api_with({}).endpoints(); }
};

class SdkOpenRegistration : public SdkRegistration {
protected:
    SdkOpenRegistration() : SdkRegistration("open") {}
};

class SdkRegistrationOff : public SdkRegistration {
protected:
    SdkRegistrationOff() : SdkRegistration("off") {}
};

TEST_F(SdkRegistration, RegisterReadUpdateDelete) {
    auto metadata = web_app();
    metadata.access_token_format = "jwt";
    auto registered = endpoints().register_client(metadata, initial_token());
    ASSERT_TRUE(registered) << registered.error().to_string();
    const auto& r = *registered;
    EXPECT_EQ(r.client_id.size(), 36u);
    ASSERT_TRUE(r.client_secret);
    EXPECT_TRUE(r.client_secret->reveal().starts_with("tcs_"));
    EXPECT_GT(r.client_id_issued_at.value_or(0), 0);
    EXPECT_EQ(r.client_secret_expires_at, 0);
    EXPECT_TRUE(r.registration_access_token.reveal().starts_with("tra_"));
    EXPECT_EQ(r.registration_client_uri, "http://127.0.0.1:8080/oauth/register/" + r.client_id);
    EXPECT_EQ(r.client_name, "Web app");
    EXPECT_EQ(r.redirect_uris, std::vector<std::string>{"https://app.example.com/cb"});
    EXPECT_TRUE(r.post_logout_redirect_uris.empty());
    EXPECT_EQ(r.grant_types, (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(r.response_types, std::vector<std::string>{"code"});
    EXPECT_EQ(r.token_endpoint_auth_method, "client_secret_basic");
    EXPECT_EQ(r.scope, "openid read");
    EXPECT_EQ(r.access_token_format, "jwt");

    auto handle = endpoints().registration(r.client_id, r.registration_access_token);
    auto read = handle.read();
    ASSERT_TRUE(read) << read.error().to_string();
    EXPECT_FALSE(read->client_secret);  // shown once
    EXPECT_EQ(read->client_name, "Web app");
    EXPECT_TRUE(read->registration_access_token == r.registration_access_token);
    // What the SDK read renders back to the server's bytes.
    Client http(server_.port());
    auto raw = http.send("GET", "/oauth/register/" + r.client_id,
                         "Authorization: Bearer " + r.registration_access_token.reveal() + "\r\n");
    EXPECT_EQ(sdk::to_json(*read), raw.body);

    auto changed = web_app();
    changed.client_name = "Renamed";
    changed.redirect_uris = std::vector<std::string>{"https://app.example.com/other"};
    changed.post_logout_redirect_uris = std::vector<std::string>{"https://app.example.com/bye"};
    changed.scope = "read write";
    auto updated = handle.update(changed, r.client_secret);
    ASSERT_TRUE(updated) << updated.error().to_string();
    EXPECT_EQ(updated->client_id, r.client_id);
    EXPECT_EQ(updated->client_name, "Renamed");
    EXPECT_EQ(updated->redirect_uris, std::vector<std::string>{"https://app.example.com/other"});
    EXPECT_EQ(updated->post_logout_redirect_uris,
              std::vector<std::string>{"https://app.example.com/bye"});
    EXPECT_EQ(updated->scope, "read write");
    // Left out, so back to its default (RFC 7592 §2.2 replaces the whole).
    EXPECT_EQ(updated->access_token_format, "opaque");
    // Without the secret is fine too; a wrong one is not.
    EXPECT_TRUE(handle.update(changed));
    auto wrong_secret = handle.update(changed, sdk::Secret("tcs_not-the-secret"));
    auto error = expect_api_error(wrong_secret, 400, "invalid_client_metadata");
    EXPECT_EQ(error.message, "client_secret must be the client's current secret");

    // The secret still works at the token endpoint (client_credentials is
    // not granted: the client is known, the grant is not).
    auto token = endpoints().token(
        {.grant_type = "client_credentials", .client = {r.client_id, *r.client_secret}});
    expect_api_error(token, 400, "unauthorized_client");

    ASSERT_TRUE(handle.remove());
    expect_api_error(handle.read(), 401, "invalid_token");
    expect_api_error(handle.remove(), 401, "invalid_token");
}

TEST_F(SdkRegistration, APublicClientHasNoSecret) {
    auto registered = endpoints().register_client(
        {.redirect_uris = std::vector<std::string>{"http://127.0.0.1/callback"},
         .post_logout_redirect_uris = std::vector<std::string>{"http://127.0.0.1/bye"},
         .token_endpoint_auth_method = "none",
         .client_name = "Native app"},
        initial_token());
    ASSERT_TRUE(registered) << registered.error().to_string();
    EXPECT_FALSE(registered->client_secret);
    EXPECT_FALSE(registered->client_secret_expires_at);
    EXPECT_EQ(registered->token_endpoint_auth_method, "none");
    EXPECT_FALSE(registered->scope);
    EXPECT_EQ(registered->post_logout_redirect_uris,
              std::vector<std::string>{"http://127.0.0.1/bye"});
    EXPECT_EQ(sdk::to_json(*registered).find("client_secret"), std::string::npos);
}

TEST_F(SdkRegistration, TheInitialAccessTokenIsRequiredAndSingleUse) {
    auto missing = endpoints().register_client(web_app());
    auto error = expect_api_error(missing, 401, "invalid_token");
    EXPECT_EQ(error.message, "the initial access token is invalid or expired");
    auto token = initial_token();
    ASSERT_TRUE(endpoints().register_client(web_app(), token));
    expect_api_error(endpoints().register_client(web_app(), token), 401, "invalid_token");
    // The Api's own credentials are never sent in its place.
    auto with_credentials = api().endpoints().register_client(web_app());
    expect_api_error(with_credentials, 401, "invalid_token");
}

TEST_F(SdkRegistration, MetadataErrorsCarryTheirCode) {
    auto bad_uri = web_app();
    bad_uri.redirect_uris = std::vector<std::string>{"http://evil.example/cb"};
    auto error = expect_api_error(endpoints().register_client(bad_uri, initial_token()), 400,
                                  "invalid_redirect_uri");
    EXPECT_NE(error.message.find("redirect_uri must use https"), std::string::npos);

    auto bad_format = web_app();
    bad_format.access_token_format = "paseto";
    error = expect_api_error(endpoints().register_client(bad_format, initial_token()), 400,
                             "invalid_client_metadata");
    EXPECT_EQ(error.message, "access_token_format must be opaque or jwt");

    auto public_machine =
        sdk::ClientMetadata{.token_endpoint_auth_method = "none",
                            .grant_types = std::vector<std::string>{"client_credentials"}};
    expect_api_error(endpoints().register_client(public_machine, initial_token()), 400,
                     "invalid_client_metadata");
}

TEST_F(SdkRegistration, AnotherClientsTokenOrAnUnknownClientIsTheSameInvalidToken) {
    auto a = endpoints().register_client(web_app(), initial_token());
    auto b = endpoints().register_client(web_app(), initial_token());
    ASSERT_TRUE(a && b);
    auto crossed = endpoints().registration(a->client_id, b->registration_access_token);
    expect_api_error(crossed.read(), 401, "invalid_token");
    expect_api_error(crossed.update(web_app()), 401, "invalid_token");
    expect_api_error(crossed.remove(), 401, "invalid_token");
    auto unknown = endpoints().registration("0a6ef5d4-0000-4000-8000-000000000000",
                                            a->registration_access_token);
    auto error = expect_api_error(unknown.read(), 401, "invalid_token");
    EXPECT_EQ(error.message, "the registration access token is invalid or expired");
    // A bad update body from the right caller is a metadata error.
    auto bad = web_app();
    bad.grant_types = std::vector<std::string>{};
    expect_api_error(
        endpoints().registration(a->client_id, a->registration_access_token).update(bad), 400,
        "invalid_client_metadata");
}

TEST_F(SdkOpenRegistration, AnyoneMayRegister) {
    auto registered = endpoints().register_client(web_app());
    ASSERT_TRUE(registered) << registered.error().to_string();
    EXPECT_TRUE(endpoints()
                    .registration(registered->client_id, registered->registration_access_token)
                    .read());
    auto metadata = endpoints().discovery();
    ASSERT_TRUE(metadata);
    EXPECT_EQ(metadata->registration_endpoint, "http://127.0.0.1:8080/oauth/register");
}

TEST_F(SdkRegistrationOff, TheEndpointDoesNotExist) {
    auto refused = endpoints().register_client(web_app(), initial_token());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, sdk::ErrorKind::api);
    EXPECT_EQ(refused.error().status, 404);
    auto metadata = endpoints().discovery();
    ASSERT_TRUE(metadata);
    EXPECT_FALSE(metadata->registration_endpoint);
}

}  // namespace
}  // namespace tessera::testing
