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

}  // namespace
}  // namespace tessera::core
