#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace tessera::web {

// The authorization server's HTML pages, rendered from the templates embedded
// at build time. Every view string is HTML-escaped; no view field can inject
// markup. Pure functions of their view: no I/O, safe from any thread.
//
// Every HTML response carries:
//   Content-Type: text/html; charset=utf-8
//   Cache-Control: no-store
//   Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self' https:;
//                            frame-ancestors 'none'; base-uri 'none'
//   X-Frame-Options: DENY, X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer
// The CSP has no form-action: Chrome applies it to the redirect that follows a
// form POST, which would block the redirect to the client's redirect_uri.
// Pages use no script and no inline style; they link /assets/tessera.css
// (served by stylesheet()).
//
// The templates are parsed on first use. They are part of the binary, so a
// template that does not parse is a build defect (web_test parses each one);
// the process aborts with the reason on stderr rather than serve a broken page.

// Hidden form inputs, as (name, value), emitted in order.
using HiddenFields = std::vector<std::pair<std::string, std::string>>;

struct SignInView {
    std::string action;       // path the form POSTs to, e.g. "/oauth/authorize"
    HiddenFields hidden;      // the authorization request parameters and the CSRF token
    std::string client_name;  // shown as "to continue to <client_name>"; empty = not shown
    std::string email;        // prefills the email field
    std::string error;        // shown above the form in a role="alert" region; empty = none
    int status = 200;         // 200; 401 after a wrong password; 429 when rate limited
};

// The sign-in form: email (autocomplete=username), password
// (autocomplete=current-password), and a submit button name="action"
// value="sign_in". The first empty field has autofocus.
http::Response sign_in_page(const SignInView& view);

struct ScopeItem {
    std::string id;           // e.g. "read"
    std::string description;  // what it lets the client do; the id is shown when empty
    // Cloudflare spec §8: the user may decline an optional scope. It gets a
    // checked checkbox named "grant.<id>" (value "grant") in the consent form.
    bool optional = false;
};

struct ConsentView {
    std::string action;           // path the consent form POSTs to
    std::string sign_out_action;  // path the "Not you? Sign out" form POSTs to
    HiddenFields hidden;          // carried by both forms (request parameters, CSRF token)
    std::string client_name;
    std::string logo_uri;    // rendered only when it starts with "https://"
    std::string user_email;  // who is signed in
    std::vector<ScopeItem> scopes;
};

// Status 200. One form to `action` with two submit buttons name="action",
// value="approve" and value="deny" (and, when a scope is optional, its
// checkbox plus a hidden scope_choices=1); a second form to
// `sign_out_action` with a submit button name="action" value="sign_out".
http::Response consent_page(const ConsentView& view);

struct ErrorView {
    int status = 400;
    std::string title;    // e.g. "Invalid redirect URI"
    std::string message;  // e.g. "The redirect URI does not match the one registered ..."
};

// An error shown to the user instead of redirecting to the client, e.g. when
// the client or its redirect URI cannot be trusted. Never a redirect.
http::Response error_page(const ErrorView& view);

// Status 200: "You have signed out."
http::Response signed_out_page();

struct SignOutConfirmView {
    std::string action;      // path the form POSTs to, e.g. "/oauth/logout"
    HiddenFields hidden;     // the logout request's parameters and the CSRF token
    std::string user_email;  // who would be signed out
};

// Status 200: "Sign out of Tessera?" with one form to `action` and a submit
// button name="action" value="sign_out".
http::Response sign_out_confirm_page(const SignOutConfirmView& view);

struct FormPostView {
    std::string action;   // the client's redirect URI
    HiddenFields fields;  // the authorization response's parameters
    std::string client_name;
};

// OAuth 2.0 Form Post Response Mode §2: status 200, a form that POSTs
// `fields` to `action`, submitted by one inline script (allowed by its hash
// in this page's Content-Security-Policy, `script-src 'sha256-…'`, and no
// other) with a visible "Continue" button for browsers without script.
http::Response form_post_page(const FormPostView& view);

// The script-src source of form_post_page()'s one inline script.
std::string_view form_post_script_hash();

// The stylesheet for GET /assets/tessera.css: status 200,
// Content-Type: text/css; charset=utf-8, Cache-Control: public, max-age=86400,
// X-Content-Type-Options: nosniff.
http::Response stylesheet();

}  // namespace tessera::web
