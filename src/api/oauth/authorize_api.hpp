#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/oauth/form.hpp"
#include "core/oauth/authorize/authorization_endpoint.hpp"
#include "core/oauth/authorize/browser_sign_in.hpp"
#include "core/oauth/end_session.hpp"
#include "core/scopes/scope_catalog.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace tessera::api::oauth {

// The authorization endpoint's pages (RFC 6749 §3.1, Heroku spec §6.1):
// sign-in, consent, and the redirects back to the client. The rules are the
// core's (AuthorizationEndpoint, BrowserSignIn); this parses, keeps the
// cookies and renders. Thread-safe.
//
// Cookies, both HttpOnly and SameSite=Lax; with an https issuer Secure,
// Path=/ and named with the __Host- prefix, otherwise Path=/oauth:
//  - tessera_session: the browser sign-in, for its lifetime;
//  - tessera_csrf: a random value for the life of the browser. Every form
//    carries a keyed digest of it and of the sign-in cookie; form posts that
//    Fetch Metadata or Origin show to come from another site are refused.
class AuthorizeApi {
public:
    // Without `end_session` there is no /oauth/logout.
    AuthorizeApi(core::AuthorizationEndpoint& endpoint, core::BrowserSignIn& sign_in,
                 const core::ScopeCatalog& scopes, const core::EndSession* end_session = nullptr)
        : endpoint_(endpoint),
          sign_in_(sign_in),
          scopes_(scopes),
          end_session_(end_session),
          secure_cookies_(endpoint.issuer().starts_with("https://")) {}

    void add_routes(http::Router& router);

    // GET /oauth/authorize: checks the request, then shows the sign-in or
    // consent page, or answers at once when consent was given before. The
    // answer (and an error for the client) travels in the request's
    // response mode: a redirect with a query or a fragment, or the
    // form_post page.
    http::Response authorize(const http::Request& request);
    // POST /oauth/authorize: the forms' answers (action = sign_in, approve
    // or deny). Redirects use 303.
    http::Response submit(const http::Request& request);
    // POST /oauth/sign-out: ends the browser sign-in; back to the
    // authorization request it was made from, if any.
    http::Response sign_out(const http::Request& request);
    // GET and POST /oauth/logout: the end_session_endpoint (OpenID Connect
    // RP-Initiated Logout 1.0). A logout link can be followed from any site,
    // so it ends a browser sign-in at once only with a valid id_token_hint
    // whose sub is the signed-in user; signed in without one it shows the
    // "Sign out of Tessera?" page, whose form (POST here with the request's
    // parameters and a CSRF token, refused from another site) signs out.
    // Nobody signed in: nothing to end. Then it redirects (302 for GET, 303
    // for POST) to the registered post_logout_redirect_uri with `state`, or
    // shows the signed-out page. A bad hint or an unregistered URI is a 400
    // page, never a redirect.
    http::Response logout(const http::Request& request);

private:
    // What the request's cookies say.
    struct Browser {
        std::string csrf;     // the CSRF cookie; empty when a form arrived without one
        std::string session;  // the sign-in cookie, when it signs someone in
        std::optional<core::SignedIn> signed_in;
        std::optional<Error> failure;  // the store failed
    };
    Browser browser(const http::Request& request, bool posted,
                    std::vector<std::string>& set_cookies) const;
    http::Response respond(const http::Request& request, const core::AuthorizeParams& params,
                           const Form* form);
    std::vector<std::pair<std::string, std::string>> hidden_fields(
        const core::AuthorizeParams& params, const std::string& csrf,
        const std::string& session) const;
    // True when a form post says (Sec-Fetch-Site, Origin) that a page of
    // another origin sent it.
    bool from_another_site(const http::Request& request) const;
    static http::Response forbidden_form();
    std::string cookie_name(std::string_view name) const;
    std::string cookie_attributes() const;
    std::string session_cookie(const std::string& value, std::int64_t max_age) const;
    std::string csrf_cookie(const std::string& value) const;

    core::AuthorizationEndpoint& endpoint_;
    core::BrowserSignIn& sign_in_;
    const core::ScopeCatalog& scopes_;
    const core::EndSession* end_session_;
    const bool secure_cookies_;
};

// The value of cookie `name` in the request's Cookie headers (RFC 6265 §5.4),
// or nullopt.
std::optional<std::string> find_cookie(const http::Request& request, std::string_view name);

}  // namespace tessera::api::oauth
