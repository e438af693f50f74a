// A native app's browser sign-in with the SDK (RFC 8252, RFC 7636): PKCE,
// the authorization URL, the loopback redirect, the code exchanged by a
// public client, then UserInfo with the token. The browser's part is
// played by PageBrowser on the server's real pages.
#include <future>
#include <regex>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"
#include "sdk/page_browser.hpp"
#include "sdk/sdk_fixture.hpp"

namespace tessera::testing {
namespace {

using namespace std::chrono_literals;

class NativeApp : public SdkTest {
protected:
    NativeApp() {
        auto owner = server_.app().users().find_by_email(kOwner);
        auto created =
            server_.app().clients().register_client({owner->id,
                                                     owner->account_id,
                                                     "Native app",
                                                     {"http://127.0.0.1/callback"},
                                                     {"authorization_code", "refresh_token"},
                                                     {"openid", "profile", "email", "global"},
                                                     "none",
                                                     ""},
                                                    server_.app().scopes());
        EXPECT_TRUE(created) << created.error().description;
        client_id_ = created->client.id.uuid();
        user_id_ = owner->id.uuid();
    }

    struct Started {
        sdk::LoopbackRedirect redirect;
        sdk::Pkce pkce;
        std::string state;
        std::string url;
    };
    Started start(const std::string& scope = "openid profile email") {
        auto redirect = sdk::LoopbackRedirect::listen();
        EXPECT_TRUE(redirect) << redirect.error().to_string();
        auto pkce = sdk::Pkce::generate();
        auto state = sdk::random_state();
        auto url = sdk::authorization_url("http://127.0.0.1:8080/oauth/authorize",
                                          {.client_id = client_id_,
                                           .redirect_uri = redirect->redirect_uri(),
                                           .scope = scope,
                                           .state = state,
                                           .code_challenge = pkce.challenge,
                                           .nonce = "n-0S6_WzA2Mj"});
        return {std::move(*redirect), std::move(pkce), std::move(state), std::move(url)};
    }

    std::string client_id_;
    std::string user_id_;
    PageBrowser browser_{server_.port(), kOwner, kPassword};
};

TEST(Pkce, IsAFreshS256Pair) {
    auto a = sdk::Pkce::generate(), b = sdk::Pkce::generate();
    EXPECT_EQ(a.verifier.size(), 43u);
    EXPECT_TRUE(std::regex_match(a.verifier.reveal(), std::regex("[A-Za-z0-9_-]{43}")));
    EXPECT_EQ(a.challenge, base64url_encode(crypto::sha256(a.verifier.reveal())));
    EXPECT_FALSE(a.verifier == b.verifier);
    EXPECT_NE(sdk::random_state(), sdk::random_state());
    EXPECT_EQ(sdk::random_state().size(), 43u);
}

TEST(AuthorizationUrl, CarriesTheRequestFormEncoded) {
    EXPECT_EQ(sdk::authorization_url("https://id.example.com/oauth/authorize",
                                     {.client_id = "abc",
                                      .redirect_uri = "http://127.0.0.1:5000/callback",
                                      .scope = "openid global",
                                      .state = "s1",
                                      .code_challenge = "ch",
                                      .prompt = "login"}),
              "https://id.example.com/oauth/authorize?response_type=code&client_id=abc"
              "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback&scope=openid%20global"
              "&state=s1&code_challenge=ch&code_challenge_method=S256&prompt=login");
    EXPECT_TRUE(
        sdk::authorization_url("https://id.example.com/authorize?tenant=a", {.client_id = "abc"})
            .starts_with("https://id.example.com/authorize?tenant=a&response_type=code&"));
}

TEST_F(NativeApp, SignsInThroughTheBrowserAndReadsUserInfo) {
    auto started = start();
    const auto& uri = started.redirect.redirect_uri();
    EXPECT_TRUE(std::regex_match(uri, std::regex("http://127\\.0\\.0\\.1:[0-9]+/callback"))) << uri;
    auto waited = std::async(std::launch::async, [&] {
        return started.redirect.wait(started.state, 10s, "http://127.0.0.1:8080");
    });
    auto location = browser_.authorize(started.url);
    ASSERT_TRUE(location.starts_with(uri + "?")) << location;
    auto page = PageBrowser::follow(location);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("The sign-in is complete."), std::string::npos);
    EXPECT_EQ(page.header("cache-control"), "no-store");
    EXPECT_EQ(page.header("referrer-policy"), "no-referrer");
    auto answer = waited.get();
    ASSERT_TRUE(answer) << answer.error().to_string();
    EXPECT_EQ(answer->iss, "http://127.0.0.1:8080");
    // One redirect, then the port is closed.
    Client late(started.redirect.port());
    EXPECT_THROW(late.send("GET", "/callback"), std::exception);

    auto tokens =
        api_with({}).endpoints().token({.grant_type = "authorization_code",
                                        .client = {client_id_, {}, sdk::ClientAuth::Method::none},
                                        .code = answer->code,
                                        .redirect_uri = uri,
                                        .code_verifier = started.pkce.verifier});
    ASSERT_TRUE(tokens) << tokens.error().to_string();
    EXPECT_TRUE(tokens->id_token);
    EXPECT_EQ(tokens->scope, "openid profile email");

    auto info = api_with({}).endpoints().userinfo(tokens->access_token);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->sub, user_id_);
    EXPECT_EQ(info->email, kOwner);
    EXPECT_EQ(info->email_verified, false);
    EXPECT_EQ(info->name, "");  // `profile`: the user has no name
    EXPECT_EQ(sdk::to_json(*info), R"({"sub":")" + user_id_ + R"(","name":"","email":")" + kOwner +
                                       R"(","email_verified":false})");
    // The same with the token as the Api's credentials.
    auto as_api = api(tokens->access_token.reveal()).endpoints().userinfo();
    ASSERT_TRUE(as_api) << as_api.error().to_string();
    EXPECT_EQ(as_api->sub, user_id_);
}

TEST_F(NativeApp, TheCodeNeedsTheVerifierAndTheSameRedirectUri) {
    auto started = start();
    auto waited =
        std::async(std::launch::async, [&] { return started.redirect.wait(started.state, 10s); });
    PageBrowser::follow(browser_.authorize(started.url));
    auto answer = waited.get();
    ASSERT_TRUE(answer) << answer.error().to_string();
    sdk::TokenRequest request{.grant_type = "authorization_code",
                              .client = {client_id_, {}, sdk::ClientAuth::Method::none},
                              .code = answer->code,
                              .redirect_uri = started.redirect.redirect_uri(),
                              .code_verifier = sdk::Pkce::generate().verifier};
    expect_api_error(api_with({}).endpoints().token(request), 400, "invalid_grant");
}

TEST_F(NativeApp, ADenialComesBackAsTheServersError) {
    auto started = start();
    auto waited =
        std::async(std::launch::async, [&] { return started.redirect.wait(started.state, 10s); });
    auto page = PageBrowser::follow(browser_.authorize(started.url, "deny"));
    EXPECT_NE(page.body.find("The sign-in was not completed."), std::string::npos);
    auto answer = waited.get();
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().kind, sdk::ErrorKind::api);
    EXPECT_EQ(answer.error().status, 0);
    EXPECT_EQ(answer.error().id, "access_denied");
    EXPECT_TRUE(answer.error().to_string().starts_with("access_denied: "))
        << answer.error().to_string();
}

// Answers the listener as `target` would be requested by a browser, while
// wait() runs; returns wait()'s result and the page.
std::pair<sdk::Result<sdk::AuthorizationResponse>, WireResponse> redirect_to(
    const std::string& target, const std::optional<std::string>& issuer = std::nullopt) {
    auto redirect = sdk::LoopbackRedirect::listen();
    EXPECT_TRUE(redirect);
    auto waited =
        std::async(std::launch::async, [&] { return redirect->wait("the-state", 10s, issuer); });
    Client browser(redirect->port());
    auto favicon = browser.send("GET", "/favicon.ico");  // not the redirect: ignored
    EXPECT_EQ(favicon.status, 404);
    Client second(redirect->port());
    auto page = second.send("GET", target);
    return {waited.get(), page};
}

TEST(LoopbackRedirect, RefusesAnAnswerForAnotherSignIn) {
    for (const std::string target :
         {"/callback?code=c&state=other", "/callback?code=c", "/callback?error=access_denied",
          "/callback?error=access_denied&state=other"}) {
        auto [answer, page] = redirect_to(target);
        ASSERT_FALSE(answer) << target;
        EXPECT_EQ(answer.error().kind, sdk::ErrorKind::protocol) << target;
        EXPECT_NE(answer.error().message.find("state"), std::string::npos);
        EXPECT_EQ(page.status, 200);
        EXPECT_NE(page.body.find("not completed"), std::string::npos);
        EXPECT_EQ(page.body.find("other"), std::string::npos);  // nothing echoed
    }
}

TEST(LoopbackRedirect, ChecksTheIssuerAndTheCode) {
    auto [wrong_issuer, page] = redirect_to(
        "/callback?code=c&state=the-state&iss=https%3A%2F%2Fevil.example", "https://id");
    ASSERT_FALSE(wrong_issuer);
    EXPECT_EQ(wrong_issuer.error().kind, sdk::ErrorKind::protocol);
    auto [no_code, _] = redirect_to("/callback?state=the-state");
    ASSERT_FALSE(no_code);
    EXPECT_EQ(no_code.error().message, "the sign-in answer carries no code");
    auto [good, done] =
        redirect_to("/callback?code=c%2B1&state=the-state&iss=https%3A%2F%2Fid", "https://id");
    ASSERT_TRUE(good) << good.error().to_string();
    EXPECT_EQ(good->code.reveal(), "c+1");
    EXPECT_EQ(good->iss, "https://id");
    auto [error, refused] =
        redirect_to("/callback?error=server_error&error_description=down&state=the-state");
    ASSERT_FALSE(error);
    EXPECT_EQ(error.error().id, "server_error");
    EXPECT_EQ(error.error().message, "down");
}

TEST(LoopbackRedirect, TimesOutAndServesOnce) {
    auto redirect = sdk::LoopbackRedirect::listen("/cb");
    ASSERT_TRUE(redirect);
    EXPECT_TRUE(redirect->redirect_uri().ends_with("/cb"));
    auto started = std::chrono::steady_clock::now();
    auto answer = redirect->wait("s", 200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().kind, sdk::ErrorKind::timeout);
    auto again = redirect->wait("s", 200ms);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, sdk::ErrorKind::usage);
    EXPECT_FALSE(sdk::LoopbackRedirect::listen("no-slash"));
}

}  // namespace
}  // namespace tessera::testing
