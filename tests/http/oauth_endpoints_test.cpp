// Wire tests for the standard OAuth endpoints (RFC 6749 §4.4 and §5, RFC 7009,
// RFC 7662, RFC 8414) against the real server on loopback.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "core/model/client.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";

struct Machine {
    std::string id;
    std::string secret;
};

class OAuthEndpoints : public ::testing::Test {
protected:
    OAuthEndpoints() : client_(server_.port()) {
        server_.create_user_token("owner@example.com");
        machine_ = register_machine("owner@example.com", {"read", "write"});
    }

    Machine register_machine(const std::string& email, std::vector<std::string> scopes,
                             const std::string& method = "client_secret_basic") {
        auto owner = server_.app().users().find_by_email(email);
        auto created = server_.app().clients().register_client({owner->id,
                                                                owner->account_id,
                                                                "machine",
                                                                {},
                                                                {"client_credentials"},
                                                                scopes,
                                                                method,
                                                                "rotate"},
                                                               server_.app().scopes());
        EXPECT_TRUE(created.has_value());
        return {created->client.id.uuid(), created->secret.reveal()};
    }
    static std::string basic(const Machine& m, const std::string& secret = "") {
        return "Authorization: Basic " +
               base64_encode(m.id + ":" + (secret.empty() ? m.secret : secret)) + "\r\n";
    }
    WireResponse post(const std::string& path, const std::string& body,
                      const std::string& headers) {
        return client_.send("POST", path, kForm + headers, body);
    }
    std::string mint(const Machine& m, const std::string& scope = "read") {
        auto r = post("/oauth/token", "grant_type=client_credentials&scope=" + scope, basic(m));
        EXPECT_EQ(r.status, 200) << r.body;
        return std::string(json::parse(r.body).as_object()["access_token"].as_string());
    }
    json::object introspect(const Machine& as, const std::string& token) {
        auto r = post("/oauth/introspect", "token=" + token, basic(as));
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).as_object();
    }
    static std::string error_of(const WireResponse& r) {
        return std::string(json::parse(r.body).as_object()["error"].as_string());
    }

    TestServer server_;
    Client client_;
    Machine machine_;
};

TEST_F(OAuthEndpoints, ClientCredentialsIssuesABearerTokenThatIsNeverCached) {
    auto r = post("/oauth/token", "grant_type=client_credentials&scope=read", basic(machine_));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.header("pragma"), "no-cache");
    auto o = json::parse(r.body).as_object();
    EXPECT_TRUE(std::string(o["access_token"].as_string()).starts_with("tat_"));
    EXPECT_EQ(o["token_type"], "Bearer");
    EXPECT_EQ(o["expires_in"], 3600);
    EXPECT_EQ(o["scope"], "read");
    EXPECT_FALSE(o.contains("refresh_token"));
    auto defaulted = post("/oauth/token", "grant_type=client_credentials", basic(machine_));
    EXPECT_EQ(json::parse(defaulted.body).as_object()["scope"], "read write");
}

TEST_F(OAuthEndpoints, ClientSecretPostWorksForAClientRegisteredForIt) {
    Machine poster = register_machine("owner@example.com", {"read"}, "client_secret_post");
    auto r = post("/oauth/token",
                  "grant_type=client_credentials&client_id=" + poster.id +
                      "&client_secret=" + poster.secret,
                  "");
    EXPECT_EQ(r.status, 200) << r.body;
}

// Cloudflare spec §4.8: a client authenticates only the way it registered.
TEST_F(OAuthEndpoints, TheRegisteredAuthenticationMethodIsEnforced) {
    auto posted = post("/oauth/token",
                       "grant_type=client_credentials&client_id=" + machine_.id +
                           "&client_secret=" + machine_.secret,
                       "");
    EXPECT_EQ(posted.status, 400);
    EXPECT_EQ(posted.body,
              R"({"error":"invalid_client","error_description":"client authentication failed"})");
    Machine poster = register_machine("owner@example.com", {"read"}, "client_secret_post");
    auto basic_sent = post("/oauth/token", "grant_type=client_credentials", basic(poster));
    EXPECT_EQ(basic_sent.status, 401);
    EXPECT_EQ(error_of(basic_sent), "invalid_client");
}

// Cloudflare spec §8: browsers may read answers only from allowed origins.
TEST_F(OAuthEndpoints, CorsHeadersOnlyForTheClientsAllowedOrigins) {
    auto preflight = client_.send("OPTIONS", "/oauth/token",
                                  "Origin: https://spa.example\r\n"
                                  "Access-Control-Request-Method: POST\r\n",
                                  "");
    EXPECT_EQ(preflight.status, 204);
    EXPECT_EQ(preflight.header("access-control-allow-origin"), "https://spa.example");
    EXPECT_EQ(preflight.header("access-control-allow-methods"), "POST");

    auto owner = server_.app().users().find_by_email("owner@example.com");
    core::Client client = server_.app().clients().info(owner->id, *Id::parse(machine_.id)).value();
    EXPECT_TRUE(client.allowed_cors_origins.empty());
    auto refused = post("/oauth/token", "grant_type=client_credentials",
                        basic(machine_) + "Origin: https://spa.example\r\n");
    EXPECT_EQ(refused.status, 200);
    EXPECT_EQ(refused.header("access-control-allow-origin"), "");
}

TEST_F(OAuthEndpoints, BadClientCredentialsAreInvalidClient) {
    auto via_basic =
        post("/oauth/token", "grant_type=client_credentials", basic(machine_, "tcs_wrong"));
    EXPECT_EQ(via_basic.status, 401);
    EXPECT_EQ(via_basic.header("www-authenticate"), "Basic realm=\"tessera\"");
    EXPECT_EQ(via_basic.body,
              R"({"error":"invalid_client","error_description":"client authentication failed"})");
    auto via_post =
        post("/oauth/token",
             "grant_type=client_credentials&client_id=" + machine_.id + "&client_secret=nope", "");
    EXPECT_EQ(via_post.status, 400);
    EXPECT_EQ(error_of(via_post), "invalid_client");
    auto unknown = post("/oauth/token",
                        "grant_type=client_credentials&client_id=00000000-0000-4000-8000-"
                        "000000000000&client_secret=x",
                        "");
    EXPECT_EQ(error_of(unknown), "invalid_client");
    auto none = post("/oauth/token", "grant_type=client_credentials", "");
    EXPECT_EQ(error_of(none), "invalid_client");
}

TEST_F(OAuthEndpoints, MalformedRequestsAreInvalidRequest) {
    struct Case {
        std::string body;
        std::string headers;
        std::string error;
    };
    for (const auto& c :
         {Case{"grant_type=client_credentials&grant_type=client_credentials", basic(machine_),
               "invalid_request"},
          Case{"client_secret=" + machine_.secret, basic(machine_), "invalid_request"},
          Case{"scope=read", basic(machine_), "invalid_request"},
          Case{"grant_type=password&username=a&password=b", basic(machine_),
               "unsupported_grant_type"},
          Case{"grant_type=client_credentials&scope=global", basic(machine_), "invalid_scope"},
          Case{"grant_type=client_credentials&scope=read%20%20write", basic(machine_),
               "invalid_scope"}}) {
        auto r = post("/oauth/token", c.body, c.headers);
        EXPECT_EQ(r.status, 400) << c.body;
        EXPECT_EQ(error_of(r), c.error) << c.body;
        EXPECT_EQ(r.header("cache-control"), "no-store");
    }
    auto json_body =
        client_.send("POST", "/oauth/token", "Content-Type: application/json\r\n" + basic(machine_),
                     R"({"grant_type":"client_credentials"})");
    EXPECT_EQ(error_of(json_body), "invalid_request");
}

TEST_F(OAuthEndpoints, WebClientsCannotUseClientCredentialsAndRotationEndsOldSecrets) {
    auto owner_token = server_.create_user_token("owner@example.com");
    auto owner = server_.app().users().find_by_email("owner@example.com");
    auto web = server_.app().clients().create(
        {owner->id, owner->account_id, "web", "https://example.com/cb"});
    ASSERT_TRUE(web.has_value());
    Machine m{web->client.id.uuid(), web->secret.reveal()};
    auto r = post("/oauth/token", "grant_type=client_credentials&scope=read", basic(m));
    EXPECT_EQ(error_of(r), "unauthorized_client");  // authenticated, but not allowed
    auto rotated = server_.app().clients().rotate_secret_now(owner->id, web->client.id);
    ASSERT_TRUE(rotated.has_value());
    auto old_secret = post("/oauth/token", "grant_type=client_credentials", basic(m));
    EXPECT_EQ(error_of(old_secret), "invalid_client");  // Heroku spec D4: at once
    auto new_secret =
        post("/oauth/token", "grant_type=client_credentials", basic(m, rotated->secret.reveal()));
    EXPECT_EQ(error_of(new_secret), "unauthorized_client");
}

TEST_F(OAuthEndpoints, IntrospectionDescribesLiveTokensOfTheSameAccountOnly) {
    std::string token = mint(machine_, "read");
    auto o = introspect(machine_, token);
    EXPECT_EQ(o["active"], true);
    EXPECT_EQ(o["scope"], "read");
    EXPECT_EQ(o["client_id"].as_string(), machine_.id);
    EXPECT_EQ(o["token_type"], "Bearer");
    EXPECT_EQ(o["iss"], "http://127.0.0.1:8080");
    EXPECT_GT(o["exp"].as_int64(), o["iat"].as_int64());
    EXPECT_FALSE(o.contains("sub"));  // no user behind client_credentials

    auto sibling = register_machine("owner@example.com", {"read"});
    EXPECT_EQ(introspect(sibling, token)["active"], true);
    server_.create_user_token("stranger@example.com");
    auto stranger = register_machine("stranger@example.com", {"read"});
    EXPECT_EQ(json::serialize(introspect(stranger, token)), R"({"active":false})");
    EXPECT_EQ(json::serialize(introspect(machine_, "tat_not-a-token")), R"({"active":false})");
    // A personal API token is not a client's token.
    EXPECT_EQ(introspect(machine_, server_.create_user_token("owner@example.com"))["active"],
              false);
}

TEST_F(OAuthEndpoints, RevocationEndsATokenForItsOwnClientOnly) {
    std::string token = mint(machine_);
    auto other = register_machine("owner@example.com", {"read"});
    auto refused = post("/oauth/revoke", "token=" + token, basic(other));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(error_of(refused), "unauthorized_client");
    EXPECT_EQ(introspect(machine_, token)["active"], true);

    auto revoked =
        post("/oauth/revoke", "token=" + token + "&token_type_hint=access_token", basic(machine_));
    EXPECT_EQ(revoked.status, 200);
    EXPECT_EQ(introspect(machine_, token)["active"], false);
    // RFC 7009 §2.2: revoking again, or revoking garbage, is still a success.
    EXPECT_EQ(post("/oauth/revoke", "token=" + token, basic(machine_)).status, 200);
    EXPECT_EQ(post("/oauth/revoke", "token=garbage", basic(machine_)).status, 200);
}

TEST_F(OAuthEndpoints, DeletingAClientRevokesItsTokens) {
    std::string token = mint(machine_);
    auto watcher = register_machine("owner@example.com", {"read"});
    EXPECT_EQ(introspect(watcher, token)["active"], true);
    auto owner = server_.app().users().find_by_email("owner@example.com");
    ASSERT_TRUE(server_.app().clients().remove(owner->id, *Id::parse(machine_.id)).has_value());
    EXPECT_EQ(introspect(watcher, token)["active"], false);
}

TEST_F(OAuthEndpoints, AGlobalBearerTokenIntrospectsTokensOfItsAccount) {
    std::string token = mint(machine_, "read");
    auto as_bearer = [&](const std::string& bearer, const std::string& body) {
        return post("/oauth/introspect", body, "Authorization: Bearer " + bearer + "\r\n");
    };
    auto owner = as_bearer(server_.create_user_token("owner@example.com"), "token=" + token);
    ASSERT_EQ(owner.status, 200) << owner.body;
    auto o = json::parse(owner.body).as_object();
    EXPECT_EQ(o["active"], true);
    EXPECT_EQ(o["client_id"].as_string(), machine_.id);

    auto stranger = as_bearer(server_.create_user_token("stranger@example.com"), "token=" + token);
    EXPECT_EQ(stranger.body, R"({"active":false})");

    auto narrow =
        as_bearer(server_.create_user_token("owner@example.com", {"read"}), "token=" + token);
    EXPECT_EQ(narrow.status, 403);
    EXPECT_EQ(error_of(narrow), "insufficient_scope");
    EXPECT_NE(narrow.header("www-authenticate").find("error=\"insufficient_scope\""),
              std::string::npos);

    auto forged = as_bearer("HRKU-forged", "token=" + token);
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(error_of(forged), "invalid_token");
    EXPECT_TRUE(forged.header("www-authenticate").starts_with("Bearer "));
}

TEST_F(OAuthEndpoints, MetadataListsExactlyWhatIsSupported) {
    auto r = client_.send("GET", "/.well-known/oauth-authorization-server");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["issuer"], "http://127.0.0.1:8080");
    EXPECT_EQ(o["token_endpoint"], "http://127.0.0.1:8080/oauth/token");
    EXPECT_EQ(o["revocation_endpoint"], "http://127.0.0.1:8080/oauth/revoke");
    EXPECT_EQ(o["introspection_endpoint"], "http://127.0.0.1:8080/oauth/introspect");
    EXPECT_EQ(o["authorization_endpoint"], "http://127.0.0.1:8080/oauth/authorize");
    EXPECT_EQ(json::serialize(o["grant_types_supported"]),
              R"(["authorization_code","refresh_token","client_credentials","implicit"])");
    EXPECT_EQ(json::serialize(o["token_endpoint_auth_methods_supported"]),
              R"(["client_secret_basic","client_secret_post","none"])");
    EXPECT_EQ(json::serialize(o["introspection_endpoint_auth_methods_supported"]),
              R"(["client_secret_basic","client_secret_post"])");
    EXPECT_EQ(json::serialize(o["response_types_supported"]),
              R"(["code","code id_token","code token","code id_token token","id_token",)"
              R"("id_token token","token"])");
    EXPECT_EQ(json::serialize(o["response_modes_supported"]),
              R"(["query","fragment","form_post"])");
    EXPECT_EQ(json::serialize(o["code_challenge_methods_supported"]), R"(["S256"])");
    EXPECT_EQ(o["authorization_response_iss_parameter_supported"], true);
    EXPECT_EQ(json::serialize(o["scopes_supported"]),
              R"(["global","identity","read","write","read-protected","write-protected",)"
              R"("openid","profile","email","user-details.read","account.read","account.write",)"
              R"("oauth-clients.read","oauth-clients.write","apps.read","apps.write",)"
              R"("offline_access"])");
    EXPECT_EQ(o["jwks_uri"], "http://127.0.0.1:8080/.well-known/jwks.json");
}

}  // namespace
}  // namespace tessera::testing
