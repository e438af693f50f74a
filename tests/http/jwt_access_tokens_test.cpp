// Wire tests for JWT access tokens (RFC 9068) against the real server on
// loopback: the token endpoint, the JWKS, introspection and revocation
// (RFC 7662, RFC 7009), the Heroku token exchange (Heroku spec §4.2) and
// bearer use of the Heroku API, for clients registered with
// access_token_format "jwt" (by the admin service and by RFC 7591).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "crypto/jws.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";
constexpr const char* kHeroku = "Accept: application/vnd.heroku+json; version=3\r\n";

std::string str(const json::value& v) { return std::string(v.as_string()); }

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

struct Registered {
    std::string id;
    std::string secret;
};

class JwtAccessTokensWire : public ::testing::Test {
protected:
    JwtAccessTokensWire()
        : server_(registration_open(), {"owner@example.com"}), wire_(server_.port()) {
        machine_ = add_client({"client_credentials"}, {}, "jwt");
        web_ =
            add_client({"authorization_code", "refresh_token"}, {"https://example.com/cb"}, "jwt");
    }

    static app::Config registration_open() {
        app::Config config;
        config.registration = "open";
        config.registration_owner = "owner@example.com";
        return config;
    }

    Registered add_client(std::vector<std::string> grants, std::vector<std::string> uris,
                          std::string format) {
        auto owner = server_.app().users().find_by_email("owner@example.com");
        auto created = server_.app().clients().register_client({owner->id,
                                                                owner->account_id,
                                                                "App",
                                                                uris,
                                                                grants,
                                                                {},
                                                                "client_secret_basic",
                                                                "stable",
                                                                format},
                                                               server_.app().scopes());
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return {created->client.id.uuid(), created->secret.reveal()};
    }

    std::string basic(const Registered& c) {
        return "Authorization: Basic " + base64_encode(c.id + ":" + c.secret) + "\r\n";
    }
    WireResponse post(const std::string& path, const std::string& body, const Registered& as) {
        return wire_.send("POST", path, kForm + basic(as), body);
    }
    std::string mint(const Registered& c) {
        auto r = post("/oauth/token", "grant_type=client_credentials&scope=read", c);
        EXPECT_EQ(r.status, 200) << r.body;
        return str(json::parse(r.body).as_object()["access_token"]);
    }
    WireResponse heroku(const std::string& method, const std::string& target,
                        const std::string& token, const std::string& body = "") {
        return wire_.send(method, target,
                          std::string(kHeroku) + "Authorization: Bearer " + token +
                              "\r\nContent-Type: application/json\r\n",
                          body);
    }

    // The header and claims, after checking the signature with the key the
    // JWKS publishes under the header's kid.
    std::pair<json::object, json::object> verified(const std::string& jwt) {
        auto parts = crypto::split_compact(jwt);
        EXPECT_TRUE(parts.has_value()) << jwt;
        if (!parts) return {};
        auto header = json::parse(decode(parts->header)).as_object();
        auto jwks = json::parse(wire_.send("GET", "/.well-known/jwks.json").body).as_object();
        bool published = false;
        for (const auto& key : jwks["keys"].as_array())
            published = published || key.as_object().at("kid") == header["kid"];
        EXPECT_TRUE(published) << "kid " << header["kid"];
        auto key = server_.app().keys().published_key(str(header["kid"]));
        EXPECT_TRUE(key.has_value());
        if (key) {
            EXPECT_TRUE(
                (*key)->verify(std::string(parts->header) + "." + std::string(parts->payload),
                               decode(parts->signature)));
        }
        return {header, json::parse(decode(parts->payload)).as_object()};
    }

    TestServer server_;
    Client wire_;
    Registered machine_, web_;
};

TEST_F(JwtAccessTokensWire, ClientCredentialsAnswersWithAnAtJwt) {
    auto r = post("/oauth/token", "grant_type=client_credentials&scope=read%20write", machine_);
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["token_type"], "Bearer");
    EXPECT_EQ(o["expires_in"], 3600);
    EXPECT_EQ(o["scope"], "read write");
    auto [header, claims] = verified(str(o["access_token"]));
    EXPECT_EQ(header["typ"], "at+jwt");
    EXPECT_EQ(header["alg"], "ES256");
    EXPECT_EQ(claims["iss"], "http://127.0.0.1:8080");
    EXPECT_EQ(claims["aud"], "http://127.0.0.1:8080");
    EXPECT_EQ(claims["sub"], machine_.id.c_str());
    EXPECT_EQ(claims["client_id"], machine_.id.c_str());
    EXPECT_EQ(claims["scope"], "read write");
    EXPECT_EQ(claims["exp"].as_int64() - claims["iat"].as_int64(), 3600);
}

TEST_F(JwtAccessTokensWire, IntrospectionSeesItUntilItIsRevoked) {
    std::string jwt = mint(machine_);
    auto active = json::parse(post("/oauth/introspect", "token=" + jwt, machine_).body).as_object();
    EXPECT_EQ(active["active"], true);
    EXPECT_EQ(active["client_id"], machine_.id.c_str());
    EXPECT_EQ(active["scope"], "read");
    EXPECT_EQ(active["exp"], verified(jwt).second["exp"]);
    auto revoked = post("/oauth/revoke", "token=" + jwt, machine_);
    EXPECT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(post("/oauth/introspect", "token=" + jwt, machine_).body, R"({"active":false})");
}

TEST_F(JwtAccessTokensWire, HerokuTokenExchangeAndBearerUse) {
    // Heroku spec §3.2 with `client`, then §4.2: the access token is a JWT
    // whose jti is the token id the Heroku API shows.
    std::string owner_token = server_.create_user_token("owner@example.com");
    auto a = heroku("POST", "/oauth/authorizations", owner_token,
                    R"({"client":")" + web_.id + R"(","scope":["global"]})");
    ASSERT_EQ(a.status, 201) << a.body;
    std::string code = str(json::parse(a.body).as_object()["grant"].as_object()["code"]);
    auto t = wire_.send("POST", "/oauth/tokens",
                        std::string(kHeroku) + "Content-Type: application/json\r\n",
                        R"({"grant":{"type":"authorization_code","code":")" + code +
                            R"("},"client":{"secret":")" + web_.secret + R"("}})");
    ASSERT_EQ(t.status, 201) << t.body;
    auto access = json::parse(t.body).as_object()["access_token"].as_object();
    std::string jwt = str(access["token"]);
    auto [header, claims] = verified(jwt);
    EXPECT_EQ(claims["jti"], access["id"]);
    EXPECT_EQ(claims["sub"], json::parse(t.body).as_object()["user"].as_object()["id"]);
    EXPECT_EQ(claims["scope"], "global");
    // Bearer use of the Heroku API, also as heroku-client's Basic ":token".
    EXPECT_EQ(heroku("GET", "/oauth/authorizations", jwt).status, 200);
    auto basic = wire_.send(
        "GET", "/oauth/authorizations",
        std::string(kHeroku) + "Authorization: Basic " + base64_encode(":" + jwt) + "\r\n");
    EXPECT_EQ(basic.status, 200) << basic.body;
    // Revoked by its client: no longer a credential.
    EXPECT_EQ(post("/oauth/revoke", "token=" + jwt, web_).status, 200);
    EXPECT_EQ(heroku("GET", "/oauth/authorizations", jwt).status, 401);
}

TEST_F(JwtAccessTokensWire, DynamicRegistrationChoosesTheFormat) {
    auto r = wire_.send("POST", "/oauth/register", "Content-Type: application/json\r\n",
                        R"({"grant_types":["client_credentials"],"scope":"read",)"
                        R"("access_token_format":"jwt"})");
    ASSERT_EQ(r.status, 201) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o["access_token_format"], "jwt");
    Registered registered{str(o["client_id"]), str(o["client_secret"])};
    EXPECT_EQ(verified(mint(registered)).first["typ"], "at+jwt");
    auto read = wire_.send("GET", "/oauth/register/" + registered.id,
                           "Authorization: Bearer " + str(o["registration_access_token"]) + "\r\n");
    EXPECT_EQ(json::parse(read.body).as_object()["access_token_format"], "jwt");
}

}  // namespace
}  // namespace tessera::testing
