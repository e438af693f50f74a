#include "api/oauth/authorize_api.hpp"

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
    router.add("GET", "/assets/tessera.css",
               [](const http::Request&) { return web::stylesheet(); });
}

std::string AuthorizeApi::session_cookie(const std::string& value, std::int64_t max_age) const {
    return std::string(kSessionCookie) + "=" + value +
           "; Path=/oauth; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax" +
           (secure_cookies_ ? "; Secure" : "");
}

std::string AuthorizeApi::csrf_cookie(const std::string& value) const {
    return std::string(kCsrfCookie) + "=" + value + "; Path=/oauth; HttpOnly; SameSite=Lax" +
           (secure_cookies_ ? "; Secure" : "");
}

std::vector<std::pair<std::string, std::string>> AuthorizeApi::hidden_fields(
    const core::AuthorizeParams& params, const std::string& csrf) const {
    std::vector<std::pair<std::string, std::string>> hidden;
    auto copy = params;
    for (const auto& name : core::AuthorizeParams::names()) {
        if (auto* value = copy.field(name); value && *value) hidden.emplace_back(name, **value);
    }
    hidden.emplace_back("csrf_token", sign_in_.csrf_token(csrf));
    return hidden;
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
    auto parsed = parse_form(request, /*with_query=*/false);
    if (!parsed) return request_error_page(parsed.error());
    return respond(request, params_from(*parsed), &*parsed);
}

http::Response AuthorizeApi::respond(const http::Request& request,
                                     const core::AuthorizeParams& params, const Form* form) {
    const bool posted = form != nullptr;
    auto checked = endpoint_.check(params);
    if (!checked) return request_error_page(checked.error());
    if (!checked->request) {
        if (!checked->redirect_uri) return request_error_page(*checked->error);
        return redirect(
            posted ? 303 : 302,
            endpoint_.error_redirect(*checked->redirect_uri, *checked->error, checked->state));
    }
    const core::AuthorizeRequest& authorize_request = *checked->request;
    auto send_error = [&](Error error) {
        return redirect(posted ? 303 : 302,
                        endpoint_.error_redirect(authorize_request.redirect_uri, error,
                                                 authorize_request.state));
    };

    std::vector<std::string> set_cookies;
    auto csrf = find_cookie(request, kCsrfCookie);
    if (!csrf || csrf->empty()) {
        csrf = sign_in_.new_csrf_cookie();
        set_cookies.push_back(csrf_cookie(*csrf));
    }
    auto finish = [&](http::Response response) {
        for (auto& cookie : set_cookies) response.headers.add("Set-Cookie", cookie);
        return response;
    };
    auto sign_in_view = [&](std::string error, int status, std::string email) {
        return web::SignInView{"/oauth/authorize",
                               hidden_fields(params, *csrf),
                               authorize_request.client.name,
                               std::move(email),
                               std::move(error),
                               status};
    };

    std::optional<core::SignedIn> signed_in;
    if (auto session = find_cookie(request, kSessionCookie)) {
        auto current = sign_in_.current(*session);
        if (!current) return request_error_page(current.error());
        signed_in = std::move(*current);
    }

    bool just_signed_in = false;
    if (posted) {
        // A form without a matching token may come from another site (CSRF):
        // nothing it asks for is done.
        auto token = form->get("csrf_token");
        if (set_cookies.size() > 0 || !token || !sign_in_.csrf_matches(*csrf, *token))
            return finish(web::sign_in_page(sign_in_view(
                "This form expired or was sent from another site. Please sign in again.", 403,
                "")));
        std::string action = form->get("action").value_or("");
        if (action == "deny")
            return send_error(make_error(Code::access_denied, "the user denied the request"));
        if (action == "sign_in") {
            std::string email = form->get("email").value_or("");
            auto result = sign_in_.sign_in(email, form->get("password").value_or(""),
                                           core::network_address_key(request.remote_address));
            if (!result) {
                const Error& e = result.error();
                if (e.code == Code::rate_limited)
                    return finish(web::sign_in_page(sign_in_view(e.description, 429, email)));
                if (e.code == Code::unauthenticated)
                    return finish(web::sign_in_page(
                        sign_in_view("The email or password is not correct.", 401, email)));
                return request_error_page(e);
            }
            set_cookies.push_back(session_cookie(result->first.reveal(), sign_in_.session_ttl()));
            signed_in = std::move(result->second);
            just_signed_in = true;
        } else if (action == "approve") {
            if (!signed_in) return finish(web::sign_in_page(sign_in_view("", 200, "")));
            auto uri =
                endpoint_.approve(signed_in->user.id, signed_in->auth_time, authorize_request);
            if (!uri) return request_error_page(uri.error());
            return finish(redirect(303, *uri));
        } else {
            return request_error_page(make_error(Code::invalid_request, "the form is incomplete"));
        }
    }

    bool none = authorize_request.prompts("none");
    if (!signed_in || (authorize_request.prompts("login") && !just_signed_in)) {
        if (none)
            return finish(
                send_error(make_error(Code::login_required, "the user is not signed in")));
        return finish(web::sign_in_page(sign_in_view("", 200, "")));
    }
    auto consented = endpoint_.has_consent(signed_in->user.id, authorize_request);
    if (!consented) return request_error_page(consented.error());
    if (*consented && !authorize_request.prompts("consent")) {
        auto uri = endpoint_.approve(signed_in->user.id, signed_in->auth_time, authorize_request);
        if (!uri) return request_error_page(uri.error());
        return finish(redirect(posted ? 303 : 302, *uri));
    }
    if (none)
        return finish(send_error(
            make_error(Code::consent_required, "the user has not approved this application")));
    web::ConsentView view;
    view.action = "/oauth/authorize";
    view.sign_out_action = "/oauth/sign-out";
    view.hidden = hidden_fields(params, *csrf);
    view.client_name = authorize_request.client.name;
    view.user_email = signed_in->user.email;
    for (const auto& id : authorize_request.scope) {
        std::string description;
        for (const auto& s : scopes_.scopes())
            if (s.id == id) description = s.description;
        view.scopes.push_back({id, description});
    }
    return finish(web::consent_page(view));
}

http::Response AuthorizeApi::sign_out(const http::Request& request) {
    auto parsed = parse_form(request, /*with_query=*/false);
    if (!parsed) return request_error_page(parsed.error());
    auto csrf = find_cookie(request, kCsrfCookie);
    auto token = parsed->get("csrf_token");
    if (!csrf || !token || !sign_in_.csrf_matches(*csrf, *token))
        return web::error_page(
            {403, "Sign-out failed", "This form expired or was sent from another site."});
    if (auto session = find_cookie(request, kSessionCookie)) {
        auto ended = sign_in_.sign_out(*session);
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

}  // namespace tessera::api::oauth
