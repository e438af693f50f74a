// What the Cloudflare surface adds to the OAuth endpoints (Cloudflare spec
// §8), over the wire: optional scopes the user may decline at consent (and
// is not asked about again), and CORS answers only for a client's allowed
// origins.
#include <gtest/gtest.h>

#include "base/encoding.hpp"
#include "http/cloudflare_fixture.hpp"
#include "support/browser.hpp"

namespace tessera::testing {
namespace {

class CloudflareOAuthRules : public CloudflareWire {
protected:
    // A client whose apps.read is optional; its id and secret.
    std::pair<std::string, std::string> optional_scope_client() {
        auto created = create_client(valid_body({{"scopes", json::array{"account.read", "apps.read"}},
                                                 {"optional_scopes", json::array{"apps.read"}}}));
        return {std::string(created["client_id"].as_string()),
                std::string(created["client_secret"].as_string())};
    }

    // Signs the owner in for `client_id` and returns the consent page.
    WireResponse consent_page(const std::string& client_id) {
        auto page = browse(http_, jar_, "GET", "/oauth/authorize?response_type=code&client_id=" +
                                                   client_id + "&scope=account.read+apps.read");
        EXPECT_EQ(page.status, 200);
        return browse(http_, jar_, "POST", "/oauth/authorize",
                      form(page, "action=sign_in&email=owner%40example.com&password=correct+horse+"
                                 "battery"));
    }

    // The page's hidden request fields after `first`.
    static std::string form(const WireResponse& page, std::string first) {
        for (const char* name : {"client_id", "response_type", "scope", "csrf_token"}) {
            auto value = hidden_field(page.body, name);
            if (!value.empty()) first += std::string("&") + name + "=" + form_encode(value);
        }
        return first;
    }
    std::string granted_scope(const std::string& client_id, const std::string& secret,
                              const WireResponse& redirect) {
        EXPECT_EQ(redirect.status, 303) << redirect.body;
        auto code = query_param(redirect.header("location"), "code");
        auto token = redeem(client_id, secret, code);
        EXPECT_EQ(token.status, 200) << token.body;
        return std::string(json::parse(token.body).as_object()["scope"].as_string());
    }

    std::map<std::string, std::string> jar_;
};

TEST_F(CloudflareOAuthRules, ADeclinedOptionalScopeIsLeftOutAndNotAskedAgain) {
    auto [id, secret] = optional_scope_client();
    auto consent = consent_page(id);
    ASSERT_NE(consent.body.find("name=\"grant.apps.read\" value=\"grant\" checked"),
              std::string::npos);
    EXPECT_EQ(consent.body.find("name=\"grant.account.read\""), std::string::npos);
    // The box was unticked: the form carries scope_choices but no grant.apps.read.
    auto approved = browse(http_, jar_, "POST", "/oauth/authorize",
                           form(consent, "action=approve&scope_choices=1"));
    EXPECT_EQ(granted_scope(id, secret, approved), "account.read");

    // The same request again: the decision stands, no consent page.
    auto again = browse(http_, jar_, "GET", "/oauth/authorize?response_type=code&client_id=" + id +
                                                "&scope=account.read+apps.read");
    ASSERT_EQ(again.status, 302) << again.body;
    auto code = query_param(again.header("location"), "code");
    auto token = redeem(id, secret, code);
    EXPECT_EQ(std::string(json::parse(token.body).as_object()["scope"].as_string()),
              "account.read");
}

TEST_F(CloudflareOAuthRules, AKeptOptionalScopeIsGranted) {
    auto [id, secret] = optional_scope_client();
    auto consent = consent_page(id);
    auto approved = browse(http_, jar_, "POST", "/oauth/authorize",
                           form(consent, "action=approve&scope_choices=1&grant.apps.read=grant"));
    EXPECT_EQ(granted_scope(id, secret, approved), "account.read apps.read");
}

TEST_F(CloudflareOAuthRules, TheTokenEndpointAnswersCorsOnlyForAllowedOrigins) {
    auto created = create_client(
        valid_body({{"allowed_cors_origins", json::array{"https://spa.example"}}}));
    std::string id(created["client_id"].as_string());
    std::string secret(created["client_secret"].as_string());
    auto exchange = [&](const std::string& origin) {
        auto code = code_for(id);
        return http_.send("POST", "/oauth/token",
                          "Content-Type: application/x-www-form-urlencoded\r\nOrigin: " + origin +
                              "\r\n",
                          "grant_type=authorization_code&code=" + code + "&client_id=" + id +
                              "&client_secret=" + secret);
    };
    auto allowed = exchange("https://spa.example");
    EXPECT_EQ(allowed.status, 200) << allowed.body;
    EXPECT_EQ(allowed.header("access-control-allow-origin"), "https://spa.example");
    EXPECT_EQ(allowed.header("vary"), "Origin");
    auto other = exchange("https://evil.example");
    EXPECT_EQ(other.status, 200) << other.body;
    EXPECT_FALSE(other.has_header("access-control-allow-origin"));
}

}  // namespace
}  // namespace tessera::testing
