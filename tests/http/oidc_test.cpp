// Wire tests for OpenID Connect (Core, Discovery; RFC 6750 for UserInfo)
// against the real server on loopback: discovery, the JWKS, an ID token
// from the browser code flow, UserInfo and its bearer errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

#include "base/encoding.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "crypto/digest.hpp"
#include "crypto/jws.hpp"
#include "http/message.hpp"
#include "support/browser.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

class Oidc : public ::testing::Test {
protected:
    Oidc() : client_(server_.port()) {
        global_token_ = server_.create_user_token("ada@example.com");
        auto owner = server_.app().users().find_by_email("ada@example.com");
        auto created =
            server_.app().clients().register_client({owner->id,
                                                     owner->account_id,
                                                     "RP",
                                                     {"https://rp.example.com/cb"},
                                                     {"authorization_code", "refresh_token"},
                                                     {},
                                                     "client_secret_basic",
                                                     "rotate"},
                                                    server_.app().scopes());
        EXPECT_TRUE(created.has_value());
        client_id_ = created->client.id.uuid();
        basic_ = "Authorization: Basic " +
                 base64_encode(client_id_ + ":" + created->secret.reveal()) + "\r\n";
    }

    WireResponse browse(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        return testing::browse(client_, cookies_, method, target, body);
    }

    // Posts the page's form back with `action` (and the password to sign in).
    WireResponse submit(const WireResponse& page, const std::string& action) {
        return submit_authorize_form(client_, cookies_, page, action);
    }

    // Sign-in, consent and code exchange with `scope` and `nonce`: the token response.
    json::object code_flow(const std::string& scope, const std::string& nonce) {
        auto page = browse("GET", "/oauth/authorize?response_type=code&client_id=" + client_id_ +
                                      "&scope=" + form_encode(scope) +
                                      "&nonce=" + form_encode(nonce) + "&state=st");
        EXPECT_EQ(page.status, 200) << page.body;
        auto consent = submit(page, "sign_in");
        EXPECT_EQ(consent.status, 200) << consent.body;
        auto approved = submit(consent, "approve");
        EXPECT_EQ(approved.status, 303) << approved.body;
        std::string code = query_param(approved.header("location"), "code");
        auto exchanged = client_.send("POST", "/oauth/token", kForm + basic_,
                                      "grant_type=authorization_code&code=" + code);
        EXPECT_EQ(exchanged.status, 200) << exchanged.body;
        return json::parse(exchanged.body).as_object();
    }

    WireResponse userinfo(const std::string& method, const std::string& headers,
                          const std::string& body = "") {
        return client_.send(method, "/userinfo", headers, body);
    }

    TestServer server_;
    Client client_;
    std::string global_token_;
    std::string client_id_;
    std::string basic_;
    std::map<std::string, std::string> cookies_;
};

TEST_F(Oidc, DiscoveryMatchesTheOAuthMetadata) {
    auto r = client_.send("GET", "/.well-known/openid-configuration");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "public, max-age=300");
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(text(o["issuer"]), "http://127.0.0.1:8080");
    EXPECT_EQ(text(o["authorization_endpoint"]), "http://127.0.0.1:8080/oauth/authorize");
    EXPECT_EQ(text(o["token_endpoint"]), "http://127.0.0.1:8080/oauth/token");
    EXPECT_EQ(text(o["userinfo_endpoint"]), "http://127.0.0.1:8080/userinfo");
    EXPECT_EQ(text(o["jwks_uri"]), "http://127.0.0.1:8080/.well-known/jwks.json");
    EXPECT_EQ(json::serialize(o["response_types_supported"]),
              R"(["code","code id_token","code token","code id_token token","id_token",)"
              R"("id_token token","token"])");
    EXPECT_EQ(json::serialize(o["subject_types_supported"]), R"(["public"])");
    EXPECT_EQ(json::serialize(o["id_token_signing_alg_values_supported"]), R"(["ES256"])");
    EXPECT_EQ(json::serialize(o["code_challenge_methods_supported"]), R"(["S256"])");
    EXPECT_EQ(json::serialize(o["grant_types_supported"]),
              R"(["authorization_code","refresh_token","client_credentials","implicit"])");
    EXPECT_EQ(json::serialize(o["token_endpoint_auth_methods_supported"]),
              R"(["client_secret_basic","client_secret_post","none"])");
    EXPECT_EQ(json::serialize(o["claims_supported"]),
              R"(["iss","sub","aud","exp","iat","auth_time","nonce","at_hash","c_hash","name",)"
              R"("email","email_verified"])");
    auto scopes = json::serialize(o["scopes_supported"]);
    for (auto s : {"\"openid\"", "\"profile\"", "\"email\""})
        EXPECT_NE(scopes.find(s), std::string::npos) << s;
    // RFC 8414 and Discovery serve one document.
    EXPECT_EQ(client_.send("GET", "/.well-known/oauth-authorization-server").body, r.body);
}

TEST_F(Oidc, JwksPublishesPublicKeysOnly) {
    auto r = client_.send("GET", "/.well-known/jwks.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "public, max-age=60");
    auto keys = json::parse(r.body).as_object()["keys"].as_array();
    ASSERT_EQ(keys.size(), 1u);
    auto key = keys[0].as_object();
    EXPECT_EQ(text(key["kty"]), "EC");
    EXPECT_EQ(text(key["crv"]), "P-256");
    EXPECT_EQ(text(key["alg"]), "ES256");
    EXPECT_EQ(text(key["use"]), "sig");
    EXPECT_EQ(text(key["kid"]).size(), 22u);
    EXPECT_EQ(text(key["x"]).size(), 43u);
    EXPECT_EQ(text(key["y"]).size(), 43u);
    EXPECT_FALSE(key.contains("d"));

    // After a rotation the next key is published beside the current one.
    ASSERT_TRUE(server_.app().keys().rotate(crypto::JwsAlgorithm::ES256).has_value());
    auto after = json::parse(client_.send("GET", "/.well-known/jwks.json").body).as_object();
    ASSERT_EQ(after["keys"].as_array().size(), 2u);
    EXPECT_EQ(text(after["keys"].as_array()[0].as_object()["kid"]), text(key["kid"]));
    EXPECT_EQ(text(after["keys"].as_array()[1].as_object()["kty"]), "EC");

    // A line of another algorithm: its first key is current at once, and
    // discovery lists every algorithm with a published key.
    ASSERT_TRUE(server_.app().keys().rotate(crypto::JwsAlgorithm::EdDSA).has_value());
    // (Current keys come first, newest first; keys made in the same second
    // tie, so only the set is checked.)
    auto lines = json::parse(client_.send("GET", "/.well-known/jwks.json").body).as_object();
    ASSERT_EQ(lines["keys"].as_array().size(), 3u);
    std::set<std::string> kinds;
    for (const auto& k : lines["keys"].as_array()) kinds.insert(text(k.as_object().at("kty")));
    EXPECT_EQ(kinds, (std::set<std::string>{"EC", "OKP"}));
    EXPECT_EQ(text(lines["keys"].as_array()[2].as_object()["kty"]), "EC");  // the next key last
    auto discovery =
        json::parse(client_.send("GET", "/.well-known/openid-configuration").body).as_object();
    std::set<std::string> algorithms;
    for (const auto& a : discovery["id_token_signing_alg_values_supported"].as_array())
        algorithms.insert(text(a));
    EXPECT_EQ(algorithms, (std::set<std::string>{"ES256", "EdDSA"}));
}

TEST_F(Oidc, CodeFlowWithOpenIdReturnsAVerifiableIdToken) {
    auto body = code_flow("openid profile email", "n-0S6_WzA2Mj");
    ASSERT_TRUE(body.contains("id_token"));
    EXPECT_EQ(text(body["scope"]), "openid profile email");
    std::string id_token = text(body["id_token"]);
    auto parts = crypto::split_compact(id_token);
    ASSERT_TRUE(parts.has_value());
    auto header = json::parse(decode(parts->header)).as_object();
    auto jwks = json::parse(client_.send("GET", "/.well-known/jwks.json").body).as_object();
    EXPECT_EQ(text(header["alg"]), "ES256");
    EXPECT_EQ(text(header["kid"]), text(jwks["keys"].as_array()[0].as_object()["kid"]));
    auto active = server_.app().keys().current();
    EXPECT_TRUE(active->key->verify(std::string(parts->header) + "." + std::string(parts->payload),
                                    decode(parts->signature)));

    auto claims = json::parse(decode(parts->payload)).as_object();
    auto ada = server_.app().users().find_by_email("ada@example.com");
    EXPECT_EQ(text(claims["iss"]), "http://127.0.0.1:8080");
    EXPECT_EQ(text(claims["sub"]), ada->id.uuid());
    EXPECT_EQ(text(claims["aud"]), client_id_);
    EXPECT_EQ(text(claims["nonce"]), "n-0S6_WzA2Mj");
    EXPECT_EQ(claims["exp"].as_int64() - claims["iat"].as_int64(), 3600);
    EXPECT_LE(claims["auth_time"].as_int64(), claims["iat"].as_int64());
    auto digest = crypto::sha256(text(body["access_token"]));
    EXPECT_EQ(text(claims["at_hash"]),
              base64url_encode(std::span(digest.data(), digest.size() / 2)));
    EXPECT_EQ(text(claims["email"]), "ada@example.com");
    EXPECT_EQ(claims["email_verified"], false);
    EXPECT_TRUE(claims.contains("name"));

    // The refresh grant issues a fresh one (no nonce).
    auto refreshed =
        client_.send("POST", "/oauth/token", kForm + basic_,
                     "grant_type=refresh_token&refresh_token=" + text(body["refresh_token"]));
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    auto again = json::parse(refreshed.body).as_object();
    auto again_claims =
        json::parse(decode(crypto::split_compact(text(again["id_token"]))->payload)).as_object();
    EXPECT_EQ(text(again_claims["sub"]), ada->id.uuid());
    EXPECT_FALSE(again_claims.contains("nonce"));
}

TEST_F(Oidc, WithoutOpenIdTheTokenResponseHasNoIdToken) {
    auto body = code_flow("read", "n");
    EXPECT_FALSE(body.contains("id_token"));
    auto r = userinfo("GET", "Authorization: Bearer " + text(body["access_token"]) + "\r\n");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.header("www-authenticate"),
              "Bearer realm=\"tessera\", error=\"insufficient_scope\", "
              "error_description=\"the access token does not have the openid scope\"");
    EXPECT_EQ(r.body, R"({"error":"insufficient_scope",)"
                      R"("error_description":"the access token does not have the openid scope"})");
}

TEST_F(Oidc, UserInfoAnswersByScopeOnGetAndPost) {
    auto body = code_flow("openid email", "n");
    std::string access = text(body["access_token"]);
    auto ada = server_.app().users().find_by_email("ada@example.com");
    std::string expected =
        R"({"sub":")" + ada->id.uuid() + R"(","email":"ada@example.com","email_verified":false})";

    auto got = userinfo("GET", "Authorization: Bearer " + access + "\r\n");
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(got.header("cache-control"), "no-store");
    EXPECT_EQ(got.body, expected);
    auto posted = userinfo("POST", "Authorization: Bearer " + access + "\r\n");
    EXPECT_EQ(posted.body, expected);
    auto in_form = userinfo("POST", kForm, "access_token=" + access);
    EXPECT_EQ(in_form.status, 200);
    EXPECT_EQ(in_form.body, expected);
}

TEST_F(Oidc, UserInfoBearerErrorsFollowRfc6750) {
    auto none = userinfo("GET", "");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.header("www-authenticate"), "Bearer realm=\"tessera\"");
    EXPECT_EQ(none.body, "");

    const std::string invalid =
        "Bearer realm=\"tessera\", error=\"invalid_token\", "
        "error_description=\"the access token is invalid or expired\"";
    for (std::string token :
         {std::string("tat_forged"), std::string("HRKU-nope"), std::string(64, 'a')}) {
        auto r = userinfo("GET", "Authorization: Bearer " + token + "\r\n");
        EXPECT_EQ(r.status, 401) << token;
        EXPECT_EQ(r.header("www-authenticate"), invalid) << token;
        EXPECT_EQ(r.body, R"({"error":"invalid_token",)"
                          R"("error_description":"the access token is invalid or expired"})");
    }

    // A global Heroku token is a user's token but not an OpenID one.
    auto global = userinfo("GET", "Authorization: Bearer " + global_token_ + "\r\n");
    EXPECT_EQ(global.status, 403);

    auto body = code_flow("openid", "n");
    std::string access = text(body["access_token"]);
    auto both = userinfo("POST", kForm + ("Authorization: Bearer " + access + "\r\n"),
                         "access_token=" + access);
    EXPECT_EQ(both.status, 400);
    EXPECT_NE(both.header("www-authenticate").find("error=\"invalid_request\""), std::string::npos);
    auto basic = userinfo("GET", basic_);
    EXPECT_EQ(basic.status, 400);

    // A revoked token is invalid at once.
    ASSERT_EQ(client_.send("POST", "/oauth/revoke", kForm + basic_, "token=" + access).status, 200);
    auto revoked = userinfo("GET", "Authorization: Bearer " + access + "\r\n");
    EXPECT_EQ(revoked.status, 401);
    EXPECT_EQ(revoked.header("www-authenticate"), invalid);
}

}  // namespace
}  // namespace tessera::testing
