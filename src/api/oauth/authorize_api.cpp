#include "api/oauth/authorize_api.hpp"

#include <algorithm>

#include "web/pages.hpp"

namespace tessera::api::oauth {
namespace {

constexpr std::string_view kSessionCookie = "tessera_session";
constexpr std::string_view kCsrfCookie = "tessera_csrf";

http::Response redirect(int status, const std::string& location) {
    http::Response response;
    response.status = status;
    response.headers.set("Location", location);
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Referrer-Policy", "no-referrer");
    return response;
}

// The page for a request that cannot be answered by redirecting (RFC 6749
// §4.1.2.1).
http::Response request_error_page(const Error& error) {
    if (error.code == Code::unavailable || error.code == Code::internal)
        return web::error_page({503, "Temporarily unavailable",
                                "The sign-in service cannot answer right now. Try again in a "
                                "moment."});
    return web::error_page({400, "This sign-in link is not valid",
                            "The application that sent you here made an invalid request: " +
                                error.description + ". Nothing was shared with it."});
}

// The page for a logout request that fails a check.
http::Response logout_error_page(const Error& error) {
    if (error.code == Code::unavailable || error.code == Code::internal)
        return web::error_page({503, "Temporarily unavailable",
                                "The sign-out service cannot answer right now. Try again in a "
                                "moment."});
    return web::error_page({400, "This sign-out link is not valid",
                            "The application that sent you here made an invalid request: " +
                                error.description + ". You were not signed out."});
}

// The authorization response in its mode: a redirect (302 for GET, 303
// after a form post) with the parameters in the query or fragment, or the
// form_post page.
http::Response deliver(const core::AuthorizationResponse& answer, bool posted,
                       const std::string& client_name) {
    if (answer.mode != core::ResponseMode::form_post)
        return redirect(posted ? 303 : 302, answer.location());
    return web::form_post_page({answer.redirect_uri, answer.params, client_name});
}

core::AuthorizeParams params_from(const Form& form) {
    core::AuthorizeParams params;
    for (const auto& name : core::AuthorizeParams::names()) *params.field(name) = form.get(name);
    return params;
}

}  // namespace

std::optional<std::string> find_cookie(const http::Request& request, std::string_view name) {
    for (const auto& [field, value] : request.headers.fields()) {
        if (!http::iequals(field, "Cookie")) continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
            auto cookie = pair.substr(eq + 1);
            if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"')
                cookie = cookie.substr(1, cookie.size() - 2);
            return std::string(cookie);
        }
    }
    return std::nullopt;
}

void AuthorizeApi::add_routes(http::Router& router) {
    router.add("GET", "/oauth/authorize", http::member_handler(this, &AuthorizeApi::authorize));
    router.add("POST", "/oauth/authorize", http::member_handler(this, &AuthorizeApi::submit));
    router.add("POST", "/oauth/sign-out", http::member_handler(this, &AuthorizeApi::sign_out));
    if (end_session_) {
        router.add("GET", "/oauth/logout", http::member_handler(this, &AuthorizeApi::logout));
        router.add("POST", "/oauth/logout", http::member_handler(this, &AuthorizeApi::logout));
    }
    router.add("GET", "/assets/tessera.css",
               [](const http::Request&) { return web::stylesheet(); });
}

// With https, the __Host- prefix (RFC 6265bis §4.1.3.2): the browser accepts
// these cookies only from this host, Secure and for Path=/, so a sibling
// subdomain cannot plant or overwrite them.
std::string AuthorizeApi::cookie_name(std::string_view name) const {
    return (secure_cookies_ ? "__Host-" : "") + std::string(name);
}

std::string AuthorizeApi::cookie_attributes() const {
    return secure_cookies_ ? "; Path=/; HttpOnly; SameSite=Lax; Secure"
                           : "; Path=/oauth; HttpOnly; SameSite=Lax";
}

std::string AuthorizeApi::session_cookie(const std::string& value, std::int64_t max_age) const {
    return cookie_name(kSessionCookie) + "=" + value + "; Max-Age=" + std::to_string(max_age) +
           cookie_attributes();
}

std::string AuthorizeApi::csrf_cookie(const std::string& value) const {
    return cookie_name(kCsrfCookie) + "=" + value + cookie_attributes();
}

std::vector<std::pair<std::string, std::string>> AuthorizeApi::hidden_fields(
    const core::AuthorizeParams& params, const std::string& csrf,
    const std::string& session) const {
    std::vector<std::pair<std::string, std::string>> hidden;
    auto copy = params;
    for (const auto& name : core::AuthorizeParams::names()) {
        if (auto* value = copy.field(name); value && *value) hidden.emplace_back(name, **value);
    }
    hidden.emplace_back("csrf_token", sign_in_.csrf_token(csrf, session));
    return hidden;
}

bool AuthorizeApi::from_another_site(const http::Request& request) const {
    // Fetch Metadata, where the browser sends it: only our own pages (or
    // the user, typing) may post these forms.
    if (auto site = request.headers.get("Sec-Fetch-Site"))
        return *site != "same-origin" && *site != "none";
    // Otherwise the Origin, when sent, must be the issuer's.
    auto origin = request.headers.get("Origin");
    if (!origin || *origin == "null") return origin.has_value();
    const std::string& issuer = endpoint_.issuer();
    auto host_start = issuer.find("://");
    auto path_start =
        host_start == std::string::npos ? std::string::npos : issuer.find('/', host_start + 3);
    return *origin != std::string_view(issuer).substr(0, path_start);
}

http::Response AuthorizeApi::forbidden_form() {
    return web::error_page({403, "This form cannot be used",
                            "The form expired, or it was sent from another site. Nothing was "
                            "done. Go back to the application and start again."});
}

AuthorizeApi::Browser AuthorizeApi::browser(const http::Request& request, bool posted,
                                            std::vector<std::string>& set_cookies) const {
    Browser browser;
    auto csrf = find_cookie(request, cookie_name(kCsrfCookie));
    if (csrf && !csrf->empty()) {
        browser.csrf = std::move(*csrf);
    } else if (!posted) {
        // A page view starts the CSRF cookie; a refused form post never
        // replaces it (that would break the user's open page).
        browser.csrf = sign_in_.new_csrf_cookie();
        set_cookies.push_back(csrf_cookie(browser.csrf));
    }
    if (auto session = find_cookie(request, cookie_name(kSessionCookie))) {
        auto current = sign_in_.current(*session);
        if (!current) {
            browser.failure = current.error();
        } else if (*current) {
            browser.signed_in = std::move(*current);
            browser.session = std::move(*session);
        }
    }
    return browser;
}

http::Response AuthorizeApi::authorize(const http::Request& request) {
    // RFC 6749 §3.1: parameters sent twice are an error. A GET has no body.
    http::Request query_only;
    query_only.query = request.query;
    auto parsed = parse_form(query_only, /*with_query=*/true);
    if (!parsed) return request_error_page(parsed.error());
    return respond(request, params_from(*parsed), nullptr);
}

http::Response AuthorizeApi::submit(const http::Request& request) {
    if (from_another_site(request)) return forbidden_form();
    auto parsed = parse_form(request, /*with_query=*/false);
    if (!parsed) return request_error_page(parsed.error());
    return respond(request, params_from(*parsed), &*parsed);
}

http::Response AuthorizeApi::respond(const http::Request& request,
                                     const core::AuthorizeParams& params, const Form* form) {
    const bool posted = form != nullptr;
    std::vector<std::string> set_cookies;
    Browser browser = this->browser(request, posted, set_cookies);
    if (browser.failure) return request_error_page(*browser.failure);
    // A form without the token of this browser's cookies may come from
    // another site (CSRF): nothing it asks for is done.
    if (posted) {
        auto token = form->get("csrf_token");
        if (!token || !sign_in_.csrf_matches(browser.csrf, browser.session, *token))
            return forbidden_form();
    }

    auto checked = endpoint_.check(params);
    if (!checked) return request_error_page(checked.error());
    if (!checked->request) {
        if (!checked->redirect_uri) return request_error_page(*checked->error);
        return deliver(endpoint_.error_response(*checked->redirect_uri, checked->response_mode,
                                                *checked->error, checked->state),
                       posted, "the application");
    }
    const core::AuthorizeRequest& authorize_request = *checked->request;
    auto finish = [&](http::Response response) {
        for (auto& cookie : set_cookies) response.headers.add("Set-Cookie", cookie);
        return response;
    };
    const std::string& client_name = authorize_request.client.name;
    auto send_error = [&](Error error) {
        return finish(deliver(endpoint_.error_response(authorize_request.redirect_uri,
                                                       authorize_request.response_mode, error,
                                                       authorize_request.state),
                              posted, client_name));
    };
    auto sign_in_page = [&](std::string error, int status, std::string email) {
        return finish(web::sign_in_page(
            {"/oauth/authorize", hidden_fields(params, browser.csrf, browser.session),
             authorize_request.client.name, std::move(email), std::move(error), status}));
    };

    bool just_signed_in = false;
    if (posted) {
        std::string action = form->get("action").value_or("");
        if (action == "deny")
            return send_error(make_error(Code::access_denied, "the user denied the request"));
        if (action == "sign_in") {
            std::string email = form->get("email").value_or("");
            auto result = sign_in_.sign_in(email, form->get("password").value_or(""),
                                           core::network_address_key(request.remote_address));
            if (!result) {
                const Error& e = result.error();
                if (e.code == Code::rate_limited) return sign_in_page(e.description, 429, email);
                if (e.code == Code::unauthenticated)
                    return sign_in_page("The email or password is not correct.", 401, email);
                return request_error_page(e);
            }
            browser.session = result->first.reveal();
            set_cookies.push_back(session_cookie(browser.session, sign_in_.session_ttl()));
            browser.signed_in = std::move(result->second);
            just_signed_in = true;
        } else if (action == "approve") {
            if (!browser.signed_in) return sign_in_page("", 200, "");
            // Cloudflare spec §8: the optional scopes whose box was unticked.
            std::optional<std::vector<std::string>> declined;
            if (form->has("scope_choices")) {
                declined.emplace();
                for (const auto& s : authorize_request.scope)
                    if (!form->has("grant." + s)) declined->push_back(s);
            }
            auto answer =
                endpoint_.approve(browser.signed_in->user.id, browser.signed_in->auth_time,
                                  authorize_request, std::move(declined));
            if (!answer && answer.error().code == Code::access_denied)
                return send_error(answer.error());
            if (!answer) return request_error_page(answer.error());
            return finish(deliver(*answer, true, client_name));
        } else {
            return request_error_page(make_error(Code::invalid_request, "the form is incomplete"));
        }
    }

    bool none = authorize_request.prompts("none");
    std::optional<Timestamp> auth_time;
    if (browser.signed_in) auth_time = browser.signed_in->auth_time;
    if (endpoint_.needs_sign_in(authorize_request, auth_time, just_signed_in)) {
        if (none) return send_error(make_error(Code::login_required, "the user is not signed in"));
        return sign_in_page("", 200, "");
    }
    const core::SignedIn& user = *browser.signed_in;
    if (auto allowed = endpoint_.check_user(user.user.id, authorize_request.client); !allowed) {
        if (allowed.error().code != Code::access_denied) return request_error_page(allowed.error());
        return send_error(allowed.error());
    }
    auto consented = endpoint_.has_consent(user.user.id, authorize_request);
    if (!consented) return request_error_page(consented.error());
    if (*consented && !authorize_request.prompts("consent")) {
        auto answer = endpoint_.approve(user.user.id, user.auth_time, authorize_request);
        if (!answer) return request_error_page(answer.error());
        return finish(deliver(*answer, posted, client_name));
    }
    if (none)
        return send_error(
            make_error(Code::consent_required, "the user has not approved this application"));
    web::ConsentView view;
    view.action = "/oauth/authorize";
    view.sign_out_action = "/oauth/sign-out";
    view.hidden = hidden_fields(params, browser.csrf, browser.session);
    view.client_name = authorize_request.client.name;
    view.logo_uri = authorize_request.client.logo_uri.value_or("");
    view.user_email = user.user.email;
    const auto& optional = authorize_request.client.optional_scopes;
    for (const auto& id : authorize_request.scope) {
        std::string description;
        for (const auto& s : scopes_.scopes())
            if (s.id == id) description = s.description;
        bool is_optional = std::find(optional.begin(), optional.end(), id) != optional.end();
        view.scopes.push_back({id, description, is_optional});
    }
    return finish(web::consent_page(view));
}

http::Response AuthorizeApi::sign_out(const http::Request& request) {
    if (from_another_site(request)) return forbidden_form();
    auto parsed = parse_form(request, /*with_query=*/false);
    if (!parsed) return request_error_page(parsed.error());
    std::vector<std::string> set_cookies;
    Browser browser = this->browser(request, /*posted=*/true, set_cookies);
    if (browser.failure) return request_error_page(*browser.failure);
    auto token = parsed->get("csrf_token");
    if (!token || !sign_in_.csrf_matches(browser.csrf, browser.session, *token))
        return forbidden_form();
    if (!browser.session.empty()) {
        auto ended = sign_in_.sign_out(browser.session);
        if (!ended) return request_error_page(ended.error());
    }
    // Back to the authorization request, to sign in as someone else.
    std::vector<std::pair<std::string, std::string>> query;
    auto params = params_from(*parsed);
    for (const auto& name : core::AuthorizeParams::names()) {
        if (auto* value = params.field(name); value && *value) query.emplace_back(name, **value);
    }
    http::Response response = params.client_id
                                  ? redirect(303, core::append_query("/oauth/authorize", query))
                                  : web::signed_out_page();
    response.headers.add("Set-Cookie", session_cookie("", 0));
    return response;
}

http::Response AuthorizeApi::logout(const http::Request& request) {
    const bool posted = request.method == "POST";
    http::Request query_only;
    query_only.query = request.query;
    auto parsed = posted ? parse_form(request, /*with_query=*/false)
                         : parse_form(query_only, /*with_query=*/true);
    if (!parsed) return logout_error_page(parsed.error());
    core::EndSessionParams params{parsed->get("id_token_hint"), parsed->get("client_id"),
                                  parsed->get("post_logout_redirect_uri"), parsed->get("state")};
    auto checked = end_session_->check(params);
    if (!checked) return logout_error_page(checked.error());

    // The answer of our own confirmation page carries a CSRF token.
    const bool confirmed = posted && parsed->has("csrf_token");
    if (confirmed && from_another_site(request)) return forbidden_form();
    std::vector<std::string> set_cookies;
    Browser browser = this->browser(request, confirmed, set_cookies);
    if (browser.failure) return logout_error_page(*browser.failure);
    if (confirmed && !sign_in_.csrf_matches(browser.csrf, browser.session,
                                            parsed->get("csrf_token").value_or("")))
        return forbidden_form();
    if (browser.signed_in) {
        auto allowed = core::EndSession::check_may_sign_out(*checked, browser.signed_in->user.id);
        if (!allowed && !confirmed) {
            // Anyone can link here: without a hint naming this user, the
            // user decides, on our page, with a form only our page can send.
            web::SignOutConfirmView view{"/oauth/logout", {}, browser.signed_in->user.email};
            for (const auto& name :
                 {"id_token_hint", "client_id", "post_logout_redirect_uri", "state"})
                if (auto value = parsed->get(name)) view.hidden.emplace_back(name, *value);
            view.hidden.emplace_back("csrf_token",
                                     sign_in_.csrf_token(browser.csrf, browser.session));
            auto page = web::sign_out_confirm_page(view);
            for (auto& cookie : set_cookies) page.headers.add("Set-Cookie", cookie);
            return page;
        }
        auto ended = sign_in_.sign_out(browser.session);
        if (!ended) return logout_error_page(ended.error());
    }
    http::Response response = checked->redirect_uri
                                  ? redirect(posted ? 303 : 302, *checked->redirect_uri)
                                  : web::signed_out_page();
    response.headers.add("Set-Cookie", session_cookie("", 0));
    return response;
}

}  // namespace tessera::api::oauth
