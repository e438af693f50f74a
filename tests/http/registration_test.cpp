// Wire tests for dynamic client registration (RFC 7591) and management
// (RFC 7592) against the real server on loopback: the three policy modes,
// initial access tokens, every metadata rule, registration access tokens,
// and a registered client completing the code flow in a browser's place.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <thread>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"
#include "crypto/jws.hpp"
#include "http/message.hpp"
#include "support/browser.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kJson = "Content-Type: application/json\r\n";
constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";
constexpr const char* kOwner = "owner@example.com";
constexpr const char* kBadRegistrationToken =
    R"({"error":"invalid_token","error_description":"the registration access token is invalid or expired"})";
constexpr const char* kBadInitialToken =
    R"({"error":"invalid_token","error_description":"the initial access token is invalid or expired"})";
const std::string kVerifier = "dBjftJeZ4CVP-mJ92K1s.lMaQ~u1uR3u4fSxrr2yKm0t_gE";
const std::string kWebApp =
    R"({"client_name":"Web app","redirect_uris":["https://app.example.com/cb"],)"
    R"("grant_types":["authorization_code","refresh_token"],"scope":"openid read"})";

app::Config with_registration(const std::string& mode) {
    app::Config config;
    config.registration = mode;
    config.registration_owner = mode == "off" ? "" : kOwner;
    config.registration_rate_limit = 1000;  // the table tests send many from one address
    return config;
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

std::string field(const WireResponse& r, const char* name) {
    auto body = json::parse(r.body).as_object();
    auto* value = body.if_contains(name);
    return value && value->is_string() ? std::string(value->get_string()) : "";
}

class Registration : public ::testing::Test {
protected:
    explicit Registration(const std::string& mode = "open")
        : server_(with_registration(mode), {kOwner}), client_(server_.port()) {}

    WireResponse register_client(const std::string& body, const std::string& headers = "") {
        return client_.send("POST", "/oauth/register", kJson + headers, body);
    }
    WireResponse manage(const std::string& method, const std::string& client_id,
                        const std::string& token, const std::string& body = "") {
        return client_.send(method, "/oauth/register/" + client_id,
                            (body.empty() ? "" : kJson) + bearer(token), body);
    }

    TestServer server_;
    Client client_;
};

class TokenRegistration : public Registration {
protected:
    TokenRegistration() : Registration("token") {}
    std::string issue(std::optional<std::int64_t> expires_in, std::optional<int> max_uses) {
        auto issued = server_.app().registration().issue_initial_token(expires_in, max_uses);
        EXPECT_TRUE(issued.has_value());
        return issued->value.reveal();
    }
};

class OffRegistration : public Registration {
protected:
    OffRegistration() : Registration("off") {}
};

TEST_F(Registration, CreateAnswersWithCredentialsAndTheStoredMetadata) {
    auto r = register_client(kWebApp);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto o = json::parse(r.body).as_object();
    std::string id(o["client_id"].as_string());
    EXPECT_TRUE(std::string(o["client_secret"].as_string()).starts_with("tcs_"));
    EXPECT_TRUE(std::string(o["registration_access_token"].as_string()).starts_with("tra_"));
    EXPECT_EQ(o["registration_client_uri"].as_string(),
              "http://127.0.0.1:8080/oauth/register/" + id);
    EXPECT_EQ(o["client_secret_expires_at"], 0);
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    EXPECT_LE(std::abs(o["client_id_issued_at"].as_int64() - now), 5);
    // Everything after the credentials, byte for byte.
    std::string metadata =
        R"("client_name":"Web app","redirect_uris":["https://app.example.com/cb"],)"
        R"("grant_types":["authorization_code","refresh_token"],"response_types":["code"],)"
        R"("token_endpoint_auth_method":"client_secret_basic","scope":"openid read",)"
        R"("access_token_format":"opaque"})";
    EXPECT_TRUE(r.body.ends_with(metadata)) << r.body;
    // Owned by the configured account, rotating refresh tokens.
    auto stored = server_.app().clients().public_info(*Id::parse(id));
    auto owner = server_.app().users().find_by_email(kOwner);
    EXPECT_EQ(stored->owner_id, owner->id);
    EXPECT_EQ(stored->account_id, owner->account_id);
    EXPECT_EQ(stored->refresh_policy, "rotate");
}

TEST_F(Registration, PublicAndMachineClientsAndIgnoredMetadata) {
    auto spa = register_client(
        R"({"redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"none",)"
        R"("logo_uri":"https://x.example/l.png","contacts":["a@example.com"],"tos_uri":7})");
    ASSERT_EQ(spa.status, 201) << spa.body;
    auto o = json::parse(spa.body).as_object();
    EXPECT_FALSE(o.contains("client_secret"));
    EXPECT_FALSE(o.contains("client_secret_expires_at"));
    EXPECT_FALSE(o.contains("logo_uri"));
    EXPECT_FALSE(o.contains("contacts"));
    EXPECT_EQ(o["client_name"], "Unnamed client");
    EXPECT_EQ(o["grant_types"], json::parse(R"(["authorization_code"])"));
    EXPECT_FALSE(o.contains("scope"));  // any catalog scope, none by default
    auto machine = register_client(R"({"grant_types":["client_credentials"],"scope":"read"})");
    ASSERT_EQ(machine.status, 201) << machine.body;
    auto m = json::parse(machine.body).as_object();
    EXPECT_EQ(m["response_types"], json::array());
    // The machine client works at once.
    auto token = client_.send(
        "POST", "/oauth/token",
        std::string(kForm) + "Authorization: Basic " +
            base64_encode(field(machine, "client_id") + ":" + field(machine, "client_secret")) +
            "\r\n",
        "grant_type=client_credentials");
    EXPECT_EQ(token.status, 200) << token.body;
}

TEST_F(Registration, EveryInvalidMetadataCaseIsA400WithItsCode) {
    struct Case {
        std::string body;
        std::string expected;
    };
    auto error = [](const char* code, const char* description) {
        return std::string(R"({"error":")") + code + R"(","error_description":")" + description +
               "\"}";
    };
    const char* meta = "invalid_client_metadata";
    for (
        const auto& c : std::vector<Case>{
            {"not json", error(meta, "the body must be a JSON object")},
            {"[1,2]", error(meta, "the body must be a JSON object")},
            {R"({"redirect_uris":"https://a.example/cb"})",
             error(meta, "redirect_uris must be an array of strings")},
            {R"({"redirect_uris":[1]})", error(meta, "redirect_uris must be an array of strings")},
            {R"({"client_name":5,"redirect_uris":["https://a.example/cb"]})",
             error(meta, "client_name must be a string")},
            {R"({"scope":["read"],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "scope must be a string")},
            {R"({"redirect_uris":["http://evil.example/cb"]})",
             error("invalid_redirect_uri",
                   "redirect_uri must use https (http is allowed only for localhost, *.local "
                   "and private IPv4 addresses)")},
            {R"({"redirect_uris":["https://a.example/cb#frag"]})",
             error("invalid_redirect_uri",
                   "redirect_uri must be an absolute URI without a fragment")},
            {R"({"redirect_uris":["https://u:p@a.example/cb"]})",
             error("invalid_redirect_uri", "redirect_uri must not contain user information")},
            {R"({"redirect_uris":["/relative"]})",
             error("invalid_redirect_uri",
                   "redirect_uri must be an absolute URI without a fragment")},
            {R"({})", error(meta, "authorization_code needs at least one redirect URI")},
            {R"({"grant_types":[],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "grant_types must not be empty")},
            {R"({"grant_types":["implicit"],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "grant type implicit needs a response type with id_token or token")},
            {R"({"grant_types":["password"]})", error(meta, "unsupported grant type 'password'")},
            {R"({"response_types":["code","token"],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "response type token needs grant type implicit")},
            {R"({"response_types":["code id_token"],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "response type code id_token needs grant type implicit")},
            {R"({"response_types":["code","code none"],"redirect_uris":["https://a.example/cb"]})",
             error(meta,
                   "unsupported response type 'code none' (code, id_token and token, alone or "
                   "combined)")},
            {R"({"id_token_signed_response_alg":"none","redirect_uris":["https://a.example/cb"]})",
             error(meta, "id_token_signed_response_alg must be ES256, RS256 or EdDSA")},
            {R"({"id_token_signed_response_alg":"EdDSA","redirect_uris":["https://a.example/cb"]})",
             error(meta,
                   "id_token_signed_response_alg EdDSA is not available: this server has no EdDSA "
                   "signing key")},
            {R"({"id_token_signed_response_alg":256,"redirect_uris":["https://a.example/cb"]})",
             error(meta, "id_token_signed_response_alg must be a string")},
            {R"({"response_types":[],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "grant type authorization_code needs response type code")},
            {R"({"grant_types":["client_credentials"],"response_types":["code"]})",
             error(meta, "response type code needs grant type authorization_code")},
            {R"({"token_endpoint_auth_method":"private_key_jwt","redirect_uris":["https://a.example/cb"]})",
             error(meta,
                   "token_endpoint_auth_method must be client_secret_basic, client_secret_post "
                   "or none")},
            {R"({"token_endpoint_auth_method":"none","grant_types":["client_credentials"]})",
             error(meta, "a public client (none) cannot use client_credentials")},
            {R"({"scope":"read admin","redirect_uris":["https://a.example/cb"]})",
             error(meta, "unknown scope 'admin'")},
            {R"({"client_name":" ","redirect_uris":["https://a.example/cb"]})",
             error(meta, "client_name must not be blank")},
            {R"({"access_token_format":"paseto","redirect_uris":["https://a.example/cb"]})",
             error(meta, "access_token_format must be opaque or jwt")},
            {R"({"access_token_format":"","redirect_uris":["https://a.example/cb"]})",
             error(meta, "access_token_format must be opaque or jwt")},
            {R"({"access_token_format":["jwt"],"redirect_uris":["https://a.example/cb"]})",
             error(meta, "access_token_format must be a string")},
        }) {
        auto r = register_client(c.body);
        EXPECT_EQ(r.status, 400) << c.body;
        EXPECT_EQ(r.body, c.expected) << c.body;
        EXPECT_EQ(r.header("cache-control"), "no-store");
    }
    auto form = client_.send("POST", "/oauth/register", kForm, "client_name=x");
    EXPECT_EQ(form.status, 400);
    EXPECT_EQ(
        form.body,
        R"({"error":"invalid_request","error_description":"the body must be application/json"})");
}

TEST_F(Registration, ReadUpdateDeleteWithTheRegistrationToken) {
    auto created = register_client(kWebApp);
    ASSERT_EQ(created.status, 201);
    std::string id = field(created, "client_id");
    std::string secret = field(created, "client_secret");
    std::string token = field(created, "registration_access_token");

    auto read = manage("GET", id, token);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.header("cache-control"), "no-store");
    auto o = json::parse(read.body).as_object();
    EXPECT_FALSE(o.contains("client_secret"));  // kept only as a digest
    EXPECT_EQ(o["registration_access_token"], token.c_str());
    EXPECT_EQ(o["client_name"], "Web app");

    std::string update =
        R"({"client_id":")" + id + R"(","client_secret":")" + secret +
        R"(","client_name":"Renamed","redirect_uris":["https://app.example.com/new"],)"
        R"("token_endpoint_auth_method":"client_secret_post","scope":"read"})";
    auto updated = manage("PUT", id, token, update);
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_TRUE(updated.body.ends_with(
        R"("client_name":"Renamed","redirect_uris":["https://app.example.com/new"],)"
        R"("grant_types":["authorization_code"],"response_types":["code"],)"
        R"("token_endpoint_auth_method":"client_secret_post","scope":"read",)"
        R"("access_token_format":"opaque"})"))
        << updated.body;
    EXPECT_EQ(manage("GET", id, token).body, updated.body);

    auto wrong_id = manage("PUT", id, token, R"({"client_id":"x","redirect_uris":[]})");
    EXPECT_EQ(wrong_id.status, 400);
    EXPECT_EQ(
        wrong_id.body,
        R"({"error":"invalid_client_metadata","error_description":"client_id must be the client's id"})");
    auto wrong_secret =
        manage("PUT", id, token,
               R"({"client_id":")" + id +
                   R"(","client_secret":"tcs_chosen","redirect_uris":["https://a.example/cb"]})");
    EXPECT_EQ(
        wrong_secret.body,
        R"({"error":"invalid_client_metadata","error_description":"client_secret must be the client's current secret"})");
    auto bad_uri =
        manage("PUT", id, token,
               R"({"client_id":")" + id + R"(","redirect_uris":["ftp://a.example/cb"]})");
    EXPECT_EQ(field(bad_uri, "error"), "invalid_redirect_uri");

    auto removed = manage("DELETE", id, token);
    EXPECT_EQ(removed.status, 204);
    EXPECT_EQ(removed.body, "");
    auto gone = manage("GET", id, token);
    EXPECT_EQ(gone.status, 401);
    EXPECT_EQ(gone.body, kBadRegistrationToken);
}

TEST_F(Registration, AWrongRegistrationTokenNeverRevealsTheClient) {
    auto mine = register_client(kWebApp);
    auto theirs = register_client(kWebApp);
    std::string id = field(mine, "client_id");
    std::string unknown = "0a6ef5d4-0000-4000-8000-000000000000";
    struct Case {
        std::string id;
        std::string headers;
    };
    for (const auto& c : std::vector<Case>{
             {id, ""},
             {id, bearer("tra_wrong")},
             {id, bearer(field(theirs, "registration_access_token"))},
             {id, bearer(field(mine, "client_secret"))},
             {id, "Authorization: Basic " + base64_encode(id + ":" + field(mine, "client_secret")) +
                      "\r\n"},
             {unknown, bearer(field(mine, "registration_access_token"))},
             {"not-a-uuid", bearer(field(mine, "registration_access_token"))},
         }) {
        for (const char* method : {"GET", "PUT", "DELETE"}) {
            std::string body = std::string(method) == "PUT" ? "{}" : "";
            auto r = client_.send(method, "/oauth/register/" + c.id,
                                  (body.empty() ? "" : kJson) + c.headers, body);
            EXPECT_EQ(r.status, 401) << method << ' ' << c.id << ' ' << c.headers;
            EXPECT_EQ(r.body, kBadRegistrationToken);
            EXPECT_EQ(r.header("www-authenticate"),
                      "Bearer realm=\"tessera\", error=\"invalid_token\"");
        }
    }
    // Still there, and a bad body from a stranger is still just a 401.
    EXPECT_EQ(manage("GET", id, field(mine, "registration_access_token")).status, 200);
    EXPECT_EQ(manage("PUT", id, "tra_wrong", "not json").status, 401);
}

TEST_F(Registration, DeleteRevokesEveryTokenOfTheClient) {
    auto machine = register_client(R"({"grant_types":["client_credentials"]})");
    std::string id = field(machine, "client_id");
    std::string basic = "Authorization: Basic " +
                        base64_encode(id + ":" + field(machine, "client_secret")) + "\r\n";
    auto minted = client_.send("POST", "/oauth/token", kForm + basic,
                               "grant_type=client_credentials&scope=read");
    ASSERT_EQ(minted.status, 200) << minted.body;
    auto watcher = register_client(R"({"grant_types":["client_credentials"]})");
    std::string watcher_basic =
        "Authorization: Basic " +
        base64_encode(field(watcher, "client_id") + ":" + field(watcher, "client_secret")) + "\r\n";
    auto introspect = [&] {
        auto r = client_.send("POST", "/oauth/introspect", kForm + watcher_basic,
                              "token=" + field(minted, "access_token"));
        return json::parse(r.body).as_object()["active"].as_bool();
    };
    EXPECT_TRUE(introspect());
    ASSERT_EQ(manage("DELETE", id, field(machine, "registration_access_token")).status, 204);
    EXPECT_FALSE(introspect());
    auto again = client_.send("POST", "/oauth/token", kForm + basic,
                              "grant_type=client_credentials&scope=read");
    EXPECT_EQ(again.status, 401);
}

TEST_F(Registration, DiscoveryAdvertisesTheEndpoint) {
    for (const char* path :
         {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
        auto r = client_.send("GET", path);
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(field(r, "registration_endpoint"), "http://127.0.0.1:8080/oauth/register");
    }
}

// OpenID Connect Registration §2: hybrid and implicit combinations and the
// ID token algorithm are stored and echoed as registered.
TEST_F(Registration, ResponseTypeCombinationsAndTheIdTokenAlgorithmAreEchoed) {
    ASSERT_TRUE(server_.app().keys().rotate(crypto::JwsAlgorithm::RS256).has_value());
    auto r =
        register_client(R"({"client_name":"Hybrid","redirect_uris":["https://app.example.com/cb"],)"
                        R"("grant_types":["authorization_code","implicit"],)"
                        R"("response_types":["code id_token","id_token token"],)"
                        R"("id_token_signed_response_alg":"RS256","scope":"openid"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_TRUE(
        r.body.ends_with(R"("client_name":"Hybrid","redirect_uris":["https://app.example.com/cb"],)"
                         R"("grant_types":["authorization_code","implicit"],)"
                         R"("response_types":["code id_token","id_token token"],)"
                         R"("token_endpoint_auth_method":"client_secret_basic","scope":"openid",)"
                         R"("access_token_format":"opaque","id_token_signed_response_alg":"RS256"})"))
        << r.body;
    auto read = manage("GET", field(r, "client_id"), field(r, "registration_access_token"));
    EXPECT_NE(read.body.find(R"("id_token_signed_response_alg":"RS256")"), std::string::npos);
}

TEST(RegistrationRateLimit, OpenRegistrationIsLimitedPerAddressWithRetryAfter) {
    app::Config config = with_registration("open");
    config.registration_rate_limit = 2;  // 2 at once, 2 an hour
    TestServer server(config, {kOwner});
    Client client(server.port());
    auto send = [&](const std::string& body) {
        return client.send("POST", "/oauth/register", kJson, body);
    };
    EXPECT_EQ(send("{\"scope\":\"admin\"}").status, 400);  // refused ones count too
    EXPECT_EQ(send(kWebApp).status, 201);
    auto limited = send(kWebApp);
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("retry-after"), "1800");
    EXPECT_EQ(limited.header("cache-control"), "no-store");
    EXPECT_EQ(limited.body,
              R"({"error":"slow_down","error_description":"too many client registrations from )"
              R"(this address; try again later"})");
    // A malformed body from a limited address learns only that it is limited.
    EXPECT_EQ(send("not json").status, 429);
}

TEST_F(OffRegistration, ThereIsNoEndpointAndNothingAdvertised) {
    auto r = register_client(kWebApp);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(client_.send("GET", "/oauth/register/0a6ef5d4-0000-4000-8000-000000000000").status,
              404);
    auto metadata = client_.send("GET", "/.well-known/oauth-authorization-server");
    EXPECT_FALSE(json::parse(metadata.body).as_object().contains("registration_endpoint"));
}

TEST_F(TokenRegistration, AnInitialAccessTokenIsRequired) {
    for (const std::string& headers :
         {std::string(), bearer("tia_nope"), bearer(issue(std::nullopt, 1) + "x"),
          std::string("Authorization: Basic dTpw\r\n")}) {
        auto r = register_client(kWebApp, headers);
        EXPECT_EQ(r.status, 401) << headers;
        EXPECT_EQ(r.body, kBadInitialToken);
        EXPECT_EQ(r.header("www-authenticate"),
                  "Bearer realm=\"tessera\", error=\"invalid_token\"");
    }
    // Without a usable token, a broken body gets nothing but the 401 either.
    EXPECT_EQ(register_client("not json").body, kBadInitialToken);
    EXPECT_EQ(register_client("not json", bearer("tia_nope")).body, kBadInitialToken);
    EXPECT_EQ(field(register_client("not json", bearer(issue(std::nullopt, 1))), "error"),
              "invalid_client_metadata");
    auto discovery = client_.send("GET", "/.well-known/oauth-authorization-server");
    EXPECT_EQ(field(discovery, "registration_endpoint"), "http://127.0.0.1:8080/oauth/register");
}

TEST_F(TokenRegistration, ASingleUseTokenRegistersOneClient) {
    std::string token = issue(std::nullopt, 1);
    EXPECT_TRUE(token.starts_with("tia_"));
    // Metadata errors do not spend it.
    EXPECT_EQ(field(register_client(R"({"scope":"admin"})", bearer(token)), "error"),
              "invalid_client_metadata");
    auto first = register_client(kWebApp, bearer(token));
    ASSERT_EQ(first.status, 201) << first.body;
    auto second = register_client(kWebApp, bearer(token));
    EXPECT_EQ(second.status, 401);
    EXPECT_EQ(second.body, kBadInitialToken);
    // The registered client is managed with its own token, not the initial one.
    std::string id = field(first, "client_id");
    EXPECT_EQ(manage("GET", id, token).status, 401);
    EXPECT_EQ(manage("GET", id, field(first, "registration_access_token")).status, 200);
}

TEST_F(TokenRegistration, AMultiUseTokenRegistersUpToItsLimit) {
    std::string token = issue(std::nullopt, 3);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(register_client(kWebApp, bearer(token)).status, 201);
    EXPECT_EQ(register_client(kWebApp, bearer(token)).status, 401);
    std::string unlimited = issue(std::nullopt, std::nullopt);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(register_client(kWebApp, bearer(unlimited)).status, 201);
}

TEST_F(TokenRegistration, AnExpiredTokenRegistersNothing) {
    // Timestamps are whole seconds: a 1 s token expires at the next second
    // boundary, so this waits at most a second on the real clock.
    std::string token = issue(1, std::nullopt);
    auto start = std::chrono::system_clock::now();
    std::this_thread::sleep_until(std::chrono::ceil<std::chrono::seconds>(start) +
                                  std::chrono::milliseconds(50));
    auto r = register_client(kWebApp, bearer(token));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, kBadInitialToken);
}

TEST(RegistrationStartup, AnUnknownOwnerFailsWithAClearError) {
    EXPECT_THROW(
        {
            try {
                TestServer server(with_registration("token"));
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(),
                             "open: registration_owner: no user has the email owner@example.com "
                             "(create it with `tessera admin users create`, or set registration "
                             "= off)");
                throw;
            }
        },
        std::runtime_error);
}

// A browser's part of the code flow: cookies, the sign-in and consent forms.
class RegisteredClientFlow : public Registration {
protected:
    WireResponse browse(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        return testing::browse(client_, cookies_, method, target, body);
    }
    // Posts the page's form back with `action` and the fields it carries.
    WireResponse submit(const WireResponse& page, const std::string& action) {
        std::string body = "action=" + action;
        for (const char* name :
             {"client_id", "response_type", "state", "redirect_uri", "code_challenge",
              "code_challenge_method", "scope", "csrf_token"}) {
            std::string marker = std::string("name=\"") + name + "\" value=\"";
            auto at = page.body.find(marker);
            if (at == std::string::npos) continue;
            at += marker.size();
            body += "&" + std::string(name) + "=" +
                    form_encode(page.body.substr(at, page.body.find('"', at) - at));
        }
        if (action == "sign_in")
            body += "&email=" + form_encode(kOwner) + "&password=correct%20horse%20battery";
        return browse("POST", "/oauth/authorize", body);
    }
    static std::string param(const std::string& uri, const std::string& name) {
        auto at = uri.find(name + "=");
        if (at == std::string::npos) return "";
        at += name.size() + 1;
        auto raw = uri.substr(at, uri.find('&', at) - at);
        return http::percent_decode(raw, true).value_or("");
    }
    std::map<std::string, std::string> cookies_;
};

TEST_F(RegisteredClientFlow, APublicRegisteredClientCompletesTheCodeFlowAndRotates) {
    auto registered = register_client(
        R"({"client_name":"CLI","redirect_uris":["http://127.0.0.1/cb"],)"
        R"("token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],)"
        R"("scope":"openid read"})");
    ASSERT_EQ(registered.status, 201) << registered.body;
    std::string id = field(registered, "client_id");
    std::string challenge = base64url_encode(crypto::sha256(kVerifier));
    std::string redirect = "http%3A%2F%2F127.0.0.1%3A50123%2Fcb";  // any loopback port
    auto page = browse("GET", "/oauth/authorize?response_type=code&client_id=" + id +
                                  "&scope=openid%20read&state=xyz&redirect_uri=" + redirect +
                                  "&code_challenge=" + challenge + "&code_challenge_method=S256");
    ASSERT_EQ(page.status, 200) << page.body;
    auto consent = submit(page, "sign_in");
    ASSERT_EQ(consent.status, 200) << consent.body;
    EXPECT_NE(consent.body.find("CLI"), std::string::npos);
    auto approved = submit(consent, "approve");
    ASSERT_EQ(approved.status, 303) << approved.body;
    std::string location = approved.header("location");
    EXPECT_TRUE(location.starts_with("http://127.0.0.1:50123/cb?code=tac_")) << location;
    EXPECT_EQ(param(location, "state"), "xyz");

    auto exchanged = client_.send("POST", "/oauth/token", kForm,
                                  "grant_type=authorization_code&client_id=" + id +
                                      "&code=" + param(location, "code") +
                                      "&redirect_uri=" + redirect + "&code_verifier=" + kVerifier);
    ASSERT_EQ(exchanged.status, 200) << exchanged.body;
    EXPECT_EQ(field(exchanged, "scope"), "openid read");
    EXPECT_FALSE(field(exchanged, "id_token").empty());
    std::string refresh = field(exchanged, "refresh_token");
    auto rotated =
        client_.send("POST", "/oauth/token", kForm,
                     "grant_type=refresh_token&client_id=" + id + "&refresh_token=" + refresh);
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_NE(field(rotated, "refresh_token"), refresh);  // registered clients rotate
}

TEST_F(RegisteredClientFlow, AConfidentialRegisteredClientRedeemsItsCode) {
    auto registered = register_client(kWebApp);
    ASSERT_EQ(registered.status, 201);
    std::string id = field(registered, "client_id");
    auto page = browse(
        "GET", "/oauth/authorize?response_type=code&client_id=" + id + "&scope=read&state=s");
    ASSERT_EQ(page.status, 200) << page.body;
    auto approved = submit(submit(page, "sign_in"), "approve");
    ASSERT_EQ(approved.status, 303);
    std::string basic = "Authorization: Basic " +
                        base64_encode(id + ":" + field(registered, "client_secret")) + "\r\n";
    auto exchanged = client_.send(
        "POST", "/oauth/token", kForm + basic,
        "grant_type=authorization_code&code=" + param(approved.header("location"), "code"));
    ASSERT_EQ(exchanged.status, 200) << exchanged.body;
    EXPECT_EQ(field(exchanged, "scope"), "read");
}

}  // namespace
}  // namespace tessera::testing
