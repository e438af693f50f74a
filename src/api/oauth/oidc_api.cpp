#include "api/oauth/oidc_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/oauth/errors.hpp"
#include "api/oauth/form.hpp"

namespace tessera::api::oauth {
namespace {

// RFC 6750 §3: a challenge naming what is wrong with the bearer token. With
// no `error` (no token was sent, §3.1) the challenge carries only the realm.
http::Response bearer_challenge(int status, std::string_view error, std::string_view description) {
    std::string challenge = "Bearer realm=\"tessera\"";
    boost::json::object body;
    if (!error.empty()) {
        challenge += ", error=\"" + std::string(error) + "\", error_description=\"" +
                     std::string(description) + "\"";
        body["error"] = error;
        body["error_description"] = description;
    }
    auto response = json_response(status, body.empty() ? "" : boost::json::serialize(body));
    if (body.empty()) response.headers.set("Content-Type", "text/plain; charset=utf-8");
    response.headers.set("WWW-Authenticate", challenge);
    return response;
}

// The bearer token of a request (RFC 6750 §2.1, §2.2), "" when none.
Result<std::string> bearer_token(const http::Request& request) {
    auto header = request.headers.get("Authorization");
    std::optional<std::string> from_header;
    if (header) {
        if (header->size() <= 7 || !http::iequals(header->substr(0, 7), "Bearer "))
            return make_error(Code::invalid_request, "use the Bearer authorization scheme");
        from_header = std::string(header->substr(7));
    }
    std::optional<std::string> from_body;
    if (request.method == "POST" && !request.body.empty()) {
        TESSERA_TRY_ASSIGN(Form form, parse_form(request, /*with_query=*/false));
        from_body = form.get("access_token");
    }
    if (from_header && from_body)
        return make_error(Code::invalid_request, "send the access token in one place only");
    return from_header ? *from_header : from_body.value_or("");
}

}  // namespace

void OidcApi::add_routes(http::Router& router) {
    router.add("GET", "/.well-known/jwks.json", [this](const http::Request& r) { return jwks(r); });
    router.add("GET", "/userinfo", [this](const http::Request& r) { return userinfo(r); });
    router.add("POST", "/userinfo", [this](const http::Request& r) { return userinfo(r); });
}

http::Response OidcApi::jwks(const http::Request& request) const {
    auto keys = keys_.published();
    if (!keys) return render_error(request, keys.error(), false);
    // Each stored JWK is a JSON object we wrote, public parts only.
    std::string body = "{\"keys\":[";
    for (std::size_t i = 0; i < keys->size(); ++i) body += (i ? "," : "") + (*keys)[i].public_jwk;
    body += "]}";
    http::Response response;
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    response.headers.set("Cache-Control", "public, max-age=60");
    response.body = std::move(body);
    return response;
}

http::Response OidcApi::userinfo(const http::Request& request) const {
    auto token = bearer_token(request);
    if (!token) return bearer_challenge(400, "invalid_request", token.error().description);
    if (token->empty()) return bearer_challenge(401, "", "");
    auto info = userinfo_.userinfo(*token);
    if (!info) {
        switch (info.error().code) {
            case Code::unauthenticated:
                return bearer_challenge(401, "invalid_token",
                                        "the access token is invalid or expired");
            case Code::forbidden:
                return bearer_challenge(403, "insufficient_scope",
                                        "the access token does not have the openid scope");
            default:
                return render_error(request, info.error(), false);
        }
    }
    boost::json::object body;
    body["sub"] = info->subject.uuid();
    if (info->name) body["name"] = *info->name;
    if (info->email) {
        body["email"] = *info->email;
        body["email_verified"] = false;
    }
    return json_response(200, boost::json::serialize(body));
}

}  // namespace tessera::api::oauth
