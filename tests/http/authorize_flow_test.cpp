// Wire tests for the authorization endpoint's pages and the code flow
// (RFC 6749 §4.1, RFC 7636, RFC 9207, Heroku spec §6) against the real
// server on loopback: cookies, CSRF, redirects and the token exchange.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"
#include "http/message.hpp"
#include "support/browser.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace tessera::testing {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";
const std::string kVerifier = "dBjftJeZ4CVP-mJ92K1s.lMaQ~u1uR3u4fSxrr2yKm0t_gE";

std::string set_cookie_line(const WireResponse& r, const std::string& name) {
    auto [begin, end] = r.headers.equal_range("set-cookie");
    for (auto it = begin; it != end; ++it)
        if (it->second.starts_with(name + "=")) return it->second;
    return "";
}

struct App {
    std::string id;
    std::string secret;
};

class AuthorizeFlow : public ::testing::Test {
protected:
    AuthorizeFlow() : client_(server_.port()) {
        server_.create_user_token("ada@example.com");
        web_ = register_app({"https://app.example.com/cb"}, "client_secret_basic", "stable");
        spa_ = register_app({"http://127.0.0.1/cb"}, "none", "rotate");
    }

    App register_app(std::vector<std::string> uris, std::string method, std::string policy) {
        auto owner = server_.app().users().find_by_email("ada@example.com");
        auto created =
            server_.app().clients().register_client({owner->id,
                                                     owner->account_id,
                                                     "Example <App>",
                                                     uris,
                                                     {"authorization_code", "refresh_token"},
                                                     {},
                                                     method,
                                                     policy},
                                                    server_.app().scopes());
        EXPECT_TRUE(created.has_value()) << created.error().description;
        return {created->client.id.uuid(), created->secret.reveal()};
    }

    std::string cookie_header() const {
        std::string out;
        for (const auto& [name, value] : cookies_) {
            if (value.empty()) continue;
            out += (out.empty() ? "" : "; ") + name + "=" + value;
        }
        return out.empty() ? "" : "Cookie: " + out + "\r\n";
    }
    // A browser: sends the cookies it holds and keeps the ones it is given.
    WireResponse browse(const std::string& method, const std::string& target,
                        const std::string& body = "") {
        return testing::browse(client_, cookies_, method, target, body);
    }
    static std::string authorize_query(const App& app, const std::string& extra = "") {
        return "/oauth/authorize?response_type=code&client_id=" + app.id + "&state=s%201" + extra;
    }
    // Signs in from the page `page`; returns the response to the form.
    WireResponse sign_in(const WireResponse& page, const std::string& password) {
        std::string body =
            "action=sign_in&email=ada%40example.com&password=" + form_encode(password);
        for (const auto& name :
             {"client_id", "response_type", "state", "redirect_uri", "code_challenge",
              "code_challenge_method", "scope", "csrf_token"}) {
            auto value = hidden_field(page.body, name);
            if (!value.empty()) body += "&" + std::string(name) + "=" + form_encode(value);
        }
        return browse("POST", "/oauth/authorize", body);
    }
    WireResponse answer(const WireResponse& consent, const std::string& action) {
        std::string body = "action=" + action;
        for (const auto& name :
             {"client_id", "response_type", "state", "redirect_uri", "code_challenge",
              "code_challenge_method", "scope", "csrf_token"}) {
            auto value = hidden_field(consent.body, name);
            if (!value.empty()) body += "&" + std::string(name) + "=" + form_encode(value);
        }
        return browse("POST", "/oauth/authorize", body);
    }
    // The whole flow for `app`: returns the code.
    std::string code_for(const App& app, const std::string& extra = "") {
        auto page = browse("GET", authorize_query(app, extra));
        if (page.status == 302) return query_param(page.header("location"), "code");
        auto consent = cookies_.count("tessera_session") && !cookies_["tessera_session"].empty()
                           ? page
                           : sign_in(page, "correct horse battery");
        EXPECT_EQ(consent.status, 200) << consent.body;
        auto approved = answer(consent, "approve");
        EXPECT_EQ(approved.status, 303);
        return query_param(approved.header("location"), "code");
    }
    WireResponse token(const std::string& body, const std::string& headers = "") {
        return client_.send("POST", "/oauth/token", kForm + headers, body);
    }

    TestServer server_;
    Client client_;
    App web_, spa_;
    std::map<std::string, std::string> cookies_;
};

TEST_F(AuthorizeFlow, UntrustedRequestsGetAnErrorPageNeverARedirect) {
    for (std::string target :
         {std::string("/oauth/authorize?response_type=code&client_id=0a6ef5d4-0000-4000-8000-"
                      "000000000000"),
          "/oauth/authorize?response_type=code&client_id=" + web_.id +
              "&redirect_uri=https%3A%2F%2Fevil.example.com%2Fcb",
          "/oauth/authorize?response_type=code&client_id=" + web_.id +
              "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%2F..%2Fcb",
          "/oauth/authorize?response_type=code&client_id=" + web_.id + "&client_id=" + web_.id,
          std::string("/oauth/authorize?response_type=code")}) {
        auto r = browse("GET", target);
        EXPECT_EQ(r.status, 400) << target;
        EXPECT_FALSE(r.has_header("location")) << target;
        EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
        EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"),
                  std::string::npos);
    }
}

TEST_F(AuthorizeFlow, OtherErrorsGoBackToTheClientWithStateAndIssuer) {
    auto r = browse(
        "GET", "/oauth/authorize?response_type=code+none&client_id=" + web_.id + "&state=s%201");
    ASSERT_EQ(r.status, 302) << r.body;
    std::string location = r.header("location");
    EXPECT_TRUE(location.starts_with("https://app.example.com/cb?error=unsupported_response_type"));
    EXPECT_EQ(query_param(location, "state"), "s 1");
    EXPECT_EQ(query_param(location, "iss"), "http://127.0.0.1:8080");  // the configured issuer

    // A response type we offer that this client did not register (RFC 6749
    // §4.1.2.1), answered in that type's default mode: the fragment.
    auto token =
        browse("GET", "/oauth/authorize?response_type=token&client_id=" + web_.id + "&state=s%201");
    ASSERT_EQ(token.status, 302) << token.body;
    EXPECT_EQ(token.header("location"),
              "https://app.example.com/cb#error=unauthorized_client&error_description=the+client+"
              "is+not+registered+for+the+response_type+token&state=s+1&iss=http%3A%2F%2F127.0.0."
              "1%3A8080");

    auto pkce = browse("GET", authorize_query(spa_));  // public client without PKCE
    EXPECT_EQ(query_param(pkce.header("location"), "error"), "invalid_request");
    auto plain = browse("GET", authorize_query(spa_, "&code_challenge=" + kVerifier +
                                                         "&code_challenge_method=plain"));
    EXPECT_EQ(query_param(plain.header("location"), "error"), "invalid_request");
}

TEST_F(AuthorizeFlow, SignInConsentAndCodeExchange) {
    auto page = browse("GET", authorize_query(web_, "&scope=read"));
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Example &lt;App&gt;"), std::string::npos);  // escaped name
    EXPECT_EQ(page.header("x-frame-options"), "DENY");
    EXPECT_EQ(page.header("cache-control"), "no-store");
    std::string csrf_cookie = set_cookie_line(page, "tessera_csrf");
    EXPECT_NE(csrf_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(csrf_cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_FALSE(hidden_field(page.body, "csrf_token").empty());

    auto wrong = sign_in(page, "wrong password");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("role=\"alert\""), std::string::npos);
    EXPECT_FALSE(cookies_.count("tessera_session"));

    auto consent = sign_in(page, "correct horse battery");
    ASSERT_EQ(consent.status, 200) << consent.body;
    std::string session_cookie = set_cookie_line(consent, "tessera_session");
    EXPECT_NE(session_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(session_cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_EQ(session_cookie.find("Secure"), std::string::npos);  // the issuer is http
    EXPECT_NE(consent.body.find("value=\"approve\""), std::string::npos);
    EXPECT_NE(consent.body.find("ada@example.com"), std::string::npos);

    auto approved = answer(consent, "approve");
    ASSERT_EQ(approved.status, 303);
    std::string location = approved.header("location");
    EXPECT_TRUE(location.starts_with("https://app.example.com/cb?code=tac_"));
    EXPECT_EQ(query_param(location, "state"), "s 1");
    std::string code = query_param(location, "code");

    // Heroku spec §6.2: no client_id, the secret in the body.
    auto exchanged =
        token("grant_type=authorization_code&code=" + code + "&client_secret=" + web_.secret);
    ASSERT_EQ(exchanged.status, 200) << exchanged.body;
    EXPECT_EQ(exchanged.header("cache-control"), "no-store");
    auto body = json::parse(exchanged.body).as_object();
    EXPECT_EQ(body["token_type"].as_string(), "Bearer");
    EXPECT_EQ(body["expires_in"].as_int64(), 28800);
    EXPECT_EQ(body["scope"].as_string(), "read");
    EXPECT_EQ(body["session_nonce"].as_string().size(), 16u);
    auto ada = server_.app().users().find_by_email("ada@example.com");
    EXPECT_EQ(body["user_id"].as_string(), ada->id.uuid());
    std::string refresh_token(body["refresh_token"].as_string());

    // A stable client (Heroku) keeps its refresh token.
    auto refreshed = token("grant_type=refresh_token&refresh_token=" + refresh_token +
                           "&client_secret=" + web_.secret);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_EQ(json::parse(refreshed.body).as_object()["refresh_token"].as_string(), refresh_token);

    // Consent is remembered: the next request redirects at once.
    auto again = browse("GET", authorize_query(web_, "&scope=read"));
    ASSERT_EQ(again.status, 302);
    EXPECT_FALSE(query_param(again.header("location"), "code").empty());
}

TEST_F(AuthorizeFlow, AReplayedCodeRevokesItsTokens) {
    std::string code = code_for(web_);
    std::string basic =
        "Authorization: Basic " + base64_encode(web_.id + ":" + web_.secret) + "\r\n";
    auto first = token("grant_type=authorization_code&code=" + code, basic);
    ASSERT_EQ(first.status, 200);
    auto access = std::string(json::parse(first.body).as_object()["access_token"].as_string());
    auto second = token("grant_type=authorization_code&code=" + code, basic);
    EXPECT_EQ(second.status, 400);
    EXPECT_EQ(json::parse(second.body).as_object()["error"].as_string(), "invalid_grant");
    auto introspected = client_.send("POST", "/oauth/introspect", kForm + basic, "token=" + access);
    EXPECT_EQ(json::parse(introspected.body).as_object()["active"].as_bool(), false);
}

TEST_F(AuthorizeFlow, APublicClientUsesPkceOnALoopbackPortAndRotates) {
    std::string challenge = base64url_encode(crypto::sha256(kVerifier));
    std::string redirect = "http%3A%2F%2F127.0.0.1%3A43123%2Fcb";
    std::string code = code_for(spa_, "&code_challenge=" + challenge +
                                          "&code_challenge_method=S256&redirect_uri=" + redirect);
    ASSERT_FALSE(code.empty());
    std::string base = "grant_type=authorization_code&client_id=" + spa_.id + "&code=" + code +
                       "&redirect_uri=" + redirect;
    EXPECT_EQ(token(base).status, 400);  // no verifier: not even tried
    auto exchanged = token(base + "&code_verifier=" + kVerifier);
    ASSERT_EQ(exchanged.status, 200) << exchanged.body;
    auto first = std::string(json::parse(exchanged.body).as_object()["refresh_token"].as_string());
    auto rotated =
        token("grant_type=refresh_token&client_id=" + spa_.id + "&refresh_token=" + first);
    ASSERT_EQ(rotated.status, 200);
    auto second = std::string(json::parse(rotated.body).as_object()["refresh_token"].as_string());
    EXPECT_NE(first, second);
}

TEST_F(AuthorizeFlow, DenyingSendsAccessDenied) {
    auto page = browse("GET", authorize_query(web_));
    auto consent = sign_in(page, "correct horse battery");
    auto denied = answer(consent, "deny");
    ASSERT_EQ(denied.status, 303);
    EXPECT_EQ(query_param(denied.header("location"), "error"), "access_denied");
    EXPECT_EQ(query_param(denied.header("location"), "state"), "s 1");
    EXPECT_TRUE(query_param(denied.header("location"), "code").empty());
}

TEST_F(AuthorizeFlow, FormsWithoutTheCsrfTokenDoNothing) {
    auto page = browse("GET", authorize_query(web_));
    std::string body =
        "action=sign_in&email=ada%40example.com&password=correct+horse+battery"
        "&response_type=code&state=x&client_id=" +
        web_.id;
    auto forged = browse("POST", "/oauth/authorize", body);  // right cookie, no token
    EXPECT_EQ(forged.status, 403);
    EXPECT_FALSE(cookies_.count("tessera_session"));
    auto consent = sign_in(page, "correct horse battery");
    ASSERT_EQ(consent.status, 200);
    // An approval with a token from another browser's cookie.
    cookies_["tessera_csrf"] = "another-browser";
    auto approved = answer(consent, "approve");
    EXPECT_EQ(approved.status, 403);
    EXPECT_FALSE(approved.has_header("location"));
}

TEST_F(AuthorizeFlow, FormsFromAnotherSiteAreRefusedWithoutTouchingCookies) {
    auto page = browse("GET", authorize_query(web_));
    auto consent = sign_in(page, "correct horse battery");
    ASSERT_EQ(consent.status, 200);
    std::string body = "action=approve&response_type=code&state=x&client_id=" + web_.id +
                       "&csrf_token=" + form_encode(hidden_field(consent.body, "csrf_token"));
    for (std::string header : {"Sec-Fetch-Site: same-site\r\n", "Sec-Fetch-Site: cross-site\r\n",
                               "Origin: http://127.0.0.1:1\r\n", "Origin: null\r\n"}) {
        auto r = client_.send("POST", "/oauth/authorize", kForm + cookie_header() + header, body);
        EXPECT_EQ(r.status, 403) << header;
        EXPECT_FALSE(r.has_header("location")) << header;
        EXPECT_FALSE(r.has_header("set-cookie")) << header;
    }
    // Without cookies (SameSite=Lax holds them back), nothing is replaced.
    auto bare = client_.send("POST", "/oauth/authorize", kForm, body);
    EXPECT_EQ(bare.status, 403);
    EXPECT_FALSE(bare.has_header("set-cookie"));
    // The same form from our own origin works.
    auto own = client_.send("POST", "/oauth/authorize",
                            kForm + cookie_header() + "Origin: http://127.0.0.1:8080\r\n" +
                                "Sec-Fetch-Site: same-origin\r\n",
                            body);
    EXPECT_EQ(own.status, 303);
}

TEST_F(AuthorizeFlow, ATokenMadeBeforeSignInCannotApprove) {
    // Cookie tossing: a page that planted its own CSRF cookie knows the
    // token for it, but not for it together with the victim's sign-in.
    auto page = browse("GET", authorize_query(web_));
    std::string before = hidden_field(page.body, "csrf_token");
    ASSERT_EQ(sign_in(page, "correct horse battery").status, 200);
    std::string body = "action=approve&response_type=code&state=x&client_id=" + web_.id +
                       "&csrf_token=" + form_encode(before);
    auto r = browse("POST", "/oauth/authorize", body);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has_header("location"));
}

TEST_F(AuthorizeFlow, SignOutForgetsTheBrowser) {
    code_for(web_);
    auto signed_in = browse("GET", authorize_query(web_));
    ASSERT_EQ(signed_in.status, 302);
    std::string csrf =
        hidden_field(browse("GET", authorize_query(web_, "&prompt=consent")).body, "csrf_token");
    auto out = browse("POST", "/oauth/sign-out", "csrf_token=" + csrf);
    EXPECT_EQ(out.status, 200);
    EXPECT_NE(set_cookie_line(out, "tessera_session").find("Max-Age=0"), std::string::npos);
    auto after = browse("GET", authorize_query(web_));
    EXPECT_EQ(after.status, 200);
    EXPECT_NE(after.body.find("name=\"password\""), std::string::npos);
}

TEST_F(AuthorizeFlow, PromptNoneNeverShowsAPage) {
    auto r = browse("GET", authorize_query(web_, "&prompt=none"));
    ASSERT_EQ(r.status, 302);
    EXPECT_EQ(query_param(r.header("location"), "error"), "login_required");
}

TEST_F(AuthorizeFlow, MaxAgeAndPromptLoginAskForAFreshSignIn) {
    code_for(web_);  // signed in, consent given
    ASSERT_EQ(browse("GET", authorize_query(web_)).status, 302);
    for (std::string extra : {"&prompt=login", "&max_age=0"}) {
        auto again = browse("GET", authorize_query(web_, extra));
        EXPECT_EQ(again.status, 200) << extra;
        EXPECT_NE(again.body.find("name=\"password\""), std::string::npos) << extra;
        // Signing in again goes straight back to the client (consent exists).
        auto signed_in = sign_in(again, "correct horse battery");
        EXPECT_EQ(signed_in.status, 303) << extra;
        EXPECT_FALSE(query_param(signed_in.header("location"), "code").empty()) << extra;
    }
    auto none = browse("GET", authorize_query(web_, "&prompt=none&max_age=0"));
    ASSERT_EQ(none.status, 302);
    EXPECT_EQ(query_param(none.header("location"), "error"), "login_required");
    auto bad = browse("GET", authorize_query(web_, "&max_age=soon"));
    EXPECT_EQ(query_param(bad.header("location"), "error"), "invalid_request");
}

TEST_F(AuthorizeFlow, TheStylesheetIsServed) {
    auto r = browse("GET", "/assets/tessera.css");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.header("content-type").starts_with("text/css"));
}

}  // namespace
}  // namespace tessera::testing
