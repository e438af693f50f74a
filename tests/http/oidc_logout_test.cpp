// Wire tests for OpenID Connect RP-Initiated Logout 1.0 against the real
// server on loopback: post_logout_redirect_uris through dynamic
// registration, and /oauth/logout ending the browser sign-in of the code
// flow with an id_token_hint, redirecting only to a registered URI.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "http/message.hpp"
#include "support/browser.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";
constexpr const char* kJson = "Content-Type: application/json\r\n";
constexpr const char* kAda = "ada@example.com";
constexpr const char* kBye = "https://rp.example.com/bye";

app::Config open_registration() {
    app::Config config;
    config.registration = "open";
    config.registration_owner = kAda;
    return config;
}

bool is_sign_in_page(const WireResponse& r) {
    return r.status == 200 && r.body.find("name=\"password\"") != std::string::npos;
}

class OidcLogout : public ::testing::Test {
protected:
    OidcLogout() : server_(open_registration(), {kAda}), client_(server_.port()) {
        auto r = register_client(
            R"({"client_name":"RP","redirect_uris":["https://rp.example.com/cb"],)"
            R"("post_logout_redirect_uris":["https://rp.example.com/bye"],)"
            R"("grant_types":["authorization_code","refresh_token"],"scope":"openid"})");
        EXPECT_EQ(r.status, 201) << r.body;
        auto o = json::parse(r.body).as_object();
        client_id_ = std::string(o["client_id"].as_string());
        basic_ = "Authorization: Basic " +
                 base64_encode(client_id_ + ":" + std::string(o["client_secret"].as_string())) +
                 "\r\n";
    }

    WireResponse register_client(const std::string& body) {
        return client_.send("POST", "/oauth/register", kJson, body);
    }

    WireResponse browse(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        return testing::browse(client_, cookies_, method, target, body);
    }

    WireResponse submit(const WireResponse& page, const std::string& action) {
        return submit_authorize_form(client_, cookies_, page, action);
    }

    std::string authorize_target() const {
        return "/oauth/authorize?response_type=code&client_id=" + client_id_ +
               "&scope=openid&state=st";
    }

    // Signs in, consents and exchanges the code: the ID token.
    std::string sign_in_and_get_id_token() {
        auto page = browse("GET", authorize_target());
        EXPECT_TRUE(is_sign_in_page(page)) << page.body;
        auto consent = submit(page, "sign_in");
        EXPECT_EQ(consent.status, 200) << consent.body;
        auto approved = submit(consent, "approve");
        EXPECT_EQ(approved.status, 303) << approved.body;
        std::string code = query_param(approved.header("location"), "code");
        auto exchanged = client_.send("POST", "/oauth/token", kForm + basic_,
                                      "grant_type=authorization_code&code=" + code);
        EXPECT_EQ(exchanged.status, 200) << exchanged.body;
        auto o = json::parse(exchanged.body).as_object();
        return o.contains("id_token") ? std::string(o["id_token"].as_string()) : "";
    }

    // Whether the browser's sign-in cookie still signs someone in: with
    // consent given, the authorization request then redirects at once.
    bool still_signed_in(const std::string& session) {
        cookies_["tessera_session"] = session;
        auto r = browse("GET", authorize_target());
        if (is_sign_in_page(r)) return false;
        EXPECT_EQ(r.status, 302) << r.body;
        return true;
    }

    TestServer server_;
    Client client_;
    std::string client_id_;
    std::string basic_;
    std::map<std::string, std::string> cookies_;
};

TEST_F(OidcLogout, DiscoveryNamesTheEndSessionEndpoint) {
    auto r = client_.send("GET", "/.well-known/openid-configuration");
    ASSERT_EQ(r.status, 200);
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(std::string(o["end_session_endpoint"].as_string()),
              "http://127.0.0.1:8080/oauth/logout");
}

TEST_F(OidcLogout, HintAndRegisteredUriEndTheSignInAndRedirectWithState) {
    std::string id_token = sign_in_and_get_id_token();
    ASSERT_FALSE(id_token.empty());
    std::string session = cookies_["tessera_session"];
    ASSERT_FALSE(session.empty());
    auto r = browse("GET", "/oauth/logout?id_token_hint=" + id_token +
                               "&post_logout_redirect_uri=" + form_encode(kBye) + "&state=s%201");
    EXPECT_EQ(r.status, 302) << r.body;
    // Form-encoded, as the authorization redirects encode state.
    EXPECT_EQ(r.header("location"), std::string(kBye) + "?state=s+1");
    EXPECT_EQ(r.header("set-cookie"),
              "tessera_session=; Max-Age=0; Path=/oauth; HttpOnly; SameSite=Lax");
    EXPECT_EQ(cookies_["tessera_session"], "");
    // The old cookie value signs no one in any more.
    EXPECT_FALSE(still_signed_in(session));
}

TEST_F(OidcLogout, PostWithoutStateRedirectsWith303) {
    std::string id_token = sign_in_and_get_id_token();
    std::string session = cookies_["tessera_session"];
    auto r = browse("POST", "/oauth/logout",
                    "id_token_hint=" + id_token + "&client_id=" + client_id_ +
                        "&post_logout_redirect_uri=" + form_encode(kBye));
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("location"), kBye);
    EXPECT_FALSE(still_signed_in(session));
}

TEST_F(OidcLogout, HintAloneShowsTheSignedOutPage) {
    std::string id_token = sign_in_and_get_id_token();
    std::string session = cookies_["tessera_session"];
    auto r = browse("GET", "/oauth/logout?id_token_hint=" + id_token);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("You have signed out"), std::string::npos);
    EXPECT_TRUE(r.header("location").empty());
    EXPECT_FALSE(still_signed_in(session));
}

TEST_F(OidcLogout, UnregisteredUriIsAnErrorPageAndNoRedirect) {
    std::string id_token = sign_in_and_get_id_token();
    std::string session = cookies_["tessera_session"];
    for (std::string uri : {"https://rp.example.com/bye/", "https://evil.example.com/bye",
                            "https://rp.example.com/cb"}) {
        auto r = browse("GET", "/oauth/logout?id_token_hint=" + id_token +
                                   "&post_logout_redirect_uri=" + form_encode(uri) + "&state=x");
        EXPECT_EQ(r.status, 400) << uri;
        EXPECT_TRUE(r.header("location").empty());
        EXPECT_NE(r.body.find("not registered"), std::string::npos) << r.body;
    }
    // Without a hint or client_id the URI cannot be checked.
    auto r = browse("GET", "/oauth/logout?post_logout_redirect_uri=" + form_encode(kBye));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(r.header("location").empty());
    EXPECT_TRUE(still_signed_in(session));
}

TEST_F(OidcLogout, BadHintsAreRefused) {
    std::string id_token = sign_in_and_get_id_token();
    std::string session = cookies_["tessera_session"];
    std::string tampered = id_token;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    for (const std::string& hint : {tampered, std::string("garbage"), id_token + "x"}) {
        auto r = browse("GET", "/oauth/logout?id_token_hint=" + form_encode(hint) +
                                   "&post_logout_redirect_uri=" + form_encode(kBye));
        EXPECT_EQ(r.status, 400);
        EXPECT_TRUE(r.header("location").empty());
    }
    // client_id must be the hint's aud.
    auto other = browse("GET", "/oauth/logout?id_token_hint=" + id_token +
                                   "&client_id=0a6ef5d4-2222-4000-8000-000000000002");
    EXPECT_EQ(other.status, 400);
    EXPECT_NE(other.body.find("client_id does not match"), std::string::npos);
    EXPECT_TRUE(still_signed_in(session));
}

TEST_F(OidcLogout, SignedInWithoutAHintTheUserConfirmsOnOurPage) {
    sign_in_and_get_id_token();
    std::string session = cookies_["tessera_session"];
    // A cross-site link without a hint does not sign the user out: it asks.
    auto r = browse("GET", "/oauth/logout?client_id=" + client_id_ +
                               "&post_logout_redirect_uri=" + form_encode(kBye) + "&state=s%201");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-security-policy"),
              "default-src 'none'; style-src 'self'; img-src 'self' https:; "
              "frame-ancestors 'none'; base-uri 'none'");
    EXPECT_NE(r.body.find("<h1>Sign out of Tessera?</h1>"), std::string::npos);
    EXPECT_NE(r.body.find("<strong>ada@example.com</strong>"), std::string::npos);
    EXPECT_EQ(hidden_field(r.body, "client_id"), client_id_);
    EXPECT_EQ(hidden_field(r.body, "post_logout_redirect_uri"), kBye);
    EXPECT_EQ(hidden_field(r.body, "state"), "s 1");
    std::string csrf = hidden_field(r.body, "csrf_token");
    ASSERT_FALSE(csrf.empty());
    EXPECT_TRUE(still_signed_in(session));

    std::string form = "action=sign_out&client_id=" + client_id_ +
                       "&post_logout_redirect_uri=" + form_encode(kBye) + "&state=s+1";
    // Without the page's CSRF token, or from another site: refused.
    auto forged = browse("POST", "/oauth/logout", form + "&csrf_token=forged");
    EXPECT_EQ(forged.status, 403);
    auto cross_site = client_.send(
        "POST", "/oauth/logout",
        std::string(kForm) + "Sec-Fetch-Site: cross-site\r\nCookie: tessera_session=" + session +
            "; tessera_csrf=" + cookies_["tessera_csrf"] + "\r\n",
        form + "&csrf_token=" + form_encode(csrf));
    EXPECT_EQ(cross_site.status, 403);
    EXPECT_TRUE(still_signed_in(session));

    // The user's own answer signs out and goes back to the client.
    auto confirmed = browse("POST", "/oauth/logout", form + "&csrf_token=" + form_encode(csrf));
    EXPECT_EQ(confirmed.status, 303) << confirmed.body;
    EXPECT_EQ(confirmed.header("location"), std::string(kBye) + "?state=s+1");
    EXPECT_FALSE(still_signed_in(session));
    // Nobody signed in: nothing to end.
    cookies_.clear();
    auto anonymous = browse("GET", "/oauth/logout");
    EXPECT_EQ(anonymous.status, 200);
    EXPECT_NE(anonymous.body.find("You have signed out"), std::string::npos);
}

TEST_F(OidcLogout, RegistrationAcceptsReturnsAndChecksPostLogoutRedirectUris) {
    auto r = register_client(
        R"({"redirect_uris":["https://a.example.com/cb"],)"
        R"("post_logout_redirect_uris":["https://a.example.com/bye","http://localhost:3000/"]})");
    ASSERT_EQ(r.status, 201) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(json::serialize(o["post_logout_redirect_uris"]),
              R"(["https://a.example.com/bye","http://localhost:3000/"])");
    // Read back through RFC 7592.
    auto read = client_.send("GET", "/oauth/register/" + std::string(o["client_id"].as_string()),
                             "Authorization: Bearer " +
                                 std::string(o["registration_access_token"].as_string()) + "\r\n");
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(json::serialize(json::parse(read.body).as_object()["post_logout_redirect_uris"]),
              R"(["https://a.example.com/bye","http://localhost:3000/"])");

    for (std::string bad :
         {R"(["http://a.example.com/bye"])", R"(["/bye"])", R"(["https://a.example.com/bye#f"])",
          R"(["https://a.example.com/x","https://a.example.com/x"])",
          R"("https://a.example.com/bye")", R"([1])"}) {
        auto refused = register_client(R"({"redirect_uris":["https://a.example.com/cb"],)"
                                       R"("post_logout_redirect_uris":)" +
                                       bad + "}");
        EXPECT_EQ(refused.status, 400) << bad;
        EXPECT_EQ(std::string(json::parse(refused.body).as_object()["error"].as_string()),
                  "invalid_client_metadata")
            << bad;
    }
}

}  // namespace
}  // namespace tessera::testing
