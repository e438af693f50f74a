#include "api/oauth/oauth_api.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/oauth/errors.hpp"
#include "api/oauth/form.hpp"
#include "base/encoding.hpp"

namespace tessera::api::oauth {
namespace {

// The client credentials of a request: Basic (RFC 6749 §2.3.1, both parts
// form-encoded before base64) or client_id/client_secret in the form; never
// both (§2.3: one method per request).
struct PresentedCredentials {
    core::PresentedClient client;
    bool used_basic = false;
};

Result<PresentedCredentials> presented_client(const http::Request& request, const Form& form) {
    auto header = request.headers.get("Authorization");
    bool basic = header && header->size() > 6 && http::iequals(header->substr(0, 6), "Basic ");
    if (basic) {
        if (form.has("client_secret"))
            return make_error(Code::invalid_request,
                              "send the client secret in the Authorization header or the body, "
                              "not both");
        auto decoded = base64_decode(header->substr(6));
        auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos)
            return make_error(Code::invalid_client, "client authentication failed");
        auto id = http::percent_decode(decoded->substr(0, colon), true);
        auto secret = http::percent_decode(decoded->substr(colon + 1), true);
        if (!id || !secret) return make_error(Code::invalid_client, "client authentication failed");
        auto form_id = form.get("client_id");
        if (form_id && *form_id != *id)
            return make_error(Code::invalid_request,
                              "client_id differs from the Basic credentials");
        return PresentedCredentials{{*id, Secret(std::move(*secret)), "client_secret_basic"}, true};
    }
    auto id = form.get("client_id");
    if (!id) return make_error(Code::invalid_client, "client authentication failed");
    auto secret = form.get("client_secret");
    if (!secret) return PresentedCredentials{{*id, std::nullopt}, false};
    return PresentedCredentials{{*id, Secret(*secret), "client_secret_post"}, false};
}

// Cloudflare spec §8: a browser app may read the answer only when its
// origin is one the authenticated client allows.
http::Response with_cors(http::Response response, const http::Request& request,
                         const core::Client& client) {
    auto origin = request.headers.get("Origin");
    if (origin && client.allows_origin(*origin)) {
        response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
        response.headers.set("Vary", "Origin");
    }
    return response;
}

Error missing(std::string_view parameter) {
    return make_error(Code::invalid_request, std::string(parameter) + " is required");
}

boost::json::array strings(const std::vector<std::string>& items) {
    boost::json::array out;
    for (const auto& item : items) out.emplace_back(item);
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
    return out;
}

// RFC 7662 §2.2.
boost::json::object introspection_json(const core::Introspection& result,
                                       const std::string& issuer) {
    boost::json::object body;
    body["active"] = result.active;
    if (result.active) {
        body["scope"] = join(result.scope);
        if (result.client_id) body["client_id"] = result.client_id->uuid();
        if (result.user_id) body["sub"] = result.user_id->uuid();
        body["token_type"] = result.refresh_token ? "refresh_token" : "Bearer";
        body["iat"] = result.issued_at;
        if (result.expires_at) body["exp"] = *result.expires_at;
        body["iss"] = issuer;
    }
    return body;
}

}  // namespace

namespace {
// The token endpoint's answer (RFC 6749 §5.1 and §5.2).
http::Response render_token(const http::Request& request, const Result<core::IssuedToken>& issued,
                            bool used_basic);
}  // namespace

void OAuthApi::add_routes(http::Router& router) {
    router.add("POST", "/oauth/token", http::member_handler(this, &OAuthApi::token));
    router.add("POST", "/oauth/introspect", http::member_handler(this, &OAuthApi::introspect));
    router.add("POST", "/oauth/revoke", http::member_handler(this, &OAuthApi::revoke));
    for (const char* path : {"/oauth/token", "/oauth/introspect", "/oauth/revoke"})
        router.add("OPTIONS", path, [this](const http::Request& r) { return preflight(r); });
    router.add("GET", "/.well-known/oauth-authorization-server",
               [this](const http::Request& r) { return metadata(r); });
    if (keys_)
        router.add("GET", "/.well-known/openid-configuration",
                   [this](const http::Request& r) { return metadata(r); });
}

// Parses the form and authenticates the client: the shared first steps of
// the token, introspection and revocation endpoints. On failure, the error.
Result<OAuthApi::Authenticated> OAuthApi::authenticate(const http::Request& request,
                                                       bool with_query) const {
    TESSERA_TRY_ASSIGN(Form form, parse_form(request, with_query));
    TESSERA_TRY_ASSIGN(PresentedCredentials presented, presented_client(request, form));
    auto client = clients_.authenticate(presented.client);
    if (!client) return Authenticated{std::move(form), {}, presented.used_basic, client.error()};
    return Authenticated{std::move(form), std::move(*client), presented.used_basic, {}};
}

http::Response OAuthApi::token(const http::Request& request) {
    auto form = parse_form(request, /*with_query=*/true);
    if (!form) return render_error(request, form.error(), false);
    auto grant_type = form->get("grant_type");
    if (!grant_type) return render_error(request, missing("grant_type"), false);
    core::TokenRequest token_request{*grant_type,
                                     form->get("scope"),
                                     form->get("code"),
                                     form->get("redirect_uri"),
                                     form->get("code_verifier"),
                                     form->get("refresh_token")};

    // Heroku spec §6.2: no client_id and no Basic credentials; the code or
    // refresh token names the client whose client_secret is checked.
    auto header = request.headers.get("Authorization");
    bool basic = header && header->size() > 6 && http::iequals(header->substr(0, 6), "Basic ");
    bool heroku_form = !basic && !form->has("client_id") && form->has("client_secret");
    if (heroku_form) {
        auto client_id = tokens_.client_of(token_request);
        if (!client_id) return render_error(request, client_id.error(), false);
        form->add("client_id", client_id->uuid());
    }

    auto presented = presented_client(request, *form);
    if (!presented) return render_error(request, presented.error(), false);
    if (heroku_form) presented->client.method.reset();  // §6.2 names no method
    auto client = clients_.authenticate(presented->client);
    if (!client) return render_error(request, client.error(), presented->used_basic);
    bool used_basic = presented->used_basic;
    if (token_request.grant_type == "client_credentials") {
        // Only a token insert: answered when the store's group commit has it,
        // without holding this thread.
        http::Response pending;
        // Decided now, so the deferred answer carries no copy of the client.
        std::optional<std::string> allowed_origin;
        if (auto origin = request.headers.get("Origin"); origin && client->allows_origin(*origin))
            allowed_origin = std::string(*origin);
        pending.deferred = [this, client = std::move(*client),
                            token_request = std::move(token_request), used_basic,
                            request_id = request.request_id,
                            allowed_origin = std::move(allowed_origin)](http::Response::Finish finish) {
            tokens_.exchange_async(client, token_request,
                                   [finish = std::move(finish), used_basic, request_id,
                                    allowed_origin](Result<core::IssuedToken> issued) {
                                       http::Request origin;
                                       origin.request_id = request_id;
                                       auto response = render_token(origin, issued, used_basic);
                                       if (allowed_origin) {
                                           response.headers.set("Access-Control-Allow-Origin",
                                                                *allowed_origin);
                                           response.headers.set("Vary", "Origin");
                                       }
                                       finish(std::move(response));
                                   });
        };
        return pending;
    }
    return with_cors(render_token(request, tokens_.exchange(*client, token_request), used_basic),
                     request, *client);
}

namespace {
http::Response render_token(const http::Request& request, const Result<core::IssuedToken>& issued,
                            bool used_basic) {
    if (!issued) return render_error(request, issued.error(), used_basic);
    boost::json::object body;
    body["access_token"] = issued->access_token.reveal();
    body["token_type"] = "Bearer";
    body["expires_in"] = issued->expires_in;
    if (issued->refresh_token) body["refresh_token"] = issued->refresh_token->reveal();
    body["scope"] = join(issued->scope);
    if (issued->id_token) body["id_token"] = *issued->id_token;
    if (issued->session) {
        // Heroku spec §6.2: which user, and which session.
        body["user_id"] = issued->session->user_id.uuid();
        body["session_nonce"] = issued->session->nonce;
    }
    return json_response(200, boost::json::serialize(body));
}
}  // namespace

http::Response OAuthApi::introspect(const http::Request& request) {
    auto header = request.headers.get("Authorization");
    if (header && header->size() > 7 && http::iequals(header->substr(0, 7), "Bearer "))
        return introspect_with_bearer(request, header->substr(7));
    auto caller = authenticate(request, /*with_query=*/false);
    if (!caller) return render_error(request, caller.error(), false);
    if (caller->failure) return render_error(request, *caller->failure, caller->used_basic);
    auto token = caller->form.get("token");
    if (!token) return render_error(request, missing("token"), false);
    auto result = introspector_.introspect(caller->client, *token);
    if (!result)
        return with_cors(render_error(request, result.error(), caller->used_basic), request,
                         caller->client);
    return with_cors(json_response(200, boost::json::serialize(introspection_json(*result, issuer_))),
                     request, caller->client);
}

http::Response OAuthApi::introspect_with_bearer(const http::Request& request,
                                                std::string_view bearer) {
    // RFC 6750 §3: errors of the bearer token itself are challenges.
    auto challenge = [](int status, const char* error, const char* description) {
        auto response =
            json_response(status, boost::json::serialize(boost::json::object{
                                      {"error", error}, {"error_description", description}}));
        response.headers.set("WWW-Authenticate", std::string("Bearer realm=\"tessera\", error=\"") +
                                                     error + "\", error_description=\"" +
                                                     description + "\"");
        return response;
    };
    auto caller = bearers_.authenticate(bearer);
    if (!caller) {
        if (caller.error().code == Code::unauthenticated)
            return challenge(401, "invalid_token", "the access token is invalid or expired");
        return render_error(request, caller.error(), false);
    }
    auto form = parse_form(request, /*with_query=*/false);
    if (!form) return render_error(request, form.error(), false);
    auto token = form->get("token");
    if (!token) return render_error(request, missing("token"), false);
    auto result = introspector_.introspect_for_user(*caller, *token);
    if (!result) {
        if (result.error().code == Code::forbidden)
            return challenge(403, "insufficient_scope",
                             "introspection needs a token with the global scope");
        if (result.error().code == Code::unauthenticated)
            return challenge(401, "invalid_token", "the access token is invalid or expired");
        return render_error(request, result.error(), false);
    }
    return json_response(200, boost::json::serialize(introspection_json(*result, issuer_)));
}

http::Response OAuthApi::revoke(const http::Request& request) {
    auto caller = authenticate(request, /*with_query=*/false);
    if (!caller) return render_error(request, caller.error(), false);
    if (caller->failure) return render_error(request, *caller->failure, caller->used_basic);
    auto token = caller->form.get("token");
    if (!token) return render_error(request, missing("token"), false);
    auto revoked = revoker_.revoke(caller->client, *token);
    if (!revoked)
        return with_cors(render_error(request, revoked.error(), caller->used_basic), request,
                         caller->client);
    return with_cors(json_response(200, "{}"), request, caller->client);
}

http::Response OAuthApi::preflight(const http::Request& request) const {
    // A preflight names no client, so it cannot be checked against one; it
    // only lets the browser send the request. Whether the page may read the
    // answer is decided on that answer (with_cors), per client.
    http::Response response;
    response.status = 204;
    auto origin = request.headers.get("Origin");
    if (origin && !origin->empty() && *origin != "null") {
        response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
        response.headers.set("Access-Control-Allow-Methods", "POST");
        response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
        response.headers.set("Access-Control-Max-Age", "600");
        response.headers.set("Vary", "Origin");
    }
    return response;
}

http::Response OAuthApi::metadata(const http::Request& request) const {
    std::vector<std::string> scopes;
    for (const auto& s : scopes_.scopes()) scopes.push_back(s.id);
    const std::vector<std::string> auth_methods = {"client_secret_basic", "client_secret_post"};
    boost::json::object body;
    body["issuer"] = issuer_;
    body["authorization_endpoint"] = issuer_ + "/oauth/authorize";
    body["token_endpoint"] = issuer_ + "/oauth/token";
    body["token_endpoint_auth_methods_supported"] =
        strings({"client_secret_basic", "client_secret_post", "none"});
    // The implicit and hybrid response types need ID token signing; they
    // are offered per client only (RFC 9700 §2.1.2 discourages them), but
    // offered, so listed (Discovery §3).
    auto grant_types = core::TokenService::supported_grant_types();
    if (keys_) grant_types.push_back("implicit");
    body["grant_types_supported"] = strings(grant_types);
    body["response_types_supported"] =
        keys_ ? strings({"code", "code id_token", "code token", "code id_token token", "id_token",
                         "id_token token", "token"})
              : strings({"code"});
    body["response_modes_supported"] = strings({"query", "fragment", "form_post"});
    body["code_challenge_methods_supported"] = strings({"S256"});
    body["authorization_response_iss_parameter_supported"] = true;
    body["scopes_supported"] = strings(scopes);
    body["revocation_endpoint"] = issuer_ + "/oauth/revoke";
    body["revocation_endpoint_auth_methods_supported"] =
        strings({"client_secret_basic", "client_secret_post", "none"});
    body["introspection_endpoint"] = issuer_ + "/oauth/introspect";
    body["introspection_endpoint_auth_methods_supported"] = strings(auth_methods);
    if (has_registration_) body["registration_endpoint"] = issuer_ + "/oauth/register";
    if (keys_) {
        // OpenID Connect Discovery §3. The algorithms are those of the
        // published keys: a token may carry any of them until it expires.
        auto published = keys_->published();
        if (!published) return render_error(request, published.error(), false);
        std::vector<std::string> algorithms;
        for (const auto& key : *published)
            if (std::find(algorithms.begin(), algorithms.end(), key.algorithm) == algorithms.end())
                algorithms.push_back(key.algorithm);
        body["userinfo_endpoint"] = issuer_ + "/userinfo";
        body["jwks_uri"] = issuer_ + "/.well-known/jwks.json";
        // OpenID Connect RP-Initiated Logout 1.0 §2.1.
        body["end_session_endpoint"] = issuer_ + "/oauth/logout";
        body["subject_types_supported"] = strings({"public"});
        body["id_token_signing_alg_values_supported"] = strings(algorithms);
        body["claims_supported"] =
            strings({"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "c_hash",
                     "name", "email", "email_verified"});
    }
    http::Response response;
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    response.headers.set("Cache-Control", "public, max-age=300");
    response.body = boost::json::serialize(body);
    return response;
}

}  // namespace tessera::api::oauth
