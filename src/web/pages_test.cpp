#include "web/pages.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/encoding.hpp"
#include "crypto/digest.hpp"
#include "web/embedded_files.hpp"
#include "web/template.hpp"

namespace tessera::web {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::size_t occurrences(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + needle.size()))
        ++n;
    return n;
}

std::string header(const http::Response& r, std::string_view name) {
    EXPECT_EQ(r.headers.count(name), 1u) << name;
    return std::string(r.headers.get(name).value_or(""));
}

// The headers and document frame every HTML page must have.
void expect_html_page(const http::Response& r) {
    EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header(r, "Cache-Control"), "no-store");
    EXPECT_EQ(header(r, "Content-Security-Policy"),
              "default-src 'none'; style-src 'self'; img-src 'self' https:; "
              "frame-ancestors 'none'; base-uri 'none'");
    EXPECT_EQ(header(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.headers.count("Location"), 0u);
    const auto& body = r.body;
    EXPECT_TRUE(body.starts_with("<!DOCTYPE html>")) << body.substr(0, 40);
    EXPECT_TRUE(contains(body, "<html lang=\"en\">"));
    EXPECT_TRUE(contains(body, "<meta name=\"viewport\""));
    EXPECT_TRUE(contains(body, "<main"));
    EXPECT_TRUE(contains(body, "<link rel=\"stylesheet\" href=\"/assets/tessera.css\">"));
    EXPECT_TRUE(contains(body, "Tessera"));
    // The CSP forbids these; none may appear.
    EXPECT_FALSE(contains(body, "<script"));
    EXPECT_FALSE(contains(body, "<style"));
    EXPECT_FALSE(contains(body, " style="));
    EXPECT_FALSE(contains(body, "http://"));
}

HiddenFields request_fields() {
    return {{"client_id", "app_1"},
            {"state", "\"><script>alert(1)</script>"},
            {"redirect_uri", "https://app.example/cb?a=1&b=2"},
            {"csrf_token", "tok'en`"}};
}

void expect_escaped_hidden_fields(const std::string& body, std::size_t times) {
    EXPECT_EQ(occurrences(body, "<input type=\"hidden\" name=\"client_id\" value=\"app_1\">"),
              times);
    EXPECT_EQ(occurrences(body,
                          "<input type=\"hidden\" name=\"state\" "
                          "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"),
              times);
    EXPECT_EQ(occurrences(body,
                          "<input type=\"hidden\" name=\"redirect_uri\" "
                          "value=\"https://app.example/cb?a&#61;1&amp;b&#61;2\">"),
              times);
    EXPECT_EQ(occurrences(body,
                          "<input type=\"hidden\" name=\"csrf_token\" "
                          "value=\"tok&#39;en&#96;\">"),
              times);
}

SignInView sign_in_view() {
    return SignInView{.action = "/oauth/authorize",
                      .hidden = request_fields(),
                      .client_name = "Example <App>",
                      .email = "",
                      .error = "",
                      .status = 200};
}

TEST(SignInPage, RendersAccessibleFormWithEscapedHiddenFields) {
    auto r = sign_in_page(sign_in_view());
    EXPECT_EQ(r.status, 200);
    expect_html_page(r);
    const auto& body = r.body;
    EXPECT_TRUE(contains(body, "<form method=\"post\" action=\"/oauth/authorize\">"));
    expect_escaped_hidden_fields(body, 1);
    EXPECT_TRUE(contains(body, "<label for=\"email\">Email</label>"));
    EXPECT_TRUE(contains(body, "<label for=\"password\">Password</label>"));
    EXPECT_TRUE(contains(body,
                         "id=\"email\" name=\"email\" type=\"email\" value=\"\" "
                         "autocomplete=\"username\""));
    EXPECT_TRUE(contains(body,
                         "id=\"password\" name=\"password\" type=\"password\" "
                         "autocomplete=\"current-password\""));
    EXPECT_TRUE(contains(body, "<button type=\"submit\" name=\"action\" value=\"sign_in\""));
    EXPECT_TRUE(contains(body, "Example &lt;App&gt;"));
    EXPECT_FALSE(contains(body, "role=\"alert\""));
    // The email is empty, so it takes the focus.
    EXPECT_EQ(occurrences(body, "autofocus"), 1u);
    EXPECT_TRUE(contains(body,
                         "required autofocus>\n</div>\n<div class=\"field\">\n"
                         "<label for=\"password\">"));
}

TEST(SignInPage, ShowsErrorWithStatusAndFocusesPassword) {
    struct Case {
        int status;
        const char* error;
    };
    for (auto c : {Case{401, "Wrong email or password."},
                   Case{429, "Too many attempts. Try again in a minute."}}) {
        auto view = sign_in_view();
        view.status = c.status;
        view.error = c.error;
        view.email = "a\"b@example.com";
        auto r = sign_in_page(view);
        EXPECT_EQ(r.status, c.status);
        expect_html_page(r);
        EXPECT_TRUE(contains(r.body, std::string("<div id=\"form-error\" class=\"alert\" "
                                                 "role=\"alert\">") +
                                         c.error + "</div>"));
        EXPECT_TRUE(contains(r.body, "aria-describedby=\"form-error\""));
        EXPECT_TRUE(contains(r.body, "value=\"a&quot;b@example.com\""));
        EXPECT_EQ(occurrences(r.body, "autofocus"), 1u);
        EXPECT_TRUE(contains(r.body, "autocomplete=\"current-password\" required autofocus>"));
    }
}

TEST(SignInPage, EscapesError) {
    auto view = sign_in_view();
    view.error = "<img src=x onerror=alert(1)>";
    auto r = sign_in_page(view);
    EXPECT_TRUE(contains(r.body, "&lt;img src&#61;x onerror&#61;alert(1)&gt;"));
    EXPECT_FALSE(contains(r.body, "<img"));
}

ConsentView consent_view() {
    return ConsentView{.action = "/oauth/authorize",
                       .sign_out_action = "/oauth/sign-out",
                       .hidden = request_fields(),
                       .client_name = "Example \"App\"",
                       .logo_uri = "https://app.example/logo.png",
                       .user_email = "user@example.com",
                       .scopes = {{"read", "Read your <data>"}, {"write", ""}}};
}

TEST(ConsentPage, OneFormWithApproveAndDenyButtons) {
    auto r = consent_page(consent_view());
    EXPECT_EQ(r.status, 200);
    expect_html_page(r);
    const auto& body = r.body;
    auto form = body.find("<form method=\"post\" action=\"/oauth/authorize\" id=\"consent\">");
    ASSERT_NE(form, std::string::npos);
    auto form_end = body.find("</form>", form);
    auto approve = body.find("<button type=\"submit\" name=\"action\" value=\"approve\"");
    auto deny = body.find("<button type=\"submit\" name=\"action\" value=\"deny\"");
    EXPECT_TRUE(form < approve && approve < form_end);
    EXPECT_TRUE(form < deny && deny < form_end);
    EXPECT_EQ(occurrences(body, "value=\"approve\""), 1u);
    EXPECT_EQ(occurrences(body, "value=\"deny\""), 1u);
    EXPECT_TRUE(contains(body, "Example &quot;App&quot;"));
    EXPECT_TRUE(contains(body, "<strong>user@example.com</strong>"));
    EXPECT_TRUE(contains(body, "Read your &lt;data&gt; <code class=\"scope-id\">read</code>"));
    EXPECT_TRUE(contains(body, "<li><code class=\"scope-id\">write</code></li>"));
}

TEST(ConsentPage, OptionalScopesAreCheckedBoxesOfTheConsentForm) {
    auto view = consent_view();
    view.scopes = {{"account.read", "Account Read", false}, {"apps.read", "Apps <Read>", true}};
    auto body = consent_page(view).body;
    // The required scope is a plain item; the optional one a box, ticked, in
    // the consent form (form="consent"), and the form says choices were offered.
    EXPECT_TRUE(contains(body, "<li>Account Read <code class=\"scope-id\">account.read</code></li>"));
    EXPECT_TRUE(contains(body,
                         "<li><label><input type=\"checkbox\" form=\"consent\" "
                         "name=\"grant.apps.read\" value=\"grant\" checked> Apps &lt;Read&gt; "
                         "<code class=\"scope-id\">apps.read</code> "
                         "<span class=\"optional\">(optional)</span></label></li>"));
    EXPECT_EQ(occurrences(body, "type=\"checkbox\""), 1u);
    auto form = body.find("id=\"consent\"");
    auto choices = body.find("<input type=\"hidden\" name=\"scope_choices\" value=\"1\">");
    ASSERT_NE(choices, std::string::npos);
    EXPECT_LT(form, choices);
    EXPECT_LT(choices, body.find("</form>", form));
    EXPECT_FALSE(contains(consent_page(consent_view()).body, "scope_choices"));
}

TEST(ConsentPage, SignOutFormCarriesHiddenFields) {
    auto r = consent_page(consent_view());
    const auto& body = r.body;
    auto sign_out = body.find("<form method=\"post\" action=\"/oauth/sign-out\"");
    ASSERT_NE(sign_out, std::string::npos);
    auto sign_out_end = body.find("</form>", sign_out);
    auto button = body.find("name=\"action\" value=\"sign_out\"", sign_out);
    EXPECT_LT(button, sign_out_end);
    EXPECT_TRUE(contains(body, "Not you?"));
    // Both forms carry the request parameters and the CSRF token.
    expect_escaped_hidden_fields(body, 2);
    EXPECT_EQ(occurrences(body, "<form"), 2u);
}

TEST(ConsentPage, RendersLogoOnlyForHttps) {
    struct Case {
        const char* logo_uri;
        bool shown;
    };
    for (auto c : {Case{"https://app.example/logo.png?a=1&b", true}, Case{"", false},
                   Case{"http://app.example/logo.png", false}, Case{"javascript:alert(1)", false},
                   Case{"data:image/png;base64,AA", false}, Case{"//app.example/logo.png", false},
                   Case{"/logo.png", false}, Case{" https://app.example/logo.png", false}}) {
        auto view = consent_view();
        view.logo_uri = c.logo_uri;
        auto r = consent_page(view);
        EXPECT_EQ(contains(r.body, "<img"), c.shown) << c.logo_uri;
        if (c.shown) {
            EXPECT_TRUE(contains(
                r.body, "<img class=\"logo\" src=\"https://app.example/logo.png?a&#61;1&amp;b\""));
        }
    }
}

TEST(ConsentPage, WithoutScopes) {
    auto view = consent_view();
    view.scopes.clear();
    auto r = consent_page(view);
    EXPECT_FALSE(contains(r.body, "<ul"));
    EXPECT_TRUE(contains(r.body, "to know who you are"));
}

TEST(ErrorPage, ShowsEscapedTitleAndMessageWithStatus) {
    auto r = error_page(ErrorView{
        .status = 400,
        .title = "Invalid <redirect> URI",
        .message = "The redirect URI does not match the one registered for this client."});
    EXPECT_EQ(r.status, 400);
    expect_html_page(r);
    EXPECT_TRUE(contains(r.body, "<title>Invalid &lt;redirect&gt; URI · Tessera</title>"));
    EXPECT_TRUE(contains(r.body, "<h1>Invalid &lt;redirect&gt; URI</h1>"));
    EXPECT_TRUE(
        contains(r.body, "The redirect URI does not match the one registered for this client."));
    EXPECT_FALSE(contains(r.body, "<form"));
    EXPECT_EQ(error_page(ErrorView{.status = 404, .title = "Unknown client", .message = ""}).status,
              404);
}

TEST(SignedOutPage, Renders) {
    auto r = signed_out_page();
    EXPECT_EQ(r.status, 200);
    expect_html_page(r);
    EXPECT_TRUE(contains(r.body, "You have signed out"));
}

TEST(SignOutConfirmPage, OneFormWithEscapedFieldsAndTheUser) {
    auto r = sign_out_confirm_page(
        {"/oauth/logout", {{"state", "a\"><script>"}, {"csrf_token", "t"}}, "ada@example.com"});
    EXPECT_EQ(r.status, 200);
    expect_html_page(r);
    EXPECT_TRUE(contains(r.body, "<h1>Sign out of Tessera?</h1>"));
    EXPECT_TRUE(contains(r.body, "<strong>ada@example.com</strong>"));
    EXPECT_TRUE(contains(r.body, "<form method=\"post\" action=\"/oauth/logout\">"));
    EXPECT_TRUE(contains(
        r.body, "<input type=\"hidden\" name=\"state\" value=\"a&quot;&gt;&lt;script&gt;\">"));
    EXPECT_TRUE(contains(r.body, "name=\"action\" value=\"sign_out\""));
    EXPECT_FALSE(contains(r.body, "<script"));
    EXPECT_EQ(occurrences(r.body, "<form"), 1u);
}

// Form Post Response Mode §2: the page posts the fields to the redirect URI;
// its one script runs because the CSP names its hash, which is recomputed
// here from the template so the two cannot drift apart.
TEST(FormPostPage, PostsEscapedFieldsWithOneHashedScript) {
    auto r = form_post_page({"https://app.example.com/cb?x=1&y=<2>",
                             {{"code", "tac_1"}, {"state", "\"'><b>"}},
                             "App <One>"});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header(r, "Cache-Control"), "no-store");
    EXPECT_EQ(header(r, "Content-Security-Policy"),
              "default-src 'none'; script-src " + std::string(form_post_script_hash()) +
                  "; style-src 'self'; img-src 'self' https:; frame-ancestors 'none'; "
                  "base-uri 'none'");
    EXPECT_EQ(header(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
    EXPECT_TRUE(contains(r.body,
                         "<form method=\"post\" action=\"https://app.example.com/cb?x&#61;1&amp;"
                         "y&#61;&lt;2&gt;\" id=\"response\">"));
    EXPECT_TRUE(contains(r.body, "<input type=\"hidden\" name=\"code\" value=\"tac_1\">"));
    EXPECT_TRUE(contains(r.body, "name=\"state\" value=\"&quot;&#39;&gt;&lt;b&gt;\">"));
    EXPECT_TRUE(contains(r.body, "App &lt;One&gt;"));
    EXPECT_TRUE(contains(r.body, "<button type=\"submit\" class=\"primary\">Continue</button>"));
    EXPECT_EQ(occurrences(r.body, "<script"), 1u);

    auto open = r.body.find("<script>");
    auto close = r.body.find("</script>");
    ASSERT_NE(open, std::string::npos);
    std::string script = r.body.substr(open + 8, close - open - 8);
    auto digest = crypto::sha256(script);
    std::string hash = "'sha256-" +
                       base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()),
                                                      digest.size())) +
                       "'";
    EXPECT_EQ(form_post_script_hash(), hash);
}

TEST(Stylesheet, ServedWithCssHeaders) {
    auto r = stylesheet();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(header(r, "Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=86400");
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(contains(r.body, ":focus-visible"));
    // No external resources: no imports, no remote fonts or images.
    EXPECT_FALSE(contains(r.body, "@import"));
    EXPECT_FALSE(contains(r.body, "url("));
}

TEST(EmbeddedFiles, EveryTemplateParses) {
    int templates = 0;
    for (const auto& file : embedded_files()) {
        if (!file.name.ends_with(".html")) continue;
        ++templates;
        auto parsed = Template::parse(file.text, file.name);
        EXPECT_TRUE(parsed.has_value()) << parsed.error().log_detail;
    }
    EXPECT_EQ(templates, 7);
}

}  // namespace
}  // namespace tessera::web
