// RFC 6749 §4.1.1-4.1.2: the authorization endpoint's rules.
#include "core/oauth/authorize/authorization_endpoint.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "base/encoding.hpp"
#include "core/oauth/token/token_service.hpp"
#include "crypto/digest.hpp"

namespace tessera::core {
namespace {

// D6 (Heroku spec §9): least privilege when the request names no scope and
// the client registered none.
const std::vector<std::string> kDefaultScope = {"identity"};
// Heroku spec §3.2: an authorization created through the API without a scope.
const std::vector<std::string> kHerokuDefaultScope = {"global"};

bool contains(const std::vector<std::string>& items, std::string_view item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

bool is_loopback_literal(std::string_view host) { return host == "127.0.0.1" || host == "[::1]"; }

// Splits on spaces, dropping empty items.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        auto end = text.find(' ', at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) out.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

Error invalid_request(std::string description) {
    return make_error(Code::invalid_request, std::move(description));
}

// How the answer to a request travels, errors included (Multiple Response
// Types §2.1, §5): the requested mode, unless it is unknown or a query for
// a type that returns tokens; then the type's default.
ResponseMode response_mode_for(const std::optional<ResponseType>& type,
                               const std::optional<std::string>& requested) {
    ResponseMode fallback = type ? default_response_mode(*type) : ResponseMode::query;
    if (!requested) return fallback;
    ResponseMode mode = parse_response_mode(*requested).value_or(fallback);
    if (mode == ResponseMode::query && type && type->returns_tokens()) return fallback;
    return mode;
}

}  // namespace

const std::vector<std::string>& AuthorizeParams::names() {
    static const std::vector<std::string> names = {
        "client_id", "redirect_uri",   "response_type",         "scope",
        "state",     "code_challenge", "code_challenge_method", "nonce",
        "prompt",    "max_age",        "response_mode"};
    return names;
}

std::optional<std::string>* AuthorizeParams::field(std::string_view name) {
    if (name == "client_id") return &client_id;
    if (name == "redirect_uri") return &redirect_uri;
    if (name == "response_type") return &response_type;
    if (name == "scope") return &scope;
    if (name == "state") return &state;
    if (name == "code_challenge") return &code_challenge;
    if (name == "code_challenge_method") return &code_challenge_method;
    if (name == "nonce") return &nonce;
    if (name == "prompt") return &prompt;
    if (name == "max_age") return &max_age;
    if (name == "response_mode") return &response_mode;
    return nullptr;
}

bool AuthorizeRequest::prompts(std::string_view value) const { return contains(prompt, value); }

bool redirect_uri_matches(std::string_view registered, std::string_view presented) {
    if (registered == presented) return true;
    auto a = boost::urls::parse_absolute_uri(registered);
    auto b = boost::urls::parse_absolute_uri(presented);
    if (!a || !b) return false;
    if (a->scheme() != "http" || b->scheme() != "http") return false;
    if (!is_loopback_literal(a->encoded_host()) || a->encoded_host() != b->encoded_host())
        return false;
    if (a->has_userinfo() || b->has_userinfo()) return false;
    return a->encoded_path() == b->encoded_path() && a->has_query() == b->has_query() &&
           a->encoded_query() == b->encoded_query() && !a->has_fragment() && !b->has_fragment();
}

std::string append_query(std::string_view uri,
                         const std::vector<std::pair<std::string, std::string>>& params) {
    std::string_view fragment;
    if (auto hash = uri.find('#'); hash != std::string_view::npos) {
        fragment = uri.substr(hash);
        uri = uri.substr(0, hash);
    }
    std::string out(uri);
    char separator = uri.find('?') == std::string_view::npos ? '?' : '&';
    if (separator == '&' && (out.back() == '?' || out.back() == '&')) separator = '\0';
    for (const auto& [name, value] : params) {
        if (separator) out += separator;
        separator = '&';
        out += form_encode(name);
        out += '=';
        out += form_encode(value);
    }
    out += fragment;
    return out;
}

bool is_pkce_string(std::string_view value) {
    if (value.size() < 43 || value.size() > 128) return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~';
    });
}

bool pkce_matches(std::string_view verifier, std::string_view challenge) {
    auto hash = crypto::sha256(verifier);
    return constant_time_equals(base64url_encode(hash), challenge);
}

Result<AuthorizeCheck> AuthorizationEndpoint::check(const AuthorizeParams& params) const {
    AuthorizeCheck result;
    // 1. The client. Without a known client nothing may be redirected.
    if (!params.client_id) {
        result.error = invalid_request("client_id is required");
        return result;
    }
    auto id = Id::parse(*params.client_id);
    if (!id) {
        result.error = invalid_request("the client_id is not a known client");
        return result;
    }
    auto client = clients_.find_client(*id);
    if (!client) {
        if (client.error().code != Code::not_found) return client.error();
        result.error = invalid_request("the client_id is not a known client");
        return result;
    }

    // 2. The redirect URI: exactly one of the registered ones, or the only one
    // registered when none is sent.
    std::string redirect_uri;
    if (params.redirect_uri) {
        auto& registered = client->redirect_uris;
        auto match = std::find_if(registered.begin(), registered.end(), [&](const auto& uri) {
            return redirect_uri_matches(uri, *params.redirect_uri);
        });
        if (match == registered.end()) {
            result.error = invalid_request(
                "the redirect_uri does not match any redirect URI registered for this client");
            return result;
        }
        redirect_uri = *params.redirect_uri;
    } else if (client->redirect_uris.size() == 1) {
        redirect_uri = client->redirect_uris.front();
    } else {
        result.error =
            invalid_request(client->redirect_uris.empty()
                                ? "this client has no redirect URI registered"
                                : "redirect_uri is required: this client registered several");
        return result;
    }

    // From here on, errors go back to the client, in the response mode.
    result.redirect_uri = redirect_uri;
    result.state = params.state;
    std::optional<ResponseType> type;
    if (params.response_type) type = parse_response_type(*params.response_type);
    result.response_mode = response_mode_for(type, params.response_mode);
    auto fail = [&](Error error) -> Result<AuthorizeCheck> {
        result.error = std::move(error);
        return result;
    };

    // 3. The response type: code, or a combination the client registered
    // (RFC 9700 §2.1.2 discourages those that return tokens: off by default).
    if (!params.response_type) return fail(invalid_request("response_type is required"));
    if (!type || (type->returns_tokens() && !front_channel_))
        return fail(
            make_error(Code::unsupported_response_type, "the response_type is not supported"));
    if (!client_allows_response_type(*client, *type)) {
        // RFC 6749 §4.1.2.1: a type we offer that this client may not use.
        bool code_only = *type == ResponseType{.code = true};
        return fail(make_error(
            Code::unauthorized_client,
            code_only ? "the client is not registered for the authorization_code grant"
                      : "the client is not registered for the response_type " + type->name()));
    }
    if (params.response_mode) {
        auto mode = parse_response_mode(*params.response_mode);
        if (!mode)
            return fail(invalid_request("response_mode must be query, fragment or form_post"));
        // Multiple Response Types §5: tokens never travel in a query.
        if (*mode == ResponseMode::query && type->returns_tokens())
            return fail(invalid_request(
                "response_mode query cannot carry tokens: use fragment or form_post"));
    }

    // 4. PKCE (RFC 7636, RFC 9700 §2.1.1) when a code is returned: S256
    // only; public clients must use it.
    std::string challenge;
    if (!type->code) {
        // No code: nothing to bind a challenge to, so one sent is ignored.
    } else if (params.code_challenge) {
        std::string method = params.code_challenge_method.value_or("plain");
        if (method != "S256") return fail(invalid_request("code_challenge_method must be S256"));
        if (!is_pkce_string(*params.code_challenge))
            return fail(invalid_request("code_challenge is malformed"));
        challenge = *params.code_challenge;
    } else if (params.code_challenge_method) {
        return fail(invalid_request("code_challenge_method was sent without code_challenge"));
    } else if (client->is_public()) {
        return fail(invalid_request("code_challenge is required for public clients (PKCE)"));
    }

    // 5. Scope: requested ⊆ registered, defaulting to the registration.
    std::vector<std::string> scope;
    if (params.scope && !params.scope->empty()) {
        auto parsed = parse_scope_parameter(*params.scope);
        if (!parsed) return fail(parsed.error());
        scope = std::move(*parsed);
    }
    if (scope.empty()) scope = client->scopes.empty() ? kDefaultScope : client->scopes;
    if (auto checked = check_scope(*client, scopes_, scope); !checked) return fail(checked.error());
    // OpenID Connect Core §3.2.2.1, §3.3.2.11: an ID token from this
    // endpoint is an OpenID request, and its nonce is what stops replay.
    if (type->id_token && !contains(scope, "openid"))
        return fail(invalid_request("response_type id_token needs the openid scope"));
    if (type->id_token && params.nonce.value_or("").empty())
        return fail(invalid_request("nonce is required when the response_type has id_token"));

    std::vector<std::string> prompt = words(params.prompt.value_or(""));
    for (const auto& p : prompt) {
        if (p != "none" && p != "login" && p != "consent" && p != "select_account")
            return fail(invalid_request("prompt has an unknown value"));
    }
    if (contains(prompt, "none") && prompt.size() > 1)
        return fail(invalid_request("prompt=none cannot be combined with other values"));
    std::optional<std::int64_t> max_age;
    if (params.max_age) {
        const std::string& text = *params.max_age;
        bool digits =
            !text.empty() && text.size() <= 10 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) return fail(invalid_request("max_age must be a number of seconds"));
        max_age = std::stoll(text);
    }

    result.request = AuthorizeRequest{std::move(*client),
                                      redirect_uri,
                                      params.redirect_uri.has_value(),
                                      std::move(scope),
                                      params.state,
                                      std::move(challenge),
                                      params.nonce.value_or(""),
                                      std::move(prompt),
                                      max_age,
                                      *type,
                                      result.response_mode};
    return result;
}

bool AuthorizationEndpoint::needs_sign_in(const AuthorizeRequest& request,
                                          std::optional<Timestamp> auth_time,
                                          bool signed_in_just_now) const {
    if (!auth_time) return true;
    if (signed_in_just_now) return false;
    if (request.prompts("login")) return true;
    // Times are whole seconds, so max_age=0 could never be exceeded: it
    // asks for a sign-in every time, like prompt=login.
    return request.max_age &&
           (*request.max_age == 0 || clock_.now() - *auth_time > *request.max_age);
}

Result<void> AuthorizationEndpoint::check_user(const Id& user_id, const Client& client) const {
    if (!client.is_private()) return {};
    if (accounts_) {
        auto membership = accounts_->find_membership(client.account_id, user_id);
        if (membership) return {};
        if (membership.error().code != Code::not_found) return std::move(membership).error();
    }
    return make_error(Code::access_denied,
                      "this application is available only to members of its account");
}

Result<bool> AuthorizationEndpoint::has_consent(const Id& user_id,
                                                const AuthorizeRequest& request) const {
    TESSERA_TRY_ASSIGN(auto granted,
                       grants_.find_client_authorizations(user_id, request.client.id));
    const auto& optional = request.client.optional_scopes;
    for (const auto& authorization : granted) {
        bool covers = std::all_of(request.scope.begin(), request.scope.end(), [&](const auto& s) {
            return contains(authorization.scope, s) ||
                   (contains(authorization.declined_scope, s) && contains(optional, s));
        });
        if (covers) return true;
    }
    return false;
}

Result<AuthorizationEndpoint::DirectGrant> AuthorizationEndpoint::grant_directly(
    const Id& user_id, const std::vector<std::string>& caller_scope, const Id& client_id,
    std::vector<std::string> scope) {
    auto client = clients_.find_client(client_id);
    if (!client) {
        if (client.error().code != Code::not_found) return client.error();
        return make_error(Code::not_found, "Couldn't find that OAuth client.", {}, "client");
    }
    if (!client->allows_grant("authorization_code"))
        return make_error(Code::invalid_params,
                          "this client is not registered for the authorization_code grant", {},
                          "client");
    if (scope.empty()) scope = client->scopes.empty() ? kHerokuDefaultScope : client->scopes;
    TESSERA_TRY_ASSIGN(scope, scopes_.normalize(scope));
    TESSERA_TRY(check_grantable(caller_scope, scope));
    TESSERA_TRY(check_scope(*client, scopes_, scope));
    if (auto allowed = check_user(user_id, *client); !allowed) {
        // A private client stays invisible to those who may not use it.
        if (allowed.error().code != Code::access_denied) return std::move(allowed).error();
        return make_error(Code::not_found, "Couldn't find that OAuth client.", {}, "client");
    }

    Timestamp now = clock_.now();
    TESSERA_TRY_ASSIGN(Authorization authorization,
                       record_consent(user_id, *client, scope, std::nullopt, now));
    auto issued = new_code(authorization, *client, "", "", scope, "", now, now);
    TESSERA_TRY(grants_.create_code(issued.second));
    return DirectGrant{std::move(issued.first), std::move(issued.second), std::move(authorization),
                       std::move(*client)};
}

}  // namespace tessera::core
