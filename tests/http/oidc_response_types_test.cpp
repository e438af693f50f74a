// Wire tests for the implicit and hybrid response types and the response
// modes (OpenID Connect Core §3.2, §3.3; OAuth 2.0 Multiple Response Type
// Encoding Practices; Form Post Response Mode) against the real server on
// loopback: the exact redirects and form_post pages a browser receives.
#include <gtest/gtest.h>

#include <boost/json.hpp>

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

constexpr const char* kIss = "iss=http%3A%2F%2F127.0.0.1%3A8080";

std::string decode(std::string_view part) {
    auto bytes = base64url_decode(part);
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

// The fragment's parameter `name`, decoded; "" when absent.
std::string fragment_param(const std::string& uri, const std::string& name) {
    auto hash = uri.find('#');
    if (hash == std::string::npos) return "";
    return query_param("x?" + uri.substr(hash + 1), name);
}

class OidcResponseTypes : public ::testing::Test {
protected:
    OidcResponseTypes() : client_(server_.port()) {
        server_.create_user_token("ada@example.com");
        auto owner = server_.app().users().find_by_email("ada@example.com");
        core::NewOAuthClient input{owner->id,
                                   owner->account_id,
                                   "Hybrid <RP>",
                                   {"https://rp.example.com/cb"},
                                   {"authorization_code", "implicit"},
                                   {},
                                   "client_secret_basic",
                                   "rotate"};
        input.response_types =
            std::vector<std::string>{"code", "code id_token", "id_token token", "token"};
        auto created = server_.app().clients().register_client(input, server_.app().scopes());
        EXPECT_TRUE(created.has_value()) << created.error().description;
        client_id_ = created->client.id.uuid();
    }

    WireResponse browse(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        return testing::browse(client_, cookies_, method, target, body);
    }

    WireResponse submit(const WireResponse& page, const std::string& action) {
        return submit_authorize_form(client_, cookies_, page, action);
    }

    std::string target(const std::string& query) const {
        return "/oauth/authorize?client_id=" + client_id_ + "&state=st&" + query;
    }

    // Signs in and approves; the answer to the approval.
    WireResponse approved(const std::string& query) {
        auto page = browse("GET", target(query));
        EXPECT_EQ(page.status, 200) << page.body;
        auto consent = submit(page, "sign_in");
        EXPECT_EQ(consent.status, 200) << consent.body;
        return submit(consent, "approve");
    }

    // The ID token's claims, its signature checked against the published
    // key it names.
    json::object verified_claims(const std::string& id_token) {
        auto parts = crypto::split_compact(id_token);
        EXPECT_TRUE(parts.has_value());
        if (!parts) return {};
        auto header = json::parse(decode(parts->header)).as_object();
        auto key = server_.app().keys().published_key(std::string(header["kid"].as_string()));
        EXPECT_TRUE(key.has_value());
        if (!key) return {};
        EXPECT_TRUE((*key)->verify(std::string(parts->header) + "." + std::string(parts->payload),
                                   decode(parts->signature)));
        return json::parse(decode(parts->payload)).as_object();
    }

    static std::string left_half_sha256(const std::string& value) {
        auto digest = crypto::sha256(value);
        return base64url_encode(std::span(digest.data(), digest.size() / 2));
    }

    TestServer server_;
    Client client_;
    std::string client_id_;
    std::map<std::string, std::string> cookies_;
};

TEST_F(OidcResponseTypes, CodeIdTokenArrivesInTheFragment) {
    auto r = approved("response_type=code+id_token&scope=openid&nonce=n-1");
    ASSERT_EQ(r.status, 303) << r.body;
    std::string location = r.header("location");
    EXPECT_TRUE(location.starts_with("https://rp.example.com/cb#code=tac_")) << location;
    EXPECT_TRUE(location.ends_with(std::string("&state=st&") + kIss)) << location;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    std::string code = fragment_param(location, "code");
    auto claims = verified_claims(fragment_param(location, "id_token"));
    EXPECT_EQ(claims["nonce"].as_string(), "n-1");
    EXPECT_EQ(claims["aud"].as_string(), client_id_);
    EXPECT_EQ(claims["c_hash"].as_string(), left_half_sha256(code));
    EXPECT_FALSE(claims.contains("at_hash"));
}

TEST_F(OidcResponseTypes, ImplicitAccessTokenReadsUserInfo) {
    auto r = approved("response_type=id_token+token&scope=openid+email&nonce=n-2");
    ASSERT_EQ(r.status, 303) << r.body;
    std::string location = r.header("location");
    EXPECT_TRUE(location.starts_with("https://rp.example.com/cb#access_token=tat_")) << location;
    EXPECT_NE(location.find("&token_type=Bearer&expires_in=3600&scope=openid+email&id_token="),
              std::string::npos)
        << location;
    std::string access = fragment_param(location, "access_token");
    auto claims = verified_claims(fragment_param(location, "id_token"));
    EXPECT_EQ(claims["at_hash"].as_string(), left_half_sha256(access));
    EXPECT_EQ(location.find("refresh_token"), std::string::npos);

    auto info = client_.send("GET", "/userinfo", "Authorization: Bearer " + access + "\r\n");
    EXPECT_EQ(info.status, 200) << info.body;
    EXPECT_NE(info.body.find(R"("email":"ada@example.com")"), std::string::npos);

    // Consent is remembered: the next request answers at once with a 302.
    auto again = browse("GET", target("response_type=token&scope=openid"));
    EXPECT_EQ(again.status, 302);
    EXPECT_TRUE(again.header("location").starts_with("https://rp.example.com/cb#access_token="));
}

TEST_F(OidcResponseTypes, FormPostIsAPageThatPostsTheAnswer) {
    auto r = approved("response_type=code&scope=openid&response_mode=form_post");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.header("content-security-policy"),
              "default-src 'none'; script-src 'sha256-mQ2oGECEQvP+Nu+by0UKX2wmZ+b33NETq1RQ2wOEDw0='; "
              "style-src 'self'; img-src 'self' https:; frame-ancestors 'none'; base-uri 'none'");
    EXPECT_TRUE(r.header("location").empty());
    EXPECT_NE(r.body.find(R"(<form method="post" action="https://rp.example.com/cb" id="response">)"),
              std::string::npos)
        << r.body;
    EXPECT_TRUE(hidden_field(r.body, "code").starts_with("tac_"));
    EXPECT_EQ(hidden_field(r.body, "state"), "st");
    EXPECT_EQ(hidden_field(r.body, "iss"), "http://127.0.0.1:8080");
    EXPECT_NE(r.body.find("Your answer is being sent to Hybrid &lt;RP&gt;."), std::string::npos);
    EXPECT_NE(r.body.find(R"(<button type="submit" class="primary">Continue</button>)"),
              std::string::npos);
    EXPECT_NE(r.body.find(R"(<script>document.getElementById("response").submit();</script>)"),
              std::string::npos);
}

TEST_F(OidcResponseTypes, ErrorsUseTheResponseModeExactly) {
    // id_token without a nonce: in the fragment, the type's default.
    auto no_nonce = browse("GET", target("response_type=code+id_token&scope=openid"));
    EXPECT_EQ(no_nonce.status, 302);
    EXPECT_EQ(no_nonce.header("location"),
              std::string("https://rp.example.com/cb#error=invalid_request&error_description="
                          "nonce+is+required+when+the+response_type+has+id_token&state=st&") +
                  kIss);
    // query asked for a token-bearing type: refused, in the fragment.
    auto query = browse("GET", target("response_type=token&scope=openid&response_mode=query"));
    EXPECT_EQ(query.header("location"),
              std::string("https://rp.example.com/cb#error=invalid_request&error_description="
                          "response_mode+query+cannot+carry+tokens%3A+use+fragment+or+form_post&"
                          "state=st&") +
                  kIss);
    // A type this client did not register.
    auto id_token = browse("GET", target("response_type=id_token&scope=openid&nonce=n"));
    EXPECT_EQ(id_token.header("location"),
              std::string("https://rp.example.com/cb#error=unauthorized_client&error_description="
                          "the+client+is+not+registered+for+the+response_type+id_token&state=st&") +
                  kIss);
    // form_post carries errors too, before anyone signs in.
    auto posted = browse("GET", target("response_type=code+none&response_mode=form_post"));
    EXPECT_EQ(posted.status, 200);
    EXPECT_EQ(hidden_field(posted.body, "error"), "unsupported_response_type");
    EXPECT_EQ(hidden_field(posted.body, "error_description"), "the response_type is not supported");
    EXPECT_EQ(hidden_field(posted.body, "state"), "st");
    EXPECT_NE(posted.header("content-security-policy").find("script-src 'sha256-"),
              std::string::npos);
    // A denial after sign-in goes back the same way.
    auto page = browse("GET", target("response_type=code+id_token&scope=openid&nonce=n"));
    auto consent = submit(page, "sign_in");
    auto denied = submit(consent, "deny");
    EXPECT_EQ(denied.status, 303);
    EXPECT_EQ(denied.header("location"),
              std::string("https://rp.example.com/cb#error=access_denied&error_description="
                          "the+user+denied+the+request&state=st&") +
                  kIss);
}

}  // namespace
}  // namespace tessera::testing
