#include "api/oauth/errors.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::oauth {
namespace {

struct Wire {
    int status;
    std::string_view error;
};

Wire wire_of(Code code) {
    switch (code) {
        case Code::invalid_request:
            return {400, "invalid_request"};
        case Code::invalid_client:
            return {401, "invalid_client"};
        case Code::invalid_grant:
            return {400, "invalid_grant"};
        case Code::unauthorized_client:
            return {400, "unauthorized_client"};
        case Code::unsupported_grant_type:
            return {400, "unsupported_grant_type"};
        case Code::unsupported_response_type:
            return {400, "unsupported_response_type"};
        case Code::login_required:
            return {400, "login_required"};
        case Code::consent_required:
            return {400, "consent_required"};
        case Code::invalid_scope:
            return {400, "invalid_scope"};
        case Code::access_denied:
            return {403, "access_denied"};
        case Code::invalid_token:
            return {401, "invalid_token"};
        case Code::invalid_redirect_uri:
            return {400, "invalid_redirect_uri"};
        case Code::invalid_client_metadata:
            return {400, "invalid_client_metadata"};
        case Code::invalid_params:
            return {400, "invalid_request"};
        case Code::not_found:
            return {400, "invalid_request"};
        case Code::conflict:
            return {400, "invalid_request"};
        case Code::forbidden:
            return {403, "access_denied"};
        case Code::unauthenticated:
            return {401, "invalid_client"};
        case Code::rate_limited:
            return {429, "slow_down"};
        case Code::unavailable:
            return {503, "temporarily_unavailable"};
        case Code::internal:
            return {500, "server_error"};
    }
    return {500, "server_error"};
}

}  // namespace

http::Response json_response(int status, std::string body) {
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    response.body = std::move(body);
    return response;
}

http::Response render_error(const http::Request& request, const Error& error,
                            bool used_basic_auth) {
    auto [status, code] = wire_of(error.code);
    std::string_view description = error.description;
    if (error.code == Code::internal || error.code == Code::unavailable) {
        spdlog::error("request {}: {} ({})", request.request_id, to_string(error.code),
                      error.log_detail);
        if (error.code == Code::internal) description = "the server failed; try again later";
    }
    // RFC 6749 §5.2: 401 only when the client tried Basic; otherwise 400.
    if (error.code == Code::invalid_client && !used_basic_auth) status = 400;
    boost::json::object body;
    body["error"] = code;
    if (!description.empty()) body["error_description"] = description;
    auto response = json_response(status, boost::json::serialize(body));
    // RFC 6750 §3: a bad bearer token (e.g. RFC 7592's registration access
    // token) is challenged as Bearer; client authentication as Basic.
    if (status == 401 && error.code == Code::invalid_token)
        response.headers.set("WWW-Authenticate",
                             "Bearer realm=\"tessera\", error=\"invalid_token\"");
    else if (status == 401)
        response.headers.set("WWW-Authenticate", "Basic realm=\"tessera\"");
    if (error.code == Code::unavailable) response.headers.set("Retry-After", "1");
    return response;
}

}  // namespace tessera::api::oauth
