#include "api/heroku/errors.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tessera::api::heroku {
namespace {

struct Wire {
    int status;
    std::string_view id;
};

Wire wire_of(Code code) {
    switch (code) {
        case Code::invalid_request:
            return {400, "bad_request"};
        case Code::invalid_params:
            return {422, "invalid_params"};
        case Code::invalid_scope:
            return {422, "invalid_params"};
        case Code::invalid_redirect_uri:
        case Code::invalid_client_metadata:
            return {422, "invalid_params"};
        case Code::unsupported_grant_type:
        case Code::unsupported_response_type:
        case Code::login_required:
        case Code::consent_required:
            return {422, "invalid_params"};
        case Code::invalid_client:
            return {401, "unauthorized"};
        case Code::invalid_grant:
            return {401, "unauthorized"};
        case Code::invalid_token:
            return {401, "unauthorized"};
        case Code::unauthenticated:
            return {401, "unauthorized"};
        case Code::unauthorized_client:
            return {403, "forbidden"};
        case Code::access_denied:
            return {403, "forbidden"};
        case Code::forbidden:
            return {403, "forbidden"};
        case Code::not_found:
            return {404, "not_found"};
        case Code::conflict:
            return {409, "conflict"};
        case Code::rate_limited:
            return {429, "rate_limit"};
        case Code::unavailable:
            return {503, "service_unavailable"};
        case Code::internal:
            return {500, "internal_server_error"};
    }
    return {500, "internal_server_error"};
}

}  // namespace

http::Response error_response(int status, std::string_view id, std::string_view message) {
    boost::json::object body;
    body["id"] = id;
    body["message"] = message;
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    response.body = boost::json::serialize(body);
    return response;
}

http::Response render_error(const http::Request& request, const Error& error) {
    auto [status, id] = wire_of(error.code);
    std::string_view message = error.description;
    if (error.code == Code::internal || error.code == Code::unavailable) {
        spdlog::error("request {}: {} ({})", request.request_id, to_string(error.code),
                      error.log_detail);
        if (error.code == Code::internal)
            message = "An internal error occurred. Please try again later.";
    }
    if (message.empty()) message = "The request could not be completed.";
    boost::json::object body;
    body["id"] = id;
    body["message"] = message;
    if (error.code == Code::not_found && !error.subject.empty()) body["resource"] = error.subject;
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    if (error.code == Code::rate_limited) response.headers.set("Retry-After", "60");
    response.body = boost::json::serialize(body);
    return response;
}

}  // namespace tessera::api::heroku
