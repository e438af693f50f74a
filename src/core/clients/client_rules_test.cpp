#include "core/clients/client_rules.hpp"

#include <gtest/gtest.h>

namespace tessera::core {
namespace {

TEST(ClientRules, RedirectUriTable) {
    struct Case {
        const char* uri;
        bool ok;
    };
    for (auto c :
         {Case{"https://example.com/cb", true}, Case{"https://example.com:8443/a?b=c", true},
          Case{"http://localhost/cb", true}, Case{"http://LOCALHOST:3000/cb", true},
          Case{"http://myapp.local/cb", true}, Case{"http://127.0.0.1:9/cb", true},
          Case{"http://10.1.2.3/cb", true}, Case{"http://192.168.0.1/cb", true},
          Case{"http://example.com/cb", false}, Case{"http://11.0.0.1/cb", false},
          Case{"http://.local/cb", false}, Case{"https://example.com/cb#x", false},
          Case{"https://u:p@example.com/cb", false}, Case{"example.com/cb", false},
          Case{"https:///cb", false}, Case{"ftp://example.com/", false},
          Case{"custom-scheme:/cb", false}, Case{"https://exa mple.com/", false},
          Case{"", false}}) {
        auto r = check_redirect_uri(c.uri);
        EXPECT_EQ(r.has_value(), c.ok) << c.uri;
        if (!r) {
            EXPECT_EQ(r.error().code, Code::invalid_params);
            EXPECT_EQ(r.error().subject, "redirect_uri");
        }
    }
    EXPECT_FALSE(check_redirect_uri("https://example.com/" + std::string(2000, 'a')));
}

TEST(ClientRules, NameIsTrimmedAndBounded) {
    EXPECT_EQ(*check_client_name("  My app \t"), "My app");
    EXPECT_EQ(*check_client_name(std::string(255, 'a')), std::string(255, 'a'));
    // 255 two-byte characters are 255 characters, not 510.
    std::string accents;
    for (int i = 0; i < 255; ++i) accents += "\xc3\xa9";
    EXPECT_TRUE(check_client_name(accents).has_value());
    EXPECT_FALSE(check_client_name(std::string(256, 'a')));
    EXPECT_FALSE(check_client_name("   "));
    EXPECT_FALSE(check_client_name("tab\x01name"));
    EXPECT_EQ(check_client_name("").error().subject, "name");
}

TEST(ClientRules, GrantTypesTable) {
    using V = std::vector<std::string>;
    struct Case {
        V grants;
        V redirect_uris;
        bool ok;
        const char* subject;
    };
    for (const auto& c : {
             Case{{"authorization_code"}, {"https://a.example/cb"}, true, ""},
             Case{{"authorization_code", "refresh_token"}, {"https://a.example/cb"}, true, ""},
             Case{{"client_credentials"}, {}, true, ""},
             Case{{}, {}, false, "grant_types"},
             Case{{"implicit"}, {"https://a.example/cb"}, true, ""},
             Case{{"implicit"}, {}, false, "redirect_uris"},
             Case{{"password"}, {}, false, "grant_types"},
             Case{{"client_credentials", "client_credentials"}, {}, false, "grant_types"},
             Case{{"authorization_code"}, {}, false, "redirect_uris"},
         }) {
        auto r = check_grant_types(c.grants, c.redirect_uris);
        EXPECT_EQ(r.has_value(), c.ok) << ::testing::PrintToString(c.grants);
        if (!r) {
            EXPECT_EQ(r.error().subject, c.subject);
        }
    }
}

TEST(ClientRules, AuthMethodTable) {
    using V = std::vector<std::string>;
    EXPECT_TRUE(check_auth_method("client_secret_basic", V{"client_credentials"}));
    EXPECT_TRUE(check_auth_method("client_secret_post", V{"authorization_code"}));
    EXPECT_TRUE(check_auth_method("none", V{"authorization_code", "refresh_token"}));
    EXPECT_FALSE(check_auth_method("none", V{"client_credentials"}));
    EXPECT_FALSE(check_auth_method("private_key_jwt", V{"authorization_code"}));
    EXPECT_FALSE(check_auth_method("", V{"authorization_code"}));
    EXPECT_EQ(check_auth_method("tls_client_auth", V{}).error().subject,
              "token_endpoint_auth_method");
}

TEST(ClientRules, ResponseTypesMustMatchTheGrantTypes) {
    using V = std::vector<std::string>;
    struct Case {
        V responses;
        V grants;
        bool ok;
    };
    for (const auto& c : {
             Case{{"code"}, {"authorization_code"}, true},
             Case{{"code"}, {"authorization_code", "refresh_token"}, true},
             Case{{}, {"client_credentials"}, true},
             Case{{}, {"authorization_code"}, false},            // code grant, no code response
             Case{{"code"}, {"client_credentials"}, false},      // code response, no code grant
             Case{{"token"}, {"authorization_code"}, false},     // needs implicit
             Case{{"id_token"}, {"authorization_code"}, false},  // needs implicit
             Case{{"code id_token"}, {"authorization_code"}, false},
             Case{{"code", "code"}, {"authorization_code"}, false},
             Case{{"id_token"}, {"implicit"}, true},
             Case{{"id_token token", "token"}, {"implicit"}, true},
             Case{{"code id_token"}, {"authorization_code", "implicit"}, true},
             Case{{"code", "token code id_token"}, {"authorization_code", "implicit"}, true},
             Case{{"code id_token"}, {"implicit"}, false},                // a code needs its grant
             Case{{"code"}, {"authorization_code", "implicit"}, false},   // implicit unused
             Case{{"token"}, {"authorization_code", "implicit"}, false},  // code unused
             Case{{"id_token", "token id_token", "id_token token"}, {"implicit"}, false},
             Case{{"none"}, {"implicit"}, false},
             Case{{"code  token"}, {"authorization_code", "implicit"}, false},
             Case{{""}, {"implicit"}, false},
         }) {
        auto r = check_response_types(c.responses, c.grants);
        EXPECT_EQ(r.has_value(), c.ok) << ::testing::PrintToString(c.responses) << " with "
                                       << ::testing::PrintToString(c.grants);
        if (!r) {
            EXPECT_EQ(r.error().code, Code::invalid_params);
            EXPECT_EQ(r.error().subject, "response_types");
        }
    }
}

TEST(ClientRules, ScopesMustBeInTheCatalog) {
    auto catalog = ScopeCatalog::heroku_default();
    EXPECT_TRUE(check_scopes({}, catalog));
    EXPECT_TRUE(check_scopes({"openid", "read"}, catalog));
    auto unknown = check_scopes({"read", "admin"}, catalog);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().subject, "scope");
    EXPECT_EQ(unknown.error().description, "unknown scope 'admin'");
}

TEST(ClientRules, ClientMetadataChecksEveryRuleInOrder) {
    auto catalog = ScopeCatalog::heroku_default();
    Client good;
    good.grant_types = {"authorization_code", "refresh_token"};
    good.redirect_uris = {"https://a.example/cb"};
    good.scopes = {"read"};
    good.token_endpoint_auth_method = "none";
    good.refresh_policy = "rotate";
    EXPECT_TRUE(check_client_metadata(good, catalog));
    struct Case {
        void (*change)(Client&);
        const char* subject;
    };
    for (auto c : {
             Case{[](Client& x) { x.grant_types = {"password"}; }, "grant_types"},
             Case{[](Client& x) { x.redirect_uris = {}; }, "redirect_uris"},
             Case{[](Client& x) { x.token_endpoint_auth_method = "private_key_jwt"; },
                  "token_endpoint_auth_method"},
             Case{[](Client& x) { x.grant_types.push_back("client_credentials"); },
                  "token_endpoint_auth_method"},
             Case{[](Client& x) { x.refresh_policy = "sometimes"; }, "refresh_policy"},
             Case{[](Client& x) { x.redirect_uris.push_back("http://evil.example/cb"); },
                  "redirect_uri"},
             Case{[](Client& x) { x.scopes = {"admin"}; }, "scope"},
         }) {
        Client bad = good;
        c.change(bad);
        auto r = check_client_metadata(bad, catalog);
        ASSERT_FALSE(r.has_value()) << c.subject;
        EXPECT_EQ(r.error().subject, c.subject);
    }
}

}  // namespace
}  // namespace tessera::core
