#include "core/clients/uri_verification.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>

namespace tessera::core {
namespace {

using Status = UriVerification::Status;

TEST(UriVerification, UriHostTable) {
    struct Case {
        const char* uri;
        std::optional<std::string> host;
    };
    for (const auto& c : {
             Case{"https://example.com", "example.com"},
             Case{"https://Example.COM/path?q=1#f", "example.com"},
             Case{"https://user:pass@www.example.com:8443/", "www.example.com"},
             Case{"http://127.0.0.1:8080/", "127.0.0.1"},
             Case{"https://[::1]/", "[::1]"},
             Case{"https://exa%6Dple.com/", "example.com"},
             Case{"https://example.com./", "example.com."},
             Case{"HTTPS://EXAMPLE.COM", "example.com"},
             Case{"https:///path", std::nullopt},
             Case{"https://", std::nullopt},
             Case{"mailto:someone@example.com", std::nullopt},
             Case{"example.com", std::nullopt},
             Case{"//example.com/", std::nullopt},
             Case{"https://exa mple.com/", std::nullopt},
             Case{"https://exa%20mple.com/", std::nullopt},
             Case{"https://exa%00mple.com/", std::nullopt},
             Case{"https://b%C3%BCcher.example/", std::nullopt},
             Case{"", std::nullopt},
         }) {
        EXPECT_EQ(uri_host(c.uri), c.host) << c.uri;
    }
}

TEST(UriVerification, StartIsPendingWithAFreshTokenAndATwoDayDeadline) {
    SeededRandom random(7);
    UriVerification v = start_uri_verification("example.com", random, 1000);
    EXPECT_EQ(v.status, Status::pending);
    EXPECT_EQ(v.host, "example.com");
    ASSERT_EQ(v.token.size(), 32u);
    EXPECT_EQ(v.token.find_first_not_of("0123456789abcdef"), std::string::npos) << v.token;
    EXPECT_EQ(v.deadline, 1000 + 172800);
    EXPECT_EQ(v.checked_at, 0);
    EXPECT_EQ(v.record(), "cloudflare_oauth_client_publisher=" + v.token);

    std::set<std::string> tokens{v.token};
    for (int i = 0; i < 20; ++i)
        tokens.insert(start_uri_verification("example.com", random, 1000).token);
    EXPECT_EQ(tokens.size(), 21u);
}

TEST(UriVerification, RestartRenewsOnlyAFailedOne) {
    SeededRandom random(7);
    UriVerification failed = start_uri_verification("example.com", random, 1000);
    failed.status = Status::failed;
    failed.checked_at = 1000 + 172800;
    UriVerification restarted = restart_uri_verification(failed, 500000);
    EXPECT_EQ(restarted.status, Status::pending);
    EXPECT_EQ(restarted.host, failed.host);
    EXPECT_EQ(restarted.token, failed.token);
    EXPECT_EQ(restarted.deadline, 500000 + kUriVerificationWindow);
    EXPECT_EQ(restarted.checked_at, 0);

    for (Status status : {Status::pending, Status::in_progress, Status::verified}) {
        UriVerification v = failed;
        v.status = status;
        UriVerification same = restart_uri_verification(v, 500000);
        EXPECT_EQ(same.status, status);
        EXPECT_EQ(same.token, v.token);
        EXPECT_EQ(same.deadline, v.deadline);
        EXPECT_EQ(same.checked_at, v.checked_at);
    }
}

}  // namespace
}  // namespace tessera::core
